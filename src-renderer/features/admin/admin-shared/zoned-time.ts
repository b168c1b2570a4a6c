/**
 * Moments typed on screen are the school's wall-clock time (`<input type="datetime-local">`, no
 * zone), never the browser's: the school's time zone (session.school.timeZone) turns them into
 * instants and back.
 */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The wall-clock time in `timeZone` at `ms`, as `YYYY-MM-DDTHH:mm`. */
export function zonedLocal(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** `YYYY-MM-DDTHH:mm` in `timeZone` as a UTC instant (ISO, `Z`); null when the text is not such a time. */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(wall).getUTCDate() !== d) return null;
  // The zone's offset at a first guess, then again at the result (a DST switch in between).
  const offsetAt = (ms: number) => { const l = LOCAL.exec(zonedLocal(ms, timeZone))!; return Date.UTC(+l[1]!, +l[2]! - 1, +l[3]!, +l[4]!, +l[5]!) - ms; };
  let ms = wall - offsetAt(wall);
  ms = wall - offsetAt(ms);
  return new Date(ms).toISOString();
}
