/**
 * A journal's self-check: SQLite integrity, foreign keys, the bookkeeping invariants of this
 * device's log (gap-free seq, outbox ⊆ log), and a replay of the whole log into a fresh replica
 * whose state must equal the stored one, table by table.
 */
import type { Journal } from './open';
import { replay } from './log';
import { stateChecksum, tableDigests } from './checksum';

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  ops: number;
  checksum: string;
}

export function verifyJournal(j: Journal): VerifyReport {
  const problems: string[] = [];
  const integrity = j.sqlite.pragma('integrity_check') as { integrity_check: string }[];
  if (!(integrity.length === 1 && integrity[0]?.integrity_check === 'ok')) {
    problems.push(`PRAGMA integrity_check: ${integrity.map((r) => r.integrity_check).slice(0, 5).join('; ')}`);
  }
  const fk = j.sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (fk.length) {
    problems.push(`нарушены внешние ключи: ${fk.slice(0, 5).map((r) => `${r.table} → ${r.parent}`).join('; ')}${fk.length > 5 ? ` и ещё ${fk.length - 5}` : ''}`);
  }
  // This device's ops: seq 1..n without gaps, next_seq = n + 1, every outbox entry is in the log.
  const own = j.stmt('SELECT count(*) AS n, coalesce(max(seq), 0) AS max FROM op_log WHERE device = ?').get(j.device) as { n: number; max: number };
  // ops the server rejected were removed from the log: their numbers are spent, not missing.
  const rejected = (JSON.parse(j.meta('sync.rejected') ?? '[]') as unknown[]).length;
  const nextSeq = Number(j.meta('next_seq'));
  if (own.n + rejected !== nextSeq - 1 && own.n + rejected !== own.max) problems.push(`пропуски в номерах операций устройства ${j.device}: ${own.n} операций, последняя № ${own.max}`);
  if (nextSeq !== own.max + 1 && !(rejected && own.max < nextSeq)) problems.push(`счётчик операций (${nextSeq}) не согласован с журналом операций (последняя № ${own.max})`);
  const orphan = j.stmt('SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM op_log l WHERE l.device = ? AND l.seq = o.seq)').pluck().get(j.device) as number;
  if (orphan) problems.push(`в очереди на отправку ${orphan} операций, которых нет в журнале операций`);

  const stored = tableDigests(j.sqlite);
  const rebuilt = replay(j);
  const byTable = new Map(rebuilt.digests.map((d) => [d.table, d]));
  for (const d of stored) {
    const r = byTable.get(d.table);
    if (!r) continue;
    if (r.hash !== d.hash) {
      problems.push(`таблица ${d.table}: состояние не совпадает с журналом операций (в файле ${d.rows} строк, после воспроизведения ${r.rows})`);
    }
  }
  return { ok: problems.length === 0, problems, ops: rebuilt.ops, checksum: stateChecksum(j.sqlite) };
}
