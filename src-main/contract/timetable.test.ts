/**
 * The methodist's timetable through the contract (R-SETUP, R-SUBST; п. 7.12, 9.3) on the tiny
 * school: 5А's Russian (Иванова М. П.) has lessons on 10, 11 and 16 September already.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import type { Journal } from '../journal/open';
import { T, tinySchool, fixedClock } from '../../test/support/tiny-school';
import { generatedLessonId } from '../timetable/generate';

const BEFORE = '2026-09-05T06:00:00Z';
function call(j: Journal, accountId: string, method: string, input: unknown, at = BEFORE) {
  return dispatch({ journal: j, accountId, clock: fixedClock(at), checkOutput: true }, method, input);
}
const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
type Gen = { created: number; removed: number; kept: { lessonId: string; why: string }[]; ops: number };

/** The tiny school with Russian 5 a week (Mon 1, Tue 2, Wed 3, Thu 2, Fri 1) and Mathematics (Яптик А.) Mon 2, Wed 2. */
function school() {
  const { j, admin } = tinySchool();
  submit(admin,
    draft('subject.set', { id: 'ma', name: 'Математика', short: 'Матем.', code: 'math' }),
    draft('course.set', { id: 'k-ma-5a', yearId: T.year, groupId: T.group, subjectId: 'ma', teacherId: T.substitute, hoursPerWeek: 2 }));
  const slots: [string, string, number, number][] = [
    ['s-ru-1', T.course, 1, 1], ['s-ru-2', T.course, 2, 2], ['s-ru-3', T.course, 3, 3], ['s-ru-4', T.course, 4, 2], ['s-ru-5', T.course, 5, 1],
    ['s-ma-1', 'k-ma-5a', 1, 2], ['s-ma-3', 'k-ma-5a', 3, 2],
  ];
  for (const [id, courseId, weekday, number] of slots) ok(call(j, T.methodist, 'slot.set', { id, courseId, weekday, number, validFrom: '2026-09-01', room: courseId === T.course ? '12' : '14' }));
  return j;
}
const lessonsOf = (j: Journal, courseId: string) => j.sqlite.prepare('SELECT id, date, number FROM lesson WHERE course_id = ? ORDER BY date, number').all(courseId) as { id: string; date: string; number: number }[];

describe('lessons.generate (R-SETUP, п. 7.12, 9.3)', () => {
  it('creates the lessons of a period, counting the ones already there, and is idempotent', () => {
    const j = school();
    const g = ok<Gen>(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-20' }));
    // Russian: 10 in two weeks, 3 already entered (10, 11, 16 September); Mathematics: 4.
    expect(g).toMatchObject({ created: 11, removed: 0, kept: [], ops: 11 });
    expect(lessonsOf(j, T.course)).toHaveLength(10);
    expect(lessonsOf(j, 'k-ma-5a').map((l) => l.date)).toEqual(['2026-09-07', '2026-09-09', '2026-09-14', '2026-09-16']);
    expect(ok<Gen>(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-20' }))).toMatchObject({ created: 0, removed: 0, ops: 0 });
    j.close();
  });

  it('after one slot changes, only that course’s untouched lessons change; a lesson with a mark stays (п. 7.12, 9.3)', () => {
    const j = school();
    ok(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-20' }));
    const math = lessonsOf(j, 'k-ma-5a');
    // The Tuesday lesson of 8 September is marked; then Russian moves from Tuesday 2nd to Saturday 3rd.
    const tue = generatedLessonId(T.course, '2026-09-08', 2);
    ok(call(j, T.teacherAcc, 'mark.set', { lessonId: tue, marks: [{ studentId: T.students[0], value: '5' }] }, '2026-09-08T05:00:00Z'));
    ok(call(j, T.methodist, 'slot.set', { id: 's-ru-2', courseId: T.course, weekday: 6, number: 3, validFrom: '2026-09-01', room: '12' }));
    const g = ok<Gen>(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-20' }));
    expect(g).toMatchObject({ created: 2, removed: 1, ops: 3 });
    expect(g.kept).toEqual([expect.objectContaining({ lessonId: tue, why: expect.stringContaining('уже есть отметки') })]);
    expect(g.kept[0]!.why).toContain('п. 7.12, 9.3');
    expect(lessonsOf(j, 'k-ma-5a')).toEqual(math);
    expect(lessonsOf(j, T.course).filter((l) => l.date === '2026-09-12' || l.date === '2026-09-19').map((l) => l.number)).toEqual([3, 3]);
    expect(lessonsOf(j, T.course).some((l) => l.date === '2026-09-15')).toBe(false);
    j.close();
  });

  it('never removes a held lesson nor one entered by hand', () => {
    const j = school();
    ok(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-13' }));
    // 10 September (tiny school's own lesson) held; Thursday's slot then removed.
    ok(call(j, T.teacherAcc, 'lesson.update', { id: T.lessons[0], status: 'held' }, '2026-09-10T05:00:00Z'));
    ok(call(j, T.methodist, 'slot.remove', { id: 's-ru-4' }));
    const g = ok<Gen>(call(j, T.methodist, 'lessons.generate', { from: '2026-09-07', to: '2026-09-13' }));
    expect(g).toMatchObject({ created: 0, removed: 0 });
    expect(g.kept).toEqual([expect.objectContaining({ lessonId: T.lessons[0], why: expect.stringContaining('уже проведён') })]);
    j.close();
  });

  it('is the methodist’s: a teacher is refused before anything is read (п. 7.12, 9.3)', () => {
    const j = school();
    expect(call(j, T.teacherAcc, 'lessons.generate', { from: '2026-09-07', to: '2026-09-20' })).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-SETUP' } });
    expect(call(j, T.methodist, 'lessons.generate', { from: '2026-09-20', to: '2026-09-07' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(lessonsOf(j, 'k-ma-5a')).toEqual([]);
    j.close();
  });
});

describe('slot.set refuses a clash, naming it (R-SETUP, п. 7.12, 9.3)', () => {
  it('the same class at the same time', () => {
    const j = school();
    const r = call(j, T.methodist, 'slot.set', { id: 's-ma-x', courseId: 'k-ma-5a', weekday: 1, number: 1, validFrom: '2026-09-01' });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused', requirement: 'R-SETUP', clause: 'п. 7.12, 9.3', message: 'У 5А в понедельник 1-м уроком уже Русский язык (Иванова М. П.) (п. 7.12, 9.3)' } });
    j.close();
  });

  it('the same teacher in another class, and the same room', () => {
    const j = school();
    const { admin } = { admin: { journal: j, actor: { accountId: T.admin }, clock: fixedClock(BEFORE), guard: { check: () => [] } } };
    submit(admin,
      draft('group.set', { id: 'g6a', yearId: T.year, name: '6А', kind: 'class', classId: T.otherCls }),
      draft('course.set', { id: 'k-ru-6a', yearId: T.year, groupId: 'g6a', subjectId: T.subject, teacherId: T.teacher, hoursPerWeek: 4 }),
      draft('course.set', { id: 'k-ma-6a', yearId: T.year, groupId: 'g6a', subjectId: 'ma', hoursPerWeek: 4 }));
    expect(call(j, T.methodist, 'slot.set', { id: 'x1', courseId: 'k-ru-6a', weekday: 3, number: 3, validFrom: '2026-09-01' }))
      .toMatchObject({ ok: false, error: { message: 'Учитель Иванова М. П. в среду 3-м уроком уже ведёт 5А (Русский язык) (п. 7.12, 9.3)' } });
    expect(call(j, T.methodist, 'slot.set', { id: 'x2', courseId: 'k-ma-6a', weekday: 3, number: 3, validFrom: '2026-09-01', room: '12' }))
      .toMatchObject({ ok: false, error: { message: expect.stringContaining('Кабинет 12 в среду 3-м уроком уже занят: 5А (Русский язык)') } });
    expect(call(j, T.methodist, 'slot.set', { id: 'x2', courseId: 'k-ma-6a', weekday: 3, number: 3, validFrom: '2026-09-01', room: '15' })).toMatchObject({ ok: true });
    j.close();
  });
});

describe('the substitute reaches exactly the substituted lesson (R-SUBST, п. 7.12)', () => {
  it('sees it among «Замены» from the moment of the record, marks it, and nothing else of the course', () => {
    const j = school();
    const [l0910, , l0916] = T.lessons;
    expect(ok<{ lessons: unknown[] }>(call(j, T.substituteAcc, 'substitutions.mine', {}, '2026-09-16T05:00:00Z')).lessons).toEqual([]);
    ok(call(j, T.methodist, 'substitution.set', { lessonId: l0916, teacherId: T.substitute, reason: 'Больничный лист' }, '2026-09-16T02:00:00Z'));
    const mine = ok<{ lessons: { lessonId: string; students: unknown[]; teacherName: string; reason: string }[] }>(call(j, T.substituteAcc, 'substitutions.mine', {}, '2026-09-16T05:20:00Z'));
    expect(mine.lessons.map((l) => l.lessonId)).toEqual([l0916]);
    expect(mine.lessons[0]).toMatchObject({ teacherName: 'Иванова М. П.', reason: 'Больничный лист' });
    expect(mine.lessons[0]!.students).toHaveLength(3);
    // Not before the record (п. 7.12: «в момент организации замены»).
    expect(ok<{ lessons: unknown[] }>(call(j, T.substituteAcc, 'substitutions.mine', {}, '2026-09-16T01:00:00Z')).lessons).toEqual([]);
    expect(call(j, T.substituteAcc, 'lesson.get', { lessonId: l0916 }, '2026-09-16T05:20:00Z')).toMatchObject({ ok: true, value: { readOnly: false } });
    expect(call(j, T.substituteAcc, 'cell.set', { lessonId: l0916, studentId: T.students[0], mark: { value: '4' } }, '2026-09-16T05:30:00Z')).toMatchObject({ ok: true });
    expect(call(j, T.substituteAcc, 'cell.set', { lessonId: l0910, studentId: T.students[0], mark: { value: '4' } }, '2026-09-16T05:30:00Z')).toMatchObject({ ok: false });
    expect(call(j, T.substituteAcc, 'gradebook.get', { courseId: T.course }, '2026-09-16T05:30:00Z')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A family asks for it: not theirs.
    expect(call(j, T.parent, 'substitutions.mine', {})).toMatchObject({ ok: false });
    j.close();
  });

  it('the week shows the change: the substitute, a move and a cancelled lesson', () => {
    const j = school();
    ok(call(j, T.methodist, 'lessons.generate', { from: '2026-09-14', to: '2026-09-20' }));
    const mon = generatedLessonId(T.course, '2026-09-14', 1);
    ok(call(j, T.methodist, 'substitution.set', { lessonId: T.lessons[2], teacherId: T.substitute }));
    ok(call(j, T.methodist, 'lesson.move', { id: mon, date: '2026-09-19', number: 1, reason: 'Праздник' }));
    ok(call(j, T.methodist, 'lesson.update', { id: generatedLessonId(T.course, '2026-09-15', 2), status: 'cancelled' }));
    ok(call(j, T.methodist, 'lesson.create', { id: 'x.extra', courseId: 'k-ma-5a', date: '2026-09-18', number: 6 }));
    type W = { slots: unknown[]; lessons: { id: string; status: string; movedFrom: string | null; substitute: { name: string } | null }[]; courses: unknown[]; bells: unknown[] };
    const w = ok<W>(call(j, T.methodist, 'timetable.week', { classId: T.cls, week: '2026-09-16' }));
    expect(w.slots).toHaveLength(7);
    expect(w.courses).toHaveLength(2);
    expect(w.bells).toHaveLength(6);
    expect(w.lessons.find((l) => l.id === T.lessons[2])?.substitute?.name).toBe('Яптик А.');
    expect(w.lessons.find((l) => l.id === mon)?.movedFrom).toBe('2026-09-14');
    expect(w.lessons.some((l) => l.id === 'x.extra')).toBe(true);
    // Regenerating keeps the move and the extra lesson as the methodist made them (п. 7.13, 9.3).
    const g = ok<Gen>(call(j, T.methodist, 'lessons.generate', { from: '2026-09-14', to: '2026-09-20' }));
    expect(g).toMatchObject({ created: 0, removed: 0 });
    expect(g.kept.map((k) => k.lessonId).sort()).toEqual(['x.extra']);
    // A family sees its own class's week only.
    expect(call(j, T.parent, 'timetable.week', { classId: T.otherCls, week: '2026-09-16' })).toMatchObject({ ok: false });
    expect(ok<W>(call(j, T.parent, 'timetable.week', { week: '2026-09-16' })).courses).toHaveLength(2);
    j.close();
  });
});
