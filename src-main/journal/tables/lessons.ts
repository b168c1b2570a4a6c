/**
 * Reads of `lesson`, `substitution`, `individual_homework` and `ktp`. A lesson's topic is read
 * through `lessonTopic` (lesson-topic.ts explains its stored form). The gradebook's and the diary's
 * lessons are one statement each over the schema's columns (`typedSql`), the policy's and the
 * rules' look-ups prepared per journal.
 */
import { and, asc, count, eq, gt, inArray, isNotNull, lt, lte, max, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal, typedSql } from './prepared';
import { gradeOfGroup } from './structure';

export type LessonRow = typeof t.lesson.$inferSelect;
export type KtpRow = typeof t.ktp.$inferSelect;

const ph = (name: string) => sql.placeholder(name);
const l = t.lesson;
const c = t.course;
const g = t.group;

/** The logical topic of a lesson (NULL: no topic): its own, else its КТП entry's (lesson-topic.ts). */
export const lessonTopic: SQL<string | null> = sql<string | null>`${sql`(CASE WHEN ${l.topic} IS NULL THEN (SELECT ${t.ktp.topic} FROM ${t.ktp} WHERE ${t.ktp.id} = ${l.ktpId}) ELSE nullif(${l.topic}, '') END)`}`;
/** Lessons up to and including lesson `number` of `date` (placeholders `date`, `number`). */
const upTo = or(lt(l.date, ph('date')), and(eq(l.date, ph('date')), lte(l.number, ph('number'))));

const courseIdQ = perJournal((db) => db.select({ courseId: l.courseId }).from(l).where(eq(l.id, ph('id'))).prepare());
export function lessonCourseId(j: Journal, lessonId: string): string | undefined {
  return courseIdQ(j).get({ id: lessonId })?.courseId;
}

const substitutionQ = perJournal((db) => db.select({ teacherId: t.substitution.teacherId, recordedAt: t.substitution.recordedAt }).from(t.substitution)
  .where(eq(t.substitution.lessonId, ph('id'))).prepare());
export function substitutionOf(j: Journal, lessonId: string): Pick<typeof t.substitution.$inferSelect, 'teacherId' | 'recordedAt'> | undefined {
  return substitutionQ(j).get({ id: lessonId });
}

/** A course's lessons in [from, to] with topic and substitute, by date and number (the gradebook's columns). */
export const courseLessons = typedSql<Pick<LessonRow, 'id' | 'date' | 'number' | 'kind' | 'status' | 'homework' | 'workType' | 'movedFrom'> & { topic: string | null; substituteId: string | null }, [courseId: string, from: string, to: string]>(sql`
  SELECT ${l.id} AS "id", ${l.date} AS "date", ${l.number} AS "number", ${l.kind} AS "kind", ${l.status} AS "status", ${lessonTopic} AS "topic", ${l.homework} AS "homework",
    ${l.workType} AS "workType", ${l.movedFrom} AS "movedFrom", ${t.substitution.teacherId} AS "substituteId"
  FROM ${l} LEFT JOIN ${t.substitution} ON ${t.substitution.lessonId} = ${l.id}
  WHERE ${l.courseId} = ? AND ${l.date} BETWEEN ? AND ? ORDER BY ${l.date}, ${l.number}`);

/**
 * A student's lessons of a week (not cancelled) with subject, topic, own homework, substitution and
 * absence, by date and number. Driven from the student's groups → their courses → the week's
 * lessons (lesson_course_date index), not from every lesson of the school that week (CROSS JOIN
 * fixes SQLite's join order). Parameters: `sid`, `cid` (the student's class), `from`, `to`.
 */
/**
 * The course's lesson before `l` (not cancelled): the one whose homework is due at `l` («к
 * следующему уроку»). One index seek: the row value (date, number) walks lesson_course_date
 * backwards from `l`, not from the course's last lesson of the year.
 */
const prev = alias(t.lesson, 'prev');
const before = alias(t.lesson, 'before');
const previousLesson = sql`${prev.id} = (SELECT ${before.id} FROM ${l} ${before} WHERE ${before.courseId} = ${l.courseId}
    AND (${before.date}, ${before.number}) < (${l.date}, ${l.number}) AND ${before.status} <> 'cancelled' ORDER BY ${before.date} DESC, ${before.number} DESC LIMIT 1)`;

export const studentWeekLessons = typedSql<Pick<LessonRow, 'date' | 'number' | 'kind' | 'status' | 'homework' | 'movedFrom'> & {
  lessonId: string; subject: string; topic: string | null; individualHomework: string | null; substituted: number; absent: number; absenceReason: string | null;
  /** The homework set at the course's previous lesson, due at this one, and the date it was set. */
  homeworkDue: string | null; homeworkSetOn: string | null;
}, [{ sid: string; cid: string | null; from: string; to: string }]>(sql`
  WITH g AS (SELECT ${g.id} FROM ${g} WHERE ${g.kind} = 'class' AND ${g.classId} = @cid UNION SELECT ${t.groupMember.groupId} FROM ${t.groupMember} WHERE ${t.groupMember.studentId} = @sid)
  SELECT ${l.id} AS "lessonId", ${l.date} AS "date", ${l.number} AS "number", ${t.subject.name} AS "subject", ${l.kind} AS "kind", ${l.status} AS "status", ${lessonTopic} AS "topic",
    ${l.homework} AS "homework", ${t.individualHomework.text} AS "individualHomework", ${l.movedFrom} AS "movedFrom",
    (${t.substitution.lessonId} IS NOT NULL) AS "substituted", (${t.attendance.studentId} IS NOT NULL) AS "absent", ${t.attendance.reason} AS "absenceReason",
    ${prev.homework} AS "homeworkDue", ${prev.date} AS "homeworkSetOn"
  FROM g CROSS JOIN ${c} ON ${c.groupId} = g.id CROSS JOIN ${l} ON ${l.courseId} = ${c.id} AND ${l.date} BETWEEN @from AND @to AND ${l.status} <> 'cancelled'
  JOIN ${t.subject} ON ${t.subject.id} = ${c.subjectId}
  LEFT JOIN ${t.individualHomework} ON ${t.individualHomework.lessonId} = ${l.id} AND ${t.individualHomework.studentId} = @sid
  LEFT JOIN ${t.attendance} ON ${t.attendance.lessonId} = ${l.id} AND ${t.attendance.studentId} = @sid
  LEFT JOIN ${t.substitution} ON ${t.substitution.lessonId} = ${l.id}
  LEFT JOIN ${l} ${prev} ON ${previousLesson}
  ORDER BY ${l.date}, ${l.number}`);

const pageQ = perJournal((db) => db.select({
  id: l.id, courseId: l.courseId, date: l.date, number: l.number, kind: l.kind, status: l.status, topic: lessonTopic, ktpId: l.ktpId, homework: l.homework, workType: l.workType,
  orderNo: l.orderNo, form: l.form, note: l.note, movedFrom: l.movedFrom, subjectId: t.subject.id, subjectName: t.subject.name, subjectCode: t.subject.code,
  groupId: g.id, groupName: g.name, grade: gradeOfGroup, bs: t.bell.starts, be: t.bell.ends, sl: t.staff.lastName, sf: t.staff.firstName, sm: t.staff.middleName,
}).from(l).innerJoin(c, eq(c.id, l.courseId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId)).innerJoin(g, eq(g.id, c.groupId))
  .leftJoin(t.schoolClass, eq(t.schoolClass.id, g.classId)).leftJoin(t.bell, and(eq(t.bell.yearId, c.yearId), eq(t.bell.number, l.number)))
  .leftJoin(t.substitution, eq(t.substitution.lessonId, l.id)).leftJoin(t.staff, eq(t.staff.id, t.substitution.teacherId))
  .where(eq(l.id, ph('id'))).prepare());
/** A lesson with its subject, group and grade, its bell (`bs`, `be`) and its substitute's name parts (`sl`, `sf`, `sm`): the lesson's page. */
export function lessonPage(j: Journal, lessonId: string) {
  return pageQ(j).get({ id: lessonId });
}

const homeworkQ = perJournal((db) => db.select({ studentId: t.individualHomework.studentId, text: t.individualHomework.text }).from(t.individualHomework)
  .where(eq(t.individualHomework.lessonId, ph('id'))).prepare());
export function individualHomeworkOf(j: Journal, lessonId: string): Pick<typeof t.individualHomework.$inferSelect, 'studentId' | 'text'>[] {
  return homeworkQ(j).all({ id: lessonId });
}

const ruleQ = perJournal((db) => db.select({
  id: l.id, date: l.date, number: l.number, kind: l.kind, status: l.status, topic: lessonTopic, homework: l.homework, workType: l.workType, orderNo: l.orderNo, form: l.form,
  courseId: c.id, groupId: c.groupId, subjectId: c.subjectId, yearId: c.yearId, hoursPerWeek: c.hoursPerWeek, subjectCode: t.subject.code,
  grade: sql<number>`coalesce(${gradeOfGroup}, 0)`,
}).from(l).innerJoin(c, eq(c.id, l.courseId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId)).innerJoin(g, eq(g.id, c.groupId))
  .leftJoin(t.schoolClass, eq(t.schoolClass.id, g.classId)).where(eq(l.id, ph('id'))).prepare());
/** A lesson with its course, subject code and grade (0: unknown): what the rules are given. */
export function lessonForRules(j: Journal, lessonId: string) {
  return ruleQ(j).get({ id: lessonId });
}

const nextQ = perJournal((db) => db.select({ date: l.date, number: l.number }).from(l)
  .where(and(eq(l.courseId, ph('courseId')), ne(l.status, 'cancelled'), or(gt(l.date, ph('date')), and(eq(l.date, ph('date')), gt(l.number, ph('number'))))))
  .orderBy(asc(l.date), asc(l.number)).limit(1).prepare());
/** The course's next lesson (not cancelled) after lesson `number` of `date`. */
export function nextLesson(j: Journal, courseId: string, date: string, number: number): Pick<LessonRow, 'date' | 'number'> | undefined {
  return nextQ(j).get({ courseId, date, number });
}

/** The course's lessons (not cancelled) up to and including lesson `number` of `date`. */
const upToQ = perJournal((db) => db.select({ id: l.id, date: l.date, number: l.number, kind: l.kind }).from(l)
  .where(and(eq(l.courseId, ph('courseId')), ne(l.status, 'cancelled'), upTo)).prepare());
export function courseLessonsUpTo(j: Journal, courseId: string, date: string, number: number): Pick<LessonRow, 'id' | 'date' | 'number' | 'kind'>[] {
  return upToQ(j).all({ courseId, date, number });
}

/** The ids of the course's lessons (not cancelled) up to and including lesson `number` of `date`, as a subquery (placeholders `courseId`, `date`, `number`). */
export function lessonIdsUpTo(db: Journal['db']) {
  return db.select({ id: l.id }).from(l).where(and(eq(l.courseId, ph('courseId')), ne(l.status, 'cancelled'), upTo));
}

/** The dates the course's lessons used each КТП entry, by date. */
const usageQ = perJournal((db) => db.select({ ktpId: l.ktpId, date: l.date }).from(l).where(and(eq(l.courseId, ph('courseId')), isNotNull(l.ktpId))).orderBy(asc(l.date)).prepare());
export function ktpUsage(j: Journal, courseId: string): { ktpId: string; date: string }[] {
  return usageQ(j).all({ courseId }).map((r) => ({ ktpId: r.ktpId!, date: r.date }));
}

/** The КТП of a subject and grade in a year, by number. */
const ktpQ = perJournal((db) => db.select({ id: t.ktp.id, number: t.ktp.number, topic: t.ktp.topic, hours: t.ktp.hours }).from(t.ktp)
  .where(and(eq(t.ktp.yearId, ph('yearId')), eq(t.ktp.subjectId, ph('subjectId')), eq(t.ktp.grade, ph('grade')))).orderBy(asc(t.ktp.number)).prepare());
export function ktpOf(j: Journal, yearId: string, subjectId: string, grade: number): Pick<KtpRow, 'id' | 'number' | 'topic' | 'hours'>[] {
  return ktpQ(j).all({ yearId, subjectId, grade });
}

/** How many lessons of the course in [from, to] were held or planned (not cancelled); `lessonsOnly`: extracurricular ones not counted. */
const heldQ = (lessonsOnly: boolean) => perJournal((db) => db.select({ n: count() }).from(l)
  .where(and(eq(l.courseId, ph('courseId')), ne(l.status, 'cancelled'), lessonsOnly ? ne(l.kind, 'extracurricular') : undefined, sql`${l.date} BETWEEN ${ph('from')} AND ${ph('to')}`)).prepare());
const heldAllQ = heldQ(false);
const heldLessonsQ = heldQ(true);
export function heldLessonCount(j: Journal, courseId: string, from: string, to: string, lessonsOnly = false): number {
  return (lessonsOnly ? heldLessonsQ : heldAllQ)(j).get({ courseId, from, to })?.n ?? 0;
}

const lastQ = perJournal((db) => db.select({ n: max(l.number) }).from(l).innerJoin(c, eq(c.id, l.courseId))
  .where(and(eq(c.groupId, ph('groupId')), eq(l.date, ph('date')), ne(l.status, 'cancelled'))).prepare());
/** The number of a group's last lesson (not cancelled) on a date, or null. */
export function lastLessonNumber(j: Journal, groupId: string, date: string): number | null {
  return lastQ(j).get({ groupId, date })?.n ?? null;
}

/** Where a lesson is: its date, number, subject and group names. */
export function lessonPlace(j: Journal, lessonId: string): { date: string; number: number; subject: string; grp: string } | undefined {
  return j.db.select({ date: l.date, number: l.number, subject: t.subject.name, grp: g.name }).from(l).innerJoin(c, eq(c.id, l.courseId))
    .innerJoin(t.subject, eq(t.subject.id, c.subjectId)).innerJoin(g, eq(g.id, c.groupId)).where(eq(l.id, lessonId)).get();
}

/** The courses' lessons in [from, to] that take attendance (not cancelled, not extracurricular), by date, number, subject. */
export function attendanceLessons(j: Journal, courseIds: string[], from: string, to: string): { id: string; date: string; number: number; subjectName: string; subjectShort: string; courseId: string }[] {
  if (courseIds.length === 0) return [];
  return j.db.select({ id: l.id, date: l.date, number: l.number, subjectName: t.subject.name, subjectShort: t.subject.short, courseId: l.courseId }).from(l)
    .innerJoin(c, eq(c.id, l.courseId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId))
    .where(and(inArray(l.courseId, courseIds), sql`${l.date} BETWEEN ${from} AND ${to}`, ne(l.status, 'cancelled'), ne(l.kind, 'extracurricular')))
    .orderBy(asc(l.date), asc(l.number), asc(t.subject.name)).all();
}

export function lessonCount(j: Journal): number {
  return j.db.select({ n: count() }).from(l).get()?.n ?? 0;
}
