/**
 * [5/7] Conflicts of marks (docs/sync.md, «Conflicts by kind»): per cell the last writer in server
 * order wins, and a write made on top of an older version than another author's newer write is
 * flagged to its author. To know what the author saw, a `mark.set` entry carries `base`: the
 * value of the cell on the author's replica when the command ran (filled by `execute`; absent =
 * the cell was empty).
 */
import type { OpDraft } from './log';
import type { Journal } from './open';

type MarkEntry = { studentId: string; value: string; column?: string; base?: string };

/** A write that replaced a value its author had not seen. */
export interface Overwrite {
  lessonId: string;
  studentId: string;
  column: string;
  /** What the author saw (null: an empty cell). */
  seen: string | null;
  /** The value the write replaced, and who wrote it when. */
  replaced: string;
  replacedBy: string;
  replacedAt: number;
}

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
    if (!cur || cur.author === op.author || cur.value === m.base) continue;
    out.push({ lessonId: p.lessonId, studentId: m.studentId, column, seen: m.base ?? null, replaced: cur.value, replacedBy: cur.author, replacedAt: cur.at });
  }
  return out;
}
