/**
 * `ejournal export --db DB --as LOGIN --what students|staff|classes|curriculum --out FILE.xlsx|.csv
 * [--now ISO] [--key-file K]`: a list of the current year in its import layout (R-IMPORT,
 * docs/import.md), through the contract's `setup.export` (the administrator's).
 */
import { accountByLogin } from '../journal/facts';
import { ruleSettings } from '../journal/rule-inputs';
import { dispatch } from '../contract/dispatch';
import type { Out, Result } from '../../src-shared/contract/methods';
import { UserError } from '../errors/user-error';
import { KEY_OPTIONS } from '../auth/secrets';
import { WHATS } from '../admin/import/layouts';
import { args, nowOption } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';
import { formatOf, whatOption, writeOut } from './import';

const USAGE = `Использование: ejournal export --db ЖУРНАЛ --as ЛОГИН --what ${WHATS.join('|')} --out ФАЙЛ.xlsx|.csv [--now 2026-09-01T10:00] [--key-file КЛЮЧ]`;

export function runExport(argv: string[], io: Io): number {
  const a = args(argv, { db: { type: 'string' }, as: { type: 'string' }, what: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' }, ...KEY_OPTIONS });
  const v = a.values as Record<string, string | undefined>;
  if (a.positionals.length || !v.db || !v.as || !v.out) throw new UserError(USAGE);
  const what = whatOption(v.what);
  const format = formatOf(v.out);
  return withJournal(v.db, a.values, (j) => {
    const now = nowOption(v.now, ruleSettings(j).timeZone);
    const account = accountByLogin(j, v.as!);
    if (!account) throw new UserError(`Учётная запись «${v.as}» не найдена`);
    const r = dispatch({ journal: j, accountId: account.id, clock: { now: () => now } }, 'setup.export', { what, format }) as Result<Out<'setup.export'>>;
    if (!r.ok) {
      io.err(r.error.message);
      return 1;
    }
    writeOut(v.out!, Buffer.from(r.value.dataBase64, 'base64'));
    io.out(`Записано строк: ${r.value.rows} — «${v.out}»`);
    return 0;
  });
}
