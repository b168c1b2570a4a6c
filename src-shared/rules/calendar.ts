/**
 * R-SETUP (п. 9.6): the school year holds its study periods and holidays. A period or holidays
 * set outside their year — a typed 2025 for 2026 — would put lessons in no period and marks in no
 * term; a year shortened so that its periods fall outside is refused the same way.
 */
import { formatDateRu, type LocalDate } from '../domain/values';
import { ok, refuse, type Verdict } from './verdict';

export interface DateSpan { starts: LocalDate; ends: LocalDate }

const span = (s: DateSpan) => `${formatDateRu(s.starts)}–${formatDateRu(s.ends)}`;

/** R-SETUP (п. 9.6): `what` («Учебный период «I четверть»») lies within the school year, both ends included. */
export function checkInsideYear(what: string, s: DateSpan, year: DateSpan & { name: string }): Verdict {
  if (s.starts >= year.starts && s.ends <= year.ends) return ok();
  return refuse('R-SETUP', 'п. 9.6', `${what} (${span(s)}) выходит за пределы учебного года ${year.name} (${span(year)}): проверьте год в датах`);
}

/** R-SETUP (п. 9.6): a year's new dates still hold every period and holiday already set in it. */
export function checkYearHolds(year: DateSpan & { name: string }, inside: readonly (DateSpan & { what: string })[]): Verdict {
  const out = inside.filter((s) => s.starts < year.starts || s.ends > year.ends);
  if (out.length === 0) return ok();
  return refuse('R-SETUP', 'п. 9.6', `Учебный год ${year.name} (${span(year)}) не вмещает: ${out.map((s) => `${s.what} (${span(s)})`).join('; ')} — сначала измените их`);
}
