/**
 * This computer's journal key (`<userData>/journal.key`, beside the journal): 32 random bytes made
 * on the first start and kept — like the device token in device.json — only encrypted by the
 * injected cipher (Electron safeStorage: DPAPI on Windows, the keyring on Linux), in a file
 * readable by its owner only. The journal itself is SQLCipher (journal/cipher.ts) with that key;
 * a journal left plain by an earlier version is encrypted on the first start that has a key.
 * The key file is never replaced while it exists: a new key would lock the journal for good.
 */
import { fsyncPath } from '../journal/fsync-dir';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isJournalKey, lookAt, newJournalKey, type JournalKey } from '../journal/cipher';
import { encryptJournal } from '../journal/encrypt';
import { openJournal, type Journal } from '../journal/open';
import type { Cipher } from './device';

export class JournalKeyError extends Error {
  override name = 'JournalKeyError';
}

interface KeyFile {
  version: 1;
  /** The key's hex digits encrypted by the cipher, base64. */
  key: string;
}

/** The key of this computer: read from `keyFile`, or made and saved there when there is neither a key file nor an encrypted journal. */
export function journalKeyOf(keyFile: string, journalFile: string, c: Cipher): JournalKey {
  if (existsSync(keyFile)) return readKey(keyFile, c);
  if (existsSync(journalFile) && lookAt(journalFile) === 'encrypted') {
    throw new JournalKeyError(`Журнал этого компьютера зашифрован, а файла ключа «${keyFile}» нет: восстановите его из копии или подключите компьютер к школе заново (журнал будет получен с сервера)`);
  }
  const key = newJournalKey();
  let sealed: Buffer;
  try {
    sealed = c.encrypt(key);
  } catch (err) {
    throw new JournalKeyError(`Не удаётся защитить ключ журнала средствами системы: ${(err as Error).message}`);
  }
  writePrivate(keyFile, JSON.stringify({ version: 1, key: sealed.toString('base64') } satisfies KeyFile));
  return key;
}

/** The desktop's journal: opened with this computer's key; created encrypted, or encrypted once when an earlier version left it plain. */
export function openDesktopJournal(o: { journalFile: string; keyFile: string; migrationsDir: string }, c: Cipher): Journal {
  const key = journalKeyOf(o.keyFile, o.journalFile, c);
  if (existsSync(o.journalFile) && lookAt(o.journalFile) === 'plain') encryptJournal(o.journalFile, key, { migrationsDir: o.migrationsDir });
  return openJournal(o.journalFile, { create: true, key, migrationsDir: o.migrationsDir });
}

function readKey(keyFile: string, c: Cipher): JournalKey {
  let key: string;
  try {
    const raw = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyFile;
    key = c.decrypt(Buffer.from(raw.key, 'base64'));
  } catch (err) {
    throw new JournalKeyError(`Не удаётся прочитать ключ журнала этого компьютера («${keyFile}»: ${(err as Error).message}). Ключ расшифровывается только под той учётной записью Windows/Linux, под которой был создан`);
  }
  if (!isJournalKey(key)) throw new JournalKeyError(`Файл ключа журнала «${keyFile}» повреждён`);
  return key;
}

/** Written whole (temporary file, fsync, rename, fsync of the folder) before the journal depends on it. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncPath(dirname(file));
}

