/**
 * R-DENSITY (п. 7.14): every student is assessed at least once in 3–4 lessons, and the marks in a
 * quarter are at least 25 % of its lessons. For the teacher and the control reports.
 *
 * Gaps: the course's lessons in order (extracurricular ones left out: they take no marks);
 * lessons a student missed neither count nor break a gap; a lesson with any mark of the student
 * (any column) ends it. A run of `density.windowLessons` (4) or more attended lessons without a
 * mark is a gap; a student whose current run is one short of that is due at the next lesson.
 * A lesson whose study day is not over yet (`pending`) ends a run with a mark and does not count
 * without one: its current marks may still be entered (п. 9.5).
 */
import type { MarkValue } from '../domain/marks';
import type { LessonKind } from '../domain/school';
import type { Id, LocalDate } from '../domain/values';
import { countMarks, UNMARKED_GRADES } from './marks';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, warn } from './verdict';
import type { Verdict } from './verdict';

export interface DensityLesson {
  id: Id;
  date: LocalDate;
  number: number;
  kind?: LessonKind;
}

export interface DensityInput {
  grade: number;
  /** Held lessons of the course (any order). */
  lessons: readonly DensityLesson[];
  studentIds: readonly Id[];
  marks: readonly { studentId: Id; lessonId: Id }[];
  absences: readonly { studentId: Id; lessonId: Id }[];
  /** Lessons whose study day is not over: a mark there ends a run, no mark yet is not counted. */
  pending?: readonly Id[];
}

export interface AssessmentGap {
  studentId: Id;
  /** Attended lessons in a row without a mark. */
  lessons: number;
  from: LocalDate;
  to: LocalDate;
  /** The run goes on to the latest lesson (the student is still waiting to be assessed). */
  open: boolean;
}

export interface DensityReport {
  gaps: AssessmentGap[];
  /** Students whose current run is `windowLessons − 1`: assess them at the next lesson. */
  dueNext: Id[];
}

/** R-DENSITY (п. 7.14 «минимум 1 раз в 3-4 урока»): runs of attended lessons without a mark. */
export function assessmentGaps(input: DensityInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): DensityReport {
  if (UNMARKED_GRADES.includes(input.grade)) return { gaps: [], dueNext: [] };
  const window = settings.density.windowLessons;
  const lessons = input.lessons
    .filter((l) => l.kind !== 'extracurricular')
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number - b.number));
  const key = (s: Id, l: Id) => `${s}\u0000${l}`;
  const marked = new Set(input.marks.map((m) => key(m.studentId, m.lessonId)));
  const absent = new Set(input.absences.map((a) => key(a.studentId, a.lessonId)));
  const pending = new Set(input.pending ?? []);
  const gaps: AssessmentGap[] = [];
  const dueNext: Id[] = [];
  for (const s of input.studentIds) {
    let run: DensityLesson[] = [];
    const close = (open: boolean) => {
      if (run.length >= window) gaps.push({ studentId: s, lessons: run.length, from: run[0]!.date, to: run[run.length - 1]!.date, open });
      else if (open && run.length === window - 1) dueNext.push(s);
      run = [];
    };
    for (const l of lessons) {
      if (absent.has(key(s, l.id))) continue;
      if (marked.has(key(s, l.id))) close(false);
      else if (!pending.has(l.id)) run.push(l);
    }
    close(true);
  }
  return { gaps, dueNext };
}

export interface MarkShare {
  studentId: Id;
  /** Marks (a fraction counts as two, R-FRACTION). */
  marks: number;
  lessons: number;
  /** ⌈minShare × lessons⌉ */
  required: number;
  ok: boolean;
}

/**
 * R-DENSITY (п. 7.14 «за четверть количество отметок должно быть не менее 25% от общего
 * количества уроков»): per student, marks in the period against the period's lessons
 * (extracurricular lessons are not counted: they take no marks).
 */
export function markShare(
  input: { grade: number; lessons: number; studentIds: readonly Id[]; marks: readonly { studentId: Id; value: MarkValue }[] },
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): MarkShare[] {
  if (UNMARKED_GRADES.includes(input.grade)) return [];
  const required = Math.ceil(settings.density.minShare * input.lessons - 1e-9);
  return input.studentIds.map((studentId) => {
    const marks = countMarks(input.marks.filter((m) => m.studentId === studentId).map((m) => m.value));
    return { studentId, marks, lessons: input.lessons, required, ok: marks >= required };
  });
}

/** «урок», «урока», «уроков» for n. */
function lessonsWord(n: number): string {
  const d = n % 10;
  const h = n % 100;
  if (d === 1 && h !== 11) return 'урок';
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return 'урока';
  return 'уроков';
}

/** R-DENSITY (п. 7.14): one warning for the teacher naming the students with gaps and too few marks. */
export function checkDensity(gaps: DensityReport, shares: readonly MarkShare[], settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const few = shares.filter((s) => !s.ok);
  const students = [...new Set(gaps.gaps.map((g) => g.studentId))];
  if (students.length === 0 && few.length === 0) return ok();
  const parts: string[] = [];
  const window = settings.density.windowLessons;
  if (students.length > 0) parts.push(`без отметки не меньше ${window} уроков подряд: ${students.length}`);
  if (few.length > 0) parts.push(`отметок меньше ${Math.round(settings.density.minShare * 100)} % от числа уроков: ${few.length}`);
  return warn('R-DENSITY', 'п. 7.14', `Каждый обучающийся опрашивается не реже 1 раза в ${window - 1}–${window} ${lessonsWord(window)}; ${parts.join('; ')}`,
    { gapStudents: students, fewMarks: few.map((s) => s.studentId) });
}
