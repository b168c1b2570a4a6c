/**
 * R-SOFT-WARN (п. 7.14): an unsatisfactory mark at the first lessons after a long absence (3 or
 * more missed lessons in a row) or after holidays is "not recommended": allowed, with a warning.
 *
 * Counted per course, from the student's attendance history of that course: "first lessons" are
 * the first `softWarn.firstLessons` lessons the student attends after the absence run or after the
 * holiday's last day. Extracurricular lessons keep no attendance and are skipped.
 */
import { isUnsatisfactory } from '../domain/marks';
import type { MarkValue } from '../domain/marks';
import { formatDateRu } from '../domain/values';
import type { RuleHoliday, RuleLesson, StudentLessonRecord } from './inputs';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { combine, ok, warn } from './verdict';
import type { Verdict } from './verdict';

type Slot = Pick<RuleLesson, 'date' | 'number'>;

function compareSlots(a: Slot, b: Slot): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.number - b.number;
}

/** The student's attendance records strictly before `lesson`, in lesson order. */
function recordsBefore(lesson: Slot, history: readonly StudentLessonRecord[]): StudentLessonRecord[] {
  return history
    .filter((r) => r.kind !== 'extracurricular' && compareSlots(r, lesson) < 0)
    .sort(compareSlots);
}

/**
 * R-SOFT-WARN (п. 7.14): the long absence `lesson` comes right after, or null. Walking back from
 * the lesson: fewer than `firstLessons` attended lessons, then a run of at least `missedLessons`
 * absences.
 */
export function longAbsenceBefore(
  lesson: Slot,
  history: readonly StudentLessonRecord[],
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): { missed: number; from: string; to: string } | null {
  const before = recordsBefore(lesson, history);
  let i = before.length - 1;
  let attended = 0;
  while (i >= 0 && !before[i]!.absent) { attended++; i--; }
  if (attended >= settings.softWarn.firstLessons) return null;
  const last = i;
  while (i >= 0 && before[i]!.absent) i--;
  const missed = last - i;
  if (missed < settings.softWarn.missedLessons) return null;
  return { missed, from: before[i + 1]!.date, to: before[last]!.date };
}

/**
 * R-SOFT-WARN (п. 7.14): the holiday `lesson` is among the first attended lessons after, or
 * null. The latest holiday for the lesson's grade that ended before the lesson's date counts.
 */
export function holidayBefore(
  lesson: Slot & Pick<RuleLesson, 'grade'>,
  history: readonly StudentLessonRecord[],
  holidays: readonly RuleHoliday[],
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): RuleHoliday | null {
  const latest = holidays
    .filter((h) => h.ends < lesson.date && (h.grades === undefined || h.grades.includes(lesson.grade)))
    .reduce<RuleHoliday | null>((best, h) => (best === null || h.ends > best.ends ? h : best), null);
  if (latest === null) return null;
  const attendedSince = recordsBefore(lesson, history).filter((r) => r.date > latest.ends && !r.absent).length;
  return attendedSince < settings.softWarn.firstLessons ? latest : null;
}

export interface SoftWarnInput {
  lesson: Slot & Pick<RuleLesson, 'grade'>;
  mark: MarkValue;
  /** The student's attendance at this course's lessons (any order; later lessons are ignored). */
  history: readonly StudentLessonRecord[];
  holidays: readonly RuleHoliday[];
}

/**
 * R-SOFT-WARN (п. 7.14): warns on a 2/1 at the first lesson after 3+ missed lessons in a row or
 * after holidays («не рекомендуется»). Never refuses.
 */
export function checkSoftWarning(input: SoftWarnInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  if (!isUnsatisfactory(input.mark)) return ok();
  const out: Verdict[] = [];
  const absence = longAbsenceBefore(input.lesson, input.history, settings);
  if (absence) {
    out.push(warn('R-SOFT-WARN', 'п. 7.14',
      `Неудовлетворительная отметка на первом уроке после длительного отсутствия (пропущено уроков подряд: ${absence.missed}) не рекомендуется`,
      { missed: absence.missed, from: absence.from, to: absence.to }));
  }
  if (settings.softWarn.afterHolidays) {
    const h = holidayBefore(input.lesson, input.history, input.holidays, settings);
    if (h) {
      out.push(warn('R-SOFT-WARN', 'п. 7.14',
        `Неудовлетворительная отметка на первом уроке после каникул (${formatDateRu(h.starts)}–${formatDateRu(h.ends)}) не рекомендуется`,
        { holidayStarts: h.starts, holidayEnds: h.ends }));
    }
  }
  return combine(...out);
}
