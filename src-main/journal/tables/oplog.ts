/**
 * Reads of the op log through the `op_log` view (the compact `op_record` decoded, migration 0004):
 * a cell's history is recovered from the ops that touched it (R-AUDIT).
 */
import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import * as t from '../schema';
import type { Journal } from '../handle';

const o = t.opLog;
/** A view's column as it is: the view declares no NOT NULL, every op has these. */
const nn = <T>(col: { _: { data: T } }): SQL<T> => sql<T>`${col}`;

/** An op as a history reads it (the payload still packed). */
export interface ScopedOp { device: string; seq: number; author: string; kind: string; hlc: string; payload: string }

/** The ops of a scope (a lesson, a period-mark cell …) and the decisions of the given corrections, in log order. */
export function opsOfScope(j: Journal, scope: string, correctionIds: string[] = []): ScopedOp[] {
  return j.db.select({ device: nn(o.device), seq: nn(o.seq), author: nn(o.author), kind: nn(o.kind), hlc: nn(o.hlc), payload: nn(o.payload) }).from(o)
    .where(correctionIds.length ? or(eq(o.scope, scope), and(eq(o.kind, 'correction.decide'), inArray(o.scope, correctionIds))) : eq(o.scope, scope))
    .orderBy(asc(o.pos)).all();
}

export function opCount(j: Journal): number {
  return j.db.select({ n: count() }).from(o).get()?.n ?? 0;
}
