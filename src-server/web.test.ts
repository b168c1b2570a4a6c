/**
 * Web delivery (R-WEB): the built UI at `/` with a strict CSP and security headers, hashed assets
 * cached for a year, index.html revalidated, brotli/gzip on the wire, and the UI's own routes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storeKinds, tempDir, type StoreHandle, removeTempDirs } from '../test/support/stores';
import { startServer, type TestServer } from '../test/support/server';

afterAll(removeTempDirs);

function uiDir(): string {
  const dir = tempDir('ejournal-ui-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="ru"><head><script type="module" src="/assets/app-3f9a1c.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'app-3f9a1c.js'), `export const journal = ${JSON.stringify('электронный журнал '.repeat(400))};\n`);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('web delivery', () => {
  let h: StoreHandle | undefined;
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    await h?.cleanup();
  });
  async function open(ui: string | null) {
    h = await storeKinds()[0]!.open();
    t = await startServer(h, { uiDir: ui });
    return t.server.app;
  }

  it('serves index.html no-cache with a strict CSP and the usual security headers', async () => {
    const app = await open(uiDir());
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<div id="root">/);
    expect(r.headers['cache-control']).toBe('no-cache');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin' });
  });

  it('caches hashed assets for a year (immutable) and compresses them with brotli or gzip', async () => {
    const app = await open(uiDir());
    const plain = await app.inject({ url: '/assets/app-3f9a1c.js' });
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const br = await app.inject({ url: '/assets/app-3f9a1c.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await app.inject({ url: '/assets/app-3f9a1c.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect((await app.inject({ url: '/favicon.svg' })).headers['cache-control']).toBe('no-cache');
  });

  it('compresses API answers and never lets them be cached', async () => {
    const app = await open(null);
    const r = await app.inject({ url: '/api/v1/openapi.json', headers: { 'accept-encoding': 'br' } });
    expect(r.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(r.rawPayload).toString())).toMatchObject({ openapi: '3.1.0' });
    const health = await app.inject({ url: '/api/v1/health' });
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it('routes the UI\'s own paths to index.html, and unknown files and API paths to 404', async () => {
    const app = await open(uiDir());
    const route = await app.inject({ url: '/diary/2026-09-07' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toMatch(/<div id="root">/);
    expect((await app.inject({ url: '/assets/missing-1234.js' })).statusCode).toBe(404);
    const api = await app.inject({ url: '/api/v1/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const url of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      expect((await app.inject({ url })).body, url).not.toMatch(/root:/);
    }
  });

  it('without a built UI answers / with a short Russian page', async () => {
    const app = await open(null);
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/Веб-интерфейс ещё не собран/);
    expect(r.headers['content-security-policy']).toBeDefined();
  });
});
