import { describe, it, expect } from 'vitest';
import type { StudentLessonRecord } from './inputs';
import { checkPeriodMarkAttendance, isMoreThanHalfMissed, naStatus, summariseAttendance } from './not-attested';
import { hasCode } from './verdict';

/** `missed` of `lessons` missed; the first `valid` of the absences for a valid reason. */
function records(lessons: number, missed: number, valid = 0): StudentLessonRecord[] {
  return Array.from({ length: lessons }, (_, i) => ({
    date: `2024-10-${String(i + 1).padStart(2, '0')}`, number: 1, absent: i < missed, reason: i < valid ? 'illness' as const : null,
  }));
}

describe('R-NA: more than half of the lessons missed', () => {
  it('counts lessons, absences and valid absences, leaving out extracurricular lessons', () => {
    const r = [...records(10, 4, 1), { date: '2024-10-20', number: 7, absent: false, kind: 'extracurricular' as const }];
    expect(summariseAttendance(r)).toEqual({ lessons: 10, missed: 4, missedValid: 1, share: 0.4 });
    expect(summariseAttendance([])).toEqual({ lessons: 0, missed: 0, missedValid: 0, share: 0 });
  });

  it('exactly half missed (10 of 20) is not more than half: attested (п. 7.14)', () => {
    const s = summariseAttendance(records(20, 10));
    expect(isMoreThanHalfMissed(s)).toBe(false);
    expect(naStatus(s, null)).toBe('attest');
  });

  it('11 of 20 missed is more than half: not attested (п. 7.14)', () => {
    const s = summariseAttendance(records(20, 11));
    expect(isMoreThanHalfMissed(s)).toBe(true);
    expect(naStatus(s, null)).toBe('not_attested');
  });

  it('with an odd number of lessons, 5 of 9 is more than half and 4 of 9 is not', () => {
    expect(isMoreThanHalfMissed(summariseAttendance(records(9, 5)))).toBe(true);
    expect(isMoreThanHalfMissed(summariseAttendance(records(9, 4)))).toBe(false);
  });

  it('the deputy’s decision settles it either way (п. 7.14)', () => {
    const s = summariseAttendance(records(20, 15));
    expect(naStatus(s, { attest: true, note: 'по согласованию с родителями' })).toBe('attest_by_decision');
    expect(naStatus(s, { attest: false, note: 'не аттестовать' })).toBe('not_attested_by_decision');
  });

  it('refuses a mark for a student who missed more than half, asking for the deputy’s decision (п. 7.14)', () => {
    const s = summariseAttendance(records(20, 11));
    const v = checkPeriodMarkAttendance('3', s, null);
    expect(hasCode(v, 'needs_deputy_decision')).toBe(true);
    expect(v.findings[0]?.message).toContain('11 из 20');
    expect(checkPeriodMarkAttendance('н/а', s, null).level).toBe('ok');
    expect(checkPeriodMarkAttendance('3', s, { attest: true, note: 'решение' }).level).toBe('ok');
    expect(checkPeriodMarkAttendance('3', s, { attest: false, note: 'решение' }).level).toBe('refuse');
  });

  it('accepts a mark for a student who missed exactly half (п. 7.14)', () => {
    expect(checkPeriodMarkAttendance('3', summariseAttendance(records(20, 10)), null).level).toBe('ok');
  });
});
