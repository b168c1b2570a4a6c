/**
 * The replica's state checksum: SHA-256 over every state table, rows in primary-key order.
 * Bookkeeping (the op log — op_record, op_name, op_block —, outbox, meta, migrations) is
 * excluded: two replicas that applied the same ops in the same order have the same checksum
 * whatever their local history. So is a snapshot base (`base__*`, base.ts): a copy of the state,
 * not the state.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { isBaseTable } from './base';

const NOT_STATE = new Set(['meta', 'op_log', 'op_record', 'op_name', 'op_block', 'outbox', '__drizzle_migrations']);

export function stateTables(sqlite: Database.Database): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[])
    .filter((t) => !NOT_STATE.has(t) && !isBaseTable(t));
}

function primaryKey(sqlite: Database.Database, table: string): string[] {
  const cols = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[];
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  return pk.length ? pk : cols.map((c) => c.name);
}

export interface TableDigest { table: string; rows: number; hash: string }

export function tableDigests(sqlite: Database.Database): TableDigest[] {
  return stateTables(sqlite).map((table) => {
    const h = createHash('sha256');
    let rows = 0;
    const cols = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).sort();
    const stmt = sqlite.prepare(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY ${primaryKey(sqlite, table).join(', ')}`).raw();
    for (const row of stmt.iterate()) {
      h.update(JSON.stringify(row));
      h.update('\n');
      rows++;
    }
    return { table, rows, hash: h.digest('hex') };
  });
}

export function stateChecksum(sqlite: Database.Database): string {
  const h = createHash('sha256');
  for (const d of tableDigests(sqlite)) h.update(`${d.table}:${d.rows}:${d.hash}\n`);
  return h.digest('hex');
}
