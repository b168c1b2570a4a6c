/**
 * `ejournal` — the headless command line: demo journals, counts, self-check, a cell's history,
 * encryption of a journal. Every failure is one Russian line on stderr and exit code 2; nothing is
 * created or changed. Passwords and keys never come from argv (secrets.ts).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLocalDate } from '../../src-shared/domain/values';
import { MARK_COLUMNS, type MarkColumn } from '../../src-shared/domain/school';
import { openJournal, type Journal } from '../journal/open';
import { encryptJournal } from '../journal/encrypt';
import type { JournalKey } from '../journal/cipher';
import { JournalError } from '../journal/errors';
import { cellHistory, stats } from '../journal/queries';
import { verifyJournal } from '../journal/verify';
import { packLog } from '../journal/log';
import { accountByLogin } from '../journal/facts';
import { ruleSettings } from '../journal/rule-inputs';
import { localToInstant } from '../../src-shared/rules/local-time';
import { dispatch } from '../commands/dispatch';
import { generateDemo } from '../demo/generate';
import { CliError } from './errors';
import { apiDoc } from './api-doc';
import { resolveClass, resolveStudent, resolveSubject } from './lookup';
import { KEY_OPTIONS, KEY_ENV, PASSWORD_ENV, readJournalKey, refuseSecretsInArgv, writeNewKeyFile } from './secrets';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}
const processIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
// `ejournal … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); });

const HELP = `ejournal — электронный журнал и дневник (офлайн)

Команды:
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
  ejournal help                       эта справка

Зашифрованный журнал: ключ в --key-file КЛЮЧ или в переменной ${KEY_ENV} (для всех команд с журналом).
Пароль не указывается в командной строке: его спросят в терминале (не отображается),
или --password-file ФАЙЛ (первая строка файла), или переменная ${PASSWORD_ENV}.

Коды выхода: 0 — успешно, 1 — отказ или найдены расхождения, 2 — ошибка в команде или файле.`;

export function args(argv: string[], options: ParseArgsConfig['options']): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (err) {
    const m = /'(--?[^']+)'/.exec((err as Error).message);
    throw new CliError(m ? `Неизвестный или неверный параметр ${m[1]}: см. «ejournal help»` : `Неверные параметры: см. «ejournal help»`);
  }
}

function intOption(raw: string | undefined, name: string, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new CliError(`--${name} должно быть целым числом, получено «${raw}»`);
  const v = Number(raw);
  if (v < min || v > max) throw new CliError(`--${name} должно быть от ${min} до ${max}, получено ${v}`);
  return v;
}

export function dateOption(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (!isLocalDate(raw)) throw new CliError(`--${name} — дата в виде ГГГГ-ММ-ДД, получено «${raw}»`);
  return raw;
}

/** `--now 2026-09-10T10:00` is the school's local time (its time zone); with an offset or Z it is taken as is. */
export function nowOption(raw: string | undefined, timeZone: string): number {
  if (raw === undefined) return Date.now();
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(raw);
  if (local && isLocalDate(local[1]!) && /^([01]\d|2[0-3]):[0-5]\d$/.test(local[2]!)) return Date.parse(localToInstant(local[1]!, local[2]!, timeZone));
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliError(`--now — момент времени вида 2026-09-10T10:00 (время школы), получено «${raw}»`);
  return ms;
}

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The journal key of a command's `--key-file` or of EJOURNAL_KEY (a plain journal without either). */
function keyOf(values: Record<string, string | boolean | undefined>): { key?: JournalKey } {
  const key = readJournalKey(values, process.env);
  return key ? { key } : {};
}

function withJournal<T>(file: string | undefined, values: Record<string, string | boolean | undefined>, fn: (j: Journal) => T): T {
  if (!file) throw new CliError('Укажите файл журнала');
  const j = openJournal(file, keyOf(values));
  try {
    return fn(j);
  } finally {
    j.close();
  }
}

/** Builds a demo journal in a temporary file and renames it into place: no half-made file is ever left. */
export function makeDemo(out: string, { key, ...o }: { seed: number; students: number; today: string; key?: JournalKey }, progress?: (done: number, total: number) => void) {
  const target = resolve(out);
  if (existsSync(target)) throw new CliError(`Файл «${out}» уже существует: укажите другой или удалите его`);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 }); // personal data: the owner's only
  const tmp = `${target}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  try {
    const j = openJournal(tmp, { create: true, device: 'demo', durability: 'off', ...(key ? { key } : {}) });
    let summary;
    try {
      summary = generateDemo(j, { ...o, ...(progress ? { onProgress: progress } : {}) });
      packLog(j); // what the next open would do: old payloads compressed in blocks (op-rows.ts)
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      j.sqlite.exec('VACUUM'); // written once in bulk: repack the B-trees (~10 % smaller)
    } finally {
      j.close();
    }
    renameSync(tmp, target);
    return summary;
  } catch (err) {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
    throw err;
  }
}

function printAccounts(io: Io, accounts: { login: string; roles: string[]; note: string }[]): void {
  io.out('Демонстрационные учётные записи (пароль: demo):');
  for (const a of accounts) io.out(`  ${a.login.padEnd(10)} ${a.note}`);
}

async function run(argv: string[], io: Io): Promise<number> {
  refuseSecretsInArgv(argv);
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined: case 'help': case '--help': case '-h':
      io.out(HELP);
      return 0;
    case 'demo': {
      const a = args(rest, { out: { type: 'string' }, seed: { type: 'string' }, students: { type: 'string' }, today: { type: 'string' }, ...KEY_OPTIONS });
      if (a.positionals.length) throw new CliError(`Лишний аргумент «${a.positionals[0]}»: файл указывается через --out`);
      if (!a.values.out) throw new CliError('Укажите файл: ejournal demo --out FILE');
      const o = {
        seed: intOption(a.values.seed as string | undefined, 'seed', 1, 0, 2 ** 31 - 1),
        students: intOption(a.values.students as string | undefined, 'students', 135, 20, 5000),
        today: dateOption(a.values.today as string | undefined, 'today') ?? localToday(),
        ...keyOf(a.values),
      };
      const t0 = performance.now();
      const s = makeDemo(a.values.out as string, o, (done, total) => process.stderr.isTTY && process.stderr.write(`\r${Math.round((done / total) * 100)} %`));
      if (process.stderr.isTTY) process.stderr.write('\r');
      io.out(`Создан журнал «${a.values.out as string}»: ${s.students} учеников, ${s.classes} классов, ${s.lessons} уроков, ${s.marks} отметок, ${s.ops} операций за ${((performance.now() - t0) / 1000).toFixed(1)} с`);
      printAccounts(io, s.accounts);
      return 0;
    }
    case 'stats': {
      const a = args(rest, { json: { type: 'boolean' }, ...KEY_OPTIONS });
      if (a.positionals.length !== 1) throw new CliError('Укажите один файл журнала: ejournal stats FILE [--json]');
      const s = withJournal(a.positionals[0], a.values, stats);
      if (a.values.json) io.out(JSON.stringify(s));
      else io.out(`Учеников: ${s.students}\nКлассов: ${s.classes}\nУроков: ${s.lessons}\nОтметок: ${s.marks}\nПропусков: ${s.absences}\nОпераций: ${s.ops}`);
      return 0;
    }
    case 'check': {
      const a = args(rest, { ...KEY_OPTIONS });
      if (a.positionals.length !== 1) throw new CliError('Укажите один файл журнала: ejournal check FILE');
      const r = withJournal(a.positionals[0], a.values, verifyJournal);
      if (r.ok) {
        io.out(`Журнал в порядке: ${r.ops} операций воспроизведены, состояние совпадает (контрольная сумма ${r.checksum.slice(0, 16)})`);
        return 0;
      }
      for (const p of r.problems) io.err(`Ошибка: ${p}`);
      return 1;
    }
    case 'history': {
      const a = args(rest, { student: { type: 'string' }, date: { type: 'string' }, subject: { type: 'string' }, class: { type: 'string' }, lesson: { type: 'string' }, column: { type: 'string' }, json: { type: 'boolean' }, ...KEY_OPTIONS });
      if (a.positionals.length !== 1) throw new CliError('Укажите один файл журнала: ejournal history FILE --student … --date … --subject …');
      const v = a.values as Record<string, string | boolean | undefined>;
      if (!v.student || !v.date || !v.subject) throw new CliError('Нужны --student, --date и --subject');
      const date = dateOption(v.date as string, 'date')!;
      const column = (v.column as string | undefined) ?? 'main';
      if (!(MARK_COLUMNS as readonly string[]).includes(column)) throw new CliError(`--column: одно из ${MARK_COLUMNS.join(', ')}`);
      return withJournal(a.positionals[0], v, (j) => {
        const cls = v.class ? resolveClass(j, v.class as string) : undefined;
        const student = resolveStudent(j, v.student as string, cls?.id);
        const subject = resolveSubject(j, v.subject as string);
        const lessons = j.stmt(`SELECT l.id, l.number FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
          WHERE l.date = ? AND c.subject_id = ? AND ((g.kind = 'class' AND g.class_id = ?) OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = ?))
          ORDER BY l.number`).all(date, subject.id, student.classId, student.id) as { id: string; number: number }[];
        const wantedNo = v.lesson === undefined ? undefined : intOption(v.lesson as string, 'lesson', 0, 0, 12);
        const chosen = wantedNo === undefined ? lessons : lessons.filter((l) => l.number === wantedNo);
        if (chosen.length === 0) throw new CliError(`У ученика ${student.name} нет урока «${subject.name}» ${date}${wantedNo !== undefined ? ` (урок № ${wantedNo})` : ''}`);
        if (chosen.length > 1) throw new CliError(`${date} у ученика ${lessons.length} урока «${subject.name}» (№ ${lessons.map((l) => l.number).join(', ')}): укажите --lesson N`);
        const h = cellHistory(j, { lessonId: chosen[0]!.id, studentId: student.id, column: column as MarkColumn });
        if (v.json) {
          io.out(JSON.stringify({ student: student.name, subject: subject.name, date, lesson: chosen[0]!.number, column, history: h }));
          return 0;
        }
        io.out(`${student.name}, ${subject.name}, ${date}, урок № ${chosen[0]!.number}${column !== 'main' ? `, колонка ${column}` : ''}`);
        if (h.length === 0) io.out('  записей нет');
        for (const e of h) {
          io.out(`  ${e.at}  ${(e.previous ?? '—').padEnd(4)} → ${(e.value ?? '—').padEnd(4)} ${e.authorName ?? e.author} (устройство ${e.device}, операция ${e.seq})${e.note ? ` — ${e.note}` : ''}`);
        }
        return 0;
      });
    }
    case 'call': {
      const a = args(rest, { as: { type: 'string' }, now: { type: 'string' }, ...KEY_OPTIONS });
      const [file, method, json] = a.positionals;
      if (!file || !method || a.positionals.length > 3) throw new CliError("Использование: ejournal call FILE --as ЛОГИН МЕТОД 'JSON' [--now ГГГГ-ММ-ДДTЧЧ:ММ]");
      if (!a.values.as) throw new CliError('Укажите учётную запись: --as ЛОГИН');
      let input: unknown = {};
      if (json !== undefined) {
        try { input = JSON.parse(json); } catch { throw new CliError(`Входные данные — не JSON: ${json.slice(0, 60)}`); }
      }
      return withJournal(file, a.values, (j) => {
        const now = nowOption(a.values.now as string | undefined, ruleSettings(j).timeZone);
        const account = accountByLogin(j, a.values.as as string);
        if (!account) throw new CliError(`Учётная запись «${a.values.as as string}» не найдена`);
        const r = dispatch({ journal: j, accountId: account.id, clock: { now: () => now } }, method, input);
        io.out(JSON.stringify(r, null, 2));
        if (!r.ok && (r.error.code === 'unknown_method' || r.error.code === 'bad_input')) return 2;
        return r.ok ? 0 : 1;
      });
    }
    case 'print':
      return (await import('../reports/cli')).runPrint(rest, io);
    case 'verify-print':
      return (await import('../reports/cli')).runVerifyPrint(rest, io);
    case 'sync':
      return (await import('../sync/cli')).runSync(rest, io);
    case 'new-key': {
      const a = args(rest, { out: { type: 'string' } });
      if (a.positionals.length || !a.values.out) throw new CliError('Укажите файл: ejournal new-key --out КЛЮЧ');
      writeNewKeyFile(a.values.out as string);
      io.out(`Ключ журнала записан в «${a.values.out as string}» (читать может только владелец). Сохраните копию отдельно от журнала: без ключа зашифрованный журнал не открыть`);
      return 0;
    }
    case 'encrypt': {
      const a = args(rest, { db: { type: 'string' }, ...KEY_OPTIONS });
      if (a.positionals.length) throw new CliError(`Лишний аргумент «${a.positionals[0]}»: журнал указывается через --db`);
      if (!a.values.db) throw new CliError('Укажите журнал: ejournal encrypt --db FILE --key-file КЛЮЧ');
      const { key } = keyOf(a.values);
      if (!key) throw new CliError(`Укажите ключ: --key-file КЛЮЧ (новый: ejournal new-key --out КЛЮЧ) или переменная окружения ${KEY_ENV}`);
      const r = encryptJournal(a.values.db as string, key);
      io.out(`Журнал «${a.values.db as string}» зашифрован; состояние не изменилось (контрольная сумма ${r.checksum.slice(0, 16)}). Без ключа его не открыть: храните копию ключа отдельно от журнала`);
      return 0;
    }
    case 'api-doc':
      io.out(apiDoc());
      return 0;
    case 'start': {
      const file = resolve('data/demo.sqlite');
      if (!existsSync(file)) {
        io.out('Создаю демонстрационную школу в data/demo.sqlite …');
        const s = makeDemo(file, { seed: 1, students: 135, today: localToday() });
        printAccounts(io, s.accounts);
      }
      const s = withJournal(file, {}, stats);
      io.out(`Журнал демонстрационной школы: ${file}`);
      io.out(`Учеников ${s.students}, классов ${s.classes}, уроков ${s.lessons}, отметок ${s.marks}, пропусков ${s.absences}, операций ${s.ops}.`);
      io.out('Посмотреть историю клетки: npx ejournal history data/demo.sqlite --student "…" --date ГГГГ-ММ-ДД --subject "Русский язык"');
      return 0;
    }
    default:
      throw new CliError(`Неизвестная команда «${cmd}»: см. «ejournal help»`);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof CliError) {
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
