/**
 * The access matrix: every HTTP route the server registered (`server.routes`) × every principal ×
 * the caller's own things / another family's or another teacher's things / the other school's
 * things — compared with what the regulation says each role may do (src-shared/policy,
 * docs/policy.md, docs/security.md), not with what the server happens to answer today.
 *
 * Principals: anonymous; a cookie and a bearer session of every account of the tiny school (the
 * technical administrator, the director, the deputy, the methodist, the teacher — also class
 * teacher of 5А —, a second teacher «sub» teaching 6А, the parent of a 5А pupil, the parent of a
 * 6А pupil, the 5А pupil herself); a live school computer (every staff member signed in on it), a
 * revoked one, a computer of the other school, and the other school's administrator.
 *
 * How an answer is classified:
 * - allow — 2xx; also 422 `refused` and 409 `conflict`: the role got past the policy and a rule of
 *   the regulation (entry window, adaptation period …) answered — the access question is settled.
 *   A role the policy refuses never reaches the rules, so a 422 for it is an unexpected allow.
 * - deny — 401, 403 (`forbidden`, `blocked`), 404 (`not_found`: a family asking for someone else
 *   gets what a missing id gets, R-PRIVACY п. 5.11), and 400 `bad_input` when the id belongs to
 *   the other school (the school has no such thing). A 400 for the caller's own school is a
 *   broken input of this file and fails the test (`badInput` below).
 * - anything else (413, 415, 426, 429, 5xx) — an error: never expected here.
 *
 * The matrix fails on a route of `server.routes` with no row here, a row for a route that does
 * not exist, a contract method with no row, any unexpected allow or deny, any answer of one school
 * that carries the other school's marker (its name is «… АЛЬФА» / «… БЕТА»), and after the run if
 * the other school's computer was touched.
 *
 * State: one server per store. Rows that change the journal (marks, topics, corrections …) do not
 * change who may do what; rows that need state (a mark to annul, an absence to label, a pending
 * correction to decide) prepare it right before the call; destructive rows come last — revocation
 * (each principal aims at a computer of its own, enrolled for it) and then logout.
 */
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPRECATED_METHODS, METHOD_NAMES, type Method } from '../src-shared/contract/methods';
import { parseOp, type Op } from '../src-shared/ops/envelope';
import { PROTO, toWire } from '../src-shared/sync/protocol';
import type { Role } from '../src-shared/domain/school';
import { hashPassword } from '../src-main/auth/password';
import { allowAll, submit } from '../src-main/commands/execute';
import { draft } from '../src-main/journal/log';
import { openJournal } from '../src-main/journal/open';
import { T, fixedClock } from '../test/support/tiny-school';
import { removeTempDirs, storeKinds, tempDir, type StoreHandle } from '../test/support/stores';
import { PASSWORD, STAFF_LOGINS, TEST_COST, deviceToken, schoolFile, startServer, type TestServer } from '../test/support/server';
import { journalSchema } from './sync/service';

afterAll(removeTempDirs);

const SCHEMA = journalSchema();

// ── the two schools ────────────────────────────────────────────────────────────────────────
type SchoolKey = 'a' | 'b';
const SCHOOL_ID: Record<SchoolKey, string> = { a: 'tiny', b: 'other' };
const PREFIX: Record<SchoolKey, string> = { a: '', b: 'b.' };
/** In the school's name and a subject's name: an answer to one school must never carry the other's. */
const MARKER: Record<SchoolKey, string> = { a: 'АЛЬФА', b: 'БЕТА' };
const otherSchool = (s: SchoolKey): SchoolKey => (s === 'a' ? 'b' : 'a');

/** The ids a request names. Both schools have the 5А and 6А sets (same ids); the `x-…` set exists in one school only. */
interface Things {
  course: string; lesson: string; cls: string; student: string; subject: string; breach: string; correction: string; teacherAcc: string;
  /** A parent of the set's pupil (the parent's person id). */
  parentPerson: string;
  /** Made by a row's `prepare`: a throwaway account, a login with the school's prefix, a parent to link, the school's name. */
  account?: string; login?: string; parentToLink?: string; schoolName?: string;
}
const SET_5A: Things = { course: T.course, lesson: T.lessons[0], cls: T.cls, student: T.students[0], subject: T.subject, breach: 'br-1', correction: '', teacherAcc: T.teacherAcc, parentPerson: 'p-1' };
const SET_6A: Things = { course: 'k-math-6a', lesson: 'l-math-0910', cls: T.otherCls, student: T.otherStudent, subject: 'math', breach: 'br-1', correction: '', teacherAcc: T.substituteAcc, parentPerson: 'p-2' };
const onlyIn = (s: SchoolKey): Things => ({
  course: `x-${s}-course`, lesson: `x-${s}-lesson`, cls: `x-${s}-class`, student: `x-${s}-student`, subject: T.subject,
  breach: `x-${s}-breach`, correction: `x-${s}-corr`, teacherAcc: T.teacherAcc, parentPerson: `x-${s}-parent`,
});

/**
 * The tiny school (test/support/tiny-school.ts) plus: a marker in its name, a 6А course taught by
 * «sub» with a lesson today, a director, a pupil account (5А), a breach record of a former
 * employee, and a set of things that exist in this school only.
 */
function augment(file: string, s: SchoolKey): void {
  const j = openJournal(file);
  const verifier = hashPassword(PASSWORD, TEST_COST, Buffer.alloc(16, 7));
  const x = onlyIn(s);
  try {
    const ctx = { journal: j, actor: { accountId: T.admin }, clock: fixedClock('2026-08-26T09:00:00.000Z'), guard: allowAll };
    submit(ctx,
      draft('school.set', { name: `МБОУ «Тестовая СОШ» ${MARKER[s]}`, timezone: 'Asia/Yekaterinburg' }),
      draft('subject.set', { id: 'math', name: `Математика ${MARKER[s]}`, short: 'Матем.', code: 'math' }),
      draft('group.set', { id: 'g6a', yearId: T.year, name: '6А', kind: 'class', classId: T.otherCls }),
      draft('course.set', { id: SET_6A.course, yearId: T.year, groupId: 'g6a', subjectId: 'math', teacherId: T.substitute, hoursPerWeek: 4 }),
      draft('lesson.create', { id: SET_6A.lesson, courseId: SET_6A.course, date: '2026-09-10', number: 1 }),
      draft('staff.set', { id: 'st-director', lastName: 'Лаптандер', firstName: 'Галина', position: 'директор' }),
      draft('account.set', { id: 'acc-director', login: `${PREFIX[s]}director`, personKind: 'staff', personId: 'st-director', roles: ['director'] }),
      draft('account.password', { id: 'acc-director', verifier }),
      draft('account.set', { id: 'acc-pupil', login: `${PREFIX[s]}pupil`, personKind: 'student', personId: T.students[0], roles: ['student'] }),
      draft('account.password', { id: 'acc-pupil', verifier }),
      draft('staff.set', { id: 'st-gone', lastName: 'Тайбери', firstName: 'Юрий', position: 'учитель' }),
      draft('account.set', { id: 'acc-gone', login: `${PREFIX[s]}gone`, personKind: 'staff', personId: 'st-gone', roles: ['teacher'] }),
      draft('breach.record', { id: 'br-1', accountId: 'acc-gone', from: '2026-08-20T00:00:00Z', reportedAt: '2026-08-21T00:00:00Z' }),
      // Only in this school: the teacher's own kind of things, which the other school's callers reach for.
      draft('class.set', { id: x.cls, yearId: T.year, grade: 7, letter: 'Б', classTeacherId: T.teacher }),
      draft('group.set', { id: `x-${s}-group`, yearId: T.year, name: '7Б', kind: 'class', classId: x.cls }),
      draft('course.set', { id: x.course, yearId: T.year, groupId: `x-${s}-group`, subjectId: T.subject, teacherId: T.teacher, hoursPerWeek: 3 }),
      draft('student.set', { id: x.student, lastName: 'Окотэтто', firstName: 'Ирина', classId: x.cls }),
      draft('lesson.create', { id: x.lesson, courseId: x.course, date: '2026-09-10', number: 4 }),
      draft('breach.record', { id: x.breach, accountId: 'acc-gone', from: '2026-08-22T00:00:00Z', reportedAt: '2026-08-23T00:00:00Z' }),
    );
    submit({ ...ctx, actor: { accountId: T.teacherAcc } },
      draft('correction.request', { id: x.correction, target: { kind: 'mark', lessonId: x.lesson, studentId: x.student }, value: '4', reason: 'Описка при вводе' }));
  } finally {
    j.close();
  }
}

// ── principals ─────────────────────────────────────────────────────────────────────────────
/** The accounts of each school (login without the school's prefix) and their roles. */
const WHO = {
  admin: { id: T.admin, roles: ['admin'] },
  director: { id: 'acc-director', roles: ['director'] },
  deputy: { id: T.deputy, roles: ['deputy'] },
  methodist: { id: T.methodist, roles: ['methodist'] },
  teacher: { id: T.teacherAcc, roles: ['teacher', 'class_teacher'] },
  sub: { id: T.substituteAcc, roles: ['teacher'] },
  parent: { id: T.parent, roles: ['parent'] },
  parent2: { id: T.otherParent, roles: ['parent'] },
  pupil: { id: 'acc-pupil', roles: ['student'] },
} as const satisfies Record<string, { id: string; roles: Role[] }>;
type Who = keyof typeof WHO;
const WHO_NAMES = Object.keys(WHO) as Who[];
/** Whose 5А/6А set is «own»: the teacher teaches 5А (and is its class teacher), «sub» teaches 6А, parent2's child is in 6А. */
const OWN_SET: Record<Who, Things> = {
  admin: SET_5A, director: SET_5A, deputy: SET_5A, methodist: SET_5A, teacher: SET_5A, sub: SET_6A, parent: SET_5A, parent2: SET_6A, pupil: SET_5A,
};

type Principal =
  | { name: string; kind: 'anonymous'; school: SchoolKey; headers: Record<string, string> }
  | { name: string; kind: 'cookie' | 'bearer'; school: SchoolKey; who: Who; headers: Record<string, string> }
  | { name: string; kind: 'device'; school: SchoolKey; device: 'live' | 'revoked'; deviceId: string; headers: Record<string, string> };

type Target = 'own' | 'other' | 'cross';
const isSession = (p: Principal): p is Extract<Principal, { kind: 'cookie' | 'bearer' }> => p.kind === 'cookie' || p.kind === 'bearer';
const liveDevice = (p: Principal) => p.kind === 'device' && p.device === 'live';
const sessionOf = (p: Principal, ...who: Who[]) => isSession(p) && who.includes(p.who);

function things(p: Principal, target: Target): Things {
  if (target === 'cross') return onlyIn(otherSchool(p.school));
  const own = isSession(p) ? OWN_SET[p.who] : SET_5A;
  return target === 'own' ? own : own === SET_5A ? SET_6A : SET_5A;
}

const deviceIds = (s: SchoolKey) => ({ live: `pc-${s}-live`, revoked: `pc-${s}-revoked`, spare: `pc-${s}-spare` });

// ── the contract: one row per method ───────────────────────────────────────────────────────
const O: Target[] = ['own'];
const OO: Target[] = ['own', 'other'];
const ALL: Target[] = ['own', 'other', 'cross'];

interface World { t: TestServer; write(s: SchoolKey, accountId: string, d: ReturnType<typeof draft>): Promise<void>; seq(): number }
interface MethodRow {
  /** Which targets make sense: a method that names nothing is called once. */
  targets: Target[];
  input(x: Things, w: World): unknown;
  /** State the call needs, written with no checks into the caller's school (never for the other school's things). */
  prepare?(x: Things, s: SchoolKey, w: World): Promise<Partial<Things>>;
  /** Who may, per the regulation: account → targets; everyone else, and every target not listed, is refused. */
  allow: Partial<Record<Who, Target[]>>;
  why: string;
}

const courseReaders = { teacher: O, sub: O, deputy: OO, director: OO };
const lessonWork = { teacher: O, sub: O };
const everyone = Object.fromEntries(WHO_NAMES.map((w) => [w, O])) as Record<Who, Target[]>;
const WEEK = '2026-09-07';

/** Methods of the contract → who may call them on what (src-shared/policy/op-rules.ts, query-rules.ts). */
/** A row per method of the contract; the names before 0.2 get their successors' rows below. */
const CURRENT_ROWS: Record<Exclude<Method, Deprecated>, MethodRow> = {
  'gradebook.get': { targets: ALL, input: (x) => ({ courseId: x.course, periodId: T.period1 }), allow: courseReaders, why: 'the course teacher; school readers (deputy, director); п. 7.4, 9.5' },
  'periodMark.proposal': { targets: ALL, input: (x) => ({ courseId: x.course, periodId: T.period1 }), allow: courseReaders, why: 'as the gradebook (R-ATTEST)' },
  'ktp.list': { targets: ALL, input: (x) => ({ courseId: x.course }), allow: courseReaders, why: 'as the gradebook (R-KTP)' },
  'lesson.get': { targets: ALL, input: (x) => ({ lessonId: x.lesson }), allow: courseReaders, why: 'the lesson\'s teacher (or substitute); school readers; п. 7.12' },
  'diary.week': {
    targets: ALL, input: (x) => ({ studentId: x.student, week: WEEK }),
    allow: { teacher: O, deputy: OO, director: OO, parent: O, parent2: O, pupil: O },
    why: 'the pupil, the parents, the class teacher, school readers; never another family (R-PRIVACY п. 5.11); not the administrator (п. 9.6)',
  },
  'cell.history': {
    targets: ALL, input: (x) => ({ kind: 'mark', lessonId: x.lesson, studentId: x.student }),
    allow: { teacher: O, sub: O, deputy: OO, director: OO, parent: O, parent2: O, pupil: O },
    why: 'R-AUDIT: the course teacher, the class teacher, school readers, the pupil and the parents',
  },
  'correction.inbox': { targets: O, input: () => ({}), allow: { teacher: O, sub: O, deputy: O, director: O }, why: 'R-CORRECTION: teachers their own requests, the deputy and the director all' },
  'report.weekly': { targets: ALL, input: (x) => ({ classId: x.cls, week: WEEK, all: true }), allow: { teacher: O, deputy: OO, director: OO }, why: 'R-WEEKLY-PAPER: the class teacher of the class, the deputy, the director' },
  'report.annual': { targets: ALL, input: (x) => ({ classId: x.cls }), allow: { deputy: OO, director: OO }, why: 'R-ANNUAL-PRINT: the deputy and the director' },
  'report.summary': { targets: ALL, input: (x) => ({ classId: x.cls }), allow: { teacher: O, deputy: OO, director: OO }, why: 'R-SUMMARY: school readers; the class teacher for the class' },
  'breach.act': { targets: ['own', 'cross'], input: (x) => ({ breachId: x.breach }), allow: { admin: O, director: O }, why: 'R-BREACH п. 10.4: the director and the technical administrator' },
  'mark.set': { targets: ALL, input: (x) => ({ lessonId: x.lesson, marks: [{ studentId: x.student, value: '5' }] }), allow: lessonWork, why: 'the course teacher or the substitute (п. 7.12, 9.5)' },
  'mark.annul': {
    targets: ALL, input: (x) => ({ lessonId: x.lesson, marks: [{ studentId: x.student }] }), allow: lessonWork, why: 'as mark.set',
    prepare: async (x, s, w) => {
      await w.write(s, x.teacherAcc, draft('mark.set', { lessonId: x.lesson, marks: [{ studentId: x.student, value: '4' }] }));
      return {};
    },
  },
  'attendance.set': { targets: ALL, input: (x) => ({ lessonId: x.lesson, entries: [{ studentId: x.student, absent: true }] }), allow: lessonWork, why: 'as mark.set' },
  'absence.reason': {
    targets: ALL, input: (x) => ({ lessonId: x.lesson, entries: [{ studentId: x.student, reason: 'illness' }] }), allow: { teacher: O },
    why: 'R-ABSENCE п. 9.4: the class teacher, for pupils of the class',
    prepare: async (x, s, w) => {
      await w.write(s, x.teacherAcc, draft('attendance.set', { lessonId: x.lesson, entries: [{ studentId: x.student, absent: true }] }));
      return {};
    },
  },
  'cell.set': {
    targets: ALL, input: (x) => ({ lessonId: x.lesson, studentId: x.student, mark: { value: '5' }, absent: false }), allow: lessonWork, why: 'one cell\'s mark and absence: as mark.set and attendance.set',
  },
  'lesson.update': { targets: ALL, input: (x, w) => ({ id: x.lesson, topic: `Повторение, часть ${w.seq()}` }), allow: lessonWork, why: 'the topic: the course teacher or the substitute; the methodist only the status (п. 9.3)' },
  'homework.individual': { targets: ALL, input: (x, w) => ({ lessonId: x.lesson, studentId: x.student, text: `Упражнение ${w.seq()}` }), allow: lessonWork, why: 'as mark.set' },
  'periodMark.set': { targets: ALL, input: (x) => ({ yearId: T.year, subjectId: x.subject, term: T.period1, marks: [{ studentId: x.student, value: '5' }] }), allow: lessonWork, why: 'the teacher of the subject for the pupil (R-ATTEST п. 9.5)' },
  'correction.request': { targets: ALL, input: (x) => ({ target: { kind: 'mark', lessonId: x.lesson, studentId: x.student }, value: '4', reason: 'Описка при вводе' }), allow: lessonWork, why: 'R-CORRECTION: the course teacher or the substitute' },
  'correction.decide': {
    targets: ALL, input: (x) => ({ id: x.correction, approved: false, note: 'Не подтверждено' }), allow: { deputy: OO },
    why: 'R-CORRECTION п. 9.2: the deputy; the director only with an order number (R-FINAL-LOCK) — none is given here',
    prepare: async (x, s, w) => {
      const id = `corr-${w.seq()}`;
      await w.write(s, x.teacherAcc, draft('correction.request', { id, target: { kind: 'mark', lessonId: x.lesson, studentId: x.student }, value: '3', reason: 'Описка при вводе' }));
      return { correction: id };
    },
  },
  'session.get': { targets: O, input: () => ({}), allow: everyone, why: 'every signed-in person, about themselves' },
  'status.get': { targets: O, input: () => ({}), allow: everyone, why: 'every signed-in person' },
  'courses.list': { targets: O, input: () => ({}), allow: { teacher: O, sub: O, deputy: O, director: O, methodist: O }, why: 'staff who work with the journal; never a family (R-PRIVACY), not the administrator (п. 9.6)' },
  'class.summary': { targets: ALL, input: (x) => ({ classId: x.cls }), allow: { teacher: O, deputy: OO, director: OO }, why: 'R-CLASS-VIEW: the class teacher of the class, school readers' },
  'attendance.week': { targets: ALL, input: (x) => ({ classId: x.cls, week: WEEK }), allow: { teacher: O, deputy: OO, director: OO }, why: 'R-ABSENCE: the class teacher of the class; school readers look' },
  'diary.ack': { targets: ALL, input: (x) => ({ studentId: x.student }), allow: { parent: O, parent2: O }, why: 'R-ACK: the parent, for their own child' },
  // ── setting a school up (п. 9.1, 9.4, 9.6, 10) ──
  'accounts.list': { targets: O, input: () => ({}), allow: { admin: O, director: O }, why: 'R-ACCOUNTS п. 9.1, 9.6: the technical administrator; the director reads' },
  'setup.get': { targets: O, input: () => ({}), allow: { admin: O, director: O, deputy: O, methodist: O, teacher: O, sub: O }, why: 'the school as set up: every staff member; never a family (R-PRIVACY)' },
  'class.roster': { targets: ALL, input: (x) => ({ classId: x.cls }), allow: { admin: OO, teacher: O, deputy: OO, director: OO }, why: 'п. 9.4, 9.6: the class teacher of the class, the administrator, school readers' },
  'school.set': {
    targets: O, input: (x) => ({ name: x.schoolName, timezone: 'Asia/Yekaterinburg' }), allow: { admin: O }, why: 'п. 9.6: the technical administrator',
    prepare: async (_x, s) => ({ schoolName: `МБОУ «Тестовая СОШ» ${MARKER[s]}` }),
  },
  'year.set': { targets: O, input: () => ({ id: T.year, name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'levelScheme.set': { targets: O, input: () => ({ yearId: T.year, level: 'OOO', scheme: 'trimesters' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'period.set': { targets: O, input: () => ({ id: T.period1, yearId: T.year, scheme: 'trimesters', number: 1, name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'period.remove': { targets: O, input: (_x, w) => ({ id: `p-none-${w.seq()}` }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'holiday.set': { targets: O, input: (_x, w) => ({ id: `h-${w.seq()}`, yearId: T.year, name: 'Осенние каникулы', starts: '2026-10-26', ends: '2026-11-03' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'holiday.remove': { targets: O, input: (_x, w) => ({ id: `h-none-${w.seq()}` }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'bell.set': { targets: O, input: () => ({ yearId: T.year, number: 9, starts: '16:00', ends: '16:40' }), allow: { admin: O, methodist: O }, why: 'the bell times belong to the timetable: the methodist and the administrator (п. 9.3, 9.6)' },
  'subject.set': { targets: O, input: (_x, w) => ({ id: `subj-${w.seq()}`, name: 'Родной язык', short: 'Родн.', code: 'native' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'staff.set': { targets: O, input: (_x, w) => ({ id: `st-new-${w.seq()}`, lastName: 'Вэнго', firstName: 'Нина', position: 'учитель' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'class.set': { targets: O, input: (_x, w) => ({ id: `cl-${w.seq()}`, yearId: T.year, grade: 11, letter: `Ж${w.seq() % 100}` }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'group.set': { targets: O, input: (_x, w) => ({ id: `grp-${w.seq()}`, yearId: T.year, name: 'Английский, 1 группа', kind: 'subgroup' }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'group.members': { targets: O, input: (x) => ({ groupId: T.group, add: [x.student] }), allow: { admin: O }, why: 'R-SETUP п. 9.6' },
  'course.set': { targets: O, input: (_x, w) => ({ id: `crs-${w.seq()}`, yearId: T.year, groupId: T.group, subjectId: T.subject, teacherId: T.teacher, hoursPerWeek: 1 }), allow: { admin: O }, why: 'the curriculum and teacher load (п. 9.6)' },
  'course.remove': { targets: O, input: (_x, w) => ({ id: `crs-none-${w.seq()}` }), allow: { admin: O }, why: 'the curriculum and teacher load (п. 9.6)' },
  'student.set': {
    targets: ALL, input: (x, w) => ({ id: `stu-${w.seq()}`, lastName: 'Сэротэтто', firstName: 'Мария', classId: x.cls }),
    allow: { admin: OO, teacher: O }, why: 'the register: the administrator; the class teacher into the own class (п. 9.4, 9.6)',
  },
  'parent.set': { targets: O, input: (_x, w) => ({ id: `par-${w.seq()}`, lastName: 'Сэротэтто', firstName: 'Анна', phone: '+7 900 000-00-00' }), allow: { admin: O, teacher: O }, why: 'a parent with no child yet: the administrator, a class teacher (п. 9.4, 9.6)' },
  'parent.link': {
    targets: ALL, input: (x) => ({ parentId: x.parentToLink, studentId: x.student }), allow: { admin: OO, teacher: O }, why: 'the administrator; the class teacher for a pupil of the own class (п. 9.4)',
    prepare: async (_x, s, w) => {
      const id = `par-l-${w.seq()}`;
      await w.write(s, T.admin, draft('parent.set', { id, lastName: 'Яр', firstName: 'Ольга' }));
      return { parentToLink: id };
    },
  },
  'parent.unlink': {
    targets: ALL, input: (x) => ({ parentId: x.parentToLink, studentId: x.student }), allow: { admin: OO, teacher: O }, why: 'as parent.link',
    prepare: async (x, s, w) => {
      const id = `par-u-${w.seq()}`;
      await w.write(s, T.admin, draft('parent.set', { id, lastName: 'Яр', firstName: 'Ольга' }));
      await w.write(s, T.admin, draft('parent.link', { parentId: id, studentId: x.student }));
      return { parentToLink: id };
    },
  },
  'consent.set': {
    targets: ALL, input: (x) => ({ parentId: x.parentPerson, kind: 'diary_mode', value: 'electronic', date: '2026-09-01' }),
    allow: { parent: O, parent2: O, teacher: O, deputy: OO, admin: OO }, why: 'R-CONSENT п. 5.11, 7.2, 9.6: the parent, the class teacher of the child, the deputy, the administrator (the register)',
  },
  'account.create': {
    targets: O, input: (x, w) => ({ personKind: 'staff', personId: 'st-gone', roles: ['teacher'], login: `${x.login}c${w.seq()}` }), allow: { admin: O },
    why: 'R-ACCOUNTS п. 9.6: the technical administrator (st-gone already has an account: the administrator gets 409, which settles access)',
    prepare: async (_x, s) => ({ login: `${PREFIX[s]}new` }),
  },
  'account.set': {
    targets: O, input: (x, w) => ({ id: `acc-new-${w.seq()}`, login: `${x.login}${w.seq()}`, personKind: 'staff', personId: 'st-gone', roles: ['teacher'] }), allow: { admin: O },
    why: 'R-ACCOUNTS п. 9.6', prepare: async (_x, s) => ({ login: `${PREFIX[s]}set` }),
  },
  'account.block': { targets: O, input: (x) => ({ id: x.account, blocked: true, reason: 'уволен' }), allow: { admin: O }, why: 'R-ACCOUNTS п. 9.6', prepare: throwawayAccount },
  'account.reset': { targets: O, input: (x) => ({ id: x.account }), allow: { admin: O }, why: 'R-ACCOUNTS п. 9.6: a one-time password', prepare: throwawayAccount },
  'account.password': {
    targets: O, input: () => ({ current: PASSWORD, next: PASSWORD }), allow: everyone,
    why: 'п. 10.1: everyone their own password (the same password again is refused by the rule, 422: past the policy)',
  },
  'accounts.issue': { targets: ALL, input: (x) => ({ classId: x.cls, who: 'parents' }), allow: { admin: OO }, why: 'R-ACCOUNTS п. 9.6: one-time passwords are issued by the technical administrator' },
  'import.preview': { targets: O, input: () => IMPORT_FILE, allow: { admin: O }, why: 'R-IMPORT п. 9.6: the technical administrator' },
  'import.apply': { targets: O, input: () => IMPORT_FILE, allow: { admin: O }, why: 'R-IMPORT п. 9.6: the technical administrator (a second call changes nothing)' },
  'import.template': { targets: O, input: () => ({ what: 'staff', format: 'csv' }), allow: { admin: O }, why: 'R-IMPORT п. 9.6' },
  'setup.export': { targets: O, input: () => ({ what: 'students', format: 'csv' }), allow: { admin: O }, why: 'R-IMPORT п. 9.6: the lists leave the school only through the technical administrator (152-ФЗ)' },
  // ── the timetable and the lessons ahead ──
  'timetable.week': {
    targets: ALL, input: (x) => ({ classId: x.cls, week: WEEK }), allow: { admin: OO, director: OO, deputy: OO, methodist: OO, teacher: OO, sub: OO, parent: O, parent2: O, pupil: O },
    why: 'the timetable: every staff member; a family its own class only (R-PRIVACY п. 5.11)',
  },
  'slot.set': {
    targets: O, input: (_x, w) => ({ id: `slot-${w.seq()}`, courseId: T.course, weekday: 6, number: 8, validFrom: '2026-09-01' }), allow: { methodist: O, admin: O },
    why: 'R-SETUP п. 7.12, 9.3, 9.6: the methodist and the administrator (a second slot at the same time is a clash: 422, past the policy)',
  },
  'slot.remove': { targets: O, input: (_x, w) => ({ id: `slot-none-${w.seq()}` }), allow: { methodist: O, admin: O }, why: 'R-SETUP п. 7.12, 9.3, 9.6' },
  'lessons.generate': { targets: O, input: () => ({ from: '2026-09-14', to: '2026-09-20' }), allow: { methodist: O }, why: 'R-SETUP п. 7.12, 9.3: the methodist forms the lessons from the timetable (checked before anything is read)' },
  'lesson.create': {
    targets: ALL, input: (x, w) => ({ id: `l-extra-${w.seq()}`, courseId: x.course, date: '2026-09-19', number: 7 }), allow: { methodist: OO },
    why: 'R-EXTRA п. 7.12, 7.13, 9.3: an extra lesson is the methodist\'s (a teacher only their own extracurricular one)',
  },
  'lesson.move': {
    targets: ALL, input: (x) => ({ id: x.lesson, date: '2026-09-19', number: 6, reason: 'Перенос по приказу' }), allow: { methodist: OO }, why: 'п. 7.12, 9.3: moves are the methodist\'s',
    prepare: async (x, s, w) => ({ lesson: await freshLesson(x, s, w) }),
  },
  'substitution.set': {
    targets: ALL, input: (x) => ({ lessonId: x.lesson, teacherId: T.substitute, reason: 'Больничный лист' }), allow: { methodist: OO },
    why: 'R-SUBST п. 7.12, 9.3: the methodist (on a lesson of its own, so no later row gains a substitute)', prepare: async (x, s, w) => ({ lesson: await freshLesson(x, s, w) }),
  },
  'substitution.remove': {
    targets: ALL, input: (x) => ({ lessonId: x.lesson }), allow: { methodist: OO }, why: 'R-SUBST п. 7.12, 9.3', prepare: async (x, s, w) => ({ lesson: await freshLesson(x, s, w) }),
  },
  'substitutions.mine': { targets: O, input: () => ({}), allow: { teacher: O, sub: O }, why: 'R-SUBST п. 7.12: a teacher\'s own substituted lessons; never a family' },
  // ── closing the year and the archive ──
  'year.checklist': { targets: O, input: () => ({ yearId: T.year }), allow: { director: O, deputy: O }, why: 'R-YEAR-CLOSE п. 12.1: the deputy checks, the director closes' },
  'year.status': { targets: O, input: () => ({ courseId: T.course }), allow: { admin: O, director: O, deputy: O, methodist: O, teacher: O, sub: O }, why: 'R-ARCHIVE п. 12.1: the journal pages\' banner, every staff member; never a family' },
  // The tiny school's year has gaps: the director's closing is refused by the rule (422, past the policy) and the year stays open for every other row.
  'year.close': { targets: O, input: () => ({ yearId: T.year, confirm: true }), allow: { director: O }, why: 'R-YEAR-CLOSE п. 12.1: the director, once the checklist is complete' },
  'year.reopen': { targets: O, input: () => ({ yearId: T.year, reason: 'Исправление по решению педсовета' }), allow: { director: O }, why: 'R-YEAR-CLOSE п. 12.1: the director (an open year: 409, past the policy)' },
  'breach.record': {
    targets: O, input: (x, w) => ({ id: `br-${w.seq()}`, accountId: x.account, from: '2026-09-09T00:00:00Z', reportedAt: '2026-09-09T10:00:00Z' }), allow: { director: O },
    why: 'R-BREACH п. 10.3, 10.4: the director', prepare: throwawayAccount,
  },
};

/** A one-row list of pupils in CSV (R-IMPORT): parsed and planned, so the call passes the policy before anything is read. */
const IMPORT_FILE = { what: 'students', fileName: 'ученики.csv', dataBase64: Buffer.from('Фамилия;Имя;Отчество;Дата рождения;Класс\r\nСидоров;Иван;;01.09.2015;5А\r\n').toString('base64') };

/** A lesson of the set's course for one row (a move, a substitution), so that no other row's lesson changes. */
async function freshLesson(x: Things, s: SchoolKey, w: World): Promise<string> {
  const id = `l-row-${w.seq()}`;
  await w.write(s, T.admin, draft('lesson.create', { id, courseId: x.course, date: '2026-09-18', number: 7 }));
  return id;
}

/** An account of a former employee, made for one row (blocked, reset, breached), with the school's prefix on its login. */
async function throwawayAccount(_x: Things, s: SchoolKey, w: World): Promise<Partial<Things>> {
  const n = w.seq();
  await w.write(s, T.admin, draft('account.set', { id: `acc-tmp-${n}`, login: `${PREFIX[s]}tmp${n}`, personKind: 'staff', personId: 'st-gone', roles: ['teacher'] }));
  return { account: `acc-tmp-${n}` };
}
type Deprecated = keyof typeof DEPRECATED_METHODS;
/** Every method: the old names (DEPRECATED_METHODS) answer under the same rules as the methods that replace them. */
const METHOD_ROWS: Record<Method, MethodRow> = {
  ...CURRENT_ROWS,
  ...(Object.fromEntries(Object.entries(DEPRECATED_METHODS).map(([old, now]) => [old, CURRENT_ROWS[now]])) as Record<Deprecated, MethodRow>),
};

// ── every other route ──────────────────────────────────────────────────────────────────────
interface Call { p: Principal; target: Target; w: World }
interface RouteRow {
  targets: Target[];
  /** main: any order; then revoke; then logout (each ends something a later row would need). */
  phase?: 'revoke' | 'logout';
  request(c: Call): InjectOptions | Promise<InjectOptions>;
  expect(p: Principal, target: Target): boolean;
  why: string;
}

/** The default of `sync.enrolRoles` (rule settings), written out: every staff role, never a family. */
const ENROL_ROLES: readonly Role[] = ['director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin'];
const isAdminSession = (p: Principal) => sessionOf(p, 'admin');
const loginOf = (p: Principal) => (isSession(p) ? `${PREFIX[p.school]}${p.who}` : `${PREFIX[p.school]}teacher`);
const deviceFor = (p: Principal, target: Target) => {
  const own = p.kind === 'device' ? p.deviceId : deviceIds(p.school).live;
  return target === 'own' ? own : target === 'other' ? deviceIds(p.school).spare : deviceIds(otherSchool(p.school)).live;
};
/** One computer per principal for the revocation rows: whatever answers, no other row loses its computer. */
const victimOf = (p: Principal) => `pc-${p.school}-v-${p.name.replace(/[^A-Za-z0-9]/g, '-')}`.slice(0, 32);

const ROUTE_ROWS: Record<string, RouteRow> = {
  'GET /': { targets: O, request: () => ({ method: 'GET', url: '/' }), expect: () => true, why: 'the web page: public' },
  'GET /updates/*': { targets: O, request: () => ({ method: 'GET', url: '/updates/latest.yml' }), expect: () => true, why: 'the desktop update feed: public (electron-updater fetches it with no credentials)' },
  'GET /api/v1/openapi.json': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/openapi.json' }), expect: () => true, why: 'public' },
  'GET /api/v1/health': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/health' }), expect: () => true, why: 'public' },
  'POST /api/v1/auth/login': {
    targets: O, request: ({ p }) => ({ method: 'POST', url: '/api/v1/auth/login', payload: { login: loginOf(p), password: PASSWORD } }),
    expect: () => true, why: 'public: whoever has the password (throttled)',
  },
  'GET /api/v1/auth/me': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/auth/me' }), expect: isSession, why: 'a person\'s session; never a computer\'s token' },
  'POST /api/v1/auth/logout': { targets: O, phase: 'logout', request: () => ({ method: 'POST', url: '/api/v1/auth/logout', payload: {} }), expect: isSession, why: 'a person\'s session' },
  'POST /api/v1/devices': {
    targets: O, request: ({ w }) => ({ method: 'POST', url: '/api/v1/devices', payload: { name: `Ноутбук ${w.seq()}` } }),
    expect: (p) => isSession(p) && WHO[p.who].roles.some((r) => ENROL_ROLES.includes(r)),
    why: 'enrolment: a staff member of a role in sync.enrolRoles (default: every staff role); never a family, never a computer (п. 9.6)',
  },
  'GET /api/v1/accounts/:accountId/signins': {
    targets: ['own', 'other'],
    request: ({ p, target }) => ({ method: 'GET', url: `/api/v1/accounts/${isSession(p) && target === 'own' ? WHO[p.who].id : isSession(p) && p.who === 'teacher' ? T.deputy : T.teacherAcc}/signins` }),
    expect: (p, target) => isSession(p) && (target === 'own' || p.who === 'admin' || p.who === 'director'),
    why: 'sign-in history: the technical administrator and the director of any account, everyone of their own (п. 9.6, 10.3)',
  },
  'GET /api/v1/devices': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/devices' }), expect: isAdminSession, why: 'the technical administrator (п. 9.6)' },
  'POST /api/v1/devices/:deviceId/revoke': {
    targets: ['own', 'cross'], phase: 'revoke',
    request: ({ p, target }) => ({ method: 'POST', url: `/api/v1/devices/${target === 'own' ? victimOf(p) : deviceIds(otherSchool(p.school)).live}/revoke`, payload: {} }),
    expect: (p, target) => isAdminSession(p) && target === 'own', why: 'the technical administrator, a computer of the own school',
  },
  'PUT /api/v1/devices/:deviceId/accounts': {
    targets: ['own', 'cross'],
    request: ({ p, target }) => ({ method: 'PUT', url: `/api/v1/devices/${deviceIds(target === 'own' ? p.school : otherSchool(p.school)).spare}/accounts`, payload: { accounts: null } }),
    expect: (p, target) => isAdminSession(p) && target === 'own', why: 'the technical administrator, a computer of the own school',
  },
  'GET /api/v1/devices/:deviceId/held': {
    targets: ['own', 'cross'],
    request: ({ p, target }) => ({ method: 'GET', url: `/api/v1/devices/${deviceIds(target === 'own' ? p.school : otherSchool(p.school)).revoked}/held` }),
    expect: (p, target) => isAdminSession(p) && target === 'own', why: 'the technical administrator, a computer of the own school (another school\'s computer is «not found», as for revoke and accounts)',
  },
  'GET /api/v1/devices/self': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/devices/self' }), expect: liveDevice, why: 'a live computer\'s token only' },
  'POST /api/v1/sync/push': {
    targets: ALL,
    request: ({ p, target }) => ({
      method: 'POST', url: '/api/v1/sync/push', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ proto: PROTO, schema: SCHEMA, device: deviceFor(p, target), ops: [], clock: Date.parse('2026-09-10T04:30:00.000Z') })),
    }),
    expect: (p, target) => liveDevice(p) && target === 'own', why: 'a live computer, under its own device id only; a session never syncs',
  },
  'GET /api/v1/sync/pull': { targets: O, request: () => ({ method: 'GET', url: `/api/v1/sync/pull?after=0&limit=1000&proto=${PROTO}&schema=${SCHEMA}` }), expect: liveDevice, why: 'a live computer (its own school\'s log)' },
  'GET /api/v1/sync/snapshot': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/sync/snapshot' }), expect: liveDevice, why: 'a live computer' },
  'GET /api/v1/sync/private': { targets: O, request: () => ({ method: 'GET', url: '/api/v1/sync/private' }), expect: liveDevice, why: 'a live computer' },
  'POST /api/v1/sync/signin': {
    targets: ALL,
    request: ({ p, target }) => ({
      method: 'POST', url: '/api/v1/sync/signin',
      payload: { login: target === 'own' ? `${PREFIX[p.school]}teacher` : target === 'other' ? `${PREFIX[p.school]}parent` : `${PREFIX[otherSchool(p.school)]}teacher`, password: PASSWORD },
    }),
    expect: (p, target) => liveDevice(p) && target === 'own', why: 'a live computer, for its school\'s staff; a parent never (R-PRIVACY), another school\'s account never',
  },
  'POST /api/v1/rpc/import.preview': {
    targets: O, request: () => { throw new Error('expanded per method (METHOD_ROWS)'); }, expect: () => false,
    why: 'the upload route of import.preview (a larger body, the administrator checked before it is read): see METHOD_ROWS',
  },
  'POST /api/v1/rpc/import.apply': {
    targets: O, request: () => { throw new Error('expanded per method (METHOD_ROWS)'); }, expect: () => false,
    why: 'the upload route of import.apply: see METHOD_ROWS',
  },
  'POST /api/v1/rpc/:method': {
    targets: O, request: () => { throw new Error('expanded per method (METHOD_ROWS)'); }, expect: () => false,
    why: 'every method of the contract, see METHOD_ROWS',
  },
};
const RPC = 'POST /api/v1/rpc/:method';

// ── the run ────────────────────────────────────────────────────────────────────────────────
type Outcome = 'allow' | 'deny' | 'error';
function classify(status: number, code: string | undefined, target: Target): Outcome {
  if (status >= 200 && status < 300) return 'allow';
  if (status === 422 && code === 'refused') return 'allow';
  if (status === 409 && code === 'conflict') return 'allow';
  if (status === 401 || status === 403 || status === 404) return 'deny';
  if (status === 400 && target === 'cross') return 'deny';
  return 'error';
}

interface Finding { row: string; principal: string; target: Target; expected: Outcome; got: Outcome; status: number; body: string }
interface Tally { calls: number; allows: number; denies: number; errors: number; unexpectedAllows: Finding[]; unexpectedDenies: Finding[]; errorsSeen: Finding[]; leaks: Finding[] }

for (const kind of storeKinds()) {
  describe(`the access matrix: ${kind.name} store`, () => {
    let h: StoreHandle;
    let t: TestServer;
    let principals: Principal[] = [];
    let w: World;
    const tally: Tally = { calls: 0, allows: 0, denies: 0, errors: 0, unexpectedAllows: [], unexpectedDenies: [], errorsSeen: [], leaks: [] };

    beforeAll(async () => {
      const files = { a: schoolFile(), b: schoolFile({ prefix: 'b.' }) };
      augment(files.a, 'a');
      augment(files.b, 'b');
      const updates = tempDir('ejournal-updates-');
      writeFileSync(join(updates, 'latest.yml'), 'version: 1.0.0\n');
      h = await kind.open();
      t = await startServer(h, { schools: [{ id: SCHOOL_ID.a, file: files.a }, { id: SCHOOL_ID.b, file: files.b }], updatesDir: updates });
      let n = 0;
      w = {
        t,
        seq: () => ++n,
        async write(s, accountId, d) {
          const replica = (await t.server.schools.find(SCHOOL_ID[s]))!;
          await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId }, clock: t.clock, guard: allowAll }, d)));
        },
      };
      const staff = (s: SchoolKey) => [...STAFF_LOGINS, 'director'].map((l) => `${PREFIX[s]}${l}`);
      const list: Principal[] = [{ name: 'anonymous', kind: 'anonymous', school: 'a', headers: {} }];
      for (const who of WHO_NAMES) {
        list.push({ name: `${who} cookie`, kind: 'cookie', school: 'a', who, headers: { cookie: await t.cookie(who) } });
        const bearer = (await t.login(who, PASSWORD, { session: 'bearer' })).body.value as { token: string };
        list.push({ name: `${who} bearer`, kind: 'bearer', school: 'a', who, headers: { authorization: `Bearer ${bearer.token}` } });
      }
      for (const s of ['a', 'b'] as const) {
        const ids = deviceIds(s);
        const as = `${PREFIX[s]}admin`;
        const live = await deviceToken(t, ids.live, 'Учительская', { as, signIn: staff(s) });
        const revoked = await deviceToken(t, ids.revoked, 'Списанный', { as, signIn: [] });
        await deviceToken(t, ids.spare, 'Запасной', { as, signIn: [] });
        const admin = await t.cookie(as);
        expect((await t.server.app.inject({ method: 'POST', url: `/api/v1/devices/${ids.revoked}/revoke`, headers: { cookie: admin }, payload: {} })).statusCode).toBe(200);
        // What the revoked computer still pushes is kept aside: the administrator's held list has something to show.
        const op = toWire(parseOp({ version: 1, device: ids.revoked, seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: { lessonId: T.lessons[0], marks: [{ studentId: T.students[1], value: '5' }] }, hlc: '2026-09-10T04:29:00.000Z-0000' } as Partial<Op>));
        const held = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${revoked}` }, payload: { proto: PROTO, schema: SCHEMA, device: ids.revoked, ops: [op] } });
        expect(held.statusCode).toBe(401);
        list.push({ name: s === 'a' ? 'live computer' : 'other school\'s computer', kind: 'device', device: 'live', deviceId: ids.live, school: s, headers: { authorization: `Bearer ${live}` } });
        if (s === 'a') list.push({ name: 'revoked computer', kind: 'device', device: 'revoked', deviceId: ids.revoked, school: s, headers: { authorization: `Bearer ${revoked}` } });
      }
      list.push({ name: 'other school\'s admin cookie', kind: 'cookie', school: 'b', who: 'admin', headers: { cookie: await t.cookie('b.admin') } });
      const bAdmin = (await t.login('b.admin', PASSWORD, { session: 'bearer' })).body.value as { token: string };
      list.push({ name: 'other school\'s admin bearer', kind: 'bearer', school: 'b', who: 'admin', headers: { authorization: `Bearer ${bAdmin.token}` } });
      // A computer of each principal's school to aim its revocation at.
      const adminCookie = { a: await t.cookie('admin'), b: await t.cookie('b.admin') };
      for (const p of list) {
        const r = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie: adminCookie[p.school] }, payload: { name: `Для отзыва: ${p.name}`, deviceId: victimOf(p) } });
        expect(r.statusCode, r.body).toBe(200);
      }
      principals = list;
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await h?.cleanup();
    });

    it('has a row for every route the server registered, and no row for a route it does not have', () => {
      const registered = t.server.routes.map((r) => `${r.method} ${r.url}`);
      expect(registered.filter((r) => !(r in ROUTE_ROWS)), 'routes with no row in ROUTE_ROWS').toEqual([]);
      expect(Object.keys(ROUTE_ROWS).filter((r) => !registered.includes(r)), 'rows for routes the server does not have').toEqual([]);
    });

    it('has a row for every method of the contract, and no row for a method it does not have', () => {
      expect(METHOD_NAMES.filter((m) => !Object.hasOwn(METHOD_ROWS, m)), 'methods with no row in METHOD_ROWS').toEqual([]);
      expect(Object.keys(METHOD_ROWS).filter((m) => !(METHOD_NAMES as string[]).includes(m)), 'rows for methods the contract does not have').toEqual([]);
    });

    it('answers every principal on every route and method as the regulation says: 0 unexpected allows, 0 unexpected denies, nothing of the other school', async () => {
      const started = Date.now();
      let snapshotsRead = 0;
      const record = (row: string, p: Principal, target: Target, expected: boolean, res: { statusCode: number; body: string; rawPayload: Buffer; headers: Record<string, unknown> }) => {
        let code: string | undefined;
        try { code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code; } catch { code = undefined; }
        const got = classify(res.statusCode, code, target);
        const f: Finding = { row, principal: p.name, target, expected: expected ? 'allow' : 'deny', got, status: res.statusCode, body: res.body.slice(0, 200) };
        tally.calls++;
        if (got === 'allow') tally.allows++;
        else if (got === 'deny') tally.denies++;
        else tally.errors++;
        if (got === 'error') tally.errorsSeen.push(f);
        else if (got === 'allow' && !expected) tally.unexpectedAllows.push(f);
        else if (got === 'deny' && expected) tally.unexpectedDenies.push(f);
        const type = String(res.headers['content-type'] ?? '');
        if ((type.startsWith('application/json') || type.startsWith('text/')) && res.body.includes(MARKER[otherSchool(p.school)])) tally.leaks.push(f);
        if (res.headers['x-snapshot-encoding'] === 'br') {
          // The school's state as a SQLite file: its own name is in it, the other school's never.
          const raw = brotliDecompressSync(res.rawPayload);
          if (!raw.includes(Buffer.from(MARKER[p.school])) || raw.includes(Buffer.from(MARKER[otherSchool(p.school)]))) tally.leaks.push(f);
          snapshotsRead++;
        }
      };
      const call = (p: Principal, o: InjectOptions) => t.server.app.inject({ ...o, headers: { ...p.headers, ...(o.headers as Record<string, string> | undefined) } });

      const rows = (phase: RouteRow['phase']) => Object.entries(ROUTE_ROWS).filter(([key, r]) => !key.startsWith('POST /api/v1/rpc/') && r.phase === phase);
      for (const phase of [undefined, 'revoke', 'logout'] as const) {
        for (const p of principals) {
          for (const [key, row] of rows(phase)) {
            for (const target of row.targets) {
              const res = await call(p, await row.request({ p, target, w }));
              record(key, p, target, row.expect(p, target), res);
            }
          }
          if (phase !== undefined) continue;
          for (const m of METHOD_NAMES) {
            const row = METHOD_ROWS[m];
            for (const target of row.targets) {
              let x = things(p, target);
              if (row.prepare && target !== 'cross') x = { ...x, ...(await row.prepare(x, p.school, w)) };
              const res = await call(p, { method: 'POST', url: `/api/v1/rpc/${m}`, payload: row.input(x, w) as object });
              const expected = isSession(p) && (row.allow[p.who] ?? []).includes(target);
              record(`${RPC} ${m}`, p, target, expected, res);
            }
          }
        }
      }

      const show = (list: Finding[]) => list.map((f) => `${f.row} | ${f.principal} | ${f.target}: expected ${f.expected}, got ${f.status} ${f.body}`);
      console.log(`access matrix (${kind.name}): ${principals.length} principals, ${tally.calls} calls, ${tally.allows} allowed, ${tally.denies} denied, ${tally.errors} errors; `
        + `unexpected allows ${tally.unexpectedAllows.length}, unexpected denies ${tally.unexpectedDenies.length}, cross-school leaks ${tally.leaks.length}; ${Date.now() - started} ms`);
      // One assertion, so that a failure lists every finding at once.
      expect({
        unexpectedAllows: show(tally.unexpectedAllows), unexpectedDenies: show(tally.unexpectedDenies),
        neitherAllowNorDeny: show(tally.errorsSeen), otherSchoolsData: show(tally.leaks),
      }).toEqual({ unexpectedAllows: [], unexpectedDenies: [], neitherAllowNorDeny: [], otherSchoolsData: [] });
      expect(snapshotsRead, 'snapshots looked into').toBe(principals.filter(liveDevice).length);
      // Both live computers survived every revocation aimed at the other school.
      for (const p of principals.filter(liveDevice)) expect((await call(p, { method: 'GET', url: '/api/v1/devices/self' })).statusCode, p.name).toBe(200);
    }, 240_000);
  });
}
