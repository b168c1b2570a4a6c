/**
 * R-ADAPTATION (п. 7.14): no unsatisfactory marks (2, 1) during the adaptation period, 1 to 15
 * September inclusive. The lesson's date decides (the column the mark goes to), not the moment
 * of entry: a 2 entered on 16 September for a lesson of 15 September is refused too.
 */
import { isUnsatisfactory } from '../domain/marks';
import type { MarkValue } from '../domain/marks';
import type { LocalDate } from '../domain/values';
import type { RuleLesson } from './inputs';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, refuse } from './verdict';
import type { Verdict } from './verdict';

function ru(md: string): string {
  const [m, d] = md.split('-');
  return `${d}.${m}`;
}

/** R-ADAPTATION (п. 7.14): `date` (a lesson date) falls in the adaptation period for `grade`. */
export function inAdaptation(date: LocalDate, grade: number, settings: RuleSettings = DEFAULT_RULE_SETTINGS): boolean {
  const md = date.slice(5);
  const a = settings.adaptation;
  return a.grades.includes(grade) && md >= a.from && md <= a.to;
}

/** R-ADAPTATION (п. 7.14): a 2 or 1 (or a fraction with one) at a lesson dated 1–15 September is refused. */
export function checkAdaptation(mark: MarkValue, lesson: Pick<RuleLesson, 'date' | 'grade'>, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  if (isUnsatisfactory(mark) && inAdaptation(lesson.date, lesson.grade, settings)) {
    const a = settings.adaptation;
    return refuse('R-ADAPTATION', 'п. 7.14',
      `С ${ru(a.from)} по ${ru(a.to)} включительно (адаптационный период) неудовлетворительные отметки не выставляются`,
      { value: mark, lessonDate: lesson.date });
  }
  return ok();
}
