/**
 * Which store: PostgreSQL when a database URL is given (`DATABASE_URL`), otherwise the embedded
 * SQLite file under the data directory — nothing to install. The data directory is 0700 and the
 * store's files 0600: they hold personal data (accounts, the whole op log).
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
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
  mkdirSync(c.dataDir, { recursive: true, mode: 0o700 });
  narrow(c.dataDir, 0o700);
  if (c.databaseUrl) return openPgStore({ url: c.databaseUrl, ...(c.pgSchema ? { schema: c.pgSchema } : {}) });
  const file = join(c.dataDir, 'store.sqlite');
  const store = openSqliteStore(file);
  // SQLite made the file 0644 less the umask; its -wal and -shm take the file's mode when SQLite
  // (re)creates them, so narrowing all three now keeps them private from here on.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) narrow(f, 0o600);
  return store;
}

function narrow(path: string, mode: number): void {
  if (process.platform !== 'win32' && existsSync(path)) chmodSync(path, mode);
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
