/**
 * Instants → the school's local date and time. The rules never read the clock; they convert the
 * "now" they are given with the school's time zone (an IANA name such as `Asia/Anadyr`, or a
 * fixed offset such as `+12:00`). Intl is ECMAScript, available in Node, Electron and browsers.
 *
 * Study day (учебный день, п. 9.5 «в течение текущего учебного дня»): the lesson's calendar date
 * in the school's time zone, from 00:00 to 23:59:59.999. The window of "the same study day"
 * closes at 00:00 local of the next date.
 */
import type { Instant, LocalDate } from '../domain/values';

export interface LocalDateTime {
  date: LocalDate;
  /** `HH:MM` */
  time: string;
  /** Minutes since local midnight, 0…1439. */
  minutes: number;
}

const OFFSET_RE = /^([+-])(\d{2}):(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a fixed offset `±HH:MM` (up to ±14:00) or an IANA zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  const m = OFFSET_RE.exec(tz);
  if (m) return Number(m[2]) * 60 + Number(m[3]) <= 14 * 60 && Number(m[3]) < 60;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch; throws on a string that is not an ISO instant. */
export function instantMs(instant: Instant): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`not an ISO instant: ${instant}`);
  return ms;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The school-local date and time of an instant. */
export function toLocal(instant: Instant, timeZone: string): LocalDateTime {
  const ms = instantMs(instant);
  const m = OFFSET_RE.exec(timeZone);
  let y: number, mo: number, d: number, h: number, mi: number;
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    const shifted = new Date(ms + sign * (Number(m[2]) * 60 + Number(m[3])) * 60_000);
    [y, mo, d, h, mi] = [shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate(), shifted.getUTCHours(), shifted.getUTCMinutes()];
  } else {
    const parts = formatter(timeZone).formatToParts(new Date(ms));
    const get = (t: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === t)?.value);
    [y, mo, d, h, mi] = [get('year'), get('month'), get('day'), get('hour'), get('minute')];
  }
  return { date: `${y}-${pad(mo)}-${pad(d)}`, time: `${pad(h)}:${pad(mi)}`, minutes: h * 60 + mi };
}

/** R-DATE (п. 9.5 «текущий учебный день»): the school-local date of an instant — the study day it falls on. */
export function localDateOf(instant: Instant, timeZone: string): LocalDate {
  return toLocal(instant, timeZone).date;
}

/** «15.09.2024 23:59» for messages. */
export function formatLocalRu(instant: Instant, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const [y, mo, d] = l.date.split('-');
  return `${d}.${mo}.${y} ${l.time}`;
}

/**
 * The instant of a school-local date and `HH:MM` (a bell time): the inverse of `toLocal`. Solved by
 * two fixed-point steps on the zone's offset, which is exact except inside a DST gap (none in
 * Russia since 2014).
 */
export function localToInstant(date: LocalDate, time: string, timeZone: string): Instant {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const l = toLocal(new Date(guess).toISOString(), timeZone);
    const [ly, lmo, ld] = l.date.split('-').map(Number) as [number, number, number];
    const seen = Date.UTC(ly, lmo - 1, ld, Math.floor(l.minutes / 60), l.minutes % 60);
    guess += wanted - seen;
  }
  return new Date(guess).toISOString();
}
