/** Dates and numbers the way Russian school documents write them: «10.09», «10 сентября 2026 г.», «4,5». */
import { addDays } from '../../src-shared/domain/values';

const MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const MONTHS = ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'];
const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];
const WEEKDAYS_SHORT = ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'];

const parts = (d: string) => d.split('-').map(Number) as [number, number, number];
const weekdayIdx = (d: string) => { const [y, m, day] = parts(d); const w = new Date(Date.UTC(y, m - 1, day, 12)).getUTCDay(); return w === 0 ? 6 : w - 1; };

/** «10.09» */
export const dm = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}`;
/** «10.09.2026» */
export const dmy = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
/** «10 сентября» */
export const dayMonth = (d: string) => { const [, m, day] = parts(d); return `${day} ${MONTHS_GEN[m - 1]}`; };
/** «10 сентября 2026 г.» */
export const longDate = (d: string) => `${dayMonth(d)} ${d.slice(0, 4)} г.`;
/** «чт» */
export const weekdayShort = (d: string) => WEEKDAYS_SHORT[weekdayIdx(d)]!;
/** «Четверг» */
export const weekdayName = (d: string) => WEEKDAYS[weekdayIdx(d)]!;
/** «Сентябрь» */
export const monthName = (d: string) => MONTHS[parts(d)[1] - 1]!;
/** «7–12 сентября 2026 г.» or «28 сентября – 3 октября 2026 г.» */
export function weekRange(monday: string, days = 6): string {
  const end = addDays(monday, days - 1);
  const [, m1, d1] = parts(monday);
  const [y2, m2, d2] = parts(end);
  return m1 === m2 ? `${d1}–${d2} ${MONTHS_GEN[m2 - 1]} ${y2} г.` : `${d1} ${MONTHS_GEN[m1 - 1]} – ${d2} ${MONTHS_GEN[m2 - 1]} ${y2} г.`;
}
/** «4,5» (two decimals at most, no trailing zeros) */
export const decimal = (n: number, digits = 2) => n.toFixed(digits).replace(/\.?0+$/, '').replace('.', ',');
/** «10.09.2026 в 14:05» in the school's time zone */
export function instantRu(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const f = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) });
  return f.format(d).replace(',', ' в');
}
export function timeRu(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(d);
}
/** Russian plural: plural(3, 'урок', 'урока', 'уроков') */
export function plural(n: number, one: string, few: string, many: string): string {
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a > 10 && a < 20) return many;
  if (b > 1 && b < 5) return few;
  if (b === 1) return one;
  return many;
}
/** «Петров Пётр Ильич» */
export const fullName = (p: { lastName: string; firstName: string; middleName?: string | null }) => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
/** «Петров Пётр» — the gradebook's row names */
export const listName = (p: { lastName: string; firstName: string }) => `${p.lastName} ${p.firstName}`;
