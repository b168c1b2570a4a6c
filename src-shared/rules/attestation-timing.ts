/**
 * R-ATTEST-TIMING (п. 9.5): period marks are set in the last week of the period, before the
 * holidays, after the subject's last lesson in it has been recorded. "Last week" is the last
 * `attestationTiming.lastWeekDays` (7) calendar days of the period, its last day included.
 * For annual marks pass the year's last period.
 */
import { addDays, formatDateRu } from '../domain/values';
import type { Instant, LocalDate } from '../domain/values';
import type { RulePeriod } from './inputs';
import { instantMs, localDateOf } from './local-time';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

/** R-ATTEST-TIMING (п. 9.5): the first and last day of the period's last week. */
export function attestationWeek(period: RulePeriod, settings: RuleSettings = DEFAULT_RULE_SETTINGS): { from: LocalDate; to: LocalDate } {
  return { from: addDays(period.ends, 1 - settings.attestationTiming.lastWeekDays), to: period.ends };
}

export interface AttestationTimingInput {
  period: RulePeriod;
  /** The subject's last lesson in the period (timetable), or null when it has none. */
  lastLesson: { date: LocalDate; endsAt?: Instant } | null;
  now: Instant;
}

/**
 * R-ATTEST-TIMING (п. 9.5): before the subject's last lesson of the period has ended — refused;
 * after it but before the last week — allowed with a warning; after the period's last day —
 * allowed with a warning (late).
 */
export function checkPeriodMarkTiming(input: AttestationTimingInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const today = localDateOf(input.now, settings.timeZone);
  const last = input.lastLesson;
  if (last && (today < last.date || (last.endsAt !== undefined && instantMs(input.now) < instantMs(last.endsAt)))) {
    return refuse('R-ATTEST-TIMING', 'п. 9.5',
      `Отметка за период выставляется после последнего урока предмета в периоде (${formatDateRu(last.date)})`,
      { lastLessonDate: last.date });
  }
  const week = attestationWeek(input.period, settings);
  if (today < week.from) {
    return warn('R-ATTEST-TIMING', 'п. 9.5',
      `Отметки за период выставляются в последнюю неделю периода: с ${formatDateRu(week.from)} по ${formatDateRu(week.to)}`,
      { from: week.from, to: week.to });
  }
  if (today > week.to) {
    return warn('R-ATTEST-TIMING', 'п. 9.5',
      `Период закончился ${formatDateRu(week.to)}: отметки за период выставляются до начала каникул`,
      { periodEnds: week.to });
  }
  return ok();
}
