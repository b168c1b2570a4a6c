/**
 * The base of a replica bootstrapped (or repaired) from a server snapshot (docs/sync.md):
 * the snapshot's state at server seq S kept as `base__<table>` copies of the state tables, and
 * `meta['sync.base_seq'] = S`. The state is then the fold of the base and the log's ops above it:
 * confirmed ops with server_seq > S in server order, then pending ones. A re-fold (rebase,
 * rejected op, migration) starts from the base copy instead of from empty; ops at or below S that
 * the log still holds (history before a repair) are not folded again.
 *
 * The base moves forward (`advanceBase`): at a quiet point of sync (pulled to the head, nothing
 * pending, the checksum equal to the server's) the state *is* the fold of the confirmed log up to
 * the cursor, so it is copied as the new base and a later re-fold costs only the ops since then.
 * The log keeps every op (history, R-AUDIT): only the fold starts at the base.
 */
import type Database from 'better-sqlite3';

export const BASE_PREFIX = 'base__';
export const BASE_SEQ = 'sync.base_seq';
/** When the base was taken (ISO): a snapshot installed or the base moved forward. */
export const BASE_AT = 'sync.base_at';
/**
 * '1': the op log holds every confirmed op up to the base — this replica pulled from 0 and never
 * installed a snapshot —, so its state can also be folded from empty (refold.ts falls back to it
 * when the base is no longer the fold of the log below it, see `dropBase`).
 */
export const LOG_WHOLE = 'sync.log_whole';
/** The last snapshot installed (S, ISO time): where the local history starts or has a gap. */
export const SNAPSHOT_SEQ = 'sync.snapshot_seq';
export const SNAPSHOT_AT = 'sync.snapshot_at';

export const isBaseTable = (name: string) => name.startsWith(BASE_PREFIX);

/** S of the base, or undefined for a replica folded from an empty journal. */
export function baseSeq(sqlite: Database.Database): number | undefined {
  const v = sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(BASE_SEQ) as string | undefined;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function metaOf(sqlite: Database.Database, key: string): string | undefined {
  return sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
}

function setMetaOf(sqlite: Database.Database, key: string, value: string): void {
  sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Can the state be folded from empty (the log holds every confirmed op up to the base)? */
export function logIsWhole(sqlite: Database.Database): boolean {
  return metaOf(sqlite, LOG_WHOLE) === '1';
}

function dropBaseTables(sqlite: Database.Database): void {
  for (const old of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'base\\_\\_%' ESCAPE '\\'").pluck().all() as string[]) sqlite.exec(`DROP TABLE "${old}"`);
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
  dropBaseTables(sqlite);
  for (const t of tables) sqlite.exec(`CREATE TABLE "${BASE_PREFIX}${t}" AS SELECT * FROM "${schema}"."${t}"`);
  setMetaOf(sqlite, BASE_SEQ, String(seq));
  // A snapshot's state: the log has no ops below S (bootstrap) or between the cursor and S (repair).
  setMetaOf(sqlite, SNAPSHOT_SEQ, String(seq));
  sqlite.prepare('DELETE FROM meta WHERE key = ?').run(LOG_WHOLE);
}

/**
 * Moves the base forward to `seq`: the current state tables become the base copy. Only valid when
 * the state is the fold of the confirmed log up to `seq` with nothing pending (the sync client's
 * quiet point). One transaction (a savepoint inside the caller's). A replica that never had a base
 * (pulled from 0) gets one here and is marked `LOG_WHOLE`.
 */
export function advanceBase(sqlite: Database.Database, tables: string[], seq: number, at: string): void {
  sqlite.transaction(() => {
    const prev = baseSeq(sqlite);
    if (prev !== undefined && seq < prev) throw new Error(`the base cannot move back (${prev} → ${seq})`);
    const whole = logIsWhole(sqlite) || (prev === undefined && metaOf(sqlite, SNAPSHOT_SEQ) === undefined);
    // A base installed from a snapshot before the base could move: keep where the local history starts.
    if (prev !== undefined && !whole && metaOf(sqlite, SNAPSHOT_SEQ) === undefined) {
      setMetaOf(sqlite, SNAPSHOT_SEQ, String(prev));
      const was = metaOf(sqlite, BASE_AT);
      if (was !== undefined) setMetaOf(sqlite, SNAPSHOT_AT, was);
    }
    // Rows replaced in the tables there are (no schema change: prepared statements stay valid);
    // a table created, or re-created when its columns changed (a migration), as a plain copy.
    const shape = new Map((sqlite.prepare(`SELECT m.name AS t, (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(m.name) ORDER BY cid)) AS cols
      FROM sqlite_master m WHERE m.type = 'table'`).all() as { t: string; cols: string }[]).map((r) => [r.t, r.cols]));
    const want = new Set(tables.map((t) => BASE_PREFIX + t));
    const sql: string[] = [];
    for (const [name] of shape) if (isBaseTable(name) && !want.has(name)) sql.push(`DROP TABLE "${name}";`);
    for (const t of tables) {
      const b = BASE_PREFIX + t;
      if (shape.get(b) === shape.get(t)) sql.push(`DELETE FROM "${b}"; INSERT INTO "${b}" SELECT * FROM main."${t}";`);
      else sql.push(`${shape.has(b) ? `DROP TABLE "${b}"; ` : ''}CREATE TABLE "${b}" AS SELECT * FROM main."${t}";`);
    }
    sqlite.exec(sql.join('\n'));
    setMetaOf(sqlite, BASE_SEQ, String(seq));
    setMetaOf(sqlite, BASE_AT, at);
    if (whole) setMetaOf(sqlite, LOG_WHOLE, '1');
  })();
}

/**
 * Forgets the base of a replica whose log is whole (`LOG_WHOLE`): its state is then folded from
 * empty, and the next quiet point takes a new base. Must run in the caller's transaction.
 */
export function dropBase(sqlite: Database.Database): void {
  if (!logIsWhole(sqlite)) throw new Error('the log is not whole below the base: it cannot be folded from empty');
  dropBaseTables(sqlite);
  sqlite.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(BASE_SEQ, BASE_AT);
}

/**
 * Migration 0005 stores marks and absences with name codes (`mark_cell`, `attendance_cell`,
 * `name_code`); a SQL migration cannot reach a base copy that may or may not exist, so openJournal
 * converts one taken before it here, in the same way 0005 converts the state. Without it a replica
 * bootstrapped from a snapshot (its log not whole below the base) could not re-fold at all. Its
 * codes follow this conversion, not the server's fold order; the checksum hashes names, not codes
 * (checksum.ts), so the replica still agrees with the server. Idempotent; one transaction.
 */
export function upgradeBase0005(sqlite: Database.Database): void {
  const has = (t: string) => sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
  const [mark, attendance, cells] = [`${BASE_PREFIX}mark`, `${BASE_PREFIX}attendance`, `${BASE_PREFIX}mark_cell`];
  if (!has(mark) || !has(attendance) || has(cells)) return;
  sqlite.transaction(() => sqlite.exec(`
    CREATE TABLE "${BASE_PREFIX}name_code" AS SELECT row_number() OVER (ORDER BY name) AS id, name FROM (
      SELECT author AS name FROM "${mark}" UNION SELECT work_type FROM "${mark}" WHERE work_type IS NOT NULL
      UNION SELECT author FROM "${attendance}" UNION SELECT reason FROM "${attendance}" WHERE reason IS NOT NULL);
    CREATE TABLE "${cells}" AS SELECT m.lesson_id, m.student_id, CASE m.col WHEN 'main' THEN '' ELSE m.col END AS col, m.value,
        w.id AS work_type, m.comment, a.id AS author, m.at
      FROM "${mark}" m JOIN "${BASE_PREFIX}name_code" a ON a.name = m.author LEFT JOIN "${BASE_PREFIX}name_code" w ON w.name = m.work_type;
    CREATE TABLE "${BASE_PREFIX}attendance_cell" AS SELECT t.lesson_id, t.student_id, r.id AS reason, a.id AS author, t.at
      FROM "${attendance}" t JOIN "${BASE_PREFIX}name_code" a ON a.name = t.author LEFT JOIN "${BASE_PREFIX}name_code" r ON r.name = t.reason;
    DROP TABLE "${mark}";
    DROP TABLE "${attendance}";`))();
}
