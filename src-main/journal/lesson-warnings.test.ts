/**
 * What the rules say about a lesson's page (views.ts `lessonWarnings`, `lesson.get`): thematic
 * control (R-WORKTYPE, п. 7.14) and the density of assessment (R-DENSITY, п. 7.14). Warnings only,
 * and none where the rule is satisfied — the ordinary lesson says nothing.
 */
import { describe, expect, it } from 'vitest';
import { submit, type CommandContext } from '../commands/execute';
import { dispatch } from '../contract/dispatch';
import { T, fixedClock, tinySchool } from '../../test/support/tiny-school';
import { draft } from './log';
import type { Journal } from './open';
import { lessonWarnings } from './views';

const [PETROV, VANUITO, YOLKINA] = T.students;
/** Six lessons of Russian in 5А, 1–6 October 2026, the first lesson of each day. */
const L = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6'] as const;
const dayOf = (i: number) => `2026-10-0${i + 1}`;
/** Noon in the school's zone (Asia/Yekaterinburg, UTC+5) of a date. */
const noon = (date: string) => Date.parse(`${date}T12:00:00+05:00`);

function school(): { j: Journal; admin: CommandContext } {
  const { j, admin } = tinySchool();
  // Only these six count: the tiny school's September lessons are cancelled.
  submit(admin, ...T.lessons.map((id) => draft('lesson.update', { id, status: 'cancelled' })),
    ...L.map((id, i) => draft('lesson.create', { id, courseId: T.course, date: dayOf(i), number: 1 })));
  return { j, admin };
}
const mark = (c: CommandContext, lessonId: string, studentIds: readonly string[]) =>
  submit(c, draft('mark.set', { lessonId, marks: studentIds.map((studentId) => ({ studentId, value: '4' })) }));
const absent = (c: CommandContext, lessonId: string, studentIds: readonly string[]) =>
  submit(c, draft('attendance.set', { lessonId, entries: studentIds.map((studentId) => ({ studentId, absent: true })) }));
const control = (c: CommandContext, lessonId: string) => submit(c, draft('lesson.update', { id: lessonId, workType: 'control' }));

describe('a lesson\'s warnings: the ordinary lesson says nothing', () => {
  it('no warning when every student is assessed within 3 lessons and everyone present has the control work\'s mark', () => {
    const { j, admin } = school();
    mark(admin, L[0], [PETROV, VANUITO]);
    mark(admin, L[1], [YOLKINA]);
    mark(admin, L[2], [PETROV]);
    control(admin, L[3]);
    absent(admin, L[3], [YOLKINA]);
    mark(admin, L[3], [PETROV, VANUITO]);
    mark(admin, L[4], [YOLKINA]);
    for (const [i, id] of L.entries()) expect(lessonWarnings(j, id, noon('2026-10-06')), `lesson ${i + 1}`).toEqual([]);
    expect(lessonWarnings(j, L[5], noon('2026-10-09'))).toEqual([]);
  });
});

describe('R-WORKTYPE: thematic control, a mark for every present student (п. 7.14)', () => {
  it('names the present students still without a mark once the lesson\'s study day is over; not the absent ones', () => {
    const { j, admin } = school();
    control(admin, L[1]);
    absent(admin, L[1], [YOLKINA]);
    mark(admin, L[1], [PETROV]);
    const w = lessonWarnings(j, L[1], noon('2026-10-03'));
    expect(w).toEqual([{
      level: 'warn', code: 'warn', requirement: 'R-WORKTYPE', clause: 'п. 7.14',
      message: '«Контрольная работа»: отметки выставляются всем присутствовавшим обучающимся; без отметки — 1 (Вануйто А. С.)',
    }]);
    mark(admin, L[1], [VANUITO]);
    expect(lessonWarnings(j, L[1], noon('2026-10-03'))).toEqual([]);
  });

  it('says nothing on the lesson\'s own day (the work is being marked), nor about an ordinary lesson or a cancelled one', () => {
    const { j, admin } = school();
    control(admin, L[1]);
    expect(lessonWarnings(j, L[1], noon(dayOf(1)))).toEqual([]);
    expect(lessonWarnings(j, L[0], noon('2026-10-03'))).toEqual([]);
    submit(admin, draft('lesson.update', { id: L[1], status: 'cancelled' }));
    expect(lessonWarnings(j, L[1], noon('2026-10-09'))).toEqual([]);
  });
});

describe('R-DENSITY: assessed at least once in 3–4 lessons (п. 7.14)', () => {
  it('names the students not assessed for 4 attended lessons in a row up to this lesson', () => {
    const { j, admin } = school();
    mark(admin, L[0], [PETROV, VANUITO, YOLKINA]);
    mark(admin, L[2], [VANUITO]);
    absent(admin, L[3], [YOLKINA]);
    // At lesson 5 (its day over): Петров 4 lessons without a mark (2–5); Ёлкина 3 attended (2, 3, 5), one missed.
    const w = lessonWarnings(j, L[4], noon('2026-10-06'));
    expect(w).toEqual([{
      level: 'warn', code: 'warn', requirement: 'R-DENSITY', clause: 'п. 7.14',
      message: 'Каждый обучающийся опрашивается не реже 1 раза в 3–4 урока; без отметки не меньше 4 уроков подряд: 1 (Петров П. И.)',
    }]);
    // A mark at the next lesson ends the run: its page says nothing.
    mark(admin, L[5], [PETROV, YOLKINA]);
    expect(lessonWarnings(j, L[5], noon('2026-10-07'))).toEqual([]);
  });

  it('today\'s lesson counts only when it brought a mark: no warning before the teacher had the chance', () => {
    const { j, admin } = school();
    mark(admin, L[0], [PETROV, VANUITO, YOLKINA]);
    mark(admin, L[1], [VANUITO, YOLKINA]);
    mark(admin, L[2], [VANUITO, YOLKINA]);
    // Петров: lessons 2 and 3 without a mark, lesson 4 is today.
    expect(lessonWarnings(j, L[3], noon(dayOf(3)))).toEqual([]);
    // The day is over and lesson 4 brought no mark: now it is 3, still within «3–4 lessons».
    expect(lessonWarnings(j, L[3], noon(dayOf(4)))).toEqual([]);
    // Lesson 5 today: a run of 3 before it is not yet a gap.
    expect(lessonWarnings(j, L[4], noon(dayOf(4)))).toEqual([]);
    expect(lessonWarnings(j, L[4], noon(dayOf(5))).map((w) => w.requirement)).toEqual(['R-DENSITY']);
  });

  it('leaves out a home-schooled student at a class lesson (п. 8.2) and cuts the names to the reader\'s scope', () => {
    const { j, admin } = school();
    submit(admin, draft('student.set', { id: YOLKINA, lastName: 'Ёлкина', firstName: 'Ольга', classId: T.cls, homeSchooling: true }));
    mark(admin, L[0], [PETROV, VANUITO, YOLKINA]);
    const after = noon('2026-10-09');
    expect(lessonWarnings(j, L[4], after).map((w) => w.message)).toEqual(['Каждый обучающийся опрашивается не реже 1 раза в 3–4 урока; без отметки не меньше 4 уроков подряд: 2 (Вануйто А. С., Петров П. И.)']);
    expect(lessonWarnings(j, L[4], after, (id) => id === VANUITO).map((w) => w.message)).toEqual(['Каждый обучающийся опрашивается не реже 1 раза в 3–4 урока; без отметки не меньше 4 уроков подряд: 1 (Вануйто А. С.)']);
  });
});

describe('lesson.get carries the warnings (the contract\'s LessonView)', () => {
  it('answers the teacher\'s lesson page with its warnings, checked against the contract', () => {
    const { j, admin } = school();
    control(admin, L[1]);
    mark(admin, L[1], [PETROV, VANUITO]);
    const r = dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock('2026-10-05T07:00:00Z'), checkOutput: true }, 'lesson.get', { lessonId: L[1] });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.value as { warnings: { requirement: string; message: string }[] }).warnings).toEqual([expect.objectContaining({ requirement: 'R-WORKTYPE', message: expect.stringContaining('(Ёлкина О.)') as string })]);
  });
});
