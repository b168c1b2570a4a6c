/**
 * The school year day by day, as the people of the demo school would have entered it: the
 * methodist forms the whole year's lessons from the timetable on 28 August (those after today stay
 * planned); at each lesson the teacher marks who is
 * absent, gives current marks, records the topic from the КТП and the homework; written works are
 * marked in the evening (creative works a few days later, п. 7.14 / R-DATE); on the last school day
 * of the week the class teacher gives the absences their reasons; at the end of a period the
 * subject teacher sets the period marks. And the special days: a distance-learning «актированный
 * день», a substitution, a moved lesson, a lesson held as an extracurricular one.
 *
 * The year is lived in steps, each a function of its own file, given what it reads (`Year`) and
 * what it changes (`YearState`) explicitly: the lessons of the year (year-lessons.ts) and its
 * special days (special-days.ts) are planned first; then each day the methodist's entries
 * (methodist.ts), the absences of the day (absences.ts), its lessons (hold-lesson.ts: attendance,
 * marks, the record, period marks), the absences' reasons and what people say (communication.ts).
 * Every step draws from its own random stream in the order the year is lived: the same seed and
 * "today" give the same op log.
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays } from '../../src-shared/domain/values';
import { dayStatuses, giveAbsenceReasons } from './absences';
import { ymd, type SchoolCalendar } from './calendar';
import { announceDistanceDay, communicate } from './communication';
import { holdLesson } from './hold-lesson';
import { methodistsDay } from './methodist';
import type { Rng } from './prng';
import type { School } from './school';
import type { CoursePlan } from './setup';
import { planSpecialDays } from './special-days';
import type { Writer } from './writer';
import { indexLessons, lessonIds, sortLessons, timetableLessons } from './year-lessons';
import { newYearState } from './year-state';
import { newYear } from './year';

export interface LifeResult { distanceDay?: LocalDate; substitutionDays: LocalDate[]; movedLessonId?: string; extraLessonId?: string; cancelledLessonId?: string }

export function liveTheYear(w: Writer, school: School, cal: SchoolCalendar, plans: Map<string, CoursePlan>, today: LocalDate, rng: Rng,
  onProgress?: (done: number, total: number) => void): LifeResult {
  const year = newYear(w, school, cal, plans, today, rng);

  // The lessons of the year, from the timetable, with its special days.
  const lessonId = lessonIds();
  const lessons = timetableLessons(year, lessonId);
  const special = planSpecialDays(year, lessons, lessonId);
  sortLessons(lessons);
  const index = indexLessons(year, lessons);

  // The year, day by day.
  const state = newYearState();
  const first = ymd(year.Y, 8, 25);
  const stop = today < addDays(cal.ends, 14) ? today : addDays(cal.ends, 14);
  const totalDays = Math.max(1, Math.round((Date.parse(`${stop}T12:00:00Z`) - Date.parse(`${first}T12:00:00Z`)) / 86_400_000) + 1);
  let done = 0;
  for (let d = first; d <= stop; d = addDays(d, 1)) {
    w.begin(d);
    const todays = index.byDate.get(d) ?? [];
    methodistsDay(year, index, special, d, todays);
    if (todays.length > 0) {
      announceDistanceDay(year, special, d);
      dayStatuses(year, state, d);
      for (const l of todays) holdLesson(year, index, special, state, l);
      giveAbsenceReasons(year, state, d);
    }
    communicate(year, d);
    w.flush();
    onProgress?.(++done, totalDays);
  }

  const { distanceDay, absentTeacher, moved, extra, cancelled } = special;
  return {
    ...(distanceDay ? { distanceDay } : {}),
    substitutionDays: absentTeacher ? special.substitutionDays : [],
    ...(moved ? { movedLessonId: moved.id } : {}),
    ...(extra ? { extraLessonId: extra.id } : {}),
    ...(cancelled ? { cancelledLessonId: cancelled.id } : {}),
  };
}
