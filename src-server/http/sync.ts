/**
 * [5/7] The sync endpoints (docs/sync.md): `POST /api/v1/sync/push`, `GET /api/v1/sync/pull`.
 * A desktop authenticates with its device token (`Authorization: Bearer d.<school>.<secret>`),
 * or with a session (bearer or cookie) — then only the account's own ops are accepted.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUSH_LIMIT } from '../../src-shared/sync/protocol';
import { MESSAGES } from '../auth/service';
import type { SessionKind } from '../store/types';
import { SyncService, type SyncAuth } from '../sync/service';
import { sendFailure } from './errors';
import { COOKIE, type RouteDeps } from './routes';

export function registerSyncRoutes(app: FastifyInstance, d: RouteDeps): SyncService {
  const sync = new SyncService(d.schools, d.store);

  async function who(req: FastifyRequest, reply: FastifyReply): Promise<SyncAuth | null> {
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
    const token = m ? m[1] : undefined;
    if (token?.startsWith('d.')) {
      const dev = await d.auth.device(token);
      if (!dev) {
        sendFailure(reply, 'unauthenticated', 'Компьютер не зарегистрирован или его токен отозван');
        return null;
      }
      await d.store.touchDevice(dev.schoolId, dev.deviceId, new Date(d.clock.now()).toISOString());
      return { kind: 'device', schoolId: dev.schoolId, deviceId: dev.deviceId };
    }
    const kind: SessionKind = h !== undefined ? 'bearer' : 'cookie';
    const p = await d.auth.session(h !== undefined ? token ?? '' : req.cookies[COOKIE], kind);
    if (!p) {
      sendFailure(reply, 'unauthenticated', MESSAGES.noSession);
      return null;
    }
    const actor = await d.auth.actor(p);
    if (!actor || actor.blocked) {
      sendFailure(reply, actor ? 'blocked' : 'unauthenticated', actor ? MESSAGES.blocked : MESSAGES.noSession);
      return null;
    }
    req.principal = p;
    return { kind: 'session', schoolId: p.schoolId, accountId: p.accountId };
  }

  const stamp = (reply: FastifyReply) => reply.header('date', new Date(d.clock.now()).toUTCString()).header('cache-control', 'no-store');

  app.post('/api/v1/sync/push', { bodyLimit: PUSH_LIMIT }, async (req, reply) => {
    const a = await who(req, reply);
    if (!a) return reply;
    const r = await sync.push(a, req.body, d.clock.now());
    stamp(reply);
    if (!r.ok) return sendFailure(reply, r.code, r.message);
    const rejected = r.value.acks.filter((x) => x.status === 'rejected').length;
    if (rejected) req.log.info({ schoolId: a.schoolId, rejected }, 'sync push: ops rejected');
    return { ok: true, value: r.value };
  });

  app.get('/api/v1/sync/pull', async (req, reply) => {
    const a = await who(req, reply);
    if (!a) return reply;
    const q = req.query as { after?: string; limit?: string };
    const r = await sync.pull(a, Number(q.after ?? '0'), Number(q.limit ?? '1000'));
    stamp(reply);
    if (!r.ok) return sendFailure(reply, r.code, r.message);
    return { ok: true, value: r.value };
  });
  return sync;
}
