/**
 * The API under /api/v1: sessions (login, logout, me), the contract (rpc), school computers
 * (devices), the OpenAPI document and health. Every answer is the result envelope.
 */
import type { SnapshotOptions } from '../sync/snapshot';
import { DEFAULT_SYNC_QUOTA, SyncQuota, type SyncQuotaOptions } from '../sync/quota';
import { isQueryName } from '../../src-shared/policy/queries';
import type { Devices } from '../auth/devices';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isMethod } from '../../src-shared/contract/methods';
import { describeIssues } from '../../src-shared/ops/envelope';
import { refuseChars } from '../../src-shared/ops/text';
import type { Auth, Principal } from '../auth/service';
import { MESSAGES } from '../auth/service';
import { DEVICE_MESSAGES } from '../auth/devices';
import type { Schools } from '../schools/registry';
import type { OpLogStore, SessionKind } from '../store/types';
import type { Clock } from '../../src-main/commands/execute';
import { actorOf } from '../../src-main/journal/facts';
import type { SigninHistory } from '../../src-shared/contract/admin';
import { sendFailure, statusOf, UPLOAD_BODY_LIMIT } from './errors';
import { openApi } from './openapi';

export const COOKIE = 'ej_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface RouteDeps {
  auth: Auth;
  schools: Schools;
  store: OpLogStore;
  clock: Clock;
  version: string;
  /** Sync snapshots: freshness, compression; a test-only throttle (sync/snapshot.ts). */
  snapshots?: SnapshotOptions;
  /** School computers: enrolment, sign-ins, revocation (auth/devices.ts). */
  devices: Devices;
  /** Push quotas (sync/quota.ts); default DEFAULT_SYNC_QUOTA. */
  syncQuota?: SyncQuotaOptions;
}

const LoginBody = z.object({
  // The same character rule as every text of the journal (text.ts): a login is one line.
  login: z.string({ error: 'укажите логин' }).trim().min(1, 'укажите логин').max(64, 'логин не длиннее 64 символов').superRefine(refuseChars('Логин', 'line')),
  password: z.string({ error: 'укажите пароль' }).min(1, 'укажите пароль').max(256, 'пароль не длиннее 256 символов'),
  session: z.enum(['cookie', 'bearer'], { error: 'session: «cookie» или «bearer»' }).default('cookie'),
});

const AllowedBody = z.object({
  accounts: z.array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'идентификатор учётной записи')).max(500).nullable(),
});

const EnrollBody = z.object({
  name: z.string({ error: 'укажите название компьютера' }).trim().min(1, 'укажите название компьютера').max(120, 'название не длиннее 120 символов'),
  deviceId: z.string().regex(/^(?!srv-)[A-Za-z0-9_-]{1,32}$/, 'идентификатор устройства: латинские буквы, цифры, «-» и «_», до 32 символов').optional(),
});

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : '';
}

function clearCookie(reply: FastifyReply, req: FastifyRequest): void {
  reply.clearCookie(COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' });
}

export function registerRoutes(app: FastifyInstance, d: RouteDeps): void {
  app.decorateRequest('principal', null);
  const webQuota = new SyncQuota(d.syncQuota ?? DEFAULT_SYNC_QUOTA);

  /** The session behind the request (Authorization: Bearer, else the cookie), or a 401 sent. */
  async function requireSession(req: FastifyRequest, reply: FastifyReply): Promise<Principal | null> {
    const header = bearer(req);
    const kind: SessionKind = header !== undefined ? 'bearer' : 'cookie';
    const token = header ?? req.cookies[COOKIE];
    const p = await d.auth.session(token, kind);
    if (!p) {
      if (kind === 'cookie' && token) clearCookie(reply, req);
      sendFailure(reply, 'unauthenticated', MESSAGES.noSession);
      return null;
    }
    req.principal = p;
    return p;
  }

  async function requireAdmin(req: FastifyRequest, reply: FastifyReply, refusal = 'Компьютеры школы регистрирует ответственный за техподдержку (п. 9.6)'): Promise<Principal | null> {
    const p = await requireSession(req, reply);
    if (!p) return null;
    const actor = await d.auth.actor(p);
    if (!actor || actor.blocked) {
      sendFailure(reply, actor ? 'blocked' : 'unauthenticated', actor ? MESSAGES.blocked : MESSAGES.noSession);
      return null;
    }
    if (!actor.roles.includes('admin')) {
      sendFailure(reply, 'forbidden', refusal);
      return null;
    }
    return p;
  }

  // ── sessions ───────────────────────────────────────────────────────────────
  app.post('/api/v1/auth/login', async (req, reply) => {
    const body = LoginBody.safeParse(req.body ?? {});
    if (!body.success) return sendFailure(reply, 'bad_input', `Неверные данные для входа: ${describeIssues(body.error)}`);
    const r = await d.auth.login(body.data.login, body.data.password, req.ip, body.data.session);
    if (!r.ok) {
      req.log.info({ outcome: r.code }, 'login refused');
      if (r.retryAfter) reply.header('Retry-After', String(r.retryAfter));
      if (r.code === 'breach') return reply.code(r.status).send({ ok: false, error: { code: r.code, message: r.message, requirement: 'R-BREACH', clause: 'п. 10.4' } });
      return sendFailure(reply, r.code, r.message);
    }
    req.log.info({ schoolId: r.schoolId, accountId: r.accountId, kind: r.kind }, 'login');
    const me = await whoAmI(d, { schoolId: r.schoolId, accountId: r.accountId });
    if (r.kind === 'cookie') {
      reply.setCookie(COOKIE, r.token, {
        path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https',
        maxAge: Math.max(1, Math.round((Date.parse(r.expiresAt) - d.clock.now()) / 1000)),
      });
      return { ok: true, value: { ...me, expiresAt: r.expiresAt } };
    }
    return { ok: true, value: { ...me, token: r.token, expiresAt: r.expiresAt } };
  });

  app.post('/api/v1/auth/logout', async (req, reply) => {
    const p = await requireSession(req, reply);
    if (!p) return reply;
    await d.auth.logout(p);
    if (p.kind === 'cookie') clearCookie(reply, req);
    req.log.info({ schoolId: p.schoolId, accountId: p.accountId }, 'logout');
    return { ok: true, value: {} };
  });

  app.get('/api/v1/auth/me', async (req, reply) => {
    const p = await requireSession(req, reply);
    if (!p) return reply;
    if ((await d.auth.actor(p))?.blocked) return sendFailure(reply, 'blocked', MESSAGES.blocked);
    const me = await whoAmI(d, p);
    if (!me) return sendFailure(reply, 'unauthenticated', MESSAGES.noSession);
    return { ok: true, value: { ...me, expiresAt: p.expiresAt } };
  });

  // ── the contract ───────────────────────────────────────────────────────────
  async function rpc(req: FastifyRequest, reply: FastifyReply, method: string) {
    const p = req.principal ?? await requireSession(req, reply);
    if (!p) return reply;
    if (!isMethod(method)) return sendFailure(reply, 'unknown_method', `Неизвестный метод «${method.slice(0, 60)}»: см. /api/v1/openapi.json`);
    const replica = await d.schools.find(p.schoolId);
    if (!replica) return sendFailure(reply, 'unauthenticated', MESSAGES.noSession);
    // Every change goes into the permanent log: a bounded number per account (sync/quota.ts).
    if (!isQueryName(method)) {
      const key = `web:${p.schoolId}:${p.accountId}`;
      const wait = webQuota.take(new Map([[`${key}:burst`, ['webWrites', 1]], [`${key}:day`, ['webWritesDaily', 1]]]), d.clock.now());
      if (wait > 0) {
        req.log.warn({ schoolId: p.schoolId, accountId: p.accountId, method }, 'rpc: write quota exceeded');
        reply.header('Retry-After', String(wait));
        return sendFailure(reply, 'rate_limited', `Слишком много изменений подряд: повторите через ${Math.ceil(wait / 60)} мин. Действие не выполнено`);
      }
    }
    const { result, json } = await replica.callJson(p.accountId, method, req.body);
    if (!result.ok) req.log.info({ schoolId: p.schoolId, accountId: p.accountId, method, code: result.error.code, requirement: result.error.requirement }, 'rpc refused');
    return reply.code(statusOf(result)).type('application/json; charset=utf-8').send(json);
  }
  app.post('/api/v1/rpc/:method', async (req, reply) => rpc(req, reply, (req.params as { method: string }).method));
  // A list file (R-IMPORT) is larger than any other request: these two routes take up to the
  // import's limit, and only from the administrator's session — checked before the body is read.
  const IMPORT_ADMIN_ONLY = 'Загрузку списков из файлов выполняет ответственный за техподдержку (п. 9.6)';
  for (const method of ['import.preview', 'import.apply'] as const) {
    app.post(`/api/v1/rpc/${method}`, {
      bodyLimit: UPLOAD_BODY_LIMIT,
      onRequest: async (req, reply) => { if (!(await requireAdmin(req, reply, IMPORT_ADMIN_ONLY))) return reply; },
    }, async (req, reply) => rpc(req, reply, method));
  }

  // ── sign-in history (R-ACCOUNTS, п. 9.1, 9.6, 10.3) ──────────────────────────
  // The technical administrator and the director see any account's; everyone sees their own.
  // Another school's account, or one that does not exist, is «not found».
  app.get('/api/v1/accounts/:accountId/signins', async (req, reply) => {
    const p = await requireSession(req, reply);
    if (!p) return reply;
    const { accountId } = req.params as { accountId: string };
    const actor = await d.auth.actor(p);
    if (!actor || actor.blocked) return sendFailure(reply, actor ? 'blocked' : 'unauthenticated', actor ? MESSAGES.blocked : MESSAGES.noSession);
    if (accountId !== p.accountId && !actor.roles.some((r) => r === 'admin' || r === 'director')) {
      return sendFailure(reply, 'forbidden', 'Историю входов видят ответственный за техподдержку, директор и сам владелец учётной записи (п. 9.6, 10.3)');
    }
    const replica = await d.schools.find(p.schoolId);
    if (!replica || !actorOf(replica.view, accountId)) return sendFailure(reply, 'not_found', 'Учётная запись не найдена');
    const logins = await d.store.logins(p.schoolId, accountId, 100);
    const names = new Map((await d.store.devices(p.schoolId)).map((x) => [x.deviceId, x.name]));
    const computers = await d.store.signins(p.schoolId, { accountId }, 100);
    return {
      ok: true,
      value: {
        logins: logins.map((l) => ({ at: l.at, kind: l.kind, address: l.address, outcome: l.outcome })),
        computers: computers.map((c) => ({ at: c.at, deviceId: c.deviceId, deviceName: names.get(c.deviceId) ?? null, method: c.method })),
      } satisfies SigninHistory,
    };
  });

  // ── school computers (desktop replicas, docs/security.md) ──────────────────
  // Enrolment: a staff member of a role the school allows (rule settings `sync.enrolRoles`); never a family.
  app.post('/api/v1/devices', async (req, reply) => {
    const p = await requireSession(req, reply);
    if (!p) return reply;
    const body = EnrollBody.safeParse(req.body ?? {});
    if (!body.success) return sendFailure(reply, 'bad_input', `Неверные данные компьютера: ${describeIssues(body.error)}`);
    const r = await d.devices.enrol(p, body.data.name, body.data.deviceId);
    if (!r.ok) {
      req.log.info({ schoolId: p.schoolId, accountId: p.accountId, code: r.code }, 'device enrolment refused');
      return sendFailure(reply, r.code, r.message);
    }
    req.log.info({ schoolId: p.schoolId, deviceId: r.deviceId, by: p.accountId }, 'device enrolled');
    return { ok: true, value: { schoolId: p.schoolId, deviceId: r.deviceId, name: body.data.name, token: r.token, accountId: p.accountId, key: r.key } };
  });

  app.get('/api/v1/devices', async (req, reply) => {
    const p = await requireAdmin(req, reply);
    if (!p) return reply;
    const list = await d.store.devices(p.schoolId);
    const value = [];
    for (const { tokenHash: _h, schoolId: _s, ...rest } of list) {
      const signins = await d.store.signins(p.schoolId, { deviceId: rest.deviceId }, 20);
      const held = (await d.store.heldOps(p.schoolId, rest.deviceId)).length;
      value.push({ ...rest, held, signins: signins.map((x) => ({ accountId: x.accountId, at: x.at, method: x.method })) });
    }
    return { ok: true, value };
  });

  app.post('/api/v1/devices/:deviceId/revoke', async (req, reply) => {
    const p = await requireAdmin(req, reply);
    if (!p) return reply;
    const { deviceId } = req.params as { deviceId: string };
    const done = await d.store.revokeDevice(p.schoolId, deviceId, new Date(d.clock.now()).toISOString());
    if (!done) return sendFailure(reply, 'not_found', `Компьютер «${deviceId.slice(0, 40)}» не найден или уже отозван`);
    req.log.info({ schoolId: p.schoolId, deviceId, by: p.accountId }, 'device revoked');
    return { ok: true, value: {} };
  });

  // Who may work on a computer: a list of staff accounts, or null for the school's staff (R-PRIVACY: never a family).
  app.put('/api/v1/devices/:deviceId/accounts', async (req, reply) => {
    const p = await requireAdmin(req, reply);
    if (!p) return reply;
    const { deviceId } = req.params as { deviceId: string };
    const body = AllowedBody.safeParse(req.body ?? {});
    if (!body.success) return sendFailure(reply, 'bad_input', `Неверный список учётных записей: ${describeIssues(body.error)}`);
    const replica = await d.schools.find(p.schoolId);
    if (!replica) return sendFailure(reply, 'unauthenticated', MESSAGES.noSession);
    for (const id of body.data.accounts ?? []) {
      const kind = replica.view.stmt('SELECT person_kind FROM account WHERE id = ?').pluck().get(id) as string | undefined;
      if (kind !== 'staff') return sendFailure(reply, 'bad_input', `«${id}»: на компьютерах школы работают только её работники (п. 5.11, 9.6)`);
    }
    const done = await d.store.setDeviceAllowed(p.schoolId, deviceId, body.data.accounts);
    if (!done) return sendFailure(reply, 'not_found', `Компьютер «${deviceId.slice(0, 40)}» не найден`);
    req.log.info({ schoolId: p.schoolId, deviceId, by: p.accountId, accounts: body.data.accounts?.length ?? 'staff' }, 'device accounts set');
    return { ok: true, value: {} };
  });

  // What a revoked computer pushed after its revocation: kept aside for review, never applied.
  app.get('/api/v1/devices/:deviceId/held', async (req, reply) => {
    const p = await requireAdmin(req, reply);
    if (!p) return reply;
    const { deviceId } = req.params as { deviceId: string };
    if (!(await d.store.device(p.schoolId, deviceId))) return sendFailure(reply, 'not_found', `Компьютер «${deviceId.slice(0, 40)}» не найден`);
    const rows = await d.store.heldOps(p.schoolId, deviceId);
    return { ok: true, value: rows.map(({ schoolId: _s, ...r }) => ({ ...r, payload: JSON.parse(r.payload) as unknown })) };
  });

  app.get('/api/v1/devices/self', async (req, reply) => {
    const a = await d.devices.authenticate(bearer(req));
    if (!a.ok) return sendFailure(reply, 'unauthenticated', a.revoked ? DEVICE_MESSAGES.revoked : DEVICE_MESSAGES.unknown, a.revoked ? 'device_revoked' : undefined);
    const dev = a.device;
    await d.store.touchDevice(dev.schoolId, dev.deviceId, new Date(d.clock.now()).toISOString());
    return { ok: true, value: { schoolId: dev.schoolId, deviceId: dev.deviceId, name: dev.name, enrolledAt: dev.enrolledAt } };
  });

  // ── about the server ───────────────────────────────────────────────────────
  let spec: unknown;
  app.get('/api/v1/openapi.json', async (_req, reply) => reply.header('Cache-Control', 'no-cache').send((spec ??= openApi(d.version))));

  // 200 `ok`; 503 `degraded` while a school's replica is being rebuilt (its requests get 503 too),
  // with the schools, since when and why; 503 with an error when the store does not answer.
  app.get('/api/v1/health', async (req, reply) => {
    try {
      await d.store.ping();
      const schools = (await d.store.schools()).length;
      const damaged = d.schools.damaged();
      if (damaged.length) {
        return reply.code(503).header('Retry-After', '60').send({ ok: true, value: { status: 'degraded', store: d.store.kind, schools, version: d.version, rebuilding: damaged } });
      }
      return { ok: true, value: { status: 'ok', store: d.store.kind, schools, version: d.version } };
    } catch (err) {
      req.log.error({ err: { message: (err as Error).message } }, 'health: store unavailable');
      return reply.code(503).send({ ok: false, error: { code: 'internal', message: 'Хранилище сервера недоступно' } });
    }
  });
}

interface Me {
  schoolId: string;
  schoolName: string;
  accountId: string;
  login: string;
  roles: string[];
  person: { kind: string; id: string; name: string } | null;
  /** A parent's own children, a student's own record (R-PRIVACY: nobody else's). */
  children: { id: string; name: string; className: string | null }[];
}

/** Who is signed in: the account, its roles and school, and (for a family) their own children only. */
export async function whoAmI(d: RouteDeps, p: { schoolId: string; accountId: string }): Promise<Me | undefined> {
  const replica = await d.schools.find(p.schoolId);
  if (!replica) return undefined;
  const j = replica.view;
  const a = j.stmt('SELECT id, login, roles, person_kind AS kind, person_id AS personId FROM account WHERE id = ?').get(p.accountId) as
    { id: string; login: string; roles: string; kind: string; personId: string } | undefined;
  if (!a) return undefined;
  const table = a.kind === 'staff' ? 'staff' : a.kind === 'parent' ? 'parent' : a.kind === 'student' ? 'student' : null;
  const fio = (r: { last_name: string; first_name: string; middle_name: string | null }) => [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');
  const personRow = table ? j.stmt(`SELECT last_name, first_name, middle_name FROM ${table} WHERE id = ?`).get(a.personId) as { last_name: string; first_name: string; middle_name: string | null } | undefined : undefined;
  const childRows = a.kind === 'parent'
    ? j.stmt(`SELECT s.id, s.last_name, s.first_name, s.middle_name, c.grade, c.letter FROM parent_student ps JOIN student s ON s.id = ps.student_id
        LEFT JOIN class c ON c.id = s.class_id WHERE ps.parent_id = ? ORDER BY s.last_name, s.first_name`).all(a.personId)
    : a.kind === 'student'
      ? j.stmt('SELECT s.id, s.last_name, s.first_name, s.middle_name, c.grade, c.letter FROM student s LEFT JOIN class c ON c.id = s.class_id WHERE s.id = ?').all(a.personId)
      : [];
  const school = (j.stmt('SELECT name FROM school WHERE id = 1').pluck().get() as string | undefined) ?? p.schoolId;
  return {
    schoolId: p.schoolId, schoolName: school, accountId: a.id, login: a.login, roles: JSON.parse(a.roles) as string[],
    person: personRow ? { kind: a.kind, id: a.personId, name: fio(personRow) } : null,
    children: (childRows as { id: string; last_name: string; first_name: string; middle_name: string | null; grade: number | null; letter: string | null }[])
      .map((c) => ({ id: c.id, name: fio(c), className: c.grade ? `${c.grade}${c.letter ?? ''}` : null })),
  };
}
