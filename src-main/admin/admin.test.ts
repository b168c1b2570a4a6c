/**
 * Setting a school up through the contract (п. 9.4, 9.6, R-ACCOUNTS): the reads the screens use,
 * the class teacher keeping the own class's list, logins and one-time passwords.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../contract/dispatch';
import { regulationGuard } from '../commands/guard';
import { T, fixedClock, tinySchool } from '../../test/support/tiny-school';
import { freeLogin, newOneTimePassword } from './accounts';
import type { Journal } from '../journal/open';

function call(j: Journal, accountId: string, method: string, input: unknown) {
  return dispatch({ journal: j, accountId, clock: fixedClock('2026-09-10T10:00:00.000Z'), guard: regulationGuard, checkOutput: true }, method, input);
}
function value<T>(r: ReturnType<typeof call>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

describe('one-time passwords and logins (R-ACCOUNTS)', () => {
  it('a one-time password: 12 signs of an alphabet without look-alikes, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = newOneTimePassword();
      expect(p).toMatch(/^[a-hjkmnp-z2346-9]{4}-[a-hjkmnp-z2346-9]{4}-[a-hjkmnp-z2346-9]{4}$/);
      expect(p).not.toMatch(/[01ilo5]/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it('a login is the surname transliterated, the initials and four digits; two namesakes in one batch differ', () => {
    const { j } = tinySchool();
    const reserved = new Set<string>();
    const a = freeLogin(j, { lastName: 'Щукина', firstName: 'Юлия', middleName: 'Эдуардовна' }, reserved);
    const b = freeLogin(j, { lastName: 'Щукина', firstName: 'Юлия', middleName: 'Эдуардовна' }, reserved);
    expect(a).toMatch(/^shchukina\.ie\d{4}$/);
    expect(b).toMatch(/^shchukina\.ie\d{4}$/);
    expect(a).not.toBe(b);
    expect(freeLogin(j, { lastName: 'Ёлкин', firstName: 'Ян', middleName: null })).toMatch(/^elkin\.i\d{4}$/);
  });
});

describe('the set-up reads (setup.get, accounts.list, class.roster)', () => {
  it('setup.get shows the year, periods, bells, classes with their pupils counted, groups with members, the load', () => {
    const { j } = tinySchool();
    const s = value<{ yearId: string; periods: unknown[]; bells: unknown[]; classes: { id: string; name: string; students: number }[]; courses: { id: string; teacherId: string }[]; staff: { id: string; login: string | null }[] }>(call(j, T.admin, 'setup.get', {}));
    expect(s.yearId).toBe(T.year);
    expect(s.periods).toHaveLength(1);
    expect(s.bells.length).toBeGreaterThan(0);
    expect(s.classes.find((c) => c.id === T.cls)).toMatchObject({ name: '5А', students: 3 });
    expect(s.courses.find((c) => c.id === T.course)?.teacherId).toBe(T.teacher);
    expect(s.staff.find((p) => p.id === T.teacher)?.login).toBe('teacher');
    // A family never reads the school's set-up (R-PRIVACY).
    expect(call(j, T.parent, 'setup.get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('the class teacher keeps the own class list (п. 9.4): adds a pupil, records the family\'s choice of a paper diary', () => {
    const { j } = tinySchool();
    value(call(j, T.teacherAcc, 'student.set', { id: 's-new', lastName: 'Салиндер', firstName: 'Арина', birthDate: '2015-03-02', classId: T.cls }));
    value(call(j, T.teacherAcc, 'parent.set', { id: 'p-new', lastName: 'Салиндер', firstName: 'Ирина', phone: '+7 912 000-11-22' }));
    value(call(j, T.teacherAcc, 'parent.link', { parentId: 'p-new', studentId: 's-new', relation: 'мать' }));
    value(call(j, T.teacherAcc, 'consent.set', { parentId: 'p-new', kind: 'diary_mode', value: 'paper', date: '2026-09-10' }));
    const r = value<{ readOnly: boolean; students: { id: string; parents: { id: string; relation: string; consents: { diary_mode: { value: string; date: string } | null } }[] }[] }>(call(j, T.teacherAcc, 'class.roster', { classId: T.cls }));
    expect(r.readOnly).toBe(false);
    const pupil = r.students.find((s) => s.id === 's-new')!;
    expect(pupil.parents[0]).toMatchObject({ id: 'p-new', relation: 'мать', consents: { diary_mode: { value: 'paper', date: '2026-09-10' } } });
    // Not into another class, and not another class's pupil (п. 9.4, 9.6).
    const moved = call(j, T.teacherAcc, 'student.set', { id: 's-new', lastName: 'Салиндер', firstName: 'Арина', classId: T.otherCls });
    expect(moved).toMatchObject({ ok: false, error: { code: 'forbidden', clause: 'п. 9.4, 9.6' } });
    expect(call(j, T.teacherAcc, 'class.roster', { classId: T.otherCls })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a pupil who left stays in the class list, last, with the date; moved by the administrator, the history stays', () => {
    const { j } = tinySchool();
    value(call(j, T.admin, 'student.set', { id: T.students[0], lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич', classId: T.cls, left: '2026-09-09' }));
    const r = value<{ students: { id: string; left: string | null }[] }>(call(j, T.admin, 'class.roster', { classId: T.cls }));
    expect(r.students.at(-1)).toMatchObject({ id: T.students[0], left: '2026-09-09' });
    value(call(j, T.admin, 'student.set', { id: T.students[1], lastName: 'Вануйто', firstName: 'Анна', middleName: 'Сергеевна', classId: T.otherCls }));
    const ops = j.stmt("SELECT count(*) FROM op_log WHERE kind = 'student.set'").pluck().get() as number;
    expect(ops).toBeGreaterThan(3);
    expect(value<{ students: { id: string }[] }>(call(j, T.admin, 'class.roster', { classId: T.otherCls })).students.map((s) => s.id)).toContain(T.students[1]);
  });

  it('accounts.list: each account with its person, roles and password state; a breach shows', () => {
    const { j } = tinySchool();
    const list = value<{ accounts: { id: string; name: string; detail: string | null; password: string; breach: boolean }[] }>(call(j, T.admin, 'accounts.list', {}));
    expect(list.accounts.find((a) => a.id === T.teacherAcc)).toMatchObject({ name: 'Иванова Мария Петровна', password: 'none', breach: false });
    expect(list.accounts.find((a) => a.id === T.parent)?.detail).toBe('родитель: Петров Пётр, 5А');
    expect(call(j, T.teacherAcc, 'accounts.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-ACCOUNTS' } });
  });
});
