/**
 * R-NA (п. 7.14): a student who missed more than half of the lessons is not attested («н/а»)
 * unless the deputy director decides to attest them (the decision is recorded). Exactly half is
 * not more than half. All absences count, whatever their reason; extracurricular lessons keep no
 * attendance and are not counted.
 */
import { isPeriodMarkValue } from '../domain/marks';
import type { PeriodMarkValue } from '../domain/marks';
import type { DeputyDecision, StudentLessonRecord } from './inputs';
import { isValidAbsenceReason } from './absence';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, refuse } from './verdict';
import type { Verdict } from './verdict';

export interface AttendanceSummary {
  /** Lessons of the course in the period (extracurricular excluded). */
  lessons: number;
  missed: number;
  /** Missed for a valid reason («по болезни», «по уважительной причине»). */
  missedValid: number;
  /** missed / lessons; 0 when there were no lessons. */
  share: number;
}

/** R-NA, R-ATTEST: counts a student's lessons and absences of a course in a period. */
export function summariseAttendance(records: readonly StudentLessonRecord[]): AttendanceSummary {
  const counted = records.filter((r) => r.kind !== 'extracurricular');
  const missed = counted.filter((r) => r.absent);
  return {
    lessons: counted.length,
    missed: missed.length,
    missedValid: missed.filter((r) => isValidAbsenceReason(r.reason)).length,
    share: counted.length === 0 ? 0 : missed.length / counted.length,
  };
}

/** R-NA (п. 7.14 «более половины»): strictly more than `naMissedShare` (½) of the lessons missed. */
export function isMoreThanHalfMissed(summary: AttendanceSummary, settings: RuleSettings = DEFAULT_RULE_SETTINGS): boolean {
  return summary.missed - settings.attestation.naMissedShare * summary.lessons > 1e-9;
}

export type NaStatus = 'attest' | 'not_attested' | 'attest_by_decision' | 'not_attested_by_decision';

/**
 * R-NA (п. 7.14): whether the student is attested — `not_attested` when more than half was
 * missed and there is no decision; the deputy's decision settles it either way. A decision about
 * a student who missed half or less changes nothing.
 */
export function naStatus(summary: AttendanceSummary, decision: DeputyDecision | null | undefined, settings: RuleSettings = DEFAULT_RULE_SETTINGS): NaStatus {
  if (!isMoreThanHalfMissed(summary, settings)) return 'attest';
  if (!decision) return 'not_attested';
  return decision.attest ? 'attest_by_decision' : 'not_attested_by_decision';
}

/**
 * R-NA (п. 7.14): a period mark other than «н/а» for a student who missed more than half of the
 * lessons needs the deputy's decision to attest (`needs_deputy_decision`); a decision not to
 * attest allows only «н/а».
 */
export function checkPeriodMarkAttendance(
  value: PeriodMarkValue,
  summary: AttendanceSummary,
  decision: DeputyDecision | null | undefined,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): Verdict {
  if (!isPeriodMarkValue(value) || value === 'н/а') return ok();
  const status = naStatus(summary, decision, settings);
  const details = { missed: summary.missed, lessons: summary.lessons };
  if (status === 'not_attested') {
    return refuse('R-NA', 'п. 7.14',
      `Обучающийся пропустил более половины уроков (${summary.missed} из ${summary.lessons}) и не аттестуется; аттестовать его можно только по решению заместителя директора`,
      { code: 'needs_deputy_decision', ...details });
  }
  if (status === 'not_attested_by_decision') {
    return refuse('R-NA', 'п. 7.14', 'По решению заместителя директора обучающийся не аттестуется: выставляется «н/а»', details);
  }
  return ok();
}
