import { describe, it, expect } from 'vitest';
import type { RuleHoliday, StudentLessonRecord } from './inputs';
import { checkSoftWarning, holidayBefore, longAbsenceBefore } from './soft-warn';
import { DEFAULT_RULE_SETTINGS } from './settings';

const rec = (date: string, absent: boolean, number = 2): StudentLessonRecord => ({ date, number, absent });
const lesson = { date: '2024-10-21', number: 2, grade: 6 };
const autumn: RuleHoliday = { starts: '2024-10-26', ends: '2024-11-04' };

describe('R-SOFT-WARN: unsatisfactory marks after a long absence', () => {
  const threeMissed = [rec('2024-10-07', false), rec('2024-10-09', true), rec('2024-10-14', true), rec('2024-10-16', true)];

  it('warns about a 2 on the first lesson after 3 missed lessons (п. 7.14)', () => {
    const v = checkSoftWarning({ lesson, mark: '2', history: threeMissed, holidays: [] });
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-SOFT-WARN', clause: 'п. 7.14', details: { missed: 3, from: '2024-10-09', to: '2024-10-16' } });
  });

  it('does not warn after only 2 missed lessons (п. 7.14)', () => {
    expect(checkSoftWarning({ lesson, mark: '2', history: threeMissed.slice(0, 1).concat(threeMissed.slice(2)), holidays: [] }).level).toBe('ok');
  });

  it('does not warn on the second lesson after the absence (п. 7.14)', () => {
    expect(checkSoftWarning({ lesson, mark: '2', history: [...threeMissed, rec('2024-10-18', false)], holidays: [] }).level).toBe('ok');
  });

  it('warns on the first two lessons when the school sets two', () => {
    const s = { ...DEFAULT_RULE_SETTINGS, softWarn: { ...DEFAULT_RULE_SETTINGS.softWarn, firstLessons: 2 } };
    expect(longAbsenceBefore(lesson, [...threeMissed, rec('2024-10-18', false)], s)?.missed).toBe(3);
  });

  it('never warns about a positive mark, and never refuses (п. 7.14)', () => {
    expect(checkSoftWarning({ lesson, mark: '3', history: threeMissed, holidays: [] }).level).toBe('ok');
    expect(checkSoftWarning({ lesson, mark: '1', history: threeMissed, holidays: [] }).level).toBe('warn');
  });

  it('ignores history after the lesson and history order', () => {
    const shuffled = [rec('2024-10-25', false), ...threeMissed].reverse();
    expect(checkSoftWarning({ lesson, mark: '2', history: shuffled, holidays: [] }).level).toBe('warn');
  });

  it('orders two lessons of one date by their number', () => {
    const history = [rec('2024-10-21', true, 1), rec('2024-10-18', true), rec('2024-10-16', true)];
    expect(longAbsenceBefore({ date: '2024-10-21', number: 2 }, history)?.missed).toBe(3);
    expect(longAbsenceBefore({ date: '2024-10-21', number: 1 }, history)).toBeNull();
  });
});

describe('R-SOFT-WARN: unsatisfactory marks after holidays', () => {
  const first = { date: '2024-11-05', number: 2, grade: 6 };

  it('warns about a 2 on the first lesson after the holidays (п. 7.14)', () => {
    const v = checkSoftWarning({ lesson: first, mark: '2', history: [rec('2024-10-23', false)], holidays: [autumn] });
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.message).toContain('после каникул');
  });

  it('does not warn on the second lesson after the holidays (п. 7.14)', () => {
    const second = { date: '2024-11-07', number: 2, grade: 6 };
    expect(checkSoftWarning({ lesson: second, mark: '2', history: [rec('2024-10-23', false), rec('2024-11-05', false)], holidays: [autumn] }).level).toBe('ok');
  });

  it('a student absent from the first lesson after the holidays gets the warning at their first one', () => {
    const second = { date: '2024-11-07', number: 2, grade: 6 };
    expect(holidayBefore(second, [rec('2024-11-05', true)], [autumn])).toEqual(autumn);
  });

  it('ignores holidays of other grades and the school may switch the holiday warning off', () => {
    expect(holidayBefore(first, [], [{ ...autumn, grades: [1] }])).toBeNull();
    const off = { ...DEFAULT_RULE_SETTINGS, softWarn: { ...DEFAULT_RULE_SETTINGS.softWarn, afterHolidays: false } };
    expect(checkSoftWarning({ lesson: first, mark: '2', history: [], holidays: [autumn] }, off).level).toBe('ok');
  });
});
