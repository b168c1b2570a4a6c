/**
 * Opening the desktop's journal at start (docs/security.md, "Integrity at rest").
 */
import { existsSync } from 'node:fs';
import { lookAt } from '../journal/cipher';
import type { Journal } from '../journal/open';
import type { Clock } from '../commands/execute';
import type { SyncFetch } from '../sync/client';
import type { Cipher } from './device';
import type { Enrolment } from './enrol';
import { JournalKeyError, journalKeyOf, openDesktopJournal } from './journal-key';
import { finishInterruptedRepair, journalDamage, repairJournal, type RepairReport } from './repair';
import type { RestoreResult } from '../backup/journal-backup';
import { DesktopBackups, restoreNewestBackup } from './backups';

/**
 * The desktop's start: a repair killed between its renames is finished; a damaged journal
 * (`quick_check`, SQLITE_CORRUPT) is repaired from the school's server when the computer is
 * enrolled (repair.ts: its unsent ops salvaged and kept), else restored from its newest good
 * backup (backups.ts; the damaged file kept beside it), else the start stops with a Russian
 * message; then the journal opens encrypted as `openDesktopJournal` opens it. The first start of
 * a day begins the day's backup in the background (backups.ts); the quit makes one with the
 * returned `backups` before the journal closes.
 */
export async function startDesktopJournal(
  o: { journalFile: string; keyFile: string; migrationsDir: string; backupsDir: string }, c: Cipher,
  server: { enrolment: Enrolment | null; fetch: SyncFetch; clock: Clock },
): Promise<{ journal: Journal; backups: DesktopBackups; repair?: RepairReport; restored?: RestoreResult & { from: string } }> {
  finishInterruptedRepair(o.journalFile);
  let repair: RepairReport | undefined;
  let restored: (RestoreResult & { from: string }) | undefined;
  if (existsSync(o.journalFile)) {
    const key = journalKeyOf(o.keyFile, o.journalFile, c);
    const damage = journalDamage(o.journalFile, lookAt(o.journalFile) === 'encrypted' ? key : undefined);
    if (damage) {
      const e = server.enrolment;
      if (e) {
        repair = await repairJournal({
          file: o.journalFile, server: `${e.serverUrl}/`, token: e.token, fetch: server.fetch, clock: server.clock, deviceId: e.deviceId,
          ...(lookAt(o.journalFile) === 'encrypted' ? { key } : {}), migrationsDir: o.migrationsDir,
        });
      } else {
        // The backups are encrypted with this computer's key, whatever is left of the damaged file's first page.
        restored = restoreNewestBackup(o.backupsDir, o.journalFile, key, server.clock.now()) ?? undefined;
        if (!restored) throw new JournalKeyError(`Журнал этого компьютера повреждён (${damage.slice(0, 120)}), компьютер не подключён к серверу школы, а годной резервной копии в «${o.backupsDir}» нет: обратитесь к ответственному за техподдержку`);
      }
    }
  }
  const journal = openDesktopJournal(o, c);
  const backups = new DesktopBackups({
    journal, dir: o.backupsDir, key: journalKeyOf(o.keyFile, o.journalFile, c), clock: server.clock,
    onError: (err) => console.error(`ejournal: резервная копия журнала не сделана: ${err.message}`),
  });
  void backups.daily();
  return { journal, backups, ...(repair ? { repair } : {}), ...(restored ? { restored } : {}) };
}
