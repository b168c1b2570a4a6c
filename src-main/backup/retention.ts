/**
 * Which backups to keep (п. 7.8): the last 14, and of every earlier month its last one — so a
 * damage found weeks later (a mark changed by mistake in October, noticed in December) still has
 * a copy from before it. Pure: a list of backups and their moments in, a verdict out; no clock.
 */

export interface BackupAt {
  file: string;
  /** When the backup was made (ms since the epoch). */
  at: number;
}

export const KEEP_LAST = 14;

/** The calendar month of a moment, UTC (the month backup names are written in). */
function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Splits `backups` into those to keep and those to delete (each list newest first). */
export function retainBackups<T extends BackupAt>(backups: readonly T[], keepLast = KEEP_LAST): { keep: T[]; drop: T[] } {
  const newest = [...backups].sort((a, b) => b.at - a.at || (a.file < b.file ? 1 : -1));
  const keep: T[] = [];
  const drop: T[] = [];
  const months = new Set<string>();
  newest.forEach((b, i) => {
    const month = monthOf(b.at);
    const lastOfMonth = !months.has(month);
    months.add(month);
    (i < keepLast || lastOfMonth ? keep : drop).push(b);
  });
  return { keep, drop };
}
