/**
 * R-ARCHIVE, R-YEAR-CLOSE (п. 12.1): the guard refuses every change that belongs to a closed year,
 * whatever its kind; the director closes a complete year and re-opens it; the next year goes on.
 */
import { describe, expect, it } from 'vitest';
import { CommandRefused, submit, type CommandContext } from './execute';
import { regulationGuard } from './guard';
import { yearChecklistOf } from './year-close';
import { yearsOfOp } from './year-of-op';
import { draft, type OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';
import { T, context, fixedClock, DIRECTOR, tinySchoolWithDirector } from '../../test/support/tiny-school';

const YEAR = { id: T.year, name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' };

const school = tinySchoolWithDirector;
const as = (j: Journal, accountId: string, at: string): CommandContext => context(j, accountId, fixedClock(at), regulationGuard);

/** Every pupil of 5А gets the I триместр and annual marks in Russian (written with no checks: the guard of marks is not tested here). */
function complete(j: Journal, admin: CommandContext) {
  submit(admin, ...(['y26-t1', 'annual'] as const).map((term) => draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term, marks: T.students.map((studentId) => ({ studentId, value: '4' })) })));
  expect(yearChecklistOf(j, T.year)!.complete).toBe(true);
}
function close(j: Journal) {
  j.sqlite.prepare('UPDATE year SET closed = 1 WHERE id = ?').run(T.year);
}
function refusal(ctx: CommandContext, ...drafts: OpDraft[]) {
  try {
    submit(ctx, ...drafts);
  } catch (e) {
    if (e instanceof CommandRefused) return e.notices.find((n) => n.level === 'refuse');
    throw e;
  }
  return undefined;
}

describe('a closed year is read-only (R-ARCHIVE, п. 12.1)', () => {
  it('refuses a mark on a lesson of the closed year, naming the year and п. 12.1', () => {
    const { j } = school();
    close(j);
    const r = refusal(as(j, T.teacherAcc, '2026-09-10T04:30:00Z'), draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5' }] }));
    expect(r).toMatchObject({ requirement: 'R-ARCHIVE', clause: 'п. 12.1' });
    expect(r!.message).toMatch(/^Учебный год 2026\/2027 закрыт/);
    expect(j.sqlite.prepare('SELECT count(*) FROM mark').pluck().get()).toBe(0);
  });

  it('refuses a period mark, an attestation decision, a correction request and a topic of the closed year (п. 12.1)', () => {
    const { j } = school();
    close(j);
    const at = '2026-11-30T10:00:00Z';
    expect(refusal(as(j, T.teacherAcc, at), draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term: T.period1, marks: [{ studentId: T.students[0], value: '5' }] })))
      .toMatchObject({ requirement: 'R-ARCHIVE', clause: 'п. 12.1' });
    expect(refusal(as(j, T.deputy, at), draft('attestation.decision', { yearId: T.year, subjectId: T.subject, term: T.period1, studentId: T.students[0], attest: true, note: 'по заявлению' })))
      .toMatchObject({ requirement: 'R-ARCHIVE' });
    expect(refusal(as(j, T.teacherAcc, at), draft('correction.request', { id: 'corr-1', target: { kind: 'mark', lessonId: T.lessons[0], studentId: T.students[0] }, value: '4', reason: 'описка' })))
      .toMatchObject({ requirement: 'R-ARCHIVE' });
    expect(refusal(as(j, T.teacherAcc, '2026-09-10T04:30:00Z'), draft('lesson.update', { id: T.lessons[0], topic: 'Повторение' }))).toMatchObject({ requirement: 'R-ARCHIVE' });
  });

  it('refuses set-up of the closed year: a class with its yearId, a class moved out of it, a period, a course (п. 12.1)', () => {
    const { j, admin } = school();
    submit(admin, draft('year.set', { id: 'y27', name: '2027/2028', starts: '2027-09-01', ends: '2028-05-31' }));
    close(j);
    const a = as(j, T.admin, '2027-06-15T10:00:00Z');
    expect(refusal(a, draft('class.set', { id: 'c5b', yearId: T.year, grade: 5, letter: 'Б' }))).toMatchObject({ requirement: 'R-ARCHIVE', clause: 'п. 12.1' });
    expect(refusal(a, draft('class.set', { id: T.cls, yearId: 'y27', grade: 6, letter: 'А' }))).toMatchObject({ requirement: 'R-ARCHIVE' });
    expect(refusal(a, draft('period.set', { id: T.period1, yearId: T.year, scheme: 'trimesters', number: 1, name: 'I триместр', starts: '2026-09-01', ends: '2026-11-29' }))).toMatchObject({ requirement: 'R-ARCHIVE' });
    expect(refusal(a, draft('course.remove', { id: T.course }))).toMatchObject({ requirement: 'R-ARCHIVE' });
    expect(refusal(a, draft('year.set', { ...YEAR, ends: '2027-06-30', closed: true }))).toMatchObject({ requirement: 'R-ARCHIVE' });
  });

  it('lets the next year go on: its set-up, lessons and marks, and pupils moved into its classes', () => {
    const { j } = school();
    close(j);
    const admin = as(j, T.admin, '2027-08-25T09:00:00Z');
    submit(admin,
      draft('year.set', { id: 'y27', name: '2027/2028', starts: '2027-09-01', ends: '2028-05-31' }),
      draft('levelScheme.set', { yearId: 'y27', level: 'OOO', scheme: 'trimesters' }),
      draft('period.set', { id: 'y27-t1', yearId: 'y27', scheme: 'trimesters', number: 1, name: 'I триместр', starts: '2027-09-01', ends: '2027-11-30' }),
      draft('class.set', { id: 'c6a-27', yearId: 'y27', grade: 6, letter: 'А', classTeacherId: T.teacher }),
      draft('group.set', { id: 'g6a-27', yearId: 'y27', name: '6А', kind: 'class', classId: 'c6a-27' }),
      draft('course.set', { id: 'k-ru-6a', yearId: 'y27', groupId: 'g6a-27', subjectId: T.subject, teacherId: T.teacher, hoursPerWeek: 5 }),
      draft('student.set', { id: T.students[0], lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич', classId: 'c6a-27' }),
      ...[['08:30', '09:10'], ['09:20', '10:00']].map(([starts, ends], i) => draft('bell.set', { yearId: 'y27', number: i + 1, starts: starts!, ends: ends! })));
    submit(as(j, T.methodist, '2027-08-30T09:00:00Z'), draft('lesson.create', { id: 'l-27', courseId: 'k-ru-6a', date: '2027-09-16', number: 2 }));
    submit(as(j, T.teacherAcc, '2027-09-16T04:30:00Z'), draft('mark.set', { lessonId: 'l-27', marks: [{ studentId: T.students[0], value: '5' }] }));
    expect(j.sqlite.prepare("SELECT value FROM mark WHERE lesson_id = 'l-27'").pluck().get()).toBe('5');
  });

  it('finds the year of every kind of op in one place: a lesson\'s through its course, a correction\'s through its target', () => {
    const { j } = school();
    expect(yearsOfOp(j, { kind: 'mark.set', payload: { lessonId: T.lessons[0], marks: [] } })).toEqual([T.year]);
    expect(yearsOfOp(j, { kind: 'lesson.create', payload: { id: 'x', courseId: T.course, date: '2026-09-10', number: 1, kind: 'regular' } })).toEqual([T.year]);
    expect(yearsOfOp(j, { kind: 'correction.request', payload: { id: 'c', target: { kind: 'periodMark', yearId: 'y-other', subjectId: 's', term: 'annual', studentId: 's' }, value: null, reason: 'r' } })).toEqual(['y-other']);
    expect(yearsOfOp(j, { kind: 'class.set', payload: { id: T.cls, yearId: 'y27', grade: 5, letter: 'А' } })).toEqual(['y27', T.year]);
    expect(yearsOfOp(j, { kind: 'student.set', payload: { id: T.students[0], lastName: 'П', firstName: 'П', classId: null, individualPlan: false, homeSchooling: false, medicalGroup: 'main' } })).toEqual([]);
    expect(yearsOfOp(j, { kind: 'mark.set', payload: { lessonId: 'no-such-lesson', marks: [] } })).toEqual([]);
  });
});

describe('closing and re-opening the year (R-YEAR-CLOSE, п. 12.1)', () => {
  const closeOp = draft('year.set', { ...YEAR, closed: true });
  const reopenOp = draft('year.set', { ...YEAR, closed: false });

  it('is the director\'s: the administrator may neither close nor re-open (п. 12.1)', () => {
    const { j, admin } = school();
    complete(j, admin);
    expect(refusal(as(j, T.admin, '2027-06-15T10:00:00Z'), closeOp)).toMatchObject({ code: 'forbidden', requirement: 'R-YEAR-CLOSE' });
    expect(refusal(as(j, T.deputy, '2027-06-15T10:00:00Z'), closeOp)).toMatchObject({ code: 'forbidden', requirement: 'R-YEAR-CLOSE' });
    submit(as(j, DIRECTOR, '2027-06-15T10:00:00Z'), closeOp);
    expect(refusal(as(j, T.admin, '2027-06-16T10:00:00Z'), reopenOp)).toMatchObject({ code: 'forbidden', requirement: 'R-YEAR-CLOSE' });
    // An edit of the year that leaves `closed` alone stays the administrator's, and is refused while it is closed.
    expect(refusal(as(j, DIRECTOR, '2027-06-16T10:00:00Z'), draft('year.set', { ...YEAR, name: '2026–2027', closed: true }))).toMatchObject({ code: 'forbidden', requirement: 'R-SETUP' });
  });

  it('refuses closing while the checklist has gaps, naming them (п. 12.1, 7.14)', () => {
    const { j } = school();
    const r = refusal(as(j, DIRECTOR, '2027-06-15T10:00:00Z'), closeOp);
    expect(r).toMatchObject({ requirement: 'R-YEAR-CLOSE', clause: 'п. 12.1' });
    expect(r!.message).toContain('не выставлено 6 из 6 отметок');
    expect(r!.message).toContain('5А, Русский язык: Вануйто Анна Сергеевна — нет отметки: I триместр, Годовая');
    expect(j.sqlite.prepare('SELECT closed FROM year WHERE id = ?').pluck().get(T.year)).toBe(0);
  });

  it('closes a complete year; the director re-opens it as it was, and marks are taken again (п. 12.1)', () => {
    const { j, admin } = school();
    complete(j, admin);
    submit(as(j, DIRECTOR, '2027-06-15T10:00:00Z'), closeOp);
    expect(j.sqlite.prepare('SELECT closed FROM year WHERE id = ?').pluck().get(T.year)).toBe(1);
    expect(refusal(as(j, DIRECTOR, '2027-06-16T10:00:00Z'), draft('year.set', { ...YEAR, ends: '2027-06-30', closed: false }))).toMatchObject({ requirement: 'R-ARCHIVE', clause: 'п. 12.1' });
    submit(as(j, DIRECTOR, '2027-06-16T10:00:00Z'), reopenOp);
    expect(j.sqlite.prepare('SELECT closed FROM year WHERE id = ?').pluck().get(T.year)).toBe(0);
    submit(as(j, T.admin, '2027-06-16T11:00:00Z'), draft('class.set', { id: 'c5b', yearId: T.year, grade: 5, letter: 'Б' }));
  });
});
