/**
 * The sync endpoints (docs/sync.md, docs/security.md): `POST /api/v1/sync/push`, `GET /api/v1/sync/pull`,
 * `GET /api/v1/sync/snapshot`, `GET /api/v1/sync/private`, `POST /api/v1/sync/signin`. Only an
 * enrolled school computer calls them, with its device token (`Authorization: Bearer d.<school>.<secret>`).
 * Push bodies come as they are or gzipped (≤ PUSH_LIMIT on the wire, ≤ PUSH_DECODED_LIMIT
 * unpacked); answers are compressed by @fastify/compress (app.ts) when the client accepts it.
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUSH_DECODED_LIMIT, PUSH_LIMIT } from '../../src-shared/sync/protocol';
import { z } from 'zod';
import { describeIssues } from '../../src-shared/ops/envelope';
import { fromWire } from '../../src-shared/sync/protocol';
import { DEVICE_MESSAGES } from '../auth/devices';
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

const SigninBody = z.object({
  login: z.string({ error: 'укажите логин' }).trim().min(1, 'укажите логин').max(64, 'логин не длиннее 64 символов'),
  password: z.string({ error: 'укажите пароль' }).min(1, 'укажите пароль').max(256, 'пароль не длиннее 256 символов'),
});

/** At most this many ops of one revoked computer are kept aside (a revoked token must not fill the store). */
const HELD_MAX = 20_000;

export function registerSyncRoutes(app: FastifyInstance, d: RouteDeps, o: SyncServiceOptions = {}): SyncService {
  const sync = new SyncService(d.schools, d.store, {
    onSkew: (schoolId, device, skewMs) => app.log.info({ schoolId, device, skewMs }, 'sync: device clock is off'),
    onSignins: (schoolId, device, refused) => app.log.warn({ schoolId, device, refused }, 'sync: offline sign-ins refused'),
    ...(d.syncQuota ? { quota: d.syncQuota } : {}),
    ...o,
  });

  /**
   * The enrolled, live computer behind the request's device token, or a failure sent. Sessions —
   * a browser's cookie or a bearer token of a person — never sync (docs/security.md).
   */
  async function who(req: FastifyRequest, reply: FastifyReply): Promise<SyncAuth | null> {
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
    const token = m ? m[1] : undefined;
    if (!token?.startsWith('d.')) {
      const p = token ? await d.auth.session(token, 'bearer') : req.cookies[COOKIE] ? await d.auth.session(req.cookies[COOKIE], 'cookie') : undefined;
      if (p) {
        req.log.warn({ schoolId: p.schoolId, accountId: p.accountId, path: req.url.split('?')[0] }, 'sync refused: a session, not a school computer');
        sendFailure(reply, 'forbidden', 'Синхронизация доступна только зарегистрированным компьютерам школы (п. 5.11, 9.6): веб-журнал работает с сервером напрямую');
      } else sendFailure(reply, 'unauthenticated', DEVICE_MESSAGES.unknown);
      return null;
    }
    const a = await d.devices.authenticate(token);
    if (!a.ok) {
      sendFailure(reply, 'unauthenticated', a.revoked ? DEVICE_MESSAGES.revoked : DEVICE_MESSAGES.unknown, a.revoked ? 'device_revoked' : undefined);
      return null;
    }
    await d.store.touchDevice(a.device.schoolId, a.device.deviceId, new Date(d.clock.now()).toISOString());
    return { kind: 'device', schoolId: a.device.schoolId, deviceId: a.device.deviceId };
  }

  /** A revoked computer's push: its ops are kept aside for review, never applied (docs/security.md). */
  async function holdRevoked(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const m = /^Bearer\s+(d\.\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const a = await d.devices.authenticate(m[1]);
    if (a.ok || !a.revoked) return false;
    const dev = a.revoked;
    const body = req.body as { device?: unknown; ops?: unknown } | null;
    const ops = Array.isArray(body?.ops) ? body.ops : [];
    const receivedAt = new Date(d.clock.now()).toISOString();
    const already = (await d.store.heldOps(dev.schoolId, dev.deviceId)).length;
    const rows = ops.slice(0, Math.max(0, HELD_MAX - already)).flatMap((w) => {
      try {
        const op = fromWire(w);
        if (op.device !== dev.deviceId) return [];
        return [{ schoolId: dev.schoolId, deviceId: dev.deviceId, seq: op.seq, author: op.author, kind: op.kind, hlc: op.hlc, payload: JSON.stringify(op.payload), receivedAt, reason: 'device_revoked' }];
      } catch {
        return [];
      }
    });
    const kept = await d.store.holdOps(rows);
    req.log.warn({ schoolId: dev.schoolId, deviceId: dev.deviceId, kept }, 'sync: a revoked computer pushed; ops kept aside');
    sendFailure(reply, 'unauthenticated', DEVICE_MESSAGES.revoked, 'device_revoked');
    return true;
  }

  const stamp = (reply: FastifyReply) => reply.header('date', new Date(d.clock.now()).toUTCString()).header('cache-control', 'no-store');

  app.post('/api/v1/sync/push', { bodyLimit: PUSH_DECODED_LIMIT, decompress: false, preParsing: decodePushBody, errorHandler: pushErrors }, async (req, reply) => {
    if (await holdRevoked(req, reply)) return reply;
    const a = await who(req, reply);
    if (!a) return reply;
    const r = await sync.push(a, req.body, d.clock.now());
    stamp(reply);
    if (!r.ok) {
      if (r.retryAfter) reply.header('Retry-After', String(r.retryAfter));
      req.log.info({ schoolId: a.schoolId, deviceId: a.deviceId, code: r.code }, 'sync push refused');
      return sendFailure(reply, r.code, r.message);
    }
    const rejected = r.value.acks.filter((x) => x.status === 'rejected').length;
    if (rejected) req.log.info({ schoolId: a.schoolId, deviceId: a.deviceId, rejected }, 'sync push: ops rejected');
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

  // A computer's share of what the snapshot leaves out: verifiers of its accounts, their messages.
  app.get('/api/v1/sync/private', async (req, reply) => {
    const a = await who(req, reply);
    if (!a) return reply;
    const r = await sync.privateData(a);
    stamp(reply);
    if (!r.ok) return sendFailure(reply, r.code, r.message);
    return { ok: true, value: r.value };
  });

  // An online sign-in on a computer: the server checks the password and hands over the account's key for it.
  app.post('/api/v1/sync/signin', async (req, reply) => {
    const a = await who(req, reply);
    if (!a) return reply;
    const body = SigninBody.safeParse(req.body ?? {});
    if (!body.success) return sendFailure(reply, 'bad_input', `Неверные данные для входа: ${describeIssues(body.error)}`);
    const dev = await d.store.device(a.schoolId, a.deviceId);
    if (!dev) return sendFailure(reply, 'unauthenticated', DEVICE_MESSAGES.unknown);
    const r = await d.devices.signinOnline(dev, body.data.login, body.data.password, req.ip);
    stamp(reply);
    if (!r.ok) {
      if (r.retryAfter) reply.header('Retry-After', String(r.retryAfter));
      req.log.info({ schoolId: a.schoolId, deviceId: a.deviceId, outcome: r.code }, 'computer sign-in refused');
      return sendFailure(reply, r.code as never, r.message);
    }
    req.log.info({ schoolId: a.schoolId, deviceId: a.deviceId, accountId: r.accountId }, 'computer sign-in');
    return { ok: true, value: { accountId: r.accountId, key: r.key, at: r.at } };
  });
  registerSnapshotRoute(app, d, who); // GET /api/v1/sync/snapshot (http/snapshot.ts)
  return sync;
}
