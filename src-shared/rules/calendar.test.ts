import { describe, expect, it } from 'vitest';
import { checkInsideYear, checkYearHolds } from './calendar';

const YEAR = { name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' };

describe('R-SETUP (п. 9.6): periods and holidays within their school year', () => {
  it('accepts a period from the year\'s first day to its last, both ends included (п. 9.6)', () => {
    expect(checkInsideYear('Учебный период «I полугодие»', { starts: '2026-09-01', ends: '2027-05-31' }, YEAR).level).toBe('ok');
  });

  it('refuses a period starting on 31 August, one day before the year (п. 9.6)', () => {
    const v = checkInsideYear('Учебный период «I четверть»', { starts: '2026-08-31', ends: '2026-10-24' }, YEAR);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-SETUP', clause: 'п. 9.6' });
    expect(v.findings[0]!.message).toBe('Учебный период «I четверть» (31.08.2026–24.10.2026) выходит за пределы учебного года 2026/2027 (01.09.2026–31.05.2027): проверьте год в датах');
  });

  it('refuses holidays ending on 1 June, one day after the year; a typed 2025 too (п. 9.6)', () => {
    expect(checkInsideYear('Каникулы «Летние»', { starts: '2027-05-25', ends: '2027-06-01' }, YEAR).level).toBe('refuse');
    expect(checkInsideYear('Каникулы «Осенние»', { starts: '2025-10-27', ends: '2025-11-04' }, YEAR).level).toBe('refuse');
  });

  it('refuses shortening a year so that a period falls outside, naming it; allows one that still holds all (п. 9.6)', () => {
    const inside = [{ what: 'IV четверть', starts: '2027-03-30', ends: '2027-05-31' }, { what: 'Весенние каникулы', starts: '2027-03-23', ends: '2027-03-29' }];
    const v = checkYearHolds({ ...YEAR, ends: '2027-05-30' }, inside);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]!.message).toContain('IV четверть (30.03.2027–31.05.2027)');
    expect(v.findings[0]!.message).not.toContain('Весенние');
    expect(checkYearHolds(YEAR, inside).level).toBe('ok');
  });
});
