/**
 * R-WEEKLY-PAPER (п. 7.2): what a family without the electronic diary reads on paper once a week —
 * the same week the diary shows (`studentWeek`), with the work types spelled out, the teachers'
 * comments, the absences counted and the period marks given so far.
 */
import { ABSENCE_REASON_LABELS, MARK_COLUMN_LABELS, WORK_TYPES, type AbsenceReason, type MarkColumn, type WorkType } from '../../src-shared/domain/school';
import { addDays, formatDateRu, weekday, weekStart, type LocalDate } from '../../src-shared/domain/values';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { lessonTopicSql } from '../journal/lesson-topic';
import { shortName } from '../journal/queries';
import {
  classInfo, classPeriods, classStudents, compareSubjects, finalTermsOf, holidaysFor, schoolInfo, termColumns,
  type SubjectInfo, type TermColumn,
} from './school-data';

export interface WeeklyQuery { classId: string; week: LocalDate; all?: boolean }

export interface WeeklyMark { value: string; work: string }
export interface WeeklyLesson {
  number: number;
  subject: string;
  topic: string | null;
  homework: string | null;
  individualHomework: string | null;
  marks: WeeklyMark[];
  /** «н», with the reason when the class teacher has given one. */
  absence: string | null;
  note: string | null;
}
export interface WeeklyDay { date: LocalDate; weekday: string; holiday: string | null; lessons: WeeklyLesson[] }
export interface WeeklyStudent {
  id: string;
  name: string;
  days: WeeklyDay[];
  missed: { total: number; reasons: { label: string; count: number }[] };
  comments: { date: LocalDate; subject: string; teacher: string | null; text: string }[];
  /** Period, annual, exam and final marks given so far, one row per subject (values in `terms` order). */
  periodMarks: { subject: string; values: (string | null)[] }[];
}
export interface WeeklyData {
  school: string;
  className: string;
  classTeacher: { full: string; short: string } | null;
  yearName: string;
  from: LocalDate;
  to: LocalDate;
  terms: TermColumn[];
  students: WeeklyStudent[];
}

const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];

/** Students of the class whose parent chose the paper diary (R-CONSENT: diary_mode = paper). */
export function paperStudents(j: Journal, classId: string): Set<string> {
  return new Set(j.stmt(`SELECT DISTINCT ps.student_id FROM parent_student ps JOIN student s ON s.id = ps.student_id
    JOIN consent c ON c.parent_id = ps.parent_id AND c.kind = 'diary_mode' AND c.value = 'paper' WHERE s.class_id = ?`).pluck().all(classId) as string[]);
}

export function weeklyData(j: Journal, q: WeeklyQuery): WeeklyData {
  const c = classInfo(j, q.classId);
  const from = weekStart(q.week);
  const to = addDays(from, 6);
  const paper = q.all ? undefined : paperStudents(j, c.id);
  const students = classStudents(j, c.id, from).filter((s) => !paper || paper.has(s.id));
  if (students.length === 0) {
    throw new JournalError('not_found', q.all
      ? `В классе ${c.name} нет обучающихся`
      : `В классе ${c.name} нет обучающихся, родители которых выбрали бумажный дневник (R-CONSENT): чтобы напечатать отчёты для всех, укажите --all`);
  }
  const holidays = holidaysFor(j, c.year.id, c.grade);
  const holidayOf = (d: LocalDate) => holidays.find((h) => h.starts <= d && d <= h.ends)?.name ?? null;

  // Period marks «so far»: of the periods that have begun by the end of the week.
  const periods = classPeriods(j, c).filter((p) => p.starts <= to);
  // Rows as arrays, the subjects apart: a class has thousands of period marks and a dozen subjects.
  const subjectById = new Map((j.stmt('SELECT id, name, short, code FROM subject').all() as SubjectInfo[]).map((sub) => [sub.id, sub]));
  const pm = (j.stmt(`SELECT pm.student_id, pm.subject_id, pm.term, pm.value FROM period_mark pm
    JOIN student st ON st.id = pm.student_id WHERE pm.year_id = ? AND st.class_id = ?`).raw().all(c.year.id, c.id) as [string, string, string, string][])
    .filter(([, subjectId]) => subjectById.has(subjectId)) // as the join with subject did
    .map(([studentId, subjectId, term, value]) => ({ studentId, subjectId, term, value }));
  const lastPeriodBegun = periods.length > 0 && periods.length === classPeriods(j, c).length;
  const finals = lastPeriodBegun ? finalTermsOf(c.grade, new Set(pm.map((r) => r.term))).filter((t) => pm.some((r) => r.term === t)) : [];
  const terms = termColumns(periods, finals);
  const termIndex = new Map(terms.map((t, i) => [t.term, i]));

  const week = classWeek(j, c.id, from, to);
  // Worked out once for the class, not once per student: the days, the subjects' print order
  // (compareSubjects: a collator per comparison), each student's period marks.
  const dates = [0, 1, 2, 3, 4, 5, 6].map((i) => addDays(from, i));
  const weekdays = dates.map((d) => WEEKDAYS[weekday(d) - 1] ?? '');
  const holidayNames = dates.map(holidayOf);
  const subjects = new Map<string, SubjectInfo>();
  const pmOf = new Map<string, typeof pm>();
  for (const r of pm) {
    if (!subjects.has(r.subjectId)) subjects.set(r.subjectId, subjectById.get(r.subjectId)!);
    let list = pmOf.get(r.studentId);
    if (!list) pmOf.set(r.studentId, (list = []));
    list.push(r);
  }
  const rank = new Map([...subjects.values()].sort(compareSubjects).map((sub, i) => [sub.id, i]));
  const out: WeeklyStudent[] = [];
  for (const s of students) {
    const mine = week.lessons.filter((l) => (l.groupKind === 'class' && l.groupClassId === c.id) || week.members.has(`${l.groupId}|${s.id}`));
    const days: WeeklyDay[] = [];
    const counts = new Map<string, number>();
    let total = 0;
    const comments: WeeklyStudent['comments'] = [];
    for (let i = 0; i < 7; i++) {
      const date = dates[i]!;
      const lessons = mine.filter((l) => l.date === date);
      // As in the diary: Saturday and Sunday only when they have lessons.
      if (lessons.length === 0 && i >= 5) continue;
      days.push({
        date,
        weekday: weekdays[i]!,
        holiday: lessons.length === 0 ? holidayNames[i]! : null,
        lessons: lessons.map((l) => {
          const absent = week.absences.get(`${l.id}|${s.id}`);
          const marks = week.marks.get(`${l.id}|${s.id}`) ?? [];
          if (absent !== undefined) {
            total++;
            const label = absent ? ABSENCE_REASON_LABELS[absent as AbsenceReason] ?? absent : 'причина не указана';
            counts.set(label, (counts.get(label) ?? 0) + 1);
          }
          for (const m of marks) if (m.comment) comments.push({ date, subject: l.subject, teacher: l.teacher, text: m.comment });
          return {
            number: l.number,
            subject: l.subject,
            topic: l.topic,
            homework: l.homework,
            individualHomework: week.homework.get(`${l.id}|${s.id}`) ?? null,
            marks: marks.map((m) => ({ value: m.value, work: workLabel(m.workType, m.column) })),
            absence: absent === undefined ? null : absent ? `н (${ABSENCE_REASON_LABELS[absent as AbsenceReason] ?? absent})` : 'н',
            note: lessonNote(l),
          };
        }),
      });
    }
    const bySubject = new Map<string, { subject: SubjectInfo; values: (string | null)[] }>();
    for (const r of pmOf.get(s.id) ?? []) {
      const i = termIndex.get(r.term);
      if (i === undefined) continue;
      let row = bySubject.get(r.subjectId);
      if (!row) bySubject.set(r.subjectId, (row = { subject: subjects.get(r.subjectId)!, values: terms.map(() => null) }));
      row.values[i] = r.value;
    }
    out.push({
      id: s.id,
      name: s.name,
      days,
      missed: { total, reasons: [...counts].map(([label, count]) => ({ label, count })) },
      comments,
      periodMarks: [...bySubject.values()].sort((a, b) => rank.get(a.subject.id)! - rank.get(b.subject.id)!).map((r) => ({ subject: r.subject.name, values: r.values })),
    });
  }
  const school = schoolInfo(j);
  return {
    school: school.fullName ?? school.name,
    className: c.name,
    classTeacher: c.classTeacher,
    yearName: c.year.name,
    from, to, terms, students: out,
  };
}

export function workLabel(workType: string, column: string): string {
  const label = WORK_TYPES[workType as WorkType]?.label ?? workType;
  const col = MARK_COLUMN_LABELS[column as MarkColumn];
  return col ? `${label}; ${col}` : label;
}

function lessonNote(l: { movedFrom: string | null; substituted: boolean }): string | null {
  const notes: string[] = [];
  if (l.movedFrom) notes.push(`перенесён с ${formatDateRu(l.movedFrom)}`);
  if (l.substituted) notes.push('замена учителя');
  return notes.length ? notes.join(', ') : null;
}

interface WeekLesson {
  id: string; date: LocalDate; number: number; subject: string; topic: string | null; homework: string | null; movedFrom: string | null;
  substituted: boolean; teacher: string | null; groupId: string; groupKind: string; groupClassId: string | null;
}

/**
 * The class's week in one pass: the lessons, marks, absences and individual homework the diary
 * (`studentWeek`) shows each student — the same lessons (not cancelled, of the class or of a group
 * the student is in) — read once for the whole class rather than once per student.
 */
function classWeek(j: Journal, classId: string, from: LocalDate, to: LocalDate) {
  // The class's groups first (its own, and every group one of its students is in), then their
  // lessons of the week by course and date (CROSS JOIN keeps that order): not every lesson of the
  // school's week, tested one by one.
  const lessons = (j.stmt(`WITH groups(id) AS (SELECT id FROM grp WHERE kind = 'class' AND class_id = @cid
      UNION SELECT gm.group_id FROM group_member gm JOIN student s ON s.id = gm.student_id WHERE s.class_id = @cid)
    SELECT l.id, l.date, l.number, sub.name AS subject, ${lessonTopicSql('l')} AS topic, l.homework, l.moved_from AS movedFrom, (sb.lesson_id IS NOT NULL) AS substituted,
      st.last_name AS lastName, st.first_name AS firstName, st.middle_name AS middleName, g.id AS groupId, g.kind AS groupKind, g.class_id AS groupClassId
    FROM groups CROSS JOIN grp g ON g.id = groups.id CROSS JOIN course c ON c.group_id = g.id CROSS JOIN lesson l ON l.course_id = c.id JOIN subject sub ON sub.id = c.subject_id
    LEFT JOIN substitution sb ON sb.lesson_id = l.id LEFT JOIN staff st ON st.id = coalesce(sb.teacher_id, c.teacher_id)
    WHERE l.date BETWEEN @from AND @to AND l.status <> 'cancelled'
    ORDER BY l.date, l.number, l.id`).all({ cid: classId, from, to }) as (Omit<WeekLesson, 'teacher' | 'substituted'> & { substituted: number; lastName: string | null; firstName: string | null; middleName: string | null })[])
    .map(({ lastName, firstName, middleName, substituted, ...l }) => ({ ...l, substituted: !!substituted, teacher: lastName && firstName ? shortName({ lastName, firstName, middleName }) : null }));
  const ids = JSON.stringify(lessons.map((l) => l.id));
  const members = new Set(j.stmt(`SELECT gm.group_id || '|' || gm.student_id FROM group_member gm JOIN student s ON s.id = gm.student_id WHERE s.class_id = ?`).pluck().all(classId) as string[]);
  const marks = new Map<string, { value: string; column: string; workType: string; comment: string | null }[]>();
  for (const m of j.stmt(`SELECT m.lesson_id AS lessonId, m.student_id AS studentId, m.value, m.col AS "column", coalesce(m.work_type, l.work_type, 'lesson') AS workType, m.comment
      FROM json_each(?) w JOIN mark m ON m.lesson_id = w.value JOIN lesson l ON l.id = m.lesson_id ORDER BY w.key, m.student_id, m.col`).all(ids) as
      { lessonId: string; studentId: string; value: string; column: string; workType: string; comment: string | null }[]) {
    const key = `${m.lessonId}|${m.studentId}`;
    const list = marks.get(key) ?? [];
    list.push({ value: m.value, column: m.column, workType: m.workType, comment: m.comment });
    marks.set(key, list);
  }
  /** lesson|student → the reason, or '' when the class teacher has not given one yet. */
  const absences = new Map((j.stmt(`SELECT a.lesson_id || '|' || a.student_id AS k, coalesce(a.reason, '') AS reason FROM json_each(?) w JOIN attendance a ON a.lesson_id = w.value`)
    .all(ids) as { k: string; reason: string }[]).map((a) => [a.k, a.reason]));
  const homework = new Map((j.stmt(`SELECT ih.lesson_id || '|' || ih.student_id AS k, ih.text FROM json_each(?) w JOIN individual_homework ih ON ih.lesson_id = w.value`)
    .all(ids) as { k: string; text: string }[]).map((h) => [h.k, h.text]));
  return { lessons, members, marks, absences, homework };
}
