/**
 * `ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН [--admin-name …]
 * [--timezone …] [--password-file F]` (with DATABASE_URL: the PostgreSQL store): a real school on a
 * central server. Its first ops — the technical administrator and the school record — are made by
 * the same code as `ejournal init` (src-main/admin/first-run.ts) in a temporary journal beside the
 * store, which the registry imports like any school that started on a desktop
 * (`Schools.importJournal`); `ejournal serve --data DIR` then serves it and the administrator logs
 * in. A taken id, a login taken on this server and a bad id are refused before anything is written.
 * There is no first-run web page: whoever reaches the server first could claim the school.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { firstRunInput, makeFirstRunJournal, readNewPassword } from '../src-main/admin/first-run';
import { PASSWORD_OPTIONS, processSecrets, refuseSecretsInArgv, type SecretSources } from '../src-main/auth/secrets';
import { systemClock, type Clock } from '../src-main/commands/execute';
import { UserError } from '../src-main/errors/user-error';
import { createLogger } from './log';
import { Schools } from './schools/registry';
import { describeStore, openStore, type StoreConfig } from './store/open';
import { SCHOOL_ID, StoreError, type OpLogStore } from './store/types';

export const SCHOOL_HELP = `ejournal school — школы на центральном сервере

  ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН
                         [--admin-name "Фамилия Имя Отчество"] [--timezone Asia/Yekaterinburg] [--password-file ФАЙЛ]

  --data DIR     каталог сервера, тот же, что у ejournal serve (по умолчанию data/server)
  --id ШКОЛА     идентификатор школы на сервере: строчные латинские буквы, цифры и дефис, до 24 знаков
  --name         название школы
  --admin ЛОГИН  ответственный за техподдержку (роль admin): первая учётная запись школы
  --timezone     часовой пояс школы (по умолчанию Europe/Moscow)

  Пароль администратора не указывается в командной строке: его спросят дважды (не отображается),
  или --password-file ФАЙЛ (первая строка файла), или переменная EJOURNAL_PASSWORD.
  Не короче 8 символов, не только из цифр и не совпадающий с логином.
  DATABASE_URL=postgres://…  школа в хранилище PostgreSQL (как у ejournal serve)`;

export interface SchoolCommandOptions {
  sources?: SecretSources;
  clock?: Clock;
  /** The server's store for this data folder (tests: another connection to their store). */
  openStore?: (c: StoreConfig) => Promise<OpLogStore>;
}

/** `ejournal school …`; a mistake of the person typing is a UserError (one Russian line, exit 2). */
export async function runSchool(argv: string[], io: { out(line: string): void }, o: SchoolCommandOptions = {}): Promise<number> {
  refuseSecretsInArgv(argv);
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(SCHOOL_HELP);
    return 0;
  }
  if (sub !== 'create') throw new UserError(`Неизвестная команда «ejournal school ${sub}»: см. «ejournal school --help»`);
  return createSchool(rest, io, o);
}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        data: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' }, admin: { type: 'string' }, 'admin-name': { type: 'string' },
        timezone: { type: 'string' }, ...PASSWORD_OPTIONS, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    const m = /'(--?[^']+)'/.exec((err as Error).message);
    throw new UserError(m ? `Неизвестный или неверный параметр ${m[1]}: см. «ejournal school --help»` : 'Неверные параметры: см. «ejournal school --help»');
  }
}

async function createSchool(argv: string[], io: { out(line: string): void }, o: SchoolCommandOptions): Promise<number> {
  const v = options(argv);
  if (v.help) {
    io.out(SCHOOL_HELP);
    return 0;
  }
  if (v.id === undefined || v.name === undefined || v.admin === undefined) throw new UserError('Укажите: ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН (см. «ejournal school --help»)');
  if (!SCHOOL_ID.test(v.id)) throw new UserError(`Идентификатор школы «${v.id}»: строчные латинские буквы, цифры и дефис (первый знак — не дефис), до 24 знаков`);
  const first = firstRunInput({ school: v.name, login: v.admin, timeZone: v.timezone, adminName: v['admin-name'] });
  const sources = o.sources ?? processSecrets();
  const clock = o.clock ?? systemClock;
  const dataDir = resolve(v.data ?? 'data/server');
  const config: StoreConfig = { dataDir, databaseUrl: sources.env.DATABASE_URL || undefined, pgSchema: sources.env.DATABASE_SCHEMA || undefined };

  let store: OpLogStore;
  try {
    store = await (o.openStore ?? openStore)(config);
  } catch (err) {
    throw new UserError(`Не удалось открыть хранилище ${describeStore(config)}: ${(err as Error).message}`);
  }
  try {
    // Refused before the password is asked and before anything is written.
    if (await store.school(v.id)) throw new UserError(`Школа «${v.id}» на этом сервере уже есть: выберите другой идентификатор`);
    const owner = await store.findLogin(first.login);
    if (owner) throw new UserError(`Логин «${first.login}» на этом сервере уже занят (школа «${owner.schoolId}»): логины на сервере не повторяются — выберите другой`);
    const password = await readNewPassword(v, sources, first.login);

    const tmp = join(dataDir, `school-${v.id}-${process.pid}.sqlite`);
    const schools = new Schools({ store, dataDir, clock, log: createLogger({ level: 'silent' }) });
    try {
      makeFirstRunJournal(tmp, first, password, { clock });
      const replica = await schools.importJournal({ schoolId: v.id, file: tmp });
      io.out(`Школа «${v.id}» создана на сервере: «${first.school}», часовой пояс ${first.timeZone}, операций: ${replica.serverSeq}`);
    } catch (err) {
      // Another process took the id or the login since the checks above: the store refused it.
      if (err instanceof StoreError && (err.code === 'school_exists' || err.code === 'login_taken')) throw new UserError(err.message);
      throw err;
    } finally {
      await schools.closeAll();
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    }
  } finally {
    await store.close();
  }
  io.out(`  хранилище: ${describeStore(config)}; реплика школы: ${join(dataDir, 'schools', v.id)}`);
  const name = [first.adminName.lastName, first.adminName.firstName, first.adminName.middleName].filter(Boolean).join(' ');
  io.out(`  ответственный за техподдержку: ${name}, логин ${first.login} (роль admin), пароль — заданный сейчас`);
  io.out('Дальше:');
  io.out(`  ejournal serve --data ${v.data ?? 'data/server'}${config.databaseUrl ? ' (с тем же DATABASE_URL)' : ''}   — сервер начнёт обслуживать школу (запущенный уже видит её)`);
  io.out(`  войдите в браузере под логином ${first.login}: разделы «Учебный год», «Классы и предметы», «Учебный план»,`);
  io.out('  «Загрузка списков» (обучающиеся с родителями, работники — из XLSX или CSV), «Учётные записи» (разовые пароли)');
  io.out('  компьютеры школы подключает к серверу ответственный за техподдержку (docs/desktop.md)');
  return 0;
}
