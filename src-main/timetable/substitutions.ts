/**
 * R-SUBST (п. 7.12): the lessons a teacher substitutes, from the moment each substitution was
 * recorded — the pages of the absent teacher that are opened to them, with the pupils of the
 * lesson and what is already marked. Nothing of the course beyond those lessons.
 */
import type { LessonKind, LessonStatus, MarkColumn } from '../../src-shared/domain/school';
import type { SubstitutionList } from '../../src-shared/contract/timetable';
import type { Journal } from '../journal/open';
import { lessonTopicSql } from '../journal/lesson-topic';
import { groupStudents, shortName } from '../journal/queries';

type Person = { lastName: string; firstName: string; middleName: string | null };
const fio = (p: Person) => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');

export function substitutionsOf(j: Journal, accountId: string, nowIso: string): SubstitutionList {
  const staffId = j.stmt("SELECT person_id FROM account WHERE id = ? AND person_kind = 'staff'").pluck().get(accountId) as string | undefined;
  if (!staffId) return { lessons: [] };
  type Row = { lessonId: string; courseId: string; groupId: string; date: string; number: number; kind: LessonKind; status: LessonStatus; subjectName: string; groupName: string;
    tl: string | null; tf: string | null; tm: string | null; reason: string | null; topic: string | null };
  const rows = j.stmt(`SELECT l.id AS lessonId, l.course_id AS courseId, c.group_id AS groupId, l.date, l.number, l.kind, l.status, sub.name AS subjectName, g.name AS groupName,
      st.last_name AS tl, st.first_name AS tf, st.middle_name AS tm, s.reason, ${lessonTopicSql('l')} AS topic
    FROM substitution s JOIN lesson l ON l.id = s.lesson_id JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
    JOIN subject sub ON sub.id = c.subject_id LEFT JOIN staff st ON st.id = c.teacher_id
    WHERE s.teacher_id = ? AND s.recorded_at <= ? ORDER BY l.date DESC, l.number`).all(staffId, nowIso) as Row[];
  return {
    lessons: rows.map(({ tl, tf, tm, groupId, ...r }) => ({
      ...r,
      teacherName: tl && tf ? shortName({ lastName: tl, firstName: tf, middleName: tm }) : null,
      students: groupStudents(j, groupId).map((p) => ({ id: p.id, name: fio(p) })),
      marks: (j.stmt('SELECT student_id AS studentId, col AS "column", value FROM mark WHERE lesson_id = ?').all(r.lessonId) as { studentId: string; column: MarkColumn; value: string }[]),
      absent: j.stmt('SELECT student_id FROM attendance WHERE lesson_id = ?').pluck().all(r.lessonId) as string[],
    })),
  };
}
