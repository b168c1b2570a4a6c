/**
 * R-ANNUAL-PRINT (п. 9.2, 12.2): the year's journal of a class, laid out like the paper
 * классный журнал, to be sewn, numbered, signed and sealed. A4 landscape, printed one-sided:
 * every page is one sheet, numbered «Лист N» in its top right corner.
 *
 *   title · contents · timetable · per subject: left pages (students × dates: marks, «н», period
 *   and annual marks after each period's last date) and right pages (date, topic, homework, work
 *   type) — continued with repeated headers · curriculum done (planned / given, teacher's line) ·
 *   сводная ведомость · missed lessons · certification page with the real sheet count and the
 *   checksum of the printed data.
 *
 * The whole document is planned before a page is drawn, so the contents and the certification
 * page know every sheet number. Grids use 8–9 pt type as a paper journal's ruled pages do;
 * topics, homework and work types are printed in 12 pt (R-PRINT-FONT).
 */
import { formatDateRu, type LocalDate } from '../../src-shared/domain/values';
import type { AnnualCourse, AnnualJournalData, AnnualLesson } from './annual-data';
import { drawBlocks, paginate, tableRow, type Block } from './flow';
import { sheetsInWords } from './number-words';
import { SHEET, type PagePlan, type Pdf } from './pdf';
import { courseTitle, type PrintChecksum } from './print-checksum';
import { summaryPages } from './summary-sheet';

/** The left page's grid (points). */
export const GRID = { num: 16, name: 150, date: 17, term: 21, titleH: 22, headRow: 12, row: 13.5 };
const HEAD_FILL = '#eeeeee';
const TERM_FILL = '#f3f3f3';
const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const MONTHS_SHORT = ['янв.', 'февр.', 'март', 'апр.', 'май', 'июнь', 'июль', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];
const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота'];

export interface AnnualPrint {
  printedOn: LocalDate;
  checksum: PrintChecksum;
  /** The command that checks the paper against the journal, printed under the checksum. */
  verifyCommand: string;
}

interface Section { title: string; pages: PagePlan[]; sum?: string }

export function drawAnnual(pdf: Pdf, d: AnnualJournalData, o: AnnualPrint, onProgress?: (done: number, total: number) => void): { sheets: number } {
  const sums = new Map(o.checksum.sections.map((s) => [s.title, s.sum]));
  let total = 0;
  const body: Section[] = [
    { title: 'Расписание уроков', pages: timetablePages(pdf, d), sum: sums.get('Расписание уроков') },
    ...d.courses.map((c) => ({ title: `${courseTitle(c)}${c.teacher ? ` — ${c.teacher.short}` : ''}`, pages: coursePages(pdf, d, c), sum: sums.get(courseTitle(c)) })),
    { title: 'Сведения о выполнении учебного плана', pages: planPages(pdf, d) },
    { title: 'Сводная ведомость учёта результатов промежуточной и итоговой аттестации', pages: summaryPages(pdf, d.summary), sum: sums.get('Сводная ведомость') },
    { title: 'Сведения о пропущенных уроках', pages: attendancePages(pdf, d), sum: sums.get('Сведения о пропущенных уроках') },
    { title: 'Лист заверения', pages: [(p) => certification(p, d, o, total)] },
  ];
  const entries = [{ title: 'Титульный лист', sum: sums.get('Титульный лист') }, { title: 'Содержание' }, ...body];
  const perContentsPage = Math.floor((pdf.pageHeight - SHEET.top - SHEET.bottom - 60) / CONTENTS_ROW);
  const contentsCount = Math.max(1, Math.ceil(entries.length / perContentsPage));
  // Sheet numbers: 1 — title, then the contents, then the body sections in order.
  const ranges: [number, number][] = [[1, 1], [2, 1 + contentsCount]];
  let next = 2 + contentsCount;
  for (const s of body) {
    ranges.push([next, next + s.pages.length - 1]);
    next += s.pages.length;
  }
  total = next - 1;
  const all: PagePlan[] = [
    (p) => titlePage(p, d),
    ...Array.from({ length: contentsCount }, (_, i) => (p: Pdf) => contentsPage(p, entries, ranges, i * perContentsPage, (i + 1) * perContentsPage)),
    ...body.flatMap((s) => s.pages),
  ];
  pdf.onPage = (p) => p.text(`Лист ${p.pages}`, SHEET.left, 10, 'regular', 10, { width: p.pageWidth - SHEET.left - SHEET.right, align: 'right' });
  all.forEach((plan, i) => {
    pdf.newPage();
    plan(pdf);
    onProgress?.(i + 1, all.length);
  });
  return { sheets: total };
}

const width = (pdf: Pdf) => pdf.pageWidth - SHEET.left - SHEET.right;

// ── title, contents, certification ──────────────────────────────────────────

function titlePage(p: Pdf, d: AnnualJournalData): void {
  const w = width(p);
  const x = SHEET.left;
  const school = p.wrap(d.school.fullName ?? d.school.name, w - 120, 'regular', 14);
  p.lines(school, x, 70, 'regular', 14, 14 * 1.2, { width: w, align: 'center' });
  p.text('КЛАССНЫЙ ЖУРНАЛ', x, 190, 'bold', 30, { width: w, align: 'center' });
  p.text(`${d.cls.grade} «${d.cls.letter}» класса`, x, 240, 'regular', 22, { width: w, align: 'center' });
  p.text(`на ${d.cls.year} учебный год`, x, 275, 'regular', 18, { width: w, align: 'center' });
  if (d.cls.classTeacher) p.text(`Классный руководитель: ${d.cls.classTeacher.full}`, x, 340, 'regular', 14, { width: w, align: 'center' });
  p.text(`Обучающихся: ${d.students.length}. Предметов учебного плана: ${d.courses.length}.`, x, 365, 'regular', 12, { width: w, align: 'center' });
  const note = p.wrap('Распечатан из электронного журнала успеваемости обучающихся для хранения на бумажном носителе (п. 9.2, 12.2 Порядка ведения электронного журнала и электронного дневника).', w - 200, 'italic', 11);
  p.lines(note, x, 470, 'italic', 11, 11 * 1.2, { width: w, align: 'center' });
  if (d.school.address) p.text(d.school.address, x, 520, 'regular', 10, { width: w, align: 'center' });
}

const CONTENTS_ROW = 17;

/** Entries `from`…`to` of the contents, each with its sheets and its section's checksum. */
function contentsPage(p: Pdf, entries: { title: string; sum?: string | undefined }[], ranges: [number, number][], from: number, to: number): void {
  const w = width(p);
  const x = SHEET.left;
  p.text(from > 0 ? 'Содержание (продолжение)' : 'Содержание', x, SHEET.top, 'bold', 14, { width: w, align: 'center' });
  const cols = [40, w - 40 - 110 - 150, 110, 150];
  let y = SHEET.top + 32;
  const row = (cells: string[], style: 'regular' | 'bold', size: number) => {
    const b = tableRow(p, cols, cells.map((t) => [{ text: t }]), { style, size, minHeight: CONTENTS_ROW, align: ['center', 'left', 'center', 'center'], ...(style === 'bold' ? { fill: HEAD_FILL } : {}) });
    b.draw(p, x, y);
    y += b.height;
  };
  row(['№', 'Раздел', 'Листы', 'Контрольная сумма раздела'], 'bold', 10);
  entries.slice(from, to).forEach((e, k) => {
    const [a, b] = ranges[from + k]!;
    row([String(from + k + 1), e.title, a === b ? String(a) : `${a}–${b}`, e.sum ?? '—'], 'regular', 12);
  });
}

function certification(p: Pdf, d: AnnualJournalData, o: AnnualPrint, total: number): void {
  const w = width(p);
  const x = SHEET.left + 60;
  const tw = w - 120;
  p.text('Лист заверения', SHEET.left, SHEET.top + 10, 'bold', 16, { width: w, align: 'center' });
  let y = SHEET.top + 60;
  const para = (text: string, style: 'regular' | 'bold' = 'regular', size = 14, after = 10) => {
    const lines = p.wrap(text, tw, style, size);
    y += p.lines(lines, x, y, style, size, size * 1.3) + after;
  };
  para(`Всего в журнале пронумеровано, прошито и скреплено печатью ${sheetsInWords(total)}.`, 'bold', 14, 14);
  para(`Классный журнал ${d.cls.name} класса ${d.school.name} за ${d.cls.year} учебный год выведен на печать из электронного журнала успеваемости обучающихся ${formatDateRu(o.printedOn)} (п. 9.2, 12.2 Порядка ведения электронного журнала).`, 'regular', 12, 26);
  const sign = (role: string, person: { short: string } | null) => {
    p.text(role, x, y, 'regular', 12);
    p.text(`_________________________   / ${person?.short ?? '______________________'} /`, x + 260, y, 'regular', 12);
    p.text('подпись', x + 260, y + 14, 'italic', 8, { width: p.measure('_________________________', 'regular', 12), align: 'center' });
    y += 36;
  };
  sign('Заместитель директора по УВР', d.deputy);
  sign('Директор', d.director);
  p.text('«_____» ____________________ 20_____ г.', x, y + 4, 'regular', 12);
  p.text('М.П.', x + 330, y + 4, 'bold', 14);
  y += 70;
  p.text(`Контрольная сумма данных распечатки: ${o.checksum.total}`, x, y, 'bold', 12);
  const hint = p.wrap(`Проверка того, что распечатка совпадает с электронным журналом (изменённая после печати отметка даст другую сумму): ${o.verifyCommand}`, tw, 'regular', 9);
  p.lines(hint, x, y + 18, 'regular', 9);
}

// ── a subject's pages ───────────────────────────────────────────────────────

interface Column { kind: 'date' | 'extra' | 'term'; x: number; w: number; month?: number; day?: string; label?: string; cells: readonly string[] }
interface Unit { lesson?: number; terms: number[] }

export function coursePages(pdf: Pdf, d: AnnualJournalData, c: AnnualCourse): PagePlan[] {
  const w = width(pdf);
  const gridTop = SHEET.top + GRID.titleH;
  const bodyTop = gridTop + 2 * GRID.headRow;
  const perPage = Math.max(1, Math.floor((pdf.pageHeight - SHEET.bottom - bodyTop) / GRID.row));
  const dateRoom = w - GRID.num - GRID.name;
  const rightCols = [66, 362, 212, w - 66 - 362 - 212];
  const rightHead = tableRow(pdf, rightCols, [[{ text: 'Дата' }], [{ text: 'Что пройдено на уроке (тема урока)' }], [{ text: 'Домашнее задание' }], [{ text: 'Вид работы, примечание' }]],
    { style: 'bold', size: 10, fill: HEAD_FILL, align: ['center', 'center', 'center', 'center'] });
  const rightRoom = pdf.pageHeight - SHEET.bottom - gridTop;
  const rows: Block[] = c.lessons.map((l) => tableRow(pdf, rightCols, [[{ text: formatDateRu(l.date) }], [{ text: l.topic ?? '' }], [{ text: l.homework ?? '' }], [{ text: l.remark ?? '' }]], { size: 12 }));

  // Units of columns: a lesson (with its separate columns) and the term columns that follow it.
  const showTerms = d.cls.grade > 1 || c.terms.some((t) => t.cells.some(Boolean));
  const units: Unit[] = [];
  const attach = (t: number) => {
    if (!showTerms) return;
    if (units.length === 0) units.push({ terms: [] });
    units.at(-1)!.terms.push(t);
  };
  let pi = 0;
  c.lessons.forEach((l, i) => {
    while (pi < d.periods.length && d.periods[pi]!.ends < l.date) attach(pi++);
    units.push({ lesson: i, terms: [] });
  });
  while (pi < d.periods.length) attach(pi++);
  for (let t = d.periods.length; t < d.termColumns.length; t++) attach(t);
  if (units.length === 0) units.push({ terms: [] });

  const unitWidth = (u: Unit) => (u.lesson !== undefined ? GRID.date * (1 + c.lessons[u.lesson]!.extra.length) : 0) + u.terms.length * GRID.term;
  // A left page holds as many dates as its width allows; their records continue over as many right pages as they need.
  const chunks: Unit[][] = [[]];
  let used = 0;
  for (const u of units) {
    const uw = unitWidth(u);
    if (chunks.at(-1)!.length > 0 && used + uw > dateRoom) {
      chunks.push([]);
      used = 0;
    }
    chunks.at(-1)!.push(u);
    used += uw;
  }

  const names = c.students.map((i) => gridName(pdf, d.students[i]!));
  const pages: PagePlan[] = [];
  for (const chunk of chunks) {
    const columns = chunkColumns(chunk, c, d);
    for (let r0 = 0; r0 < Math.max(1, names.length); r0 += perPage) {
      pages.push((p) => leftPage(p, d, c, columns, names, r0, Math.min(names.length, r0 + perPage)));
    }
    const lessonRows = chunk.filter((u) => u.lesson !== undefined).map((u) => ({ ...rows[u.lesson!]!, header: rightHead }));
    const rightPages = lessonRows.length ? paginate(lessonRows, rightRoom) : [[]];
    rightPages.forEach((blocks, i) => pages.push((p) => rightPage(p, d, c, blocks, i > 0)));
  }
  return pages;
}

/**
 * A student's name for the grid's name column: «Фамилия Имя», or «Фамилия И.» when that does not
 * fit in 7.5 pt — the surname is never cut (cellText condenses what is still too wide).
 */
export function gridName(p: Pdf, s: { name: string; short: string; left: string | null }): string {
  const left = s.left ? ` (выб. ${formatDateRu(s.left).slice(0, 5)})` : '';
  const room = GRID.name - 3;
  const full = `${s.short}${left}`;
  if (p.measure(full, 'regular', 7.5) <= room) return full;
  const [last, first] = s.name.split(' ');
  return `${last} ${first ? `${first[0]}.` : ''}${left}`;
}

function chunkColumns(chunk: Unit[], c: AnnualCourse, d: AnnualJournalData): Column[] {
  const columns: Column[] = [];
  let x = SHEET.left + GRID.num + GRID.name;
  for (const u of chunk) {
    if (u.lesson !== undefined) {
      const l: AnnualLesson = c.lessons[u.lesson]!;
      const month = Number(l.date.slice(5, 7)) - 1;
      columns.push({ kind: 'date', x, w: GRID.date, month, day: l.date.slice(8, 10), cells: l.cells });
      x += GRID.date;
      for (const e of l.extra) {
        columns.push({ kind: 'extra', x, w: GRID.date, month, day: e.column === 'reading' ? 'Выр.чт.' : 'Гр.', cells: e.cells });
        x += GRID.date;
      }
    }
    for (const t of u.terms) {
      columns.push({ kind: 'term', x, w: GRID.term, label: d.termColumns[t]!.short, cells: c.terms[t]!.cells });
      x += GRID.term;
    }
  }
  return columns;
}

function courseHeading(p: Pdf, d: AnnualJournalData, c: AnnualCourse, side: string): void {
  const x = SHEET.left;
  const title = courseTitle(c);
  p.text(title, x, SHEET.top - 2, 'bold', 13);
  const tw = p.measure(title, 'bold', 13);
  if (c.teacher) p.text(`учитель: ${c.teacher.full}`, x + tw + 12, SHEET.top + 1, 'regular', 10);
  p.text(`${d.cls.name} класс, ${d.cls.year} учебный год · ${side}`, x, SHEET.top + 1, 'regular', 10, { width: width(p), align: 'right' });
}

function leftPage(p: Pdf, d: AnnualJournalData, c: AnnualCourse, columns: Column[], names: string[], r0: number, r1: number): void {
  courseHeading(p, d, c, r0 > 0 ? 'успеваемость (продолжение списка)' : 'успеваемость и посещаемость');
  const x0 = SHEET.left;
  const top = SHEET.top + GRID.titleH;
  const hr = GRID.headRow;
  const body = top + 2 * hr;
  const right = columns.length ? columns.at(-1)!.x + columns.at(-1)!.w : x0 + GRID.num + GRID.name;
  const bottom = body + Math.max(1, r1 - r0) * GRID.row;
  p.fill(x0, top, right - x0, 2 * hr, HEAD_FILL);
  for (const col of columns) if (col.kind === 'term') p.fill(col.x, body, col.w, bottom - body, TERM_FILL);
  p.cellText('№', x0, top, GRID.num, 2 * hr, 'bold', 8, { align: 'center' });
  p.cellText('Фамилия, имя обучающегося', x0 + GRID.num, top, GRID.name, 2 * hr, 'bold', 9, { align: 'center', minSize: 7 });
  const segs: [number, number, number, number][] = [];
  // Month row: consecutive dates of one month share a cell.
  for (let i = 0; i < columns.length;) {
    const col = columns[i]!;
    if (col.kind === 'term') {
      p.cellText(col.label!, col.x, top, col.w, 2 * hr, 'bold', 7, { align: 'center', minSize: 5.5, pad: 0.5 });
      segs.push([col.x, top, col.x, bottom]);
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < columns.length && columns[j + 1]!.kind !== 'term' && columns[j + 1]!.month === col.month) j++;
    const span = columns[j]!.x + columns[j]!.w - col.x;
    const full = MONTHS[col.month!]!;
    const name = p.measure(full, 'regular', 8) <= span - 3 ? full : MONTHS_SHORT[col.month!]!;
    p.cellText(name, col.x, top, span, hr, 'regular', 8, { align: 'center', minSize: 5, pad: 0.5 });
    segs.push([col.x, top, col.x, bottom]);
    segs.push([col.x, top + hr, columns[j]!.x + columns[j]!.w, top + hr]);
    for (let k = i; k <= j; k++) {
      const dc = columns[k]!;
      p.cellText(dc.day!, dc.x, top + hr, dc.w, hr, dc.kind === 'extra' ? 'italic' : 'regular', dc.kind === 'extra' ? 5.5 : 8, { align: 'center', minSize: 4.5, pad: 0.3 });
      if (k > i) segs.push([dc.x, top + hr, dc.x, bottom]);
    }
    i = j + 1;
  }
  // Rows.
  for (let r = r0; r < r1; r++) {
    const y = body + (r - r0) * GRID.row;
    p.cellText(String(r + 1), x0, y, GRID.num, GRID.row, 'regular', 8, { align: 'center' });
    p.cellText(names[r]!, x0 + GRID.num, y, GRID.name, GRID.row, 'regular', 9, { minSize: 6.5 });
    for (const col of columns) {
      const v = col.cells[r];
      if (v) p.cellText(v, col.x, y, col.w, GRID.row, col.kind === 'term' ? 'bold' : 'regular', 9, { align: 'center', minSize: 6, pad: 0.5 });
    }
    segs.push([x0, y, right, y]);
  }
  if (names.length === 0) p.text('В группе нет обучающихся.', x0 + GRID.num + 3, body + 2, 'italic', 9);
  segs.push([x0 + GRID.num, top, x0 + GRID.num, bottom], [x0 + GRID.num + GRID.name, top, x0 + GRID.num + GRID.name, bottom]);
  p.strokes(segs, 0.35);
  // Heavier lines: the frame, and the edges of the term columns.
  const heavy: [number, number, number, number][] = [[x0, body, right, body]];
  for (const col of columns) if (col.kind === 'term') heavy.push([col.x, top, col.x, bottom], [col.x + col.w, top, col.x + col.w, bottom]);
  p.strokes(heavy, 0.8);
  p.rect(x0, top, right - x0, bottom - top, 0.9);
}

function rightPage(p: Pdf, d: AnnualJournalData, c: AnnualCourse, blocks: Block[], continued: boolean): void {
  courseHeading(p, d, c, continued ? 'записи уроков (продолжение)' : 'записи уроков');
  const x = SHEET.left;
  const y = SHEET.top + GRID.titleH;
  const h = drawBlocks(p, blocks, x, y);
  if (blocks.length === 0) p.text('Уроков на этих листах нет: здесь только итоговые отметки.', x + 4, y + h + 4, 'italic', 11);
}

// ── timetable, curriculum, attendance ────────────────────────────────────────

function sheetTitle(p: Pdf, d: AnnualJournalData, title: string, sub?: string): number {
  const w = width(p);
  p.text(title, SHEET.left, SHEET.top, 'bold', 14, { width: w, align: 'center' });
  p.text(sub ?? `${d.cls.name} класс, ${d.cls.year} учебный год`, SHEET.left, SHEET.top + 18, 'regular', 11, { width: w, align: 'center' });
  return SHEET.top + 40;
}

function timetablePages(pdf: Pdf, d: AnnualJournalData): PagePlan[] {
  const t = d.timetable;
  const days = Math.max(5, ...t.slots.map((s) => s.weekday));
  const w = width(pdf);
  const first = 84;
  const cols = [first, ...Array.from({ length: days }, () => (w - first) / days)];
  const numbers = [...new Set([...t.bells.map((b) => b.number), ...t.slots.map((s) => s.number)])].sort((a, b) => a - b)
    .filter((n) => t.slots.some((s) => s.number === n) || n <= Math.max(0, ...t.slots.map((s) => s.number)));
  const head = tableRow(pdf, cols, [[{ text: 'Урок' }], ...WEEKDAYS.slice(0, days).map((x) => [{ text: x }])], { style: 'bold', size: 11, fill: HEAD_FILL, align: cols.map(() => 'center' as const) });
  const rows = numbers.map((n) => {
    const bell = t.bells.find((b) => b.number === n);
    return tableRow(pdf, cols, [
      [{ text: `${n}`, style: 'bold' }, ...(bell ? [{ text: `${bell.starts}–${bell.ends}`, size: 9 }] : [])],
      ...Array.from({ length: days }, (_, dd) => t.slots.filter((s) => s.weekday === dd + 1 && s.number === n).flatMap((s) => [
        { text: s.subject, size: 11 },
        ...(s.room || s.teacher ? [{ text: [s.room, s.teacher].filter(Boolean).join(', '), size: 8.5, style: 'italic' as const }] : []),
      ])),
    ], { size: 11, minHeight: 26, align: ['center', ...Array.from({ length: days }, () => 'left' as const)] });
  });
  return [(p) => {
    let y = sheetTitle(p, d, 'Расписание уроков', `${d.cls.name} класс, ${d.cls.year} учебный год${t.since ? ` (действует с ${formatDateRu(t.since)})` : ''}`);
    head.draw(p, SHEET.left, y);
    y += head.height;
    for (const r of rows) { r.draw(p, SHEET.left, y); y += r.height; }
    if (rows.length === 0) p.text('Расписание в журнал не внесено.', SHEET.left + 4, y + 6, 'italic', 12);
  }];
}

function planPages(pdf: Pdf, d: AnnualJournalData): PagePlan[] {
  const w = width(pdf);
  const per = d.periods.map((_, i) => i);
  const fixed = [22, 170, 130, 50, 50, ...per.map(() => 48), 48];
  const cols = [...fixed, w - fixed.reduce((a, b) => a + b, 0)];
  const center = cols.map((_, i) => (i === 1 || i === 2 ? 'left' : 'center') as 'left' | 'center');
  const head = tableRow(pdf, cols, [[{ text: '№' }], [{ text: 'Предмет' }], [{ text: 'Учитель' }], [{ text: 'Часов в неделю' }], [{ text: 'По плану (КТП), ч' }],
    ...d.periods.map((p) => [{ text: `Дано: ${p.short}` }]), [{ text: 'Дано за год' }], [{ text: 'Подпись учителя' }]], { style: 'bold', size: 9, fill: HEAD_FILL, align: cols.map(() => 'center' as const) });
  const rows = d.courses.map((c, i) => {
    const given = (from: string, to: string) => c.lessons.filter((l) => l.given && l.date >= from && l.date <= to).length;
    return tableRow(pdf, cols, [[{ text: String(i + 1) }], [{ text: courseTitle(c) }], [{ text: c.teacher?.short ?? '' }], [{ text: String(c.hoursPerWeek) }], [{ text: String(c.planned) }],
      ...d.periods.map((p) => [{ text: String(given(p.starts, p.ends)) }]), [{ text: String(c.lessons.filter((l) => l.given).length) }], []], { size: 12, minHeight: 22, align: center });
  });
  const room = pdf.pageHeight - SHEET.bottom - SHEET.top - 40 - head.height;
  const pages: Block[][] = [[]];
  let used = 0;
  for (const r of rows) {
    if (used + r.height > room && pages.at(-1)!.length) { pages.push([]); used = 0; }
    pages.at(-1)!.push(r);
    used += r.height;
  }
  return pages.map((blocks, i) => (p: Pdf) => {
    let y = sheetTitle(p, d, `Сведения о выполнении учебного плана${i > 0 ? ' (продолжение)' : ''}`);
    head.draw(p, SHEET.left, y);
    y += head.height;
    for (const b of blocks) { b.draw(p, SHEET.left, y); y += b.height; }
  });
}

const ATT_LABELS = ['всего', 'по болезни', 'по уваж. причине', 'без уваж. причины'];

function attendancePages(pdf: Pdf, d: AnnualJournalData): PagePlan[] {
  const w = width(pdf);
  const groups = [...d.periods.map((p) => p.name), 'За учебный год'];
  const cw = (w - GRID.num - GRID.name) / (groups.length * 4);
  const h1 = 14;
  const h2 = 26;
  const top0 = SHEET.top + 40;
  const perPage = Math.max(1, Math.floor((pdf.pageHeight - SHEET.bottom - top0 - h1 - h2 - GRID.row) / GRID.row));
  const n = d.students.length;
  const pages: PagePlan[] = [];
  for (let r0 = 0; r0 < Math.max(1, n); r0 += perPage) {
    const r1 = Math.min(n, r0 + perPage);
    const last = r1 === n;
    pages.push((p) => {
      sheetTitle(p, d, `Сведения о пропущенных уроках${r0 > 0 ? ' (продолжение)' : ''}`);
      const x0 = SHEET.left;
      const top = top0;
      const xs = (g: number, k: number) => x0 + GRID.num + GRID.name + (g * 4 + k) * cw;
      p.fill(x0, top, w, h1 + h2, HEAD_FILL);
      p.cellText('№', x0, top, GRID.num, h1 + h2, 'bold', 8, { align: 'center' });
      p.cellText('Фамилия, имя обучающегося', x0 + GRID.num, top, GRID.name, h1 + h2, 'bold', 9, { align: 'center', minSize: 7 });
      const segs: [number, number, number, number][] = [];
      const rowsEnd = top + h1 + h2 + (r1 - r0 + (last ? 1 : 0)) * GRID.row;
      groups.forEach((g, gi) => {
        p.cellText(g, xs(gi, 0), top, cw * 4, h1, 'bold', 9, { align: 'center', minSize: 6 });
        ATT_LABELS.forEach((label, k) => {
          const lines = p.wrap(label, cw - 2, 'regular', 7);
          p.lines(lines.slice(0, 3), xs(gi, k) + 1, top + h1 + (h2 - lines.slice(0, 3).length * 8) / 2, 'regular', 7, 8, { width: cw - 2, align: 'center' });
          segs.push([xs(gi, k), top + h1, xs(gi, k), rowsEnd]);
        });
      });
      segs.push([x0 + GRID.num + GRID.name, top + h1, x0 + w, top + h1]);
      const cellsRow = (y: number, values: number[][], style: 'regular' | 'bold') => values.forEach((bucket, gi) => bucket.forEach((v, k) => {
        if (v) p.cellText(String(v), xs(gi, k), y, cw, GRID.row, style, 9, { align: 'center', minSize: 6 });
      }));
      let y = top + h1 + h2;
      for (let r = r0; r < r1; r++) {
        p.cellText(String(r + 1), x0, y, GRID.num, GRID.row, 'regular', 8, { align: 'center' });
        p.cellText(gridName(p, d.students[r]!), x0 + GRID.num, y, GRID.name, GRID.row, 'regular', 9, { minSize: 6.5 });
        cellsRow(y, d.attendance[r]!, 'regular');
        segs.push([x0, y, x0 + w, y]);
        y += GRID.row;
      }
      if (last) {
        segs.push([x0, y, x0 + w, y]);
        p.cellText('Итого по классу', x0 + GRID.num, y, GRID.name, GRID.row, 'bold', 9);
        const sum = groups.map((_, gi) => [0, 1, 2, 3].map((k) => d.attendance.reduce((a, s) => a + s[gi]![k]!, 0)));
        cellsRow(y, sum, 'bold');
        y += GRID.row;
      }
      segs.push([x0 + GRID.num, top, x0 + GRID.num, y], [x0 + GRID.num + GRID.name, top, x0 + GRID.num + GRID.name, y]);
      p.strokes(segs, 0.35);
      p.strokes(groups.map((_, gi) => [xs(gi, 0), top, xs(gi, 0), y] as [number, number, number, number]), 0.8);
      p.rect(x0, top, w, y - top, 0.9);
    });
  }
  return pages;
}
