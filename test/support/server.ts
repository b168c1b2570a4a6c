/**
 * Servers for tests: tiny schools with passwords (cheap scrypt), a server on a given store, and
 * small HTTP helpers around Fastify's inject (no port) — the real-socket tests listen on port 0.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { SyncFetch } from '../../src-main/sync/client';
import { hashPassword, type ScryptCost } from '../../src-main/auth/password';
import { submit } from '../../src-main/commands/execute';
import { draft } from '../../src-main/journal/log';
import { createServer, type EjournalServer, type ServerOptions } from '../../src-server/app';
import { createLogger } from '../../src-server/log';
import { LoginThrottle } from '../../src-server/auth/throttle';
import { fixedClock, T, tempFile, tinySchool, type TestClock } from './tiny-school';
import { afterEach } from 'vitest';
import { removeOnExit, type StoreHandle, type StoreKind } from './stores';

export const TEST_COST: ScryptCost = { logN: 10, r: 8, p: 1 };
export const PASSWORD = 'Пароль-школы-7';

/** Every account of the tiny school and its login. */
export const ACCOUNTS = [
  [T.admin, 'admin'], [T.teacherAcc, 'teacher'], [T.deputy, 'deputy'], [T.methodist, 'methodist'], [T.substituteAcc, 'sub'], [T.parent, 'parent'], [T.otherParent, 'parent2'],
] as const;

/**
 * A tiny school in a journal file, every account with the password PASSWORD; `prefix` renames
 * the logins (`b.teacher`) for a second school on the same server (logins are unique per server).
 */
export function schoolFile(o: { prefix?: string; device?: string } = {}): string {
  const file = removeOnExit(tempFile());
  const { j, admin } = tinySchool(file, { device: o.device ?? 'dev1' });
  const salt = Buffer.alloc(16, 7);
  if (o.prefix) {
    const rows = j.sqlite.prepare('SELECT id, login, person_kind AS personKind, person_id AS personId, roles FROM account').all() as { id: string; login: string; personKind: 'staff' | 'parent' | 'student'; personId: string; roles: string }[];
    submit(admin, ...rows.map((r) => draft('account.set', { id: r.id, login: `${o.prefix}${r.login}`, personKind: r.personKind, personId: r.personId, roles: JSON.parse(r.roles) as never })));
  }
  submit(admin, ...ACCOUNTS.map(([id]) => draft('account.password', { id, verifier: hashPassword(PASSWORD, TEST_COST, salt) })));
  j.close();
  return file;
}

export interface LogCapture { lines: string[]; text(): string }

export function captureLog(level = 'info'): { logger: ReturnType<typeof createLogger>; capture: LogCapture } {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  return { logger: createLogger({ level, destination: destination as never }), capture: { lines, text: () => lines.join('\n') } };
}

export interface TestServer {
  server: EjournalServer;
  clock: TestClock;
  login(login: string, password?: string, extra?: Record<string, unknown>): Promise<{ status: number; cookie: string | undefined; body: Record<string, unknown> }>;
  /** Logs in and returns the cookie header value; throws if the login fails. */
  cookie(login: string): Promise<string>;
  rpc(cookie: string | undefined, method: string, input: unknown): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string; requirement?: string } } }>;
  close(): Promise<void>;
}

export async function startServer(h: StoreHandle, o: Partial<ServerOptions> & { schools?: { id: string; file: string }[]; at?: string } = {}): Promise<TestServer> {
  const { schools = [], at = '2026-09-10T04:30:00.000Z', ...options } = o;
  const clock = fixedClock(at);
  const server = await createServer({
    store: h.store, dataDir: h.dataDir, clock, passwordCost: TEST_COST,
    throttle: new LoginThrottle({ perLogin: { max: 5, windowMs: 60_000 }, perAddress: { max: 1000, windowMs: 60_000 } }),
    ...options,
  });
  for (const s of schools) await server.schools.importJournal({ schoolId: s.id, file: s.file });
  const login: TestServer['login'] = async (loginName, password = PASSWORD, extra = {}) => {
    const r = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: loginName, password, ...extra } });
    const set = r.headers['set-cookie'];
    const cookie = (Array.isArray(set) ? set[0] : set)?.split(';')[0];
    return { status: r.statusCode, cookie, body: r.json() };
  };
  return {
    server, clock, login,
    async cookie(loginName) {
      const r = await login(loginName);
      if (r.status !== 200 || !r.cookie) throw new Error(`login ${loginName}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.cookie;
    },
    async rpc(cookie, method, input) {
      const r = await server.app.inject({ method: 'POST', url: `/api/v1/rpc/${method}`, payload: input as object, headers: cookie ? { cookie } : {} });
      return { status: r.statusCode, body: r.json() };
    },
    close: () => server.close(),
  };
}

/**
 * The sync client's transport over Fastify's inject (no port): the body comes back as the server
 * wrote it (compressed, if it was) and the client decodes it, as over a socket.
 */
export function injectFetch(app: FastifyInstance): SyncFetch {
  return async (url, init) => {
    const u = new URL(url);
    const payload = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body);
    const r = await app.inject({ method: init.method as 'GET' | 'POST', url: u.pathname + u.search, headers: init.headers, ...(payload !== undefined ? { payload } : {}) });
    return { status: r.statusCode, headers: { get: (n: string) => (r.headers[n.toLowerCase()] as string | undefined) ?? null }, text: async () => r.body, wireBytes: async () => r.rawPayload };
  };
}

/**
 * Enrols a school computer as the administrator (`POST /api/v1/devices`) and returns its device
 * token; then every staff account of the tiny school signs in on it online
 * (`POST /api/v1/sync/signin`), so the server takes their ops from this computer (docs/security.md).
 * `signIn: []` leaves it at the administrator's own sign-in.
 */
export async function deviceToken(t: TestServer, deviceId: string, name = 'Кабинет 5', o: { signIn?: readonly string[]; as?: string } = {}): Promise<string> {
  const cookie = await t.cookie(o.as ?? 'admin');
  const r = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', payload: { name, deviceId }, headers: { cookie } });
  if (r.statusCode !== 200) throw new Error(`device enrolment failed: ${r.statusCode} ${r.body}`);
  const token = (r.json() as { value: { token: string } }).value.token;
  for (const login of o.signIn ?? STAFF_LOGINS) await signInOnComputer(t, token, login);
  return token;
}

/** Staff logins of the tiny school (the accounts that may work on a school computer). */
export const STAFF_LOGINS = ['admin', 'teacher', 'deputy', 'methodist', 'sub'] as const;

/** An online sign-in on a computer (`POST /api/v1/sync/signin`); returns the account's key for it. */
export async function signInOnComputer(t: TestServer, token: string, login: string, password = PASSWORD): Promise<{ accountId: string; key: string; at: string }> {
  const r = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/signin', payload: { login, password }, headers: { authorization: `Bearer ${token}` } });
  if (r.statusCode !== 200) throw new Error(`computer sign-in of ${login} failed: ${r.statusCode} ${r.body}`);
  return (r.json() as { value: { accountId: string; key: string; at: string } }).value;
}

/**
 * A test's server of the tiny school on one store kind, closed after each test: call in a
 * `describe`, then `const t = await open({ …options })` in a test; `defaults` is made anew for each server.
 */
export function tinyServers(kind: StoreKind, defaults: () => Partial<ServerOptions> = () => ({})): ((o?: Parameters<typeof startServer>[1]) => Promise<TestServer>) & { handle(): StoreHandle } {
  let h: StoreHandle | undefined;
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    await h?.cleanup();
    t = undefined;
    h = undefined;
  });
  const open = async (o: Parameters<typeof startServer>[1] = {}) => {
    h = await kind.open();
    t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }], ...defaults(), ...o });
    return t;
  };
  /** The store of the server open now (a second server process on the same store). */
  return Object.assign(open, { handle: () => h! });
}
