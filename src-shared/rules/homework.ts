/**
 * R-HOMEWORK (п. 9.5, 7.3): homework is written during the lesson or within 1 hour after the end
 * of the students' last lesson of that day; a later entry is allowed and flagged.
 */
import type { Instant } from '../domain/values';
import { formatLocalRu, instantMs } from './local-time';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, warn } from './verdict';
import type { Verdict } from './verdict';

/** R-HOMEWORK (п. 9.5): the instant after which homework for that day is late. */
export function homeworkDeadline(studentsLastLessonEndsAt: Instant, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Instant {
  return new Date(instantMs(studentsLastLessonEndsAt) + settings.homework.graceMinutes * 60_000).toISOString();
}

/**
 * R-HOMEWORK (п. 9.5): `enteredAt` later than the grace after `studentsLastLessonEndsAt` (the end
 * of the class's last lesson on the lesson's date) is flagged as late. Entering it earlier —
 * even before the lesson — is fine.
 */
export function checkHomeworkTiming(input: { studentsLastLessonEndsAt: Instant; enteredAt: Instant }, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const deadline = homeworkDeadline(input.studentsLastLessonEndsAt, settings);
  const late = (instantMs(input.enteredAt) - instantMs(deadline)) / 60_000;
  if (late > 0) {
    return warn('R-HOMEWORK', 'п. 9.5',
      `Домашнее задание записано позже срока: его вносят во время урока или в течение ${settings.homework.graceMinutes} мин после окончания всех уроков обучающихся (до ${formatLocalRu(deadline, settings.timeZone)})`,
      { late: true, deadline, lateMinutes: Math.ceil(late) });
  }
  return ok();
}
