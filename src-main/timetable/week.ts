/**
 * A week of the timetable (`timetable.week`, п. 7.12, 9.3): the slots valid in the week for a
 * class, a teacher or a room, and the week's lessons of those courses with their changes — moves,
 * cancellations, extra lessons and substitutions.
 */
import type { LessonKind, LessonStatus, TimetableKind } from '../../src-shared/domain/school';
import { addDays, weekStart } from '../../src-shared/domain/values';
import type { TimetableWeek } from '../../src-shared/contract/timetable';
import { JournalError } from '../journal/errors';
import type { Journal } from '../journal/open';
import { shortName } from '../journal/queries';
import { classesOfGroup, coursesOfYear, yearAt } from '../journal/tables/structure';

const collator = new Intl.Collator('ru');

export function timetableWeek(j: Journal, q: { classId?: string | undefined; teacherId?: string | undefined; room?: string | undefined; week: string }, opts: { classIds?: readonly string[]; readOnly: boolean; staff: boolean }): TimetableWeek {
  if (q.classId !== undefined && !j.stmt('SELECT 1 FROM class WHERE id = ?').get(q.classId)) throw new JournalError('not_found', 'Класс не найден');
  if (q.teacherId !== undefined && !j.stmt('SELECT 1 FROM staff WHERE id = ?').get(q.teacherId)) throw new JournalError('not_found', 'Учитель не найден');
  const monday = weekStart(q.week);
  const days = [0, 1, 2, 3, 4, 5].map((d) => addDays(monday, d));
  const saturday = days[5]!;
  const year = yearAt(j, monday) ?? yearAt(j, saturday);
  const empty: TimetableWeek = { week: monday, days, bells: [], courses: [], slots: [], lessons: [], teachers: [], readOnly: opts.readOnly };
  if (!year) return empty;
  const bells = j.stmt('SELECT number, starts, ends FROM bell WHERE year_id = ? ORDER BY number').all(year.id) as TimetableWeek['bells'];
  const room = q.room?.trim().toLowerCase();
  const allSlots = j.stmt(`SELECT s.id, s.course_id AS courseId, s.weekday, s.number, s.room, s.valid_from AS validFrom, s.valid_to AS validTo, s.kind
    FROM slot s JOIN course c ON c.id = s.course_id WHERE c.year_id = ? AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to >= ?) ORDER BY s.weekday, s.number`)
    .all(year.id, saturday, monday) as (TimetableWeek['slots'][number] & { kind: TimetableKind })[];
  const roomCourses = room ? new Set(allSlots.filter((s) => s.room?.trim().toLowerCase() === room).map((s) => s.courseId)) : undefined;
  const scope = opts.classIds ? new Set(opts.classIds) : undefined;
  const courses = coursesOfYear(j, year.id).map((c) => ({ ...c, classIds: c.groupKind === 'class' && c.classId ? [c.classId] : classesOfGroup(j, c.groupId) }))
    .filter((c) => (q.classId === undefined || c.classIds.includes(q.classId))
      && (q.teacherId === undefined || c.teacherId === q.teacherId)
      && (!roomCourses || roomCourses.has(c.id))
      && (!scope || c.classIds.some((id) => scope.has(id))));
  const ids = new Set(courses.map((c) => c.id));
  const slots = allSlots.filter((s) => ids.has(s.courseId) && (!room || s.room?.trim().toLowerCase() === room));
  type Row = { id: string; courseId: string; date: string; number: number; kind: LessonKind; status: LessonStatus; movedFrom: string | null; note: string | null;
    subId: string | null; sl: string | null; sf: string | null; sm: string | null; reason: string | null };
  const lessons = (j.stmt(`SELECT l.id, l.course_id AS courseId, l.date, l.number, l.kind, l.status, l.moved_from AS movedFrom, l.note,
      s.teacher_id AS subId, st.last_name AS sl, st.first_name AS sf, st.middle_name AS sm, s.reason
    FROM lesson l JOIN course c ON c.id = l.course_id LEFT JOIN substitution s ON s.lesson_id = l.id LEFT JOIN staff st ON st.id = s.teacher_id
    WHERE c.year_id = ? AND l.date BETWEEN ? AND ? ORDER BY l.date, l.number`).all(year.id, monday, saturday) as Row[])
    .filter((l) => ids.has(l.courseId))
    .map(({ subId, sl, sf, sm, reason, ...l }) => ({ ...l, substitute: subId ? { teacherId: subId, name: sl && sf ? shortName({ lastName: sl, firstName: sf, middleName: sm }) : subId, reason } : null }));
  const teachers = opts.staff
    ? (j.stmt(`SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM staff WHERE "left" = 0`).all() as { id: string; lastName: string; firstName: string; middleName: string | null }[])
      .map((s) => ({ id: s.id, name: shortName(s) })).sort((a, b) => collator.compare(a.name, b.name))
    : [];
  return {
    ...empty, bells, slots, lessons, teachers,
    courses: courses.map((c) => ({
      id: c.id, subjectName: c.subjectName, subjectShort: shortOf(j, c.subjectId), groupId: c.groupId, groupName: c.groupName, classIds: c.classIds,
      teacherId: c.teacherId, teacherName: c.tl && c.tf ? shortName({ lastName: c.tl, firstName: c.tf, middleName: c.tm }) : null, hoursPerWeek: c.hoursPerWeek,
    })).sort((a, b) => collator.compare(a.groupName, b.groupName) || collator.compare(a.subjectName, b.subjectName)),
  };
}

function shortOf(j: Journal, subjectId: string): string {
  return (j.stmt('SELECT short FROM subject WHERE id = ?').pluck().get(subjectId) as string | undefined) ?? '';
}
