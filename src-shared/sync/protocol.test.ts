import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from './protocol';
import { OpError, parseOp, PAYLOAD_MAX_DEPTH, PAYLOAD_MAX_VALUES } from '../ops/envelope';

const base = { device: 'dev1', seq: 1, author: 'acc', version: 1, hlc: '2026-09-10T10:00:00.000Z-0000' };

function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** The OpError fromWire throws, or a failure naming what else came out. */
function rejection(w: unknown): OpError {
  try {
    fromWire(w);
  } catch (e) {
    if (e instanceof OpError) return e;
    throw new Error(`fromWire threw ${(e as Error).name}: ${(e as Error).message}`);
  }
  throw new Error('fromWire accepted the op');
}

describe('a hostile op from the wire is refused as damaged, never crashes the decoder', () => {
  it('refuses a setting nested 10 000 deep with bad_envelope and a Russian message (no «Maximum call stack»)', () => {
    const e = rejection({ ...base, kind: 'setting.set', payload: [3, 'rules', nested(10_000)] });
    expect(e.code).toBe('bad_envelope');
    expect(e.message).toBe(`Повреждённая операция: вложенность данных глубже ${PAYLOAD_MAX_DEPTH} уровней`);
    expect(e.message).not.toMatch(/stack/i);
  });

  it('refuses deep nesting in a union field and in a field that expects a string', () => {
    const target = nested(10_000);
    expect(rejection({ ...base, kind: 'correction.request', payload: { id: 'c1', target, value: '4', reason: 'ошибка' } }).code).toBe('bad_envelope');
    expect(rejection({ ...base, kind: 'announcement.post', payload: [15, 'a1', 'Заголовок', 'Текст', { kind: 'school', x: nested(5_000) }] }).code).toBe('bad_envelope');
    expect(rejection({ ...base, kind: 'mark.set', payload: nested(10_000) }).message).not.toMatch(/pack:|stack/);
  });

  it('refuses a payload with too many values, flat', () => {
    const e = rejection({ ...base, kind: 'setting.set', payload: [3, 'rules', new Array(PAYLOAD_MAX_VALUES + 1).fill(0)] });
    expect(e.code).toBe('bad_envelope');
    expect(e.message).toMatch(/больше 20000 значений/);
  });

  it('keeps a real rule setting a few levels deep', () => {
    const op = fromWire({ ...base, kind: 'setting.set', payload: [3, 'rules', { correction: { ownFixMinutes: 0 }, weights: { a: [1, [2, [3]]] } }] });
    expect(op.payload).toEqual({ key: 'rules', value: { correction: { ownFixMinutes: 0 }, weights: { a: [1, [2, [3]]] } } });
  });

  it('refuses a packed object whose mask names fields this version does not have (pushed), reads it when pulled', () => {
    const packed = toWire(parseOp({ ...base, kind: 'diary.ack', payload: { studentId: 's1' } }));
    expect(fromWire(packed).payload).toEqual({ studentId: 's1' });
    const extra = { ...packed, payload: [3, 's1', 'лишнее'] };
    const e = rejection(extra);
    expect(e.code).toBe('bad_payload');
    expect(e.message).toBe('Неверные данные операции «diary.ack»: маска полей 3 не подходит к 1 полям этой версии операции');
    expect(fromWire(extra, 'logged').payload).toEqual({ studentId: 's1' });
    expect(rejection({ ...packed, payload: ['x', 's1'] }).message).toBe('Неверные данные операции «diary.ack»: упакованный объект без маски полей');
  });

  it('answers «newer version» before unpacking, so a school computer keeps such an op pending', () => {
    expect(rejection({ ...base, kind: 'mark.set', version: 2, payload: { shape: 'of the future' } }).code).toBe('unsupported_version');
  });

  it('does not echo a kind that is not a name', () => {
    const e = rejection({ ...base, kind: `x\u001b[2J${'a'.repeat(100_000)}`, payload: {} });
    expect(e.code).toBe('unknown_kind');
    expect(e.message).toBe('Неизвестный вид операции: обновите программу');
    expect(rejection({ ...base, kind: 'mark.explode', payload: {} }).message).toBe('Неизвестный вид операции «mark.explode»: обновите программу');
    expect(rejection(null).code).toBe('bad_envelope');
    expect(rejection([1, 2]).code).toBe('bad_envelope');
  });

  it('refuses a pushed op whose stamp is no real instant (the server judges its time by it)', () => {
    const e = rejection({ ...base, hlc: '2026-13-45T10:00:00.000Z-0000', kind: 'diary.ack', payload: [1, 's1'] });
    expect(e.code).toBe('bad_envelope');
    expect(fromWire({ ...base, hlc: '2026-02-30T10:00:00.000Z-0000', kind: 'diary.ack', payload: [1, 's1'] }, 'logged').hlc).toBe('2026-02-30T10:00:00.000Z-0000');
  });
});
