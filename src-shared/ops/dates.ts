/**
 * Dates and instants as they enter the journal (op payloads, contract inputs): a real calendar
 * day within years the journal can mean, not just something shaped like `ГГГГ-ММ-ДД`. A week
 * `9999-99-99` or 31 February is refused with a Russian message instead of rolling over to
 * another day or failing deep inside a query.
 */
import { z } from 'zod';
import { isLocalDate } from '../domain/values';

/** School years the journal keeps: the first digital journals to a century ahead. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
/** A birth date may be older: adult learners (вечерняя школа). */
export const FIRST_BIRTH_YEAR = 1900;

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `s` is not a date in [from, to], in Russian; null when it is one. */
export function localDateProblem(s: string, from = FIRST_YEAR, to = LAST_YEAR): string | null {
  if (!SHAPE.test(s)) return 'дата должна быть в виде ГГГГ-ММ-ДД';
  if (!isLocalDate(s)) {
    const month = Number(s.slice(5, 7));
    return month < 1 || month > 12 ? `дата ${s}: месяца ${month} не бывает` : `дата ${s}: такого дня нет в календаре`;
  }
  const year = Number(s.slice(0, 4));
  if (year < from || year > to) return `дата ${s}: год должен быть от ${from} до ${to}`;
  return null;
}

function dateSchema(from: number, to: number) {
  return z.string({ error: 'дата должна быть строкой вида ГГГГ-ММ-ДД' }).superRefine((s, ctx) => {
    const problem = localDateProblem(s, from, to);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A calendar day `YYYY-MM-DD` in the school's local time, years FIRST_YEAR–LAST_YEAR. */
export const LocalDate = dateSchema(FIRST_YEAR, LAST_YEAR);
/** A birth date: the same rule, from FIRST_BIRTH_YEAR. */
export const BirthDate = dateSchema(FIRST_BIRTH_YEAR, LAST_YEAR);

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Is `s` an ISO 8601 instant with its offset (`…Z` or `…+03:00`), on a real calendar day in years [from, to]? */
export function isInstant(s: string, from = FIRST_YEAR, to = LAST_YEAR): boolean {
  const m = INSTANT.exec(s);
  return !!m && localDateProblem(m[1]!, from, to) === null && !Number.isNaN(Date.parse(s));
}

/** An instant, ISO 8601 with `Z` or an offset (a time without one would be read in whatever zone). */
export const Instant = z.string({ error: 'момент времени должен быть строкой ISO 8601' })
  .refine(isInstant, 'момент времени должен быть в формате ISO 8601 с часовым поясом, например 2026-09-10T10:00:00Z');
