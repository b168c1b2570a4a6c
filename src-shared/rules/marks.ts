/**
 * R-MARKS (п. 7.14, 9.5): which values are allowed where. R-FRACTION (п. 7.15): how a fraction
 * is written and how it counts. Parsing lives in domain/marks.ts; here are the rules about it.
 */
import { markPoints } from '../domain/marks';
import type { MarkValue, PeriodMarkValue, Point } from '../domain/marks';
import type { WorkType } from '../domain/school';
import type { RuleLesson, RuleMark } from './inputs';
import { ok, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

/** Grades that are not marked with points (п. 9.5 «кроме 1-х классов»). */
export const UNMARKED_GRADES: readonly number[] = [1];

/**
 * R-MARKS (п. 9.5): current marks in points are given from grade 2 on; grade 1 is not marked
 * with points.
 */
export function checkPointsAllowed(grade: number): Verdict {
  if (UNMARKED_GRADES.includes(grade)) {
    return refuse('R-MARKS', 'п. 9.5', 'В 1 классе работы обучающихся не оцениваются по пятибалльной системе: отметки не выставляются', { grade });
  }
  return ok();
}

/**
 * R-MARKS (п. 7.14, 9.5): a period, annual or final mark is 5…1, «осв» or «н/а»; in grade 1
 * only «осв» and «н/а» (no points).
 */
export function checkPeriodMarkValue(grade: number, value: PeriodMarkValue): Verdict {
  if (value !== 'осв' && value !== 'н/а' && UNMARKED_GRADES.includes(grade)) {
    return refuse('R-MARKS', 'п. 9.5', 'В 1 классе отметки в баллах не выставляются, в том числе за период и за год', { grade, value });
  }
  return ok();
}

/** R-FRACTION (п. 7.15): where two marks are written in one cell as a fraction — Russian control dictation with a grammar task, literature creative works. */
export function isFractionExpected(lesson: Pick<RuleLesson, 'subjectCode' | 'grade'>, workType: WorkType | undefined): boolean {
  if (lesson.subjectCode === 'russian') return workType === 'control_dictation';
  if (lesson.subjectCode === 'literature') return workType === 'creative' || workType === 'essay';
  return false;
}

/**
 * R-FRACTION (п. 7.15): a fraction «5/4» is the form for a Russian control dictation with a
 * grammar task and for literature creative works (content / literacy). Elsewhere it is allowed
 * with a warning; in a separate column (expressive reading, literacy) it is refused: those
 * columns hold one mark. (Grades 10–11 literature: see checkMarkColumn, R-SEPARATE-COLUMN.)
 */
export function checkFraction(lesson: Pick<RuleLesson, 'subjectCode' | 'grade' | 'workType'>, mark: RuleMark): Verdict {
  if (markPoints(mark.value).length < 2) return ok();
  if (mark.column !== 'main') {
    return refuse('R-FRACTION', 'п. 7.15', 'В отдельной колонке ставится одна отметка, а не дробь', { column: mark.column, value: mark.value });
  }
  const wt = mark.workType ?? lesson.workType;
  // Literature in grades 10–11: the literacy half belongs on the Russian page — checkMarkColumn says so.
  if (lesson.subjectCode === 'literature' && lesson.grade >= 10) return ok();
  if (!isFractionExpected(lesson, wt)) {
    return warn('R-FRACTION', 'п. 7.15',
      'Дробью выставляются отметки за контрольный диктант с грамматическим заданием (русский язык) и за творческие работы по литературе; проверьте вид работы',
      { value: mark.value, workType: wt ?? null });
  }
  return ok();
}

/**
 * R-FRACTION (п. 7.15): the points that count. Each part of a fraction is a separate mark:
 * «5/3» counts as two marks, 5 and 3 (in averages and in the number of marks).
 */
export function countedPoints(values: readonly MarkValue[]): Point[] {
  return values.flatMap((v) => markPoints(v));
}

/** R-FRACTION: the number of marks, a fraction counting as two. */
export function countMarks(values: readonly MarkValue[]): number {
  return countedPoints(values).length;
}

/** R-FRACTION: the plain arithmetic mean of marks, fractions as two marks; null when none. */
export function plainMean(values: readonly MarkValue[]): number | null {
  const pts = countedPoints(values);
  return pts.length === 0 ? null : pts.reduce<number>((s, p) => s + p, 0) / pts.length;
}
