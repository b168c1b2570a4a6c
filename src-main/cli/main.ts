/**
 * `ejournal` — the headless command line: a new school's journal, demo journals, counts,
 * self-check, a cell's history, printing, sync, encryption of a journal, backups and restore.
 * Every failure is one Russian line on stderr and exit code 2; nothing is created or changed.
 * Passwords and keys never come from argv (auth/secrets.ts).
 *
 * This router loads a subcommand's module only when it runs (`import()` below): `ejournal help`
 * reads no SQLite, PDF or schema code, and the built CLI (bin/build-cli.js) keeps each subcommand
 * in its own chunk. `ejournal serve` and `ejournal school` are the central server's
 * (src-server/cli.ts): bin/ejournal.js sends them there, since src-main never imports src-server.
 */
import { JournalError } from '../journal/errors';
import { UserError } from '../errors/user-error';
import type { Io } from './io';
import { KEY_ENV, PASSWORD_ENV, refuseSecretsInArgv } from '../auth/secrets';

const processIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
// `ejournal … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); });

const HELP = `ejournal — электронный журнал и дневник (офлайн)

Команды:
  ejournal init --db FILE --school "НАЗВАНИЕ" --admin ЛОГИН [--admin-name "Фамилия Имя Отчество"]
                [--timezone Asia/Yekaterinburg] [--password-file ФАЙЛ] [--key-file КЛЮЧ]
                                      новый журнал настоящей школы на этом компьютере: школа и ответственный
                                      за техподдержку (роль admin); существующий файл не перезаписывается
  ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН [--password-file ФАЙЛ]
                                      новая школа на центральном сервере (подробно: «ejournal school --help»)
  ejournal import ФАЙЛ.xlsx|.csv --db FILE --as ЛОГИН [--what students|staff|classes|curriculum] [--dry-run]
                                      загрузить список из таблицы: ученики и родители, работники, классы и группы,
                                      учебный план; сначала показывает, что изменится, при ошибках ничего не меняет
  ejournal import --template students|staff|classes|curriculum --out ШАБЛОН.xlsx|.csv
                                      пустой шаблон списка (docs/import.md)
  ejournal export --db FILE --as ЛОГИН --what students|staff|classes|curriculum --out ФАЙЛ.xlsx|.csv
                                      выгрузить список текущего учебного года в том же виде, что и загрузка
  ejournal start                      открыть демонстрационную школу (data/demo.sqlite)
  ejournal demo --out FILE [--seed N] [--students N] [--today ГГГГ-ММ-ДД] [--key-file КЛЮЧ]
                                      создать журнал демонстрационной школы (с ключом — зашифрованный)
  ejournal stats FILE [--json]        счётчики: ученики, классы, уроки, отметки, пропуски, операции
  ejournal check FILE                 проверить целостность и воспроизвести журнал операций
  ejournal history FILE --student ФИО --date ГГГГ-ММ-ДД --subject ПРЕДМЕТ [--class 5А] [--lesson N] [--column main|reading|literacy]
                                      история одной клетки журнала: кто, когда, с какого устройства
  ejournal print weekly|journal|summary|act --db FILE … --out FILE.pdf
                                      документы для печати: еженедельные сведения, классный журнал за год,
                                      сводная ведомость, акт о нарушении (подробно: «ejournal print help»)
  ejournal verify-print --db FILE --class 5А [--year 2026] --checksum XXXX-XXXX-XXXX-XXXX-XXXX
                                      совпадает ли распечатанный журнал с электронным
  ejournal call FILE --as ЛОГИН МЕТОД 'JSON' [--now 2026-09-10T10:00]
                                      выполнить метод API от имени учётной записи (docs/api.md)
  ejournal serve [--port 8080] [--demo] [--data DIR] [--now 2026-09-10T10:00]
                                      центральный сервер: журнал и дневник в браузере (подробно: «ejournal serve --help»)
  ejournal sync --db FILE --server URL --login ЛОГИН [--password-file ФАЙЛ]
                                      синхронизировать журнал с сервером (первый запуск создаёт файл)
  ejournal new-key --out КЛЮЧ         создать ключ журнала (64 шестнадцатеричные цифры, файл только для владельца)
  ejournal encrypt --db FILE --key-file КЛЮЧ
                                      зашифровать журнал этим ключом (закройте другие программы с этим файлом)
  ejournal backup --db FILE --out ПАПКА [--key-file КЛЮЧ]
                                      резервная копия журнала (можно при открытой программе): проверяется
                                      и появляется в папке целой; хранятся 14 последних и последняя за месяц
  ejournal restore --from КОПИЯ.ejbackup --db FILE [--key-file КЛЮЧ]
                                      восстановить журнал из резервной копии: копия проверяется, прежний
                                      журнал сохраняется рядом (не удаляется); закройте программу с журналом
  ejournal help                       эта справка

Зашифрованный журнал: ключ в --key-file КЛЮЧ или в переменной ${KEY_ENV} (для всех команд с журналом).
Пароль не указывается в командной строке: его спросят в терминале (не отображается),
или --password-file ФАЙЛ (первая строка файла), или переменная ${PASSWORD_ENV}.

Коды выхода: 0 — успешно, 1 — отказ или найдены расхождения, 2 — ошибка в команде или файле.`;

async function run(argv: string[], io: Io): Promise<number> {
  refuseSecretsInArgv(argv);
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined: case 'help': case '--help': case '-h':
      io.out(HELP);
      return 0;
    case 'init':
      return (await import('./init')).runInit(rest, io);
    case 'import':
      return (await import('./import')).runImport(rest, io);
    case 'export':
      return (await import('./export')).runExport(rest, io);
    case 'demo':
      return (await import('./demo')).runDemo(rest, io);
    case 'start':
      return (await import('./demo')).runStart(io);
    case 'stats':
      return (await import('./stats')).runStats(rest, io);
    case 'check':
      return (await import('./check')).runCheck(rest, io);
    case 'history':
      return (await import('./history')).runHistory(rest, io);
    case 'call':
      return (await import('./call')).runCall(rest, io);
    case 'print':
      return (await import('./print')).runPrint(rest, io);
    case 'verify-print':
      return (await import('./print')).runVerifyPrint(rest, io);
    case 'sync':
      return (await import('./sync')).runSync(rest, io);
    case 'new-key':
      return (await import('./keys')).runNewKey(rest, io);
    case 'encrypt':
      return (await import('./keys')).runEncrypt(rest, io);
    case 'backup':
      return (await import('./backup')).runBackup(rest, io);
    case 'restore':
      return (await import('./restore')).runRestore(rest, io);
    case 'api-doc':
      io.out((await import('./api-doc')).apiDoc());
      return 0;
    default:
      throw new UserError(`Неизвестная команда «${cmd}»: см. «ejournal help»`);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.err(err.message);
      return err.exitCode;
    }
    if (err instanceof JournalError) {
      io.err(err.code === 'encrypted' ? `${err.message} (--key-file КЛЮЧ или переменная ${KEY_ENV})` : err.message);
      return 2;
    }
    io.err(`Внутренняя ошибка: ${(err as Error).message}`);
    return 2;
  }
}
