/**
 * The desktop's automatic backups (п. 7.8), electron-free: into `<userData>/backups/`, once a day
 * at the first start of the day (in the background: the journal is usable meanwhile) and at every
 * quit (before the journal closes); the folder keeps the last 14 and the last of every month
 * (src-main/backup). A backup that fails never stops the program: the error is reported and the
 * status bar keeps showing the last good one (meta `backup.lastAt`), turning into a warning after
 * two days. The copies are encrypted with this computer's key, as the journal is.
 */
import { BackupError, backupJournal, restoreJournal, type BackupResult, type RestoreResult } from '../backup/journal-backup';
import { lastBackup, listBackups, pruneBackups } from '../backup/files';
import type { JournalKey } from '../journal/cipher';
import type { Journal } from '../journal/open';
import type { Clock } from '../commands/execute';

export interface DesktopBackupsOptions {
  journal: Journal;
  /** `<userData>/backups` (paths.ts). */
  dir: string;
  /** This computer's journal key (the journal is encrypted with it). */
  key: JournalKey | undefined;
  clock: Clock;
  /** The computer's calendar day of a moment, `YYYY-MM-DD` (default: its local time). */
  dayOf?: (ms: number) => string;
  /** A backup failed (the shell logs it). */
  onError?: (err: Error) => void;
}

/** The prefix of the desktop's backup names. */
const NAME = 'journal';

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class DesktopBackups {
  private running: Promise<BackupResult | null> = Promise.resolve(null);
  private day: Promise<BackupResult | null> | null = null;

  constructor(private readonly o: DesktopBackupsOptions) {}

  /** The first start of a day makes a backup; a later start of the same day does not (nor a second call while it runs). */
  daily(): Promise<BackupResult | null> {
    if (this.day) return this.day;
    const dayOf = this.o.dayOf ?? localDay;
    const last = lastBackup(this.o.dir, NAME);
    if (last && dayOf(last.at) === dayOf(this.o.clock.now())) return this.running;
    const run = this.make().finally(() => { if (this.day === run) this.day = null; });
    this.day = run;
    return run;
  }

  /** At quit, before the journal closes (after a running backup, if any). */
  atQuit(): Promise<BackupResult | null> {
    return this.make();
  }

  /** One backup at a time: a second waits for the first. */
  private make(): Promise<BackupResult | null> {
    const run = this.running.then(async () => {
      try {
        const b = await backupJournal(this.o.journal, this.o.dir, { key: this.o.key, now: this.o.clock.now(), name: NAME });
        pruneBackups(this.o.dir, NAME);
        return b;
      } catch (err) {
        this.o.onError?.(err as Error);
        return null;
      }
    });
    this.running = run;
    return run;
  }
}

/**
 * A damaged journal on a computer not enrolled in a school server (nothing to repair it from):
 * the newest backup that passes restore's check is put in its place, the damaged file kept beside
 * it (restoreJournal); a backup that fails the check is skipped for the one before it. Null when
 * none passes.
 */
export function restoreNewestBackup(dir: string, journalFile: string, key: JournalKey | undefined, now: number): (RestoreResult & { from: string }) | null {
  for (const b of listBackups(dir, NAME)) {
    try {
      return { ...restoreJournal(b.file, journalFile, { key, now }), from: b.file };
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
    }
  }
  return null;
}
