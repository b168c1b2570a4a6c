/**
 * What the methodist enters in the demo year: on Friday the next week's lessons (the first week
 * before 1 September), a lesson's move two days ahead of it, a cancellation the day before, and
 * in the morning the substitutes of the day (п. 7.12).
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays } from '../../src-shared/domain/values';
import { draft } from '../journal/log';
import type { SpecialDays } from './special-days';
import { Writer } from './writer';
import type { LessonIndex } from './year-lessons';
import type { Lesson, Year } from './year';

/** The methodist's entries of day `d`, whose lessons are `todays`. */
export function methodistsDay(year: Year, index: LessonIndex, special: SpecialDays, d: LocalDate, todays: readonly Lesson[]): void {
  const { w } = year;
  const methodist = year.school.demo.methodist.accountId;
  // Friday: next week's lessons, a command per group.
  const toCreate = index.creation.get(d);
  if (toCreate) {
    const byGroup = new Map<string, Lesson[]>();
    for (const l of toCreate) byGroup.set(l.course.group.key, [...(byGroup.get(l.course.group.key) ?? []), l]);
    let n = 0;
    for (const list of byGroup.values()) {
      w.add(Writer.at(d, 14 * 60) + n++ * 40_000, methodist, list.map((l) => draft('lesson.create', {
        id: l.id, courseId: l.course.id, date: l.origDate, number: l.origNumber, ...(l.kind !== 'regular' ? { kind: l.kind } : {}),
      })));
    }
  }
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
