/**
 * [5/7] The sync endpoints (docs/sync.md): `POST /api/v1/sync/push`, `GET /api/v1/sync/pull`.
 * A desktop authenticates with its device token (`Authorization: Bearer d.<school>.<secret>`),
 * or with a session (bearer or cookie) — then only the account's own ops are accepted.
 * Push bodies come as they are or gzipped (≤ PUSH_LIMIT on the wire, ≤ PUSH_DECODED_LIMIT
 * unpacked); answers are compressed by @fastify/compress (app.ts) when the client accepts it.
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUSH_DECODED_LIMIT, PUSH_LIMIT } from '../../src-shared/sync/protocol';
import { MESSAGES } from '../auth/service';
import type { SessionKind } from '../store/types';
import { SyncService, type SyncAuth, type SyncServiceOptions } from '../sync/service';
import { errorHandler, sendFailure } from './errors';
import { COOKIE, type RouteDeps } from './routes';
import { registerSnapshotRoute } from './snapshot';

/** A push body refused while it streams in: too big on the wire or unpacked, or not gzip. */
class BodyError extends Error {
  constructor(readonly statusCode: number, readonly syncCode: 'too_large' | 'bad_input' | 'unsupported_media_type', message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

const tooLarge = () => new BodyError(413, 'too_large', `Слишком большой пакет синхронизации: не больше ${PUSH_LIMIT / 1024} КБ (программа делит очередь на части сама)`);
const bomb = () => new BodyError(413, 'too_large', `Пакет синхронизации после распаковки больше ${PUSH_DECODED_LIMIT / 1024} КБ: отклонён, ничего не записано`);

/** Counts bytes through a stream and fails with `err()` past `limit`. */
function limiter(limit: number, err: () => Error, seen?: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      seen?.(n);
      if (n > limit) cb(err());
      else cb(null, chunk);
    },
  });
}

/**
 * preParsing for push: identity or gzip only; the wire bytes are held to PUSH_LIMIT, the unpacked
 * ones to PUSH_DECODED_LIMIT (a zip bomb stops there — the route's handler never runs).
 */
function decodePushBody(req: FastifyRequest, _reply: FastifyReply, payload: Readable, done: (err: Error | null, body?: Readable) => void): void {
  const enc = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (enc !== 'identity' && enc !== 'gzip') {
    done(new BodyError(415, 'unsupported_media_type', `Сжатие «${enc}» не поддерживается: присылайте gzip или без сжатия`));
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > PUSH_LIMIT) {
    done(tooLarge());
    return;
  }
  const onWire = limiter(PUSH_LIMIT, tooLarge);
  if (enc === 'identity') {
    pipeline(payload, onWire, () => {});
    done(null, onWire);
    return;
  }
  // Fastify compares `receivedEncodedLength` (the wire bytes) with Content-Length.
  const unpacked = limiter(PUSH_DECODED_LIMIT, bomb) as Transform & { receivedEncodedLength: number };
  unpacked.receivedEncodedLength = 0;
  const counted = limiter(PUSH_LIMIT, tooLarge, (n) => { unpacked.receivedEncodedLength = n; });
  const gunzip = createGunzip();
  gunzip.on('error', (err: Error & { code?: string }) => {
    if (!(err instanceof BodyError)) unpacked.destroy(new BodyError(400, 'bad_input', 'Пакет синхронизации повреждён: это не gzip или он обрезан'));
  });
  pipeline(payload, counted, gunzip, unpacked, () => {});
  done(null, unpacked);
}

function pushErrors(err: FastifyError | BodyError, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof BodyError) {
    req.log.info({ status: err.statusCode, code: err.syncCode }, 'sync push body refused');
    sendFailure(reply, err.syncCode, err.message);
    return;
  }
  if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // Fastify's own check against bodyLimit (the unpacked cap), e.g. a Content-Length over it.
    sendFailure(reply, 'too_large', (req.headers['content-encoding'] ?? 'identity') === 'identity' ? tooLarge().message : bomb().message);
    return;
  }
  errorHandler(err as FastifyError, req, reply);
}

/** `?proto=&schema=` of a v2 pull; a v1 pull has neither. */
function pullVersions(q: { proto?: string; schema?: string }): { proto: number; schema: number } | undefined {
  if (q.proto === undefined && q.schema === undefined) return undefined;
  return { proto: Number(q.proto), schema: Number(q.schema) };
}

export function registerSyncRoutes(app: FastifyInstance, d: RouteDeps, o: SyncServiceOptions = {}): SyncService {
  const sync = new SyncService(d.schools, d.store, {
    onSkew: (schoolId, device, skewMs) => app.log.info({ schoolId, device, skewMs }, 'sync: device clock is off'),
    ...o,
  });

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

  app.post('/api/v1/sync/push', { bodyLimit: PUSH_DECODED_LIMIT, decompress: false, preParsing: decodePushBody, errorHandler: pushErrors }, async (req, reply) => {
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
    const q = req.query as { after?: string; limit?: string; proto?: string; schema?: string };
    const r = await sync.pull(a, Number(q.after ?? '0'), Number(q.limit ?? '1000'), pullVersions(q));
    stamp(reply);
    if (!r.ok) return sendFailure(reply, r.code, r.message);
    return { ok: true, value: r.value };
  });
  registerSnapshotRoute(app, d, who); // [5/7] GET /api/v1/sync/snapshot (http/snapshot.ts)
  return sync;
}
