/**
 * Which store: PostgreSQL when a database URL is given (`DATABASE_URL`), otherwise the embedded
 * SQLite file under the data directory — nothing to install.
 */
import { join } from 'node:path';
import { openSqliteStore } from './sqlite';
import { openPgStore } from './pg';
import type { OpLogStore } from './types';

export interface StoreConfig {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (tests use one per suite). */
  pgSchema?: string | undefined;
}

export async function openStore(c: StoreConfig): Promise<OpLogStore> {
  if (c.databaseUrl) return openPgStore({ url: c.databaseUrl, ...(c.pgSchema ? { schema: c.pgSchema } : {}) });
  return openSqliteStore(join(c.dataDir, 'store.sqlite'));
}

/** `postgres://user:…@host/db` without the password, for messages and logs. */
export function describeStore(c: StoreConfig): string {
  if (!c.databaseUrl) return `SQLite (${join(c.dataDir, 'store.sqlite')})`;
  try {
    const u = new URL(c.databaseUrl);
    return `PostgreSQL (${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname})`;
  } catch {
    return 'PostgreSQL';
  }
}
