/**
 * `ejournal backup --db FILE --out DIR [--key-file K]`: a checked backup of a journal into a folder
 * (src-main/backup: the copy is made while the journal may be in use, checked against it, and
 * appears under its name only when whole); the folder keeps the last 14 and the last of every
 * month (docs/backup.md).
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { BackupError, backupJournal } from '../backup/journal-backup';
import { pruneBackups } from '../backup/files';
import { systemClock, type Clock } from '../commands/execute';
import { UserError } from '../errors/user-error';
import { KEY_OPTIONS } from '../auth/secrets';
import { args } from './args';
import type { Io } from './io';
import { keyOf } from './journal-file';

const BACKUP_USAGE = 'Укажите: ejournal backup --db ФАЙЛ --out ПАПКА [--key-file КЛЮЧ]';

const mb = (file: string) => `${(statSync(file).size / 1048576).toFixed(1)} МБ`;

/** A backup's refusal is one Russian line and exit 2, as every refusal of the command. */
export async function asUserError<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BackupError) throw new UserError(err.message);
    throw err;
  }
}

export async function runBackup(argv: string[], io: Io, clock: Clock = systemClock): Promise<number> {
  const a = args(argv, { db: { type: 'string' }, out: { type: 'string' }, ...KEY_OPTIONS });
  const v = a.values as Record<string, string | undefined>;
  if (!v.db || !v.out || a.positionals.length > 0) throw new UserError(BACKUP_USAGE);
  if (existsSync(v.out) && !statSync(v.out).isDirectory()) throw new UserError(`«${v.out}» — файл, а нужна папка для резервных копий`);
  const { key } = keyOf(a.values);
  const started = performance.now();
  const b = await asUserError(() => backupJournal(v.db!, v.out!, { key, now: clock.now() }));
  const dropped = pruneBackups(v.out);
  io.out(`Резервная копия журнала записана: ${b.file} (${mb(b.file)}, ${((performance.now() - started) / 1000).toFixed(1)} с)`);
  io.out(`  проверена: ${b.ops} операций, состояние совпадает с журналом (контрольная сумма ${b.checksum.slice(0, 16)})${b.encrypted ? '; зашифрована тем же ключом' : ''}`);
  if (dropped.length) io.out(`  удалены старые копии (хранятся 14 последних и последняя за каждый месяц): ${dropped.map((f) => basename(f)).join(', ')}`);
  io.out(`Восстановить: ejournal restore --from ${b.file} --db ${v.db}${b.encrypted ? ' --key-file КЛЮЧ' : ''}`);
  return 0;
}
