/**
 * An open journal, as everything below the opening sees it. Apart from open.ts (which makes one
 * and re-exports the type) so that the fold — apply, refold, breach — can name it without
 * importing the code that opens files and runs the re-fold: no cycle through open.ts.
 */
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema';
import type { MetaKey } from './meta-keys';

export interface Journal {
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly db: BetterSQLite3Database<typeof schema>;
  /** This replica's device id: the `device` of every op it authors. */
  readonly device: string;
  /** Prepared statements, cached by SQL text. */
  stmt(sql: string): Database.Statement;
  /** Bookkeeping by name (meta-keys.ts: every key, what it holds). */
  meta(key: MetaKey): string | undefined;
  setMeta(key: MetaKey, value: string): void;
  close(): void;
}
