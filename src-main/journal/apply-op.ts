/**
 * One op taken into the replica: its effect on the state (apply.ts), its row in the op log, and —
 * for a breach record that voids ops already folded — the re-fold (R-BREACH). Apart from apply.ts
 * because the re-fold (refold.ts) applies the effects itself.
 */
import type { Op } from '../../src-shared/ops/envelope';
import type { Journal } from './handle';
import { applyEffect } from './apply';
import { voidsFoldedOps } from './breach';
import { insertLogged } from './op-rows';
import { refoldState } from './refold';

/**
 * Applies one validated op to the state and appends it to the op log. Must run inside a
 * transaction (the caller's): on any error nothing of the op remains.
 */
export function applyOp(j: Journal, op: Op, serverSeq: number | null = null): number {
  applyEffect(j, op);
  const pos = insertLogged(j, op, serverSeq); // a pulled op is logged with its server seq at once
  if (op.kind === 'breach.record') {
    const p = op.payload as { accountId: string; reportedAt: string };
    if (voidsFoldedOps(j, p.accountId, p.reportedAt)) refoldState(j); // R-BREACH: the account's ops from T (the report) on are undone
  }
  return pos;
}
