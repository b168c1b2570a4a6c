/**
 * The layouts of the school's lists (R-IMPORT, docs/import.md): which columns a file of each kind
 * has, how its header row is found, and its template. One layout serves import, export and the
 * template, so a file the program writes is a file it reads back.
 */
import { writeCsv } from './csv';
import { writeWorkbook } from './excel-bridge';
import { columnLetter, FileRefused, type RowError } from './refusal';
import type { Sheet } from './read';

export const WHATS = ['students', 'staff', 'classes', 'curriculum'] as const;
export type What = (typeof WHATS)[number];
export type Format = 'xlsx' | 'csv';

export interface Column {
  key: string;
  header: string;
  /** The header must be there (the cell may still be empty unless the plan says otherwise). */
  required?: boolean;
  width: number;
  date?: boolean;
  /** Other spellings people use for the header. */
  aliases?: string[];
  /** One line for the «Инструкция» sheet. */
  hint: string;
}

export interface Layout {
  what: What;
  title: string;
  fileStem: string;
  columns: Column[];
  /** Headers accepted and not loaded (the journal has no field for them). */
  ignored?: string[];
}

const YES_NO = '«да» или «нет» (пусто — нет)';
const DATE = 'дата ДД.ММ.ГГГГ';

function parentColumns(n: 1 | 2): Column[] {
  const p = `Родитель ${n}`;
  return [
    { key: `p${n}LastName`, header: `${p}: Фамилия`, width: 16, hint: n === 1 ? 'фамилия родителя (законного представителя); для родителя заполните хотя бы фамилию и имя' : 'второй родитель, если есть — так же, как первый' },
    { key: `p${n}FirstName`, header: `${p}: Имя`, width: 14, hint: 'имя родителя' },
    { key: `p${n}MiddleName`, header: `${p}: Отчество`, width: 16, hint: 'отчество родителя, если есть' },
    { key: `p${n}Phone`, header: `${p}: Телефон`, width: 18, hint: 'телефон, например +7 912 345-67-89; по ФИО и телефону или e-mail родитель узнаётся при повторной загрузке' },
    { key: `p${n}Email`, header: `${p}: E-mail`, width: 22, aliases: [`${p}: Электронная почта`, `${p}: Email`], hint: 'адрес электронной почты' },
    { key: `p${n}Relation`, header: `${p}: Степень родства`, width: 14, hint: 'мать, отец, опекун …' },
  ];
}

const LAYOUTS: Record<What, Layout> = {
  students: {
    what: 'students', title: 'Ученики и родители', fileStem: 'ученики',
    columns: [
      { key: 'lastName', header: 'Фамилия', required: true, width: 16, hint: 'обязательно' },
      { key: 'firstName', header: 'Имя', required: true, width: 14, hint: 'обязательно' },
      { key: 'middleName', header: 'Отчество', required: true, width: 16, hint: 'столбец обязателен, ячейка может быть пустой' },
      { key: 'birthDate', header: 'Дата рождения', required: true, width: 14, date: true, hint: `${DATE}; по ФИО и дате рождения ученик узнаётся при повторной загрузке` },
      { key: 'class', header: 'Класс', required: true, width: 8, hint: 'обязательно, например 5А; класс должен быть заведён в текущем учебном году' },
      { key: 'groups', header: 'Группы', width: 24, hint: 'группы (не класс) через запятую: подгруппы, профильные, элективы, кружки; если столбец есть, ученик состоит ровно в этих группах' },
      { key: 'medicalGroup', header: 'Медицинская группа', width: 16, hint: 'основная, подготовительная или специальная (пусто — основная)' },
      { key: 'peExemptUntil', header: 'Освобождение от физкультуры до', width: 16, date: true, hint: DATE },
      { key: 'individualPlan', header: 'Индивидуальный план', width: 12, hint: YES_NO },
      { key: 'homeSchooling', header: 'Обучение на дому', width: 12, hint: YES_NO },
      ...parentColumns(1),
      ...parentColumns(2),
      { key: 'diaryMode', header: 'Форма дневника', width: 14, hint: 'электронный или бумажный — выбор каждого родителя этой строки (пусто — не меняется)' },
      { key: 'diaryDate', header: 'Дата выбора формы дневника', width: 14, date: true, hint: `${DATE}; пусто — день загрузки` },
    ],
    ignored: ['Пол', '№', '№ п/п'],
  },
  staff: {
    what: 'staff', title: 'Работники', fileStem: 'работники',
    columns: [
      { key: 'lastName', header: 'Фамилия', required: true, width: 16, hint: 'обязательно' },
      { key: 'firstName', header: 'Имя', required: true, width: 14, hint: 'обязательно' },
      { key: 'middleName', header: 'Отчество', required: true, width: 16, hint: 'столбец обязателен, ячейка может быть пустой' },
      { key: 'position', header: 'Должность', width: 28, hint: 'например, учитель математики' },
      { key: 'login', header: 'Логин', width: 16, hint: 'латинские буквы, цифры, точка, дефис; пусто — без учётной записи. Пароль здесь не задаётся: его выдаёт ответственный за техподдержку' },
      { key: 'roles', header: 'Роли', width: 36, hint: 'через запятую: директор, заместитель директора, методист, классный руководитель, учитель, ответственный за техподдержку; обязательно, если есть логин' },
      { key: 'left', header: 'Уволен', width: 10, hint: YES_NO },
    ],
    ignored: ['№', '№ п/п'],
  },
  classes: {
    what: 'classes', title: 'Классы и группы', fileStem: 'классы',
    columns: [
      { key: 'name', header: 'Название', required: true, width: 28, hint: 'класс — например 5А; группа — её название, например «Английский язык 5А, 1 группа»' },
      { key: 'kind', header: 'Вид', required: true, width: 18, hint: 'класс, подгруппа, профильная группа, элективный курс, кружок или проект' },
      { key: 'class', header: 'Класс', width: 8, hint: 'для группы — класс, к которому она относится (может быть пусто)' },
      { key: 'classTeacher', header: 'Классный руководитель', width: 30, hint: 'для класса — ФИО работника (или его логин)' },
    ],
    ignored: ['№', '№ п/п'],
  },
  curriculum: {
    what: 'curriculum', title: 'Учебный план и нагрузка', fileStem: 'учебный план',
    columns: [
      { key: 'group', header: 'Класс или группа', required: true, width: 28, aliases: ['Класс', 'Группа'], hint: 'обязательно: класс (5А) или название группы' },
      { key: 'subject', header: 'Предмет', required: true, width: 28, hint: 'обязательно: название предмета; новый предмет заводится' },
      { key: 'short', header: 'Сокращение', width: 14, hint: 'краткое название предмета для журнала (до 24 знаков); пусто — не меняется' },
      { key: 'hours', header: 'Часов в неделю', required: true, width: 10, hint: 'обязательно: от 0,5 до 12' },
      { key: 'teacher', header: 'Учитель', width: 30, hint: 'ФИО работника (или его логин); пусто — учитель не назначен' },
    ],
    ignored: ['№', '№ п/п'],
  },
};

export function layoutOf(what: What): Layout {
  return LAYOUTS[what];
}

const headerKey = (s: string) => s.toLowerCase().replace(/ё/g, 'е').replace(/[\s*]+/g, '');

export interface Located {
  /** The header's row number (1-based). */
  headerRow: number;
  /** Column index (0-based) of each key the file has. */
  cols: Map<string, number>;
  /** Headers that are neither the layout's nor accepted-and-ignored: not loaded. */
  unknown: string[];
}

/** Rows searched for the header: a title or two may stand above it. */
const HEADER_SEARCH_ROWS = 10;

/** The first of the first rows that holds every required header; else a refusal naming what is missing. */
export function locateHeader(sheet: Sheet, layout: Layout): Located {
  const byKey = new Map<string, Column>();
  for (const c of layout.columns) for (const h of [c.header, ...(c.aliases ?? [])]) byKey.set(headerKey(h), c);
  const ignored = new Set((layout.ignored ?? []).map(headerKey));
  const required = layout.columns.filter((c) => c.required);
  let best: { found: number; missing: Column[] } | undefined;
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, sheet.rows.length); r++) {
    const cols = new Map<string, number>();
    const unknown: string[] = [];
    (sheet.rows[r] ?? []).forEach((cell, i) => {
      const k = headerKey(cell);
      if (k === '') return;
      const col = byKey.get(k);
      if (col && !cols.has(col.key)) cols.set(col.key, i);
      else if (!col && !ignored.has(k)) unknown.push(cell.trim());
    });
    const missing = required.filter((c) => !cols.has(c.key));
    if (missing.length === 0) return { headerRow: r + 1, cols, unknown };
    if (!best || cols.size > best.found) best = { found: cols.size, missing };
  }
  const missing = (best && best.found > 0 ? best.missing : required).map((c) => `«${c.header}»`).join(', ');
  throw new FileRefused(`Не найдена строка заголовков (${layout.title.toLowerCase()}): в первых ${HEADER_SEARCH_ROWS} строках нет столбцов ${missing}. Скачайте шаблон и сравните названия столбцов`);
}

export interface DataRow {
  /** The row number as Excel shows it. */
  row: number;
  /** The trimmed text of each of the layout's columns the file has. */
  get(key: string): string;
  has(key: string): boolean;
}

/**
 * The rows below the header that hold anything (`total`), and the cell problems and merges among
 * them; a row with such a problem is not planned (`rows`), so its one error is not followed by
 * «заполните …» for the cell that could not be read.
 */
export function dataRows(sheet: Sheet, layout: Layout, at: Located): { rows: DataRow[]; total: number; errors: RowError[] } {
  const headerOf = new Map([...at.cols].map(([key, i]) => [i, layout.columns.find((c) => c.key === key)!.header]));
  const errors: RowError[] = [];
  const unread = new Set<number>();
  for (const p of sheet.problems) {
    if (p.row <= at.headerRow) continue;
    errors.push({ row: p.row, column: headerOf.get(p.col - 1) ?? columnLetter(p.col), message: p.message });
    unread.add(p.row);
  }
  for (const m of sheet.merges) {
    if (m.bottom < at.headerRow) continue;
    errors.push({ row: m.top, column: headerOf.get(m.left - 1) ?? columnLetter(m.left), message: `объединённые ячейки ${m.range} не допускаются: разъедините их и заполните каждую ячейку` });
    for (let r = m.top; r <= Math.min(m.bottom, sheet.rows.length); r++) unread.add(r);
  }
  const rows: DataRow[] = [];
  let total = 0;
  for (let r = at.headerRow; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    if (!cells.some((c) => c.trim() !== '') && !unread.has(r + 1)) continue;
    total++;
    if (unread.has(r + 1)) continue;
    rows.push({
      row: r + 1,
      get: (key) => {
        const i = at.cols.get(key);
        return i === undefined ? '' : (cells[i] ?? '').trim();
      },
      has: (key) => at.cols.has(key),
    });
  }
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, total, errors };
}

/** A file name for a layout: «ученики.xlsx». */
export const fileNameOf = (what: What, format: Format, suffix = '') => `${LAYOUTS[what].fileStem}${suffix}.${format}`;

/** A cell of a written table: text, a number, or a date (a date cell in XLSX, ДД.ММ.ГГГГ in CSV). */
export type OutCell = string | number | { date: string };

/** A table of a layout, as XLSX (with the «Инструкция» sheet) or CSV. */
export function writeTable(what: What, format: Format, rows: OutCell[][]): Uint8Array {
  const layout = LAYOUTS[what];
  if (format === 'csv') {
    const text = (v: OutCell) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v).replace('.', ',') : `${v.date.slice(8, 10)}.${v.date.slice(5, 7)}.${v.date.slice(0, 4)}`);
    return writeCsv([layout.columns.map((c) => c.header), ...rows.map((r) => r.map(text))]);
  }
  return writeWorkbook({
    sheets: [
      { name: layout.title, columns: layout.columns.map((c) => ({ header: c.header, width: c.width, ...(c.date ? { date: true } : {}) })), rows },
      { name: 'Инструкция', text: true, columns: [{ header: '', width: 110 }], rows: instructions(layout).map((l) => [l]) },
    ],
  });
}

function instructions(layout: Layout): string[] {
  return [
    `${layout.title}: как заполнить`,
    'Первая строка листа — заголовки столбцов; над ней можно оставить название списка (до 10 строк). Столбцы можно переставлять; необязательные — удалять.',
    'Один человек (класс, группа, строка плана) — одна строка. Формулы и объединённые ячейки в строках списка не допускаются: вставьте значения.',
    'Загрузка — «всё или ничего»: если в файле есть ошибка, программа покажет строку и столбец и ничего не изменит. Повторная загрузка того же файла ничего не меняет; изменённые значения обновляются, новые строки добавляются, ничего не удаляется.',
    'Сохраните как «Книга Excel (.xlsx)» или «CSV UTF-8 (разделитель — точка с запятой)».',
    '',
    'Столбцы:',
    ...layout.columns.map((c) => `${c.header}${c.required ? ' (обязательный столбец)' : ''} — ${c.hint}`),
    ...(layout.ignored?.includes('Пол') ? ['Пол — можно оставить: столбец принимается, но не загружается (в журнале нет такого поля)'] : []),
  ];
}

/** The template: the header row (and for XLSX the instructions), no data. */
export function buildTemplate(what: What, format: Format): Uint8Array {
  return writeTable(what, format, []);
}
