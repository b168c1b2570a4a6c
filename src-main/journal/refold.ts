/**
 * Re-folding: the state tables are a cache of the op log, so after a migration that changes what
 * the state holds (or how), the state is rebuilt from the log in place — every op applied again
 * in log order, nothing appended. A migration asks for it by setting `meta.refold`.
 */
import type Database from 'better-sqlite3';
import { parseOp } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { OpKind } from '../../src-shared/ops/kinds';
import { applyEffect } from './apply';
import { stateTables } from './checksum';
import type { Journal } from './open';

export function refoldState(j: Journal): number {
  const sqlite: Database.Database = j.sqlite;
  let n = 0;
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.transaction(() => {
      for (const t of stateTables(sqlite)) sqlite.prepare(`DELETE FROM ${t}`).run();
      // In pages: better-sqlite3 cannot write while an iterator is open on the same connection.
      const page = sqlite.prepare('SELECT pos, device, seq, author, kind, version, hlc, payload FROM op_log WHERE pos > ? ORDER BY pos LIMIT 5000');
      let last = 0;
      for (;;) {
        const rows = page.all(last) as { pos: number; device: string; seq: number; author: string; kind: OpKind; version: number; hlc: string; payload: string }[];
        if (rows.length === 0) break;
        for (const r of rows) {
          applyEffect(j, parseOp({ device: r.device, seq: r.seq, author: r.author, kind: r.kind, version: r.version, hlc: r.hlc, payload: decodePayload(r.kind, r.payload) }));
          n++;
        }
        last = rows.at(-1)!.pos;
      }
      const broken = sqlite.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new Error(`refold left ${broken.length} foreign key violations`);
      sqlite.prepare("DELETE FROM meta WHERE key = 'refold'").run();
    })();
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
  return n;
}
