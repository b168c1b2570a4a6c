/**
 * The outbox — this device's ops the server has not acknowledged yet — kept as runs of consecutive
 * seqs (`outbox_range`, schema.ts): a device appends seqs in order and the server acknowledges
 * them mostly in order, so a week offline is one row, not one row per op. The `outbox` view reads
 * it one seq a row; every write goes through here.
 */
import type Database from 'better-sqlite3';

interface Conn { stmt: (sql: string) => Database.Statement }

/** Puts `seq` in the outbox (a no-op when it is there already). Must run inside a transaction. */
export function addToOutbox(j: Conn, seq: number): void {
  if (j.stmt('SELECT 1 FROM outbox_range WHERE first <= ? AND last >= ?').get(seq, seq)) return;
  const before = j.stmt('SELECT first FROM outbox_range WHERE last = ?').pluck().get(seq - 1) as number | undefined;
  const after = j.stmt('SELECT last FROM outbox_range WHERE first = ?').pluck().get(seq + 1) as number | undefined;
  if (before !== undefined && after !== undefined) { // fills the gap between two runs
    j.stmt('DELETE FROM outbox_range WHERE first = ?').run(seq + 1);
    j.stmt('UPDATE outbox_range SET last = ? WHERE first = ?').run(after, before);
  } else if (before !== undefined) j.stmt('UPDATE outbox_range SET last = ? WHERE first = ?').run(seq, before);
  else if (after !== undefined) j.stmt('UPDATE outbox_range SET first = ? WHERE first = ?').run(seq, seq + 1);
  else j.stmt('INSERT INTO outbox_range (first, last) VALUES (?, ?)').run(seq, seq);
}

/** Takes `seq` out of the outbox; true when it was there. Must run inside a transaction. */
export function removeFromOutbox(j: Conn, seq: number): boolean {
  const run = j.stmt('SELECT first, last FROM outbox_range WHERE first <= ? ORDER BY first DESC LIMIT 1').get(seq) as { first: number; last: number } | undefined;
  if (!run || run.last < seq) return false;
  if (run.first === seq && run.last === seq) j.stmt('DELETE FROM outbox_range WHERE first = ?').run(seq);
  else if (run.first === seq) j.stmt('UPDATE outbox_range SET first = ? WHERE first = ?').run(seq + 1, seq);
  else if (run.last === seq) j.stmt('UPDATE outbox_range SET last = ? WHERE first = ?').run(seq - 1, run.first);
  else { // splits the run
    j.stmt('UPDATE outbox_range SET last = ? WHERE first = ?').run(seq - 1, run.first);
    j.stmt('INSERT INTO outbox_range (first, last) VALUES (?, ?)').run(seq + 1, run.last);
  }
  return true;
}

/** How many ops wait to be sent. */
export function outboxCount(j: Conn): number {
  return j.stmt('SELECT coalesce(sum(last - first + 1), 0) FROM outbox_range').pluck().get() as number;
}

/** The waiting seqs, ascending. */
export function outboxSeqs(j: Conn): number[] {
  const out: number[] = [];
  for (const r of j.stmt('SELECT first, last FROM outbox_range ORDER BY first').all() as { first: number; last: number }[]) {
    for (let s = r.first; s <= r.last; s++) out.push(s);
  }
  return out;
}
