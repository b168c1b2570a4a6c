/**
 * What a contract handler gets — the journal, the authenticated account, the clock — and the
 * shape of the handler tables (journal.ts, views.ts, reports.ts) that dispatch.ts routes to.
 */
import type { z } from 'zod';
import type { Method, methods } from '../../src-shared/contract/methods';
import type { Scope } from '../../src-shared/policy/decision';
import type { QueryName } from '../../src-shared/policy/queries';
import type { Journal } from '../journal/open';
import { policyFacts } from '../journal/facts';
import type { Clock, CommandResult, Guard } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import type { PrintOptions } from '../reports/print';

export interface DispatchContext {
  journal: Journal;
  /** The authenticated account (the transport authenticated it). */
  accountId: string;
  clock: Clock;
  /** Defaults to the regulation guard; tests of the journal alone may pass another. */
  guard?: Guard;
  /** Validate outputs against the contract (tests). */
  checkOutput?: boolean;
  /** The fonts folder for printed documents (default: resources/fonts). */
  fontsDir?: string;
  /**
   * Where an internal failure is logged with its incident number (the caller only gets the number,
   * see commands/incident.ts). Default: one line on stderr.
   */
  logInternal?: (incident: string, method: string, err: unknown) => void;
}

type Input<M extends Method> = z.output<(typeof methods)[M]['input']>;
export type Handler<M extends Method> = (ctx: DispatchContext, input: Input<M>, scope: Scope | undefined) => unknown;

/** A domain's rows of the handler table: every method once, in exactly one domain (dispatch.ts). */
export type Handlers = { [M in Method]?: Handler<M> };
/** A domain's reads and the policy query each is authorized as. */
export type Reads = { [M in Method]?: QueryName };

/** A change: the command's ops counted, its warnings passed on. */
export function change(run: () => CommandResult) {
  const r = run();
  return { ops: r.ops.length, warnings: r.warnings };
}
export const cmd = (ctx: DispatchContext) => ({ journal: ctx.journal, actor: { accountId: ctx.accountId }, clock: ctx.clock, guard: ctx.guard ?? regulationGuard });

/** Students a `classes` scope lets through. */
export function inScope(j: Journal, scope: Scope | undefined): ((studentId: string) => boolean) | undefined {
  if (!scope || scope.kind !== 'classes') return undefined;
  const classes = new Set(scope.classIds);
  const facts = policyFacts(j);
  return (id) => classes.has(facts.classOfStudent(id) ?? '');
}

/** The scope's read-only hint for the UI (every change is authorized again as an op). */
export function readOnlyOf(scope: Scope | undefined): boolean {
  return scope !== undefined && 'readOnly' in scope ? scope.readOnly : true;
}

/** A document's creation instant is the request's «now». */
export function printing(ctx: DispatchContext): PrintOptions {
  return { createdAt: new Date(ctx.clock.now()).toISOString(), ...(ctx.fontsDir ? { fontsDir: ctx.fontsDir } : {}) };
}
