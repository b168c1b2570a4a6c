/**
 * Reads of the people: `staff`, `student`, `parent`, `parent_student`. Class lists and the
 * policy's look-ups are on every gradebook, diary and op, so those are prepared once per journal.
 */
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal, typedSql } from './prepared';

export type StudentRow = typeof t.student.$inferSelect;
/** A person's name as every table of people stores it. */
export type NameRow = Pick<StudentRow, 'lastName' | 'firstName' | 'middleName'>;
/** A student as a class or group list shows them. */
export type ListedStudent = Pick<StudentRow, 'id' | 'lastName' | 'firstName' | 'middleName' | 'classId' | 'homeSchooling' | 'individualPlan' | 'medicalGroup' | 'peExemptUntil'>;

const s = t.student;
const listed = {
  id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName, classId: s.classId,
  homeSchooling: s.homeSchooling, individualPlan: s.individualPlan, medicalGroup: s.medicalGroup, peExemptUntil: s.peExemptUntil,
};
/** `5А`: a class's name from its grade and letter. */
const className = sql<string | null>`${t.schoolClass.grade} || ${t.schoolClass.letter}`;

const classIdQ = perJournal((db) => db.select({ classId: s.classId }).from(s).where(eq(s.id, sql.placeholder('id'))).prepare());
/** The student's class: undefined when there is no such student, null when they have none. */
export function studentClassId(j: Journal, studentId: string): string | null | undefined {
  return classIdQ(j).get({ id: studentId })?.classId;
}

const childrenQ = perJournal((db) => db.select({ id: t.parentStudent.studentId }).from(t.parentStudent)
  .where(eq(t.parentStudent.parentId, sql.placeholder('id'))).orderBy(asc(t.parentStudent.studentId)).prepare());
/** The ids of a parent's children (who left too), in id order. */
export function childIdsOfParent(j: Journal, parentId: string): string[] {
  return childrenQ(j).all({ id: parentId }).map((r) => r.id);
}

const inClassQ = perJournal((db) => db.select(listed).from(s).where(and(eq(s.classId, sql.placeholder('classId')), isNull(s.left))).prepare());
/** The class's students who have not left (unordered). */
export function studentsInClass(j: Journal, classId: string): ListedStudent[] {
  return inClassQ(j).all({ classId });
}

const inGroupQ = perJournal((db) => db.select(listed).from(t.groupMember).innerJoin(s, eq(s.id, t.groupMember.studentId))
  .where(and(eq(t.groupMember.groupId, sql.placeholder('groupId')), isNull(s.left))).prepare());
/** The explicit members of a group who have not left (unordered). */
export function studentsInGroup(j: Journal, groupId: string): ListedStudent[] {
  return inGroupQ(j).all({ groupId });
}

const withClassQ = perJournal((db) => db.select({ id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName, classId: s.classId, className })
  .from(s).leftJoin(t.schoolClass, eq(t.schoolClass.id, s.classId)).where(eq(s.id, sql.placeholder('id'))).prepare());
/** A student with their class's name (null: no class). */
export function studentWithClass(j: Journal, studentId: string): (Pick<StudentRow, 'id' | 'classId'> & NameRow & { className: string | null }) | undefined {
  return withClassQ(j).get({ id: studentId });
}

const childrenNamedQ = typedSql<Pick<StudentRow, 'id'> & NameRow & { className: string | null }, [parentId: string]>(sql`
  SELECT ${s.id} AS "id", ${s.lastName} AS "lastName", ${s.firstName} AS "firstName", ${s.middleName} AS "middleName", ${className} AS "className"
  FROM ${t.parentStudent} JOIN ${s} ON ${s.id} = ${t.parentStudent.studentId} LEFT JOIN ${t.schoolClass} ON ${t.schoolClass.id} = ${s.classId}
  WHERE ${t.parentStudent.parentId} = ? AND ${s.left} IS NULL`);
/** A parent's children who have not left, with their classes' names (unordered; raw rows: on every session). */
export function childrenOfParent(j: Journal, parentId: string): (Pick<StudentRow, 'id'> & NameRow & { className: string | null })[] {
  return childrenNamedQ.all(j, parentId);
}

const nameOf = (p: typeof t.staff | typeof t.parent | typeof t.student) => typedSql<NameRow, [id: string]>(sql`
  SELECT ${p.lastName} AS "lastName", ${p.firstName} AS "firstName", ${p.middleName} AS "middleName" FROM ${p} WHERE ${p.id} = ?`);
const names = { staff: nameOf(t.staff), parent: nameOf(t.parent), student: nameOf(s) };
/** The name of a person of any kind (raw rows: on every session). */
export function personName(j: Journal, kind: 'staff' | 'parent' | 'student', id: string): NameRow | undefined {
  return names[kind].get(j, id);
}

/** The class's students who have not left, by name fields only (unordered). */
const namesQ = perJournal((db) => db.select({ id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName }).from(s)
  .where(and(eq(s.classId, sql.placeholder('classId')), isNull(s.left))).prepare());
export function namesInClass(j: Journal, classId: string): (Pick<StudentRow, 'id'> & NameRow)[] {
  return namesQ(j).all({ classId });
}

const ruleQ = perJournal((db) => db.select({ id: s.id, medicalGroup: s.medicalGroup, peExemptUntil: s.peExemptUntil, homeSchooling: s.homeSchooling })
  .from(s).where(eq(s.id, sql.placeholder('id'))).prepare());
/** What the rules know of a student. */
export function studentForRules(j: Journal, studentId: string): Pick<StudentRow, 'id' | 'medicalGroup' | 'peExemptUntil' | 'homeSchooling'> | undefined {
  return ruleQ(j).get({ id: studentId });
}

const gradeQ = perJournal((db) => db.select({ grade: t.schoolClass.grade }).from(s).innerJoin(t.schoolClass, eq(t.schoolClass.id, s.classId))
  .where(eq(s.id, sql.placeholder('id'))).prepare());
/** The grade of the student's class (undefined: no student or no class). */
export function studentGrade(j: Journal, studentId: string): number | undefined {
  return gradeQ(j).get({ id: studentId })?.grade;
}

/** Students who have not left. */
export function activeStudentCount(j: Journal): number {
  return j.db.select({ n: count() }).from(s).where(isNull(s.left)).get()?.n ?? 0;
}
