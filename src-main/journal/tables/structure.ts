/**
 * Reads of the school's structure: `school`, `setting`, `year`, `period`, `level_scheme`,
 * `holiday`, `bell`, `subject`, `class`, `grp`, `group_member`, `course`. What the policy and the
 * rules ask for every op (a course, a group's classes, a bell) is prepared once per journal.
 */
import { and, asc, count, desc, eq, exists, isNotNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal, typedSql } from './prepared';

export type YearRow = typeof t.year.$inferSelect;
export type PeriodRow = typeof t.period.$inferSelect;
export type ClassRow = typeof t.schoolClass.$inferSelect;
export type CourseRow = typeof t.course.$inferSelect;
export type SubjectRow = typeof t.subject.$inferSelect;
export type GroupRow = typeof t.group.$inferSelect;

const ph = (name: string) => sql.placeholder(name);
const g = t.group;
const c = t.course;
const cl = t.schoolClass;
const m = t.groupMember;
const st = t.student;
const c2 = alias(t.schoolClass, 'c2');

/**
 * The grade a course's group is taught at: its class's grade, or (a cross-class group) its
 * members' lowest; for queries that join `grp` and left-join its class.
 */
export const gradeOfGroup: SQL<number | null> = sql<number | null>`coalesce(${cl.grade}, (SELECT min(${c2.grade}) FROM ${m} JOIN ${st} ON ${st.id} = ${m.studentId} JOIN ${t.schoolClass} ${sql.identifier('c2')} ON ${c2.id} = ${st.classId} WHERE ${m.groupId} = ${g.id}))`;
/** `5А`: a class's name from its grade and letter. */
const className = sql<string>`${cl.grade} || ${cl.letter}`;
/** The student (placeholder `sid`) is in group `g`: a class group of their class, or an explicit member. */
const hasStudent = (db: Journal['db']) => sql`((${g.kind} = 'class' AND ${g.classId} = (${db.select({ classId: st.classId }).from(st).where(eq(st.id, ph('sid')))}))
  OR ${exists(db.select({ one: sql`1` }).from(m).where(and(eq(m.groupId, g.id), eq(m.studentId, ph('sid')))))})`;

// ── the school and its settings ───────────────────────────────────────────────

// Raw rows (typedSql) for what every session and every command reads.
const tzQ = typedSql<{ timezone: string }, []>(sql`SELECT ${t.school.timezone} AS "timezone" FROM ${t.school} WHERE ${t.school.id} = 1`);
export function schoolTimeZone(j: Journal): string | undefined {
  return tzQ.get(j)?.timezone;
}

const schoolQ = typedSql<{ name: string; timeZone: string }, []>(sql`SELECT ${t.school.name} AS "name", ${t.school.timezone} AS "timeZone" FROM ${t.school} WHERE ${t.school.id} = 1`);
export function schoolNameAndZone(j: Journal): { name: string; timeZone: string } | undefined {
  return schoolQ.get(j);
}

const settingQ = typedSql<Pick<typeof t.setting.$inferSelect, 'value'>, [key: string]>(sql`SELECT ${t.setting.value} AS "value" FROM ${t.setting} WHERE ${t.setting.key} = ?`);
/** A setting's stored JSON. */
export function settingValue(j: Journal, key: string): string | undefined {
  return settingQ.get(j, key)?.value;
}

// ── the year and its calendar ─────────────────────────────────────────────────

const yearAtQ = typedSql<Pick<YearRow, 'id' | 'name' | 'starts' | 'ends'>, [{ date: string }]>(sql`
  SELECT ${t.year.id} AS "id", ${t.year.name} AS "name", ${t.year.starts} AS "starts", ${t.year.ends} AS "ends" FROM ${t.year}
  ORDER BY (@date BETWEEN ${t.year.starts} AND ${t.year.ends}) DESC, (${t.year.starts} <= @date) DESC, ${t.year.starts} DESC LIMIT 1`);
/** The school year containing `date`, else the latest one that started before it, else the first. */
export function yearAt(j: Journal, date: string): Pick<YearRow, 'id' | 'name' | 'starts' | 'ends'> | undefined {
  return yearAtQ.get(j, { date });
}

const periodQ = perJournal((db) => db.select().from(t.period).where(eq(t.period.id, ph('id'))).prepare());
export function periodById(j: Journal, periodId: string): PeriodRow | undefined {
  return periodQ(j).get({ id: periodId });
}

const periodsQ = typedSql<Pick<PeriodRow, 'id' | 'name' | 'starts' | 'ends' | 'scheme' | 'number'>, [yearId: string]>(sql`
  SELECT ${t.period.id} AS "id", ${t.period.name} AS "name", ${t.period.starts} AS "starts", ${t.period.ends} AS "ends", ${t.period.scheme} AS "scheme", ${t.period.number} AS "number"
  FROM ${t.period} WHERE ${t.period.yearId} = ? ORDER BY ${t.period.scheme}, ${t.period.number}`);
/** The year's periods of every scheme, by scheme and number. */
export function periodsOfYear(j: Journal, yearId: string): Pick<PeriodRow, 'id' | 'name' | 'starts' | 'ends' | 'scheme' | 'number'>[] {
  return periodsQ.all(j, yearId);
}

/** The year's periods of one scheme, by number. */
const schemePeriodsQ = perJournal((db) => db.select({ id: t.period.id, name: t.period.name, starts: t.period.starts, ends: t.period.ends }).from(t.period)
  .where(and(eq(t.period.yearId, ph('yearId')), eq(t.period.scheme, ph('scheme')))).orderBy(asc(t.period.number)).prepare());
export function periodsOfScheme(j: Journal, yearId: string, scheme: string): Pick<PeriodRow, 'id' | 'name' | 'starts' | 'ends'>[] {
  return schemePeriodsQ(j).all({ yearId, scheme });
}

const schemesQ = perJournal((db) => db.select({ level: t.levelScheme.level, scheme: t.levelScheme.scheme }).from(t.levelScheme).where(eq(t.levelScheme.yearId, ph('yearId'))).prepare());
export function levelSchemesOfYear(j: Journal, yearId: string): { level: string; scheme: string }[] {
  return schemesQ(j).all({ yearId });
}

const schemeQ = perJournal((db) => db.select({ scheme: t.levelScheme.scheme }).from(t.levelScheme).where(and(eq(t.levelScheme.yearId, ph('yearId')), eq(t.levelScheme.level, ph('level')))).prepare());
export function levelScheme(j: Journal, yearId: string, level: string): string | undefined {
  return schemeQ(j).get({ yearId, level })?.scheme;
}

export function holidaysOfYear(j: Journal, yearId: string): Pick<typeof t.holiday.$inferSelect, 'starts' | 'ends' | 'grades'>[] {
  return j.db.select({ starts: t.holiday.starts, ends: t.holiday.ends, grades: t.holiday.grades }).from(t.holiday)
    .where(eq(t.holiday.yearId, yearId)).orderBy(asc(t.holiday.starts)).all();
}

const bellQ = perJournal((db) => db.select({ starts: t.bell.starts, ends: t.bell.ends }).from(t.bell)
  .where(and(eq(t.bell.yearId, ph('yearId')), eq(t.bell.number, ph('number')))).prepare());
/** When lesson `number` of the year's bell schedule starts and ends (local times). */
export function bellOf(j: Journal, yearId: string, number: number): { starts: string; ends: string } | undefined {
  return bellQ(j).get({ yearId, number });
}

// ── subjects ──────────────────────────────────────────────────────────────────

const subjectQ = perJournal((db) => db.select().from(t.subject).where(eq(t.subject.id, ph('id'))).prepare());
export function subjectById(j: Journal, subjectId: string): SubjectRow | undefined {
  return subjectQ(j).get({ id: subjectId });
}

// ── classes ───────────────────────────────────────────────────────────────────

/** A class with its name (`5А`). */
const classQ = perJournal((db) => db.select({ id: cl.id, yearId: cl.yearId, name: className, grade: cl.grade, classTeacherId: cl.classTeacherId }).from(cl).where(eq(cl.id, ph('id'))).prepare());
export function classById(j: Journal, classId: string): { id: string; yearId: string; name: string; grade: number; classTeacherId: string | null } | undefined {
  return classQ(j).get({ id: classId });
}

/** The year's classes with their names and class teachers, by grade and letter. */
const classesQ = perJournal((db) => db.select({ id: cl.id, name: className, grade: cl.grade, classTeacherId: cl.classTeacherId }).from(cl)
  .where(eq(cl.yearId, ph('yearId'))).orderBy(asc(cl.grade), asc(cl.letter)).prepare());
export function classesOfYear(j: Journal, yearId: string): { id: string; name: string; grade: number; classTeacherId: string | null }[] {
  return classesQ(j).all({ yearId });
}

/** The ids of the year's classes whose class teacher `staffId` is. */
const ledQ = perJournal((db) => db.select({ id: cl.id }).from(cl).where(and(eq(cl.classTeacherId, ph('staffId')), eq(cl.yearId, ph('yearId')))).prepare());
export function classIdsLedBy(j: Journal, staffId: string, yearId: string): string[] {
  return ledQ(j).all({ staffId, yearId }).map((r) => r.id);
}

const teacherQ = perJournal((db) => db.select({ id: cl.classTeacherId }).from(cl).where(eq(cl.id, ph('id'))).prepare());
/** The class teacher: undefined when there is no such class, null when it has none. */
export function classTeacherOf(j: Journal, classId: string): string | null | undefined {
  return teacherQ(j).get({ id: classId })?.id;
}

const gradeQ = perJournal((db) => db.select({ grade: cl.grade }).from(cl).where(eq(cl.id, ph('id'))).prepare());
export function classGrade(j: Journal, classId: string | null): number | undefined {
  return classId === null ? undefined : gradeQ(j).get({ id: classId })?.grade;
}

export function classCount(j: Journal): number {
  return j.db.select({ n: count() }).from(cl).get()?.n ?? 0;
}

// ── groups ────────────────────────────────────────────────────────────────────

const groupQ = perJournal((db) => db.select({ kind: g.kind, classId: g.classId }).from(g).where(eq(g.id, ph('id'))).prepare());
export function groupKind(j: Journal, groupId: string): Pick<GroupRow, 'kind' | 'classId'> | undefined {
  return groupQ(j).get({ id: groupId });
}

const groupClassesQ = perJournal((db) => db.select({ classId: g.classId }).from(g).where(and(eq(g.id, ph('id')), eq(g.kind, 'class'), isNotNull(g.classId)))
  .union(db.selectDistinct({ classId: st.classId }).from(m).innerJoin(st, eq(st.id, m.studentId)).where(and(eq(m.groupId, ph('id')), isNotNull(st.classId)))).prepare());
/** The classes a group's students are in: a class group's class, or its members' classes. */
export function classesOfGroup(j: Journal, groupId: string): string[] {
  return groupClassesQ(j).all({ id: groupId }).map((r) => r.classId!);
}

const inGroupQ = perJournal((db) => db.select({ one: sql<number>`1` }).from(g).where(and(eq(g.id, ph('gid')), hasStudent(db))).prepare());
export function studentInGroup(j: Journal, studentId: string, groupId: string): boolean {
  return inGroupQ(j).get({ gid: groupId, sid: studentId }) !== undefined;
}

/** The group is the class's, or has a student of the class. */
/** Group `g` is the class's (placeholder `classId`) or has a student of it. */
const hasClass = (db: Journal['db']) => sql`((${g.kind} = 'class' AND ${g.classId} = ${ph('classId')})
  OR ${exists(db.select({ one: sql`1` }).from(m).innerJoin(st, eq(st.id, m.studentId)).where(and(eq(m.groupId, g.id), eq(st.classId, ph('classId')))))})`;
const hasClassQ = perJournal((db) => db.select({ one: sql<number>`1` }).from(g).where(and(eq(g.id, ph('groupId')), hasClass(db))).prepare());
export function groupHasClass(j: Journal, groupId: string, classId: string): boolean {
  return hasClassQ(j).get({ groupId, classId }) !== undefined;
}

// ── courses ───────────────────────────────────────────────────────────────────

const courseQ = perJournal((db) => db.select({ groupId: c.groupId, teacherId: c.teacherId }).from(c).where(eq(c.id, ph('id'))).prepare());
export function courseGroupAndTeacher(j: Journal, courseId: string): Pick<CourseRow, 'groupId' | 'teacherId'> | undefined {
  return courseQ(j).get({ id: courseId });
}

const headerQ = perJournal((db) => db.select({
  id: c.id, groupId: c.groupId, groupName: g.name, subjectId: c.subjectId, subjectName: t.subject.name, subjectCode: t.subject.code,
  teacherId: c.teacherId, hoursPerWeek: c.hoursPerWeek, yearId: c.yearId, tl: t.staff.lastName, tf: t.staff.firstName, tm: t.staff.middleName, grade: cl.grade,
}).from(c).innerJoin(g, eq(g.id, c.groupId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId))
  .leftJoin(t.staff, eq(t.staff.id, c.teacherId)).leftJoin(cl, eq(cl.id, g.classId)).where(eq(c.id, ph('id'))).prepare());
/** A course with its group, subject, teacher's name parts (`tl`, `tf`, `tm`) and its class's grade: the gradebook's head. */
export function courseHeader(j: Journal, courseId: string) {
  return headerQ(j).get({ id: courseId });
}

/** Every course of a year with its group, subject, the group's grade and the teacher's name parts. */
const yearCoursesQ = perJournal((db) => db.select({
    id: c.id, groupId: c.groupId, groupName: g.name, groupKind: g.kind, classId: g.classId, grade: gradeOfGroup,
    subjectId: c.subjectId, subjectName: t.subject.name, subjectCode: t.subject.code, teacherId: c.teacherId, hoursPerWeek: c.hoursPerWeek,
    tl: t.staff.lastName, tf: t.staff.firstName, tm: t.staff.middleName,
  }).from(c).innerJoin(g, eq(g.id, c.groupId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId)).leftJoin(cl, eq(cl.id, g.classId))
    .leftJoin(t.staff, eq(t.staff.id, c.teacherId)).where(eq(c.yearId, ph('yearId'))).prepare());
export function coursesOfYear(j: Journal, yearId: string) {
  return yearCoursesQ(j).all({ yearId });
}

/** A course's subject, year and grade: which КТП it follows. */
const ktpKeyQ = perJournal((db) => db.select({ subjectId: c.subjectId, yearId: c.yearId, code: t.subject.code, grade: gradeOfGroup })
  .from(c).innerJoin(g, eq(g.id, c.groupId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId)).leftJoin(cl, eq(cl.id, g.classId)).where(eq(c.id, ph('id'))).prepare());
export function courseKtpKey(j: Journal, courseId: string): { subjectId: string; yearId: string; code: string; grade: number | null } | undefined {
  return ktpKeyQ(j).get({ id: courseId });
}

/** Courses a class's students take in its year: the class's own, and groups with its students; by subject and group name. */
const classCoursesQ = perJournal((db) => db.select({
    courseId: c.id, subjectId: c.subjectId, subjectName: t.subject.name, subjectShort: t.subject.short, subjectCode: t.subject.code,
    groupId: g.id, groupName: g.name, groupKind: g.kind, tl: t.staff.lastName, tf: t.staff.firstName, tm: t.staff.middleName,
  }).from(c).innerJoin(g, eq(g.id, c.groupId)).innerJoin(t.subject, eq(t.subject.id, c.subjectId)).leftJoin(t.staff, eq(t.staff.id, c.teacherId))
    .where(and(eq(c.yearId, ph('yearId')), hasClass(db))).orderBy(asc(t.subject.name), asc(g.name)).prepare());
export function coursesOfClass(j: Journal, yearId: string, classId: string) {
  return classCoursesQ(j).all({ yearId, classId });
}

const teachesQ = perJournal((db) => db.select({ one: sql<number>`1` }).from(c).innerJoin(g, eq(g.id, c.groupId))
  .where(and(eq(c.teacherId, ph('staffId')), eq(c.yearId, ph('yearId')), eq(c.subjectId, ph('subjectId')), hasStudent(db))).limit(1).prepare());
/** The teacher teaches the subject to the student this year (a course of theirs with the student in its group). */
export function teachesSubject(j: Journal, staffId: string, yearId: string, subjectId: string, studentId: string): boolean {
  return teachesQ(j).get({ staffId, yearId, subjectId, sid: studentId }) !== undefined;
}

const studentCourseQ = perJournal((db) => db.select({ id: c.id, hoursPerWeek: c.hoursPerWeek, groupId: c.groupId }).from(c).innerJoin(g, eq(g.id, c.groupId))
  .where(and(eq(c.yearId, ph('yearId')), eq(c.subjectId, ph('subjectId')), hasStudent(db))).orderBy(desc(sql`${g.kind} = 'class'`)).limit(1).prepare());
/** The course of a subject that a student attends in a year (their class's before a group's). */
export function studentCourse(j: Journal, yearId: string, subjectId: string, studentId: string): Pick<CourseRow, 'id' | 'hoursPerWeek' | 'groupId'> | undefined {
  return studentCourseQ(j).get({ yearId, subjectId, sid: studentId });
}

/** A course with its class's grade (null: not a class group), for the period-mark proposal. */
export function courseWithClassGrade(j: Journal, courseId: string): (Pick<CourseRow, 'id' | 'groupId' | 'subjectId' | 'yearId' | 'hoursPerWeek'> & { grade: number | null }) | undefined {
  return j.db.select({ id: c.id, groupId: c.groupId, subjectId: c.subjectId, yearId: c.yearId, hoursPerWeek: c.hoursPerWeek, grade: cl.grade })
    .from(c).innerJoin(g, eq(g.id, c.groupId)).leftJoin(cl, eq(cl.id, g.classId)).where(eq(c.id, courseId)).get();
}
