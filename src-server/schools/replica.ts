/**
 * The server's replica of one school: just another replica — an SQLite journal file
 * (`<data>/schools/<schoolId>/replica.sqlite`) with its own device id `srv-<schoolId>`, built by
 * the same apply code from the store's log. It is a cache: the store is authoritative; a replica
 * that is missing, corrupt or behind is rebuilt (from the store's snapshot, then the log) or caught
 * up on open. Its own snapshot is the file itself plus the `server_seq` it has applied (meta).
 *
 * Writes are serialized per school by a mutex. A web command runs `dispatch` inside one open
 * replica transaction; the ops it produced are appended to the store (server_seq assigned, last
 * seq per device moved — one store transaction, guarded by the replica's head); only then does
 * the replica commit, with server_seq recorded and its outbox cleared. If the store refuses or
 * fails, the replica rolls back: nothing changed anywhere. Concurrent commands are group-committed
 * (one store transaction for a batch; each command its own savepoint, so one refusal never touches
 * the others). Reads run on a second, read-only connection and never wait for writes.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Op } from '../../src-shared/ops/envelope';
import { parseOp } from '../../src-shared/ops/envelope';
import { isMethod, type Result } from '../../src-shared/contract/methods';
import { isQueryName } from '../../src-shared/policy/queries';
import { openJournal, type Journal } from '../../src-main/journal/open';
import { applyOp } from '../../src-main/journal/apply';
import { readLog } from '../../src-main/journal/log';
import { dispatch } from '../../src-main/commands/dispatch';
import type { Clock } from '../../src-main/commands/execute';
import { StoreError, type OpLogStore } from '../store/types';
import { Mutex } from './mutex';
import { outboxCount, removeFromOutbox } from '../../src-main/journal/outbox';

export const replicaDevice = (schoolId: string) => `srv-${schoolId}`;

/** A replica's write handle while the school's mutex is held (the sync endpoints build on it). */
export interface LockedReplica {
  readonly journal: Journal;
  readonly serverSeq: number;
  /**
   * Runs `fn` in one replica transaction; every op it applied (own commands, or foreign ops
   * applied with `applyOp`) is appended to the store before the replica commits. Returns `fn`'s
   * value. If the store's head moved (another writer), rolls back, catches up and runs `fn` again.
   */
  write<T>(fn: (j: Journal) => T): Promise<T>;
  /** Applies the store's ops the replica has not seen yet. */
  catchUp(): Promise<number>;
}

export interface ReplicaOptions {
  schoolId: string;
  /** `<data>/schools/<schoolId>` */
  dir: string;
  store: OpLogStore;
  clock: Clock;
  log: Logger;
  /** Put a snapshot in the store after this many new ops (default 20 000). */
  snapshotEvery?: number;
  /**
   * The diary and the gradebook are answered from a per-school cache while nothing was written to
   * the school and for at most this many ms (default 30 000; 0 = off). Keyed by account, method
   * and input, so the policy's decision is part of what is cached; any write to the school
   * invalidates it at once. (Their answers depend on time only through a substitution recorded
   * for a future moment.)
   */
  readCacheMs?: number;
}

export class ReplicaError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'ReplicaError';
  }
}

interface Queued { accountId: string; method: string; input: unknown; resolve: (r: Result<unknown>) => void }

const CATCH_UP_PAGE = 2000;
const READ_CACHE_ENTRIES = 4000;
/**
 * Reads that may be answered from the cache: the hot, heavy ones whose answer is a function of
 * the journal alone (not of the clock — `session.get`, `class.summary` … show "now").
 */
const CACHEABLE = new Set(['diary.week', 'gradebook.get']);
export const DEFAULT_READ_CACHE_MS = 30_000;
const MAX_BATCH = 64;
const REPLICA = 'replica.sqlite';

const storeFailure: Result<never> = {
  ok: false,
  error: { code: 'internal', message: 'Сервер не смог сохранить изменение: оно не выполнено. Повторите попытку позже' },
};

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

function toOp(o: Op): Op {
  return { device: o.device, seq: o.seq, author: o.author, kind: o.kind, version: o.version, payload: o.payload, hlc: o.hlc };
}

export class SchoolReplica {
  readonly device: string;
  readonly file: string;
  private writer!: Journal;
  private reader!: Journal;
  private seq = 0;
  private snapshotSeq = 0;
  private snapshotting: Promise<unknown> | null = null;
  private readonly lock = new Mutex();
  private queue: Queued[] = [];
  private readonly cache = new Map<string, { seq: number; until: number; result: Result<unknown>; json: Buffer }>();
  private draining = false;
  private closed = false;

  private constructor(private readonly o: ReplicaOptions) {
    this.device = replicaDevice(o.schoolId);
    this.file = join(o.dir, REPLICA);
  }

  get schoolId(): string {
    return this.o.schoolId;
  }

  /** The last server_seq applied. */
  get serverSeq(): number {
    return this.seq;
  }

  /** Opens (or rebuilds) the replica and catches it up with the store. */
  static async open(o: ReplicaOptions): Promise<SchoolReplica> {
    const r = new SchoolReplica(o);
    await r.lock.run(() => r.ensure());
    r.maybeSnapshot();
    return r;
  }

  // ── reads ──────────────────────────────────────────────────────────────────
  /** A contract read, on the read-only connection (sees every committed write at once). */
  read(accountId: string, method: string, input: unknown): Result<unknown> {
    return this.readAnswer(accountId, method, input).result;
  }

  /** A read and its JSON (cached together, encoded: a repeated read costs no query, no stringify, no UTF-8). */
  private readAnswer(accountId: string, method: string, input: unknown): { result: Result<unknown>; json: Buffer } {
    const ttl = this.o.readCacheMs ?? DEFAULT_READ_CACHE_MS;
    const run = () => dispatch({ journal: this.reader, accountId, clock: this.o.clock }, method, input);
    if (ttl <= 0 || !CACHEABLE.has(method)) {
      const result = run();
      return { result, json: Buffer.from(JSON.stringify(result)) };
    }
    const key = `${accountId}\u0000${method}\u0000${JSON.stringify(input ?? null)}`;
    const now = performance.now();
    const hit = this.cache.get(key);
    if (hit && hit.seq === this.seq && hit.until > now) return hit;
    const seq = this.seq;
    const result = run();
    // Expiry spread over [ttl/2, ttl]: entries made together do not all expire together.
    const answer = { seq, until: now + ttl * (0.5 + Math.random() / 2), result, json: Buffer.from(JSON.stringify(result)) };
    if (result.ok) {
      this.cache.delete(key);
      this.cache.set(key, answer);
      if (this.cache.size > READ_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    }
    return answer;
  }

  /** The read-only journal, for the auth layer's look-ups (accounts, the person's children). */
  get view(): Journal {
    return this.reader;
  }

  // ── writes ─────────────────────────────────────────────────────────────────
  /** A contract method from the web: reads answer at once, changes are group-committed. */
  call(accountId: string, method: string, input: unknown): Promise<Result<unknown>> {
    if (!isMethod(method) || isQueryName(method)) return Promise.resolve(this.read(accountId, method, input));
    return this.command(accountId, method, input);
  }

  /** `call` with the answer's JSON text (the HTTP endpoint sends it as is). */
  async callJson(accountId: string, method: string, input: unknown): Promise<{ result: Result<unknown>; json: Buffer }> {
    if (!isMethod(method) || isQueryName(method)) return this.readAnswer(accountId, method, input);
    const result = await this.command(accountId, method, input);
    return { result, json: Buffer.from(JSON.stringify(result)) };
  }

  command(accountId: string, method: string, input: unknown): Promise<Result<unknown>> {
    if (this.closed) return Promise.resolve(storeFailure);
    return new Promise((resolve) => {
      this.queue.push({ accountId, method, input, resolve });
      if (!this.draining) {
        this.draining = true;
        // After this turn's I/O: every request that arrived with this one joins its batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        let results: Result<unknown>[];
        try {
          results = await this.exclusive((r) => r.write((j) => batch.map((c) => dispatch({ journal: j, accountId: c.accountId, clock: this.o.clock }, c.method, c.input))));
        } catch (err) {
          this.o.log.error({ err: errorSummary(err), schoolId: this.schoolId, commands: batch.length }, 'store append failed; commands not applied');
          results = batch.map(() => storeFailure);
        }
        batch.forEach((c, k) => c.resolve(results[k]!));
      }
    } finally {
      this.draining = false;
    }
    this.maybeSnapshot();
  }

  /** Holds the school's mutex: nothing else writes this replica until `fn` settles. */
  exclusive<T>(fn: (r: LockedReplica) => Promise<T>): Promise<T> {
    return this.lock.run(() => {
      if (this.closed) throw new ReplicaError(`Реплика школы «${this.schoolId}» закрыта`);
      const handle = Object.defineProperties({ write: <R>(f: (j: Journal) => R) => this.writeLocked(f), catchUp: () => this.catchUpLocked() }, {
        journal: { get: () => this.writer, enumerable: true },
        serverSeq: { get: () => this.seq, enumerable: true },
      }) as LockedReplica;
      return fn(handle);
    });
  }

  private rollback(): void {
    if (this.writer.sqlite.inTransaction) this.writer.sqlite.exec('ROLLBACK');
  }

  private async writeLocked<T>(fn: (j: Journal) => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const j = this.writer;
      const posBefore = j.stmt('SELECT coalesce(max(pos), 0) FROM op_log').pluck().get() as number;
      j.sqlite.exec('BEGIN IMMEDIATE');
      let value: T;
      let ops: Op[];
      try {
        value = fn(j);
        if (!j.sqlite.inTransaction) throw new ReplicaError('Транзакция реплики прервана SQLite');
        ops = [...readLog(j, posBefore)].map(toOp);
      } catch (err) {
        this.rollback();
        throw err;
      }
      if (ops.length === 0) {
        j.sqlite.exec('COMMIT');
        return value;
      }
      let acks;
      try {
        acks = await this.o.store.append(this.schoolId, ops, { expectHead: this.seq, receivedAt: new Date(this.o.clock.now()).toISOString() });
      } catch (err) {
        this.rollback();
        if (err instanceof StoreError && err.code === 'head_moved' && attempt < 3) {
          await this.catchUpLocked();
          continue;
        }
        throw err;
      }
      try {
        const setSeq = j.stmt('UPDATE op_log SET server_seq = ? WHERE device = ? AND seq = ?');
        for (const a of acks) {
          setSeq.run(a.serverSeq, a.device, a.seq);
          if (a.device === this.device) removeFromOutbox(j, a.seq);
        }
        const last = acks.reduce((m, a) => Math.max(m, a.serverSeq), this.seq);
        j.setMeta('server_seq', String(last));
        j.sqlite.exec('COMMIT');
        this.seq = last;
      } catch (err) {
        // The store has the ops but the replica could not commit them: it is behind — catch up
        // from the log (own ops come back from there too).
        this.o.log.warn({ err: errorSummary(err), schoolId: this.schoolId }, 'replica commit failed after the store append; catching up');
        this.rollback();
        await this.catchUpLocked();
      }
      return value;
    }
  }

  // ── building and catching up ───────────────────────────────────────────────
  private async ensure(): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true });
    const school = await this.o.store.school(this.schoolId);
    if (!school) throw new ReplicaError(`Школа «${this.schoolId}» не зарегистрирована на сервере`);
    let j = this.tryOpen(school.head);
    if (!j) {
      await this.rebuild(school.head);
      j = this.tryOpen(school.head);
      if (!j) throw new ReplicaError(`Не удалось построить реплику школы «${this.schoolId}»`);
    }
    this.writer = j;
    this.seq = Number(j.meta('server_seq') ?? '0');
    this.snapshotSeq = Number(j.meta('snapshot_seq') ?? '0');
    await this.catchUpLocked();
    this.reader = openJournal(this.file, { readonly: true });
  }

  /** The existing replica file if it is sound and belongs here; otherwise removes it. */
  private tryOpen(head: number): Journal | undefined {
    if (!existsSync(this.file)) return undefined;
    let j: Journal | undefined;
    try {
      j = openJournal(this.file, { durability: 'normal' });
      const problem =
        j.meta('school_id') !== this.schoolId ? 'another school'
          : j.device !== this.device ? 'another device'
            : Number(j.meta('server_seq') ?? 'NaN') > head ? 'ahead of the store'
              : Number.isNaN(Number(j.meta('server_seq'))) ? 'no server_seq'
                : outboxCount(j) > 0 ? 'unsent ops in the outbox'
                  : null;
      if (!problem) return j;
      this.o.log.warn({ schoolId: this.schoolId, problem }, 'replica discarded; rebuilding from the store');
      j.close();
    } catch (err) {
      this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica unreadable; rebuilding from the store');
      j?.close();
    }
    removeDb(this.file);
    return undefined;
  }

  /** A new replica file: from the store's snapshot when there is one, else from an empty journal; then the log. */
  private async rebuild(head: number): Promise<void> {
    const t0 = performance.now();
    const tmp = join(this.o.dir, `${REPLICA}.tmp-${process.pid}`);
    removeDb(tmp);
    let j: Journal | undefined;
    try {
      const snap = await this.o.store.getSnapshot(this.schoolId);
      if (snap && snap.serverSeq <= head) {
        writeFileSync(tmp, snap.bytes);
        try {
          j = openJournal(tmp, { durability: 'off' });
          if (j.meta('school_id') !== this.schoolId || j.device !== this.device || Number(j.meta('server_seq')) !== snap.serverSeq) throw new ReplicaError('snapshot of another replica');
        } catch (err) {
          this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'store snapshot unusable; replaying the whole log');
          j?.close();
          j = undefined;
          removeDb(tmp);
        }
      }
      if (!j) {
        j = openJournal(tmp, { create: true, device: this.device, durability: 'off' });
        j.sqlite.transaction(() => {
          j!.setMeta('school_id', this.schoolId);
          j!.setMeta('server_seq', '0');
        })();
      }
      this.writer = j;
      this.seq = Number(j.meta('server_seq'));
      const applied = await this.catchUpLocked();
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      j.close();
      renameSync(tmp, this.file);
      this.o.log.info({ schoolId: this.schoolId, ops: applied, serverSeq: this.seq, fromSnapshot: !!snap, ms: Math.round(performance.now() - t0) }, 'replica rebuilt');
    } catch (err) {
      j?.close();
      removeDb(tmp);
      throw err;
    }
  }

  private async catchUpLocked(): Promise<number> {
    let applied = 0;
    for (;;) {
      const page = await this.o.store.readSince(this.schoolId, this.seq, CATCH_UP_PAGE);
      if (page.length === 0) return applied;
      const j = this.writer;
      j.sqlite.transaction(() => {
        const setSeq = j.stmt('UPDATE op_log SET server_seq = ? WHERE pos = ?');
        const own = { seq: 0, hlc: '', id: 0 };
        for (const stored of page) {
          let pos: number;
          try {
            pos = applyOp(j, parseOp(toOp(stored)));
          } catch (err) {
            throw new ReplicaError(`Операция № ${stored.serverSeq} школы «${this.schoolId}» (${stored.device}/${stored.seq}, ${stored.kind}) не применяется к реплике: ${(err as Error).message}`, err);
          }
          setSeq.run(stored.serverSeq, pos);
          if (stored.device === this.device) {
            own.seq = Math.max(own.seq, stored.seq);
            if (stored.hlc > own.hlc) own.hlc = stored.hlc;
            own.id = Math.max(own.id, maxOwnId(this.device, stored.payload));
          }
        }
        // Own ops that come back from the log (a rebuild, or a commit lost after the append)
        // move this device's counters past them, so new ops and ids never collide.
        if (own.seq && own.seq >= Number(j.meta('next_seq') ?? '1')) j.setMeta('next_seq', String(own.seq + 1));
        if (own.hlc && own.hlc > (j.meta('hlc') ?? '')) j.setMeta('hlc', own.hlc);
        if (own.id && own.id >= Number(j.meta('next_id') ?? '1')) j.setMeta('next_id', String(own.id + 1));
        j.setMeta('server_seq', String(page[page.length - 1]!.serverSeq));
      })();
      this.seq = page[page.length - 1]!.serverSeq;
      applied += page.length;
    }
  }

  // ── snapshots ──────────────────────────────────────────────────────────────
  private maybeSnapshot(): void {
    const every = this.o.snapshotEvery ?? 20_000;
    if (this.closed || this.snapshotting || this.seq - this.snapshotSeq < every) return;
    this.snapshotting = this.snapshot()
      .catch((err: unknown) => this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'snapshot failed'))
      .finally(() => { this.snapshotting = null; });
  }

  /**
   * Puts a consistent copy of the replica into the store with the server_seq it contains. The
   * copy (VACUUM INTO from a read-only connection) runs in a worker thread: the server keeps
   * answering, and writers are not blocked (WAL).
   */
  async snapshot(): Promise<number> {
    const tmp = join(this.o.dir, `snapshot.tmp-${process.pid}-${Date.now()}`);
    try {
      const serverSeq = await copyInWorker(this.file, tmp);
      await this.o.store.putSnapshot(this.schoolId, { serverSeq, bytes: await readFile(tmp), createdAt: new Date(this.o.clock.now()).toISOString() });
      await this.lock.run(async () => {
        if (!this.closed) this.writer.setMeta('snapshot_seq', String(serverSeq));
      });
      this.snapshotSeq = serverSeq;
      this.o.log.info({ schoolId: this.schoolId, serverSeq }, 'snapshot stored');
      return serverSeq;
    } finally {
      removeDb(tmp);
    }
  }

  async close(): Promise<void> {
    await this.lock.run(async () => {
      this.closed = true;
    });
    await this.snapshotting;
    for (const q of this.queue.splice(0)) q.resolve(storeFailure);
    this.reader?.close();
    this.writer?.close();
  }
}

const SNAPSHOT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try { db.prepare('VACUUM INTO ?').run(workerData.out); } finally { db.close(); }
  const copy = new Database(workerData.out, { readonly: true, fileMustExist: true });
  try { parentPort.postMessage({ seq: Number(copy.prepare("SELECT value FROM meta WHERE key = 'server_seq'").pluck().get()) }); } finally { copy.close(); }
} catch (e) { parentPort.postMessage({ error: String((e && e.message) || e) }); }
`;

/** VACUUM INTO `out` in a worker thread; resolves to the server_seq inside the copy. */
function copyInWorker(file: string, out: string): Promise<number> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const w = new Worker(SNAPSHOT_WORKER, { eval: true, workerData: { driver, file, out } });
    w.once('message', (m: { seq?: number; error?: string }) => (m.error !== undefined || !Number.isInteger(m.seq) ? reject(new ReplicaError(`Снимок реплики не сделан: ${m.error ?? 'нет server_seq'}`)) : resolve(m.seq!)));
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new ReplicaError(`Снимок реплики не сделан: поток завершился с кодом ${code}`)); });
  });
}

/** The largest `<device>-<base36>` id counter an op's payload mentions (ids this replica made). */
function maxOwnId(device: string, payload: unknown): number {
  const re = new RegExp(`"${device.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}-([0-9a-z]+)"`, 'g');
  let max = 0;
  for (const m of JSON.stringify(payload).matchAll(re)) max = Math.max(max, parseInt(m[1]!, 36));
  return max;
}

/** An error for the log: its kind and message, never a stack full of data. */
export function errorSummary(err: unknown): { type: string; message: string; code?: string } {
  const e = err as { name?: string; message?: string; code?: string };
  return { type: e?.name ?? typeof err, message: String(e?.message ?? err).slice(0, 300), ...(e?.code ? { code: String(e.code) } : {}) };
}
