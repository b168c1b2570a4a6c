/**
 * What the people of the demo school remember from day to day while the year is lived: per course,
 * where its КТП has got to and each pupil's marks and absences of the period; who is ill; the
 * absences waiting for their reasons; literacy marks waiting for a Russian lesson.
 */
import type { AbsenceReason } from '../../src-shared/domain/school';
import type { LocalDate } from '../../src-shared/domain/values';
import type { Period } from './calendar';
import type { Course } from './school';

/** A pupil's period in a course: the weighted sum of marks, how many marks, lessons, missed and exempt lessons. */
export interface Stat { sum: number; weight: number; marks: number; lessons: number; missed: number; exemptLessons: number }

export const emptyStat = (): Stat => ({ sum: 0, weight: 0, marks: 0, lessons: 0, missed: 0, exemptLessons: 0 });

export interface CourseState {
  /** Lessons held so far: the next one follows КТП lesson `idx`. */
  idx: number;
  /** Per pupil: lessons attended since the last mark (R-DENSITY). */
  since: Map<string, number>;
  /** Per pupil: lessons missed in a row. */
  missRun: Map<string, number>;
  /** R-SOFT-WARN: pupils who have not attended a lesson of the course since the last holidays. */
  afterHoliday: Set<string>;
  prevDate?: LocalDate;
  period?: Period;
  stats: Map<string, Stat>;
  /** Per pupil: the period marks set so far, in order (the annual mark is their mean). */
  periodMarks: Map<string, string[]>;
  /** When the last mark of the course was entered (the period marks come after it). */
  lastMarkAt: number;
}

/** A pupil's day: ill (or away for a valid reason) all day, or leaving after a lesson. */
export interface DayStatus { sick: boolean; reason: AbsenceReason; leavesAfter?: number }

export interface YearState {
  courses: Map<Course, CourseState>;
  /** Pupils ill: the school days left and why. */
  sick: Map<string, { left: number; reason: AbsenceReason }>;
  /** Today's pupils who are not there all day (see `DayStatus`). */
  status: Map<string, DayStatus>;
  /** Per class, per lesson: the absences whose reasons the class teacher gives at the week's end. */
  reasons: Map<string, Map<string, { studentId: string; reason: AbsenceReason }[]>>;
  /** Per class: literacy marks of a senior literature essay, for the next Russian lesson (п. 7.15). */
  pendingLiteracy: Map<string, { studentId: string; value: string }[]>;
}

export function newYearState(): YearState {
  return { courses: new Map(), sick: new Map(), status: new Map(), reasons: new Map(), pendingLiteracy: new Map() };
}

export function courseState(state: YearState, k: Course): CourseState {
  let s = state.courses.get(k);
  if (!s) state.courses.set(k, (s = { idx: 0, since: new Map(), missRun: new Map(), afterHoliday: new Set(), stats: new Map(), periodMarks: new Map(), lastMarkAt: 0 }));
  return s;
}
