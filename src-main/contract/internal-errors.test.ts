/** An internal failure reaches the caller as a generic Russian message and an incident number; its text only the log. */
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import type { Guard } from '../commands/execute';
import { T, tinySchool, fixedClock } from '../../test/support/tiny-school';

const [l0916] = [T.lessons[2]];
const [s1] = T.students;

describe('internal errors through the contract', () => {
  it('a handler that throws «secret detail»: the answer has the incident number, not the detail; nothing is stored', () => {
    const { j } = tinySchool();
    const logged: { incident: string; method: string; err: unknown }[] = [];
    const throwing: Guard = { check: () => { throw new Error('secret detail: SELECT * FROM account'); } };
    const r = dispatch({
      journal: j, accountId: T.teacherAcc, clock: fixedClock('2026-09-16T05:30:00Z'), guard: throwing,
      logInternal: (incident, method, err) => logged.push({ incident, method, err }),
    }, 'mark.set', { lessonId: l0916, marks: [{ studentId: s1, value: '5' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('internal');
    expect(JSON.stringify(r)).not.toContain('secret detail');
    expect(r.error.message).toMatch(/^Внутренняя ошибка программы: действие не выполнено, ничего не изменено\. Сообщите ответственному за техподдержку номер инцидента [0-9a-f]{8}$/);
    expect(logged).toHaveLength(1);
    expect(r.error.message.endsWith(logged[0]!.incident)).toBe(true);
    expect(logged[0]!.method).toBe('mark.set');
    expect((logged[0]!.err as Error).message).toContain('secret detail');
    expect(j.sqlite.prepare('SELECT count(*) FROM mark').pluck().get()).toBe(0);
    j.close();
  });

  it('two failures get different incident numbers', () => {
    const { j } = tinySchool();
    const ids: string[] = [];
    const throwing: Guard = { check: () => { throw new TypeError('x is undefined'); } };
    for (let i = 0; i < 2; i++) {
      dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock('2026-09-16T05:30:00Z'), guard: throwing, logInternal: (id) => ids.push(id) },
        'mark.set', { lessonId: l0916, marks: [{ studentId: s1, value: '5' }] });
    }
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    j.close();
  });

  it('a journal that fails before the command (closed file) is answered, not thrown, and says nothing of SQLite', () => {
    const { j } = tinySchool();
    j.close();
    const errs: unknown[] = [];
    let r: ReturnType<typeof dispatch> | undefined;
    expect(() => { r = dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock(), logInternal: (_i, _m, e) => errs.push(e) }, 'status.get', {}); }).not.toThrow();
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toMatch(/database|connection|sqlite/i);
    expect(errs).toHaveLength(1);
  });

  it('does not echo a method name that is not a name', () => {
    const { j } = tinySchool();
    expect(dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock() }, 'marks.explode', {})).toMatchObject({ error: { code: 'unknown_method', message: 'Неизвестный метод «marks.explode»' } });
    expect(dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock() }, '<script>\u202e', {})).toMatchObject({ error: { code: 'unknown_method', message: 'Неизвестный метод' } });
    j.close();
  });
});

describe('input hygiene through the contract', () => {
  it('refuses a topic with U+202E and a diary week 9999-99-99 as bad input, storing nothing', () => {
    const { j } = tinySchool();
    const call = (method: string, input: unknown) => dispatch({ journal: j, accountId: T.teacherAcc, clock: fixedClock('2026-09-16T05:30:00Z') }, method, input);
    const topic = call('lesson.update', { id: l0916, topic: 'Имя \u202Eеонтелагирп' });
    expect(topic).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    if (!topic.ok) expect(topic.error.message).toContain('Тема урока: недопустимый управляющий символ U+202E');
    const empty = call('lesson.update', { id: l0916, colour: 'red' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    if (!empty.ok) expect(empty.error.message).toContain('Нечего изменять');
    const week = dispatch({ journal: j, accountId: T.parent, clock: fixedClock('2026-09-16T12:00:00Z') }, 'diary.week', { studentId: s1, week: '9999-99-99' });
    expect(week).toMatchObject({ ok: false, error: { code: 'bad_input', message: 'Неверные данные для «diary.week»: week: дата 9999-99-99: месяца 99 не бывает' } });
    expect(j.sqlite.prepare("SELECT count(*) FROM op_log WHERE kind = 'lesson.update'").pluck().get()).toBe(0);
    j.close();
  });
});
