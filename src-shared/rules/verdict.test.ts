import { describe, it, expect } from 'vitest';
import { combine, describe as describeVerdict, hasCode, isRefused, ok, refusals, refuse, waive, warn } from './verdict';

describe('verdict', () => {
  it('ok has no findings', () => {
    expect(ok()).toEqual({ level: 'ok', findings: [] });
  });

  it('warn and refuse carry the requirement, the clause and the Russian message', () => {
    const w = warn('R-SOFT-WARN', 'п. 7.14', 'Не рекомендуется');
    expect(w.level).toBe('warn');
    expect(w.findings).toEqual([{ severity: 'warn', requirement: 'R-SOFT-WARN', clause: 'п. 7.14', message: 'Не рекомендуется' }]);
    const r = refuse('R-ADAPTATION', 'п. 7.14', 'Нельзя', { value: '2' });
    expect(r.level).toBe('refuse');
    expect(r.findings[0]).toMatchObject({ severity: 'refuse', requirement: 'R-ADAPTATION', code: 'not_allowed', details: { value: '2' } });
  });

  it('a refusal keeps the code its details give', () => {
    const r = refuse('R-DATE', 'п. 7.14', 'Срок истёк', { code: 'needs_correction_request' });
    expect(r.findings[0]?.code).toBe('needs_correction_request');
    expect(hasCode(r, 'needs_correction_request')).toBe(true);
    expect(hasCode(r, 'needs_director_order')).toBe(false);
  });

  it('combine: the worst level wins and every warning is kept', () => {
    const v = combine(ok(), warn('R-A', 'п. 1', 'w1'), refuse('R-B', 'п. 2', 'r1'), warn('R-C', 'п. 3', 'w2'));
    expect(v.level).toBe('refuse');
    expect(v.findings.map((f) => f.message)).toEqual(['w1', 'r1', 'w2']);
    expect(isRefused(v)).toBe(true);
    expect(refusals(v).map((f) => f.message)).toEqual(['r1']);
    expect(combine(ok(), warn('R-A', 'п. 1', 'w')).level).toBe('warn');
    expect(combine(ok(), ok())).toEqual(ok());
    expect(combine()).toEqual(ok());
  });

  it('waive drops only refusals with the given codes and recomputes the level', () => {
    const v = combine(warn('R-A', 'п. 1', 'w'), refuse('R-DATE', 'п. 7.14', 'late', { code: 'needs_correction_request' }));
    const w = waive(v, 'needs_correction_request');
    expect(w.level).toBe('warn');
    expect(w.findings.map((f) => f.message)).toEqual(['w']);
    const other = refuse('R-ADAPTATION', 'п. 7.14', 'no');
    expect(waive(other, 'needs_correction_request')).toBe(other);
    expect(waive(refuse('R-DATE', 'п. 7.14', 'x', { code: 'needs_correction_request' }), 'needs_correction_request')).toEqual(ok());
  });

  it('describe writes message and clause', () => {
    expect(describeVerdict(refuse('R-ADAPTATION', 'п. 7.14', 'Нельзя'))).toEqual(['Нельзя (п. 7.14)']);
  });

  it('verdicts survive a JSON round trip unchanged', () => {
    const v = combine(warn('R-A', 'п. 1', 'w', { n: 1, list: ['a'] }), refuse('R-B', 'п. 2', 'r', { code: 'future_lesson' }));
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
