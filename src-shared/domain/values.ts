/** Plain value types that cross every boundary as JSON-safe strings. */

/** A calendar date in the school's local time, `YYYY-MM-DD`. Never a `Date`: no time zone games. */
export type LocalDate = string;
/** An instant, ISO 8601 with offset or `Z`. */
export type Instant = string;
/** Entity ids are short strings made by the device that created the entity (see ops/ids.ts). */
export type Id = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Day arithmetic on local dates (UTC noon avoids DST edges). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d + days, 12));
  return dt.toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d, 12)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Monday of the week that contains `date`. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekday(date));
}

/** «10.09.2026» — how dates are written in Russian documents. */
export function formatDateRu(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
