import { describe, expect, it } from 'vitest';
import { zonedLocal, zonedToInstant } from './zoned-time';

describe('the school\'s wall-clock time', () => {
  it('reads 14:00 in Yekaterinburg (UTC+5) as 09:00 UTC', () => {
    expect(zonedToInstant('2026-09-10T14:00', 'Asia/Yekaterinburg')).toBe('2026-09-10T09:00:00.000Z');
  });

  it('shows an instant as the school\'s wall clock, across midnight', () => {
    expect(zonedLocal(Date.parse('2026-09-10T21:30:00Z'), 'Europe/Moscow')).toBe('2026-09-11T00:30');
  });

  it('goes there and back for every hour of a day in a zone with summer time', () => {
    for (let h = 0; h < 24; h++) {
      const local = `2026-03-29T${String(h).padStart(2, '0')}:15`;
      const back = zonedLocal(Date.parse(zonedToInstant(local, 'Europe/Berlin')!), 'Europe/Berlin');
      // 02:15 does not exist in Berlin that night (clocks jump to 03:00): it lands an hour later.
      expect(back).toBe(h === 2 ? '2026-03-29T03:15' : local);
    }
  });

  it('refuses text that is not a wall-clock time or a day the calendar lacks', () => {
    expect(zonedToInstant('10.09.2026 14:00', 'Europe/Moscow')).toBeNull();
    expect(zonedToInstant('2026-02-30T10:00', 'Europe/Moscow')).toBeNull();
  });
});
