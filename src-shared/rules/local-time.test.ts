import { describe, it, expect } from 'vitest';
import { formatLocalRu, isValidTimeZone, localDateOf, localToInstant, toLocal } from './local-time';

describe('local time (study day)', () => {
  it('converts an instant to the school’s date and time (Asia/Anadyr, UTC+12)', () => {
    expect(toLocal('2024-09-15T11:59:00Z', 'Asia/Anadyr')).toEqual({ date: '2024-09-15', time: '23:59', minutes: 23 * 60 + 59 });
    expect(localDateOf('2024-09-15T12:00:00Z', 'Asia/Anadyr')).toBe('2024-09-16');
  });

  it('accepts a fixed offset and an instant written with any offset', () => {
    expect(toLocal('2024-09-15T23:59:00+12:00', '+03:00')).toEqual({ date: '2024-09-15', time: '14:59', minutes: 14 * 60 + 59 });
    expect(localDateOf('2024-09-15T22:30:00+03:00', 'Europe/Moscow')).toBe('2024-09-15');
    expect(localDateOf('2024-09-15T22:30:00+03:00', '-05:00')).toBe('2024-09-15');
    expect(localDateOf('2024-09-15T02:30:00+03:00', '-05:00')).toBe('2024-09-14');
  });

  it('validates time zones', () => {
    expect(isValidTimeZone('Asia/Anadyr')).toBe(true);
    expect(isValidTimeZone('+12:00')).toBe(true);
    expect(isValidTimeZone('+15:00')).toBe(false);
    expect(isValidTimeZone('Nowhere/City')).toBe(false);
  });

  it('throws on a string that is not an ISO instant', () => {
    expect(() => toLocal('15.09.2024', 'Asia/Anadyr')).toThrow(/ISO/);
  });

  it('formats for messages', () => {
    expect(formatLocalRu('2024-09-15T11:59:00Z', 'Asia/Anadyr')).toBe('15.09.2024 23:59');
  });
});

describe('bell times to instants', () => {
  it('turns a local bell time into the instant, in a named zone and a fixed offset', () => {
    expect(localToInstant('2026-09-10', '08:30', 'Asia/Yekaterinburg')).toBe('2026-09-10T03:30:00.000Z');
    expect(localToInstant('2026-09-10', '00:10', 'Asia/Anadyr')).toBe('2026-09-09T12:10:00.000Z');
    expect(localToInstant('2026-01-15', '23:59', '+03:00')).toBe('2026-01-15T20:59:00.000Z');
  });
  it('round-trips with toLocal', () => {
    const i = localToInstant('2027-03-01', '14:45', 'Europe/Moscow');
    expect(toLocal(i, 'Europe/Moscow')).toMatchObject({ date: '2027-03-01', time: '14:45' });
  });
});
