import { describe, it, expect } from 'vitest';
import { checkPeriodMarkChange, isGraduatingFinalMark } from './final-lock';
import { hasCode } from './verdict';

describe('R-FINAL-LOCK: period and annual marks are not revised', () => {
  it('accepts setting a first period mark', () => {
    expect(checkPeriodMarkChange({ grade: 7, term: 'period', previous: null, next: '4' }).level).toBe('ok');
  });

  it('refuses revising a quarter mark; an error is corrected through a deputy-approved request (п. 7.14)', () => {
    const v = checkPeriodMarkChange({ grade: 7, term: 'period', previous: '3', next: '4' });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-FINAL-LOCK', clause: 'п. 7.14', code: 'needs_correction_request' });
  });

  it('refuses annulling an annual mark of grade 8 without a correction request (п. 7.14)', () => {
    expect(hasCode(checkPeriodMarkChange({ grade: 8, term: 'annual', previous: '4', next: null }), 'needs_correction_request')).toBe(true);
  });

  it('changes a final mark of grades 9 and 11 only by the director’s order (п. 7.14)', () => {
    expect(hasCode(checkPeriodMarkChange({ grade: 9, term: 'annual', previous: '3', next: '4' }), 'needs_director_order')).toBe(true);
    expect(hasCode(checkPeriodMarkChange({ grade: 11, term: 'final', previous: '4', next: '5' }), 'needs_director_order')).toBe(true);
    expect(hasCode(checkPeriodMarkChange({ grade: 11, term: 'exam', previous: '4', next: '5' }), 'needs_director_order')).toBe(true);
  });

  it('a quarter mark of grade 9 is an ordinary correction; grade 10 is not graduating', () => {
    expect(hasCode(checkPeriodMarkChange({ grade: 9, term: 'period', previous: '3', next: '4' }), 'needs_correction_request')).toBe(true);
    expect(isGraduatingFinalMark(10, 'annual')).toBe(false);
    expect(isGraduatingFinalMark(9, 'final')).toBe(true);
  });

  it('accepts writing the same value again', () => {
    expect(checkPeriodMarkChange({ grade: 11, term: 'final', previous: '5', next: '5' }).level).toBe('ok');
  });
});
