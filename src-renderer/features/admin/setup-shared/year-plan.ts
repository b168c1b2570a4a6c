/**
 * The school year's calendar as the administrator fills it in (R-SETUP, п. 9.6): the usual dates a
 * new year starts from, and the checks made before anything is sent (a period or holiday lies
 * inside its year and does not end before it starts; bells are ЧЧ:ММ).
 */
import type { PeriodScheme } from '../../../../src-shared/domain/school';
import { isLocalDate } from '../../../../src-shared/domain/values';
import { dmy } from '../../../app/format';
import { periodName } from './labels';

export interface DatedDraft { name: string; starts: string; ends: string }
export interface PeriodDraft extends DatedDraft { number: number }
export interface HolidayDraft extends DatedDraft { grades: number[] | null }
export interface YearProposal { name: string; starts: string; ends: string; periods: PeriodDraft[]; holidays: HolidayDraft[] }

const d = (y: number, md: string) => `${y}-${md}`;
const lastOfFebruary = (y: number) => (new Date(Date.UTC(y, 2, 0)).getUTCDate() === 29 ? `${y}-02-29` : `${y}-02-28`);

/** The study periods of a scheme in a year that starts on 1 September of `y`, in the usual places. */
export function proposePeriods(y: number, scheme: PeriodScheme): PeriodDraft[] {
  const n = y + 1;
  const spans: [string, string][] = scheme === 'quarters'
    ? [[d(y, '09-01'), d(y, '10-25')], [d(y, '11-05'), d(y, '12-28')], [d(n, '01-12'), d(n, '03-21')], [d(n, '04-01'), d(n, '05-31')]]
    : scheme === 'trimesters'
      ? [[d(y, '09-01'), d(y, '11-30')], [d(y, '12-01'), lastOfFebruary(n)], [d(n, '03-01'), d(n, '05-31')]]
      : [[d(y, '09-01'), d(y, '12-28')], [d(n, '01-12'), d(n, '05-31')]];
  return spans.map(([starts, ends], i) => ({ number: i + 1, name: periodName(scheme, i + 1), starts, ends }));
}

/** A new year: 1 September – 31 May, four quarters, the holidays between them (the admin adjusts). */
export function proposeYear(y: number, scheme: PeriodScheme = 'quarters'): YearProposal {
  const n = y + 1;
  return {
    name: `${y}/${n}`,
    starts: d(y, '09-01'),
    ends: d(n, '05-31'),
    periods: proposePeriods(y, scheme),
    holidays: [
      { name: 'Осенние каникулы', starts: d(y, '10-26'), ends: d(y, '11-04'), grades: null },
      { name: 'Зимние каникулы', starts: d(y, '12-29'), ends: d(n, '01-11'), grades: null },
      { name: 'Дополнительные каникулы для первоклассников', starts: d(n, '02-08'), ends: d(n, '02-14'), grades: [1] },
      { name: 'Весенние каникулы', starts: d(n, '03-22'), ends: d(n, '03-31'), grades: null },
    ],
  };
}

/** The year after the latest one there is; with no years, the one that starts this calendar year (or began last September). */
export function nextStartYear(years: readonly { starts: string }[], today: string): number {
  const latest = Math.max(...years.map((y) => Number(y.starts.slice(0, 4))));
  if (Number.isFinite(latest)) return latest + 1;
  const t = Number(today.slice(0, 4));
  return today.slice(5) < '06-01' ? t - 1 : t;
}

/** Why these dates cannot be sent, or null: real dates, start ≤ end, inside the year. */
export function datesProblem(starts: string, ends: string, year: { starts: string; ends: string; name: string } | null, what: string): string | null {
  if (!isLocalDate(starts)) return `${what}: укажите дату начала`;
  if (!isLocalDate(ends)) return `${what}: укажите дату окончания`;
  if (starts > ends) return `${what}: начало (${dmy(starts)}) позже окончания (${dmy(ends)})`;
  if (year && (starts < year.starts || ends > year.ends)) return `${what}: даты ${dmy(starts)}–${dmy(ends)} выходят за учебный год ${year.name} (${dmy(year.starts)}–${dmy(year.ends)})`;
  return null;
}

/** «1, 2» → [1, 2]; empty → null (all grades); a wrong entry → a message. */
export function parseGrades(text: string): { grades: number[] | null } | { problem: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { grades: null };
  const grades: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 11) return { problem: `классы каникул: «${p}» — не параллель от 1 до 11` };
    if (!grades.includes(n)) grades.push(n);
  }
  return { grades: grades.sort((a, b) => a - b) };
}

export const isHhmm = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** Why these bell times cannot be sent, or null. */
export function bellProblem(number: number, starts: string, ends: string): string | null {
  if (!Number.isInteger(number) || number < 0 || number > 12) return 'номер урока — от 0 до 12';
  if (!isHhmm(starts) || !isHhmm(ends)) return 'время звонка — в виде ЧЧ:ММ, например 08:30';
  if (starts >= ends) return `урок ${number}: начало (${starts}) должно быть раньше окончания (${ends})`;
  return null;
}
