import { describe, expect, it } from 'vitest';
import { bellProblem, datesProblem, nextStartYear, parseGrades, proposePeriods, proposeYear } from './year-plan';

describe('a new school year proposed (R-SETUP)', () => {
  it('runs from 1 September to 31 May of the next year, in four quarters with holidays between them', () => {
    const y = proposeYear(2027);
    expect([y.name, y.starts, y.ends]).toEqual(['2027/2028', '2027-09-01', '2028-05-31']);
    expect(y.periods.map((p) => [p.number, p.name])).toEqual([[1, 'I четверть'], [2, 'II четверть'], [3, 'III четверть'], [4, 'IV четверть']]);
    expect(y.periods[0]!.starts).toBe(y.starts);
    expect(y.periods[3]!.ends).toBe(y.ends);
    for (const p of [...y.periods, ...y.holidays]) expect(datesProblem(p.starts, p.ends, y, p.name)).toBeNull();
  });

  it('puts no holiday day inside a quarter except the first-graders’ extra week', () => {
    const y = proposeYear(2026);
    for (const h of y.holidays.filter((x) => x.grades === null)) {
      for (const p of y.periods) expect(h.ends < p.starts || h.starts > p.ends, `${h.name} × ${p.name}`).toBe(true);
    }
    expect(y.holidays.find((h) => h.grades)?.grades).toEqual([1]);
  });

  it('ends the second trimester on 29 February in a leap year', () => {
    expect(proposePeriods(2027, 'trimesters')[1]!.ends).toBe('2028-02-29');
    expect(proposePeriods(2026, 'trimesters')[1]!.ends).toBe('2027-02-28');
    expect(proposePeriods(2026, 'halves').map((p) => p.name)).toEqual(['I полугодие', 'II полугодие']);
  });

  it('follows the latest year, or starts this September when there is none', () => {
    expect(nextStartYear([{ starts: '2026-09-01' }, { starts: '2025-09-01' }], '2026-09-10')).toBe(2027);
    expect(nextStartYear([], '2026-08-20')).toBe(2026);
    expect(nextStartYear([], '2027-03-01')).toBe(2026);
  });
});

describe('dates checked before sending', () => {
  const year = { name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' };
  it('refuses an end before the start and dates outside the year', () => {
    expect(datesProblem('2026-11-05', '2026-11-01', year, 'Каникулы')).toMatch(/начало \(05\.11\.2026\) позже окончания/);
    expect(datesProblem('2027-05-25', '2027-06-02', year, 'IV четверть')).toMatch(/выходят за учебный год 2026\/2027/);
    expect(datesProblem('', '2026-11-01', year, 'Каникулы')).toMatch(/дату начала/);
    expect(datesProblem('2026-11-01', '2026-11-01', year, 'День')).toBeNull();
  });
  it('reads the grades of holidays and bells as ЧЧ:ММ', () => {
    expect(parseGrades('')).toEqual({ grades: null });
    expect(parseGrades('2, 1 1')).toEqual({ grades: [1, 2] });
    expect(parseGrades('1, 12')).toMatchObject({ problem: expect.stringMatching(/«12»/) });
    expect(bellProblem(1, '8:30', '09:10')).toMatch(/ЧЧ:ММ/);
    expect(bellProblem(13, '08:30', '09:10')).toMatch(/от 0 до 12/);
    expect(bellProblem(1, '09:10', '08:30')).toMatch(/раньше окончания/);
    expect(bellProblem(0, '08:00', '08:40')).toBeNull();
  });
});
