/**
 * The demo school's year: which school year `today` falls in (September–May; in June–August the
 * year that has just ended), its study periods, holidays, bells and local time.
 * The school is in the Yamal-Nenets district: UTC+5 all year (no DST), Asia/Yekaterinburg.
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays, weekday, weekStart } from '../../src-shared/domain/values';
import type { PeriodScheme } from '../../src-shared/domain/school';

export const TIME_ZONE = 'Asia/Yekaterinburg';
const OFFSET_MIN = 5 * 60;

export interface Bell { number: number; starts: string; ends: string }

/** 8:30 start, 40-minute lessons, two long breaks for meals after the 2nd and 3rd lessons. Lesson 8: clubs. */
export const BELLS: readonly Bell[] = [
  { number: 1, starts: '08:30', ends: '09:10' },
  { number: 2, starts: '09:20', ends: '10:00' },
  { number: 3, starts: '10:20', ends: '11:00' },
  { number: 4, starts: '11:20', ends: '12:00' },
  { number: 5, starts: '12:10', ends: '12:50' },
  { number: 6, starts: '13:00', ends: '13:40' },
  { number: 7, starts: '13:50', ends: '14:30' },
  { number: 8, starts: '14:40', ends: '15:20' },
];

export interface Holiday { id: string; name: string; starts: LocalDate; ends: LocalDate; grades?: number[] }
export interface Period { id: string; scheme: PeriodScheme; number: number; name: string; starts: LocalDate; ends: LocalDate }

export interface SchoolCalendar {
  startYear: number;
  yearId: string;
  yearName: string;
  starts: LocalDate;
  ends: LocalDate;
  holidays: Holiday[];
  periods: Period[];
}

const pad = (n: number) => String(n).padStart(2, '0');
export const ymd = (y: number, m: number, d: number): LocalDate => `${y}-${pad(m)}-${pad(d)}`;

/** Milliseconds of a school-local date and time («HH:MM» or minutes after midnight). */
export function localMs(date: LocalDate, time: string | number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const minutes = typeof time === 'number' ? time : Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return Date.UTC(y, m - 1, d, 0, minutes) - OFFSET_MIN * 60_000;
}

export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function lastDayOfFebruary(y: number): number {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

/** A public holiday; on a weekend the day off moves to the next Monday (the usual transfer). */
function publicHoliday(yearId: string, key: string, name: string, date: LocalDate): Holiday {
  const wd = weekday(date);
  const day = wd === 6 ? addDays(date, 2) : wd === 7 ? addDays(date, 1) : date;
  return { id: `${yearId}-${key}`, name, starts: day, ends: day };
}

/** The school year that contains `today` (September–May); in June–August, the year just ended. */
export function schoolCalendar(today: LocalDate): SchoolCalendar {
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const y = tm >= 9 ? ty : ty - 1;
  const n = y + 1;
  const yearId = `y${y}`;
  const autumn = weekStart(ymd(y, 10, 26));
  const spring = weekStart(ymd(n, 3, 24));
  const february = weekStart(ymd(n, 2, 17));
  const holidays: Holiday[] = [
    { id: `${yearId}-autumn`, name: 'Осенние каникулы', starts: autumn, ends: addDays(autumn, 8) },
    publicHoliday(yearId, 'nov4', 'День народного единства', ymd(y, 11, 4)),
    { id: `${yearId}-winter`, name: 'Зимние каникулы', starts: ymd(y, 12, 29), ends: ymd(n, 1, 11) },
    { id: `${yearId}-g1`, name: 'Дополнительные каникулы для первоклассников', starts: february, ends: addDays(february, 6), grades: [1] },
    publicHoliday(yearId, 'feb23', 'День защитника Отечества', ymd(n, 2, 23)),
    publicHoliday(yearId, 'mar8', 'Международный женский день', ymd(n, 3, 8)),
    { id: `${yearId}-spring`, name: 'Весенние каникулы', starts: spring, ends: addDays(spring, 6) },
    publicHoliday(yearId, 'may1', 'Праздник Весны и Труда', ymd(n, 5, 1)),
    publicHoliday(yearId, 'may9', 'День Победы', ymd(n, 5, 9)),
  ];
  const starts = ymd(y, 9, 1);
  const ends = ymd(n, 5, 31);
  const periods: Period[] = [
    { id: `${yearId}-t1`, scheme: 'trimesters', number: 1, name: 'I триместр', starts, ends: ymd(y, 11, 30) },
    { id: `${yearId}-t2`, scheme: 'trimesters', number: 2, name: 'II триместр', starts: ymd(y, 12, 1), ends: ymd(n, 2, lastDayOfFebruary(n)) },
    { id: `${yearId}-t3`, scheme: 'trimesters', number: 3, name: 'III триместр', starts: ymd(n, 3, 1), ends },
    { id: `${yearId}-h1`, scheme: 'halves', number: 1, name: 'I полугодие', starts, ends: ymd(y, 12, 28) },
    { id: `${yearId}-h2`, scheme: 'halves', number: 2, name: 'II полугодие', starts: ymd(n, 1, 12), ends },
  ];
  return { startYear: y, yearId, yearName: `${y}/${n}`, starts, ends, holidays, periods };
}

/** Is `date` a school day for `grade`: Mon–Fri, inside the year, not a holiday for that grade. */
export function isSchoolDay(cal: SchoolCalendar, date: LocalDate, grade: number): boolean {
  if (date < cal.starts || date > cal.ends || weekday(date) > 5) return false;
  for (const h of cal.holidays) {
    if (date >= h.starts && date <= h.ends && (!h.grades || h.grades.includes(grade))) return false;
  }
  return true;
}

/** R-SOFT-WARN: a holiday (for `grade`) ended between the course's previous lesson `prev` and `date`. */
export function holidayJustBefore(cal: SchoolCalendar, prev: LocalDate | undefined, date: LocalDate, grade: number): boolean {
  if (!prev) return false;
  return cal.holidays.some((h) => h.ends >= prev && h.ends < date && (!h.grades || h.grades.includes(grade)));
}

export function schemeOfGrade(grade: number): PeriodScheme {
  return grade >= 10 ? 'halves' : 'trimesters';
}

export function periodOf(cal: SchoolCalendar, scheme: PeriodScheme, date: LocalDate): Period | undefined {
  return cal.periods.find((p) => p.scheme === scheme && date >= p.starts && date <= p.ends);
}

/** «12.10.2026» */
export function ru(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
