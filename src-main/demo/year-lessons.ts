/**
 * The lessons of the demo year from the timetable — the whole year, as the methodist's
 * `lessons.generate` makes them (methodist.ts checks that it does) — and the indexes the
 * day-by-day steps look them up in: by date, the next lesson of a course, the last one of a period.
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays, weekday } from '../../src-shared/domain/values';
import { generatedLessonId } from '../timetable/generate';
import { schemeOfGrade, type Period } from './calendar';
import type { Course } from './school';
import { lessonTime, type Lesson, type Year } from './year';

/** The id of the lesson of a course at a date and number. */
export type LessonIdOf = (date: LocalDate, k: Course, number: number) => string;

/**
 * Short ids (l1, l2 … in base 36, in the order lessons are first named): a lesson id is repeated in
 * every mark, op and index entry of a year, so its length is a measurable share of the file.
 */
export function lessonIds(): LessonIdOf {
  const ids = new Map<string, string>();
  return (date, k, number) => {
    const key = `${date}|${k.group.key}|${number}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = `l${(ids.size + 1).toString(36)}`;
      ids.set(key, id);
    }
    return id;
  };
}

/**
 * Every lesson of the timetable from the first school day to the last, day by day, in lesson order.
 * A regular lesson has the id `lessons.generate` gives it; a home-schooling lesson or a club
 * session, which the methodist enters by hand with its kind (the generator makes regular lessons),
 * a short one (`lessonId`). `order` keeps the order lessons of one date and number are held in.
 */
export function timetableLessons(year: Year, lessonId: LessonIdOf): Lesson[] {
  const { school, cal } = year;
  const lastDay = cal.ends;
  const slotsByDay: { course: Course; number: number }[][] = [[], [], [], [], []];
  for (const k of school.courses) for (const s of k.slots) slotsByDay[s.day]!.push({ course: k, number: s.number });
  for (const list of slotsByDay) list.sort((a, b) => a.number - b.number);
  const lessons: Lesson[] = [];
  for (let d = cal.starts; d <= lastDay; d = addDays(d, 1)) {
    const wd = weekday(d);
    if (wd > 5) continue;
    for (const { course, number } of slotsByDay[wd - 1]!) {
      if (!year.schoolDay(d, course.grade)) continue;
      const order = lessonId(d, course, number);
      const id = course.lessonKind === 'regular' ? generatedLessonId(course.id, d, number) : order;
      lessons.push({ id, order, course, date: d, number, origDate: d, origNumber: number, ...lessonTime(d, number), kind: course.lessonKind });
    }
  }
  return lessons;
}

/** In the order they are held: by date, number, order. */
export function sortLessons(lessons: Lesson[]): void {
  lessons.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number - b.number || (a.order < b.order ? -1 : 1)));
}

export interface LessonIndex {
  /** Every lesson of the year, in the order they are held. */
  all: readonly Lesson[];
  /** The lessons held on a date (a cancelled one too: it is skipped when held). */
  byDate: Map<LocalDate, Lesson[]>;
  /** A lesson's course's next lesson. */
  nextOf: Map<Lesson, Lesson>;
  /** The last lesson of a course in a period that has ended (R-ATTEST-TIMING). */
  lastInPeriod: Map<Lesson, Period>;
}

/** The indexes of the year's sorted lessons. */
export function indexLessons(year: Year, lessons: readonly Lesson[]): LessonIndex {
  const { cal, today } = year;
  // Per course: its lessons in order, the last one of each period (R-ATTEST-TIMING).
  const byCourse = new Map<Course, Lesson[]>();
  for (const l of lessons) if (!l.cancelled) byCourse.set(l.course, [...(byCourse.get(l.course) ?? []), l]);
  const nextOf = new Map<Lesson, Lesson>();
  const lastInPeriod = new Map<Lesson, Period>();
  for (const [k, list] of byCourse) {
    list.forEach((l, i) => { if (list[i + 1]) nextOf.set(l, list[i + 1]!); });
    if (k.unmarked || k.grade === 1) continue;
    const scheme = schemeOfGrade(k.grade);
    for (const p of cal.periods.filter((x) => x.scheme === scheme && x.ends < today)) {
      const inP = list.filter((l) => l.date >= p.starts && l.date <= p.ends && l.kind !== 'extracurricular');
      if (inP.length > 0) lastInPeriod.set(inP[inP.length - 1]!, p);
    }
  }
  const byDate = new Map<LocalDate, Lesson[]>();
  for (const l of lessons) byDate.set(l.date, [...(byDate.get(l.date) ?? []), l]);
  return { all: lessons, byDate, nextOf, lastInPeriod };
}
