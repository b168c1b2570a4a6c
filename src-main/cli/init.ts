/**
 * `ejournal init --db FILE --school "НАЗВАНИЕ" --admin ЛОГИН [--admin-name "Фамилия Имя Отчество"]
 * [--timezone Asia/Yekaterinburg] [--password-file F] [--key-file K]`: the journal of a real school
 * that works alone on this computer — a new file with the school and its technical administrator
 * (admin/first-run.ts), nothing else. Never over an existing file; the password comes as
 * auth/secrets.ts reads it (asked twice at a prompt) and must pass the rule (src-shared/domain/password.ts).
 */
import { existsSync } from 'node:fs';
import { firstRunInput, makeFirstRunJournal, readNewPassword } from '../admin/first-run';
import { systemClock, type Clock } from '../commands/execute';
import { UserError } from '../errors/user-error';
import { KEY_OPTIONS, PASSWORD_OPTIONS, processSecrets, readJournalKey, refuseSecretsInArgv, type SecretSources } from '../auth/secrets';
import { args } from './args';
import type { Io } from './io';

const USAGE = 'Укажите: ejournal init --db ФАЙЛ --school "НАЗВАНИЕ" --admin ЛОГИН [--admin-name "Фамилия Имя Отчество"] [--timezone Asia/Yekaterinburg] [--password-file ФАЙЛ] [--key-file КЛЮЧ]';

export async function runInit(argv: string[], io: Io, secrets: SecretSources = processSecrets(), clock: Clock = systemClock): Promise<number> {
  refuseSecretsInArgv(argv);
  const a = args(argv, { db: { type: 'string' }, school: { type: 'string' }, admin: { type: 'string' }, 'admin-name': { type: 'string' }, timezone: { type: 'string' }, ...PASSWORD_OPTIONS, ...KEY_OPTIONS });
  const v = a.values as Record<string, string | undefined>;
  if (!v.db || v.school === undefined || v.admin === undefined || a.positionals.length > 0) throw new UserError(USAGE);
  // Everything the person typed is checked before a password is asked or a file is made.
  const first = firstRunInput({ school: v.school, login: v.admin, timeZone: v.timezone, adminName: v['admin-name'] });
  if (existsSync(v.db)) throw new UserError(`Файл «${v.db}» уже существует: новый журнал не записывается поверх другого файла — укажите другое имя`);
  const key = readJournalKey(a.values, secrets.env);
  const password = await readNewPassword(a.values, secrets, first.login);

  const r = makeFirstRunJournal(v.db, first, password, { key, clock });
  io.out(`Создан журнал школы «${first.school}»: ${v.db}${key ? ' (зашифрован ключом журнала)' : ''}`);
  io.out(`  часовой пояс школы: ${first.timeZone}${v.timezone === undefined ? ` (по умолчанию; другой — --timezone, например Asia/Yekaterinburg)` : ''}`);
  const name = [first.adminName.lastName, first.adminName.firstName, first.adminName.middleName].filter(Boolean).join(' ');
  io.out(`  ответственный за техподдержку: ${name}${v['admin-name'] === undefined ? ' (ФИО — --admin-name)' : ''}, логин ${first.login} (роль admin), пароль — заданный сейчас`);
  io.out(`  операций в журнале: ${r.ops}; других записей пока нет — школа работает на этом компьютере, без сервера`);
  io.out('Дальше:');
  io.out(`  ejournal check ${v.db}${key ? ' --key-file КЛЮЧ' : ''}   — проверить журнал`);
  if (key) {
    io.out('  без ключа журнал не открыть: храните копию файла ключа отдельно от журнала');
  } else {
    io.out('  настольная программа: положите файл в её папку под именем journal.sqlite до первого запуска (Linux: ~/.config/ejournal/,');
    io.out('  Windows: %APPDATA%\\ejournal\\) — она зашифрует журнал ключом этого компьютера; затем «Войти без подключения»');
  }
  io.out(`  войдите под логином ${first.login}: учебный год, классы, учебный план и учётные записи — в разделах ответственного`);
  io.out(`  за техподдержку; списки обучающихся с родителями и работников — ejournal import ФАЙЛ.xlsx --db ${v.db} --as ${first.login}`);
  io.out('Школа с центральным сервером начинается не здесь, а на сервере: ejournal school create (см. «ejournal help»)');
  return 0;
}
