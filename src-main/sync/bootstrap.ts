/**
 * Snapshot bootstrap and repair on the desktop (docs/sync.md).
 *
 * Bootstrap: a fresh journal file (nothing pulled, nothing in the log) downloads the school's state
 * at server seq S (`GET /api/v1/sync/snapshot`) into `<db>.snapshot.part` — resumed with
 * `Range` + `If-Range` after a cut, so the bytes of two snapshots never mix — checks its sha256,
 * decompresses it and installs it: the state tables and a base copy of them (journal/base.ts),
 * `sync.cursor = sync.base_seq = S`; this device's identity and meta stay. The normal pull goes on
 * from S. History below S is not on the desktop (`sync.snapshot_seq`/`sync.snapshot_at` say where it
 * starts; `sync.base_seq` moves forward at sync's quiet points, journal/base.ts).
 *
 * Repair: a checksum mismatch with the server fetches a snapshot at (at least) the cursor and
 * installs it the same way; the log keeps its history, pending own ops are folded again on top
 * of the new base.
 *
 * Nothing here touches the journal until the downloaded file is complete and verified; the install
 * is one transaction.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Journal } from '../journal/open';
import { stateTables } from '../journal/checksum';
import { refoldState } from '../journal/refold';
import { writeBase } from '../journal/base';

export interface SnapshotResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** The body as it comes, chunk by chunk (a cut ends it early or throws). */
  body: AsyncIterable<Uint8Array>;
}
/** A streaming GET (the snapshot can be megabytes over a slow link: written as it arrives). */
export type SnapshotDownload = (url: string, headers: Record<string, string>) => Promise<SnapshotResponse>;

export interface SnapshotClientOptions {
  /** Default: `httpDownload` (node:http/https, no transparent decompression). */
  download?: SnapshotDownload;
  /** Where `.snapshot.part` goes for an in-memory journal (default: the OS temp folder). */
  dir?: string;
  /** Called as bytes arrive: received in this request, offset in the file, the file's size. */
  onProgress?: (p: { received: number; offset: number; total: number }) => void;
}

export interface SnapshotContext {
  journal: Journal;
  server: string;
  token: string;
  snapshot: SnapshotClientOptions;
  /** Bytes actually received, as they arrive (the sync report's byte accounting). */
  count: (bytes: number) => void;
}

export class SnapshotUnavailable extends Error {
  override readonly name = 'SnapshotUnavailable';
}

export class SnapshotFailed extends Error {
  override readonly name = 'SnapshotFailed';
}

interface PartInfo { etag: string; sha256: string; seq: number; total: number; encoding: string; schema: number; rawBytes: number; deviceLastSeq?: number }

const RAW_LIMIT = 1024 * 1024 * 1024;

function schemaOf(j: Journal): number {
  return j.stmt('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number;
}

/** A journal that has pulled nothing and holds no ops: bootstrap it from a snapshot. */
export function isFresh(j: Journal): boolean {
  if (Number(j.meta('sync.cursor') ?? '0') > 0) return false;
  return j.stmt('SELECT 1 FROM op_log LIMIT 1').get() === undefined;
}

function header(h: IncomingHttpHeaders, name: string): string | null {
  const v = h[name.toLowerCase()];
  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

/** A streaming GET over node:http/https (bytes as on the wire, nothing decoded). */
export const httpDownload: SnapshotDownload = (url, headers) => new Promise((resolve, reject) => {
  const u = new URL(url);
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: 'GET', headers, timeout: 60_000 }, (res) => {
    resolve({ status: res.statusCode ?? 0, headers: { get: (n) => header(res.headers, n) }, body: res });
  });
  req.on('timeout', () => req.destroy(new Error(`no answer from ${u.host} in 60 s`)));
  req.on('error', reject);
  req.end();
});

function paths(j: Journal, o: SnapshotClientOptions): { part: string; info: string; raw: string } {
  const base = j.file === ':memory:' || j.file === '' ? join(o.dir ?? tmpdir(), `ejournal-${j.device}`) : j.file;
  return { part: `${base}.snapshot.part`, info: `${base}.snapshot.part.json`, raw: `${base}.snapshot.sqlite` };
}

function readPart(p: { part: string; info: string }): { info: PartInfo; size: number } | undefined {
  if (!existsSync(p.part) || !existsSync(p.info)) return undefined;
  try {
    const info = JSON.parse(readFileSync(p.info, 'utf8')) as PartInfo;
    const size = statSync(p.part).size;
    if (!/^[0-9a-f]{64}$/.test(info.sha256) || size > info.total) return undefined;
    return { info, size };
  } catch {
    return undefined;
  }
}

function dropPart(p: { part: string; info: string }): void {
  rmSync(p.part, { force: true });
  rmSync(p.info, { force: true });
}

/** The snapshot's description from a 200/206 answer's headers. */
function infoOf(r: SnapshotResponse, total: number): PartInfo {
  const sha256 = r.headers.get('x-snapshot-sha256') ?? '';
  const seq = Number(r.headers.get('x-snapshot-seq'));
  if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isSafeInteger(seq) || seq < 0 || !Number.isSafeInteger(total) || total <= 0) {
    throw new SnapshotFailed('Сервер прислал снимок без контрольной суммы или номера');
  }
  return {
    etag: r.headers.get('etag') ?? `"${sha256}"`, sha256, seq, total,
    encoding: r.headers.get('x-snapshot-encoding') ?? 'br',
    schema: Number(r.headers.get('x-snapshot-schema') ?? 'NaN'),
    rawBytes: Number(r.headers.get('x-snapshot-raw-bytes') ?? '0'),
    ...(r.headers.get('x-device-last-seq') !== null ? { deviceLastSeq: Number(r.headers.get('x-device-last-seq')) } : {}),
  };
}

/**
 * Downloads a snapshot (at least `min`) into `<db>.snapshot.part`, resuming a cut download of the
 * same snapshot. Returns its description once the file is complete and its sha256 verified.
 * Throws `SnapshotUnavailable` when the server has no snapshots (an older server: pull from 0).
 */
export async function downloadSnapshot(c: SnapshotContext, min: number): Promise<{ info: PartInfo; file: string }> {
  const p = paths(c.journal, c.snapshot);
  const download = c.snapshot.download ?? httpDownload;
  const url = new URL(`api/v1/sync/snapshot${min > 0 ? `?min=${min}` : ''}`, c.server).toString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const had = readPart(p);
    if (!had) dropPart(p);
    // A part of a snapshot older than needed: start again.
    const resume = had && had.info.seq >= min && had.size > 0 ? had : undefined;
    if (had && !resume) dropPart(p);
    const headers: Record<string, string> = { authorization: `Bearer ${c.token}`, accept: 'application/octet-stream' };
    if (resume && resume.size < resume.info.total) {
      headers.range = `bytes=${resume.size}-`;
      headers['if-range'] = resume.info.etag;
    }
    let info: PartInfo;
    let offset: number;
    if (resume && resume.size === resume.info.total) {
      info = resume.info;
      offset = resume.size;
    } else {
      const r = await download(url, headers);
      if (r.status === 404) throw new SnapshotUnavailable('server has no snapshot endpoint');
      if (r.status === 416) {
        // The part does not fit the server's file: drop it and start over.
        await drain(r, c.count);
        dropPart(p);
        continue;
      }
      // A snapshot of another journal schema cannot be installed: do not download it (pull instead).
      if ((r.status === 200 || r.status === 206) && Number(r.headers.get('x-snapshot-schema')) !== schemaOf(c.journal)) {
        (r.body as { destroy?: () => void }).destroy?.();
        throw new SnapshotUnavailable(`snapshot schema ${r.headers.get('x-snapshot-schema')} ≠ journal schema ${schemaOf(c.journal)}`);
      }
      if (r.status === 206) {
        const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
        info = infoOf(r, m ? Number(m[3]) : NaN);
        if (!m || !resume || Number(m[1]) !== resume.size || info.sha256 !== resume.info.sha256) {
          await drain(r, c.count);
          dropPart(p);
          continue;
        }
        offset = resume.size;
      } else if (r.status === 200) {
        info = infoOf(r, Number(r.headers.get('content-length')));
        dropPart(p);
        writeFileSync(p.info, JSON.stringify(info));
        writeFileSync(p.part, '');
        offset = 0;
      } else {
        await drain(r, c.count);
        throw new SnapshotFailed(`Сервер не отдал снимок школы (HTTP ${r.status})`);
      }
      offset = await append(p.part, offset, info.total, r, c);
    }
    if (offset !== info.total) throw new SnapshotFailed(`Снимок школы скачан не полностью (${offset} из ${info.total} байт): продолжим при следующей синхронизации`);
    const sha = createHash('sha256').update(readFileSync(p.part)).digest('hex');
    if (sha !== info.sha256) {
      dropPart(p);
      throw new SnapshotFailed('Снимок школы повреждён при передаче (контрольная сумма не совпала): будет скачан заново');
    }
    return { info, file: p.part };
  }
  throw new SnapshotFailed('Сервер не смог отдать снимок школы');
}

async function drain(r: SnapshotResponse, count: (n: number) => void): Promise<void> {
  for await (const chunk of r.body) count(chunk.byteLength);
}

/** Appends the body at `offset` (fsync at the end); returns the new size. A cut keeps what came. */
async function append(file: string, offset: number, total: number, r: SnapshotResponse, c: SnapshotContext): Promise<number> {
  const fd = openSync(file, 'r+');
  let at = offset;
  let received = 0;
  try {
    for await (const chunk of r.body) {
      c.count(chunk.byteLength);
      received += chunk.byteLength;
      if (at + chunk.byteLength > total) throw new SnapshotFailed('Сервер прислал снимок длиннее объявленного');
      writeSync(fd, chunk, 0, chunk.byteLength, at);
      at += chunk.byteLength;
      c.snapshot.onProgress?.({ received, offset: at, total });
    }
  } catch (err) {
    if (err instanceof SnapshotFailed) throw err;
    // A cut: what came is kept for the next attempt (Range).
  } finally {
    try { fsyncSync(fd); } finally { closeSync(fd); }
  }
  return at;
}

/** The decompressed snapshot next to the journal (`<db>.snapshot.sqlite`). */
function unpack(c: SnapshotContext, d: { info: PartInfo; file: string }): string {
  const p = paths(c.journal, c.snapshot);
  const packed = readFileSync(d.file);
  const limit = { maxOutputLength: Math.min(RAW_LIMIT, d.info.rawBytes > 0 ? d.info.rawBytes : RAW_LIMIT) };
  let raw: Buffer;
  try {
    raw = d.info.encoding === 'gzip' ? gunzipSync(packed, limit) : brotliDecompressSync(packed, limit);
  } catch (err) {
    dropPart(p);
    throw new SnapshotFailed(`Снимок школы не распаковывается: ${(err as Error).message}`);
  }
  rmSync(p.raw, { force: true });
  writeFileSync(p.raw, raw);
  return p.raw;
}

/** Moves next_seq / next_id past this device's ops and ids the snapshot already holds (a lost file of the same device). */
function keepCountersAhead(j: Journal, tables: string[], lastSeq: number | undefined): void {
  if (lastSeq !== undefined && lastSeq >= Number(j.meta('next_seq') ?? '1')) j.setMeta('next_seq', String(lastSeq + 1));
  const prefix = `${j.device}-`;
  let max = 0;
  for (const t of tables) {
    const cols = (j.sqlite.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((x) => x.name);
    if (!cols.includes('id')) continue;
    for (const id of j.sqlite.prepare(`SELECT id FROM "${t}" WHERE substr(id, 1, ?) = ?`).pluck().all(prefix.length, prefix) as string[]) {
      const n = parseInt(id.slice(prefix.length), 36);
      if (Number.isSafeInteger(n)) max = Math.max(max, n);
    }
  }
  if (max >= Number(j.meta('next_id') ?? '1')) j.setMeta('next_id', String(max + 1));
}

/**
 * Installs a downloaded (decompressed) snapshot into the journal in one transaction: the base copy
 * replaced, the state re-folded from it (pending own ops on top), `sync.cursor` moved to S.
 * Checks the file first: a snapshot, of this school, at the announced S, with the same journal
 * schema and every state table. On any failure the journal is unchanged.
 */
export function installSnapshot(j: Journal, file: string, seq: number, o: { deviceLastSeq?: number; at: string }): void {
  const sqlite = j.sqlite;
  const alias = 'snap';
  sqlite.prepare(`ATTACH DATABASE ? AS ${alias} KEY ''`).run(file); // the snapshot is plain, the journal may be encrypted (cipher.ts)
  try {
    const m = (k: string) => sqlite.prepare(`SELECT value FROM ${alias}.meta WHERE key = ?`).pluck().get(k) as string | undefined;
    if (m('format') !== 'ejournal-snapshot') throw new SnapshotFailed('Файл снимка — не снимок школы');
    if (Number(m('server_seq')) !== seq) throw new SnapshotFailed('Снимок школы не того номера, что объявил сервер');
    const school = j.meta('school_id');
    if (school && m('school_id') !== school) throw new SnapshotFailed(`Снимок другой школы (${m('school_id')})`);
    const schema = schemaOf(j);
    if (Number(m('schema')) !== schema) throw new SnapshotUnavailable(`snapshot schema ${m('schema')} ≠ journal schema ${schema}`);
    const tables = stateTables(sqlite);
    const theirs = new Set(sqlite.prepare(`SELECT name FROM ${alias}.sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
    const missing = tables.filter((t) => !theirs.has(t));
    if (missing.length) throw new SnapshotFailed(`В снимке школы нет таблиц: ${missing.join(', ')}`);
    sqlite.pragma('foreign_keys = OFF');
    try {
      sqlite.transaction(() => {
        writeBase(sqlite, alias, tables, seq);
        refoldState(j, { canonical: true });
        if (!school) j.setMeta('school_id', String(m('school_id')));
        if (Number(j.meta('sync.cursor') ?? '0') < seq) j.setMeta('sync.cursor', String(seq));
        j.setMeta('sync.base_at', o.at);
        j.setMeta('sync.snapshot_at', o.at); // sync.snapshot_seq: writeBase (the base moves on, this stays)
        // Ops of unknown kinds at or below S are in the snapshot's state already.
        const unknown = JSON.parse(j.meta('sync.unknown') ?? '[]') as { s: number }[];
        if (unknown.length) j.setMeta('sync.unknown', JSON.stringify(unknown.filter((u) => u.s > seq)));
        keepCountersAhead(j, tables, o.deviceLastSeq);
        const broken = sqlite.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new SnapshotFailed(`Снимок школы не согласован: ${broken.length} нарушений внешних ключей`);
      })();
    } finally {
      sqlite.pragma('foreign_keys = ON');
    }
  } finally {
    sqlite.prepare(`DETACH DATABASE ${alias}`).run();
  }
}

/**
 * Downloads (or resumes) and installs a snapshot at S ≥ `min`. Returns S. Throws
 * `SnapshotUnavailable` when the server cannot give one this client can install (pull instead).
 */
export async function fetchAndInstall(c: SnapshotContext, min: number, at: string): Promise<number> {
  const d = await downloadSnapshot(c, min);
  const p = paths(c.journal, c.snapshot);
  try {
    const raw = unpack(c, d);
    installSnapshot(c.journal, raw, d.info.seq, { at, ...(Number.isSafeInteger(d.info.deviceLastSeq) ? { deviceLastSeq: d.info.deviceLastSeq! } : {}) });
    dropPart(p);
    return d.info.seq;
  } catch (err) {
    // A file that cannot be installed is not kept for a resume.
    dropPart(p);
    throw err;
  } finally {
    rmSync(p.raw, { force: true });
    rmSync(`${p.raw}-journal`, { force: true });
  }
}
