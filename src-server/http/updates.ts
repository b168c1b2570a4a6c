/**
 * The update feed of the desktop app (electron-updater, `generic` provider): `GET /updates/*`
 * serves the files electron-builder produced (latest.yml, latest-linux.yml, the installers,
 * their .blockmap) from one folder (`ejournal serve --updates DIR`, default `<data>/updates`).
 * Path-traversal safe: decoded once, no `..`, no backslash, no NUL, no hidden files, the real
 * path (symlinks resolved) must stay inside the folder. No folder or no file → 404.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8', '.yaml': 'text/yaml; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.exe': 'application/octet-stream', '.appimage': 'application/octet-stream', '.deb': 'application/vnd.debian.binary-package',
  '.blockmap': 'application/octet-stream', '.zip': 'application/zip',
};

/** The relative file a request path names inside the feed, or null. */
export function updateFile(rawPath: string): string | null {
  let p: string;
  try { p = decodeURIComponent(rawPath); } catch { return null; }
  if (p.includes('\0') || p.includes('\\') || p.includes('%')) return null;
  const parts = p.split('/').filter((x) => x !== '');
  if (parts.length === 0 || parts.some((x) => x === '.' || x === '..' || x.startsWith('.') || /^[A-Za-z]:/.test(x))) return null;
  return parts.join('/');
}

export function updatesFeed(app: FastifyInstance, dir: string | null): void {
  const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('Обновление не найдено');
  app.get('/updates/*', async (req, reply) => {
    const raw = req.url.split('?')[0]!.slice('/updates/'.length);
    const rel = updateFile(raw);
    if (rel === null) return reply.code(400).type('text/plain; charset=utf-8').send('Неверный путь');
    if (!dir) return notFound(reply);
    let root: string;
    try { root = await realpath(dir); } catch { return notFound(reply); }
    const full = resolve(join(root, rel));
    if (!full.startsWith(root + sep)) return reply.code(400).type('text/plain; charset=utf-8').send('Неверный путь');
    let real: string;
    try {
      real = await realpath(full);
      if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) return notFound(reply);
    } catch { return notFound(reply); }
    const size = (await stat(real)).size;
    // latest*.yml must be fresh; installers are named by version and never change.
    reply.header('Cache-Control', /\.ya?ml$/i.test(real) ? 'no-cache' : 'public, max-age=86400');
    reply.header('Content-Length', String(size));
    return reply.type(TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream').send(createReadStream(real));
  });
}
