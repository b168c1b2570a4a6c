import { describe, expect, it } from 'vitest';
import { checkLessonRemoval, checkSlotClash, diffLessons, isSchoolDay, planLessons, type ExistingLesson, type LessonEntries, type PlanCourse, type RuleSlot, type SlotParty } from './timetable';

const math6a: SlotParty = { teacherId: 't-iv', teacherName: 'Иванова М. П.', groupId: 'g6a', groupName: '6А', wholeClass: true, classIds: ['c6a'], subjectName: 'Математика' };
const rus6b: SlotParty = { teacherId: 't-pe', teacherName: 'Петрова А. А.', groupId: 'g6b', groupName: '6Б', wholeClass: true, classIds: ['c6b'], subjectName: 'Русский язык' };
const eng6a1: SlotParty = { teacherId: 't-en1', teacherName: 'Окотэтто Е. В.', groupId: 'g6a-en1', groupName: '6А англ. 1', wholeClass: false, classIds: ['c6a'], subjectName: 'Английский язык' };
const eng6a2: SlotParty = { teacherId: 't-en2', teacherName: 'Сэротэтто Л. И.', groupId: 'g6a-en2', groupName: '6А англ. 2', wholeClass: false, classIds: ['c6a'], subjectName: 'Английский язык' };
const slot = (id: string, over: Partial<RuleSlot> = {}): RuleSlot => ({ id, courseId: `k-${id}`, weekday: 3, number: 3, validFrom: '2026-09-01', ...over });

describe('R-SETUP: slot clashes (п. 7.12, 9.3)', () => {
  it('refuses one teacher in two classes at the same weekday and number, naming the clash (п. 7.12, 9.3)', () => {
    const v = checkSlotClash(slot('new'), { ...rus6b, teacherId: 't-iv', teacherName: 'Иванова М. П.' }, [{ slot: slot('s1'), party: math6a }]);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-SETUP', clause: 'п. 7.12, 9.3', message: 'Учитель Иванова М. П. в среду 3-м уроком уже ведёт 6А (Математика)' });
  });

  it('refuses one room for two groups (п. 7.12, 9.3)', () => {
    const v = checkSlotClash(slot('new', { room: '12' }), rus6b, [{ slot: slot('s1', { room: ' 12 ' }), party: math6a }]);
    expect(v.findings[0]?.message).toBe('Кабинет 12 в среду 3-м уроком уже занят: 6А (Математика), Иванова М. П.');
  });

  it('refuses a class at two lessons at once, also a whole class against its subgroup (п. 7.12, 9.3)', () => {
    expect(checkSlotClash(slot('new'), { ...math6a, teacherId: 't-x', subjectName: 'История' }, [{ slot: slot('s1'), party: math6a }]).findings[0]?.message)
      .toBe('У 6А в среду 3-м уроком уже Математика (Иванова М. П.)');
    expect(checkSlotClash(slot('new'), eng6a1, [{ slot: slot('s1'), party: math6a }]).level).toBe('refuse');
  });

  it('lets two subgroups of one class have their lessons at the same time', () => {
    expect(checkSlotClash(slot('new'), eng6a1, [{ slot: slot('s1'), party: eng6a2 }]).level).toBe('ok');
  });

  it('is no clash on another weekday, another number, or validity that does not overlap', () => {
    const busy = [{ slot: slot('s1', { validTo: '2026-12-31' }), party: math6a }];
    expect(checkSlotClash(slot('new', { weekday: 4 }), math6a, busy).level).toBe('ok');
    expect(checkSlotClash(slot('new', { number: 4 }), math6a, busy).level).toBe('ok');
    expect(checkSlotClash(slot('new', { validFrom: '2027-01-01' }), math6a, busy).level).toBe('ok');
    // The first day of one is the last of the other: they overlap by that day.
    expect(checkSlotClash(slot('new', { validFrom: '2026-12-31' }), math6a, busy).level).toBe('refuse');
  });

  it('does not clash with itself when a slot is edited', () => {
    expect(checkSlotClash(slot('s1', { room: '12' }), math6a, [{ slot: slot('s1'), party: math6a }]).level).toBe('ok');
  });
});

const year: PlanCourse = { grade: 6, periods: [{ starts: '2026-09-01', ends: '2026-11-29' }, { starts: '2026-12-01', ends: '2027-05-31' }] };
const courses = new Map([['k-math', year], ['k-rus', year], ['k-1', { ...year, grade: 1 }]]);
const holidays = [
  { starts: '2026-10-26', ends: '2026-11-03' },
  { starts: '2027-02-08', ends: '2027-02-14', grades: [1] },
];

describe('R-SETUP: the lessons a timetable gives (п. 7.12, 9.3)', () => {
  it('gives 4 lessons a week for 4 slots and 3 for 3 (п. 9.3)', () => {
    const four = [1, 2, 4, 5].map((wd) => slot(`m${wd}`, { courseId: 'k-math', weekday: wd, number: 2 }));
    const three = [1, 3, 5].map((wd) => slot(`r${wd}`, { courseId: 'k-rus', weekday: wd, number: 1 }));
    const plan = planLessons({ slots: [...four, ...three], courses, holidays, from: '2026-09-07', to: '2026-09-13' });
    expect(plan.filter((p) => p.courseId === 'k-math')).toHaveLength(4);
    expect(plan.filter((p) => p.courseId === 'k-rus')).toHaveLength(3);
    expect(plan[0]).toEqual({ courseId: 'k-rus', date: '2026-09-07', number: 1, slotId: 'r1' });
    expect(plan.map((p) => p.date)).toEqual([...plan.map((p) => p.date)].sort());
  });

  it('skips the holidays, and grade-limited holidays only for that grade (п. 7.12)', () => {
    const mondays = (courseId: string) => planLessons({ slots: [slot('x', { courseId, weekday: 1, number: 1 })], courses, holidays, from: '2026-10-19', to: '2026-11-09' }).map((p) => p.date);
    expect(mondays('k-math')).toEqual(['2026-10-19', '2026-11-09']);
    const feb = (courseId: string) => planLessons({ slots: [slot('x', { courseId, weekday: 2, number: 1 })], courses, holidays, from: '2027-02-08', to: '2027-02-14' }).length;
    expect(feb('k-math')).toBe(1);
    expect(feb('k-1')).toBe(0);
  });

  it('keeps to the study periods, the slot’s validity and Monday to Saturday', () => {
    const plan = planLessons({
      slots: [slot('mon', { courseId: 'k-math', weekday: 1, number: 1, validTo: '2026-12-06' }), slot('sat', { courseId: 'k-math', weekday: 6, number: 1, validFrom: '2026-12-05' }), slot('sun', { courseId: 'k-math', weekday: 7, number: 1 })],
      courses, holidays, from: '2026-11-28', to: '2026-12-14',
    });
    // 30 November is between two periods; the Monday slot ends 6 December; Saturday begins 5 December.
    expect(plan.map((p) => `${p.slotId} ${p.date}`)).toEqual(['sat 2026-12-05', 'sat 2026-12-12']);
    expect(isSchoolDay('2026-11-30', year, [])).toBe(false);
  });

  it('makes one lesson when two slots of a course say the same time', () => {
    expect(planLessons({ slots: [slot('a', { courseId: 'k-math', weekday: 1 }), slot('b', { courseId: 'k-math', weekday: 1 })], courses, holidays: [], from: '2026-09-07', to: '2026-09-07' })).toHaveLength(1);
  });
});

const none: LessonEntries = { marks: false, attendance: false, topic: false, homework: false, individualHomework: false, substitution: false };
const lesson = (id: string, date: string, over: Partial<ExistingLesson> = {}): ExistingLesson => ({
  id, courseId: 'k-math', date, number: 2, status: 'planned', kind: 'regular', movedFrom: null, generated: true, entries: none, ...over,
});

describe('R-SETUP: lessons against the timetable (п. 7.12, 9.3)', () => {
  const plan = planLessons({ slots: [slot('m', { courseId: 'k-math', weekday: 1, number: 2 })], courses, holidays: [], from: '2026-09-07', to: '2026-09-20' });

  it('creates what is missing and nothing that exists', () => {
    const d = diffLessons(plan, [lesson('a', '2026-09-07')]);
    expect(d.create.map((p) => p.date)).toEqual(['2026-09-14']);
    expect(d.remove).toEqual([]);
    expect(diffLessons(plan, [lesson('a', '2026-09-07'), lesson('b', '2026-09-14')]).create).toEqual([]);
  });

  it('removes an untouched planned lesson the timetable no longer has', () => {
    const d = diffLessons(plan, [lesson('a', '2026-09-07'), lesson('b', '2026-09-14'), lesson('c', '2026-09-15')]);
    expect(d.remove.map((l) => l.id)).toEqual(['c']);
  });

  it('never removes a held lesson (п. 7.12, 9.3)', () => {
    const d = diffLessons(plan, [lesson('h', '2026-09-16', { status: 'held' })]);
    expect(d.remove).toEqual([]);
    expect(d.kept[0]?.why).toBe('Урок 16.09.2026 уже проведён: проведённый урок из журнала не удаляется (п. 7.12, 9.3)');
  });

  it('keeps a lesson with marks, and says which entries it has (п. 7.12, 9.3)', () => {
    const d = diffLessons(plan, [lesson('m', '2026-09-16', { entries: { ...none, marks: true, homework: true } })]);
    expect(d.remove).toEqual([]);
    expect(d.kept[0]?.why).toContain('уже есть отметки, домашнее задание');
    for (const k of Object.keys(none) as (keyof LessonEntries)[]) {
      expect(checkLessonRemoval({ status: 'planned', entries: { ...none, [k]: true } }).level).toBe('refuse');
    }
    expect(checkLessonRemoval({ status: 'cancelled', entries: none }).level).toBe('refuse');
    expect(checkLessonRemoval({ status: 'planned', entries: none }).level).toBe('ok');
  });

  it('counts a moved lesson as its timetable lesson, and keeps extra lessons entered by hand (п. 7.13, 9.3)', () => {
    const moved = lesson('mv', '2026-09-09', { number: 5, movedFrom: '2026-09-07' });
    const extra = lesson('x', '2026-09-10', { generated: false });
    const d = diffLessons(plan, [moved, extra, lesson('b', '2026-09-14')]);
    expect(d.create).toEqual([]);
    expect(d.remove).toEqual([]);
    expect(d.kept.map((k) => k.lesson.id)).toEqual(['x']);
  });

  it('is idempotent: the lessons it asks for satisfy it', () => {
    const first = diffLessons(plan, []);
    const made = first.create.map((p, i) => lesson(`n${i}`, p.date, { number: p.number, courseId: p.courseId }));
    expect(diffLessons(plan, made)).toEqual({ create: [], remove: [], kept: [] });
  });
});
