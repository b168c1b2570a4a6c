import { describe, expect, it } from 'vitest';
import { addDays, weekday, type LocalDate } from '../../src-shared/domain/values';
import { openJournal } from '../journal/open';
import { verifyJournal } from '../journal/verify';
import { isSchoolDay, schoolCalendar, type SchoolCalendar } from './calendar';
import { generateDemo } from './generate';

const cal = schoolCalendar('2026-09-01');
const schoolDay = (d: LocalDate) => isSchoolDay(cal, d, 5);
const prevWeekday = (d: LocalDate) => { let x = addDays(d, -1); while (weekday(x) > 5) x = addDays(x, -1); return x; };

/** Days of the 2026/27 year that begin, end or interrupt something; each says what it is, and the calendar is asked whether it still is. */
const DAYS: { today: LocalDate; what: string; is: (c: SchoolCalendar, d: LocalDate) => boolean }[] = [
  { today: '2026-09-01', what: 'the first day of the year', is: (c, d) => d === c.starts && schoolDay(d) },
  { today: '2026-09-02', what: 'its second day', is: (c, d) => addDays(c.starts, 1) === d && schoolDay(d) },
  { today: '2026-09-03', what: 'its third day', is: (c, d) => addDays(c.starts, 2) === d && schoolDay(d) },
  { today: '2026-10-28', what: 'a weekday of the autumn holidays', is: (c, d) => weekday(d) <= 5 && c.holidays.some((h) => h.id.endsWith('autumn') && d >= h.starts && d <= h.ends) },
  { today: '2026-11-05', what: 'the first school day after the autumn holidays', is: (_c, d) => schoolDay(d) && !schoolDay(prevWeekday(d)) && !schoolDay(prevWeekday(prevWeekday(d))) },
  { today: '2026-11-30', what: 'the last day of the I trimester', is: (c, d) => c.periods.some((p) => p.id.endsWith('t1') && p.ends === d) && schoolDay(d) },
  { today: '2026-12-01', what: 'the first day of the II trimester', is: (c, d) => c.periods.some((p) => p.id.endsWith('t2') && p.starts === d) && schoolDay(d) },
  { today: '2027-01-12', what: 'the first day after the winter holidays, of the II half-year', is: (c, d) => c.periods.some((p) => p.id.endsWith('h2') && p.starts === d) && schoolDay(d) && !schoolDay(prevWeekday(d)) },
  { today: '2027-05-31', what: 'the last school day', is: (c, d) => d === c.ends && schoolDay(d) },
  { today: '2027-07-15', what: 'a summer day after the year', is: (c, d) => d > c.ends && schoolCalendar(d).yearId === c.yearId },
];

describe('demo generator: any today of the school year', () => {
  it('asks the calendar about days that are what they say', () => {
    for (const { today, what, is } of DAYS) expect(is(cal, today), `${today}: ${what}`).toBe(true);
  });

  it.each(DAYS)('makes a journal that verifies with today $today, $what', ({ today }) => {
    const j = openJournal(':memory:', { create: true, device: 'demo', durability: 'off' });
    try {
      generateDemo(j, { seed: 1, students: 20, today });
      expect(verifyJournal(j)).toMatchObject({ ok: true, problems: [] });
      // R-ACK: parents acknowledge the diary in the last week before today, never before the year's first day.
      const acks = j.sqlite.prepare('SELECT substr(at, 1, 10) AS d FROM diary_ack').pluck().all() as string[];
      for (const d of acks) {
        expect(d >= cal.starts, `an acknowledgement on ${d}`).toBe(true);
        expect(d >= addDays(today, -6) && d <= today, `an acknowledgement on ${d}`).toBe(true);
      }
      // In the year's first week the parents do read it: the acknowledgements were not simply dropped.
      if (today === '2026-09-03') expect(acks.length).toBeGreaterThan(0);
    } finally {
      j.close();
    }
  });
});
