/**
 * Snapshots for bootstrap and repair (docs/sync.md): the school's replica state at server
 * seq S as one compressed SQLite file. The replica is caught up with the store under the school's
 * mutex; the copy is `VACUUM INTO` from a read-only connection in a worker thread — one read
 * transaction (WAL), consistent and holding the S it was committed with, while writers and the
 * event loop go on. The copy is then stripped to what a desktop needs — the state tables without
 * indexes (the desktop inserts the rows into its own indexed tables), no op log / outbox (the
 * history stays on the server; the desktop records that its own starts at S), meta reduced to
 * format, school, S and schema — and compressed with brotli (quality 5, 16 MB window): on the
 * 1500-student demo 2.8 MB against 3.5 MB for gzip -9 and 8.4 MB with the op log
 * (bench/sync-bootstrap.ts).
 *
 * Files are cached per (school, S) under `<school dir>/snapshots/` and reused while fresh
 * (head moved by at most `maxLag` ops and younger than `maxAgeMs`); the previous file is kept
 * so that a download resumed with If-Range after a regeneration still gets the bytes it began.
 * The folder is 0700 and every file in it 0600, temp files included (personal data).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Clock } from '../../src-main/commands/execute';
import { stateTables } from '../../src-main/journal/checksum';
import type { Schools } from '../schools/registry';
import type { SchoolReplica } from '../schools/replica';

export const SNAPSHOT_ENCODING = 'br';

export interface SnapshotOptions {
  /** Reuse a cached snapshot while the head moved by at most this many ops (default 2000). */
  maxLag?: number;
  /** … and while it is younger than this (default 1 hour). */
  maxAgeMs?: number;
  /** brotli quality (default 5). */
  quality?: number;
  /**
   * Test-only: send the file in chunks of `chunk` bytes with `delayMs` between them, so that a
   * kill test can cut a download in the middle. Never set in production.
   */
  throttle?: { chunk: number; delayMs: number };
}

export interface SnapshotInfo {
  schoolId: string;
  /** The server seq the state is at. */
  seq: number;
  /** Journal schema (applied migrations) of the state tables. */
  schema: number;
  /** sha256 (hex) of the compressed file: also its ETag. */
  sha256: string;
  /** Compressed size. */
  bytes: number;
  /** Uncompressed SQLite file size. */
  rawBytes: number;
  encoding: typeof SNAPSHOT_ENCODING;
  createdAt: number;
  file: string;
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/** `min` above the school's head: the client's cursor is not from this server (a bad request). */
export class SnapshotBeyondHead extends Error {
  override readonly name = 'SnapshotBeyondHead';
}

const KEEP = 2;
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

function narrow(path: string, mode: number): void {
  if (process.platform !== 'win32' && existsSync(path)) chmodSync(path, mode);
}

/** Makes, caches and finds snapshots; one generation at a time per school. */
export class Snapshots {
  private readonly current = new Map<string, SnapshotInfo[]>();
  private readonly making = new Map<string, Promise<SnapshotInfo>>();

  constructor(private readonly schools: Schools, private readonly clock: Clock, private readonly log: Logger, readonly o: SnapshotOptions = {}) {}

  /**
   * A snapshot of the school at some S ≥ `min`, fresh by the options: a cached one, or a new one.
   * Undefined when the school is not on this server.
   */
  async latest(schoolId: string, min = 0): Promise<SnapshotInfo | undefined> {
    const replica = await this.schools.find(schoolId);
    if (!replica) return undefined;
    const list = this.cached(replica);
    const head = replica.serverSeq;
    if (min > head) throw new SnapshotBeyondHead(`Снимок не новее № ${head} на сервере, запрошен от № ${min}`);
    const top = list[0];
    const fresh = top && top.seq >= min && head - top.seq <= (this.o.maxLag ?? 2000) && this.clock.now() - top.createdAt <= (this.o.maxAgeMs ?? 3_600_000);
    if (fresh) return top;
    let p = this.making.get(schoolId);
    if (!p) {
      p = this.make(replica).finally(() => this.making.delete(schoolId));
      this.making.set(schoolId, p);
    }
    const made = await p;
    // A generation that began before `min` was reached: make another (rare: min ≤ head always).
    return made.seq >= min ? made : this.latest(schoolId, min);
  }

  /** A cached snapshot by its sha256 (If-Range of a resumed download), if still kept. */
  async bySha(schoolId: string, sha256: string): Promise<SnapshotInfo | undefined> {
    const replica = await this.schools.find(schoolId);
    if (!replica) return undefined;
    return this.cached(replica).find((s) => s.sha256 === sha256);
  }

  private dir(replica: SchoolReplica): string {
    return join(dirname(replica.file), 'snapshots');
  }

  /** The school's kept snapshots, newest first (read from disk on first use). */
  private cached(replica: SchoolReplica): SnapshotInfo[] {
    let list = this.current.get(replica.schoolId);
    if (list) return list;
    list = [];
    const dir = this.dir(replica);
    if (existsSync(dir)) {
      narrow(dir, PRIVATE_DIR);
      for (const f of readdirSync(dir)) {
        narrow(join(dir, f), PRIVATE_FILE);
        // Left by a generation that a crash or a kill cut short (one server per data folder).
        if (f.startsWith('make-')) rmSync(join(dir, f), { force: true });
        if (!f.endsWith('.json')) continue;
        try {
          const info = JSON.parse(readFileSync(join(dir, f), 'utf8')) as SnapshotInfo;
          if (info.schoolId === replica.schoolId && existsSync(info.file) && statSync(info.file).size === info.bytes) list.push(info);
        } catch {
          // A half-written sidecar: ignored, the file is removed with the next generation.
        }
      }
    }
    list.sort((a, b) => b.seq - a.seq || b.createdAt - a.createdAt);
    this.current.set(replica.schoolId, list);
    return list;
  }

  private async make(replica: SchoolReplica): Promise<SnapshotInfo> {
    const t0 = performance.now();
    const dir = this.dir(replica);
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    narrow(dir, PRIVATE_DIR);
    const tmp = join(dir, `make-${process.pid}-${Date.now()}`);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // Caught up with the store under the school's mutex; the copy is then one read transaction on
    // its own connection (WAL): consistent, with the S it contains, and writers never wait for it.
    const l0 = performance.now();
    await replica.exclusive((r) => r.catchUp());
    const lockedMs = performance.now() - l0;
    const done = new Promise<{ seq: number; schema: number; rawBytes: number }>((resolve, reject) => {
      const w = new Worker(SNAPSHOT_WORKER, { eval: true, workerData: { driver, state: stateTables(replica.view.sqlite), file: replica.file, raw: `${tmp}.sqlite`, out: `${tmp}.br`, quality: this.o.quality ?? 5 } });
      w.on('message', (m: { done?: { seq: number; schema: number; rawBytes: number }; error?: string }) => {
        if (m.done) resolve(m.done);
        else if (m.error !== undefined) reject(new SnapshotError(`Снимок школы не сделан: ${m.error}`));
      });
      w.once('error', reject);
      w.once('exit', (code) => { if (code !== 0) reject(new SnapshotError(`Снимок школы не сделан: поток завершился с кодом ${code}`)); });
    });
    const result = await done.finally(() => rmSync(`${tmp}.sqlite`, { force: true }));
    try {
      const bytes = readFileSync(`${tmp}.br`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = join(dir, `${result.seq}-${sha256.slice(0, 16)}.${SNAPSHOT_ENCODING}`);
      renameSync(`${tmp}.br`, file);
      const info: SnapshotInfo = { schoolId: replica.schoolId, seq: result.seq, schema: result.schema, sha256, bytes: bytes.length, rawBytes: result.rawBytes, encoding: SNAPSHOT_ENCODING, createdAt: this.clock.now(), file };
      writeFileSync(`${file}.json.tmp`, JSON.stringify(info), { mode: PRIVATE_FILE });
      renameSync(`${file}.json.tmp`, `${file}.json`);
      const list = [info, ...this.cached(replica).filter((s) => s.file !== file)];
      for (const old of list.splice(KEEP)) {
        rmSync(old.file, { force: true });
        rmSync(`${old.file}.json`, { force: true });
      }
      this.current.set(replica.schoolId, list);
      this.log.info({ schoolId: replica.schoolId, seq: info.seq, bytes: info.bytes, rawBytes: info.rawBytes, lockedMs: Math.round(lockedMs), ms: Math.round(performance.now() - t0) }, 'sync snapshot made');
      return info;
    } finally {
      rmSync(`${tmp}.br`, { force: true });
    }
  }
}

/**
 * The worker: copies the replica with VACUUM INTO from a read-only connection (one read
 * transaction: the state and its server_seq together), then strips and compresses the copy.
 */
const SNAPSHOT_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const Database = require(w.driver);
try {
  for (const f of [w.raw, w.raw + '-journal', w.raw + '-wal', w.raw + '-shm']) fs.rmSync(f, { force: true });
  // VACUUM INTO fills an empty file: made 0600 first, the copy (and its -journal) stays private.
  fs.writeFileSync(w.raw, '', { mode: 0o600 });
  const src = new Database(w.file, { readonly: true, fileMustExist: true });
  try { src.prepare('VACUUM INTO ?').run(w.raw); } finally { src.close(); }
  const db = new Database(w.raw, { fileMustExist: true });
  let seq, schema;
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('foreign_keys = OFF');
    // The replica's cursor (a replica of a version before 0.2 named it server_seq); the snapshot file names it server_seq, its S.
    seq = Number(db.prepare("SELECT value FROM meta WHERE key IN ('sync.cursor', 'server_seq') ORDER BY key = 'sync.cursor' DESC LIMIT 1").pluck().get());
    schema = db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
    const school = db.prepare("SELECT value FROM meta WHERE key = 'school_id'").pluck().get();
    db.transaction(() => {
      // Only the state goes: the log (however it is stored), the outbox and the server's meta are emptied.
      for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all()) {
        if (!w.state.includes(t) && t !== '__drizzle_migrations') db.exec('DELETE FROM "' + t + '"');
      }
      // What is private to some computers never goes into the one file every computer gets: password
      // verifiers and private messages (docs/security.md). A computer fetches its own share after the
      // snapshot (GET /api/v1/sync/private); the sync checksum leaves both out.
      db.exec('UPDATE account SET verifier = NULL');
      db.exec('DELETE FROM message');
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      put.run('format', 'ejournal-snapshot');
      put.run('school_id', String(school));
      put.run('server_seq', String(seq));
      put.run('schema', String(schema));
      for (const n of db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").pluck().all()) db.exec('DROP INDEX "' + n + '"');
    })();
    db.exec('VACUUM');
  } finally { db.close(); }
  if (!Number.isInteger(seq)) throw new Error('no server_seq in the replica');
  const raw = fs.readFileSync(w.raw);
  const out = zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: w.quality,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  } });
  fs.writeFileSync(w.out, out, { mode: 0o600 });
  parentPort.postMessage({ done: { seq, schema, rawBytes: raw.length } });
} catch (e) { parentPort.postMessage({ error: String((e && e.message) || e) }); }
`;
