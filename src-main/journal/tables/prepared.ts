/**
 * Two ways a hot read runs here without rebuilding its SQL on every call:
 * - `perJournal`: a drizzle `.prepare()` belongs to the connection it was built on, so it is
 *   built once per open journal and run with named placeholders — typed rows from the builder;
 * - `typedSql`: one SQL statement written as a `sql` template over the schema's tables and
 *   columns (so its text comes from schema.ts), rendered once and run through `j.stmt` — for the
 *   multi-join reads of the gradebook and the diary, where the rows come straight from SQLite.
 */
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Journal } from '../handle';

type Db = Journal['db'];

/** `build` runs once per journal (on first use); the result is kept as long as the journal is. */
export function perJournal<P>(build: (db: Db) => P): (j: Journal) => P {
  const cache = new WeakMap<Journal, P>();
  return (j) => {
    let p = cache.get(j);
    if (p === undefined) {
      p = build(j.db);
      cache.set(j, p);
    }
    return p;
  };
}

const dialect = new SQLiteSyncDialect();

export interface TypedStatement<Params extends unknown[], Row> {
  readonly text: () => string;
  get(j: Journal, ...params: Params): Row | undefined;
  all(j: Journal, ...params: Params): Row[];
}

/**
 * A statement from a `sql` template whose tables and columns are the schema's; parameters are
 * written in the text as `?` or `@name` (a bound value in the template would be a constant), and
 * `Row` names the columns it selects with types picked from the schema.
 */
export function typedSql<Row, Params extends unknown[] = unknown[]>(query: SQL): TypedStatement<Params, Row> {
  let text: string | undefined;
  const render = () => {
    if (text === undefined) {
      const q = dialect.sqlToQuery(query);
      if (q.params.length) throw new Error(`typedSql: a bound value in the template (${q.sql})`);
      text = q.sql;
    }
    return text;
  };
  return {
    text: render,
    get: (j, ...params) => j.stmt(render()).get(...params) as Row | undefined,
    all: (j, ...params) => j.stmt(render()).all(...params) as Row[],
  };
}
