/**
 * The journal → the small plain records the rules take (src-shared/rules/inputs.ts). Every rule
 * input a command or a query needs is read here, in one place, through the typed reads of tables/.
 */
import type { LessonKind, LessonStatus, MedicalGroup, SubjectCode, WorkType } from '../../src-shared/domain/school';
import type { NextLesson, RuleHoliday, RuleLesson, RulePeriod, RuleStudent, StudentLessonRecord, StudentMark } from '../../src-shared/rules/inputs';
import { localToInstant } from '../../src-shared/rules/local-time';
import { DEFAULT_RULE_SETTINGS, parseRuleSettings, type RuleSettings } from '../../src-shared/rules/settings';
import type { AbsenceReason, MarkColumn } from '../../src-shared/domain/school';
import type { Journal } from './open';
import { lastLessonNumber, lessonForRules, nextLesson } from './tables/lessons';
import { studentAttendance, studentCourseMarks } from './tables/marks';
import { studentForRules, studentGrade } from './tables/people';
import { bellOf, holidaysOfYear, periodById as periodRow, schoolTimeZone, settingValue, studentCourse as studentCourseRow } from './tables/structure';

/** The school's rule settings: the `rules` setting over the regulation's defaults, in the school's time zone. */
export function ruleSettings(j: Journal): RuleSettings {
  const raw = settingValue(j, 'rules');
  const tz = schoolTimeZone(j);
  const parsed = raw ? parseRuleSettings(JSON.parse(raw)) : { ok: true as const, value: DEFAULT_RULE_SETTINGS };
  const base = parsed.ok ? parsed.value : DEFAULT_RULE_SETTINGS;
  return tz ? { ...base, timeZone: tz } : base;
}

export interface LessonContext {
  rule: RuleLesson;
  courseId: string;
  groupId: string;
  subjectId: string;
  yearId: string;
  hoursPerWeek: number;
}

function bellInstant(j: Journal, yearId: string, date: string, number: number, edge: 'starts' | 'ends', tz: string): string | undefined {
  const t = bellOf(j, yearId, number)?.[edge];
  return t ? localToInstant(date, t, tz) : undefined;
}

export function lessonContext(j: Journal, lessonId: string, tz: string): LessonContext | undefined {
  const r = lessonForRules(j, lessonId);
  if (!r) return undefined;
  const startsAt = bellInstant(j, r.yearId, r.date, r.number, 'starts', tz);
  const endsAt = bellInstant(j, r.yearId, r.date, r.number, 'ends', tz);
  const workType = r.workType as WorkType | null;
  const rule: RuleLesson = {
    id: r.id, date: r.date, number: r.number, kind: r.kind as LessonKind, status: r.status as LessonStatus, subjectCode: r.subjectCode as SubjectCode, grade: r.grade,
    ...(workType ? { workType } : {}), ...(r.topic ? { topic: r.topic } : {}), ...(r.homework ? { homework: r.homework } : {}),
    ...(r.orderNo ? { orderNo: r.orderNo } : {}), ...(r.form ? { form: r.form } : {}),
    ...(startsAt ? { startsAt } : {}), ...(endsAt ? { endsAt } : {}),
  };
  return { rule, courseId: r.courseId, groupId: r.groupId, subjectId: r.subjectId, yearId: r.yearId, hoursPerWeek: r.hoursPerWeek };
}

export function ruleStudent(j: Journal, studentId: string): RuleStudent | undefined {
  const r = studentForRules(j, studentId);
  return r ? { id: r.id, medicalGroup: r.medicalGroup as MedicalGroup, homeSchooling: r.homeSchooling, ...(r.peExemptUntil ? { peExemptUntil: r.peExemptUntil } : {}) } : undefined;
}

export function nextLessonOf(j: Journal, ctx: LessonContext, tz: string): NextLesson | null {
  const r = nextLesson(j, ctx.courseId, ctx.rule.date, ctx.rule.number);
  if (!r) return null;
  const startsAt = bellInstant(j, ctx.yearId, r.date, r.number, 'starts', tz);
  return { date: r.date, ...(startsAt ? { startsAt } : {}) };
}

/** The student's attendance of a course's lessons in [from, to] (or up to and including a lesson). */
export function attendanceHistory(j: Journal, courseId: string, studentId: string, from: string, to: string, uptoNumber = 99): StudentLessonRecord[] {
  return studentAttendance(j, courseId, studentId, from, to, uptoNumber)
    .map((r) => ({ lessonId: r.lessonId, date: r.date, number: r.number, kind: r.kind as LessonKind, absent: !!r.absent, reason: r.reason as AbsenceReason | null }));
}

export function holidaysOf(j: Journal, yearId: string): RuleHoliday[] {
  return holidaysOfYear(j, yearId).map((h) => ({ starts: h.starts, ends: h.ends, ...(h.grades ? { grades: JSON.parse(h.grades) as number[] } : {}) }));
}

export function studentMarks(j: Journal, courseId: string, studentId: string, from: string, to: string): StudentMark[] {
  return studentCourseMarks(j, courseId, studentId, from, to)
    .map((m) => ({ value: m.value, workType: m.workType as WorkType, date: m.date, lessonId: m.lessonId, column: m.column as MarkColumn }));
}

export function periodById(j: Journal, id: string): (RulePeriod & { id: string; yearId: string; name: string }) | undefined {
  const p = periodRow(j, id);
  return p ? { id: p.id, yearId: p.yearId, name: p.name, starts: p.starts, ends: p.ends } : undefined;
}

/** The course of a subject that a student attends in a year (their class's, or a group's). */
export function studentCourse(j: Journal, yearId: string, subjectId: string, studentId: string): { id: string; hoursPerWeek: number; groupId: string } | undefined {
  return studentCourseRow(j, yearId, subjectId, studentId);
}

export function gradeOfStudent(j: Journal, studentId: string): number {
  return studentGrade(j, studentId) ?? 0;
}

/** When the students of a lesson's group finish their day: the end of the group's last lesson on that date. */
export function lastLessonEnd(j: Journal, ctx: LessonContext, tz: string): string | undefined {
  const n = lastLessonNumber(j, ctx.groupId, ctx.rule.date);
  return n === null ? undefined : bellInstant(j, ctx.yearId, ctx.rule.date, n, 'ends', tz);
}
