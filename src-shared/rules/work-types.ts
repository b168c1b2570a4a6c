/**
 * R-WORKTYPE (п. 7.14, 9.5): each mark says what work it is for; thematic control gets a mark
 * for every student in the column of the day it was held.
 */
import { WORK_TYPES } from '../domain/school';
import type { MarkColumn, WorkType } from '../domain/school';
import type { Id } from '../domain/values';
import type { RuleLesson, RuleMark, RuleStudent } from './inputs';
import { isPeExempt } from './pe';
import { ok, warn } from './verdict';
import type { Verdict } from './verdict';

/** R-WORKTYPE (п. 9.5): the work type a mark is for — its own, else its lesson's. */
export function effectiveWorkType(lesson: Pick<RuleLesson, 'workType'>, mark?: Pick<RuleMark, 'workType'>): WorkType | undefined {
  return mark?.workType ?? lesson.workType;
}

/** R-WORKTYPE (п. 7.14): thematic control (контрольная, зачёт, сочинение, практическая, лабораторная…) — WORK_TYPES[…].thematic. */
export function isThematic(workType: WorkType | undefined): boolean {
  return workType !== undefined && WORK_TYPES[workType].thematic;
}

/**
 * R-WORKTYPE (п. 9.5 «указывает виды работ, за которые ученик получает оценку»): a mark with no
 * work type (neither its own nor its lesson's) is flagged.
 */
export function checkWorkTypeGiven(lesson: Pick<RuleLesson, 'workType'>, mark: Pick<RuleMark, 'workType'>): Verdict {
  if (effectiveWorkType(lesson, mark) === undefined) {
    return warn('R-WORKTYPE', 'п. 9.5', 'Укажите вид работы, за которую выставлена отметка');
  }
  return ok();
}

/** One student of the lesson's roster. */
export interface RosterEntry {
  student: RuleStudent;
  /** Marked «н» at this lesson. */
  absent: boolean;
}

/** A mark already in the lesson's columns. */
export interface CellMark {
  studentId: Id;
  column: MarkColumn;
}

/**
 * Biology and geography laboratory works may be assessed individually (п. 7.15 «Биология,
 * география»), so the every-student rule does not bind them.
 */
function everyStudentRuleApplies(lesson: Pick<RuleLesson, 'subjectCode' | 'workType' | 'kind' | 'grade'>): boolean {
  if (!isThematic(lesson.workType)) return false;
  if (lesson.kind === 'extracurricular' || lesson.grade === 1) return false;
  if (lesson.workType === 'laboratory' && (lesson.subjectCode === 'biology' || lesson.subjectCode === 'geography')) return false;
  return true;
}

/**
 * R-WORKTYPE (п. 7.14): at a thematic-control lesson every present student gets a mark in the
 * lesson's main column. Returns the ids of present students without one, in roster order.
 * Not counted: absent students, home-schooled students at a class lesson (their page is the
 * home-schooling tab, п. 8.2) and PE-exempt students at PE (п. 7.14).
 */
export function missingThematicMarks(
  lesson: Pick<RuleLesson, 'date' | 'subjectCode' | 'workType' | 'kind' | 'grade'>,
  roster: readonly RosterEntry[],
  marks: readonly CellMark[],
): Id[] {
  if (!everyStudentRuleApplies(lesson)) return [];
  const marked = new Set(marks.filter((m) => m.column === 'main').map((m) => m.studentId));
  return roster
    .filter((r) => !r.absent)
    .filter((r) => !(r.student.homeSchooling && lesson.kind !== 'home'))
    .filter((r) => !(lesson.subjectCode === 'pe' && isPeExempt(r.student, lesson.date)))
    .filter((r) => !marked.has(r.student.id))
    .map((r) => r.student.id);
}

/** R-WORKTYPE (п. 7.14): a warning naming how many present students still lack a thematic-control mark. */
export function checkThematicMarks(
  lesson: Pick<RuleLesson, 'date' | 'subjectCode' | 'workType' | 'kind' | 'grade'>,
  roster: readonly RosterEntry[],
  marks: readonly CellMark[],
): Verdict {
  const missing = missingThematicMarks(lesson, roster, marks);
  if (missing.length === 0) return ok();
  const label = lesson.workType ? WORK_TYPES[lesson.workType].label : '';
  return warn('R-WORKTYPE', 'п. 7.14',
    `«${label}»: отметки выставляются всем присутствовавшим обучающимся; без отметки — ${missing.length}`,
    { missing });
}
