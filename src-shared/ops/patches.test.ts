import { describe, expect, it } from 'vitest';
import { loggedPayloads, payloads } from './kinds';
import { describeIssues, parseOp, type OpError } from './envelope';
import { methods } from '../contract/methods';

const env = (kind: string, payload: unknown) => ({ device: 'd1', seq: 1, author: 'acc', kind, version: 1, hlc: '2026-09-10T10:00:00.000Z-0000', payload });
const refusal = (raw: unknown, strictness?: 'new' | 'logged') => {
  try {
    parseOp(raw, strictness);
    return 'ok';
  } catch (e) {
    return `${(e as OpError).code}: ${(e as OpError).message}`;
  }
};

describe('an update that changes nothing is refused («Нечего изменять»)', () => {
  it('refuses lesson.update with only the lesson id', () => {
    expect(refusal(env('lesson.update', { id: 'l1' }))).toMatch(/^bad_payload: .*Нечего изменять: укажите хотя бы одно поле урока/);
  });

  it('refuses lesson.update whose only fields are unknown, naming them', () => {
    const r = refusal(env('lesson.update', { id: 'l1', homeWork: 'упр. 5' }));
    expect(r).toContain('неизвестное поле «homeWork»');
    expect(r).toContain('Нечего изменять');
  });

  it('takes an update that clears a field: null is a change', () => {
    expect(refusal(env('lesson.update', { id: 'l1', homework: null }))).toBe('ok');
    expect(refusal(env('lesson.update', { id: 'l1', status: 'held' }))).toBe('ok');
  });

  it('refuses group.members that adds and removes no one', () => {
    expect(refusal(env('group.members', { groupId: 'g1' }))).toMatch(/Нечего изменять: укажите, кого добавить в группу/);
    expect(refusal(env('group.members', { groupId: 'g1', add: [], remove: [] }))).toMatch(/Нечего изменять/);
    expect(refusal(env('group.members', { groupId: 'g1', remove: ['s1'] }))).toBe('ok');
  });

  it('the contract method lesson.update refuses it too (desktop and server rpc)', () => {
    const r = methods['lesson.update'].input.safeParse({ id: 'l1', colour: 'red' });
    expect(r.success).toBe(false);
    expect(describeIssues(r.error!)).toMatch(/неизвестное поле «colour».*Нечего изменять/);
    expect(methods['lesson.update'].input.safeParse({ id: 'l1', topic: 'Имя существительное' }).success).toBe(true);
  });
});

describe('unknown fields in a new op are refused; a logged op is read as it was accepted', () => {
  it('refuses an unknown field next to real ones, also inside a batch', () => {
    expect(refusal(env('lesson.update', { id: 'l1', topic: 'Тема', colour: 'red' }))).toMatch(/неизвестное поле «colour»/);
    expect(refusal(env('mark.set', { lessonId: 'l1', marks: [{ studentId: 's1', value: '5', weight: 3 }] }))).toMatch(/marks\.0: неизвестное поле «weight»/);
  });

  it('an op of a newer version is answered «newer», not «unknown field»: its payload is not judged', () => {
    expect(refusal({ ...env('lesson.update', { id: 'l1', colour: 'red' }), version: 2 })).toMatch(/^unsupported_version: .*обновите программу/);
  });

  it('a logged empty lesson.update (stored before the rule) still replays', () => {
    expect(refusal(env('lesson.update', { id: 'l1' }), 'logged')).toBe('ok');
    expect(loggedPayloads['lesson.update'].parse({ id: 'l1', colour: 'red' })).toEqual({ id: 'l1' });
    expect(payloads['lesson.update'].safeParse({ id: 'l1', colour: 'red' }).success).toBe(false);
  });
});
