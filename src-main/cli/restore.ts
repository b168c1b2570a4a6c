/**
 * `ejournal restore --from BACKUP --db FILE [--key-file K]`: the backup is checked (integrity, its
 * state against its manifest), the journal in place is kept aside — never deleted —, and the copy
 * is put in its place with one rename (src-main/backup, docs/backup.md). Refused while another
 * program has the journal open.
 */
import { restoreJournal } from '../backup/journal-backup';
import { systemClock, type Clock } from '../commands/execute';
import { UserError } from '../errors/user-error';
import { KEY_OPTIONS } from '../auth/secrets';
import { args } from './args';
import type { Io } from './io';
import { keyOf } from './journal-file';
import { asUserError } from './backup';

const RESTORE_USAGE = 'Укажите: ejournal restore --from КОПИЯ.ejbackup --db ФАЙЛ [--key-file КЛЮЧ]';

export async function runRestore(argv: string[], io: Io, clock: Clock = systemClock): Promise<number> {
  const a = args(argv, { from: { type: 'string' }, db: { type: 'string' }, ...KEY_OPTIONS });
  const v = a.values as Record<string, string | undefined>;
  if (!v.from || !v.db || a.positionals.length > 0) throw new UserError(RESTORE_USAGE);
  const { key } = keyOf(a.values);
  const r = await asUserError(() => restoreJournal(v.from!, v.db!, { key, now: clock.now() }));
  io.out(`Журнал «${v.db}» восстановлен из резервной копии от ${r.createdAt.replace('T', ' ').slice(0, 19)} UTC: ${r.ops} операций, контрольная сумма ${r.checksum.slice(0, 16)} совпала`);
  if (r.keptAs) io.out(`  прежний журнал не удалён: ${r.keptAs}`);
  io.out('  изменений, сделанных после этой копии, в журнале нет');
  return 0;
}
