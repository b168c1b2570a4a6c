/**
 * Is a replica file the one the server left? SQLite's `quick_check` sees the structure of the
 * b-trees, not the bytes inside a row: a flipped byte in a mark's text reads back as another mark,
 * with no error. So a clean close leaves a sidecar (`replica.clean.json`) with the sha256 and size
 * of the whole file, written after the WAL was checkpointed into it; the next open compares the
 * file with it before SQLite touches it, and removes the sidecar before the first write. No
 * sidecar — the server was killed or crashed — or another file: the replica is rebuilt from the
 * store, which is authoritative.
 *
 * While the server runs, an SQLITE_CORRUPT (or SQLITE_NOTADB) from any statement on a watched
 * connection is reported to the replica, which stops answering from it and rebuilds it.
 */
import { fsyncPath } from '../../src-main/journal/fsync-dir';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_FILE } from './private-files';

export const CLEAN_MARK = 'replica.clean.json';

/** What a request meets while its school's replica is being rebuilt: a 503 with a Russian message. */
export class ReplicaUnavailable extends Error {
  readonly statusCode = 503;
  constructor(readonly schoolId: string) {
    super('Данные школы восстанавливаются, повторите через минуту');
    this.name = 'ReplicaUnavailable';
  }
}

/** An SQLite error that says the file is damaged (not busy, not full, not a constraint). */
export function isCorruption(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

// ── corruption while running ─────────────────────────────────────────────────
type OnCorrupt = (err: unknown) => void;
const watchers = new WeakMap<Database.Database, OnCorrupt>();
let installed = false;

/**
 * Every statement of better-sqlite3 goes through Statement.prototype (also `pragma` and the
 * BEGIN/COMMIT of `transaction`, which bypass `Database#prepare`), so the hook is put there, once:
 * an error from a statement of a watched connection is reported, then rethrown unchanged. Callers
 * that swallow errors (dispatch answers «внутренняя ошибка») cannot hide a damaged file this way.
 */
function install(): void {
  if (installed) return;
  installed = true;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  const report = (db: Database.Database | undefined, err: unknown) => {
    if (db && isCorruption(err)) watchers.get(db)?.(err);
  };
  for (const name of ['run', 'get', 'all'] as const) {
    const original = proto[name]!;
    proto[name] = function (this: Database.Statement, ...args: unknown[]) {
      try {
        return original.apply(this, args);
      } catch (err) {
        report(this.database, err);
        throw err;
      }
    };
  }
  const iterate = proto.iterate!;
  proto.iterate = function (this: Database.Statement, ...args: unknown[]) {
    const db = this.database;
    let it: Iterator<unknown> & { return?(v?: unknown): IteratorResult<unknown> };
    try {
      it = iterate.apply(this, args) as typeof it;
    } catch (err) {
      report(db, err);
      throw err;
    }
    return {
      next() {
        try {
          return it.next();
        } catch (err) {
          report(db, err);
          throw err;
        }
      },
      return(v?: unknown) { return it.return ? it.return(v) : { done: true, value: v }; },
      [Symbol.iterator]() { return this; },
    };
  };
}

/** Reports SQLITE_CORRUPT from any statement or `exec` on `db` to `onCorrupt` (the error is still thrown). */
export function watchCorruption(db: Database.Database, onCorrupt: OnCorrupt): void {
  install();
  watchers.set(db, onCorrupt);
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    try {
      return exec(sql);
    } catch (err) {
      if (isCorruption(err)) onCorrupt(err);
      throw err;
    }
  };
}

/** `PRAGMA quick_check` on an open connection: null when sound, else the first problems. */
export function quickCheck(db: Database.Database): string | null {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  if (rows.length === 1 && rows[0]!.quick_check === 'ok') return null;
  return rows.map((r) => r.quick_check).join('; ').slice(0, 300);
}

// ── the clean-close mark ─────────────────────────────────────────────────────
export interface FileDigest { sha256: string; bytes: number }

/** sha256 and size of a file, read in 1 MB pieces (fsynced first: the digest is of what is on disk). */
export function fileDigest(file: string): FileDigest {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, bytes);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
    return { sha256: h.digest('hex'), bytes };
  } finally {
    closeSync(fd);
  }
}


/** Writes `data` to `file` atomically: a temp file, fsync, rename, fsync of the folder. */
export function writeDurably(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: PRIVATE_FILE });
  const fd = openSync(tmp, 'r+');
  try { fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(tmp, file);
  fsyncPath(dirname(file));
}

interface CleanMark { file: string; sha256: string; bytes: number; serverSeq: number; at: string }

/**
 * After a clean close (the WAL checkpointed into the file and the connections closed): the file's
 * digest next to it. Returns the digest.
 */
export function writeCleanMark(file: string, serverSeq: number, at: string): FileDigest {
  const d = fileDigest(file);
  const mark: CleanMark = { file: basename(file), ...d, serverSeq, at };
  writeDurably(join(dirname(file), CLEAN_MARK), JSON.stringify(mark));
  return d;
}

export type CleanState =
  | { state: 'clean'; serverSeq: number }
  | { state: 'unclean' }
  | { state: 'differs'; problem: string };

/**
 * Takes the clean-close mark (it is removed: from now on the file is open, and a crash leaves no
 * mark) and says whether the file is the one it describes. Call before opening the file.
 */
export function takeCleanMark(file: string): CleanState {
  const markFile = join(dirname(file), CLEAN_MARK);
  if (!existsSync(markFile)) return { state: 'unclean' };
  let mark: CleanMark | undefined;
  try {
    mark = JSON.parse(readFileSync(markFile, 'utf8')) as CleanMark;
  } catch {
    mark = undefined;
  }
  rmSync(markFile, { force: true });
  fsyncPath(dirname(file));
  if (!mark || typeof mark.sha256 !== 'string' || mark.file !== basename(file)) return { state: 'unclean' };
  // A WAL with frames means something wrote after the close that left the mark.
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return { state: 'differs', problem: 'the WAL has frames written after the clean close' };
  const d = fileDigest(file);
  if (d.bytes !== mark.bytes) return { state: 'differs', problem: `size ${d.bytes} ≠ ${mark.bytes} at the clean close` };
  if (d.sha256 !== mark.sha256) return { state: 'differs', problem: 'sha256 differs from the one written at the clean close' };
  return { state: 'clean', serverSeq: mark.serverSeq };
}

/** Removes a clean-close mark left next to `file` (before the file is replaced or rebuilt). */
export function dropCleanMark(file: string): void {
  rmSync(join(dirname(file), CLEAN_MARK), { force: true });
}

// ── moving a damaged file aside ─────────────────────────────────────────────
/**
 * Renames `file` (and its -wal, -shm) to `<file>.damaged-<stamp>`, kept for inspection. Returns
 * the new name, or undefined when there was no file.
 */
export function moveAside(file: string, at: Date): string | undefined {
  if (!existsSync(file)) return undefined;
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  let aside = `${file}.damaged-${stamp}`;
  for (let k = 1; existsSync(aside); k++) aside = `${file}.damaged-${stamp}-${k}`;
  renameSync(file, aside);
  for (const ext of ['-wal', '-shm', '-journal']) if (existsSync(`${file}${ext}`)) renameSync(`${file}${ext}`, `${aside}${ext}`);
  fsyncPath(dirname(file));
  return aside;
}

/** Opens a file read-only just to look: quick_check, or the error SQLite gives. Never writes. */
export function inspectFile(file: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return quickCheck(db);
  } catch (err) {
    return String((err as Error).message ?? err).slice(0, 300);
  } finally {
    db?.close();
  }
}
