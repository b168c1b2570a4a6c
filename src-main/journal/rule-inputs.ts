/**
 * The journal → the small plain records the rules take (src-shared/rules/inputs.ts). Every rule
 * input a command or a query needs is read here, in one place, with indexed queries.
 */
import type { LessonKind, LessonStatus, MedicalGroup, SubjectCode, WorkType } from '../../src-shared/domain/school';
import type { NextLesson, RuleHoliday, RuleLesson, RulePeriod, RuleStudent, StudentLessonRecord, StudentMark } from '../../src-shared/rules/inputs';
import { localToInstant } from '../../src-shared/rules/local-time';
import { DEFAULT_RULE_SETTINGS, parseRuleSettings, type RuleSettings } from '../../src-shared/rules/settings';
import type { AbsenceReason, MarkColumn } from '../../src-shared/domain/school';
import type { Journal } from './open';
import { lessonTopicSql } from './lesson-topic';

/** The school's rule settings: the `rules` setting over the regulation's defaults, in the school's time zone. */
export function ruleSettings(j: Journal): RuleSettings {
  const raw = j.stmt("SELECT value FROM setting WHERE key = 'rules'").pluck().get() as string | undefined;
  const tz = j.stmt('SELECT timezone FROM school WHERE id = 1').pluck().get() as string | undefined;
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
  const t = j.stmt(`SELECT ${edge} FROM bell WHERE year_id = ? AND number = ?`).pluck().get(yearId, number) as string | undefined;
  return t ? localToInstant(date, t, tz) : undefined;
}

/** The grade a group is taught at: its class's grade, or (a cross-class group) its members' lowest grade. */
const GRADE_SQL = `coalesce(cl.grade, (SELECT min(c2.grade) FROM group_member m JOIN student st ON st.id = m.student_id JOIN class c2 ON c2.id = st.class_id WHERE m.group_id = g.id), 0)`;

export function lessonContext(j: Journal, lessonId: string, tz: string): LessonContext | undefined {
  const r = j.stmt(`SELECT l.id, l.date, l.number, l.kind, l.status, ${lessonTopicSql('l')} AS topic, l.homework, l.work_type AS workType, l.order_no AS orderNo, l.form,
      c.id AS courseId, c.group_id AS groupId, c.subject_id AS subjectId, c.year_id AS yearId, c.hours_per_week AS hoursPerWeek, s.code AS subjectCode, ${GRADE_SQL} AS grade
    FROM lesson l JOIN course c ON c.id = l.course_id JOIN subject s ON s.id = c.subject_id JOIN grp g ON g.id = c.group_id LEFT JOIN class cl ON cl.id = g.class_id
    WHERE l.id = ?`).get(lessonId) as {
      id: string; date: string; number: number; kind: LessonKind; status: LessonStatus; topic: string | null; homework: string | null; workType: WorkType | null;
      orderNo: string | null; form: string | null; courseId: string; groupId: string; subjectId: string; yearId: string; hoursPerWeek: number; subjectCode: SubjectCode; grade: number;
    } | undefined;
  if (!r) return undefined;
  const startsAt = bellInstant(j, r.yearId, r.date, r.number, 'starts', tz);
  const endsAt = bellInstant(j, r.yearId, r.date, r.number, 'ends', tz);
  const rule: RuleLesson = {
    id: r.id, date: r.date, number: r.number, kind: r.kind, status: r.status, subjectCode: r.subjectCode, grade: r.grade,
    ...(r.workType ? { workType: r.workType } : {}), ...(r.topic ? { topic: r.topic } : {}), ...(r.homework ? { homework: r.homework } : {}),
    ...(r.orderNo ? { orderNo: r.orderNo } : {}), ...(r.form ? { form: r.form } : {}),
    ...(startsAt ? { startsAt } : {}), ...(endsAt ? { endsAt } : {}),
  };
  return { rule, courseId: r.courseId, groupId: r.groupId, subjectId: r.subjectId, yearId: r.yearId, hoursPerWeek: r.hoursPerWeek };
}

export function ruleStudent(j: Journal, studentId: string): RuleStudent | undefined {
  const r = j.stmt('SELECT id, medical_group AS medicalGroup, pe_exempt_until AS peExemptUntil, home_schooling AS homeSchooling FROM student WHERE id = ?').get(studentId) as
    { id: string; medicalGroup: MedicalGroup; peExemptUntil: string | null; homeSchooling: number } | undefined;
  return r ? { id: r.id, medicalGroup: r.medicalGroup, homeSchooling: !!r.homeSchooling, ...(r.peExemptUntil ? { peExemptUntil: r.peExemptUntil } : {}) } : undefined;
}

export function nextLessonOf(j: Journal, ctx: LessonContext, tz: string): NextLesson | null {
  const r = j.stmt(`SELECT date, number FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND (date > ? OR (date = ? AND number > ?)) ORDER BY date, number LIMIT 1`)
    .get(ctx.courseId, ctx.rule.date, ctx.rule.date, ctx.rule.number) as { date: string; number: number } | undefined;
  if (!r) return null;
  const startsAt = bellInstant(j, ctx.yearId, r.date, r.number, 'starts', tz);
  return { date: r.date, ...(startsAt ? { startsAt } : {}) };
}

/** The student's attendance of a course's lessons in [from, to] (or up to and including a lesson). */
export function attendanceHistory(j: Journal, courseId: string, studentId: string, from: string, to: string, uptoNumber = 99): StudentLessonRecord[] {
  const rows = j.stmt(`SELECT l.id AS lessonId, l.date, l.number, l.kind, (a.student_id IS NOT NULL) AS absent, a.reason
    FROM lesson l LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = ?
    WHERE l.course_id = ? AND l.status <> 'cancelled' AND l.date BETWEEN ? AND ? AND NOT (l.date = ? AND l.number > ?) ORDER BY l.date, l.number`)
    .all(studentId, courseId, from, to, to, uptoNumber) as { lessonId: string; date: string; number: number; kind: LessonKind; absent: number; reason: AbsenceReason | null }[];
  return rows.map((r) => ({ lessonId: r.lessonId, date: r.date, number: r.number, kind: r.kind, absent: !!r.absent, reason: r.reason }));
}

export function holidaysOf(j: Journal, yearId: string): RuleHoliday[] {
  return (j.stmt('SELECT starts, ends, grades FROM holiday WHERE year_id = ? ORDER BY starts').all(yearId) as { starts: string; ends: string; grades: string | null }[])
    .map((h) => ({ starts: h.starts, ends: h.ends, ...(h.grades ? { grades: JSON.parse(h.grades) as number[] } : {}) }));
}

export function studentMarks(j: Journal, courseId: string, studentId: string, from: string, to: string): StudentMark[] {
  return (j.stmt(`SELECT m.value, coalesce(m.work_type, l.work_type, 'lesson') AS workType, l.date, l.id AS lessonId, m.col AS "column"
    FROM lesson l JOIN mark m ON m.lesson_id = l.id AND m.student_id = ?
    WHERE l.course_id = ? AND l.date BETWEEN ? AND ? ORDER BY l.date, l.number, m.col`).all(studentId, courseId, from, to) as
    { value: string; workType: WorkType; date: string; lessonId: string; column: MarkColumn }[]);
}

export function periodById(j: Journal, id: string): (RulePeriod & { id: string; yearId: string; name: string }) | undefined {
  return j.stmt('SELECT id, year_id AS yearId, name, starts, ends FROM period WHERE id = ?').get(id) as (RulePeriod & { id: string; yearId: string; name: string }) | undefined;
}

/** The course of a subject that a student attends in a year (their class's, or a group's). */
export function studentCourse(j: Journal, yearId: string, subjectId: string, studentId: string): { id: string; hoursPerWeek: number; groupId: string } | undefined {
  return j.stmt(`SELECT c.id, c.hours_per_week AS hoursPerWeek, c.group_id AS groupId FROM course c JOIN grp g ON g.id = c.group_id
    WHERE c.year_id = ? AND c.subject_id = ? AND ((g.kind = 'class' AND g.class_id = (SELECT class_id FROM student WHERE id = ?))
      OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = ?)) ORDER BY g.kind = 'class' DESC LIMIT 1`).get(yearId, subjectId, studentId, studentId) as
    { id: string; hoursPerWeek: number; groupId: string } | undefined;
}

export function gradeOfStudent(j: Journal, studentId: string): number {
  return (j.stmt('SELECT c.grade FROM student s JOIN class c ON c.id = s.class_id WHERE s.id = ?').pluck().get(studentId) as number | undefined) ?? 0;
}

/** When the students of a lesson's group finish their day: the end of the group's last lesson on that date. */
export function lastLessonEnd(j: Journal, ctx: LessonContext, tz: string): string | undefined {
  const n = j.stmt(`SELECT max(l.number) FROM lesson l JOIN course c ON c.id = l.course_id WHERE c.group_id = ? AND l.date = ? AND l.status <> 'cancelled'`).pluck().get(ctx.groupId, ctx.rule.date) as number | null;
  return n === null ? undefined : bellInstant(j, ctx.yearId, ctx.rule.date, n, 'ends', tz);
}
