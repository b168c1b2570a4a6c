/**
 * R-WEEKLY-PAPER (п. 7.2, 7.11): the weekly report a family without the electronic diary gets on
 * paper. A4 portrait, one student per page (continued on the next when the week is full), every
 * student of the batch in one PDF for one print job. Entries — topics, homework, work types,
 * marks — in Liberation Serif 12 pt (R-PRINT-FONT); headings and the page footer smaller.
 */
import { formatDateRu, type LocalDate } from '../../src-shared/domain/values';
import { drawBlocks, gap, paginate, tableRow, textBlock, type Block, type Para } from './flow';
import { LINE, type Pdf } from './pdf';
import type { WeeklyData, WeeklyLesson, WeeklyStudent } from './weekly-data';

export const WEEKLY_PAGE = { left: 45, right: 25, top: 30, bottom: 40 };
/** № | Предмет | Тема урока | Домашнее задание | Отметки, посещение */
const COLS = [19, 100, 172, 130, 104];
const TABLE_W = COLS.reduce((a, b) => a + b, 0);
/**
 * The characters of weekly reports, first in every font's subset (PdfSetup.glyphs): the printable
 * ASCII, the Russian alphabet, the typographic marks of Russian text. A class whose reports need
 * no others embeds the same font files as every other class of the batch.
 */
export const WEEKLY_GLYPHS = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 64 }, (_, i) => String.fromCharCode(0x410 + i)), 'Ё', 'ё',
  '«', '»', '–', '—', '№', '§', '…', '’', '“', '”', '„',
].join('');
const HEAD_FILL = '#e6e6e6';
const DAY_FILL = '#f2f2f2';

export function drawWeekly(pdf: Pdf, data: WeeklyData, printedOn: LocalDate, onProgress?: (done: number, total: number) => void): { students: number } {
  const width = pdf.pageWidth - WEEKLY_PAGE.left - WEEKLY_PAGE.right;
  const room = pdf.pageHeight - WEEKLY_PAGE.top - WEEKLY_PAGE.bottom;
  const period = `${formatDateRu(data.from)} – ${formatDateRu(data.to)}`;
  // Smaller pages, the same look: table rows share their borders (each line drawn once a page;
  // fills come first, nothing covers a line) and lines of text one text object.
  pdf.batchLines();
  pdf.compactText();
  const shared = sharedBlocks();
  data.students.forEach((s, i) => {
    const pages = paginate(studentBlocks(pdf, data, s, width, shared), room - 18);
    pages.forEach((blocks, n) => {
      pdf.newPage();
      let y = WEEKLY_PAGE.top;
      if (n > 0) {
        pdf.text(`${s.name}, ${data.className} класс, неделя ${period} (продолжение)`, WEEKLY_PAGE.left, y, 'italic', 10);
        y += 18;
      }
      drawBlocks(pdf, blocks, WEEKLY_PAGE.left, y);
      const foot = pdf.pageHeight - WEEKLY_PAGE.bottom + 12;
      pdf.text(`Сведения из электронного журнала на ${formatDateRu(printedOn)}. ${s.name}, ${data.className}`, WEEKLY_PAGE.left, foot, 'regular', 8, { color: '#444444' });
      pdf.text(`Страница ${n + 1} из ${pages.length}`, WEEKLY_PAGE.left, foot, 'regular', 9, { width, align: 'right' });
    });
    onProgress?.(i + 1, data.students.length);
  });
  return { students: data.students.length };
}

/**
 * Blocks the students of a class have in common, laid out once: the table's header, the days,
 * a lesson's row for every student with the same marks (most have none), period-mark rows with
 * the same marks. A block is drawn where it is put (`draw(pdf, x, y)`), so one serves them all.
 */
function sharedBlocks(): (key: string, make: () => Block) => Block {
  const known = new Map<string, Block>();
  return (key, make) => {
    let b = known.get(key);
    if (!b) known.set(key, (b = make()));
    return b;
  };
}

/** Parts of a cache key: texts that may be null, in a string no text contains. */
const key = (...parts: (string | number | null | undefined)[]) => parts.map((p) => (p === null || p === undefined ? '\u0000' : String(p))).join('\u0001');

function studentBlocks(pdf: Pdf, data: WeeklyData, s: WeeklyStudent, width: number, shared: ReturnType<typeof sharedBlocks>): Block[] {
  const blocks: Block[] = [
    shared('school', () => textBlock(pdf, [{ text: data.school }], width, { size: 10, style: 'italic', align: 'center', after: 4 })),
    shared('title', () => textBlock(pdf, [{ text: 'Сведения об успеваемости и посещаемости обучающегося' }], width, { size: 14, style: 'bold', align: 'center', after: 2 })),
    shared('week', () => textBlock(pdf, [{ text: `за неделю с ${formatDateRu(data.from)} по ${formatDateRu(data.to)} (${data.yearName} учебный год)` }], width, { align: 'center', after: 8 })),
    labelled(pdf, 'Обучающийся:', s.name, width),
    shared('class', () => labelled(pdf, 'Класс:', data.className, width)),
    shared('teacher', () => labelled(pdf, 'Классный руководитель:', data.classTeacher?.full ?? '—', width)),
    gap(8),
  ];
  const header = shared('head', () => tableRow(pdf, COLS, [[{ text: '№' }], [{ text: 'Предмет' }], [{ text: 'Тема урока' }], [{ text: 'Домашнее задание' }], [{ text: 'Отметки, посещение' }]],
    { style: 'bold', size: 10, fill: HEAD_FILL, align: ['center', 'center', 'center', 'center', 'center'] }));
  blocks.push(shared('head+', () => ({ ...header, keepWithNext: true })));
  const row = (b: Block): Block => ({ ...b, header });
  let lessons = 0;
  for (const d of s.days) {
    if (d.lessons.length === 0) {
      blocks.push(shared(key('free', d.date, d.weekday, d.holiday), () => row(tableRow(pdf, [TABLE_W], [[{ text: `${d.weekday}, ${formatDateRu(d.date)} — ${d.holiday ?? 'уроков нет'}`, style: 'bold' }]], { fill: DAY_FILL }))));
      continue;
    }
    blocks.push(shared(key('day', d.date, d.weekday), () => row({ ...tableRow(pdf, [TABLE_W], [[{ text: `${d.weekday}, ${formatDateRu(d.date)}`, style: 'bold' }]], { fill: DAY_FILL }), keepWithNext: true })));
    for (const l of d.lessons) {
      lessons++;
      blocks.push(shared(key('lesson', l.number, l.subject, l.topic, l.note, l.homework, l.individualHomework, l.absence, ...l.marks.flatMap((m) => [m.value, m.work])), () => lessonRow(pdf, l, row)));
    }
  }
  if (lessons === 0) blocks.push(textBlock(pdf, [{ text: 'На этой неделе у обучающегося не было уроков: отметок, пропусков и домашних заданий нет.', style: 'italic' }], width, { after: 0 }));
  blocks.push(gap(10));

  const m = s.missed;
  blocks.push(textBlock(pdf, [{
    text: m.total === 0 ? 'Пропусков уроков за неделю нет.'
      : `Пропущено уроков за неделю: ${m.total} (${m.reasons.map((r) => `${r.label} — ${r.count}`).join(', ')}).`,
  }], width, { after: 10 }));

  blocks.push(shared('period marks', () => ({ ...textBlock(pdf, [{ text: `Отметки за учебные периоды на ${formatDateRu(data.to)}` }], width, { style: 'bold', after: 3 }), keepWithNext: true })));
  if (s.periodMarks.length === 0 || data.terms.length === 0) {
    blocks.push(textBlock(pdf, [{ text: 'Отметок за учебные периоды пока нет.' }], width, { after: 10 }));
  } else {
    // Two tables side by side when there are few term columns: half the height on the page.
    const halves = data.terms.length <= 3 && s.periodMarks.length > 4 ? 2 : 1;
    const sep = 12;
    const tableW = (width - sep * (halves - 1)) / halves;
    const termW = Math.min(44, Math.floor((tableW - 140) / data.terms.length));
    const widths = [tableW - termW * data.terms.length, ...data.terms.map(() => termW)];
    const align = widths.map((_, i) => (i === 0 ? 'left' : 'center') as 'left' | 'center');
    const pair = (make: (k: number, minHeight?: number) => Block | undefined): Block => {
      const first = [0, 1].slice(0, halves).map((k) => make(k));
      const h = Math.max(...first.map((b) => b?.height ?? 0));
      // Made again only where the other half is taller.
      const parts = first.map((b, k) => (b && b.height < h ? make(k, h) : b));
      return { height: h, draw: (p, x, y) => parts.forEach((b, k) => b?.draw(p, x + k * (tableW + sep), y)) };
    };
    const pmHead = shared(key('terms', halves), () => pair((_k, minHeight) => tableRow(pdf, widths, [[{ text: 'Предмет' }], ...data.terms.map((t) => [{ text: t.short }])],
      { style: 'bold', size: 10, fill: HEAD_FILL, align, ...(minHeight ? { minHeight } : {}) })));
    blocks.push(shared(key('terms+', halves), () => ({ ...pmHead, keepWithNext: true })));
    const perTable = Math.ceil(s.periodMarks.length / halves);
    for (let i = 0; i < perTable; i++) {
      const rows = [0, 1].slice(0, halves).map((k) => s.periodMarks[k * perTable + i]);
      blocks.push(shared(key('marks', halves, ...rows.flatMap((r) => (r ? [r.subject, ...r.values, '\u0002'] : ['\u0003']))), () => ({
        ...pair((k, minHeight) => {
          const r = rows[k];
          return r && tableRow(pdf, widths, [[{ text: r.subject }], ...r.values.map((v) => [{ text: v ?? '' }])], { align, ...(minHeight ? { minHeight } : {}) });
        }),
        header: pmHead,
      })));
    }
    blocks.push(gap(10));
  }

  blocks.push(shared('comments', () => ({ ...textBlock(pdf, [{ text: 'Комментарии учителей' }], width, { style: 'bold', after: 3 }), keepWithNext: true })));
  if (s.comments.length === 0) blocks.push(shared('no comments', () => textBlock(pdf, [{ text: 'Комментариев за неделю нет.' }], width, { after: 10 })));
  for (const c of s.comments) {
    blocks.push(textBlock(pdf, [{ text: `${formatDateRu(c.date)}, ${c.subject}${c.teacher ? ` (${c.teacher})` : ''}: ${c.text}` }], width, { after: 3 }));
  }
  blocks.push(gap(8));
  blocks.push(shared('signatures', () => signatures(pdf, data)));
  return blocks;
}

/** A lesson's row: №, subject, topic (and a note), homework (class and individual), marks with work types and «н». */
function lessonRow(pdf: Pdf, l: WeeklyLesson, row: (b: Block) => Block): Block {
  const topic: Para[] = [{ text: l.topic ?? '—' }, ...(l.note ? [{ text: `(${l.note})`, style: 'italic' as const, size: 10 }] : [])];
  const homework: Para[] = [
    ...(l.homework ? [{ text: l.homework }] : []),
    ...(l.individualHomework ? [{ text: /^индивидуальн/i.test(l.individualHomework) ? l.individualHomework : `Индивидуально: ${l.individualHomework}`, style: 'italic' as const }] : []),
  ];
  const marks: Para[] = [
    ...l.marks.map((m) => ({ text: `${m.value} — ${m.work}` })),
    ...(l.absence ? [{ text: l.absence }] : []),
  ];
  return row(tableRow(pdf, COLS, [[{ text: String(l.number) }], [{ text: l.subject }], topic, homework.length ? homework : [{ text: '—' }], marks],
    { align: ['center', 'left', 'left', 'left', 'left'] }));
}

/** «Обучающийся: Петров Пётр Ильич» — the label regular, the value bold, wrapped under itself. */
function labelled(pdf: Pdf, label: string, value: string, width: number): Block {
  const lw = pdf.measure(`${label} `, 'regular', 12);
  const lines = pdf.wrap(value, width - lw, 'bold', 12);
  return {
    height: lines.length * 12 * LINE + 2,
    draw(p, x, y) {
      p.text(label, x, y, 'regular', 12);
      p.lines(lines, x + lw, y, 'bold', 12);
    },
  };
}

function signatures(pdf: Pdf, data: WeeklyData): Block {
  const line = '___________________';
  const first = 'Классный руководитель';
  const second = 'Родитель (законный представитель)';
  const at = Math.max(pdf.measure(first, 'regular', 12), pdf.measure(second, 'regular', 12)) + 10;
  const lineW = pdf.measure(line, 'regular', 12);
  const teacher = data.classTeacher?.short ?? '_______________';
  return {
    height: 68,
    draw(p, x, y) {
      p.text(first, x, y, 'regular', 12);
      p.text(`${line}  / ${teacher} /`, x + at, y, 'regular', 12);
      p.text('подпись', x + at, y + 13, 'italic', 8, { width: lineW, align: 'center' });
      p.text(second, x, y + 28, 'regular', 12);
      p.text(`${line}  / ${line} /`, x + at, y + 28, 'regular', 12);
      p.text('подпись', x + at, y + 41, 'italic', 8, { width: lineW, align: 'center' });
      p.text('расшифровка подписи', x + at + lineW + pdf.measure('  / ', 'regular', 12), y + 41, 'italic', 8, { width: lineW, align: 'center' });
      p.text('Дата ознакомления', x, y + 54, 'regular', 12);
      p.text('«____» ________________ 20____ г.', x + at, y + 54, 'regular', 12);
    },
  };
}
