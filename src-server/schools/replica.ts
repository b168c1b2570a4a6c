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
 *
 * Damage (integrity.ts): at open, a file that is not byte for byte the one the last clean close
 * left (a sidecar digest), or that fails `quick_check`, is moved aside (`replica.sqlite.damaged-…`,
 * kept for inspection) and rebuilt; after a crash or a kill (no sidecar) the replica is rebuilt
 * from the store. While running, an SQLITE_CORRUPT from any statement marks the replica damaged:
 * its requests are answered 503 «Данные школы восстанавливаются…» (never what the damaged file
 * gave), it is moved aside and rebuilt in the background, and health says `degraded` until then.
 * A rebuild goes into a temp file, is checked, fsynced and renamed over: a kill leaves either the
 * old state of things or the new one. Files are 0600 and the folder 0700 (personal data).
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
import { applyOp } from '../../src-main/journal/apply-op';
import { readLog } from '../../src-main/journal/log';
import { dispatch } from '../../src-main/contract/dispatch';
import type { Clock } from '../../src-main/commands/execute';
import { StoreError, type OpLogStore } from '../store/types';
import { Mutex } from './mutex';
import { outboxCount, removeFromOutbox } from '../../src-main/journal/outbox';
import { fsyncPath } from '../../src-main/journal/fsync-dir';
import { CLEAN_MARK, type CleanState, ReplicaUnavailable, dropCleanMark, inspectFile, isCorruption, moveAside, quickCheck, takeCleanMark, watchCorruption, writeCleanMark } from './integrity';
import { PRIVATE_FILE, createPrivateFile, privateDb, privateDir } from './private-files';

export const replicaDevice = (schoolId: string) => `srv-${schoolId}`;

/** The server seq a replica has applied: its sync cursor, the name every replica uses (meta-keys.ts). */
const CURSOR = 'sync.cursor';
/** A replica's cursor; a replica file of a version before 0.2 kept it as `server_seq`. */
export function cursorOf(j: Journal): number | undefined {
  const v = j.meta(CURSOR) ?? j.meta('server_seq');
  return v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
}

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

interface Queued { accountId: string; method: string; input: unknown; resolve: (r: Result<unknown>) => void; reject: (err: unknown) => void }

/** Why a replica is out of service, since when (health reports it). */
export interface ReplicaDamage { since: string; reason: string }

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
/** A background rebuild that failed (the store unreachable) is tried again after this long. */
const REPAIR_RETRY_MS = 30_000;

/** Methods that make logins themselves when none is given (admin/accounts.ts `freeLogin`). */
const MAKES_LOGINS: ReadonlySet<string> = new Set(['account.create', 'accounts.issue']);

const storeFailure: Result<never> = {
  ok: false,
  error: { code: 'internal', message: 'Сервер не смог сохранить изменение: оно не выполнено. Повторите попытку позже' },
};

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try { fsyncSync(fd); } finally { closeSync(fd); }
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
  private damage: ReplicaDamage | null = null;
  private repairing: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Counts rebuilds while running: a copy begun before one is not stored. */
  private generation = 0;

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

  /** Set while the replica is damaged and being rebuilt (its requests are answered 503). */
  get damaged(): ReplicaDamage | null {
    return this.damage;
  }

  /** Resolves when no rebuild is running (tests, and a close). */
  async repaired(): Promise<void> {
    while (this.repairing) await this.repairing;
  }

  /** Opens (or rebuilds) the replica and catches it up with the store. */
  static async open(o: ReplicaOptions): Promise<SchoolReplica> {
    const r = new SchoolReplica(o);
    try {
      await r.lock.run(() => r.ensure());
    } catch (err) {
      r.closed = true;
      r.closeConnections();
      throw err;
    }
    r.maybeSnapshot();
    return r;
  }

  /** Throws the 503 while the replica is out of service. */
  private usable(): void {
    if (this.damage) throw new ReplicaUnavailable(this.schoolId);
  }

  // ── reads ──────────────────────────────────────────────────────────────────
  /** A contract read, on the read-only connection (sees every committed write at once). */
  read(accountId: string, method: string, input: unknown): Result<unknown> {
    return this.readAnswer(accountId, method, input).result;
  }

  /** A read and its JSON (cached together, encoded: a repeated read costs no query, no stringify, no UTF-8). */
  private readAnswer(accountId: string, method: string, input: unknown): { result: Result<unknown>; json: Buffer } {
    this.usable();
    const ttl = this.o.readCacheMs ?? DEFAULT_READ_CACHE_MS;
    const run = () => {
      let result: Result<unknown>;
      try {
        result = dispatch({ journal: this.reader, accountId, clock: this.o.clock }, method, input);
      } catch (err) {
        this.usable();
        throw err;
      }
      // The read met a damaged page (dispatch answers «внутренняя ошибка» for it): nothing it read is sent.
      this.usable();
      return result;
    };
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
    this.usable();
    return this.reader;
  }

  // ── writes ─────────────────────────────────────────────────────────────────
  /** A contract method from the web: reads answer at once, changes are group-committed. */
  async call(accountId: string, method: string, input: unknown): Promise<Result<unknown>> {
    if (!isMethod(method) || isQueryName(method)) return this.read(accountId, method, input);
    return this.command(accountId, method, input);
  }

  /** `call` with the answer's JSON text (the HTTP endpoint sends it as is). */
  async callJson(accountId: string, method: string, input: unknown): Promise<{ result: Result<unknown>; json: Buffer }> {
    if (!isMethod(method) || isQueryName(method)) return this.readAnswer(accountId, method, input);
    const result = await this.command(accountId, method, input);
    return { result, json: Buffer.from(JSON.stringify(result)) };
  }

  /** A change, group-committed; rejects with `ReplicaUnavailable` (503) while the replica is rebuilt. */
  command(accountId: string, method: string, input: unknown): Promise<Result<unknown>> {
    if (this.closed) return Promise.resolve(storeFailure);
    if (this.damage) return Promise.reject(new ReplicaUnavailable(this.schoolId));
    return new Promise((resolve, reject) => {
      this.queue.push({ accountId, method, input, resolve, reject });
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
          results = await this.writeBatch(batch);
        } catch (err) {
          if (err instanceof ReplicaUnavailable) {
            for (const c of batch) c.reject(err);
            continue;
          }
          if (!(err instanceof StoreError && err.code === 'login_taken')) {
            this.o.log.error({ err: errorSummary(err), schoolId: this.schoolId, commands: batch.length }, 'store append failed; commands not applied');
            results = batch.map(() => storeFailure);
          } else {
            // A login taken by another school (logins are unique per server) is one command's
            // conflict, not the batch's: each command is written again on its own, and only the
            // one that takes the login is refused, with the login named.
            for (const c of batch) {
              try {
                c.resolve(await this.writeAlone(c));
              } catch (e) {
                c.reject(e);
              }
            }
            continue;
          }
        }
        batch.forEach((c, k) => c.resolve(results[k]!));
      }
    } finally {
      this.draining = false;
    }
    this.maybeSnapshot();
  }

  private writeBatch(batch: readonly { accountId: string; method: string; input: unknown }[]): Promise<Result<unknown>[]> {
    return this.exclusive((r) => r.write((j) => batch.map((c) => dispatch({ journal: j, accountId: c.accountId, clock: this.o.clock }, c.method, c.input))));
  }

  /**
   * One command written by itself: a login clash is its own `conflict`; any other store failure as
   * for a batch. A command that makes logins itself (admin/accounts.ts: the name and four random
   * digits) is simply made again, with new digits, up to three times.
   */
  private async writeAlone(c: { accountId: string; method: string; input: unknown }): Promise<Result<unknown>> {
    const generated = MAKES_LOGINS.has(c.method) && !(typeof c.input === 'object' && c.input !== null && 'login' in c.input);
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.writeBatch([c]))[0]!;
      } catch (err) {
        if (err instanceof ReplicaUnavailable) throw err;
        if (err instanceof StoreError && err.code === 'login_taken') {
          if (generated && attempt < 3) continue;
          return { ok: false, error: { code: 'conflict', message: `${err.message}: выберите другой логин` } };
        }
        this.o.log.error({ err: errorSummary(err), schoolId: this.schoolId, commands: 1 }, 'store append failed; command not applied');
        return storeFailure;
      }
    }
  }

  /**
   * Holds the school's mutex: nothing else writes this replica until `fn` settles. Rejects with
   * `ReplicaUnavailable` (503) while the replica is damaged, and when `fn` meets the damage.
   */
  exclusive<T>(fn: (r: LockedReplica) => Promise<T>): Promise<T> {
    if (this.damage && !this.closed) return Promise.reject(new ReplicaUnavailable(this.schoolId));
    return this.lock.run(async () => {
      if (this.closed) throw new ReplicaError(`Реплика школы «${this.schoolId}» закрыта`);
      this.usable();
      const handle = Object.defineProperties({ write: <R>(f: (j: Journal) => R) => this.writeLocked(f), catchUp: () => this.catchUpLocked() }, {
        journal: { get: () => this.writer, enumerable: true },
        serverSeq: { get: () => this.seq, enumerable: true },
      }) as LockedReplica;
      try {
        return await fn(handle);
      } catch (err) {
        if (isCorruption(err)) this.markDamaged(err);
        if (this.damage) {
          this.rollback();
          throw new ReplicaUnavailable(this.schoolId);
        }
        throw err;
      }
    });
  }

  private rollback(): void {
    try {
      if (this.writer?.sqlite.open && this.writer.sqlite.inTransaction) this.writer.sqlite.exec('ROLLBACK');
    } catch {
      // A damaged file may refuse even this; the connection is closed by the rebuild.
    }
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
        // A command that met a damaged page was answered «внутренняя ошибка» by dispatch: nothing of the batch goes to the store.
        this.usable();
        if (!j.sqlite.inTransaction) throw new ReplicaError('Транзакция реплики прервана SQLite');
        ops = [...readLog(j, posBefore)].map(toOp);
        this.usable();
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
        j.setMeta(CURSOR, String(last));
        j.sqlite.exec('COMMIT');
        this.seq = last;
      } catch (err) {
        // The store has the ops but the replica could not commit them: it is behind — catch up
        // from the log (own ops come back from there too). A damaged replica gets them from the
        // store when it is rebuilt.
        this.o.log.warn({ err: errorSummary(err), schoolId: this.schoolId }, 'replica commit failed after the store append; catching up');
        this.rollback();
        this.usable();
        await this.catchUpLocked();
      }
      return value;
    }
  }

  // ── damage while running ───────────────────────────────────────────────────
  /** An SQLITE_CORRUPT on one of the replica's connections: out of service, rebuilt in the background. */
  private markDamaged(err: unknown): void {
    if (this.damage || this.closed) return;
    this.damage = { since: new Date().toISOString(), reason: errorSummary(err).message };
    this.cache.clear();
    this.o.log.error({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica damaged; answering 503 and rebuilding it from the store');
    this.scheduleRepair();
  }

  private scheduleRepair(): void {
    if (this.closed || this.repairing) return;
    this.repairing = this.lock.run(() => this.repairLocked())
      .catch((err: unknown) => {
        this.o.log.error({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica rebuild failed; trying again in 30 s');
        if (this.closed) return;
        this.retry = setTimeout(() => { this.retry = null; this.scheduleRepair(); }, REPAIR_RETRY_MS);
        this.retry.unref();
      })
      .finally(() => { this.repairing = null; });
  }

  /** Moves the damaged file aside, rebuilds from the store, reopens. Holds the school's mutex. */
  private async repairLocked(): Promise<void> {
    if (this.closed || !this.damage) return;
    const t0 = performance.now();
    this.closeConnections();
    const aside = moveAside(this.file, new Date());
    if (aside) this.o.log.warn({ schoolId: this.schoolId, aside }, 'damaged replica moved aside');
    await this.ensure({ state: 'unclean' });
    this.generation++;
    this.cache.clear();
    this.o.log.info({ schoolId: this.schoolId, serverSeq: this.seq, ms: Math.round(performance.now() - t0), damagedSince: this.damage.since }, 'replica back in service');
    this.damage = null;
  }

  private closeConnections(): void {
    for (const j of [this.reader, this.writer]) {
      try {
        if (j?.sqlite.open) j.close();
      } catch {
        // Closing a damaged file can fail; the handle is dropped either way.
      }
    }
  }

  // ── building and catching up ───────────────────────────────────────────────
  /**
   * Opens the replica file if it is sound and ours, else builds a new one from the store; then
   * catches up and opens the reader. `known`: what the caller already knows of the file
   * (otherwise the clean-close mark is taken).
   */
  private async ensure(known?: CleanState): Promise<void> {
    privateDir(this.o.dir);
    if (!known) this.removeLeftovers();
    const school = await this.o.store.school(this.schoolId);
    if (!school) throw new ReplicaError(`Школа «${this.schoolId}» не зарегистрирована на сервере`);
    let clean: CleanState = known ?? { state: 'unclean' };
    if (!known) {
      if (existsSync(this.file)) clean = takeCleanMark(this.file);
      else dropCleanMark(this.file);
    }
    let j = this.tryOpen(school.head, clean);
    if (!j) {
      await this.rebuild(school.head);
      j = this.tryOpen(school.head, { state: 'clean', serverSeq: -1 }, true);
      if (!j) throw new ReplicaError(`Не удалось построить реплику школы «${this.schoolId}»`);
    }
    this.writer = j;
    watchCorruption(j.sqlite, (err) => this.markDamaged(err));
    this.seq = cursorOf(j) ?? 0;
    this.snapshotSeq = Number(j.meta('snapshot_seq') ?? '0');
    await this.catchUpLocked();
    this.reader = openJournal(this.file, { readonly: true });
    watchCorruption(this.reader.sqlite, (err) => this.markDamaged(err));
    privateDb(this.file);
  }

  /** Temp files of a rebuild or a copy that a kill cut short (one server per data folder). */
  private removeLeftovers(): void {
    for (const f of readdirSync(this.o.dir)) {
      if (f.startsWith(`${REPLICA}.tmp-`) || f.startsWith('snapshot.tmp-') || f.startsWith(`${CLEAN_MARK}.tmp-`)) rmSync(join(this.o.dir, f), { force: true });
    }
  }

  /**
   * The existing replica file if it is sound and belongs here; otherwise it is moved aside
   * (damaged: kept for inspection) or removed (not closed cleanly, or another replica's).
   */
  private tryOpen(head: number, clean: CleanState, fresh = false): Journal | undefined {
    if (!existsSync(this.file)) return undefined;
    if (clean.state === 'differs') {
      const look = inspectFile(this.file);
      this.o.log.warn({ schoolId: this.schoolId, problem: clean.problem, ...(look ? { quickCheck: look } : {}) },
        look ? 'replica unreadable; moved aside, rebuilding from the store' : 'replica damaged: the file changed after its clean close; moved aside, rebuilding from the store');
      this.setAside();
      return undefined;
    }
    if (clean.state === 'unclean') {
      // Killed or crashed: what the file holds cannot be vouched for (a torn page, bytes flipped
      // while it was open), and the store has every op: rebuild. A file SQLite itself finds broken is kept.
      const look = inspectFile(this.file);
      if (look) {
        this.o.log.warn({ schoolId: this.schoolId, quickCheck: look }, 'replica unreadable after an unclean shutdown; moved aside, rebuilding from the store');
        this.setAside();
      } else {
        this.o.log.info({ schoolId: this.schoolId }, 'replica not closed cleanly; rebuilding from the store');
        removeDb(this.file);
      }
      return undefined;
    }
    let j: Journal | undefined;
    try {
      j = openJournal(this.file, { durability: 'normal' });
      // A fresh build was checked before it was renamed in: no second quick_check.
      const damaged = fresh ? null : quickCheck(j.sqlite);
      if (damaged) {
        j.close();
        this.o.log.warn({ schoolId: this.schoolId, quickCheck: damaged }, 'replica damaged (quick_check); moved aside, rebuilding from the store');
        this.setAside();
        return undefined;
      }
      const problem =
        j.meta('school_id') !== this.schoolId ? 'another school'
          : j.device !== this.device ? 'another device'
            : (cursorOf(j) ?? Number.NaN) > head ? 'ahead of the store'
              : cursorOf(j) === undefined ? 'no cursor'
                : outboxCount(j) > 0 ? 'unsent ops in the outbox'
                  : null;
      if (!problem) return j;
      this.o.log.warn({ schoolId: this.schoolId, problem }, 'replica discarded; rebuilding from the store');
      j.close();
    } catch (err) {
      j?.close();
      if (isCorruption(err) || (err as { code?: string }).code === 'corrupt') {
        this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica unreadable; moved aside, rebuilding from the store');
        this.setAside();
        return undefined;
      }
      this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica unreadable; rebuilding from the store');
    }
    removeDb(this.file);
    return undefined;
  }

  private setAside(): void {
    const aside = moveAside(this.file, new Date());
    if (aside) this.o.log.warn({ schoolId: this.schoolId, aside }, 'damaged replica moved aside');
  }

  /**
   * A new replica file: from the store's snapshot when there is one (and it is sound), else from
   * an empty journal; then the log. Built in a temp file, checked, fsynced, renamed over.
   */
  private async rebuild(head: number): Promise<void> {
    const t0 = performance.now();
    const tmp = join(this.o.dir, `${REPLICA}.tmp-${process.pid}`);
    dropCleanMark(this.file);
    const snap = await this.o.store.getSnapshot(this.schoolId);
    let fromSnapshot = false;
    let applied = 0;
    try {
      if (snap && snap.serverSeq <= head) {
        try {
          applied = await this.buildInto(tmp, snap);
          fromSnapshot = true;
        } catch (err) {
          this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'store snapshot unusable; replaying the whole log');
        }
      }
      if (!fromSnapshot) applied = await this.buildInto(tmp, null);
      fsyncFile(tmp);
      renameSync(tmp, this.file);
      fsyncPath(this.o.dir);
      this.o.log.info({ schoolId: this.schoolId, ops: applied, serverSeq: this.seq, fromSnapshot, ms: Math.round(performance.now() - t0) }, 'replica rebuilt');
    } finally {
      removeDb(tmp);
    }
  }

  /** Builds a complete, checked replica in `tmp` (closed, WAL folded in); returns the ops applied. */
  private async buildInto(tmp: string, snap: { serverSeq: number; bytes: Uint8Array } | null): Promise<number> {
    removeDb(tmp);
    let j: Journal | undefined;
    try {
      if (snap) {
        writeFileSync(tmp, snap.bytes, { mode: PRIVATE_FILE });
        j = openJournal(tmp, { durability: 'off' });
        if (j.meta('school_id') !== this.schoolId || j.device !== this.device || cursorOf(j) !== snap.serverSeq) throw new ReplicaError('snapshot of another replica');
        const damaged = quickCheck(j.sqlite);
        if (damaged) throw new ReplicaError(`snapshot fails quick_check: ${damaged}`);
      } else {
        j = openJournal(tmp, { create: true, device: this.device, durability: 'off' }); // created 0600
        j.sqlite.transaction(() => {
          j!.setMeta('school_id', this.schoolId);
          j!.setMeta(CURSOR, '0');
        })();
      }
      this.writer = j;
      this.seq = cursorOf(j) ?? 0;
      const applied = await this.catchUpLocked();
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const damaged = quickCheck(j.sqlite);
      if (damaged) throw new ReplicaError(`the rebuilt replica fails quick_check: ${damaged}`);
      j.close();
      return applied;
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
            pos = applyOp(j, parseOp(toOp(stored), 'logged'));
          } catch (err) {
            if (isCorruption(err)) throw err;
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
        j.setMeta(CURSOR, String(page[page.length - 1]!.serverSeq));
      })();
      this.seq = page[page.length - 1]!.serverSeq;
      applied += page.length;
    }
  }

  // ── snapshots ──────────────────────────────────────────────────────────────
  private maybeSnapshot(): void {
    const every = this.o.snapshotEvery ?? 20_000;
    if (this.closed || this.damage || this.snapshotting || this.seq - this.snapshotSeq < every) return;
    this.snapshotting = this.snapshot()
      .catch((err: unknown) => this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'snapshot failed'))
      .finally(() => { this.snapshotting = null; });
  }

  /**
   * Puts a consistent copy of the replica into the store with the server_seq it contains. The
   * copy (VACUUM INTO from a read-only connection) runs in a worker thread: the server keeps
   * answering, and writers are not blocked (WAL). A copy that meets a damaged page marks the
   * replica damaged; one made while the replica was rebuilt is not stored.
   */
  async snapshot(): Promise<number> {
    this.usable();
    const generation = this.generation;
    const tmp = join(this.o.dir, `snapshot.tmp-${process.pid}-${Date.now()}`);
    try {
      createPrivateFile(tmp);
      let serverSeq: number;
      try {
        serverSeq = await copyInWorker(this.file, tmp);
      } catch (err) {
        if (/malformed|corrupt|not a database/i.test((err as Error).message)) this.markDamaged(Object.assign(new Error((err as Error).message), { code: 'SQLITE_CORRUPT' }));
        throw err;
      }
      if (this.damage || generation !== this.generation) throw new ReplicaError('the replica was rebuilt while it was copied: snapshot not stored');
      await this.o.store.putSnapshot(this.schoolId, { serverSeq, bytes: await readFile(tmp), createdAt: new Date(this.o.clock.now()).toISOString() });
      await this.lock.run(async () => {
        if (!this.closed && !this.damage) this.writer.setMeta('snapshot_seq', String(serverSeq));
      });
      this.snapshotSeq = serverSeq;
      this.o.log.info({ schoolId: this.schoolId, serverSeq }, 'snapshot stored');
      return serverSeq;
    } finally {
      removeDb(tmp);
    }
  }

  /**
   * Stops taking requests, lets the running ones finish, closes the connections and — when the
   * replica is sound — leaves the clean-close mark, so that the next start opens it as it is.
   */
  async close(): Promise<void> {
    await this.lock.run(async () => {
      this.closed = true;
    });
    if (this.retry) clearTimeout(this.retry);
    await this.snapshotting;
    for (const q of this.queue.splice(0)) q.resolve(storeFailure);
    let sound = !this.damage && !!this.writer?.sqlite.open;
    if (sound) {
      try {
        this.writer.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        sound = false;
        this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'replica checkpoint failed at close');
      }
    }
    this.closeConnections();
    if (sound && !this.damage && existsSync(this.file)) {
      try {
        writeCleanMark(this.file, this.seq, new Date().toISOString());
      } catch (err) {
        this.o.log.warn({ schoolId: this.schoolId, err: errorSummary(err) }, 'clean-close mark not written; the next start rebuilds the replica');
      }
    }
  }
}

const SNAPSHOT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try { db.prepare('VACUUM INTO ?').run(workerData.out); } finally { db.close(); }
  const copy = new Database(workerData.out, { readonly: true, fileMustExist: true });
  try { parentPort.postMessage({ seq: Number(copy.prepare("SELECT value FROM meta WHERE key IN ('sync.cursor', 'server_seq') ORDER BY key = 'sync.cursor' DESC LIMIT 1").pluck().get()) }); } finally { copy.close(); }
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
