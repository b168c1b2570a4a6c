/**
 * The central server (Fastify 5): accounts and sessions, the contract over HTTP against the
 * server's per-school replicas, the op-log store behind them, and the web UI. `createServer`
 * wires it; `ejournal serve` (cli.ts) starts it.
 */
import { readFileSync } from 'node:fs';
import { constants as zlib } from 'node:zlib';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCompress from '@fastify/compress';
import type { Logger } from 'pino';
import type { ScryptCost } from '../src-main/auth/password';
import { systemClock, type Clock } from '../src-main/commands/execute';
import { Auth, type SessionTtl } from './auth/service';
import { Devices } from './auth/devices';
import type { SyncQuotaOptions } from './sync/quota';
import type { LoginThrottle } from './auth/throttle';
import { Schools } from './schools/registry';
import type { OpLogStore } from './store/types';
import { scheduleStoreBackups } from './store/backup';
import { BODY_LIMIT, errorHandler, sendFailure } from './http/errors';
import { registerRoutes } from './http/routes';
import { registerSyncRoutes } from './http/sync';
import type { SnapshotOptions } from './sync/snapshot';
import { securityHeaders } from './http/security';
import { webUi } from './http/web';
import { updatesFeed } from './http/updates';
import { createLogger } from './log';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions {
  store: OpLogStore;
  /** Replica files live under `<dataDir>/schools/<schoolId>/`. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /** The built UI (dist/renderer); null or missing → a short page at `/`. */
  uiDir?: string | null;
  /** The scrypt cost of real accounts (the dummy verifier for unknown logins matches it). */
  passwordCost?: ScryptCost;
  throttle?: LoginThrottle;
  ttl?: SessionTtl;
  /** Behind a reverse proxy: trust X-Forwarded-For/Proto (client address for rate limits, https for cookies). */
  trustProxy?: boolean;
  snapshotEvery?: number;
  /** Per-school read cache lifetime in ms (default 30 000; 0 = off); any write to the school invalidates it. */
  readCacheMs?: number;
  bodyLimit?: number;
  /** The desktop update feed folder served at /updates/ (electron-updater, generic); null = none. */
  updatesDir?: string | null;
  /** Sync snapshots for bootstrap and repair (sync/snapshot.ts). */
  snapshots?: SnapshotOptions;
  /** Push quotas per computer and account (sync/quota.ts). */
  syncQuota?: SyncQuotaOptions;
  /** Daily backups of a SQLite store go here (`<data>/backups`, store/backup.ts); none when absent. */
  backupsDir?: string | null;
}

/** A route the server answers (collected as Fastify registers them: the access matrix and the OpenAPI test use it). */
export interface RouteEntry { method: string; url: string }

export interface EjournalServer {
  app: FastifyInstance;
  /** Every route registered, HEAD aside: a new route cannot escape the access matrix (access-matrix.test.ts). */
  routes: readonly RouteEntry[];
  schools: Schools;
  auth: Auth;
  devices: Devices;
  store: OpLogStore;
  clock: Clock;
  log: Logger;
  /** Starts listening; resolves to the base URL (port 0 = a free port). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, finishes what is running, closes the replicas and the store. */
  close(): Promise<void>;
}

/** Only JSON is posted to the API: a cross-site form cannot send it (CSRF), and the parser is one. */
function jsonOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || !req.url.startsWith('/api/')) return done();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      sendFailure(reply, 'unsupported_media_type', 'Запрос должен быть в формате JSON (Content-Type: application/json)');
      return;
    }
    done();
  });
}

export async function createServer(o: ServerOptions): Promise<EjournalServer> {
  const clock = o.clock ?? systemClock;
  const log = o.logger ?? createLogger({ level: 'silent' });
  const schools = new Schools({
    store: o.store, dataDir: o.dataDir, clock, log,
    ...(o.snapshotEvery !== undefined ? { snapshotEvery: o.snapshotEvery } : {}),
    ...(o.readCacheMs !== undefined ? { readCacheMs: o.readCacheMs } : {}),
  });
  await schools.openAll();
  const auth = new Auth({ store: o.store, schools, clock, onHistoryError: (err) => log.error({ err }, 'sign-in history: a row was not stored'), ...(o.throttle ? { throttle: o.throttle } : {}), ...(o.ttl ? { ttl: o.ttl } : {}), ...(o.passwordCost ? { passwordCost: o.passwordCost } : {}) });

  const app = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    // One line per request of our own (onResponse), with no headers or bodies.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: o.bodyLimit ?? BODY_LIMIT,
    trustProxy: o.trustProxy ?? false,
    return503OnClosing: true,
  });
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.setErrorHandler(errorHandler);
  app.addHook('onResponse', (req, reply, done) => {
    if (log.isLevelEnabled('info')) {
      req.log.info({ method: req.method, path: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, schoolId: req.principal?.schoolId, accountId: req.principal?.accountId }, 'request');
    }
    done();
  });
  securityHeaders(app);
  jsonOnly(app);
  await app.register(fastifyCookie);
  await app.register(fastifyCompress, {
    global: true, threshold: 1024, encodings: ['br', 'gzip'],
    // Dynamic answers: a fast brotli level (11 costs more CPU than it saves on a 256 kbit/s link).
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  const devices = new Devices({ store: o.store, schools, clock, auth });
  const deps = { auth, devices, schools, store: o.store, clock, version: VERSION, ...(o.snapshots ? { snapshots: o.snapshots } : {}), ...(o.syncQuota ? { syncQuota: o.syncQuota } : {}) };
  registerRoutes(app, deps);
  registerSyncRoutes(app, deps);
  updatesFeed(app, o.updatesDir ?? null);
  await webUi(app, o.uiDir ?? null);
  await app.ready();

  // Expired sessions are removed hourly, school by school (no query spans schools).
  const purge = setInterval(() => {
    void (async () => {
      const now = new Date(clock.now()).toISOString();
      for (const s of await o.store.schools()) await o.store.purgeSessions(s.schoolId, now);
    })().catch((err: unknown) => log.warn({ err: { message: (err as Error).message } }, 'session purge failed'));
  }, 3_600_000);
  purge.unref();

  // The store backed up daily; each school's status bar shows the last backup (meta backup.lastAt).
  const backups = o.backupsDir ? scheduleStoreBackups({
    store: o.store, dir: o.backupsDir, clock,
    onBackup: async (at) => {
      for (const r of await schools.openAll()) await r.exclusive(async (l) => l.journal.setMeta('backup.lastAt', at)).catch(() => undefined);
    },
    onError: (err) => log.error({ err: { message: err.message } }, 'store backup failed'),
  }) : null;

  let closed = false;
  return {
    app, routes, schools, auth, devices, store: o.store, clock, log,
    async listen(port, host) {
      await app.listen({ port, host });
      const addr = app.server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purge);
      await app.close();
      await backups?.stop();
      await schools.closeAll();
      await o.store.close();
    },
  };
}
