/**
 * The desktop update feed: `GET /updates/*` serves electron-builder's files (latest.yml,
 * installers) from the `--updates` folder, next to the web UI, and nothing outside that folder.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/support/server';
import { removeTempDirs, storeKinds, tempDir } from '../test/support/stores';
import { updateFile } from './http/updates';

let t: TestServer;
let updates: string;

beforeAll(async () => {
  const h = await storeKinds()[0]!.open();
  updates = join(h.dataDir, 'updates');
  mkdirSync(join(updates, 'win'), { recursive: true });
  writeFileSync(join(updates, 'latest.yml'), 'version: 0.2.0\npath: ejournal-setup-0.2.0.exe\n');
  writeFileSync(join(updates, 'ejournal-setup-0.2.0.exe'), Buffer.alloc(2048, 1));
  writeFileSync(join(updates, '.env'), 'SECRET=1');
  writeFileSync(join(h.dataDir, 'store-secret.txt'), 'тайна');
  try { symlinkSync(join(h.dataDir, 'store-secret.txt'), join(updates, 'link.yml')); } catch { /* no symlinks here */ }
  const ui = tempDir('ejournal-ui-');
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>UI</title>');
  t = await startServer(h, { updatesDir: updates, uiDir: ui });
});
afterAll(async () => { await t.close(); removeTempDirs(); });

const get = (url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => t.server.app.inject({ method, url });

describe('GET /updates/* (electron-updater generic feed)', () => {
  it('serves latest.yml (no-cache) and the installer', async () => {
    const yml = await get('/updates/latest.yml');
    expect(yml.statusCode).toBe(200);
    expect(yml.body).toContain('version: 0.2.0');
    expect(yml.headers['content-type']).toMatch(/yaml/);
    expect(yml.headers['cache-control']).toBe('no-cache');
    const exe = await get('/updates/ejournal-setup-0.2.0.exe');
    expect(exe.statusCode).toBe(200);
    expect(exe.rawPayload.length).toBe(2048);
  });

  it('unknown file 404 (not the web UI\'s index.html)', async () => {
    const r = await get('/updates/latest-linux.yml');
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain('<title>UI');
    expect((await get('/updates/win')).statusCode).toBe(404); // a folder is not a file
  });

  it('refuses traversal: ../, encoded %2e%2e and %2f, backslash, hidden files, symlinks out', async () => {
    for (const url of ['/updates/../package.json', '/updates/%2e%2e/store-secret.txt', '/updates/%2E%2E%2Fstore-secret.txt', '/updates/..%5cstore-secret.txt', '/updates/win/../../store-secret.txt', '/updates/.env', '/updates/%00latest.yml']) {
      const r = await get(url);
      expect([400, 404], url).toContain(r.statusCode);
      expect(r.body, url).not.toMatch(/тайна|SECRET/);
    }
    const link = await get('/updates/link.yml');
    expect(link.body).not.toContain('тайна');
    expect(updateFile('a/b.yml')).toBe('a/b.yml');
    expect(updateFile('%2e%2e/x')).toBeNull();
  });

  it('is read-only', async () => {
    expect((await get('/updates/latest.yml', 'POST')).statusCode).toBe(404);
  });

  it('without a folder every update is 404', async () => {
    const h = await storeKinds()[0]!.open();
    const s = await startServer(h, { updatesDir: join(h.dataDir, 'missing') });
    try {
      expect((await s.server.app.inject({ method: 'GET', url: '/updates/latest.yml' })).statusCode).toBe(404);
    } finally { await s.close(); }
  });
});
