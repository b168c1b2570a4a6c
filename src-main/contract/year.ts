/**
 * The contract's rows for closing the year and the archive (src-shared/contract/year.ts). The
 * checklist is read from the journal (commands/year-close.ts); closing and re-opening are one
 * `year.set` each, through the guard — which refuses a year with gaps, and anyone but the director.
 */
import { execute } from '../commands/execute';
import { yearChecklistOf, yearRecord } from '../commands/year-close';
import { JournalError } from '../journal/errors';
import { draft } from '../journal/log';
import type { Journal } from '../journal/open';
import { change, cmd, type DispatchContext, type Handlers, type Reads } from './context';

function year(j: Journal, yearId: string) {
  const y = yearRecord(j, yearId);
  if (!y) throw new JournalError('not_found', 'Учебный год не найден');
  return y;
}

/** `year.set` with `closed` changed; the name and the dates as they are. */
function setClosed(ctx: DispatchContext, yearId: string, closed: boolean) {
  const y = year(ctx.journal, yearId);
  if (y.closed === closed) throw new JournalError('conflict', closed ? `Учебный год ${y.name} уже закрыт` : `Учебный год ${y.name} не закрыт`);
  return change(() => execute(cmd(ctx), () => [draft('year.set', { id: y.id, name: y.name, starts: y.starts, ends: y.ends, closed })]));
}

export const yearHandlers = {
  'year.checklist': (ctx, i) => {
    const c = yearChecklistOf(ctx.journal, i.yearId);
    if (!c) throw new JournalError('not_found', 'Учебный год не найден');
    return { ...c, closed: year(ctx.journal, i.yearId).closed };
  },
  'year.status': (ctx, i) => {
    const yearId = i.yearId ?? (ctx.journal.stmt('SELECT year_id FROM course WHERE id = ?').pluck().get(i.courseId) as string | undefined);
    const y = yearId === undefined ? undefined : yearRecord(ctx.journal, yearId);
    return { year: y ? { id: y.id, name: y.name, closed: y.closed } : null };
  },
  'year.close': (ctx, i) => setClosed(ctx, i.yearId, true),
  // The reason is required of the director; `year.set` v1 has no field to keep it (src-shared/contract/year.ts).
  'year.reopen': (ctx, i) => setClosed(ctx, i.yearId, false),
} satisfies Handlers;

export const yearReads = {
  'year.checklist': 'year.checklist',
  'year.status': 'year.status',
  // Changes, authorized before the year is looked up; their op then goes through the guard.
  'year.close': 'year.manage',
  'year.reopen': 'year.manage',
} satisfies Reads;
