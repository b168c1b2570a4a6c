/** `ejournal stats FILE [--json]`: the journal's counts. */
import { stats } from '../journal/queries';
import { UserError } from '../errors/user-error';
import { args } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';
import { KEY_OPTIONS } from '../auth/secrets';

export function runStats(argv: string[], io: Io): number {
  const a = args(argv, { json: { type: 'boolean' }, ...KEY_OPTIONS });
  if (a.positionals.length !== 1) throw new UserError('Укажите один файл журнала: ejournal stats FILE [--json]');
  const s = withJournal(a.positionals[0], a.values, stats);
  if (a.values.json) io.out(JSON.stringify(s));
  else io.out(`Учеников: ${s.students}\nКлассов: ${s.classes}\nУроков: ${s.lessons}\nОтметок: ${s.marks}\nПропусков: ${s.absences}\nОпераций: ${s.ops}`);
  return 0;
}
