import { describe, it, expect } from 'vitest';
import { attestationWeek, checkPeriodMarkTiming } from './attestation-timing';

const at = (local: string) => `${local}:00+12:00`;
const period = { starts: '2024-09-02', ends: '2024-10-25' };
const lastLesson = { date: '2024-10-24', endsAt: at('2024-10-24T10:45') };

describe('R-ATTEST-TIMING: period marks in the last week, after the last lesson', () => {
  it('the last week is the period’s last 7 days', () => {
    expect(attestationWeek(period)).toEqual({ from: '2024-10-19', to: '2024-10-25' });
  });

  it('accepts a period mark after the subject’s last lesson, in the last week (п. 9.5)', () => {
    expect(checkPeriodMarkTiming({ period, lastLesson, now: at('2024-10-24T10:45') }).level).toBe('ok');
    expect(checkPeriodMarkTiming({ period, lastLesson, now: at('2024-10-25T23:59') }).level).toBe('ok');
  });

  it('refuses a period mark before the subject’s last lesson has ended (п. 9.5)', () => {
    const v = checkPeriodMarkTiming({ period, lastLesson, now: at('2024-10-24T10:44') });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-ATTEST-TIMING', clause: 'п. 9.5' });
    expect(checkPeriodMarkTiming({ period, lastLesson: { date: '2024-10-24' }, now: at('2024-10-23T12:00') }).level).toBe('refuse');
  });

  it('warns about a period mark before the last week when the last lesson was earlier', () => {
    const v = checkPeriodMarkTiming({ period, lastLesson: { date: '2024-10-10' }, now: at('2024-10-18T12:00') });
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.message).toContain('19.10.2024');
  });

  it('warns about a period mark after the period ended (holidays) (п. 9.5)', () => {
    expect(checkPeriodMarkTiming({ period, lastLesson, now: at('2024-10-26T09:00') }).level).toBe('warn');
  });
});
