/**
 * Read views of the journal on screen: the session, the course picker, a lesson's page and what
 * the rules say about it (R-WORKTYPE, R-DENSITY), the КТП, the class teacher's summary
 * (R-CLASS-VIEW) and attendance week (R-ABSENCE), the status bar. Plain indexed SQL on the state tables; JSON-safe results shaped by the contract
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
import { lessonTopicSql } from './lesson-topic';
import { fullName, groupStudents, shortName, type PersonName } from './queries';
import { lessonContext, ruleSettings } from './rule-inputs';
import { outboxCount } from './outbox';

const collator = new Intl.Collator('ru');
const byName = (a: PersonName, b: PersonName) => collator.compare(fullName(a), fullName(b));

/** The school's local date at `nowMs` (the school's time zone, not the server's). */
export function schoolToday(j: Journal, nowMs: number): string {
  return localDateOf(new Date(nowMs).toISOString(), ruleSettings(j).timeZone);
}

/** The school year containing `date`, else the latest one that started before it, else the first. */
function yearOf(j: Journal, date: string): { id: string; name: string; starts: string; ends: string } | null {
  return (j.stmt(`SELECT id, name, starts, ends FROM year ORDER BY (? BETWEEN starts AND ends) DESC, (starts <= ?) DESC, starts DESC LIMIT 1`).get(date, date) as
    { id: string; name: string; starts: string; ends: string } | undefined) ?? null;
}

const GRADE_OF_GROUP = `coalesce(cl.grade, (SELECT min(c2.grade) FROM group_member m JOIN student st ON st.id = m.student_id JOIN class c2 ON c2.id = st.class_id WHERE m.group_id = g.id))`;

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
  const a = j.stmt('SELECT id, login, person_kind AS kind, person_id AS personId, roles, verifier FROM account WHERE id = ?').get(accountId) as
    { id: string; login: string; kind: 'staff' | 'parent' | 'student'; personId: string; roles: string; verifier: string | null } | undefined;
  if (!a) throw new JournalError('not_found', 'Учётная запись не найдена');
  const table = a.kind === 'staff' ? 'staff' : a.kind === 'parent' ? 'parent' : 'student';
  const p = (j.stmt(`SELECT last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM ${table} WHERE id = ?`).get(a.personId) as
    { lastName: string; firstName: string; middleName: string | null } | undefined) ?? { lastName: a.login, firstName: '', middleName: null };
  const roles = JSON.parse(a.roles) as Role[];
  const today = schoolToday(j, nowMs);
  const year = yearOf(j, today);
  const school = (j.stmt('SELECT name, timezone AS timeZone FROM school WHERE id = 1').get() as { name: string; timeZone: string } | undefined) ?? { name: '', timeZone: ruleSettings(j).timeZone };
  const studentCols = `s.id, s.last_name AS lastName, s.first_name AS firstName, s.middle_name AS middleName, c.grade || c.letter AS className`;
  let children: SessionView['children'] = [];
  if (a.kind === 'parent' && roles.includes('parent')) {
    children = (j.stmt(`SELECT ${studentCols} FROM parent_student ps JOIN student s ON s.id = ps.student_id LEFT JOIN class c ON c.id = s.class_id
      WHERE ps.parent_id = ? AND s.left IS NULL`).all(a.personId) as SessionView['children']).sort(byName);
  } else if (a.kind === 'student' && roles.includes('student')) {
    children = j.stmt(`SELECT ${studentCols} FROM student s LEFT JOIN class c ON c.id = s.class_id WHERE s.id = ?`).all(a.personId) as SessionView['children'];
  }
  let classes: SessionView['classes'] = [];
  if (a.kind === 'staff' && year) {
    const all = j.stmt('SELECT id, grade || letter AS name, grade, class_teacher_id AS ct FROM class WHERE year_id = ? ORDER BY grade, letter').all(year.id) as
      { id: string; name: string; grade: number; ct: string | null }[];
    const reader = roles.includes('deputy') || roles.includes('director');
    const classTeacher = roles.includes('class_teacher');
    classes = all.filter((c) => reader || (classTeacher && c.ct === a.personId)).map((c) => ({ id: c.id, name: c.name, grade: c.grade, own: classTeacher && c.ct === a.personId }));
  }
  return {
    account: { id: a.id, login: a.login, mustChangePassword: isOneTimeVerifier(a.verifier) },
    person: { kind: a.kind, id: a.personId, ...p, shortName: p.firstName ? shortName(p) : p.lastName },
    roles, school, now: new Date(nowMs).toISOString(), today, year, children, classes,
    periods: year ? j.stmt('SELECT id, name, starts, ends, scheme, number FROM period WHERE year_id = ? ORDER BY scheme, number').all(year.id) as SessionView['periods'] : [],
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
  const acc = j.stmt("SELECT person_id AS staffId, roles FROM account WHERE id = ? AND person_kind = 'staff'").get(accountId) as { staffId: string; roles: string } | undefined;
  const roles = acc ? (JSON.parse(acc.roles) as Role[]) : [];
  const staffId = acc?.staffId ?? '';
  const teaches = roles.includes('teacher');
  const rows = j.stmt(`SELECT c.id, c.group_id AS groupId, g.name AS groupName, g.kind AS groupKind, g.class_id AS classId, ${GRADE_OF_GROUP} AS grade,
      c.subject_id AS subjectId, s.name AS subjectName, s.code AS subjectCode, c.teacher_id AS teacherId, c.hours_per_week AS hoursPerWeek,
      st.last_name AS tl, st.first_name AS tf, st.middle_name AS tm
    FROM course c JOIN grp g ON g.id = c.group_id JOIN subject s ON s.id = c.subject_id LEFT JOIN class cl ON cl.id = g.class_id
    LEFT JOIN staff st ON st.id = c.teacher_id WHERE c.year_id = ?`).all(year.id) as
    (Omit<CourseItem, 'teacherName' | 'scheme' | 'readOnly'> & { teacherId: string | null; tl: string | null; tf: string | null; tm: string | null })[];
  const ownClasses = new Set(roles.includes('class_teacher')
    ? (j.stmt('SELECT id FROM class WHERE class_teacher_id = ? AND year_id = ?').pluck().all(staffId, year.id) as string[]) : []);
  const groupInOwnClass = (groupId: string) => ownClasses.size > 0 && (j.stmt(`SELECT class_id FROM grp WHERE id = ? AND kind = 'class' AND class_id IS NOT NULL
      UNION SELECT DISTINCT s.class_id FROM group_member m JOIN student s ON s.id = m.student_id WHERE m.group_id = ?`).pluck().all(groupId, groupId) as string[]).some((c) => ownClasses.has(c));
  const inClass = (groupId: string, classId: string) => !!j.stmt(`SELECT 1 FROM grp g WHERE g.id = ? AND ((g.kind = 'class' AND g.class_id = ?)
      OR EXISTS (SELECT 1 FROM group_member m JOIN student s ON s.id = m.student_id WHERE m.group_id = g.id AND s.class_id = ?))`).get(groupId, classId, classId);
  const schemes = new Map((j.stmt('SELECT level, scheme FROM level_scheme WHERE year_id = ?').all(year.id) as { level: string; scheme: string }[]).map((r) => [r.level, r.scheme]));
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
  const periods = j.stmt('SELECT id, name, starts, ends, scheme, number FROM period WHERE year_id = ? ORDER BY scheme, number').all(year.id) as CourseList['periods'];
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
  const r = j.stmt(`SELECT l.id, l.course_id AS courseId, l.date, l.number, l.kind, l.status, ${lessonTopicSql('l')} AS topic, l.ktp_id AS ktpId, l.homework, l.work_type AS workType,
      l.order_no AS orderNo, l.form, l.note, l.moved_from AS movedFrom, s.id AS subjectId, s.name AS subjectName, s.code AS subjectCode,
      g.id AS groupId, g.name AS groupName, ${GRADE_OF_GROUP} AS grade, b.starts AS bs, b.ends AS be,
      sst.last_name AS sl, sst.first_name AS sf, sst.middle_name AS sm
    FROM lesson l JOIN course c ON c.id = l.course_id JOIN subject s ON s.id = c.subject_id JOIN grp g ON g.id = c.group_id
    LEFT JOIN class cl ON cl.id = g.class_id LEFT JOIN bell b ON b.year_id = c.year_id AND b.number = l.number
    LEFT JOIN substitution sb ON sb.lesson_id = l.id LEFT JOIN staff sst ON sst.id = sb.teacher_id
    WHERE l.id = ?`).get(lessonId) as Record<string, string | number | null> | undefined;
  if (!r) throw new JournalError('not_found', 'Урок не найден');
  const ih = (j.stmt('SELECT student_id AS studentId, text FROM individual_homework WHERE lesson_id = ?').all(lessonId) as { studentId: string; text: string }[])
    .filter((h) => !keep || keep(h.studentId));
  const s = (k: string) => (r[k] ?? null) as string | null;
  return {
    id: r.id as string, courseId: r.courseId as string, date: r.date as string, number: r.number as number, kind: r.kind as string, status: r.status as string,
    topic: s('topic'), ktpId: s('ktpId'), homework: s('homework'), workType: s('workType'), orderNo: s('orderNo'), form: s('form'), note: s('note'), movedFrom: s('movedFrom'),
    subject: { id: r.subjectId as string, name: r.subjectName as string, code: r.subjectCode as string },
    group: { id: r.groupId as string, name: r.groupName as string }, grade: (r.grade as number | null) ?? null,
    bell: r.bs && r.be ? { starts: r.bs as string, ends: r.be as string } : null,
    substituteName: r.sl && r.sf ? shortName({ lastName: r.sl as string, firstName: r.sf as string, middleName: s('sm') }) : null,
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
    const absent = new Set(j.stmt('SELECT student_id FROM attendance WHERE lesson_id = ?').pluck().all(lessonId) as string[]);
    const marks = j.stmt('SELECT student_id AS studentId, col AS "column" FROM mark WHERE lesson_id = ?').all(lessonId) as { studentId: string; column: MarkColumn }[];
    say(checkThematicMarks(lesson, students.map((s) => ({ student: s, absent: absent.has(s.id) })), marks), (d) => d.missing);
  }

  const upTo = [lesson.date, lesson.date, lesson.number];
  const lessons = j.stmt(`SELECT id, date, number, kind FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND (date < ? OR (date = ? AND number <= ?))`)
    .all(ctx.courseId, ...upTo) as { id: string; date: string; number: number; kind: LessonKind }[];
  const inCourse = `lesson_id IN (SELECT id FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND (date < ? OR (date = ? AND number <= ?)))`;
  const report = assessmentGaps({
    grade: lesson.grade, lessons, studentIds: counted.map((s) => s.id),
    marks: j.stmt(`SELECT DISTINCT student_id AS studentId, lesson_id AS lessonId FROM mark WHERE ${inCourse}`).all(ctx.courseId, ...upTo) as { studentId: string; lessonId: string }[],
    absences: j.stmt(`SELECT student_id AS studentId, lesson_id AS lessonId FROM attendance WHERE ${inCourse}`).all(ctx.courseId, ...upTo) as { studentId: string; lessonId: string }[],
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
  const c = j.stmt(`SELECT c.subject_id AS subjectId, c.year_id AS yearId, s.code, ${GRADE_OF_GROUP} AS grade
    FROM course c JOIN grp g ON g.id = c.group_id JOIN subject s ON s.id = c.subject_id LEFT JOIN class cl ON cl.id = g.class_id WHERE c.id = ?`).get(courseId) as
    { subjectId: string; yearId: string; code: string; grade: number | null } | undefined;
  if (!c) throw new JournalError('not_found', 'Предмет учебного плана не найден');
  const used = new Map<string, string[]>();
  for (const u of j.stmt('SELECT ktp_id AS ktpId, date FROM lesson WHERE course_id = ? AND ktp_id IS NOT NULL ORDER BY date').all(courseId) as { ktpId: string; date: string }[]) {
    const list = used.get(u.ktpId) ?? [];
    list.push(u.date);
    used.set(u.ktpId, list);
  }
  const items = (j.stmt('SELECT id, number, topic, hours FROM ktp WHERE year_id = ? AND subject_id = ? AND grade = ? ORDER BY number').all(c.yearId, c.subjectId, c.grade ?? -1) as
    { id: string; number: number; topic: string; hours: number }[]).map((k) => ({ ...k, usedOn: used.get(k.id) ?? [] }));
  return { subjectCode: c.code, grade: c.grade, items };
}

// ── the class teacher's view (R-CLASS-VIEW, R-ACK) ──────────────────────────────

interface ClassRow { id: string; yearId: string; name: string; grade: number; classTeacherId: string | null }
function classRow(j: Journal, classId: string): ClassRow {
  const c = j.stmt('SELECT id, year_id AS yearId, grade || letter AS name, grade, class_teacher_id AS classTeacherId FROM class WHERE id = ?').get(classId) as ClassRow | undefined;
  if (!c) throw new JournalError('not_found', 'Класс не найден');
  return c;
}
function classStudents(j: Journal, classId: string): PersonName[] {
  return (j.stmt('SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM student WHERE class_id = ? AND left IS NULL').all(classId) as PersonName[]).sort(byName);
}
/** Courses a class's students take: the class's own, and groups (subgroups, electives …) with its students. */
function classCourses(j: Journal, c: ClassRow) {
  return j.stmt(`SELECT c.id AS courseId, c.subject_id AS subjectId, s.name AS subjectName, s.short AS subjectShort, s.code AS subjectCode, g.id AS groupId, g.name AS groupName, g.kind AS groupKind,
      st.last_name AS tl, st.first_name AS tf, st.middle_name AS tm
    FROM course c JOIN grp g ON g.id = c.group_id JOIN subject s ON s.id = c.subject_id LEFT JOIN staff st ON st.id = c.teacher_id
    WHERE c.year_id = ? AND ((g.kind = 'class' AND g.class_id = ?) OR EXISTS (SELECT 1 FROM group_member m JOIN student x ON x.id = m.student_id WHERE m.group_id = g.id AND x.class_id = ?))
    ORDER BY s.name, g.name`).all(c.yearId, c.id, c.id) as
    { courseId: string; subjectId: string; subjectName: string; subjectShort: string; subjectCode: string; groupId: string; groupName: string; groupKind: string; tl: string | null; tf: string | null; tm: string | null }[];
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
  const scheme = (j.stmt('SELECT scheme FROM level_scheme WHERE year_id = ? AND level = ?').pluck().get(c.yearId, levelOfGrade(c.grade)) as string | undefined) ?? 'quarters';
  const periods = j.stmt('SELECT id, name, starts, ends FROM period WHERE year_id = ? AND scheme = ? ORDER BY number').all(c.yearId, scheme) as ClassSummary['periods'];
  const today = schoolToday(j, q.nowMs);
  let period: ClassSummary['period'] = null;
  if (q.periodId) {
    period = (j.stmt('SELECT id, name, starts, ends FROM period WHERE id = ?').get(q.periodId) as ClassSummary['period'] | undefined) ?? null;
    if (!period) throw new JournalError('not_found', 'Учебный период не найден');
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
    const lessons = j.stmt("SELECT count(*) FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND date BETWEEN ? AND ?").pluck().get(k.courseId, from, to) as number;
    subjects.push({ courseId: k.courseId, subjectId: k.subjectId, subjectName: k.subjectName, subjectShort: k.subjectShort, groupName: k.groupName, teacherName: k.tl && k.tf ? shortName({ lastName: k.tl, firstName: k.tf, middleName: k.tm }) : null, lessons });
    const enrolled = new Set(groupStudents(j, k.groupId).map((s) => s.id).filter((id) => ids.has(id)));
    const values = new Map<string, MarkValue[]>();
    for (const m of j.stmt('SELECT m.student_id AS sid, m.value FROM lesson l JOIN mark m ON m.lesson_id = l.id WHERE l.course_id = ? AND l.date BETWEEN ? AND ?').all(k.courseId, from, to) as { sid: string; value: MarkValue }[]) {
      if (!enrolled.has(m.sid)) continue;
      const list = values.get(m.sid) ?? [];
      list.push(m.value);
      values.set(m.sid, list);
    }
    const missed = new Map<string, number>();
    for (const a of j.stmt('SELECT a.student_id AS sid, a.reason FROM lesson l JOIN attendance a ON a.lesson_id = l.id WHERE l.course_id = ? AND l.date BETWEEN ? AND ?').all(k.courseId, from, to) as { sid: string; reason: string | null }[]) {
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
      ? (j.stmt('SELECT student_id AS sid, value FROM period_mark WHERE year_id = ? AND subject_id = ? AND term = ?').all(c.yearId, k.subjectId, period.id) as { sid: string; value: string }[]).map((r) => [r.sid, r.value])
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
  const acks = new Map((j.stmt(`SELECT a.student_id AS sid, max(a.at) AS at FROM diary_ack a JOIN student s ON s.id = a.student_id WHERE s.class_id = ? GROUP BY a.student_id`).all(classId) as { sid: string; at: string }[]).map((r) => [r.sid, r.at]));
  const ct = c.classTeacherId ? j.stmt('SELECT last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM staff WHERE id = ?').get(c.classTeacherId) as PersonName | undefined : undefined;
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
  const lessons = courseIds.length === 0 ? [] : j.stmt(`SELECT l.id, l.date, l.number, s.name AS subjectName, s.short AS subjectShort, l.course_id AS courseId FROM lesson l
      JOIN course c ON c.id = l.course_id JOIN subject s ON s.id = c.subject_id
    WHERE l.course_id IN (${courseIds.map(() => '?').join(', ')}) AND l.date BETWEEN ? AND ? AND l.status <> 'cancelled' AND l.kind <> 'extracurricular'
    ORDER BY l.date, l.number, s.name`).all(...courseIds, monday, saturday) as AttendanceWeek['lessons'];
  const absences = (lessons.length === 0 ? [] : j.stmt(`SELECT a.lesson_id AS lessonId, a.student_id AS studentId, a.reason FROM lesson l JOIN attendance a ON a.lesson_id = l.id
    WHERE l.course_id IN (${courseIds.map(() => '?').join(', ')}) AND l.date BETWEEN ? AND ?`).all(...courseIds, monday, saturday) as AttendanceWeek['absences'])
    .filter((a) => ids.has(a.studentId));
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
}

export function statusView(j: Journal, nowMs: number): StatusView {
  return {
    now: new Date(nowMs).toISOString(),
    today: schoolToday(j, nowMs),
    device: j.device,
    pending: outboxCount(j),
    lastSyncAt: j.meta('sync.lastAt') ?? null,
    lastSyncError: j.meta('sync.lastError') ?? null,
  };
}
