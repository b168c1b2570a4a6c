/**
 * R-ANNUAL-PRINT (п. 9.2, 12.2): everything the printed classroom journal of a class for its school
 * year shows, read from the journal — and nothing else. Every field here is printed, in the order
 * it is printed, so the checksum of this structure (print-checksum.ts) is a checksum of the paper:
 * a mark changed after printing changes it, a later print date does not.
 */
import { ABSENCE_REASONS, WORK_TYPES, type AbsenceReason, type WorkType } from '../../src-shared/domain/school';
import { formatDateRu } from '../../src-shared/domain/values';
import type { Journal } from '../journal/open';
import { lessonTopicSql } from '../journal/lesson-topic';
import {
  classInfo, classPeriods, classStudents, collator, compareSubjects, director, finalTermsOf, schoolInfo, staffName, termColumns,
  JOURNAL_GROUP_KINDS, type ClassInfo, type PeriodInfo, type SubjectInfo, type TermColumn,
} from './school-data';
import { classSummary, type ClassSummary } from './summary-data';

export interface AnnualLesson {
  date: string;
  topic: string | null;
  homework: string | null;
  /** The lesson's work type, spelled out (R-WORKTYPE), and notes: substitution, a moved lesson. */
  remark: string | null;
  /** Counted as given in the curriculum sheet (held, in any form). */
  given: boolean;
  /** Per student (in `students` order): the mark, «н», both, or ''. */
  cells: string[];
  /** Separate columns (R-SEPARATE-COLUMN): «Выр.чт.», «Гр.», per student. */
  extra: { column: 'reading' | 'literacy'; cells: string[] }[];
}

export interface AnnualCourse {
  subject: string;
  /** The group when it is not the whole class (a subgroup, an elective, home schooling). */
  group: string | null;
  teacher: { full: string; short: string } | null;
  hoursPerWeek: number;
  /** Hours in the КТП, or hours per week × weeks of the year when there is no КТП. */
  planned: number;
  /** Indexes into `AnnualJournalData.students`. */
  students: number[];
  lessons: AnnualLesson[];
  /** Period, annual, exam and final marks: per term column, per student of the course. */
  terms: { term: string; cells: string[] }[];
}

export interface AnnualJournalData {
  school: { name: string; fullName: string | null; address: string | null };
  cls: { name: string; grade: number; letter: string; year: string; yearStart: number; classTeacher: { full: string; short: string } | null };
  director: { full: string; short: string } | null;
  deputy: { full: string; short: string } | null;
  periods: { name: string; short: string; starts: string; ends: string }[];
  termColumns: TermColumn[];
  students: { name: string; short: string; left: string | null }[];
  timetable: { since: string | null; bells: { number: number; starts: string; ends: string }[]; slots: { weekday: number; number: number; subject: string; room: string | null; teacher: string | null }[] };
  courses: AnnualCourse[];
  /** Attendance per student: per period then the year, [всего, по болезни, по уважительной, без уважительной]. */
  attendance: number[][][];
  summary: ClassSummary;
}

interface CourseRow extends SubjectInfo { courseId: string; groupId: string; groupName: string; groupKind: string; groupClassId: string | null; teacherId: string | null; hoursPerWeek: number }

export function annualData(j: Journal, classId: string): AnnualJournalData {
  const c = classInfo(j, classId);
  const school = schoolInfo(j);
  const students = classStudents(j, c.id, c.year.starts);
  const index = new Map(students.map((s, i) => [s.id, i]));
  const periods = classPeriods(j, c);
  const pmRows = j.stmt(`SELECT pm.student_id AS studentId, pm.subject_id AS subjectId, pm.term, pm.value FROM period_mark pm JOIN student st ON st.id = pm.student_id
    WHERE pm.year_id = ? AND st.class_id = ?`).all(c.year.id, c.id) as { studentId: string; subjectId: string; term: string; value: string }[];
  const terms = termColumns(periods, finalTermsOf(c.grade, new Set(pmRows.map((r) => r.term))));

  const rows = classCourses(j, c);
  const courses = rows.map((k) => courseData(j, c, k, students.map((s) => s.id), index, terms, pmRows));
  const deputyId = j.stmt(`SELECT a.person_id FROM account a WHERE a.person_kind = 'staff' AND EXISTS (SELECT 1 FROM json_each(a.roles) r WHERE r.value = 'deputy')
    ORDER BY a.person_id LIMIT 1`).pluck().get() as string | undefined;
  return {
    school: { name: school.name, fullName: school.fullName, address: school.address },
    cls: { name: c.name, grade: c.grade, letter: c.letter, year: c.year.name, yearStart: Number(c.year.starts.slice(0, 4)), classTeacher: c.classTeacher },
    director: director(j),
    deputy: staffName(j, deputyId ?? null),
    periods: periods.map(({ name, short, starts, ends }) => ({ name, short, starts, ends })),
    termColumns: terms,
    students: students.map((s) => ({ name: s.name, short: `${s.lastName} ${s.firstName}`, left: s.left })),
    timetable: timetable(j, c, rows),
    courses,
    attendance: attendance(j, c, students.map((s) => s.id), periods),
    summary: classSummary(j, c.id),
  };
}

/** The courses whose pages are in the class journal: the class's own and its students' groups (not clubs). */
function classCourses(j: Journal, c: ClassInfo): CourseRow[] {
  const kinds = JOURNAL_GROUP_KINDS.map((k) => `'${k}'`).join(', ');
  const rows = j.stmt(`SELECT c.id AS courseId, c.group_id AS groupId, g.name AS groupName, g.kind AS groupKind, g.class_id AS groupClassId,
      c.teacher_id AS teacherId, c.hours_per_week AS hoursPerWeek, s.id, s.name, s.short, s.code
    FROM course c JOIN grp g ON g.id = c.group_id JOIN subject s ON s.id = c.subject_id
    WHERE c.year_id = @year AND g.kind IN (${kinds}) AND ((g.kind = 'class' AND g.class_id = @cls) OR (g.kind <> 'class' AND (g.class_id = @cls
      OR EXISTS (SELECT 1 FROM group_member m JOIN student st ON st.id = m.student_id WHERE m.group_id = g.id AND st.class_id = @cls))))`)
    .all({ year: c.year.id, cls: c.id }) as CourseRow[];
  // Electives and profile groups after the curriculum, as in a paper journal; a subgroup (home schooling) next to its subject.
  const chosen = (k: CourseRow) => Number(k.groupKind === 'elective' || k.groupKind === 'profile');
  const isClass = (k: CourseRow) => Number(k.groupKind === 'class');
  return rows.sort((a, b) => chosen(a) - chosen(b) || compareSubjects(a, b) || isClass(b) - isClass(a) || collator.compare(a.groupName, b.groupName) || (a.courseId < b.courseId ? -1 : 1));
}

function courseData(j: Journal, c: ClassInfo, k: CourseRow, classIds: string[], index: Map<string, number>, terms: TermColumn[],
  pmRows: { studentId: string; subjectId: string; term: string; value: string }[]): AnnualCourse {
  let ids: string[];
  if (k.groupKind === 'class') {
    // A student taught this subject in a group of their own (home schooling, a subgroup) is on that group's pages.
    const elsewhere = new Set(j.stmt(`SELECT m.student_id FROM group_member m JOIN grp g ON g.id = m.group_id JOIN course c ON c.group_id = g.id
      WHERE c.year_id = ? AND c.subject_id = ? AND g.kind <> 'class' AND g.kind IN ('subgroup', 'profile')`).pluck().all(c.year.id, k.id) as string[]);
    ids = classIds.filter((id) => !elsewhere.has(id));
  } else {
    const members = new Set(j.stmt('SELECT student_id FROM group_member WHERE group_id = ?').pluck().all(k.groupId) as string[]);
    ids = classIds.filter((id) => members.has(id));
  }
  const col = new Map(ids.map((id, i) => [id, i]));
  const lessons = j.stmt(`SELECT l.id, l.date, l.number, l.kind, l.status, ${lessonTopicSql('l')} AS topic, l.homework, l.work_type AS workType, l.moved_from AS movedFrom, sb.teacher_id AS substitute
    FROM lesson l LEFT JOIN substitution sb ON sb.lesson_id = l.id WHERE l.course_id = ? AND l.status <> 'cancelled' ORDER BY l.date, l.number, l.id`).all(k.courseId) as
    { id: string; date: string; number: number; kind: string; status: string; topic: string | null; homework: string | null; workType: string | null; movedFrom: string | null; substitute: string | null }[];
  const marks = j.stmt(`SELECT m.lesson_id AS lessonId, m.student_id AS studentId, m.col AS "column", m.value FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.course_id = ?`)
    .all(k.courseId) as { lessonId: string; studentId: string; column: string; value: string }[];
  const absent = new Set((j.stmt("SELECT a.lesson_id || '|' || a.student_id FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE l.course_id = ?").pluck().all(k.courseId) as string[]));
  const byLesson = new Map<string, typeof marks>();
  for (const m of marks) {
    if (!col.has(m.studentId)) continue;
    const list = byLesson.get(m.lessonId) ?? [];
    list.push(m);
    byLesson.set(m.lessonId, list);
  }
  const subs = new Map<string, string>();
  const out: AnnualLesson[] = lessons.map((l) => {
    const main: string[] = ids.map((id) => (absent.has(`${l.id}|${id}`) ? 'н' : ''));
    const extra: AnnualLesson['extra'] = [];
    for (const m of byLesson.get(l.id) ?? []) {
      const i = col.get(m.studentId)!;
      if (m.column === 'main') main[i] = main[i] ? `${main[i]} ${m.value}` : m.value;
      else {
        const column = m.column as 'reading' | 'literacy';
        let e = extra.find((x) => x.column === column);
        if (!e) extra.push((e = { column, cells: ids.map(() => '') }));
        e.cells[i] = m.value;
      }
    }
    extra.sort((a, b) => (a.column < b.column ? 1 : -1)); // reading before literacy
    if (l.substitute && !subs.has(l.substitute)) subs.set(l.substitute, staffName(j, l.substitute)?.short ?? '');
    const remark = [
      l.workType ? WORK_TYPES[l.workType as WorkType]?.label ?? l.workType : null,
      l.movedFrom ? `перенесён с ${formatDateRu(l.movedFrom)}` : null,
      l.substitute ? `замена: ${subs.get(l.substitute)}` : null,
    ].filter(Boolean).join('; ');
    return { date: l.date, topic: l.topic, homework: l.homework, remark: remark || null, given: l.status === 'held', cells: main, extra };
  });
  const termCells = terms.map((t) => ({ term: t.term, cells: ids.map(() => '') }));
  for (const r of pmRows) {
    const i = col.get(r.studentId);
    const t = termCells.find((x) => x.term === r.term);
    if (r.subjectId === k.id && i !== undefined && t) t.cells[i] = r.value;
  }
  const ktpHours = j.stmt('SELECT sum(hours) FROM ktp WHERE year_id = ? AND subject_id = ? AND grade = ?').pluck().get(c.year.id, k.id, c.grade) as number | null;
  const teacher = staffName(j, k.teacherId);
  return {
    subject: k.name,
    group: k.groupKind === 'class' ? null : k.groupName,
    teacher,
    hoursPerWeek: k.hoursPerWeek,
    planned: ktpHours ?? Math.round(k.hoursPerWeek * (c.grade === 1 ? 33 : 34)),
    students: ids.map((id) => index.get(id)!),
    lessons: out,
    terms: termCells,
  };
}

/** The main timetable in force at the end of the year (the latest one when it changed). */
function timetable(j: Journal, c: ClassInfo, courses: CourseRow[]): AnnualJournalData['timetable'] {
  const bells = j.stmt('SELECT number, starts, ends FROM bell WHERE year_id = ? ORDER BY number').all(c.year.id) as { number: number; starts: string; ends: string }[];
  const byCourse = new Map(courses.map((k) => [k.courseId, k]));
  if (courses.length === 0) return { since: null, bells, slots: [] };
  const slots = j.stmt(`SELECT sl.course_id AS courseId, sl.weekday, sl.number, sl.room, sl.valid_from AS validFrom, sl.valid_to AS validTo, c.teacher_id AS teacherId
    FROM slot sl JOIN course c ON c.id = sl.course_id WHERE sl.kind = 'main' AND sl.course_id IN (${courses.map(() => '?').join(', ')})`)
    .all(...courses.map((k) => k.courseId)) as { courseId: string; weekday: number; number: number; room: string | null; validFrom: string; validTo: string | null; teacherId: string | null }[];
  const since = slots.reduce<string | null>((m, s) => (m === null || s.validFrom > m ? s.validFrom : m), null);
  const current = slots.filter((s) => since !== null && s.validFrom <= since && (s.validTo === null || s.validTo >= since));
  return {
    since,
    bells,
    slots: current.map((s) => {
      const k = byCourse.get(s.courseId)!;
      return { weekday: s.weekday, number: s.number, subject: k.groupKind === 'class' ? k.name : `${k.name} (${k.groupName})`, room: s.room, teacher: staffName(j, s.teacherId)?.short ?? null };
    }).sort((a, b) => a.weekday - b.weekday || a.number - b.number || a.subject.localeCompare(b.subject, 'ru')),
  };
}

/** Missed lessons per student: per period, then the year — [total, illness, valid, unexcused]. */
function attendance(j: Journal, c: ClassInfo, ids: string[], periods: PeriodInfo[]): number[][][] {
  const rows = j.stmt(`SELECT a.student_id AS studentId, l.date, a.reason FROM attendance a JOIN lesson l ON l.id = a.lesson_id JOIN student st ON st.id = a.student_id
    WHERE st.class_id = ? AND l.status <> 'cancelled' AND l.date BETWEEN ? AND ?`).all(c.id, c.year.starts, c.year.ends) as { studentId: string; date: string; reason: AbsenceReason | null }[];
  const at = new Map(ids.map((id, i) => [id, i]));
  const out = ids.map(() => [...periods.map(() => [0, 0, 0, 0]), [0, 0, 0, 0]]);
  for (const r of rows) {
    const i = at.get(r.studentId);
    if (i === undefined) continue;
    const p = periods.findIndex((x) => x.starts <= r.date && r.date <= x.ends);
    const k = r.reason ? ABSENCE_REASONS.indexOf(r.reason) + 1 : -1;
    for (const bucket of p >= 0 ? [out[i]![p]!, out[i]![periods.length]!] : [out[i]![periods.length]!]) {
      bucket[0]!++;
      if (k > 0) bucket[k]!++;
    }
  }
  return out;
}

