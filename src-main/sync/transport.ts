/**
 * The sync client's HTTP transport on Node: `node:http(s)` without transparent
 * decompression, so the client sees — and counts — the bytes actually on the wire and decodes
 * them itself (`fetch` and Electron's `net.fetch` decompress on their own and hide the size).
 * It implements the client's `SyncFetch`; the client knows nothing of it (it is injected).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SyncFetch, SyncResponse } from './client';
import { decodeBody } from './content-encoding';

const TIMEOUT_MS = 60_000;

function header(h: IncomingHttpHeaders, name: string): string | null {
  const v = h[name.toLowerCase()];
  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

/** A `SyncFetch` over `node:http`/`node:https` that exposes the raw (still encoded) body. */
export const httpFetch: SyncFetch = (url, init) => new Promise<SyncResponse>((resolve, reject) => {
  const u = new URL(url);
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (body) headers['content-length'] = String(body.length);
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: init.method, headers, timeout: TIMEOUT_MS }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const raw = Buffer.concat(chunks);
      const get = (n: string) => header(res.headers, n);
      resolve({
        status: res.statusCode ?? 0,
        headers: { get },
        wireBytes: async () => raw,
        text: async () => decodeBody(raw, get('content-encoding')).toString('utf8'),
      });
    });
  });
  req.on('timeout', () => req.destroy(new Error(`no answer from ${u.host} in ${TIMEOUT_MS / 1000} s`)));
  req.on('error', reject);
  req.end(body);
});
