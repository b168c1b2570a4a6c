/**
 * The `app://ejournal/` protocol of the desktop shell, electron-free: the renderer (dist/renderer)
 * is served from a privileged scheme instead of file:// (a file:// page may read any file the
 * user can). GET and HEAD only; the path is decoded once, must stay inside the root (no `..`,
 * no encoded `%2e%2e`, no backslashes, no absolute or drive paths, no NUL); every answer carries
 * the strict CSP. Paths without an extension fall back to index.html (the UI routes itself), as
 * on the web server. `extra` serves in-memory files (the PDF previews under /print/).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ejournal';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** The same policy as the web server's (src-server/http/security.ts), nothing remote at all. */
export const DESKTOP_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.pdf': 'application/pdf', '.txt': 'text/plain; charset=utf-8',
};

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | null;
}

export interface AppRequest { method: string; url: string }

function answer(status: number, body: Buffer | string | null, type = 'text/plain; charset=utf-8'): AppResponse {
  return {
    status, body,
    headers: {
      'Content-Type': type, 'Content-Security-Policy': DESKTOP_CSP, 'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache', 'Cross-Origin-Opener-Policy': 'same-origin', 'Referrer-Policy': 'no-referrer',
    },
  };
}

/** The relative file path a URL asks for, or null when it is not a safe path inside the root. */
export function safeRelativePath(url: string): string | null {
  // The raw text first: the URL parser folds `..` and even `%2e%2e` silently; any attempt is refused.
  if (/%2e|%2f|%5c|%00|\\|\/\.\.?(\/|$|\?|#)/i.test(url)) return null;
  let u: URL;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  // Look at the raw path: the URL parser already folds a literal `..`; an encoded one survives.
  let path: string;
  try { path = decodeURIComponent(u.pathname); } catch { return null; }
  if (path.includes('\0') || path.includes('\\') || /%/.test(path)) return null;
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..' || /^[A-Za-z]:/.test(p))) return null;
  return parts.length === 0 ? 'index.html' : parts.join('/');
}

export interface ProtocolOptions {
  /** dist/renderer */
  root: string;
  /** In-memory files by relative path (PDF previews). */
  extra?: (rel: string) => { body: Buffer; type: string } | undefined;
}

export async function handleAppRequest(o: ProtocolOptions, req: AppRequest): Promise<AppResponse> {
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return { ...answer(405, 'Метод не разрешён'), headers: { ...answer(405, null).headers, Allow: 'GET, HEAD' } };
  const rel = safeRelativePath(req.url);
  if (rel === null) return answer(403, 'Запрещено');
  const mem = o.extra?.(rel);
  if (mem) return answer(200, method === 'HEAD' ? null : mem.body, mem.type);
  const root = await realpath(o.root).catch(() => resolve(o.root));
  const tryFile = async (r: string): Promise<string | null> => {
    const full = resolve(join(root, r));
    if (full !== root && !full.startsWith(root + sep)) return null;
    try {
      const real = await realpath(full); // a symlink must not lead out either
      if (!real.startsWith(root + sep)) return null;
      return (await stat(real)).isFile() ? real : null;
    } catch { return null; }
  };
  let file = await tryFile(rel);
  if (!file && extname(rel) === '') file = await tryFile('index.html');
  if (!file) return answer(404, 'Не найдено');
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  return answer(200, method === 'HEAD' ? null : await readFile(file), type);
}
