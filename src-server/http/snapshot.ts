/**
 * `GET /api/v1/sync/snapshot[?min=N]` (docs/sync.md): the school's state at server seq S as
 * a compressed SQLite file (sync/snapshot.ts). Resumable: `Accept-Ranges: bytes`, a single
 * `Range: bytes=a-[b]` answers `206` with `Content-Range`; `If-Range: "<sha256>"` names the
 * snapshot the client began — served while it is kept, otherwise the whole current one (`200`),
 * so a resumed download never mixes two snapshots; a range past the end is a `416`.
 * Headers carry S (`X-Snapshot-Seq`), the file's sha256 (`X-Snapshot-Sha256`, also the ETag),
 * the encoding and the journal schema of the state.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SyncAuth } from '../sync/service';
import { SnapshotBeyondHead, Snapshots, type SnapshotInfo, type SnapshotOptions } from '../sync/snapshot';
import { sendFailure } from './errors';
import type { RouteDeps } from './routes';

export type WhoIs = (req: FastifyRequest, reply: FastifyReply) => Promise<SyncAuth | null>;

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end] inclusive; 'bad' if unsatisfiable; null if not a single byte range. */
export function parseRange(h: string, size: number): [number, number] | 'bad' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'bad';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'bad';
  return [start, end];
}

function throttled(file: string, start: number, end: number, t: { chunk: number; delayMs: number }): Readable {
  const src = createReadStream(file, { start, end, highWaterMark: t.chunk });
  return Readable.from((async function* () {
    for await (const chunk of src) {
      yield chunk as Buffer;
      await new Promise((r) => setTimeout(r, t.delayMs));
    }
  })());
}

export function registerSnapshotRoute(app: FastifyInstance, d: RouteDeps & { snapshots?: SnapshotOptions }, who: WhoIs): Snapshots {
  const snapshots = new Snapshots(d.schools, d.clock, app.log as never, d.snapshots ?? {});

  app.get('/api/v1/sync/snapshot', { compress: false }, async (req, reply) => {
    const a = await who(req, reply);
    if (!a) return reply;
    const q = req.query as { min?: string };
    const min = q.min === undefined ? 0 : Number(q.min);
    if (!Number.isSafeInteger(min) || min < 0) return sendFailure(reply, 'bad_input', 'min: целое неотрицательное число');
    const ifRange = req.headers['if-range'];
    const wanted = typeof ifRange === 'string' ? /^"([0-9a-f]{64})"$/.exec(ifRange.trim())?.[1] : undefined;
    // A resumed download gets the snapshot it began if the server still keeps it.
    let s: SnapshotInfo | undefined = wanted ? await snapshots.bySha(a.schoolId, wanted) : undefined;
    const resuming = s !== undefined;
    try {
      s ??= await snapshots.latest(a.schoolId, min);
    } catch (err) {
      if (err instanceof SnapshotBeyondHead) return sendFailure(reply, 'bad_input', err.message);
      throw err;
    }
    if (!s) return sendFailure(reply, 'unauthenticated', 'Школа не найдена на сервере');
    reply.header('cache-control', 'no-store')
      .header('content-type', 'application/octet-stream')
      .header('accept-ranges', 'bytes')
      .header('etag', `"${s.sha256}"`)
      .header('x-snapshot-seq', String(s.seq))
      .header('x-snapshot-sha256', s.sha256)
      .header('x-snapshot-encoding', s.encoding)
      .header('x-snapshot-schema', String(s.schema))
      .header('x-snapshot-raw-bytes', String(s.rawBytes));
    // A desktop re-created with its registered device id must not reuse seqs the server holds.
    if (a.kind === 'device') reply.header('x-device-last-seq', String(await d.store.lastSeq(a.schoolId, a.deviceId)));
    let start = 0;
    let end = s.bytes - 1;
    const range = req.headers.range;
    // If-Range naming another snapshot (or none kept): the Range is ignored, the whole file is sent.
    if (typeof range === 'string' && (ifRange === undefined || resuming)) {
      const r = parseRange(range, s.bytes);
      if (r === 'bad') {
        return reply.code(416).header('content-range', `bytes */${s.bytes}`).header('content-type', 'application/json; charset=utf-8').send({ ok: false, error: { code: 'bad_input', message: `Неверный диапазон «${range}»: размер снимка ${s.bytes} байт` } });
      }
      if (r) {
        [start, end] = r;
        reply.code(206).header('content-range', `bytes ${start}-${end}/${s.bytes}`);
      }
    }
    reply.header('content-length', String(end - start + 1));
    const t = d.snapshots?.throttle;
    return reply.send(t ? throttled(s.file, start, end, t) : createReadStream(s.file, { start, end }));
  });
  return snapshots;
}
