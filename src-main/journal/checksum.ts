/**
 * The replica's state checksum: SHA-256 over every state table, rows in primary-key order.
 * Bookkeeping (the op log — op_record, op_name, op_block —, outbox_range, meta, migrations) is
 * excluded: two replicas that applied the same ops in the same order have the same checksum
 * whatever their local history. So is a snapshot base (`base__*`, base.ts): a copy of the state,
 * not the state.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { isBaseTable } from './base';
import { lessonTopicSql } from './lesson-topic';

const NOT_STATE = new Set(['meta', 'op_log', 'op_record', 'op_name', 'op_block', 'outbox_range', '__drizzle_migrations']);

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

/**
 * Tables whose stored form is not their meaning are hashed as they read: marks and absences
 * through their views (names, not `name_code` ids), a lesson with its logical topic (lesson-topic.ts).
 * `name_code` itself is not hashed: its ids follow the order this replica folded ops in, which for
 * ops of unrelated cells may differ from the server's (sync applies those without a rebase), and a
 * base converted by an upgrade (base.ts) may store a topic the fold would have left to the КТП.
 * Two replicas agree when what they show agrees — and a replica agrees with one on the program
 * before migration 0005, which hashed the same names, columns and order from plain tables (the
 * fixture test in open.test.ts), so a school can upgrade its computers one at a time.
 */
const READ_AS: Record<string, { table: string; key?: string[]; cols?: Record<string, string> }> = {
  mark_cell: { table: 'mark', key: ['lesson_id', 'student_id', 'col'] },
  attendance_cell: { table: 'attendance', key: ['lesson_id', 'student_id'] },
  lesson: { table: 'lesson', cols: { topic: lessonTopicSql('lesson') } },
};
const CODES = 'name_code';

/**
 * What differs between replicas of one school by design (docs/security.md): a computer holds the
 * password verifiers only of the accounts allowed on it, and only the private messages one of them
 * takes part in. The sync checksum leaves these out; the full state checksum (`ejournal check`,
 * a replay) keeps them.
 */
const PRIVATE: { tables: ReadonlySet<string>; columns: Record<string, ReadonlySet<string>> } = {
  tables: new Set(['message']),
  columns: { account: new Set(['verifier']) },
};

export function tableDigests(sqlite: Database.Database, o: { withPrivate?: boolean } = {}): TableDigest[] {
  const all = o.withPrivate ?? true;
  return stateTables(sqlite).filter((t) => t !== CODES && (all || !PRIVATE.tables.has(t))).map((stored) => {
    const read = READ_AS[stored];
    const table = read?.table ?? stored;
    const h = createHash('sha256');
    let rows = 0;
    const cols = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
      .filter((c) => all || !PRIVATE.columns[table]?.has(c)).sort()
      .map((c) => (read?.cols?.[c] ? `${read.cols[c]} AS ${c}` : c));
    const stmt = sqlite.prepare(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY ${(read?.key ?? primaryKey(sqlite, table)).join(', ')}`).raw();
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

/** The checksum a computer and the server compare in sync: the state without what is private to some computers. */
export function syncChecksum(sqlite: Database.Database): string {
  const h = createHash('sha256');
  for (const d of tableDigests(sqlite, { withPrivate: false })) h.update(`${d.table}:${d.rows}:${d.hash}\n`);
  return h.digest('hex');
}
