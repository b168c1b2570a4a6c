/**
 * openapi.json against the routes the server really registered (`server.routes`): every `/api/`
 * route and the update feed has a path with the same HTTP method (Fastify's `:param` is OpenAPI's
 * `{param}`, the feed's wildcard `*` is `{file}`; the contract's `/api/v1/rpc/:method` is one path
 * per method of the contract), no path documents a route the server does not have, and each
 * operation says who may call it and how it fails.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src-shared/contract/methods';
import { openSqliteStore } from '../store/sqlite';
import { createServer, type EjournalServer } from '../app';
import { removeTempDirs, tempDir } from '../../test/support/stores';

interface Operation { operationId?: string; summary?: string; security?: Record<string, string[]>[]; responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }
interface Spec { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } }

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
const RPC = '/api/v1/rpc/:method';

/** Fastify's route path as an OpenAPI path: `:deviceId` → `{deviceId}`, a trailing `*` → `{file}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{file}');
}

let server: EjournalServer;
let spec: Spec;

beforeAll(async () => {
  const dataDir = tempDir();
  server = await createServer({ store: openSqliteStore(join(dataDir, 'store.sqlite')), dataDir });
  spec = (await server.app.inject({ url: '/api/v1/openapi.json' })).json() as Spec;
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

/** Every documented operation: [method, path]. */
const documented = () => Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => HTTP_METHODS.includes(m)).map((m) => [m.toUpperCase(), path] as const));

describe('openapi.json', () => {
  it('documents every /api/ route and the update feed the server registered, with the same HTTP method', () => {
    const routes = server.routes.filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/updates/'));
    expect(routes.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const r of routes) {
      const paths = r.url === RPC ? METHOD_NAMES.map((m) => `/api/v1/rpc/${m}`) : [openApiPath(r.url)];
      for (const p of paths) if (!spec.paths[p]?.[r.method.toLowerCase()]) missing.push(`${r.method} ${p}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents no route the server does not have', () => {
    const served = new Set(server.routes.filter((r) => r.url !== RPC).map((r) => `${r.method} ${openApiPath(r.url)}`));
    for (const m of METHOD_NAMES) served.add(`POST /api/v1/rpc/${m}`);
    expect(documented().map(([m, p]) => `${m} ${p}`).filter((k) => !served.has(k))).toEqual([]);
  });

  it('names path parameters as the route does', () => {
    for (const [method, path] of documented()) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const params = (spec.paths[path]![method.toLowerCase()]!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(params, `${method} ${path}`).toEqual(names);
    }
  });

  it('says for each operation who may call it (its security scheme) and in Russian what it does; a secured one answers 401', () => {
    const schemes = Object.keys(spec.components.securitySchemes);
    for (const [method, path] of documented()) {
      const op = spec.paths[path]![method.toLowerCase()]!;
      const where = `${method} ${path}`;
      expect(op.operationId, where).toBeTruthy();
      expect(op.summary, where).toMatch(/[А-Яа-яЁё]/);
      expect(op.security, `${where}: no security (use [] for a public route)`).toBeDefined();
      for (const s of op.security!) for (const name of Object.keys(s)) expect(schemes, where).toContain(name);
      if (op.security!.length > 0) expect(Object.keys(op.responses), where).toContain('401');
    }
  });

  it('lets only a computer\'s device token sync, and only a person\'s session manage computers or call the contract', () => {
    const schemesOf = (method: string, path: string) => (spec.paths[path]![method]!.security ?? []).flatMap((s) => Object.keys(s)).sort();
    const sync = documented().filter(([, p]) => p.startsWith('/api/v1/sync/'));
    expect(sync.map(([m, p]) => `${m} ${p}`).sort()).toEqual(['GET /api/v1/sync/private', 'GET /api/v1/sync/pull', 'GET /api/v1/sync/snapshot', 'POST /api/v1/sync/push', 'POST /api/v1/sync/signin']);
    for (const [m, p] of sync) expect(schemesOf(m.toLowerCase(), p), p).toEqual(['device']);
    expect(schemesOf('get', '/api/v1/devices/self')).toEqual(['device']);
    for (const [m, p] of documented().filter(([, p]) => (p.startsWith('/api/v1/devices') && p !== '/api/v1/devices/self') || p.startsWith('/api/v1/rpc/'))) {
      expect(schemesOf(m.toLowerCase(), p), `${m} ${p}`).toEqual(['bearer', 'cookie']);
    }
    for (const p of ['/api/v1/devices/{deviceId}/revoke', '/api/v1/devices/{deviceId}/accounts', '/api/v1/devices/{deviceId}/held']) {
      const op = Object.values(spec.paths[p]!)[0] as Operation & { 'x-roles'?: string[] };
      expect(op['x-roles'], p).toEqual(['admin']);
    }
    expect(Object.keys(spec.paths['/api/v1/sync/push']!.post!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '413', '415', '426', '429']));
    expect(Object.keys(spec.paths['/api/v1/sync/snapshot']!.get!.responses)).toEqual(expect.arrayContaining(['200', '206', '401', '403', '416']));
  });
});
