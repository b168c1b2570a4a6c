/**
 * R-SUMMARY (п. 7.9), and the сводная ведомость of the annual journal (п. 12.2): per student a
 * block of rows — the periods, «Год», «Экз.», «Итог.» — under the subjects, whose names stand
 * upright in the header as in the paper journal; then the year's outcome by the annual marks.
 * A grid: 8–9 pt type, as in a paper journal's ruled pages.
 */
import { formatDateRu, type LocalDate } from '../../src-shared/domain/values';
import { JournalError } from '../journal/errors';
import { SHEET, type PagePlan, type Pdf } from './pdf';
import type { ClassSummary, SchoolSummary } from './summary-data';

const NUM_W = 16;
const PERIOD_W = 34;
const OUTCOME_W = 104;
const HEADER_H = 100;
const ROW_H = 11.5;
const TITLE_H = 36;
const FOOT_H = 44;

export function summaryPages(pdf: Pdf, s: ClassSummary): PagePlan[] {
  const width = pdf.pageWidth - SHEET.left - SHEET.right;
  const k = Math.max(1, s.subjects.length);
  const subjectW = Math.min(46, (width - NUM_W - 150 - PERIOD_W - OUTCOME_W) / k);
  const nameW = width - NUM_W - PERIOD_W - OUTCOME_W - subjectW * k;
  const rows = Math.max(1, s.terms.length);
  const room = pdf.pageHeight - SHEET.top - SHEET.bottom - TITLE_H - HEADER_H - 14;
  const perPage = Math.max(1, Math.floor(room / (rows * ROW_H)));
  const heads = s.subjects.map((subj) => upright(pdf, subj, HEADER_H - 6, subjectW - 2));

  const pages: number[][] = [];
  for (let i = 0; i < Math.max(1, s.students.length); i += perPage) pages.push(s.students.slice(i, i + perPage).map((_, n) => i + n));
  const lastUsed = (pages.at(-1)?.length ?? 0) * rows * ROW_H;
  const footOnOwnPage = lastUsed + FOOT_H > room;

  const plan: PagePlan[] = pages.map((idx, p) => (d: Pdf) => {
    const x0 = SHEET.left;
    let y = SHEET.top;
    d.text('Сводная ведомость учёта результатов промежуточной и итоговой аттестации обучающихся', x0, y, 'bold', 12, { width, align: 'center' });
    d.text(`${s.cls.name} класс, ${s.cls.year} учебный год${s.cls.classTeacher ? `. Классный руководитель: ${s.cls.classTeacher.full}` : ''}${p > 0 ? ' (продолжение)' : ''}`,
      x0, y + 15, 'regular', 11, { width, align: 'center' });
    y += TITLE_H;
    // Header.
    const xs = { num: x0, name: x0 + NUM_W, period: x0 + NUM_W + nameW, subj: x0 + NUM_W + nameW + PERIOD_W, out: x0 + width - OUTCOME_W };
    d.fill(x0, y, width, HEADER_H, '#eeeeee');
    d.cellText('№', xs.num, y, NUM_W, HEADER_H, 'bold', 8, { align: 'center' });
    d.cellText('Фамилия, имя, отчество обучающегося', xs.name, y, nameW, HEADER_H, 'bold', 9, { align: 'center', minSize: 7 });
    d.cellText('Период', xs.period, y, PERIOD_W, HEADER_H, 'bold', 8, { align: 'center', minSize: 6 });
    heads.forEach((h, i) => d.upright(h.lines, xs.subj + i * subjectW, y + 3, subjectW, HEADER_H - 6, 'regular', h.size));
    const outcome = d.wrap('Итоги года (по годовым отметкам)', OUTCOME_W - 6, 'bold', 8);
    d.lines(outcome, xs.out + 3, y + HEADER_H / 2 - (outcome.length * 8 * 1.15) / 2, 'bold', 8, 8 * 1.15, { width: OUTCOME_W - 6, align: 'center' });
    const segs: [number, number, number, number][] = [];
    const top = y;
    y += HEADER_H;
    if (s.students.length === 0) d.text('В классе нет обучающихся.', xs.name + 3, y + 4, 'italic', 11);
    for (const i of idx) {
      const st = s.students[i]!;
      const h = rows * ROW_H;
      d.cellText(String(i + 1), xs.num, y, NUM_W, ROW_H, 'regular', 9, { align: 'center' });
      const name = d.wrap(st.left ? `${st.name} (выбыл(а) ${formatDateRu(st.left)})` : st.name, nameW - 4, 'regular', 9);
      d.lines(name.slice(0, Math.max(1, Math.floor(h / (9 * 1.15)))), xs.name + 2, y + 1.5, 'regular', 9, 9 * 1.15);
      const out = d.wrap(st.outcome, OUTCOME_W - 4, 'regular', 8.5);
      d.lines(out.slice(0, Math.max(1, Math.floor(h / (8.5 * 1.15)))), xs.out + 2, y + 1.5, 'regular', 8.5, 8.5 * 1.15);
      s.terms.forEach((t, r) => {
        const ry = y + r * ROW_H;
        const strong = t.term === 'annual' || t.term === 'final';
        d.cellText(t.short, xs.period, ry, PERIOD_W, ROW_H, strong ? 'bold' : 'regular', 8, { align: 'left', minSize: 6 });
        st.marks[r]!.forEach((v, c) => d.cellText(v, xs.subj + c * subjectW, ry, subjectW, ROW_H, strong ? 'bold' : 'regular', 9, { align: 'center', minSize: 7 }));
        if (r > 0) segs.push([xs.period, ry, xs.out, ry]);
      });
      y += h;
      segs.push([x0, y, x0 + width, y]);
    }
    // Grid.
    const bottom = Math.max(y, top + HEADER_H);
    for (const x of [xs.name, xs.period, xs.out, ...s.subjects.map((_, i) => xs.subj + i * subjectW)]) segs.push([x, top, x, bottom]);
    segs.push([x0, top + HEADER_H, x0 + width, top + HEADER_H]);
    d.strokes(segs, 0.4);
    d.rect(x0, top, width, bottom - top, 0.8);
    if (p === pages.length - 1 && !footOnOwnPage) councilLine(d, s, x0, bottom + 10);
  });
  if (footOnOwnPage) plan.push((d) => councilLine(d, s, SHEET.left, SHEET.top));
  return plan;
}

function councilLine(d: Pdf, s: ClassSummary, x: number, y: number): void {
  d.text(`Решение педагогического совета о ${s.cls.grade === 9 || s.cls.grade === 11 ? 'допуске к государственной итоговой аттестации' : 'переводе'}: протокол № ______ от «____» ______________ 20____ г.`, x, y, 'regular', 11);
  d.text(`Классный руководитель  ______________________  / ${s.cls.classTeacher?.short ?? '____________________'} /`, x, y + 20, 'regular', 11);
}

/** A subject's name for an upright header cell: wrapped to the cell's height, as many lines as its width holds. */
function upright(pdf: Pdf, subj: { name: string; short: string }, length: number, thickness: number): { lines: readonly string[]; size: number } {
  for (const size of [8, 7.5, 7, 6.5]) {
    const lines = pdf.wrap(subj.name, length, 'regular', size);
    if (lines.length * size * 1.15 <= thickness) return { lines, size };
  }
  return { lines: pdf.wrap(subj.short, length, 'regular', 7), size: 7 };
}

/** The standalone summary sheet: every class from a new page, «Страница N из M» at the foot. */
export function drawSummary(pdf: Pdf, data: SchoolSummary, printedOn: LocalDate, onProgress?: (done: number, total: number) => void): { classes: number } {
  if (data.classes.length === 0) throw new JournalError('not_found', `В ${data.year.name} учебном году нет классов`);
  const plans = data.classes.flatMap((c) => summaryPages(pdf, c));
  const w = pdf.pageWidth - SHEET.left - SHEET.right;
  pdf.onPage = (p) => {
    const y = p.pageHeight - SHEET.bottom + 8;
    p.text(`${data.school}. Сведения из электронного журнала на ${formatDateRu(printedOn)} (п. 7.9 Порядка)`, SHEET.left, y, 'regular', 8, { color: '#444444' });
    p.text(`Страница ${p.pages} из ${plans.length}`, SHEET.left, y, 'regular', 9, { width: w, align: 'right' });
  };
  plans.forEach((plan, i) => {
    pdf.newPage();
    plan(pdf);
    onProgress?.(i + 1, plans.length);
  });
  return { classes: data.classes.length };
}
