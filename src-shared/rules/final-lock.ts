/**
 * R-FINAL-LOCK (п. 7.14): period and annual marks are not revised. An erroneous one is corrected
 * only through a request the deputy approves first; in graduating grades 9 and 11 a final mark
 * (annual, exam, final) changes only by the director's order, after the written explanations of
 * the teacher and the deputy director.
 */
import type { PeriodMarkValue } from '../domain/marks';
import type { MarkTerm } from './inputs';
import { ok, refuse } from './verdict';
import type { Verdict } from './verdict';

export const GRADUATING_GRADES: readonly number[] = [9, 11];
/** Terms whose marks are "итоговые" in graduating grades. */
export const FINAL_MARK_TERMS: readonly MarkTerm[] = ['annual', 'exam', 'final'];

/** R-FINAL-LOCK (п. 7.14): a final mark of a graduating grade (9 or 11). */
export function isGraduatingFinalMark(grade: number, term: MarkTerm): boolean {
  return GRADUATING_GRADES.includes(grade) && FINAL_MARK_TERMS.includes(term);
}

export interface PeriodMarkChange {
  grade: number;
  term: MarkTerm;
  /** The mark already set; null when none. */
  previous: PeriodMarkValue | null;
  /** The new value; null to annul. */
  next: PeriodMarkValue | null;
}

/**
 * R-FINAL-LOCK (п. 7.14): setting a first period/annual mark is fine; changing or annulling one
 * is refused — with `needs_director_order` for a final mark of grade 9/11, otherwise with
 * `needs_correction_request` (an error corrected with the deputy's prior approval).
 */
export function checkPeriodMarkChange(change: PeriodMarkChange): Verdict {
  const { grade, term, previous, next } = change;
  if (previous === null || previous === next) return ok();
  const details = { previous, next, term, grade };
  if (isGraduatingFinalMark(grade, term)) {
    return refuse('R-FINAL-LOCK', 'п. 7.14',
      `Итоговая отметка в ${grade} классе исправляется только по распоряжению директора после письменных объяснений учителя и заместителя директора`,
      { code: 'needs_director_order', ...details });
  }
  return refuse('R-FINAL-LOCK', 'п. 7.14',
    'Отметки за период и за год не пересматриваются; ошибочно выставленную отметку можно исправить только по запросу, предварительно согласованному с заместителем директора',
    { code: 'needs_correction_request', ...details });
}
