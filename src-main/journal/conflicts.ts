/**
 * Conflicts of marks (docs/sync.md, «Conflicts by kind»): per cell the last writer in server
 * order wins, and a write made on top of an older version than another author's newer write is
 * flagged to its author. To know what the author saw, a `mark.set` entry carries `base`: the
 * value of the cell on the author's replica when the command ran (filled by `execute`; absent =
 * the cell was empty).
 *
 * Under the regulation a mark over another author's mark is refused anyway (R-CORRECTION: only by
 * a correction request), so the server's guard rejects that case and the author sees the refusal
 * with its clause. What reaches `staleWrites` in practice is the author's own mark entered on
 * another computer a few minutes earlier (the own-slip window) that this computer had not pulled:
 * the write stands, and the author is told which value it replaced.
 */
import type { Overwrite } from '../../src-shared/sync/protocol';
import type { OpDraft } from './log';
import type { Journal } from './open';

type MarkEntry = { studentId: string; value: string; column?: string; base?: string };

/** A write that replaced a value its author had not seen (the wire type of the push ack). */

const cellStmt = (j: Journal) => j.stmt('SELECT value, author, at FROM mark WHERE lesson_id = ? AND student_id = ? AND col = ?');

/** Fills `base` of every `mark.set` entry with the cell's current value (kept if the caller set it). */
export function withSeenValues(j: Journal, d: OpDraft): OpDraft {
  if (d.kind !== 'mark.set') return d;
  const p = d.payload as { lessonId: string; marks: MarkEntry[] };
  const cell = cellStmt(j);
  let changed = false;
  const marks = p.marks.map((m) => {
    if (m.base !== undefined) return m;
    const cur = cell.get(p.lessonId, m.studentId, m.column ?? 'main') as { value: string } | undefined;
    if (!cur) return m;
    changed = true;
    return { ...m, base: cur.value };
  });
  return changed ? { ...d, payload: { ...p, marks } } as OpDraft : d;
}

/**
 * The entries of a `mark.set` about to be applied that replace another author's value the
 * author had not seen (the state must be the one the op is applied to).
 */
export function staleWrites(j: Journal, op: { kind: string; author: string; payload: unknown }): Overwrite[] {
  if (op.kind !== 'mark.set') return [];
  const p = op.payload as { lessonId: string; marks: MarkEntry[] };
  const cell = cellStmt(j);
  const out: Overwrite[] = [];
  for (const m of p.marks) {
    const column = m.column ?? 'main';
    const cur = cell.get(p.lessonId, m.studentId, column) as { value: string; author: string; at: number } | undefined;
    if (!cur || cur.value === m.base) continue;
    out.push({ lessonId: p.lessonId, studentId: m.studentId, column, seen: m.base ?? null, replaced: cur.value, replacedBy: cur.author, replacedAt: cur.at });
  }
  return out;
}
