/**
 * The server's daily backup (п. 7.8) of what is authoritative on it: the op-log store. The
 * schools' replicas are caches rebuilt from the store, so they are not copied. A SQLite store is
 * copied with SQLite's online backup API into `<data>/backups/store-<moment>.ejbackup` while the
 * server keeps answering; the copy is checked (quick_check, the same number of ops as the store at
 * the copy's moment) and appears under its name only when whole (src-main/backup/files.ts); the
 * folder keeps the last 14 and the last of every month. A PostgreSQL store is backed up with
 * pg_dump outside the program (docs/backup.md).
 */
import Database from 'better-sqlite3';
import { lastBackup, placeBackup, pruneBackups } from '../../src-main/backup/files';
import type { OpLogStore } from './types';

const NAME = 'store';
const HOUR = 3_600_000;

/** One checked backup of a SQLite store into `dir`; returns its file and when it was made. */
export async function backupStore(store: OpLogStore, dir: string, now: number): Promise<{ file: string; at: string; ops: number }> {
  const copy = store.backup?.bind(store);
  if (!copy) throw new Error('Хранилище PostgreSQL копируется средствами PostgreSQL (pg_dump): см. docs/backup.md');
  const placed = await placeBackup(dir, NAME, now, async (tmp) => {
    const { ops } = await copy(tmp);
    const db = new Database(tmp, { fileMustExist: true });
    try {
      db.pragma('journal_mode = DELETE'); // one file: the backup API copied the WAL flag
      const ok = db.pragma('quick_check', { simple: true });
      const copied = db.prepare('SELECT count(*) FROM op').pluck().get() as number;
      if (ok !== 'ok' || copied !== ops) throw new Error(`копия хранилища не совпала с ним (${ok === 'ok' ? `${copied} операций вместо ${ops}` : String(ok)})`);
    } finally {
      db.close();
    }
    return ops;
  });
  pruneBackups(dir, NAME);
  return { file: placed.file, at: new Date(now).toISOString(), ops: placed.value };
}

export interface StoreBackupsOptions {
  store: OpLogStore;
  /** `<data>/backups` */
  dir: string;
  clock: { now(): number };
  /** A backup was made, or found at start (the schools' status bars show it). */
  onBackup: (at: string) => Promise<void>;
  onError: (err: Error) => void;
}

/**
 * Once a day (UTC): at start when today's backup is missing, then checked every hour. Nothing for
 * a PostgreSQL store. `stop()` waits for a running backup.
 */
export function scheduleStoreBackups(o: StoreBackupsOptions): { stop(): Promise<void> } {
  if (!o.store.backup) return { stop: async () => undefined };
  let running: Promise<void> = Promise.resolve();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const tick = () => {
    running = running.then(async () => {
      try {
        const last = lastBackup(o.dir, NAME);
        const now = o.clock.now();
        if (last && day(last.at) === day(now)) return await o.onBackup(new Date(last.at).toISOString());
        const made = await backupStore(o.store, o.dir, now);
        await o.onBackup(made.at);
      } catch (err) {
        o.onError(err as Error);
      }
    });
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
