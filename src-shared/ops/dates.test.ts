import { describe, expect, it } from 'vitest';
import { BirthDate, Instant, LocalDate, localDateProblem } from './dates';
import { methods } from '../contract/methods';
import { payloads } from './kinds';
import { describeIssues } from './envelope';

const problem = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? null : r.error!.issues.map((i) => i.message).join('; ');
};

describe('dates that enter the journal are real calendar days', () => {
  it('refuses 31 February, month 13 and 9999-99-99, with a Russian message', () => {
    expect(problem(LocalDate, '2026-02-31')).toBe('дата 2026-02-31: такого дня нет в календаре');
    expect(problem(LocalDate, '2026-13-01')).toBe('дата 2026-13-01: месяца 13 не бывает');
    expect(problem(LocalDate, '9999-99-99')).toBe('дата 9999-99-99: месяца 99 не бывает');
    expect(problem(LocalDate, '2026-9-1')).toBe('дата должна быть в виде ГГГГ-ММ-ДД');
    expect(problem(LocalDate, 20260901)).toBe('дата должна быть строкой вида ГГГГ-ММ-ДД');
  });

  it('keeps years within 2000–2100, birth dates from 1900', () => {
    expect(problem(LocalDate, '1999-12-31')).toBe('дата 1999-12-31: год должен быть от 2000 до 2100');
    expect(problem(LocalDate, '2101-01-01')).toBe('дата 2101-01-01: год должен быть от 2000 до 2100');
    expect(problem(LocalDate, '2000-01-01')).toBeNull();
    expect(problem(LocalDate, '2100-12-31')).toBeNull();
    expect(problem(BirthDate, '1961-04-12')).toBeNull();
    expect(problem(BirthDate, '1899-12-31')).toBe('дата 1899-12-31: год должен быть от 1900 до 2100');
  });

  it('accepts 29 February of a leap year only', () => {
    expect(localDateProblem('2028-02-29')).toBeNull();
    expect(localDateProblem('2027-02-29')).toBe('дата 2027-02-29: такого дня нет в календаре');
    expect(localDateProblem('2100-02-29')).toBe('дата 2100-02-29: такого дня нет в календаре');
  });

  it('takes an instant only with its zone, on a real day', () => {
    expect(problem(Instant, '2026-09-10T10:00:00Z')).toBeNull();
    expect(problem(Instant, '2026-09-10T10:00:00.123+05:00')).toBeNull();
    expect(problem(Instant, '2026-09-10T10:00')).toMatch(/с часовым поясом/);
    expect(problem(Instant, '2026-02-31T10:00:00Z')).toMatch(/ISO 8601/); // Date.parse would roll it over to 3 March
    expect(problem(Instant, '2026-09-10T24:00:00Z')).toMatch(/ISO 8601/);
  });

  it('diary.week, attendance.week and report.weekly refuse the week 9999-99-99', () => {
    for (const [m, input] of [
      ['diary.week', { studentId: 's1', week: '9999-99-99' }],
      ['attendance.week', { classId: 'c1', week: '9999-99-99' }],
      ['report.weekly', { classId: 'c1', week: '9999-99-99' }],
    ] as const) {
      const r = methods[m].input.safeParse(input);
      expect(r.success, m).toBe(false);
      expect(describeIssues(r.error!)).toBe('week: дата 9999-99-99: месяца 99 не бывает');
    }
    expect(methods['diary.week'].input.safeParse({ studentId: 's1', week: '2026-09-14' }).success).toBe(true);
  });

  it('every date of an op payload is checked: lessons, years, slots, consents, students', () => {
    expect(describeIssues(payloads['lesson.create'].safeParse({ id: 'l1', courseId: 'c1', date: '2026-02-31', number: 1 }).error!)).toBe('date: дата 2026-02-31: такого дня нет в календаре');
    // Each payload is valid with a real date and refused with the broken one: the date is the cause.
    const refusedOnlyForTheDate = (kind: keyof typeof payloads, make: (d: string) => unknown, good: string, bad: string) => {
      expect(payloads[kind].safeParse(make(good)).success, `${kind} ${good}`).toBe(true);
      expect(payloads[kind].safeParse(make(bad)).success, `${kind} ${bad}`).toBe(false);
    };
    refusedOnlyForTheDate('lesson.move', (date) => ({ id: 'l1', date, number: 1 }), '2026-12-01', '2026-13-01');
    refusedOnlyForTheDate('year.set', (ends) => ({ id: 'y', name: '2026/27', starts: '2026-09-01', ends }), '2027-06-30', '2027-06-31');
    refusedOnlyForTheDate('slot.set', (validFrom) => ({ id: 's', courseId: 'c', weekday: 1, number: 1, validFrom }), '2026-09-01', '0000-01-01');
    refusedOnlyForTheDate('consent.set', (date) => ({ parentId: 'p', kind: 'diary_mode', value: 'electronic', date }), '2026-04-30', '2026-04-31');
    refusedOnlyForTheDate('student.set', (birthDate) => ({ id: 's', lastName: 'Иванов', firstName: 'Иван', classId: null, birthDate }), '1990-05-01', '2015-02-29');
    refusedOnlyForTheDate('breach.record', (from) => ({ id: 'b', accountId: 'a', from, reportedAt: '2026-09-10T00:00:00Z' }), '2026-02-28T00:00:00Z', '2026-02-30T00:00:00Z');
  });
});
