/**
 * R-PE (п. 7.14): students exempt from PE (the journal shows the date the exemption ends) are not
 * marked «н» at PE; students of the special medical group are assessed on motivation, regular
 * attendance and effort.
 */
import { isUnsatisfactory } from '../domain/marks';
import type { MarkValue } from '../domain/marks';
import { formatDateRu } from '../domain/values';
import type { LocalDate } from '../domain/values';
import type { RuleLesson, RulePeriod, RuleStudent } from './inputs';
import { ok, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

/** R-PE (п. 7.14): exempt on `date` — «освобождён по …» includes the last day. */
export function isPeExempt(student: Pick<RuleStudent, 'peExemptUntil'>, date: LocalDate): boolean {
  return student.peExemptUntil !== undefined && date <= student.peExemptUntil;
}

/** R-PE (п. 7.14): exempt for the whole period (the exemption runs to its last day or later). */
export function isPeExemptForPeriod(student: Pick<RuleStudent, 'peExemptUntil'>, period: RulePeriod): boolean {
  return isPeExempt(student, period.ends);
}

/** R-PE (п. 7.14): the journal line «освобождён от уроков физической культуры по 20.10.2024», or null. */
export function peExemptionNote(student: Pick<RuleStudent, 'peExemptUntil'>): string | null {
  return student.peExemptUntil ? `Освобождён(а) от уроков физической культуры по ${formatDateRu(student.peExemptUntil)}` : null;
}

/** R-PE (п. 7.14): an exempt student is not marked «н» at a PE lesson. */
export function checkPeAbsence(lesson: Pick<RuleLesson, 'subjectCode' | 'date'>, student: Pick<RuleStudent, 'peExemptUntil'>): Verdict {
  if (lesson.subjectCode === 'pe' && isPeExempt(student, lesson.date)) {
    return refuse('R-PE', 'п. 7.14',
      `Обучающийся освобождён от физических нагрузок по ${formatDateRu(student.peExemptUntil as LocalDate)}: на уроках физической культуры «н» не ставится`,
      { peExemptUntil: student.peExemptUntil ?? null });
  }
  return ok();
}

/** R-PE (п. 7.14): the assessment note for a special-medical-group student, or null. */
export function specialGroupNote(student: Pick<RuleStudent, 'medicalGroup'>): string | null {
  return student.medicalGroup === 'special'
    ? 'Специальная медицинская группа: акцент на стойкой мотивации к занятиям и динамике физических возможностей; положительная отметка возможна при самых незначительных положительных изменениях, регулярном посещении и старательности'
    : null;
}

/**
 * R-PE (п. 7.14): an unsatisfactory PE mark for a special-medical-group student is allowed with
 * the regulation's note (a positive mark is possible for regular attendance and effort).
 */
export function checkPeMark(lesson: Pick<RuleLesson, 'subjectCode'>, student: Pick<RuleStudent, 'medicalGroup'>, mark: MarkValue): Verdict {
  if (lesson.subjectCode === 'pe' && student.medicalGroup === 'special' && isUnsatisfactory(mark)) {
    return warn('R-PE', 'п. 7.14', specialGroupNote(student) as string, { medicalGroup: 'special' });
  }
  return ok();
}
