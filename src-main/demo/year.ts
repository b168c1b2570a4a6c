/**
 * What every step of the demo year (life.ts) reads: the school, its calendar and КТП, "today",
 * the writer the steps record into, and the random streams — each step draws from its own stream,
 * in the order the year is lived, so that the same seed gives the same op log.
 */
import type { LessonKind, WorkType } from '../../src-shared/domain/school';
import type { LocalDate } from '../../src-shared/domain/values';
import { BELLS, isSchoolDay, minutesOf, type SchoolCalendar } from './calendar';
import type { Rng } from './prng';
import type { Course, School, SchoolClass, Staff, Student } from './school';
import type { CourseState } from './year-state';
import type { CoursePlan } from './setup';
import { Writer } from './writer';

export interface Year {
  readonly w: Writer;
  readonly school: School;
  readonly cal: SchoolCalendar;
  readonly plans: Map<string, CoursePlan>;
  readonly today: LocalDate;
  /** The calendar year the school year starts in. */
  readonly Y: number;
  /** The random streams: the timetable's special days, absences, marks, the moments of entries, texts. */
  readonly rng: { readonly sched: Rng; readonly abs: Rng; readonly marks: Rng; readonly time: Rng; readonly text: Rng };
  readonly staffById: ReadonlyMap<string, Staff>;
  readonly classById: ReadonlyMap<string, SchoolClass>;
  /** A school day for the grade (remembered: asked for every pupil every day). */
  schoolDay(date: LocalDate, grade: number): boolean;
}

export function newYear(w: Writer, school: School, cal: SchoolCalendar, plans: Map<string, CoursePlan>, today: LocalDate, rng: Rng): Year {
  const schoolDayCache = new Map<string, boolean>();
  return {
    w, school, cal, plans, today,
    Y: cal.startYear,
    rng: { sched: rng.fork('schedule'), abs: rng.fork('absences'), marks: rng.fork('marks'), time: rng.fork('times'), text: rng.fork('texts') },
    staffById: new Map(school.staff.map((s) => [s.id, s])),
    classById: new Map(school.classes.map((c) => [c.id, c])),
    schoolDay: (date, grade) => {
      const key = `${date}:${grade}`;
      let v = schoolDayCache.get(key);
      if (v === undefined) schoolDayCache.set(key, (v = isSchoolDay(cal, date, grade)));
      return v;
    },
  };
}

/** The course's own teacher. */
export const teacherOf = (year: Year, k: Course): Staff => year.staffById.get(k.teacherId)!;

/** A minute in ms. */
export const MIN = 60_000;

const BELL = new Map(BELLS.map((b) => [b.number, { start: minutesOf(b.starts), end: minutesOf(b.ends) }]));

/** When lesson `number` of `date` starts and ends (ms). */
export const lessonTime = (date: LocalDate, number: number) => ({ start: Writer.at(date, BELL.get(number)!.start), end: Writer.at(date, BELL.get(number)!.end) });

export interface Lesson {
  id: string;
  /** Holds lessons of one date and number in a fixed order (the short id the demo named it by first). */
  order: string;
  course: Course;
  date: LocalDate;
  number: number;
  /** Where the timetable had it (differs after lesson.move). */
  origDate: LocalDate;
  origNumber: number;
  start: number;
  end: number;
  kind: LessonKind;
  cancelled?: boolean;
  moved?: { reason: string };
  substitute?: Staff;
  /** Created by the teacher (п. 8.3), not by the methodist. */
  extra?: { form: string; orderNo: string };
}

/** A lesson being held (not an extracurricular one): what its steps — attendance, marks, the record, period marks — share. */
export interface HeldLesson {
  l: Lesson;
  k: Course;
  cs: CourseState;
  /** Who enters it: the substitute, or the course's teacher. */
  author: string;
  grade: number;
  /** Held at a distance (the distance day; home-schooling lessons stay on their own page, п. 8.2). */
  distance: boolean;
  pe: boolean;
  /** Exempt from this PE lesson. */
  exempt(s: Student): boolean;
  /** The work of the lesson from the КТП (none on a distance day). */
  workType: WorkType | undefined;
}
