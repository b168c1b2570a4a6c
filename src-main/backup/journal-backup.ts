/**
 * Backups of a school's journal and restoring one (п. 7.8). A backup is a whole journal file,
 * copied while the journal is in use, checked and self-describing:
 *
 * - the copy: SQLite's online backup API (`db.backup`) for a plain journal; for an encrypted one
 *   `VACUUM INTO`, which writes the copy encrypted with the same key — the backup API of
 *   SQLite3MultipleCiphers copies only between two connections that both have the key, and
 *   better-sqlite3 opens the destination without one ("incompatible source and target databases");
 * - the check: the journal's state checksum and op count are taken at the moment of the copy;
 *   the backup API's copy must be byte for byte the journal's image at that moment (the file
 *   header's counters aside), which proves the same state without reading it twice; the
 *   encrypted copy is opened with the key and its checksum and op count compared; both then pass
 *   `quick_check` with the manifest written;
 * - the manifest (`meta` 'backup.manifest' inside the copy: checksum, ops, made at), so a backup
 *   carried away on a USB stick can still be checked before it is restored;
 * - the file appears under its name only when whole and checked (files.ts).
 *
 * Restoring checks the backup first (integrity_check, the checksum and op count of its manifest),
 * keeps the current journal — damaged or not — under another name (never deleted), then puts the
 * checked copy in place with one rename.
 */
import { closeSync, copyFileSync, existsSync, fchmodSync, linkSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { fsyncPath } from '../journal/fsync-dir';
import { applyJournalKey, lookAt, type JournalKey } from '../journal/cipher';
import { stateChecksum } from '../journal/checksum';
import { JOURNAL_FORMAT, openJournal, type Journal } from '../journal/open';
import { placeBackup } from './files';

export const BACKUP_FORMAT = 'ejournal-backup';

/** What a backup says about itself (`meta` 'backup.manifest' in the copy). */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  /** When it was made (ISO). */
  createdAt: string;
  /** The journal's state checksum at that moment (checksum.ts). */
  checksum: string;
  /** Ops in its log. */
  ops: number;
  /** The journal's file name. */
  source: string;
  encrypted: boolean;
}

export interface BackupResult extends BackupManifest { file: string }

/** A backup that could not be made, or a backup that must not be restored: one Russian sentence. */
export class BackupError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupOptions {
  /** The journal's key when it is encrypted (the copy is checked with it). */
  key?: JournalKey | undefined;
  /** The backup's moment (ms): its name and its manifest. */
  now: number;
  /** What the file name starts with (default: the journal's school id, else its file name). */
  name?: string;
}

function stateOf(sqlite: Database.Database): { checksum: string; ops: number } {
  return { checksum: stateChecksum(sqlite), ops: sqlite.prepare('SELECT count(*) FROM op_record').pluck().get() as number };
}

/**
 * Makes a checked backup of the journal `source` (an open journal, which is being used meanwhile,
 * or a file, opened read-only) in `outDir`. An open journal records the moment in its meta
 * `backup.lastAt` (the status bar shows it).
 */
export async function backupJournal(source: Journal | string, outDir: string, o: BackupOptions): Promise<BackupResult> {
  const own = typeof source === 'string' ? openJournal(source, { readonly: true, ...(o.key ? { key: o.key } : {}) }) : null;
  const j = own ?? (source as Journal);
  try {
    const encrypted = lookAt(j.file) === 'encrypted';
    if (encrypted && !o.key) throw new BackupError(`Журнал «${j.file}» зашифрован: для проверки копии нужен его ключ`);
    if (!encrypted && o.key) throw new BackupError(`Журнал «${j.file}» не зашифрован: копия делается без ключа`);
    const createdAt = new Date(o.now).toISOString();
    const prefix = o.name ?? j.meta('school_id') ?? basename(j.file).replace(/\.[^.]*$/, '');
    const placed = await placeBackup(outDir, prefix, o.now, async (tmp) => {
      let at: { checksum: string; ops: number };
      if (encrypted) {
        at = stateOf(j.sqlite); // synchronous with the copy: nothing is written in between
        j.sqlite.prepare('VACUUM INTO ?').run(tmp);
      } else {
        await j.sqlite.backup(tmp);
        // This runs right after the last step of the copy, before anything else can write.
        const image = j.sqlite.serialize();
        at = stateOf(j.sqlite);
        sameImage(tmp, image);
      }
      const manifest: BackupManifest = { format: BACKUP_FORMAT, version: 1, createdAt, ...at, source: basename(j.file), encrypted };
      sealCopy(tmp, o.key, manifest, encrypted ? 'read' : 'same-pages');
      return manifest;
    });
    if (!own) j.setMeta('backup.lastAt', createdAt);
    return { file: placed.file, ...placed.value };
  } finally {
    own?.close();
  }
}

/** Opens a copy (with the key) for checking; a file that is not a journal, or a wrong key, is a BackupError. */
function openCopy(file: string, key: JournalKey | undefined, what: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    if (key) applyJournalKey(db, key);
    const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
    if (format !== JOURNAL_FORMAT) throw new BackupError(`${what} — не журнал ejournal`);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof BackupError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' && (key || lookAt(file) === 'encrypted')) {
      throw new BackupError(key ? `${what}: ключ не подходит (или файл повреждён)` : `${what} зашифрована: нужен ключ журнала (--key-file КЛЮЧ)`, err);
    }
    throw new BackupError(`${what} повреждена или не является копией журнала: ${(err as Error).message}`, err);
  }
}

/**
 * Bytes of the file header that the backup API sets in the copy: the change counter (24–27), the
 * schema cookie (40–43) and the version-valid-for number (92–95).
 */
const COPY_COUNTERS = [[24, 28], [40, 44], [92, 96]] as const;

/** The backup API's copy `file` is the journal's `image` at the moment of the copy, page for page. */
function sameImage(file: string, image: Buffer): void {
  const copy = readFileSync(file);
  for (const [from, to] of COPY_COUNTERS) {
    copy.fill(0, from, to);
    image.fill(0, from, to);
  }
  if (!copy.equals(image)) throw new BackupError(`Копия журнала не совпала с журналом побайтно (${copy.length} и ${image.length} байт): резервная копия не записана`);
}

/**
 * The copy just made: rollback journal (one file), the manifest written, `quick_check`; a copy
 * not already proved page for page is read whole and its state compared with the journal's.
 */
function sealCopy(tmp: string, key: JournalKey | undefined, m: BackupManifest, proof: 'same-pages' | 'read'): void {
  const db = openCopy(tmp, key, 'Копия журнала');
  try {
    db.pragma('journal_mode = DELETE'); // the backup API copied the WAL flag: a backup is one file
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      put.run('backup.manifest', JSON.stringify(m));
      put.run('backup.lastAt', m.createdAt); // a journal restored from it knows when its copy was made
    })();
    const ok = db.pragma('quick_check', { simple: true });
    const copy = proof === 'read' ? stateOf(db) : m;
    if (ok !== 'ok' || copy.checksum !== m.checksum || copy.ops !== m.ops) {
      throw new BackupError(`Копия журнала не совпала с журналом (${ok === 'ok' ? `контрольная сумма или число операций: ${copy.ops} вместо ${m.ops}` : String(ok)}): резервная копия не записана`);
    }
  } finally {
    db.close();
  }
}

/** Checks a backup file as restore does: it opens, `integrity_check` passes, its state equals its manifest. */
export function verifyBackup(file: string, key?: JournalKey): BackupManifest {
  const what = `Резервная копия «${basename(file)}»`;
  const db = openCopy(file, key, what);
  try {
    db.pragma('query_only = ON'); // checking never writes
    const raw = db.prepare("SELECT value FROM meta WHERE key = 'backup.manifest'").pluck().get() as string | undefined;
    const m = raw === undefined ? null : parseManifest(raw);
    if (!m) throw new BackupError(`${what}: нет описания копии — это не резервная копия ejournal (или она сделана не до конца)`);
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.join() !== 'ok') throw new BackupError(`${what} повреждена: ${problems.slice(0, 3).join('; ')}`);
    const now = stateOf(db);
    if (now.checksum !== m.checksum || now.ops !== m.ops) throw new BackupError(`${what} изменена или повреждена: её состояние не совпадает с записанным при копировании`);
    return m;
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${what} повреждена: ${(err as Error).message}`, err);
  } finally {
    db.close();
  }
}

function parseManifest(raw: string): BackupManifest | null {
  try {
    const m = JSON.parse(raw) as Partial<BackupManifest>;
    if (m.format !== BACKUP_FORMAT || m.version !== 1 || typeof m.checksum !== 'string' || typeof m.ops !== 'number' || typeof m.createdAt !== 'string') return null;
    return m as BackupManifest;
  } catch {
    return null;
  }
}

export interface RestoreResult extends BackupManifest {
  /** Where the journal that was in place now is (null when there was none). */
  keptAs: string | null;
}

/**
 * Puts the backup `backupFile` in place of the journal `target` (which may be damaged, or
 * missing). The backup is copied beside the target and that copy checked (verifyBackup); the
 * current journal is kept as `<target>.before-restore-<moment>` with its -wal file; then the copy
 * is renamed over `target`. Refused while another program has the journal open.
 */
export function restoreJournal(backupFile: string, target: string, o: { key?: JournalKey | undefined; now: number }): RestoreResult {
  if (!existsSync(backupFile)) throw new BackupError(`Резервная копия «${backupFile}» не найдена`);
  const file = resolve(target);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new BackupError(`Папки «${dir}» нет`);
  const tmp = join(dir, `.${basename(file)}.restore-${process.pid}`);
  const siblings = [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`];
  let keptAs: string | null = null;
  try {
    for (const f of siblings) rmSync(f, { force: true });
    const fd = openSync(tmp, 'wx', 0o600);
    try { fchmodSync(fd, 0o600); } finally { closeSync(fd); }
    copyFileSync(backupFile, tmp);
    fsyncPath(tmp);
    const m = verifyBackup(tmp, o.key); // what is checked is what is put in place
    dropManifest(tmp, o.key); // a journal again: once it changes, it is no backup of anything
    if (existsSync(file)) {
      refuseInUse(file, o.key);
      keptAs = keepAside(file, o.now);
    }
    renameSync(tmp, file);
    fsyncPath(dir);
    return { ...m, keptAs };
  } catch (err) {
    for (const f of siblings) rmSync(f, { force: true });
    throw err;
  }
}

function dropManifest(file: string, key: JournalKey | undefined): void {
  const db = openCopy(file, key, 'Восстановленный журнал');
  try {
    db.prepare("DELETE FROM meta WHERE key = 'backup.manifest'").run();
  } finally {
    db.close();
  }
  fsyncPath(file);
}

/** Another connection (the desktop program, a server) holds the journal: its next write would go into the restored file. */
function refuseInUse(file: string, key: JournalKey | undefined): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    if (key) applyJournalKey(db, key);
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(`Журнал «${file}» открыт другой программой (настольная программа, сервер): закройте её и повторите`, err);
    }
    // A damaged journal, or an encrypted one without its key: nothing else to learn from it here.
  } finally {
    db?.close();
  }
}

/**
 * Keeps the journal in place under `<file>.before-restore-<moment>` (its -wal and -shm beside it):
 * a hard link first, so that `file` never stops existing; a copy where links are not possible.
 */
function keepAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
  let aside = `${file}.before-restore-${stamp}`;
  for (let i = 1; existsSync(aside); i++) aside = `${file}.before-restore-${stamp}-${i}`;
  try {
    linkSync(file, aside);
  } catch {
    copyFileSync(file, aside);
    fsyncPath(aside);
  }
  // The old log's tail must not be read into the restored file: it goes with the old journal.
  for (const s of ['-wal', '-shm']) if (existsSync(`${file}${s}`)) renameSync(`${file}${s}`, `${aside}${s}`);
  fsyncPath(dirname(file));
  return aside;
}
