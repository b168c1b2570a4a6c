/**
 * Re-folding: the state tables are a cache of the op log, so after a migration that changes what
 * the state holds (or how), the state is rebuilt from the log in place — every op applied again
 * in log order, nothing appended. A migration asks for it by setting `meta.refold`.
 * A replica bootstrapped from a snapshot starts from its base copy (base.ts), not from empty,
 * and folds only the ops above the base (and pending ones). The base moves forward at sync's quiet
 * points (base.ts `advanceBase`); a replica whose log is whole below it folds from empty again
 * when the base stops being the fold of that log (a migration asked for the re-fold, or a breach
 * record above the base voids ops below it, R-BREACH) and drops it until the next quiet point.
 */
import type Database from 'better-sqlite3';
import { parseOp } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { OpKind } from '../../src-shared/ops/kinds';
import { applyEffect } from './apply';
import { voidsBelowBase, withLogBreaches } from './breach';
import { stateTables } from './checksum';
import { baseSeq, dropBase, logIsWhole, restoreBase } from './base';
import type { Journal } from './handle';

export interface RefoldOptions {
  /**
   * Sync: fold in canonical order — confirmed ops by `server_seq`, then pending ones by
   * `pos` (docs/sync.md) — instead of apply order. A pending op that no longer applies is skipped
   * (rolled back to its savepoint) and reported; a confirmed one that fails throws.
   */
  canonical?: boolean;
  onSkipped?: (op: { pos: number; device: string; seq: number }, err: unknown) => void;
}

export function refoldState(j: Journal, opts: RefoldOptions = {}): number {
  const sqlite: Database.Database = j.sqlite;
  let n = 0;
  // Inside a caller's transaction (a breach record applied, R-BREACH) `foreign_keys = OFF` is a
  // no-op: defer the checks to its commit instead; the check below still runs.
  const nested = sqlite.inTransaction;
  if (!nested) sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.transaction(() => withLogBreaches(j, () => {
      if (nested) sqlite.pragma('defer_foreign_keys = ON');
      const tables = stateTables(sqlite);
      for (const t of tables) sqlite.prepare(`DELETE FROM ${t}`).run();
      let base = baseSeq(sqlite);
      if (base !== undefined && logIsWhole(sqlite) && (sqlite.prepare("SELECT 1 FROM meta WHERE key = 'refold'").get() !== undefined || voidsBelowBase(j, base))) {
        dropBase(sqlite);
        base = undefined;
      }
      if (base !== undefined) restoreBase(sqlite, tables);
      // In pages: better-sqlite3 cannot write while an iterator is open on the same connection.
      const key = opts.canonical ? 'coalesce(server_seq, 1e15 + pos)' : 'pos';
      const above = base !== undefined ? ` AND (server_seq IS NULL OR server_seq > ${base})` : '';
      const page = sqlite.prepare(`SELECT ${key} AS k, pos, server_seq, device, seq, author, kind, version, hlc, payload FROM op_log WHERE ${key} > ?${above} ORDER BY ${key} LIMIT 5000`);
      let last = 0;
      for (;;) {
        const rows = page.all(last) as { k: number; pos: number; server_seq: number | null; device: string; seq: number; author: string; kind: OpKind; version: number; hlc: string; payload: string }[];
        if (rows.length === 0) break;
        for (const r of rows) {
          const op = parseOp({ device: r.device, seq: r.seq, author: r.author, kind: r.kind, version: r.version, hlc: r.hlc, payload: decodePayload(r.kind, r.payload) }, 'logged');
          if (opts.canonical && r.server_seq === null) {
            sqlite.exec('SAVEPOINT refold_op');
            try {
              applyEffect(j, op);
              sqlite.exec('RELEASE refold_op');
            } catch (err) {
              sqlite.exec('ROLLBACK TO refold_op');
              sqlite.exec('RELEASE refold_op');
              opts.onSkipped?.(r, err);
              continue;
            }
          } else applyEffect(j, op);
          n++;
        }
        last = rows.at(-1)!.k;
      }
      const broken = sqlite.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new Error(`refold left ${broken.length} foreign key violations`);
      sqlite.prepare("DELETE FROM meta WHERE key = 'refold'").run();
    }))();
  } finally {
    if (!nested) sqlite.pragma('foreign_keys = ON');
  }
  return n;
}
