import { describe, expect, it } from 'vitest';
import { isUnsatisfactory, markPoints, parseCellInput, parseMark, parsePeriodMark } from './marks';

describe('marks (R-MARKS, R-FRACTION; п. 7.14, 7.15)', () => {
  it.each(['5', '4', '3', '2', '1'])('accepts %s (п. 7.14)', (v) => {
    expect(parseMark(v)).toEqual({ ok: true, value: v });
  });

  it('accepts a fraction «5/4» and normalises spaces (п. 7.15)', () => {
    expect(parseMark('5/4')).toEqual({ ok: true, value: '5/4' });
    expect(parseMark(' 4 / 3 ')).toEqual({ ok: true, value: '4/3' });
  });

  const refused: [string, RegExp][] = [
    ['6', /«6» не бывает/],
    ['0', /«0» не бывает/],
    ['5/', /Неполная дробь/],
    ['/4', /Неполная дробь/],
    ['н5', /не отметка/],
    ['5+', /плюсом или минусом/],
    ['4-', /плюсом или минусом/],
    ['', /Пустая отметка/],
    ['   ', /Пустая отметка/],
    ['5/6', /не отметка/],
    ['55', /не бывает/],
    ['five', /не отметка/],
  ];
  it.each(refused)('refuses «%s» with a clear Russian message', (raw, msg) => {
    const r = parseMark(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(msg);
  });

  it('reads «н» in a cell as an absence, not a mark (п. 7.14)', () => {
    expect(parseCellInput('н')).toEqual({ ok: true, value: { kind: 'absent' } });
    expect(parseCellInput('Н')).toEqual({ ok: true, value: { kind: 'absent' } });
    expect(parseCellInput('4')).toEqual({ ok: true, value: { kind: 'mark', value: '4' } });
    expect(parseCellInput('н5').ok).toBe(false);
  });

  it('counts both parts of a fraction in an average (R-FRACTION)', () => {
    expect(markPoints('5/3')).toEqual([5, 3]);
    expect(markPoints('4')).toEqual([4]);
  });

  it('treats a fraction with a 2 as unsatisfactory', () => {
    expect(isUnsatisfactory('2')).toBe(true);
    expect(isUnsatisfactory('1')).toBe(true);
    expect(isUnsatisfactory('5/2')).toBe(true);
    expect(isUnsatisfactory('3/3')).toBe(false);
  });

  it('accepts period marks 5…1, «осв» and «н/а», and nothing else (п. 7.14)', () => {
    for (const v of ['5', '4', '3', '2', '1', 'осв', 'н/а']) expect(parsePeriodMark(v)).toEqual({ ok: true, value: v });
    expect(parsePeriodMark('Н/А')).toEqual({ ok: true, value: 'н/а' });
    expect(parsePeriodMark('5/4').ok).toBe(false);
    expect(parsePeriodMark('6').ok).toBe(false);
    expect(parsePeriodMark('').ok).toBe(false);
  });
});
