/** `ejournal check FILE`: integrity, foreign keys, and a replay of the whole log compared with the state. */
import { verifyJournal } from '../journal/verify';
import { UserError } from '../errors/user-error';
import { args } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';
import { KEY_OPTIONS } from '../auth/secrets';

export function runCheck(argv: string[], io: Io): number {
  const a = args(argv, { ...KEY_OPTIONS });
  if (a.positionals.length !== 1) throw new UserError('Укажите один файл журнала: ejournal check FILE');
  const r = withJournal(a.positionals[0], a.values, verifyJournal);
  if (r.ok) {
    io.out(`Журнал в порядке: ${r.ops} операций воспроизведены, состояние совпадает (контрольная сумма ${r.checksum.slice(0, 16)})`);
    return 0;
  }
  for (const p of r.problems) io.err(`Ошибка: ${p}`);
  return 1;
}
