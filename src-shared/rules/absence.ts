/**
 * R-ABSENCE (п. 9.4, 9.5): the teacher records who is absent («н») by fact at the start of the
 * lesson; the class teacher relabels absences weekly: «по болезни», «по уважительной причине»,
 * «без уважительной причины» (ABSENCE_REASONS).
 */
import type { AbsenceReason } from '../domain/school';
import { addDays, formatDateRu } from '../domain/values';
import type { Instant, LocalDate } from '../domain/values';
import type { RuleLesson, RuleStudent, StudentLessonRecord } from './inputs';
import { checkDistanceAbsence } from './distance';
import { checkExtracurricularAbsence } from './extracurricular';
import { checkHomeSchooling } from './home-schooling';
import { instantMs, localDateOf } from './local-time';
import { checkPeAbsence } from './pe';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { combine, ok, refuse, waive, warn } from './verdict';
import type { Verdict } from './verdict';

/** Reasons that count as valid for R-ATTEST (five marks suffice at 3+ hours): illness and other valid reasons. */
export function isValidAbsenceReason(reason: AbsenceReason | null | undefined): boolean {
  return reason === 'illness' || reason === 'valid';
}

/**
 * R-ABSENCE (п. 9.4): only the student's class teacher labels an absence, and only an absence
 * (a lesson the student is marked «н» at).
 */
export function checkAbsenceReason(input: { isClassTeacherOfStudent: boolean; absent: boolean; reason: AbsenceReason | null }): Verdict {
  if (!input.isClassTeacherOfStudent) {
    return refuse('R-ABSENCE', 'п. 9.4', 'Причину пропуска указывает классный руководитель обучающегося');
  }
  if (!input.absent && input.reason !== null) {
    return refuse('R-ABSENCE', 'п. 9.4', 'Причину можно указать только для пропуска: обучающийся не отмечен «н» на этом уроке');
  }
  return ok();
}

/**
 * R-ABSENCE (п. 9.4 «еженедельно»): absences still without a reason, dated more than 7 days
 * before `today` — the class teacher's weekly relabelling is overdue for them.
 */
export function absencesAwaitingReason<T extends Pick<StudentLessonRecord, 'date' | 'absent' | 'reason'>>(records: readonly T[], today: LocalDate): T[] {
  const due = addDays(today, -7);
  return records.filter((r) => r.absent && (r.reason === null || r.reason === undefined) && r.date < due);
}

/**
 * R-ABSENCE (п. 9.5 «по факту в начале урока»): attendance is recorded once the lesson has
 * begun. Before the start: refused (`future_lesson`). After the lesson ended, the same study day:
 * allowed with a warning. After the study day: a correction request is needed.
 */
export function checkAttendanceTime(lesson: Pick<RuleLesson, 'date' | 'startsAt' | 'endsAt'>, now: Instant, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const today = localDateOf(now, settings.timeZone);
  if (today < lesson.date || (lesson.startsAt !== undefined && instantMs(now) < instantMs(lesson.startsAt))) {
    return refuse('R-ABSENCE', 'п. 9.5', 'Отсутствующие отмечаются по факту в начале урока: урок ещё не начался', { code: 'future_lesson' });
  }
  if (today > lesson.date) {
    return refuse('R-ABSENCE', 'п. 9.5, 9.2',
      `Посещаемость урока ${formatDateRu(lesson.date)} отмечается в день урока; позже — только по запросу на исправление, согласованному с заместителем директора`,
      { code: 'needs_correction_request', lessonDate: lesson.date });
  }
  if (lesson.endsAt !== undefined && instantMs(now) >= instantMs(lesson.endsAt)) {
    return warn('R-ABSENCE', 'п. 9.5', 'Отсутствующие отмечаются по факту в начале урока; запись сделана после окончания урока');
  }
  return ok();
}

export interface AbsenceEntryInput {
  lesson: RuleLesson;
  student: RuleStudent;
  /** true to mark «н», false to clear it. */
  absent: boolean;
  now: Instant;
  /** The deputy approved a correction for this cell (waives `needs_correction_request`). */
  correctionApproved?: boolean;
}

/**
 * R-ABSENCE with R-EXTRA, R-DISTANCE, R-PE, R-HOME: may «н» be set (or cleared) for this student
 * at this lesson now? Clearing checks only the time.
 */
export function checkAbsenceEntry(input: AbsenceEntryInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const { lesson, student } = input;
  const parts: Verdict[] = [];
  if (input.absent) {
    parts.push(
      checkExtracurricularAbsence(lesson),
      checkDistanceAbsence(lesson),
      checkPeAbsence(lesson, student),
      checkHomeSchooling(lesson, student, 'absence'),
    );
  }
  parts.push(checkAttendanceTime(lesson, input.now, settings));
  const v = combine(...parts);
  return input.correctionApproved ? waive(v, 'needs_correction_request') : v;
}
