/**
 * What the methodist enters in the demo year: on 28 August, after the timetable, the lessons of
 * the whole year — the home-schooling lessons and club sessions by hand with their kind, then the
 * rest by `lessons.generate` (src-main/timetable); a lesson's move two days ahead of it, a
 * cancellation the day before, and in the morning the substitutes of the day (п. 7.12).
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays } from '../../src-shared/domain/values';
import { draft } from '../journal/log';
import { generateLessons } from '../timetable/generate';
import { ymd } from './calendar';
import type { SpecialDays } from './special-days';
import { Writer } from './writer';
import type { LessonIndex } from './year-lessons';
import { MIN, type Lesson, type Year } from './year';

/** The methodist's entries of day `d`, whose lessons are `todays`. */
export function methodistsDay(year: Year, index: LessonIndex, special: SpecialDays, d: LocalDate, todays: readonly Lesson[]): void {
  const { w } = year;
  const methodist = year.school.demo.methodist.accountId;
  if (d === ymd(year.Y, 8, 28)) enterTheYearsLessons(year, index, d, methodist);
  const { moved, cancelled } = special;
  if (moved && d === addDays(moved.origDate, -2)) {
    w.add(Writer.at(d, 11 * 60 + 10), methodist, [draft('lesson.move', { id: moved.id, date: moved.date, number: moved.number, reason: moved.moved!.reason })]);
  }
  if (cancelled && d === addDays(cancelled.date, -1)) {
    w.add(Writer.at(d, 16 * 60 + 5), methodist, [draft('lesson.update', { id: cancelled.id, status: 'cancelled' })]);
  }
  const subs = todays.filter((l) => l.substitute);
  if (subs.length > 0) {
    w.add(Writer.at(d, 7 * 60 + 40), methodist, subs.map((l) => draft('substitution.set', { lessonId: l.id, teacherId: l.substitute!.id, reason: 'Больничный лист учителя' })));
  }
}

/**
 * The year's lessons: the generator makes every lesson of a slot a regular one, so the lessons of
 * another kind (home schooling, п. 8.2; the club, п. 7.13) are entered first by hand, a command per
 * group — the generator then counts them as there. The generated lessons must be exactly the
 * demo's own (the days it lives): a difference is the demo's error, not the school's.
 */
function enterTheYearsLessons(year: Year, index: LessonIndex, d: LocalDate, methodist: string): void {
  const { w, cal } = year;
  const byGroup = new Map<string, Lesson[]>();
  const expected = new Set<string>();
  for (const l of index.all) {
    if (l.extra) continue;
    if (l.kind === 'regular') expected.add(l.id);
    else byGroup.set(l.course.group.key, [...(byGroup.get(l.course.group.key) ?? []), l]);
  }
  let n = 0;
  for (const list of byGroup.values()) {
    w.add(Writer.at(d, 14 * 60) + n++ * 40_000, methodist, list.map((l) => draft('lesson.create', {
      id: l.id, courseId: l.course.id, date: l.origDate, number: l.origNumber, kind: l.kind,
    })));
  }
  // Some minutes after the last of them, whatever their number.
  w.add(Writer.at(d, 14 * 60) + n * 40_000 + 10 * MIN, methodist, () => {
    const plan = generateLessons(w.journal, { from: cal.starts, to: cal.ends });
    const made = plan.drafts.filter((x) => x.kind === 'lesson.create').map((x) => (x.payload as { id: string }).id);
    const odd = made.filter((id) => !expected.has(id));
    if (odd.length > 0 || made.length !== expected.size || plan.removed > 0) {
      throw new Error(`Демо: расписание даёт не те уроки, что прожиты (${made.length} из ${expected.size}, лишних ${odd.length}, удаляемых ${plan.removed})`);
    }
    return plan.drafts;
  });
}
