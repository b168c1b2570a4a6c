/**
 * Closing the school year through the contract (R-YEAR-CLOSE, R-ARCHIVE, п. 12.1) on the tiny
 * school: the checklist, closing refused with gaps, closed when complete, read-only after, re-opened.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import type { Journal } from '../journal/open';
import { T, fixedClock, DIRECTOR, tinySchoolWithDirector } from '../../test/support/tiny-school';

const AT = '2027-06-15T10:00:00Z';

const school = tinySchoolWithDirector;
function call(j: Journal, accountId: string, method: string, input: unknown, at = AT) {
  return dispatch({ journal: j, accountId, clock: fixedClock(at), checkOutput: true }, method, input);
}
/** Every 5А pupil's I триместр and annual Russian marks; `but`: a pupil left without the annual one. */
function marks(s: ReturnType<typeof school>, but?: string) {
  submit(s.admin,
    draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term: T.period1, marks: T.students.map((studentId) => ({ studentId, value: '4' })) }),
    draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term: 'annual', marks: T.students.filter((x) => x !== but).map((studentId) => ({ studentId, value: '5' })) }));
}

describe('year.checklist (R-YEAR-CLOSE, п. 12.1)', () => {
  it('shows the deputy per class and subject what is done and who is missing what', () => {
    const s = school();
    marks(s, T.students[2]);
    const r = call(s.j, T.deputy, 'year.checklist', { yearId: T.year });
    expect(r).toMatchObject({ ok: true, value: { yearName: '2026/2027', closed: false, required: 6, done: 5, complete: false } });
    if (!r.ok) return;
    const v = r.value as { classes: { className: string; pupils: number; subjects: { subjectName: string; pupils: number; done: number; missing: { name: string; gaps: { label: string; kind: string }[] }[] }[] }[] };
    expect(v.classes.map((c) => c.className)).toEqual(['5А', '6А']);
    expect(v.classes[0]).toMatchObject({ pupils: 3, subjects: [{ subjectName: 'Русский язык', pupils: 3, done: 2, missing: [{ name: 'Ёлкина Ольга', gaps: [{ label: 'Годовая', kind: 'no_mark' }] }] }] });
    expect(v.classes[1]).toMatchObject({ pupils: 1, subjects: [] });
  });

  it('is refused to a teacher and to a parent; an unknown year is not found (п. 12.1, 5.11)', () => {
    const { j } = school();
    expect(call(j, T.teacherAcc, 'year.checklist', { yearId: T.year })).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-YEAR-CLOSE' } });
    expect(call(j, T.parent, 'year.checklist', { yearId: T.year })).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-PRIVACY' } });
    expect(call(j, DIRECTOR, 'year.checklist', { yearId: 'y-none' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('year.close and year.reopen (R-YEAR-CLOSE, R-ARCHIVE, п. 12.1)', () => {
  it('refuses closing with gaps, naming them; the year stays open', () => {
    const s = school();
    marks(s, T.students[2]);
    const r = call(s.j, DIRECTOR, 'year.close', { yearId: T.year, confirm: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused', requirement: 'R-YEAR-CLOSE', clause: 'п. 12.1' } });
    if (!r.ok) expect(r.error.message).toContain('5А, Русский язык: Ёлкина Ольга — нет отметки: Годовая');
    expect(call(s.j, T.teacherAcc, 'year.status', { courseId: T.course })).toMatchObject({ ok: true, value: { year: { id: T.year, closed: false } } });
  });

  it('needs the confirmation; only the director closes (п. 12.1)', () => {
    const s = school();
    marks(s);
    expect(call(s.j, DIRECTOR, 'year.close', { yearId: T.year })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(call(s.j, T.deputy, 'year.close', { yearId: T.year, confirm: true })).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-YEAR-CLOSE' } });
    expect(call(s.j, T.admin, 'year.close', { yearId: T.year, confirm: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('closes a complete year: its journal refuses changes with п. 12.1; the director re-opens it with a reason', () => {
    const s = school();
    marks(s);
    expect(call(s.j, DIRECTOR, 'year.close', { yearId: T.year, confirm: true })).toMatchObject({ ok: true, value: { ops: 1 } });
    expect(call(s.j, DIRECTOR, 'year.checklist', { yearId: T.year })).toMatchObject({ ok: true, value: { closed: true, complete: true } });
    expect(call(s.j, T.teacherAcc, 'year.status', { courseId: T.course })).toMatchObject({ ok: true, value: { year: { name: '2026/2027', closed: true } } });
    const m = call(s.j, T.teacherAcc, 'mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5' }] }, '2026-09-10T04:30:00Z');
    expect(m).toMatchObject({ ok: false, error: { code: 'refused', requirement: 'R-ARCHIVE', clause: 'п. 12.1' } });
    if (!m.ok) expect(m.error.message).toMatch(/^Учебный год 2026\/2027 закрыт/);
    expect(call(s.j, DIRECTOR, 'year.close', { yearId: T.year, confirm: true })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(call(s.j, DIRECTOR, 'year.reopen', { yearId: T.year, reason: '' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(call(s.j, T.admin, 'year.reopen', { yearId: T.year, reason: 'ошибка' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call(s.j, DIRECTOR, 'year.reopen', { yearId: T.year, reason: 'Исправление отметки по решению педсовета' })).toMatchObject({ ok: true, value: { ops: 1 } });
    expect(call(s.j, T.teacherAcc, 'year.status', { yearId: T.year })).toMatchObject({ ok: true, value: { year: { closed: false } } });
  });

  it('answers year.status to staff only, and null for an unknown course', () => {
    const { j } = school();
    expect(call(j, T.parent, 'year.status', { yearId: T.year })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call(j, T.methodist, 'year.status', { courseId: 'k-none' })).toMatchObject({ ok: true, value: { year: null } });
    expect(call(j, T.methodist, 'year.status', {})).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});
