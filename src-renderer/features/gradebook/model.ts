/**
 * The gradebook page as columns and cells (pure): one column per lesson (each lesson of a double
 * lesson its own column, R-TOPICS), the separate columns «Выр.чт.» / «Грамотность» next to their
 * lesson (R-SEPARATE-COLUMN, п. 7.15), and the period-mark column at the end.
 */
import type { GradebookView } from '../../../src-shared/contract/methods';
import type { MarkColumn } from '../../../src-shared/domain/school';
import { READING_COLUMN_SUBJECTS, LITERACY_COLUMN_GRADES, READING_TOPIC_PREFIX } from '../../../src-shared/rules/columns';
import type { SubjectCode } from '../../../src-shared/domain/school';

export type Lesson = GradebookView['lessons'][number];

export interface LessonColumn {
  kind: 'lesson';
  key: string;
  lesson: Lesson;
  column: MarkColumn;
  /** 1-based place of the lesson among the lessons of its date (double lessons), and how many there are. */
  nthOfDay: number;
  ofDay: number;
  /** Marks and absences cannot be entered: an extracurricular lesson (R-EXTRA) or a cancelled one. */
  locked: false | 'extracurricular' | 'cancelled';
}

export interface PeriodColumn {
  kind: 'period';
  key: 'period';
}

export type GridColumn = LessonColumn | PeriodColumn;

export const columnKey = (lessonId: string, column: MarkColumn) => `${lessonId}:${column}`;
/** One cell of the page (a student × a column key) as one string: the store's maps and notices are keyed by it. */
export const cellKey = (studentId: string, colKey: string) => `${studentId}|${colKey}`;
/** The student and the column of a `cellKey` (column keys hold no «|»). */
export function parseCellKey(key: string): { studentId: string; colKey: string } {
  const i = key.indexOf('|');
  return { studentId: key.slice(0, i), colKey: key.slice(i + 1) };
}

/** Which separate columns a lesson shows: the ones with marks, the ones its work type or topic calls for, and the ones the teacher added. */
export function separateColumns(view: GradebookView, added: ReadonlySet<string> = new Set()): Map<string, MarkColumn[]> {
  const code = view.course.subjectCode as SubjectCode;
  const readingPage = READING_COLUMN_SUBJECTS.includes(code);
  const literacyPage = code === 'russian' && LITERACY_COLUMN_GRADES.includes(view.course.grade ?? 0);
  const out = new Map<string, MarkColumn[]>();
  const add = (lessonId: string, c: MarkColumn) => {
    const list = out.get(lessonId) ?? [];
    if (!list.includes(c)) list.push(c);
    out.set(lessonId, list);
  };
  for (const m of view.marks) if (m.column !== 'main') add(m.lessonId, m.column);
  for (const l of view.lessons) {
    if (readingPage && (l.workType === 'reading' || (l.topic ?? '').trimStart().startsWith(READING_TOPIC_PREFIX))) add(l.id, 'reading');
    if (readingPage && added.has(columnKey(l.id, 'reading'))) add(l.id, 'reading');
    if (literacyPage && added.has(columnKey(l.id, 'literacy'))) add(l.id, 'literacy');
  }
  for (const [id, list] of out) out.set(id, list.sort((a, b) => (a === 'reading' ? -1 : 1) - (b === 'reading' ? -1 : 1)));
  return out;
}

export function buildColumns(view: GradebookView, added: ReadonlySet<string> = new Set(), withPeriod = true): GridColumn[] {
  const extra = separateColumns(view, added);
  const perDay = new Map<string, number>();
  for (const l of view.lessons) perDay.set(l.date, (perDay.get(l.date) ?? 0) + 1);
  const seen = new Map<string, number>();
  const cols: GridColumn[] = [];
  for (const l of view.lessons) {
    const nth = (seen.get(l.date) ?? 0) + 1;
    seen.set(l.date, nth);
    const locked = l.kind === 'extracurricular' ? 'extracurricular' : l.status === 'cancelled' ? 'cancelled' : false;
    const base = { kind: 'lesson' as const, lesson: l, nthOfDay: nth, ofDay: perDay.get(l.date) ?? 1, locked } satisfies Omit<LessonColumn, 'key' | 'column'>;
    cols.push({ ...base, key: columnKey(l.id, 'main'), column: 'main' });
    for (const c of extra.get(l.id) ?? []) cols.push({ ...base, key: columnKey(l.id, c), column: c });
  }
  if (withPeriod) cols.push({ kind: 'period', key: 'period' });
  return cols;
}

/** What a current-mark cell holds. Absences live in the lesson's main column only. */
export interface MarkCell {
  mark: string | null;
  workType: string | null;
  absent: boolean;
  reason: string | null;
}

export const EMPTY_CELL: MarkCell = Object.freeze({ mark: null, workType: null, absent: false, reason: null });

export function indexCells(view: GradebookView): Map<string, MarkCell> {
  const cells = new Map<string, MarkCell>();
  for (const m of view.marks) {
    const k = cellKey(m.studentId, columnKey(m.lessonId, m.column));
    cells.set(k, { ...(cells.get(k) ?? EMPTY_CELL), mark: m.value, workType: m.workType });
  }
  for (const a of view.absences) {
    const k = cellKey(a.studentId, columnKey(a.lessonId, 'main'));
    cells.set(k, { ...(cells.get(k) ?? EMPTY_CELL), absent: true, reason: a.reason });
  }
  return cells;
}

/** The text a cell shows: the mark, else «н». */
export function cellText(c: MarkCell | undefined): string {
  if (!c) return '';
  return c.mark ?? (c.absent ? 'н' : '');
}
