/**
 * Opening a school's journal file: the key (an encrypted journal, cipher.ts), WAL, foreign keys,
 * busy timeout, migrations from migrations/journal (append-only), and the file's identity in `meta`.
 * An existing file is opened only when it is an ejournal journal: nothing else is ever turned into
 * one. A new journal is made in a private temporary file (0600) and renamed into place, so a
 * crash leaves either no journal or a whole one.
 */
import { fsyncPath } from './fsync-dir';
import { closeSync, existsSync, fchmodSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { JournalError } from './errors';
import { refoldState } from './refold';
import { upgradeBase0005 } from './base';
import { packLog, registerLogFunctions } from './op-rows';
import { applyJournalKey, isJournalKey, lookAt, type JournalKey } from './cipher';
import type { Journal } from './handle';

export type { Journal };

export const JOURNAL_FORMAT = 'ejournal-journal';
export const DEFAULT_MIGRATIONS = fileURLToPath(new URL('../../migrations/journal', import.meta.url));

export type Durability = 'full' | 'normal' | 'off';

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise a missing file is an error). */
  create?: boolean;
  /** Device id to give a new journal; random when absent. */
  device?: string;
  migrationsDir?: string;
  /** `full` (default): every acknowledged change survives a power cut. `off` only for throwaway replicas. */
  durability?: Durability;
  readonly?: boolean;
  /**
   * This computer's journal key (64 hex digits): the file is encrypted (SQLCipher v4). Without it
   * the file is plain, as the server's replicas always are.
   */
  key?: JournalKey;
}

function translateOpenError(file: string, err: unknown): JournalError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new JournalError('corrupt', `Файл «${file}» повреждён или не является журналом ejournal`, err);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new JournalError('locked', `Файл «${file}» занят другой программой: закройте её и повторите`, err);
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new JournalError('not_found', `Не удаётся открыть файл «${file}»: проверьте путь и права доступа`, err);
  }
  if (err instanceof JournalError) return err;
  return new JournalError('corrupt', `Не удаётся открыть журнал «${file}»: ${(err as Error).message}`, err);
}

export function newDeviceId(): string {
  // 8 base36 chars ≈ 41 bits: collisions within one school are negligible; short ids keep ops small.
  const b = randomBytes(8);
  let s = '';
  for (const x of b) s += (x % 36).toString(36);
  return s;
}

export function openJournal(file: string, opts: OpenOptions = {}): Journal {
  if (opts.key !== undefined && !isJournalKey(opts.key)) throw new JournalError('bad_key', 'Ключ журнала — 64 шестнадцатеричные цифры (32 байта)');
  if (file === ':memory:') return openFile(file, file, { ...opts, key: undefined }, true);
  if (!existsSync(file)) {
    if (!opts.create) throw new JournalError('not_found', `Файл журнала «${file}» не найден`);
    createJournal(file, opts);
  }
  checkLooksLikeJournal(file, opts.key);
  return openFile(file, file, opts, false);
}

/** Refusals from the file's first bytes, before SQLite touches it (a 0-byte file would otherwise become a database). */
function checkLooksLikeJournal(file: string, key: JournalKey | undefined): void {
  const look = lookAt(file);
  if (look === 'empty') throw new JournalError('not_journal', `Файл «${file}» пуст (0 байт): это не журнал ejournal`);
  if (look === 'plain' && key !== undefined) {
    throw new JournalError('bad_key', `Неверный ключ журнала: журнал «${file}» не зашифрован (откройте его без ключа или зашифруйте: ejournal encrypt)`);
  }
  if (look === 'encrypted' && key === undefined) throw new JournalError('encrypted', `Журнал «${file}» зашифрован: нужен ключ этого компьютера`);
}

/** A new journal: made whole in a private temporary file beside `file`, then renamed into place. */
function createJournal(file: string, opts: OpenOptions): void {
  const tmp = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  const siblings = [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`];
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try { fchmodSync(fd, 0o600); } finally { closeSync(fd); } // exactly 0600 whatever the umask
    openFile(tmp, file, opts, true).close(); // WAL checkpointed and removed on close
    if (existsSync(file)) throw new JournalError('exists', `Файл «${file}» уже существует`);
    renameSync(tmp, file);
  } catch (err) {
    for (const f of siblings) rmSync(f, { force: true });
    throw err instanceof JournalError ? err : translateOpenError(file, err);
  }
  fsyncPath(dirname(file));
}


/** `path` is what SQLite opens, `file` what messages name (they differ while a new journal is made). */
function openFile(path: string, file: string, opts: OpenOptions, isNew: boolean): Journal {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { fileMustExist: path !== ':memory:', readonly: opts.readonly ?? false });
  } catch (err) {
    throw translateOpenError(file, err);
  }
  try {
    if (opts.key !== undefined) applyJournalKey(sqlite, opts.key); // before anything reads a page
    sqlite.pragma('busy_timeout = 5000');
    if (!isNew) {
      // Read before anything writes: a non-journal file is refused unchanged, a wrong key fails here.
      let tables: string[];
      try {
        tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      } catch (err) {
        if (opts.key !== undefined && (err as { code?: string }).code === 'SQLITE_NOTADB') {
          throw new JournalError('bad_key', `Неверный ключ журнала «${file}»: ключ не подходит к этому файлу (или файл повреждён)`, err);
        }
        throw err;
      }
      if (!tables.includes('meta')) throw new JournalError('not_journal', `Файл «${file}» — база SQLite, но не журнал ejournal`);
      const fmt = sqlite.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
      if (fmt !== JOURNAL_FORMAT) throw new JournalError('not_journal', `Файл «${file}» — не журнал ejournal`);
    }
    if (!opts.readonly) {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma(`synchronous = ${(opts.durability ?? 'full').toUpperCase()}`);
    }
    sqlite.pragma('foreign_keys = ON');
    registerLogFunctions(sqlite); // the op_log view decodes op_record with them (op-rows.ts)
    const db = drizzle(sqlite, { schema });
    if (!opts.readonly) {
      checkNotTooNew(sqlite, file, opts.migrationsDir ?? DEFAULT_MIGRATIONS);
      migrate(db, { migrationsFolder: opts.migrationsDir ?? DEFAULT_MIGRATIONS });
    }
    const cache = new Map<string, Database.Statement>();
    const stmt = (sql: string) => {
      let s = cache.get(sql);
      if (!s) {
        s = sqlite.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    };
    const meta = (key: string) => stmt('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    const setMeta = (key: string, value: string) => {
      stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    };
    if (isNew) {
      sqlite.transaction(() => {
        setMeta('format', JOURNAL_FORMAT);
        setMeta('device', opts.device ?? newDeviceId());
        setMeta('next_seq', '1');
        setMeta('next_id', '1');
      })();
    }
    const refold = !opts.readonly && meta('refold') !== undefined;
    if (refold) {
      upgradeBase0005(sqlite); // a snapshot base taken before migration 0005 (which asks for this re-fold; base.ts)
      // The state is a cache of the log: a migration that changed it asks to rebuild it (refold.ts).
      refoldState({ file, sqlite, db, device: meta('device') ?? '', stmt, meta, setMeta, close: () => sqlite.close() });
    }
    if (!opts.readonly) {
      try {
        packLog({ sqlite, stmt }); // compress the payloads of ops appended since the last open (bounded: ~10 µs an op)
      } catch {
        // Packing only saves space: a file it cannot pack still opens, with its payloads inline.
      }
    }
    if (refold) giveBackFreePages(sqlite);
    const device = meta('device');
    if (!device) throw new JournalError('corrupt', `В журнале «${file}» нет идентификатора устройства`);
    return {
      file, sqlite, db, device, stmt, meta, setMeta,
      close: () => {
        cache.clear();
        sqlite.close();
      },
    };
  } catch (err) {
    sqlite.close();
    throw translateOpenError(file, err);
  }
}

/** A file migrated by a newer release must not be opened (and silently downgraded) by an older one. */
function checkNotTooNew(sqlite: Database.Database, file: string, dir: string): void {
  const has = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = '__drizzle_migrations'").get();
  if (!has) return;
  const applied = sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number;
  const known = (JSON.parse(readJournalIndex(dir)) as { entries: unknown[] }).entries.length;
  if (applied > known) {
    throw new JournalError('too_new', `Журнал «${file}» создан более новой версией программы: обновите ejournal`);
  }
}

function readJournalIndex(dir: string): string {
  return readFileSync(join(dir, 'meta', '_journal.json'), 'utf8');
}

/**
 * After an upgrade that rebuilt the state in a new form (migration 0005: a 1500-student year went
 * from 65 to 84 MB on disk, a third of it free pages) the file is compacted once, so the upgrade
 * gives the disk space back instead of keeping it until the tables grow into it.
 */
function giveBackFreePages(sqlite: Database.Database): void {
  const free = sqlite.pragma('freelist_count', { simple: true }) as number;
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  if (free * 4 < pages) return;
  try {
    sqlite.exec('VACUUM');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Only space: a file that cannot be compacted now (no room for the copy) still opens.
  }
}
