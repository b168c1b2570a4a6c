/**
 * `ejournal print …` and `ejournal verify-print …`: the paper documents from the journal file on
 * this computer (R-OUTAGE: no server needed). The journal is opened read-only; the PDF goes to a
 * temporary file renamed into place, so a failed print leaves nothing behind. Usage errors are one
 * Russian line and exit code 2 (UserError); progress goes to stderr.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDateRu, weekStart, addDays } from '../../src-shared/domain/values';
import { openJournal, type Journal } from '../journal/open';
import { plural } from '../reports/number-words';
import { writeAtomically } from '../reports/pdf';
import { printAnnual, printBreachAct, printSummary, printWeekly, verifyAnnual, type PrintOptions, type Progress } from '../reports/print';
import { schoolInfo } from '../reports/school-data';
import { UserError } from '../errors/user-error';
import { args, dateOption, nowOption } from './args';
import type { Io } from './io';
import { listClasses, normaliseClassName, resolveClass, type ClassRow } from './lookup';
import { KEY_OPTIONS, readJournalKey } from '../auth/secrets';

export const PRINT_HELP = `Печать документов (PDF) из журнала на этом компьютере:
  ejournal print weekly  --db FILE --class 5А --week ГГГГ-ММ-ДД [--all] --out FILE.pdf
                         еженедельные сведения для семей, выбравших бумажный дневник (--all — для всех учеников)
  ejournal print journal --db FILE --class 5А [--year 2026] --out FILE.pdf
                         классный журнал за учебный год для прошивки (листы пронумерованы, контрольная сумма)
  ejournal print summary --db FILE [--class 5А] [--year 2026] --out FILE.pdf
                         сводная ведомость аттестации класса или всей школы
  ejournal print act     --db FILE --breach ИДЕНТИФИКАТОР --out FILE.pdf
                         акт о нарушении конфиденциальности по записи о нарушении
  ejournal verify-print  --db FILE --class 5А [--year 2026] --checksum XXXX-XXXX-XXXX-XXXX-XXXX
                         совпадает ли распечатанный журнал с электронным
Общие параметры: --now 2027-06-20T10:00 (дата и время печати, время школы), --fonts ПАПКА (шрифты Liberation Serif),
--key-file КЛЮЧ (ключ зашифрованного журнала; или переменная EJOURNAL_KEY).`;

const COMMON = { db: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' }, fonts: { type: 'string' }, ...KEY_OPTIONS } as const;

export async function runPrint(argv: string[], io: Io): Promise<number> {
  const [what, ...rest] = argv;
  switch (what) {
    case 'weekly': {
      const a = args(rest, { ...COMMON, class: { type: 'string' }, week: { type: 'string' }, all: { type: 'boolean' } });
      const week = dateOption(need(a.values.week, '--week ГГГГ-ММ-ДД (любой день недели)'), 'week')!;
      need(a.values.class, '--class, например --class 5А');
      return withPrint(a, (j, out, o) => {
        const cls = findClass(j, a.values.class as string);
        const from = weekStart(week);
        const r = writeAtomically(out, (sink) => printWeekly(j, { classId: cls.id, week, all: !!a.values.all }, { ...o, onProgress: progress(io, 'отчётов') }, sink));
        io.out(`Напечатано: «${out}» — ${cls.name}, неделя ${formatDateRu(from)}–${formatDateRu(addDays(from, 6))}: ${count(r.students, 'ученик', 'ученика', 'учеников')}, ${count(r.pages, 'страница', 'страницы', 'страниц')}`);
      });
    }
    case 'journal': {
      const a = args(rest, { ...COMMON, class: { type: 'string' }, year: { type: 'string' } });
      need(a.values.class, '--class, например --class 5А');
      return withPrint(a, (j, out, o) => {
        const cls = findClass(j, a.values.class as string, a.values.year as string | undefined);
        const r = writeAtomically(out, (sink) => printAnnual(j, { classId: cls.id }, { ...o, onProgress: progress(io, 'листов') }, sink));
        io.out(`Напечатано: «${out}» — классный журнал ${cls.name}: ${count(r.sheets, 'лист', 'листа', 'листов')}. Контрольная сумма: ${r.checksum}`);
      });
    }
    case 'summary': {
      const a = args(rest, { ...COMMON, class: { type: 'string' }, year: { type: 'string' } });
      return withPrint(a, (j, out, o) => {
        const cls = a.values.class ? findClass(j, a.values.class as string, a.values.year as string | undefined) : undefined;
        const yearId = !cls && a.values.year ? yearOf(j, a.values.year as string) : undefined;
        const r = writeAtomically(out, (sink) => printSummary(j, { ...(cls ? { classId: cls.id } : {}), ...(yearId ? { yearId } : {}) }, { ...o, onProgress: progress(io, 'страниц') }, sink));
        io.out(`Напечатано: «${out}» — сводная ведомость (${cls ? cls.name : count(r.classes, 'класс', 'класса', 'классов')}): ${count(r.pages, 'страница', 'страницы', 'страниц')}`);
      });
    }
    case 'act': {
      const a = args(rest, { ...COMMON, breach: { type: 'string' } });
      const breachId = need(a.values.breach, '--breach ИДЕНТИФИКАТОР записи о нарушении');
      return withPrint(a, (j, out, o) => {
        const r = writeAtomically(out, (sink) => printBreachAct(j, { breachId }, o, sink));
        io.out(`Напечатано: «${out}» — акт о нарушении конфиденциальности: ${count(r.pages, 'страница', 'страницы', 'страниц')}`);
      });
    }
    case undefined: case 'help': case '--help':
      io.out(PRINT_HELP);
      return 0;
    default:
      throw new UserError(`Неизвестный документ «${what}»: weekly, journal, summary или act (см. «ejournal print help»)`);
  }
}

export async function runVerifyPrint(argv: string[], io: Io): Promise<number> {
  const a = args(argv, { db: { type: 'string' }, class: { type: 'string' }, year: { type: 'string' }, checksum: { type: 'string' }, ...KEY_OPTIONS });
  if (a.positionals.length) throw new UserError(`Лишний аргумент «${a.positionals[0]}»: журнал указывается через --db`);
  const db = need(a.values.db, '--db FILE (файл журнала)');
  need(a.values.class, '--class, например --class 5А');
  const typed = need(a.values.checksum, '--checksum (контрольная сумма с последнего листа распечатки)');
  const j = open(db, a.values);
  try {
    const cls = findClass(j, a.values.class as string, a.values.year as string | undefined);
    const r = verifyAnnual(j, { classId: cls.id }, typed);
    if (r.ok) {
      io.out(`Распечатка журнала ${cls.name} совпадает с электронным журналом: контрольная сумма ${r.actual.total}`);
      return 0;
    }
    io.err(`Распечатка журнала ${cls.name} НЕ совпадает с электронным журналом: на бумаге ${r.expected}, по журналу сейчас ${r.actual.total}`);
    io.err('Контрольные суммы разделов по журналу сейчас (сравните с листом «Содержание»):');
    for (const s of r.actual.sections) io.err(`  ${s.sum}  ${s.title}`);
    return 1;
  } finally {
    j.close();
  }
}

function need(v: string | boolean | undefined, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new UserError(`Укажите ${what}`);
  return v;
}

function open(db: string, values: Record<string, string | boolean | undefined>): Journal {
  const key = readJournalKey(values, process.env);
  return openJournal(db, { readonly: true, ...(key ? { key } : {}) });
}

/** Checks the options, opens the journal read-only and hands over the output path. */
function withPrint(a: { values: Record<string, string | boolean | undefined>; positionals: string[] }, print: (j: Journal, out: string, o: PrintOptions) => void): number {
  if (a.positionals.length) throw new UserError(`Лишний аргумент «${a.positionals[0]}»: файлы указываются через --db и --out`);
  const db = need(a.values.db, '--db FILE (файл журнала)');
  const out = resolve(need(a.values.out, '--out FILE.pdf (куда записать документ)'));
  if (!existsSync(dirname(out))) throw new UserError(`Папки «${dirname(out)}» нет: укажите в --out существующую папку`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new UserError(`«${out}» — папка: укажите в --out имя файла, например journal.pdf`);
  const fonts = a.values.fonts as string | undefined;
  const j = open(db, a.values);
  try {
    const createdAt = new Date(nowOption(a.values.now as string | undefined, schoolInfo(j).timezone)).toISOString();
    print(j, out, { createdAt, ...(fonts ? { fontsDir: fonts } : {}) });
    return 0;
  } finally {
    j.close();
  }
}

/** «5A» → 5А; with `--year 2026` the class of the 2026/2027 school year, otherwise of the latest year that has it. */
function findClass(j: Journal, raw: string, year?: string): ClassRow {
  const yearId = year === undefined ? undefined : yearOf(j, year);
  const wanted = normaliseClassName(raw);
  const starts = new Map((j.stmt('SELECT id, starts FROM year').all() as { id: string; starts: string }[]).map((y) => [y.id, y.starts]));
  const hits = listClasses(j).filter((c) => c.name.toUpperCase() === wanted && (!yearId || c.yearId === yearId))
    .sort((x, y) => (starts.get(y.yearId) ?? '').localeCompare(starts.get(x.yearId) ?? ''));
  if (hits[0]) return hits[0];
  const other = resolveClass(j, raw); // throws the «не найден, возможно …» message
  throw new UserError(`Класса «${other.name}» нет в ${year}/${Number(year) + 1} учебном году`);
}

function yearOf(j: Journal, year: string): string {
  if (!/^\d{4}$/.test(year)) throw new UserError(`--year — год начала учебного года, например 2026 (для 2026/2027), получено «${year}»`);
  const id = j.stmt("SELECT id FROM year WHERE substr(starts, 1, 4) = ? ORDER BY starts LIMIT 1").pluck().get(year) as string | undefined;
  if (!id) {
    const years = (j.stmt('SELECT name FROM year ORDER BY starts').pluck().all() as string[]).join(', ');
    throw new UserError(`Учебного года ${year}/${Number(year) + 1} в журнале нет. Есть: ${years || 'нет'}`);
  }
  return id;
}

const count = (n: number, one: string, few: string, many: string) => `${n} ${plural(n, one, few, many)}`;

/** The UI shows a bar; the command line a counter on stderr (in place on a terminal, every tenth otherwise). */
function progress(io: Io, unit: string): Progress {
  let shown = -1;
  return (done, total) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\rПечать ${unit}: ${done} из ${total}${done === total ? '\n' : ''}`);
      return;
    }
    const step = Math.floor((done / total) * 10);
    if (step !== shown && (step > shown || done === total)) {
      shown = step;
      io.err(`Печать ${unit}: ${done} из ${total}`);
    }
  };
}
