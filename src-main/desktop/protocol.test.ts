import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, handleAppRequest, safeRelativePath } from './protocol';

const base = mkdtempSync(join(tmpdir(), 'ej-proto-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>ЭЖ</title>');
writeFileSync(join(root, 'assets', 'a.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), 'тайна');
try { symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt')); } catch { /* no symlinks (Windows without rights) */ }
const get = (url: string, method = 'GET') => handleAppRequest({ root }, { method, url });

describe('app:// protocol handler', () => {
  it('serves the renderer with the strict CSP on every answer', async () => {
    const r = await get('app://ejournal/');
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('ЭЖ');
    expect(r.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(r.headers['Content-Security-Policy']).toBe(DESKTOP_CSP);
    expect(DESKTOP_CSP).toContain("script-src 'self'");
    expect(DESKTOP_CSP).toContain("object-src 'none'");
    const js = await get('app://ejournal/assets/a.js');
    expect(js.headers['Content-Type']).toMatch(/javascript/);
    for (const bad of [await get('app://ejournal/nope.js'), await get('app://ejournal/%2e%2e/secret.txt'), await get('app://ejournal/x', 'POST')]) {
      expect(bad.headers['Content-Security-Policy']).toBe(DESKTOP_CSP);
    }
  });

  it('refuses traversal: ../, encoded %2e%2e and %2f, backslashes, absolute and drive paths, NUL', async () => {
    for (const url of [
      'app://ejournal/%2e%2e/secret.txt', 'app://ejournal/assets/%2E%2E/%2e%2e/secret.txt', 'app://ejournal/..%2fsecret.txt',
      'app://ejournal/%2e%2e%5csecret.txt', 'app://ejournal/assets\\..\\..\\secret.txt', 'app://ejournal/C:/Windows/win.ini',
      'app://ejournal//etc/passwd/%00', 'app://ejournal/%252e%252e/secret.txt', 'app://other/index.html', 'file:///etc/passwd',
    ]) {
      const r = await get(url);
      expect([403, 404], url).toContain(r.status);
      expect(String(r.body ?? ''), url).not.toContain('тайна');
    }
    expect(safeRelativePath('app://ejournal/%2e%2e/secret.txt')).toBeNull();
    expect(safeRelativePath('app://ejournal/../../secret.txt')).toBeNull();
    expect((await get('app://ejournal/../../secret.txt')).status).toBe(403);
    expect(safeRelativePath('app://ejournal/assets/a.js')).toBe('assets/a.js');
    // An absolute path is taken relative to the root: /etc/passwd is not there → the UI's index, never the system file.
    const abs = await get('app://ejournal//etc/passwd');
    expect(String(abs.body)).toContain('ЭЖ');
    expect((await get('app://ejournal//etc/passwd.txt')).status).toBe(404);
  });

  it('does not follow a symlink out of the root', async () => {
    const r = await get('app://ejournal/link.txt');
    expect(r.status).toBe(404);
  });

  it('GET and HEAD only; unknown file 404; a route without extension falls back to index.html', async () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await get('app://ejournal/index.html', m);
      expect(r.status).toBe(405);
      expect(r.headers.Allow).toBe('GET, HEAD');
    }
    const head = await get('app://ejournal/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect((await get('app://ejournal/assets/missing.js')).status).toBe(404);
    expect(String((await get('app://ejournal/gradebook/5A')).body)).toContain('ЭЖ');
  });

  it('serves in-memory PDF previews only by their exact name', async () => {
    const pdf = Buffer.from('%PDF-1.7 x');
    const extra = (rel: string) => (rel === 'print/doc-1.pdf' ? { body: pdf, type: 'application/pdf' } : undefined);
    const r = await handleAppRequest({ root, extra }, { method: 'GET', url: 'app://ejournal/print/doc-1.pdf' });
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toBe('application/pdf');
    expect((await handleAppRequest({ root, extra }, { method: 'GET', url: 'app://ejournal/print/doc-2.pdf' })).status).toBe(404);
  });
});
