/**
 * Reads of the marks and what surrounds them: the `mark` and `attendance` views (the compact cells
 * with names given back), `period_mark`, `attestation_decision`, `correction`. The gradebook's and
 * the diary's reads are one statement each over the schema's columns (`typedSql`).
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { MarkColumn } from '../../../src-shared/domain/school';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal, typedSql } from './prepared';
import { lessonIdsUpTo } from './lessons';

export type PeriodMarkRow = typeof t.periodMark.$inferSelect;
export type CorrectionRow = typeof t.correction.$inferSelect;

const ph = (name: string) => sql.placeholder(name);
const l = t.lesson;
const m = t.mark;
const a = t.attendance;
/** A view's column as it is: the view declares no NOT NULL, the cells it reads have them. */
const nn = <T>(col: { _: { data: T } }): SQL<T> => sql<T>`${col}`;
/** A mark's work type: its own, else its lesson's, else an ordinary lesson's. */
const markWorkType = sql<string>`coalesce(${m.workType}, ${l.workType}, 'lesson')`;

// ── the gradebook and the diary ───────────────────────────────────────────────

/** Every mark of a course's lessons in [from, to]. */
export const courseMarks = typedSql<{ lessonId: string; studentId: string; column: MarkColumn; value: string; workType: string; comment: string | null }, [courseId: string, from: string, to: string]>(sql`
  SELECT ${m.lessonId} AS "lessonId", ${m.studentId} AS "studentId", ${m.column} AS "column", ${m.value} AS "value", ${markWorkType} AS "workType", ${m.comment} AS "comment"
  FROM ${l} JOIN ${m} ON ${m.lessonId} = ${l.id} WHERE ${l.courseId} = ? AND ${l.date} BETWEEN ? AND ?`);

/** Every absence at a course's lessons in [from, to]. */
export const courseAbsences = typedSql<{ lessonId: string; studentId: string; reason: string | null }, [courseId: string, from: string, to: string]>(sql`
  SELECT ${a.lessonId} AS "lessonId", ${a.studentId} AS "studentId", ${a.reason} AS "reason"
  FROM ${l} JOIN ${a} ON ${a.lessonId} = ${l.id} WHERE ${l.courseId} = ? AND ${l.date} BETWEEN ? AND ?`);

/** Every period, annual, exam and final mark of a subject in a year. */
export const subjectPeriodMarks = typedSql<Pick<PeriodMarkRow, 'studentId' | 'term' | 'value'>, [subjectId: string, yearId: string]>(sql`
  SELECT ${t.periodMark.studentId} AS "studentId", ${t.periodMark.term} AS "term", ${t.periodMark.value} AS "value"
  FROM ${t.periodMark} WHERE ${t.periodMark.subjectId} = ? AND ${t.periodMark.yearId} = ?`);

/** A student's marks of the given lessons (a JSON array of ids), by the mark's primary key: no per-student index needed. */
export const studentMarksOfLessons = typedSql<{ lessonId: string; value: string; column: string; workType: string; comment: string | null }, [lessonIdsJson: string, studentId: string]>(sql`
  SELECT ${m.lessonId} AS "lessonId", ${m.value} AS "value", ${m.column} AS "column", ${markWorkType} AS "workType", ${m.comment} AS "comment"
  FROM json_each(?) je CROSS JOIN ${m} ON ${m.lessonId} = je.value AND ${m.studentId} = ? JOIN ${l} ON ${l.id} = ${m.lessonId}`);

/** A student's period marks of every subject, with the subject's name, by subject and term. */
export const studentPeriodMarks = typedSql<{ subject: string; term: string; value: string }, [studentId: string]>(sql`
  SELECT ${t.subject.name} AS "subject", ${t.periodMark.term} AS "term", ${t.periodMark.value} AS "value"
  FROM ${t.periodMark} JOIN ${t.subject} ON ${t.subject.id} = ${t.periodMark.subjectId}
  WHERE ${t.periodMark.studentId} = ? ORDER BY ${t.subject.name}, ${t.periodMark.term}`);

// ── a lesson's marks and absences (the rules' warnings) ──────────────────────

const absentQ = perJournal((db) => db.select({ id: nn(a.studentId) }).from(a).where(eq(a.lessonId, ph('id'))).prepare());
export function absentStudentIds(j: Journal, lessonId: string): string[] {
  return absentQ(j).all({ id: lessonId }).map((r) => r.id);
}

const cellsQ = perJournal((db) => db.select({ studentId: nn(m.studentId), column: nn(m.column) }).from(m).where(eq(m.lessonId, ph('id'))).prepare());
export function lessonMarkCells(j: Journal, lessonId: string): { studentId: string; column: string }[] {
  return cellsQ(j).all({ id: lessonId });
}

/** Who has a mark at which of the course's lessons (not cancelled) up to and including lesson `number` of `date`. */
const markedQ = perJournal((db) => db.selectDistinct({ studentId: nn(m.studentId), lessonId: nn(m.lessonId) }).from(m).where(inArray(m.lessonId, lessonIdsUpTo(db))).prepare());
export function markedUpTo(j: Journal, courseId: string, date: string, number: number): { studentId: string; lessonId: string }[] {
  return markedQ(j).all({ courseId, date, number });
}

/** Who was absent at which of the course's lessons (not cancelled) up to and including lesson `number` of `date`. */
const absentUpToQ = perJournal((db) => db.select({ studentId: nn(a.studentId), lessonId: nn(a.lessonId) }).from(a).where(inArray(a.lessonId, lessonIdsUpTo(db))).prepare());
export function absentUpTo(j: Journal, courseId: string, date: string, number: number): { studentId: string; lessonId: string }[] {
  return absentUpToQ(j).all({ courseId, date, number });
}

// ── a class's summary and week ────────────────────────────────────────────────

/** The values of every mark of a course's lessons in [from, to], by student (`sid`). */
const inRange = and(eq(l.courseId, ph('courseId')), sql`${l.date} BETWEEN ${ph('from')} AND ${ph('to')}`);
const valuesQ = perJournal((db) => db.select({ sid: nn(m.studentId), value: nn(m.value) }).from(l).innerJoin(m, eq(m.lessonId, l.id)).where(inRange).prepare());
export function courseMarkValues(j: Journal, courseId: string, from: string, to: string): { sid: string; value: string }[] {
  return valuesQ(j).all({ courseId, from, to });
}

/** The reasons of every absence at a course's lessons in [from, to], by student (`sid`). */
const reasonsQ = perJournal((db) => db.select({ sid: nn(a.studentId), reason: a.reason }).from(l).innerJoin(a, eq(a.lessonId, l.id)).where(inRange).prepare());
export function courseAbsenceReasons(j: Journal, courseId: string, from: string, to: string): { sid: string; reason: string | null }[] {
  return reasonsQ(j).all({ courseId, from, to });
}

/** The absences at the courses' lessons in [from, to]. */
export function coursesAbsences(j: Journal, courseIds: string[], from: string, to: string): { lessonId: string; studentId: string; reason: string | null }[] {
  if (courseIds.length === 0) return [];
  return j.db.select({ lessonId: nn(a.lessonId), studentId: nn(a.studentId), reason: a.reason }).from(l).innerJoin(a, eq(a.lessonId, l.id))
    .where(and(inArray(l.courseId, courseIds), sql`${l.date} BETWEEN ${from} AND ${to}`)).all();
}

/** The marks of one term of a subject in a year, by student (`sid`). */
const termQ = perJournal((db) => db.select({ sid: t.periodMark.studentId, value: t.periodMark.value }).from(t.periodMark)
  .where(and(eq(t.periodMark.yearId, ph('yearId')), eq(t.periodMark.subjectId, ph('subjectId')), eq(t.periodMark.term, ph('term')))).prepare());
export function termMarks(j: Journal, yearId: string, subjectId: string, term: string): { sid: string; value: string }[] {
  return termQ(j).all({ yearId, subjectId, term });
}

// ── one student (the rules' inputs, the period-mark proposal) ────────────────

const studentMarksQ = perJournal((db) => db.select({ value: nn(m.value), workType: markWorkType, date: l.date, lessonId: l.id, column: nn(m.column) })
  .from(l).innerJoin(m, and(eq(m.lessonId, l.id), eq(m.studentId, ph('sid'))))
  .where(and(eq(l.courseId, ph('courseId')), sql`${l.date} BETWEEN ${ph('from')} AND ${ph('to')}`)).orderBy(asc(l.date), asc(l.number), asc(m.column)).prepare());
/** A student's marks of a course's lessons in [from, to], by date, number and column. */
export function studentCourseMarks(j: Journal, courseId: string, studentId: string, from: string, to: string): { value: string; workType: string; date: string; lessonId: string; column: string }[] {
  return studentMarksQ(j).all({ sid: studentId, courseId, from, to });
}

const attendanceQ = perJournal((db) => db.select({ lessonId: l.id, date: l.date, number: l.number, kind: l.kind, absent: sql<number>`(${a.studentId} IS NOT NULL)`, reason: a.reason })
  .from(l).leftJoin(a, and(eq(a.lessonId, l.id), eq(a.studentId, ph('sid'))))
  .where(and(eq(l.courseId, ph('courseId')), sql`${l.status} <> 'cancelled'`, sql`${l.date} BETWEEN ${ph('from')} AND ${ph('to')}`, sql`NOT (${l.date} = ${ph('to')} AND ${l.number} > ${ph('upto')})`))
  .orderBy(asc(l.date), asc(l.number)).prepare());
/** A student's attendance of a course's lessons (not cancelled) in [from, to], up to lesson `uptoNumber` of `to`. */
export function studentAttendance(j: Journal, courseId: string, studentId: string, from: string, to: string, uptoNumber: number): { lessonId: string; date: string; number: number; kind: string; absent: number; reason: string | null }[] {
  return attendanceQ(j).all({ sid: studentId, courseId, from, to, upto: uptoNumber });
}

/** The deputy's decision to attest or not (R-NA) for one cell. */
export function attestationDecision(j: Journal, studentId: string, subjectId: string, yearId: string, term: string): Pick<typeof t.attestationDecision.$inferSelect, 'attest' | 'note'> | undefined {
  const d = t.attestationDecision;
  return j.db.select({ attest: d.attest, note: d.note }).from(d)
    .where(and(eq(d.studentId, studentId), eq(d.subjectId, subjectId), eq(d.yearId, yearId), eq(d.term, term))).get();
}

export function periodMarkValue(j: Journal, studentId: string, subjectId: string, yearId: string, term: string): string | undefined {
  const p = t.periodMark;
  return j.db.select({ value: p.value }).from(p).where(and(eq(p.studentId, studentId), eq(p.subjectId, subjectId), eq(p.yearId, yearId), eq(p.term, term))).get()?.value;
}

// ── corrections (R-CORRECTION) ───────────────────────────────────────────────

const requesterQ = perJournal((db) => db.select({ requestedBy: t.correction.requestedBy }).from(t.correction).where(eq(t.correction.id, ph('id'))).prepare());
export function correctionRequester(j: Journal, correctionId: string): string | undefined {
  return requesterQ(j).get({ id: correctionId })?.requestedBy;
}

/** The corrections of marks of a lesson (ids and targets, the JSON CellRef). */
export function markCorrectionsOfLesson(j: Journal, lessonId: string): Pick<CorrectionRow, 'id' | 'target'>[] {
  const c = t.correction;
  return j.db.select({ id: c.id, target: c.target }).from(c)
    .where(and(sql`json_extract(${c.target}, '$.kind') = 'mark'`, sql`json_extract(${c.target}, '$.lessonId') = ${lessonId}`)).all();
}

/** Decided corrections of one period-mark cell with the deciding op, in log order. */
export function periodMarkDecisions(j: Journal, studentId: string, subjectId: string, term: string): { value: string | null; status: string; device: string; seq: number; author: string; hlc: string }[] {
  const c = t.correction;
  const o = t.opLog;
  return j.db.select({ value: c.newValue, status: c.status, device: nn(o.device), seq: nn(o.seq), author: nn(o.author), hlc: nn(o.hlc) }).from(c)
    .innerJoin(o, and(eq(o.kind, 'correction.decide'), eq(o.scope, c.id)))
    .where(and(sql`json_extract(${c.target}, '$.kind') = 'periodMark'`, sql`json_extract(${c.target}, '$.studentId') = ${studentId}`,
      sql`json_extract(${c.target}, '$.subjectId') = ${subjectId}`, sql`json_extract(${c.target}, '$.term') = ${term}`))
    .orderBy(asc(o.pos)).all();
}

/** Correction requests, pending first then newest (at most 500): all, or those `requestedBy` one account. */
export function corrections(j: Journal, requestedBy?: string): Omit<CorrectionRow, 'orderRef' | 'teacherExplanation' | 'deputyExplanation'>[] {
  const c = t.correction;
  return j.db.select({
    id: c.id, target: c.target, oldValue: c.oldValue, newValue: c.newValue, reason: c.reason, requestedBy: c.requestedBy, requestedAt: c.requestedAt, status: c.status,
    decidedBy: c.decidedBy, decidedAt: c.decidedAt, decisionNote: c.decisionNote,
  }).from(c).where(requestedBy === undefined ? undefined : eq(c.requestedBy, requestedBy)).orderBy(sql`${c.status} <> 'pending'`, desc(c.requestedAt)).limit(500).all();
}

export function markCount(j: Journal): number {
  return j.db.select({ n: count() }).from(m).get()?.n ?? 0;
}

export function absenceCount(j: Journal): number {
  return j.db.select({ n: count() }).from(a).get()?.n ?? 0;
}
