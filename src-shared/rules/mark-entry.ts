/**
 * Every rule about putting a value in a journal cell, in one call — what the journal's `mark.set`
 * and `periodMarks.set` commands ask before they write. Each finding still names its own R-id.
 */
import type { MarkValue, PeriodMarkValue } from '../domain/marks';
import type { Instant, LocalDate } from '../domain/values';
import type { DeputyDecision, MarkTerm, NextLesson, RuleHoliday, RuleLesson, RuleMark, RulePeriod, RuleStudent, StudentLessonRecord } from './inputs';
import { checkAdaptation } from './adaptation';
import { checkPeriodMarkTiming } from './attestation-timing';
import { checkMarkColumn } from './columns';
import { checkMarkChange } from './correction';
import { checkMarkEntryTime } from './entry-window';
import { checkExtracurricularMark } from './extracurricular';
import { checkPeriodMarkChange } from './final-lock';
import { checkHomeSchooling } from './home-schooling';
import { checkFraction, checkPeriodMarkValue, checkPointsAllowed } from './marks';
import { checkPeriodMarkAttendance, summariseAttendance } from './not-attested';
import { checkPeMark } from './pe';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { checkSoftWarning } from './soft-warn';
import { combine, waive } from './verdict';
import type { Verdict } from './verdict';
import { checkWorkTypeGiven, effectiveWorkType } from './work-types';

/** An approval the caller holds for this cell: the deputy's (correction request) or the director's order. */
export type HeldApproval = 'deputy' | 'director_order';

export interface MarkEntryInput {
  lesson: RuleLesson;
  student: RuleStudent;
  /** The mark to write; null to annul the cell's mark. */
  mark: RuleMark | null;
  /** The mark in the cell now (same lesson, student and column); null when empty. */
  previous: MarkValue | null;
  now: Instant;
  /** The next lesson of the course (R-DATE, written works). */
  nextLesson?: NextLesson | null;
  /** The student's attendance of this course (R-SOFT-WARN). */
  history?: readonly StudentLessonRecord[];
  holidays?: readonly RuleHoliday[];
  /** An approved correction request for this cell waives the window and the change rule. */
  approval?: HeldApproval | null;
}

/**
 * R-MARKS, R-EXTRA, R-HOME, R-SEPARATE-COLUMN, R-FRACTION, R-WORKTYPE, R-ADAPTATION, R-SOFT-WARN,
 * R-PE, R-DATE, R-CORRECTION: may this current mark be written now? With an approved correction
 * the window and the change rule are waived; nothing else is.
 */
export function checkMarkEntry(input: MarkEntryInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const { lesson, student, mark } = input;
  const parts: Verdict[] = [];
  if (mark !== null) {
    const workType = effectiveWorkType(lesson, mark);
    parts.push(
      checkPointsAllowed(lesson.grade),
      checkExtracurricularMark(lesson),
      checkHomeSchooling(lesson, student, 'mark'),
      checkMarkColumn(lesson, mark),
      checkFraction(lesson, mark),
      checkWorkTypeGiven(lesson, mark),
      checkAdaptation(mark.value, lesson, settings),
      checkSoftWarning({ lesson, mark: mark.value, history: input.history ?? [], holidays: input.holidays ?? [] }, settings),
      checkPeMark(lesson, student, mark.value),
      checkMarkEntryTime({ lesson, workType, now: input.now, nextLesson: input.nextLesson ?? null }, settings),
    );
  }
  parts.push(checkMarkChange(input.previous, mark?.value ?? null));
  const v = combine(...parts);
  return input.approval ? waive(v, 'needs_correction_request') : v;
}

export interface PeriodMarkEntryInput {
  grade: number;
  term: MarkTerm;
  /** The value to set; null to annul. */
  value: PeriodMarkValue | null;
  previous: PeriodMarkValue | null;
  now: Instant;
  /** R-ATTEST-TIMING: the period (for annual marks: the year's last period) and the subject's last lesson in it. */
  period?: RulePeriod;
  lastLesson?: { date: LocalDate; endsAt?: Instant } | null;
  /** R-NA: the student's attendance of the course in the period, and the deputy's decision. */
  attendance?: readonly StudentLessonRecord[];
  deputyDecision?: DeputyDecision | null;
  approval?: HeldApproval | null;
}

/**
 * R-MARKS, R-NA, R-ATTEST-TIMING, R-FINAL-LOCK: may this period / annual / final mark be set now?
 * A deputy's approval waives `needs_correction_request`; a director's order also waives
 * `needs_director_order`.
 */
export function checkPeriodMarkEntry(input: PeriodMarkEntryInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const parts: Verdict[] = [];
  if (input.value !== null) {
    parts.push(checkPeriodMarkValue(input.grade, input.value));
    if (input.attendance) parts.push(checkPeriodMarkAttendance(input.value, summariseAttendance(input.attendance), input.deputyDecision, settings));
    if (input.period && input.previous === null) {
      parts.push(checkPeriodMarkTiming({ period: input.period, lastLesson: input.lastLesson ?? null, now: input.now }, settings));
    }
  }
  parts.push(checkPeriodMarkChange({ grade: input.grade, term: input.term, previous: input.previous, next: input.value }));
  const v = combine(...parts);
  if (input.approval === 'director_order') return waive(v, 'needs_correction_request', 'needs_director_order');
  if (input.approval === 'deputy') return waive(v, 'needs_correction_request');
  return v;
}
