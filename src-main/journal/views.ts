/**
 * Read views of the journal on screen: the session, the course picker, a lesson's page and what
 * the rules say about it (R-WORKTYPE, R-DENSITY), the КТП, the class teacher's summary
 * (R-CLASS-VIEW) and attendance week (R-ABSENCE), the status bar. Typed indexed reads of tables/; JSON-safe results shaped by the contract
 * (src-shared/contract/methods.ts). Access is decided by the policy before any of these run; the
 * functions only cut rows to the scope they are given.
 */
import { isOneTimeVerifier } from './one-time';
import type { MarkValue } from '../../src-shared/domain/marks';
import { levelOfGrade, type LessonKind, type MarkColumn, type MedicalGroup, type Role } from '../../src-shared/domain/school';
import { addDays, weekStart } from '../../src-shared/domain/values';
import { assessmentGaps, checkDensity } from '../../src-shared/rules/density';
import { localDateOf } from '../../src-shared/rules/local-time';
import { plainMean } from '../../src-shared/rules/marks';
import { isPeExempt } from '../../src-shared/rules/pe';
import type { Verdict } from '../../src-shared/rules/verdict';
import { checkThematicMarks } from '../../src-shared/rules/work-types';
import type { Journal } from './open';
import { JournalError } from './errors';
import { fullName, groupStudents, shortName, type PersonName } from './queries';
import { lessonContext, ruleSettings } from './rule-inputs';
import { outboxCount } from './outbox';
import { sessionAccount, staffAccount } from './tables/accounts';
import { lastDiaryAcks } from './tables/families';
import { attendanceLessons, courseLessonsUpTo, heldLessonCount, individualHomeworkOf, ktpOf, ktpUsage, lessonPage } from './tables/lessons';
import { absentStudentIds, absentUpTo, courseAbsenceReasons, courseMarkValues, coursesAbsences, lessonMarkCells, markedUpTo, termMarks } from './tables/marks';
import { childrenOfParent, namesInClass, personName, studentWithClass } from './tables/people';
import {
  classById, classesOfGroup, classesOfYear, classIdsLedBy, coursesOfClass, coursesOfYear, courseKtpKey, groupHasClass, levelScheme, levelSchemesOfYear,
  periodById, periodsOfScheme, periodsOfYear, schoolNameAndZone, yearAt,
} from './tables/structure';

const collator = new Intl.Collator('ru');
const byName = (a: PersonName, b: PersonName) => collator.compare(fullName(a), fullName(b));

/** The school's local date at `nowMs` (the school's time zone, not the server's). */
export function schoolToday(j: Journal, nowMs: number): string {
  return localDateOf(new Date(nowMs).toISOString(), ruleSettings(j).timeZone);
}

/** The school year containing `date`, else the latest one that started before it, else the first. */
function yearOf(j: Journal, date: string): { id: string; name: string; starts: string; ends: string } | null {
  return yearAt(j, date) ?? null;
}

// ── session ───────────────────────────────────────────────────────────────────

export interface SessionView {
  /** `mustChangePassword`: signed in with a one-time password; nothing but choosing one's own is allowed (R-ACCOUNTS). */
  account: { id: string; login: string; mustChangePassword: boolean };
  person: { kind: 'staff' | 'parent' | 'student'; id: string; lastName: string; firstName: string; middleName: string | null; shortName: string };
  roles: Role[];
  school: { name: string; timeZone: string };
  now: string;
  today: string;
  year: { id: string; name: string; starts: string; ends: string } | null;
  periods: { id: string; name: string; starts: string; ends: string; scheme: string; number: number }[];
  children: (PersonName & { className: string | null })[];
  classes: { id: string; name: string; grade: number; own: boolean }[];
}

/** Who is signed in: the person, roles, a family's children, the classes a staff member looks after. */
export function sessionView(j: Journal, accountId: string, nowMs: number): SessionView {
  const row = sessionAccount(j, accountId);
  if (!row) throw new JournalError('not_found', 'Учётная запись не найдена');
  const a = { ...row, kind: row.kind as SessionView['person']['kind'] };
  const p = personName(j, a.kind, a.personId) ?? { lastName: a.login, firstName: '', middleName: null };
  const roles = JSON.parse(a.roles) as Role[];
  const today = schoolToday(j, nowMs);
  const year = yearOf(j, today);
  const school = schoolNameAndZone(j) ?? { name: '', timeZone: ruleSettings(j).timeZone };
  let children: SessionView['children'] = [];
  if (a.kind === 'parent' && roles.includes('parent')) {
    children = childrenOfParent(j, a.personId).sort(byName);
  } else if (a.kind === 'student' && roles.includes('student')) {
    const s = studentWithClass(j, a.personId);
    children = s ? [{ id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName, className: s.className }] : [];
  }
  let classes: SessionView['classes'] = [];
  if (a.kind === 'staff' && year) {
    const all = classesOfYear(j, year.id);
    const reader = roles.includes('deputy') || roles.includes('director');
    const classTeacher = roles.includes('class_teacher');
    classes = all.filter((c) => reader || (classTeacher && c.classTeacherId === a.personId)).map((c) => ({ id: c.id, name: c.name, grade: c.grade, own: classTeacher && c.classTeacherId === a.personId }));
  }
  return {
    account: { id: a.id, login: a.login, mustChangePassword: isOneTimeVerifier(a.verifier) },
    person: { kind: a.kind, id: a.personId, ...p, shortName: p.firstName ? shortName(p) : p.lastName },
    roles, school, now: new Date(nowMs).toISOString(), today, year, children, classes,
    periods: year ? periodsOfYear(j, year.id) : [],
  };
}

// ── courses ───────────────────────────────────────────────────────────────────

export interface CourseItem {
  id: string; groupId: string; groupName: string; groupKind: string; classId: string | null; grade: number | null;
  subjectId: string; subjectName: string; subjectCode: string; teacherName: string | null; hoursPerWeek: number;
  scheme: string; readOnly: boolean;
}
export interface CourseList {
  courses: CourseItem[];
  periods: { id: string; name: string; starts: string; ends: string; scheme: string; number: number }[];
}

/**
 * Courses (class or group × subject) of the current year. `own`: the teacher's own courses and,
 * for a class teacher, every course of their class (read-only, R-CLASS-VIEW); otherwise all.
 */
export function coursesList(j: Journal, accountId: string, nowMs: number, q: { classId?: string; own: boolean; readOnly: boolean }): CourseList {
  const year = yearOf(j, schoolToday(j, nowMs));
  if (!year) return { courses: [], periods: [] };
  const acc = staffAccount(j, accountId);
  const roles = acc ? (JSON.parse(acc.roles) as Role[]) : [];
  const staffId = acc?.staffId ?? '';
  const teaches = roles.includes('teacher');
  const rows = coursesOfYear(j, year.id);
  const ownClasses = new Set(roles.includes('class_teacher') ? classIdsLedBy(j, staffId, year.id) : []);
  const groupInOwnClass = (groupId: string) => ownClasses.size > 0 && classesOfGroup(j, groupId).some((c) => ownClasses.has(c));
  const inClass = (groupId: string, classId: string) => groupHasClass(j, groupId, classId);
  const schemes = new Map(levelSchemesOfYear(j, year.id).map((r) => [r.level, r.scheme]));
  const courses: CourseItem[] = [];
  for (const r of rows) {
    const mine = teaches && r.teacherId === staffId;
    if (q.own && !mine && !groupInOwnClass(r.groupId)) continue;
    if (q.classId !== undefined && !inClass(r.groupId, q.classId)) continue;
    const { teacherId: _t, tl, tf, tm, ...c } = r;
    courses.push({
      ...c, teacherName: tl && tf ? shortName({ lastName: tl, firstName: tf, middleName: tm }) : null,
      scheme: schemes.get(levelOfGrade(r.grade ?? 5)) ?? 'quarters',
      readOnly: !mine,
    });
  }
  courses.sort((a, b) => (a.grade ?? 99) - (b.grade ?? 99) || collator.compare(a.groupName, b.groupName) || collator.compare(a.subjectName, b.subjectName));
  const periods = periodsOfYear(j, year.id);
  return { courses, periods };
}

// ── a lesson's page ─────────────────────────────────────────────────────────────

export interface LessonView {
  id: string; courseId: string; date: string; number: number; kind: string; status: string;
  topic: string | null; ktpId: string | null; homework: string | null; workType: string | null; orderNo: string | null; form: string | null; note: string | null; movedFrom: string | null;
  subject: { id: string; name: string; code: string }; group: { id: string; name: string }; grade: number | null;
  bell: { starts: string; ends: string } | null;
  substituteName: string | null;
  individualHomework: { studentId: string; text: string }[];
  readOnly: boolean;
}

export function lessonView(j: Journal, lessonId: string, readOnly: boolean, keep?: (studentId: string) => boolean): LessonView {
  const r = lessonPage(j, lessonId);
  if (!r) throw new JournalError('not_found', 'Урок не найден');
  const ih = individualHomeworkOf(j, lessonId).filter((h) => !keep || keep(h.studentId));
  return {
    id: r.id, courseId: r.courseId, date: r.date, number: r.number, kind: r.kind, status: r.status,
    topic: r.topic, ktpId: r.ktpId, homework: r.homework, workType: r.workType, orderNo: r.orderNo, form: r.form, note: r.note, movedFrom: r.movedFrom,
    subject: { id: r.subjectId, name: r.subjectName, code: r.subjectCode },
    group: { id: r.groupId, name: r.groupName }, grade: r.grade ?? null,
    bell: r.bs && r.be ? { starts: r.bs, ends: r.be } : null,
    substituteName: r.sl && r.sf ? shortName({ lastName: r.sl, firstName: r.sf, middleName: r.sm }) : null,
    individualHomework: ih,
    readOnly,
  };
}

// ── what the rules say about a lesson (R-WORKTYPE, R-DENSITY) ──────────────────────

/** A rule's warning about the lesson as it stands, shaped as the contract's `Notice`. */
export interface LessonWarning { level: 'warn'; code: string; message: string; requirement: string; clause: string }

/**
 * Warnings for a lesson's page — never a refusal, and none once the rule is satisfied:
 * - R-WORKTYPE (п. 7.14): at a thematic-control lesson, the present students still without a mark,
 *   once the lesson's study day is over (until then the teacher may be marking the work);
 * - R-DENSITY (п. 7.14): the students who have gone `density.windowLessons` attended lessons of the
 *   course in a row without a mark, up to this lesson, and are still waiting. A lesson whose study
 *   day is not over counts only when it brought a mark (п. 9.5).
 * Both count the group's students except the home-schooled at a class lesson (п. 8.2) and, at PE,
 * those exempt on the lesson's date; `keep` cuts them to the reader's scope. Each warning names them.
 */
export function lessonWarnings(j: Journal, lessonId: string, nowMs: number, keep?: (studentId: string) => boolean): LessonWarning[] {
  const settings = ruleSettings(j);
  const ctx = lessonContext(j, lessonId, settings.timeZone);
  if (!ctx) throw new JournalError('not_found', 'Урок не найден');
  const lesson = ctx.rule;
  if (lesson.status === 'cancelled') return [];
  const today = localDateOf(new Date(nowMs).toISOString(), settings.timeZone);
  const students = groupStudents(j, ctx.groupId)
    .filter((s) => !keep || keep(s.id))
    .map((s) => ({ id: s.id, name: shortName(s), medicalGroup: s.medicalGroup as MedicalGroup, homeSchooling: s.homeSchooling, ...(s.peExemptUntil ? { peExemptUntil: s.peExemptUntil } : {}) }));
  const counted = students.filter((s) => !(s.homeSchooling && lesson.kind !== 'home') && !(lesson.subjectCode === 'pe' && isPeExempt(s, lesson.date)));
  const names = new Map(students.map((s) => [s.id, s.name]));
  const out: LessonWarning[] = [];
  // The rules count the students; the page names them.
  const say = (v: Verdict, ids: (details: Record<string, unknown>) => unknown) => {
    for (const f of v.findings) {
      const who = (ids(f.details ?? {}) as string[]).map((id) => names.get(id) ?? id).join(', ');
      out.push({ level: 'warn', code: f.code ?? 'warn', message: `${f.message} (${who})`, requirement: f.requirement, clause: f.clause });
    }
  };

  if (lesson.date < today) {
    const absent = new Set(absentStudentIds(j, lessonId));
    const marks = lessonMarkCells(j, lessonId).map((m) => ({ studentId: m.studentId, column: m.column as MarkColumn }));
    say(checkThematicMarks(lesson, students.map((s) => ({ student: s, absent: absent.has(s.id) })), marks), (d) => d.missing);
  }

  const lessons = courseLessonsUpTo(j, ctx.courseId, lesson.date, lesson.number).map((l) => ({ ...l, kind: l.kind as LessonKind }));
  const report = assessmentGaps({
    grade: lesson.grade, lessons, studentIds: counted.map((s) => s.id),
    marks: markedUpTo(j, ctx.courseId, lesson.date, lesson.number),
    absences: absentUpTo(j, ctx.courseId, lesson.date, lesson.number),
    pending: lessons.filter((l) => l.date >= today).map((l) => l.id),
  }, settings);
  // Only the runs still open at this lesson: a gap closed since is history, for the deputy's control reports.
  const waiting = { gaps: report.gaps.filter((g) => g.open), dueNext: [] };
  say(checkDensity(waiting, [], settings), (d) => d.gapStudents);
  return out;
}

// ── КТП (R-KTP) ─────────────────────────────────────────────────────────────────

export interface KtpList {
  subjectCode: string;
  grade: number | null;
  items: { id: string; number: number; topic: string; hours: number; usedOn: string[] }[];
}

/** The calendar-thematic plan of the course's subject and parallel, with the dates each topic was used on. */
export function ktpList(j: Journal, courseId: string): KtpList {
  const c = courseKtpKey(j, courseId);
  if (!c) throw new JournalError('not_found', 'Предмет учебного плана не найден');
  const used = new Map<string, string[]>();
  for (const u of ktpUsage(j, courseId)) {
    const list = used.get(u.ktpId) ?? [];
    list.push(u.date);
    used.set(u.ktpId, list);
  }
  const items = ktpOf(j, c.yearId, c.subjectId, c.grade ?? -1).map((k) => ({ ...k, usedOn: used.get(k.id) ?? [] }));
  return { subjectCode: c.code, grade: c.grade, items };
}

// ── the class teacher's view (R-CLASS-VIEW, R-ACK) ──────────────────────────────

interface ClassRow { id: string; yearId: string; name: string; grade: number; classTeacherId: string | null }
function classRow(j: Journal, classId: string): ClassRow {
  const c = classById(j, classId);
  if (!c) throw new JournalError('not_found', 'Класс не найден');
  return c;
}
function classStudents(j: Journal, classId: string): PersonName[] {
  return namesInClass(j, classId).sort(byName);
}
/** Courses a class's students take: the class's own, and groups (subgroups, electives …) with its students. */
function classCourses(j: Journal, c: ClassRow) {
  return coursesOfClass(j, c.yearId, c.id);
}

export interface ClassSummary {
  class: { id: string; name: string; grade: number; classTeacherName: string | null };
  period: { id: string; name: string; starts: string; ends: string } | null;
  periods: { id: string; name: string; starts: string; ends: string }[];
  subjects: { courseId: string; subjectId: string; subjectName: string; subjectShort: string; groupName: string; teacherName: string | null; lessons: number }[];
  students: (PersonName & { lastAck: string | null })[];
  cells: { studentId: string; courseId: string; average: number | null; marks: number; absences: number; periodMark: string | null }[];
  absences: { studentId: string; total: number; illness: number; valid: number; unexcused: number; unlabelled: number }[];
}

/**
 * R-CLASS-VIEW (п. 9.4): every subject of a class, read-only — each student's average (a
 * fraction counts both parts, R-FRACTION), marks and absences per subject, period marks, and when
 * the family last opened the diary (R-ACK). `periodId` absent: the period containing today.
 */
export function classSummary(j: Journal, classId: string, q: { periodId?: string; nowMs: number; keep?: (studentId: string) => boolean }): ClassSummary {
  const c = classRow(j, classId);
  const scheme = levelScheme(j, c.yearId, levelOfGrade(c.grade)) ?? 'quarters';
  const periods = periodsOfScheme(j, c.yearId, scheme);
  const today = schoolToday(j, q.nowMs);
  let period: ClassSummary['period'] = null;
  if (q.periodId) {
    const p = periodById(j, q.periodId);
    if (!p) throw new JournalError('not_found', 'Учебный период не найден');
    period = { id: p.id, name: p.name, starts: p.starts, ends: p.ends };
  } else {
    period = periods.find((p) => p.starts <= today && today <= p.ends) ?? periods.filter((p) => p.starts <= today).at(-1) ?? periods[0] ?? null;
  }
  const from = period?.starts ?? '0000-01-01';
  const to = period?.ends ?? '9999-12-31';
  const students = classStudents(j, classId).filter((s) => !q.keep || q.keep(s.id));
  const ids = new Set(students.map((s) => s.id));
  const courses = classCourses(j, c);
  const cells: ClassSummary['cells'] = [];
  const absTotals = new Map(students.map((s) => [s.id, { studentId: s.id, total: 0, illness: 0, valid: 0, unexcused: 0, unlabelled: 0 }]));
  const subjects: ClassSummary['subjects'] = [];
  for (const k of courses) {
    const lessons = heldLessonCount(j, k.courseId, from, to);
    subjects.push({ courseId: k.courseId, subjectId: k.subjectId, subjectName: k.subjectName, subjectShort: k.subjectShort, groupName: k.groupName, teacherName: k.tl && k.tf ? shortName({ lastName: k.tl, firstName: k.tf, middleName: k.tm }) : null, lessons });
    const enrolled = new Set(groupStudents(j, k.groupId).map((s) => s.id).filter((id) => ids.has(id)));
    const values = new Map<string, MarkValue[]>();
    for (const m of courseMarkValues(j, k.courseId, from, to)) {
      if (!enrolled.has(m.sid)) continue;
      const list = values.get(m.sid) ?? [];
      list.push(m.value as MarkValue);
      values.set(m.sid, list);
    }
    const missed = new Map<string, number>();
    for (const a of courseAbsenceReasons(j, k.courseId, from, to)) {
      if (!enrolled.has(a.sid)) continue;
      missed.set(a.sid, (missed.get(a.sid) ?? 0) + 1);
      const t = absTotals.get(a.sid)!;
      t.total++;
      if (a.reason === 'illness') t.illness++;
      else if (a.reason === 'valid') t.valid++;
      else if (a.reason === 'unexcused') t.unexcused++;
      else t.unlabelled++;
    }
    const pm = new Map(period
      ? termMarks(j, c.yearId, k.subjectId, period.id).map((r) => [r.sid, r.value])
      : []);
    for (const sid of enrolled) {
      const v = values.get(sid) ?? [];
      const mean = plainMean(v);
      cells.push({
        studentId: sid, courseId: k.courseId, average: mean === null ? null : Math.round(mean * 100) / 100,
        marks: v.length, absences: missed.get(sid) ?? 0, periodMark: pm.get(sid) ?? null,
      });
    }
  }
  const acks = new Map(lastDiaryAcks(j, classId).map((r) => [r.sid, r.at]));
  const ct = c.classTeacherId ? personName(j, 'staff', c.classTeacherId) : undefined;
  return {
    class: { id: c.id, name: c.name, grade: c.grade, classTeacherName: ct ? shortName(ct) : null },
    period, periods, subjects,
    students: students.map((s) => ({ id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName, lastAck: acks.get(s.id) ?? null })),
    cells,
    absences: [...absTotals.values()],
  };
}

// ── attendance week (R-ABSENCE) ─────────────────────────────────────────────────

export interface AttendanceWeek {
  class: { id: string; name: string };
  week: string;
  days: string[];
  students: PersonName[];
  lessons: { id: string; date: string; number: number; subjectName: string; subjectShort: string; courseId: string }[];
  absences: { lessonId: string; studentId: string; reason: string | null }[];
  readOnly: boolean;
}

/** R-ABSENCE (п. 9.4): a class's week — every lesson its students had, and their absences with reasons. */
export function attendanceWeek(j: Journal, classId: string, week: string, readOnly: boolean, keep?: (studentId: string) => boolean): AttendanceWeek {
  const c = classRow(j, classId);
  const monday = weekStart(week);
  const saturday = addDays(monday, 5);
  const students = classStudents(j, classId).filter((s) => !keep || keep(s.id));
  const ids = new Set(students.map((s) => s.id));
  const courseIds = classCourses(j, c).map((k) => k.courseId);
  const lessons = attendanceLessons(j, courseIds, monday, saturday);
  const absences = (lessons.length === 0 ? [] : coursesAbsences(j, courseIds, monday, saturday)).filter((a) => ids.has(a.studentId));
  const days: string[] = [];
  for (let i = 0; i < 6; i++) days.push(addDays(monday, i));
  return { class: { id: c.id, name: c.name }, week: monday, days, students, lessons, absences, readOnly };
}

// ── the status bar ──────────────────────────────────────────────────────────────

export interface StatusView {
  now: string;
  today: string;
  device: string;
  /** This replica's changes not yet acknowledged by the server (0 on the server itself). */
  pending: number;
  /** When the sync client last finished an exchange with the server (meta `sync.lastAt`), if ever. */
  lastSyncAt: string | null;
  /** The last sync error the sync client recorded (meta `sync.lastError`), if any. */
  lastSyncError: string | null;
  /**
   * When the last checked backup was made (meta `backup.lastAt`, src-main/backup): on a school
   * computer its own automatic backup; on the server its last backup of the store, for every school.
   */
  lastBackupAt: string | null;
}

export function statusView(j: Journal, nowMs: number): StatusView {
  return {
    now: new Date(nowMs).toISOString(),
    today: schoolToday(j, nowMs),
    device: j.device,
    pending: outboxCount(j),
    lastSyncAt: j.meta('sync.lastAt') ?? null,
    lastSyncError: j.meta('sync.lastError') ?? null,
    lastBackupAt: j.meta('backup.lastAt') ?? null,
  };
}
