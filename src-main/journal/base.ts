/**
 * [5/7] The base of a replica bootstrapped (or repaired) from a server snapshot (docs/sync.md):
 * the snapshot's state at server seq S kept as `base__<table>` copies of the state tables, and
 * `meta['sync.base_seq'] = S`. The state is then the fold of the base and the log's ops above it:
 * confirmed ops with server_seq > S in server order, then pending ones. A re-fold (rebase,
 * rejected op, migration) starts from the base copy instead of from empty; ops at or below S that
 * the log still holds (history before a repair) are not folded again.
 */
import type Database from 'better-sqlite3';

export const BASE_PREFIX = 'base__';
export const BASE_SEQ = 'sync.base_seq';

export const isBaseTable = (name: string) => name.startsWith(BASE_PREFIX);

/** S of the base, or undefined for a replica folded from an empty journal. */
export function baseSeq(sqlite: Database.Database): number | undefined {
  const v = sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(BASE_SEQ) as string | undefined;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function columns(sqlite: Database.Database, table: string, schema = 'main'): string[] {
  return (sqlite.prepare(`PRAGMA ${schema}.table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

/**
 * Fills the (emptied) state tables of `sqlite` from its base copies, by column name: a column the
 * base lacks (added by a later migration) takes its default. Throws when a state table has no base
 * copy — the base is incomplete and a re-fold from it would lose rows.
 */
export function restoreBase(sqlite: Database.Database, tables: string[]): void {
  const have = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'base\\_\\_%' ESCAPE '\\'").pluck().all() as string[]);
  for (const t of tables) {
    if (!have.has(BASE_PREFIX + t)) throw new Error(`the snapshot base has no copy of table ${t}: fetch a new snapshot`);
    const baseCols = new Set(columns(sqlite, BASE_PREFIX + t));
    const cols = columns(sqlite, t).filter((c) => baseCols.has(c)).map((c) => `"${c}"`).join(', ');
    sqlite.prepare(`INSERT INTO "${t}" (${cols}) SELECT ${cols} FROM "${BASE_PREFIX}${t}"`).run();
  }
}

/**
 * Copies `source`'s base into `target`'s state tables (another connection, e.g. a fresh in-memory
 * replica for a replay check), row by row by column name.
 */
export function copyBaseAcross(source: Database.Database, target: Database.Database, tables: string[]): void {
  for (const t of tables) {
    const src = columns(source, BASE_PREFIX + t);
    if (!src.length) throw new Error(`the snapshot base has no copy of table ${t}`);
    const dst = new Set(columns(target, t));
    const cols = src.filter((c) => dst.has(c));
    if (!cols.length) continue;
    const list = cols.map((c) => `"${c}"`).join(', ');
    const ins = target.prepare(`INSERT INTO "${t}" (${list}) VALUES (${cols.map(() => '?').join(', ')})`);
    for (const row of source.prepare(`SELECT ${list} FROM "${BASE_PREFIX}${t}"`).raw().iterate() as Iterable<unknown[]>) ins.run(row);
  }
}

/**
 * Replaces the base with the state tables of the attached database `schema` (a snapshot file):
 * `base__<t>` is dropped and re-created as a plain copy (no indexes: only re-folds read it).
 * Must run in the caller's transaction.
 */
export function writeBase(sqlite: Database.Database, schema: string, tables: string[], seq: number): void {
  for (const old of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'base\\_\\_%' ESCAPE '\\'").pluck().all() as string[]) sqlite.exec(`DROP TABLE "${old}"`);
  for (const t of tables) sqlite.exec(`CREATE TABLE "${BASE_PREFIX}${t}" AS SELECT * FROM "${schema}"."${t}"`);
  sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(BASE_SEQ, String(seq));
}
