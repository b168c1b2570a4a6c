import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleMark } from './inputs';
import { checkFraction, checkPeriodMarkValue, checkPointsAllowed, countedPoints, countMarks, plainMean } from './marks';

const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({ date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'russian', grade: 6, ...p });
const mark = (value: string, p: Partial<RuleMark> = {}): RuleMark => ({ value, column: 'main', ...p });

describe('R-MARKS: which values are allowed where', () => {
  it('refuses points in grade 1 (п. 9.5)', () => {
    const v = checkPointsAllowed(1);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-MARKS', clause: 'п. 9.5' });
  });

  it('allows points from grade 2 on (п. 9.5)', () => {
    for (const g of [2, 5, 9, 11]) expect(checkPointsAllowed(g).level).toBe('ok');
  });

  it('allows «осв» and «н/а» as period marks, and points from grade 2 (п. 7.14, 9.5)', () => {
    for (const v of ['5', '4', '3', '2', '1', 'осв', 'н/а'] as const) expect(checkPeriodMarkValue(5, v).level).toBe('ok');
  });

  it('refuses a period mark in points in grade 1 but allows «осв» and «н/а» (п. 9.5)', () => {
    expect(checkPeriodMarkValue(1, '4').level).toBe('refuse');
    expect(checkPeriodMarkValue(1, 'осв').level).toBe('ok');
    expect(checkPeriodMarkValue(1, 'н/а').level).toBe('ok');
  });
});

describe('R-FRACTION: a fraction is two marks', () => {
  it('counts each part of a fraction as a separate mark (п. 7.15)', () => {
    expect(countedPoints(['5/3'])).toEqual([5, 3]);
    expect(countMarks(['5', '5/3', '4'])).toBe(4);
  });

  it('averages a fraction as two marks: 5, 5/3 → (5 + 5 + 3) / 3 (п. 7.15)', () => {
    expect(plainMean(['5', '5/3'])).toBeCloseTo(13 / 3, 12);
    expect(plainMean([])).toBeNull();
  });

  it('accepts a fraction for a Russian control dictation with grammar task (п. 7.15)', () => {
    expect(checkFraction(lesson({ workType: 'control_dictation' }), mark('4/3')).level).toBe('ok');
  });

  it('accepts a fraction for a literature creative work in grades 5–9 (п. 7.15)', () => {
    expect(checkFraction(lesson({ subjectCode: 'literature', grade: 7 }), mark('5/4', { workType: 'essay' })).level).toBe('ok');
    expect(checkFraction(lesson({ subjectCode: 'literature', grade: 7 }), mark('5/4', { workType: 'creative' })).level).toBe('ok');
  });

  it('warns about a fraction for other works (п. 7.15)', () => {
    const v = checkFraction(lesson({ subjectCode: 'math', workType: 'control' }), mark('5/4'));
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-FRACTION', clause: 'п. 7.15' });
  });

  it('refuses a fraction in a separate column (п. 7.15)', () => {
    expect(checkFraction(lesson({ subjectCode: 'literature' }), mark('5/4', { column: 'reading', workType: 'reading' })).level).toBe('refuse');
  });

  it('leaves a single mark alone', () => {
    expect(checkFraction(lesson({ subjectCode: 'math' }), mark('5')).level).toBe('ok');
  });
});
