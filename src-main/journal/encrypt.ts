/**
 * Encrypting an existing plain journal (`ejournal encrypt`, and the desktop's first start after an
 * update that brought encryption): a compact copy (VACUUM INTO) in a private temporary file is
 * encrypted in place with SQLCipher's rekey, reopened with the key and compared with the original
 * (the same state checksum, integrity check), and only then renamed over the plain file. A
 * failure at any step leaves the plain journal as it was. Other programs must not hold the file
 * open meanwhile: while the copy is made and checked, this holds its write lock.
 */
import { fsyncPath } from './fsync-dir';
import { closeSync, existsSync, fchmodSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openJournal, type OpenOptions } from './open';
import { JournalError } from './errors';
import { stateChecksum } from './checksum';
import { isJournalKey, lookAt, rekeyPlain, type JournalKey } from './cipher';

export interface EncryptResult {
  /** The state checksum, the same before and after. */
  checksum: string;
}

export function encryptJournal(file: string, key: JournalKey, opts: Pick<OpenOptions, 'migrationsDir'> = {}): EncryptResult {
  if (!isJournalKey(key)) throw new JournalError('bad_key', 'Ключ журнала — 64 шестнадцатеричные цифры (32 байта)');
  if (!existsSync(file)) throw new JournalError('not_found', `Файл журнала «${file}» не найден`);
  if (lookAt(file) !== 'plain') {
    // Already encrypted (with this key it opens), or not a journal at all: the usual refusals.
    openJournal(file, { key, readonly: true, ...opts }).close();
    throw new JournalError('exists', `Журнал «${file}» уже зашифрован`);
  }
  const tmp = `${file}.encrypt-${process.pid}-${randomBytes(4).toString('hex')}`;
  const siblings = [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`];
  const j = openJournal(file, opts); // a plain journal, migrated: the copy is of the current schema
  let lock: Database.Database | undefined;
  try {
    const [cp] = j.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (cp?.busy) throw new JournalError('locked', `Файл «${file}» занят другой программой: закройте её и повторите`);
    lock = new Database(file, { fileMustExist: true });
    lock.pragma('busy_timeout = 5000');
    lock.exec('BEGIN IMMEDIATE'); // no other writer until the encrypted copy is in place
    const checksum = stateChecksum(j.sqlite);
    const books = bookkeeping(j.sqlite);
    const fd = openSync(tmp, 'wx', 0o600);
    try { fchmodSync(fd, 0o600); } finally { closeSync(fd); }
    j.sqlite.prepare('VACUUM INTO ?').run(tmp); // an empty file is allowed as the target; its mode stays
    j.close();

    const raw = new Database(tmp, { fileMustExist: true });
    try {
      raw.pragma('journal_mode = DELETE'); // SQLCipher's rekey does not work in WAL mode
      rekeyPlain(raw, key);
    } finally {
      raw.close();
    }
    if (lookAt(tmp) !== 'encrypted') throw new JournalError('corrupt', `Журнал «${file}» не удалось зашифровать`);
    const check = openJournal(tmp, { key, ...opts });
    try {
      const ok = check.sqlite.pragma('integrity_check', { simple: true });
      if (ok !== 'ok' || stateChecksum(check.sqlite) !== checksum || bookkeeping(check.sqlite) !== books) {
        throw new JournalError('corrupt', `Зашифрованная копия журнала «${file}» не совпала с исходным: журнал оставлен как был`);
      }
    } finally {
      check.close();
    }
    lock.exec('ROLLBACK');
    lock.close();
    lock = undefined;
    // The last connection removes them on close: left over, they belong to another program that has the file open.
    if (existsSync(`${file}-wal`) || existsSync(`${file}-shm`)) throw new JournalError('locked', `Файл «${file}» открыт другой программой: закройте её и повторите`);
    renameSync(tmp, file);
    fsyncPath(dirname(file));
    return { checksum };
  } catch (err) {
    try { j.close(); } catch { /* already closed */ }
    if (lock) {
      try { lock.exec('ROLLBACK'); } catch { /* no transaction */ }
      lock.close();
    }
    for (const f of siblings) rmSync(f, { force: true });
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new JournalError('locked', `Файл «${file}» занят другой программой: закройте её и повторите`, err);
    }
    throw err;
  }
}

/** What the state checksum leaves out: the identity and counters in `meta`, the op log's size and end. */
function bookkeeping(sqlite: Database.Database): string {
  const meta = sqlite.prepare('SELECT key, value FROM meta ORDER BY key').raw().all();
  const log = sqlite.prepare('SELECT count(*), max(pos), (SELECT count(*) FROM op_block) FROM op_record').raw().get();
  return JSON.stringify([meta, log]);
}

