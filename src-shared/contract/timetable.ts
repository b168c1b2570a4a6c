/**
 * The timetable and the lessons ahead (R-SETUP, R-SUBST; п. 7.12, 9.3): the methodist's slots,
 * lessons generated from them, moves, cancellations, extra lessons and substitutions.
 *
 * A method that is exactly one op has the op's name and the op's own schema as input (as in
 * admin.ts); cancelling a lesson is `lesson.update` with a status (journal methods).
 */
import { z } from 'zod';
import { payloads } from '../ops/kinds';
import { LocalDate } from '../ops/dates';
import { LESSON_KINDS, LESSON_STATUSES, MARK_COLUMNS, TIMETABLE_KINDS } from '../domain/school';
import { ChangeResult, Notice } from './common';

const str = z.string();
const nstr = z.string().nullable();
const int = z.number().int();

const CourseRef = z.object({
  id: str, subjectName: str, subjectShort: str, groupId: str, groupName: str, classIds: z.array(str), teacherId: nstr, teacherName: nstr, hoursPerWeek: z.number(),
});

/** A week of the timetable: the slots valid in it and the lessons of the week with their changes. */
export const TimetableWeek = z.object({
  /** Monday of the week; `days` Monday … Saturday. */
  week: str,
  days: z.array(str),
  bells: z.array(z.object({ number: int, starts: str, ends: str })),
  /** The courses the asked class, teacher or room has (the picker of a cell). */
  courses: z.array(CourseRef),
  slots: z.array(z.object({
    id: str, courseId: str, weekday: int, number: int, room: nstr, validFrom: str, validTo: nstr, kind: z.enum(TIMETABLE_KINDS),
  })),
  lessons: z.array(z.object({
    id: str, courseId: str, date: str, number: int, kind: z.enum(LESSON_KINDS), status: z.enum(LESSON_STATUSES), movedFrom: nstr, note: nstr,
    substitute: z.object({ teacherId: str, name: str, reason: nstr }).nullable(),
  })),
  /** Teachers to pick a substitute from (staff only; empty for a family). */
  teachers: z.array(z.object({ id: str, name: str })),
  /** The scope's hint for the UI: every change is authorized again as an op. */
  readOnly: z.boolean(),
});
export type TimetableWeek = z.infer<typeof TimetableWeek>;

export const GenerateQuery = z.strictObject({ from: LocalDate, to: LocalDate, classId: str.optional() })
  .refine((q) => q.from <= q.to, 'начало периода должно быть не позже его конца')
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, 'уроки формируются не более чем на учебный год вперёд');

export const GenerateResult = z.object({
  created: int, removed: int,
  /** Lessons the timetable no longer has that stay in the journal, each with why (п. 7.12, 9.3). */
  kept: z.array(z.object({ lessonId: str, date: str, number: int, what: str, why: str })),
  ops: int,
  warnings: z.array(Notice),
});
export type GenerateResult = z.infer<typeof GenerateResult>;

/** The lessons the signed-in teacher substitutes (R-SUBST, п. 7.12): the pages of the absent teacher opened to them. */
export const SubstitutionList = z.object({
  lessons: z.array(z.object({
    lessonId: str, courseId: str, date: str, number: int, kind: z.enum(LESSON_KINDS), status: z.enum(LESSON_STATUSES),
    subjectName: str, groupName: str, teacherName: nstr, reason: nstr, topic: nstr,
    students: z.array(z.object({ id: str, name: str })),
    marks: z.array(z.object({ studentId: str, column: z.enum(MARK_COLUMNS), value: str })),
    absent: z.array(str),
  })),
});
export type SubstitutionList = z.infer<typeof SubstitutionList>;

const op = <K extends keyof typeof payloads>(k: K) => ({ input: payloads[k], output: ChangeResult });

export const timetableMethods = {
  // the methodist's timetable (п. 7.12, 9.3)
  'timetable.week': { input: z.strictObject({ classId: str.optional(), teacherId: str.optional(), room: str.optional(), week: LocalDate }), output: TimetableWeek },
  'slot.set': op('slot.set'),
  'slot.remove': op('slot.remove'),
  /** The lessons the slots give for a period: missing ones created, untouched ones no longer in the timetable removed — one command. */
  'lessons.generate': { input: GenerateQuery, output: GenerateResult },
  // changes of a day (п. 7.12, 7.13, 9.3): an extra lesson, a move, a substitution
  'lesson.create': op('lesson.create'),
  'lesson.move': op('lesson.move'),
  'substitution.set': op('substitution.set'),
  'substitution.remove': op('substitution.remove'),
  // the substitute's side (R-SUBST)
  'substitutions.mine': { input: z.strictObject({}), output: SubstitutionList },
} as const;
