/**
 * R-BREACH (п. 10.3, 10.4): once the director records that an account's password leaked, every op
 * of that account made **from the moment the director (or the technical administrator) received the
 * report** (`reportedAt`, T) is void — п. 10.4 literally — the journal is as if it never happened,
 * and later valid work of others stays. Ops between the suspected onset (`from`) and T are not
 * voided: the act lists them for the commission to review (reports/breach-data.ts).
 *
 * The rule lives in the fold, so every replica (desktop, server, a re-fold, a replay) reaches the
 * same state with no compensating ops and no special sync code: **an op is void iff the log holds
 * a `breach.record` for its author with `reportedAt` ≤ the op's time** (its HLC — the time the
 * server judged it at: the server rewrites the stamp of an op from a computer whose clock is off,
 * docs/security.md). A void op stays in the log (R-AUDIT: the act and the cell's history still
 * show it) but has no effect on the state. `breach.record` itself is never void (it is the
 * director's declaration).
 */
import { hlcInstant } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { Journal } from './handle';

/** During a re-fold: the breach records of the whole log (account → earliest `from`, ms). */
const foldOverrides = new WeakMap<Journal, Map<string, number>>();

function earliest(map: Map<string, number>, account: string, fromMs: number): void {
  const cur = map.get(account);
  if (cur === undefined || fromMs < cur) map.set(account, fromMs);
}

/** The moment (ms) from which `account`'s ops are void, if a breach is recorded for it. */
export function breachFromMs(j: Journal, account: string): number | undefined {
  const o = foldOverrides.get(j);
  if (o) return o.get(account);
  const rows = j.stmt('SELECT reported_at FROM breach WHERE account_id = ?').pluck().all(account) as string[];
  let min: number | undefined;
  for (const r of rows) {
    const ms = Date.parse(r);
    if (min === undefined || ms < min) min = ms;
  }
  return min;
}

/** Is this op void under R-BREACH (its author's password had leaked when it was made)? */
export function isVoidOp(j: Journal, op: { kind: string; author: string; hlc: string }): boolean {
  if (op.kind === 'breach.record') return false;
  const from = breachFromMs(j, op.author);
  return from !== undefined && Date.parse(hlcInstant(op.hlc)) >= from;
}

/** Every breach record in the op log, whatever has been folded so far. */
export function logBreaches(j: Journal): Map<string, number> {
  const map = new Map<string, number>();
  const rows = j.stmt("SELECT payload FROM op_log WHERE kind = 'breach.record'").pluck().all() as string[];
  for (const raw of rows) {
    const p = decodePayload('breach.record', raw) as { accountId: string; reportedAt: string };
    earliest(map, p.accountId, Date.parse(p.reportedAt));
  }
  // A replica bootstrapped from a snapshot: records below its base are only in the base copy (base.ts).
  if (j.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'base__breach'").get()) {
    for (const r of j.stmt('SELECT account_id AS a, reported_at AS f FROM base__breach').all() as { a: string; f: string }[]) earliest(map, r.a, Date.parse(r.f));
  }
  return map;
}

/**
 * Runs a re-fold with the void rule taken from the whole log, so an op made before its breach
 * record reaches the fold is skipped all the same (the fold does not depend on where in the log
 * the record sits).
 */
export function withLogBreaches<T>(j: Journal, fn: () => T): T {
  const prev = foldOverrides.get(j);
  foldOverrides.set(j, logBreaches(j));
  try {
    return fn();
  } finally {
    if (prev) foldOverrides.set(j, prev);
    else foldOverrides.delete(j);
  }
}

/**
 * Does a just-applied breach record void ops already in the state? Then the state must be
 * re-folded (the caller does it in the same transaction).
 */
export function voidsFoldedOps(j: Journal, accountId: string, fromIso: string): boolean {
  const from = Date.parse(fromIso);
  const hlcs = j.stmt("SELECT hlc FROM op_log WHERE author = ? AND kind <> 'breach.record' ORDER BY pos DESC").pluck();
  for (const h of hlcs.iterate(accountId) as Iterable<string>) {
    if (Date.parse(hlcInstant(h)) >= from) return true;
  }
  return false;
}

/**
 * Does a breach record above the base (server seq > `base`, or pending) void an op at or below it?
 * Then the base holds that op's effect and is no longer the fold of the log below it (refold.ts).
 */
export function voidsBelowBase(j: Journal, base: number): boolean {
  const records = j.stmt("SELECT payload FROM op_log WHERE kind = 'breach.record' AND (server_seq IS NULL OR server_seq > ?)").pluck().all(base) as string[];
  for (const raw of records) {
    const p = decodePayload('breach.record', raw) as { accountId: string; reportedAt: string };
    const from = Date.parse(p.reportedAt);
    const hlcs = j.stmt("SELECT hlc FROM op_log WHERE author = ? AND kind <> 'breach.record' AND server_seq <= ?").pluck();
    for (const h of hlcs.iterate(p.accountId, base) as Iterable<string>) {
      if (Date.parse(hlcInstant(h)) >= from) return true;
    }
  }
  return false;
}
