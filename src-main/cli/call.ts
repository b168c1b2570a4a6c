/** `ejournal call FILE --as LOGIN METHOD 'JSON'`: one contract method as that account (docs/api.md). */
import { accountByLogin } from '../journal/facts';
import { ruleSettings } from '../journal/rule-inputs';
import { dispatch } from '../contract/dispatch';
import { UserError } from '../errors/user-error';
import { args, nowOption } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';
import { KEY_OPTIONS } from '../auth/secrets';

export function runCall(argv: string[], io: Io): number {
  const a = args(argv, { as: { type: 'string' }, now: { type: 'string' }, ...KEY_OPTIONS });
  const [file, method, json] = a.positionals;
  if (!file || !method || a.positionals.length > 3) throw new UserError("Использование: ejournal call FILE --as ЛОГИН МЕТОД 'JSON' [--now ГГГГ-ММ-ДДTЧЧ:ММ]");
  if (!a.values.as) throw new UserError('Укажите учётную запись: --as ЛОГИН');
  let input: unknown = {};
  if (json !== undefined) {
    try { input = JSON.parse(json); } catch { throw new UserError(`Входные данные — не JSON: ${json.slice(0, 60)}`); }
  }
  return withJournal(file, a.values, (j) => {
    const now = nowOption(a.values.now as string | undefined, ruleSettings(j).timeZone);
    const account = accountByLogin(j, a.values.as as string);
    if (!account) throw new UserError(`Учётная запись «${a.values.as as string}» не найдена`);
    const r = dispatch({ journal: j, accountId: account.id, clock: { now: () => now } }, method, input);
    io.out(JSON.stringify(r, null, 2));
    if (!r.ok && (r.error.code === 'unknown_method' || r.error.code === 'bad_input')) return 2;
    return r.ok ? 0 : 1;
  });
}
