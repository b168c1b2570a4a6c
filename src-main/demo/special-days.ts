/**
 * The special days of the demo year, chosen before it is lived, each on a day of its own: a
 * distance-learning «актированный день» (п. 8.1), a teacher off sick for two days with substitutes
 * (п. 7.12), a lesson moved to another day (lesson.move), and a lesson that could not be held
 * by the timetable, held a few days later as an extracurricular one (п. 8.3). The lessons are
 * changed in place; the extracurricular one is added to them.
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays, weekday } from '../../src-shared/domain/values';
import { ru, ymd } from './calendar';
import { dayBounds } from './curriculum';
import type { Staff } from './school';
import type { LessonIdOf } from './year-lessons';
import { lessonTime, teacherOf, type Lesson, type Year } from './year';

export interface SpecialDays {
  distanceDay?: LocalDate;
  /** The order of the distance day: «N-о от DD.MM.YYYY». */
  distanceOrder: string;
  /** The two days of the substitutions (empty without a teacher to be off). */
  substitutionDays: LocalDate[];
  absentTeacher?: Staff;
  moved?: Lesson;
  cancelled?: Lesson;
  extra?: Lesson;
}

/** Days already given to a special event, and the search for a free one. */
interface Days {
  /** The last day an event may fall on: yesterday. */
  lastAllowed: LocalDate;
  used: Set<LocalDate>;
  /** A school day for every grade. */
  allSchool(d: LocalDate): boolean;
  /** The first free day from one of `targets` (tried in order, three weeks from each) that `ok` accepts; taken. */
  find(targets: LocalDate[], ok: (d: LocalDate) => boolean): LocalDate | undefined;
}

function days(year: Year): Days {
  const lastAllowed = addDays(year.today, -1);
  const used = new Set<LocalDate>();
  const allSchool = (d: LocalDate) => year.schoolDay(d, 1) && year.schoolDay(d, 11);
  const find = (targets: LocalDate[], ok: (d: LocalDate) => boolean): LocalDate | undefined => {
    for (const t of targets) {
      for (let d = t, i = 0; i < 21 && d <= lastAllowed; d = addDays(d, 1), i++) {
        if (d >= ymd(year.Y, 9, 16) && allSchool(d) && !used.has(d) && ok(d)) {
          used.add(d);
          return d;
        }
      }
    }
    return undefined;
  };
  return { lastAllowed, used, allSchool, find };
}

/** Chooses the special days in this order (it is the order of their random draws), changing `lessons`. */
export function planSpecialDays(year: Year, lessons: Lesson[], lessonId: LessonIdOf): SpecialDays {
  const free = days(year);
  const { distanceDay, distanceOrder } = chooseDistanceDay(year, free);
  // Teachers busy at each weekday and lesson number ("teacherId:day:number").
  const busy = new Set<string>();
  for (const k of year.school.courses) for (const s of k.slots) busy.add(`${k.teacherId}:${s.day}:${s.number}`);
  const { substitutionDays, absentTeacher } = substituteASickTeacher(year, free, lessons, busy);
  const moved = moveALesson(year, free, lessons, busy, absentTeacher);
  const { cancelled, extra } = holdALessonAsExtracurricular(year, free, lessons, busy, moved, lessonId);
  return {
    ...(distanceDay ? { distanceDay } : {}), distanceOrder, substitutionDays,
    ...(absentTeacher ? { absentTeacher } : {}), ...(moved ? { moved } : {}), ...(cancelled ? { cancelled } : {}), ...(extra ? { extra } : {}),
  };
}

/** A frosty Tuesday, Wednesday or Thursday: the whole school learns at a distance (п. 8.1), by an order. */
function chooseDistanceDay(year: Year, free: Days): { distanceDay?: LocalDate; distanceOrder: string } {
  const { Y } = year;
  const distanceDay = free.find([ymd(Y + 1, 1, 20), ymd(Y, 11, 18), ymd(Y, 10, 14), ymd(Y, 9, 23)], (d) => [2, 3, 4].includes(weekday(d)));
  const distanceOrder = `${year.rng.sched.int(3, 9)}-о от ${distanceDay ? ru(distanceDay) : ''}`;
  return { ...(distanceDay ? { distanceDay } : {}), distanceOrder };
}

/** A teacher off sick for two days; the methodist finds substitutes free at each lesson. */
function substituteASickTeacher(year: Year, free: Days, lessons: readonly Lesson[], busy: Set<string>): { substitutionDays: LocalDate[]; absentTeacher?: Staff } {
  const { Y, school } = year;
  const subjectTeachers = school.staff.filter((s) => s.spec && s.spec !== 'primary' && s !== school.demo.teacher);
  const absentTeacher = subjectTeachers.find((s) => s.spec === 'foreign') ?? subjectTeachers[0];
  const subDay1 = free.find([ymd(Y, 11, 17), ymd(Y, 10, 6), ymd(Y, 9, 22)], (d) => weekday(d) <= 4 && free.allSchool(addDays(d, 1)) && addDays(d, 1) <= free.lastAllowed && !free.used.has(addDays(d, 1)));
  const substitutionDays = subDay1 ? [subDay1, addDays(subDay1, 1)] : [];
  for (const d of substitutionDays) free.used.add(d);
  if (!absentTeacher) return { substitutionDays };
  for (const l of lessons) {
    if (!substitutionDays.includes(l.date) || l.course.teacherId !== absentTeacher.id) continue;
    const day = weekday(l.date) - 1;
    const candidates = subjectTeachers.filter((s) => s !== absentTeacher && !busy.has(`${s.id}:${day}:${l.number}`));
    const same = candidates.filter((s) => s.spec === absentTeacher.spec);
    const sub = same[0] ?? candidates[year.rng.sched.int(0, Math.max(0, candidates.length - 1))];
    if (sub) {
      l.substitute = sub;
      busy.add(`${sub.id}:${day}:${l.number}`);
    }
  }
  return { substitutionDays, absentTeacher };
}

/** A lesson of grades 5–9 moved from Thursday to the end of Friday (lesson.move, п. 7.12). */
function moveALesson(year: Year, free: Days, lessons: readonly Lesson[], busy: Set<string>, absentTeacher: Staff | undefined): Lesson | undefined {
  const { Y } = year;
  let moved: Lesson | undefined;
  const tryMove = (thursday: LocalDate): boolean => {
    const friday = addDays(thursday, 1);
    if (weekday(thursday) !== 4 || !free.allSchool(friday) || friday > free.lastAllowed || free.used.has(friday)) return false;
    for (const l of lessons) {
      const cls = l.course.group.classId ? year.classById.get(l.course.group.classId) : undefined;
      if (l.date !== thursday || !cls || l.course.group.kind !== 'class' || cls.grade < 5 || cls.grade > 9) continue;
      const t = teacherOf(year, l.course);
      if (t === year.school.demo.teacher || t === absentTeacher) continue;
      const n = lessons.filter((x) => x.date === friday && x.course.group.id === cls.groupId).length + 1;
      if (n > dayBounds(cls.grade).max || busy.has(`${t.id}:4:${n}`)) continue;
      moved = l;
      l.date = friday;
      l.number = n;
      Object.assign(l, lessonTime(friday, n));
      l.moved = { reason: `Перенос урока: учитель на районном методическом объединении (приказ № ${year.rng.sched.int(100, 180)}-о)` };
      busy.add(`${t.id}:4:${n}`);
      free.used.add(friday);
      return true;
    }
    return false;
  };
  free.find([ymd(Y, 10, 22), ymd(Y, 10, 1), ymd(Y, 9, 17)], tryMove);
  return moved;
}

/** A geography or history lesson of grades 6–8 cancelled, held a few days later as a museum excursion (п. 8.3). */
function holdALessonAsExtracurricular(year: Year, free: Days, lessons: Lesson[], busy: Set<string>, moved: Lesson | undefined, lessonId: LessonIdOf): { cancelled?: Lesson; extra?: Lesson } {
  const { Y } = year;
  let cancelled: Lesson | undefined;
  let extra: Lesson | undefined;
  const tryCancel = (day: LocalDate): boolean => {
    for (const l of lessons) {
      const cls = l.course.group.classId ? year.classById.get(l.course.group.classId) : undefined;
      if (l.date !== day || !cls || l.course.group.kind !== 'class' || cls.grade < 6 || cls.grade > 8) continue;
      if (!['geography', 'history'].includes(l.course.subjectId) || l.substitute || l === moved) continue;
      const t = teacherOf(year, l.course);
      let target: LocalDate | undefined;
      for (let d = addDays(day, 1), i = 0; i < 10 && d <= free.lastAllowed; d = addDays(d, 1), i++) {
        if ([1, 3, 5].includes(weekday(d)) && free.allSchool(d) && !free.used.has(d) && !busy.has(`${t.id}:${weekday(d) - 1}:8`)) { target = d; break; }
      }
      if (!target) continue;
      free.used.add(target);
      cancelled = l;
      l.cancelled = true;
      const orderNo = `${year.rng.sched.int(190, 240)}-о от ${ru(addDays(day, -1))}`;
      const id = lessonId(target, l.course, 8);
      extra = { id, order: id, course: l.course, date: target, number: 8, origDate: target, origNumber: 8, ...lessonTime(target, 8), kind: 'extracurricular', extra: { form: 'экскурсия в краеведческий музей', orderNo } };
      lessons.push(extra);
      return true;
    }
    return false;
  };
  free.find([ymd(Y, 10, 8), ymd(Y, 9, 24), ymd(Y, 9, 17)], tryCancel);
  return { ...(cancelled ? { cancelled } : {}), ...(extra ? { extra } : {}) };
}
