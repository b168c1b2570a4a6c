/**
 * The server's stores for tests: SQLite always; PostgreSQL when DATABASE_URL is set — each test
 * gets a schema of its own, dropped afterwards. Under CI (CI=true) PostgreSQL is required: with no
 * DATABASE_URL every PostgreSQL test FAILS (never a silent skip).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { openSqliteStore } from '../../src-server/store/sqlite';
import { openPgStore } from '../../src-server/store/pg';
import type { OpLogStore } from '../../src-server/store/types';

export interface StoreHandle {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  store: OpLogStore;
  /** A second connection to the same store (a restarted server). */
  reopen(): Promise<OpLogStore>;
  /** Drops the PostgreSQL schema (the store must be closed first). */
  cleanup(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  open(): Promise<StoreHandle>;
}

const url = process.env.DATABASE_URL;
const ci = process.env.CI === 'true';
let counter = 0;

const made: string[] = [];

/** Removes the temporary directories made so far (call in `afterAll`). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary directory, removed by `removeTempDirs`. */
export function tempDir(prefix = 'ejournal-srv-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Registers `path`'s directory for `removeTempDirs`. */
export function removeOnExit(path: string): string {
  made.push(dirname(path));
  return path;
}

const sqlite: StoreKind = {
  name: 'sqlite',
  async open() {
    const dataDir = tempDir();
    const file = join(dataDir, 'store.sqlite');
    return { kind: 'sqlite', dataDir, store: openSqliteStore(file), reopen: async () => openSqliteStore(file), cleanup: async () => undefined };
  },
};

const postgres: StoreKind = {
  name: 'postgres',
  async open() {
    if (!url) throw new Error('CI=true, но DATABASE_URL не задан: тесты хранилища PostgreSQL в CI обязательны (.ci/run запускает PostgreSQL и задаёт DATABASE_URL)');
    const schema = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const dataDir = tempDir();
    const store = await openPgStore({ url, schema, poolSize: 4 });
    return {
      kind: 'postgres', dataDir, store,
      reopen: () => openPgStore({ url, schema, poolSize: 4 }),
      async cleanup() {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await c.end();
        }
      },
    };
  },
};

/** The stores every server integration suite runs against. */
export function storeKinds(): StoreKind[] {
  if (url || ci) return [sqlite, postgres];
  if (!warned) {
    warned = true;
    console.warn('DATABASE_URL не задан: тесты сервера идут только на SQLite (в CI PostgreSQL обязателен)');
  }
  return [sqlite];
}
let warned = false;
