/**
 * Answers of the sync server come content-encoded (gzip, asked for by the client): the client
 * decodes the raw bytes itself so it can count what was on the wire (client.ts `readBody`), and so
 * does the Node transport for its `text()` (transport.ts).
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** An answer bigger than this after decompression is refused (a broken or hostile server). */
const ANSWER_LIMIT = 64 * 1024 * 1024;

/** Decodes a body by its `content-encoding` (identity, gzip, br, deflate); throws on anything else. */
export function decodeBody(raw: Uint8Array, encoding: string | null): Buffer {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  const opts = { maxOutputLength: ANSWER_LIMIT };
  switch (enc) {
    case '': case 'identity': return buf;
    case 'gzip': case 'x-gzip': return gunzipSync(buf, opts);
    case 'br': return brotliDecompressSync(buf, opts);
    case 'deflate': return inflateSync(buf, opts);
    default: throw new Error(`unsupported content-encoding ${enc}`);
  }
}
