/**
 * Commands are the only way anything changes a journal: build op drafts → check each (the guard:
 * policy and rules, wired in by the caller) → apply + outbox, in ONE SQLite transaction. A
 * refusal or any error rolls the whole command back: nothing half-applied.
 */
import type { Op } from '../../src-shared/ops/envelope';
import { OpError } from '../../src-shared/ops/envelope';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { commitLocal, localOp, newId, type OpDraft } from '../journal/log';
import type { Notice } from '../../src-shared/contract/methods';
import { withSeenValues } from '../journal/conflicts';

/**
 * Who a command acts for: the account. (The policy's `Actor` — roles, children, staff — is read
 * from the journal by the guard: src-shared/policy/actor.ts.)
 */
export interface Author {
  accountId: string;
}

export interface Clock {
  /** Milliseconds since the epoch. Injected: tests and `--now` fix it. */
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** A warning or refusal that explains itself: requirement id and clause (the contract's `Notice`). */
export type { Notice };

/**
 * The seam where policy and rules plug in. It sees the journal as it is just before the draft is
 * applied (earlier drafts of the same command already applied) and returns notices: any `refuse`
 * aborts the whole command; `warn`s are returned to the caller.
 */
export interface Guard {
  /** `op`: parsed once by `localOp` (its payload as the op's schema made it). */
  check(ctx: CommandContext, op: ParsedDraft): Notice[];
}

/** A draft whose payload the op's schema has parsed: what the guard and the rules judge. */
export type ParsedDraft = Pick<Op, 'kind' | 'payload'>;
export const allowAll: Guard = { check: () => [] };

export interface CommandContext {
  journal: Journal;
  actor: Author;
  clock: Clock;
  guard: Guard;
}

export interface CommandResult {
  ops: Op[];
  warnings: Notice[];
}

export class CommandRefused extends Error {
  constructor(readonly notices: Notice[]) {
    super(notices.filter((n) => n.level === 'refuse').map((n) => n.message).join('; '));
    this.name = 'CommandRefused';
  }
}

export interface Builder {
  newId(): string;
}

/**
 * Runs a command. `build` may read the journal and returns the drafts; it runs inside the
 * transaction, so what it reads is what the ops apply to.
 */
export function execute(ctx: CommandContext, build: (b: Builder) => OpDraft[]): CommandResult {
  const j = ctx.journal;
  const run = j.sqlite.transaction((): CommandResult => {
    const drafts = build({ newId: () => newId(j) });
    const ops: Op[] = [];
    const warnings: Notice[] = [];
    const now = ctx.clock.now();
    for (const draft of drafts) {
      // What the author saw (conflicts.ts), then the one parse of the payload, the guard, the apply.
      const op = localOp(j, withSeenValues(j, draft), ctx.actor.accountId, now);
      const notices = ctx.guard.check(ctx, op);
      if (notices.some((n) => n.level === 'refuse')) throw new CommandRefused(notices);
      warnings.push(...notices);
      commitLocal(j, op);
      ops.push(op);
    }
    return { ops, warnings };
  });
  try {
    return run();
  } catch (err) {
    if (err instanceof OpError) throw new CommandRefused([{ level: 'refuse', code: err.code, message: err.message }]);
    if (err instanceof JournalError) throw new CommandRefused([{ level: 'refuse', code: err.code, message: err.message }]);
    throw err;
  }
}

export function submit(ctx: CommandContext, ...drafts: OpDraft[]): CommandResult {
  return execute(ctx, () => drafts);
}
