/**
 * Every SQL string of the project is prepared against a freshly migrated database, so renaming a
 * column in a schema fails a test, not a school (the raw SQL is not typechecked). The strings are
 * found with the TypeScript compiler: the first argument of `stmt`, `prepare`, `q`, `exec` calls in
 * src-main and src-server — string literals, and templates whose type is one literal string or
 * whose only substitutions are `lessonTopicSql(…)` (evaluated here). The store's SQL
 * (src-server/store/*.ts: sqlite.ts, backup.ts) goes against a migrated store, everything else against a migrated
 * journal with a base copy and an attached snapshot. The PostgreSQL store's SQL is exercised by
 * its own tests on a real PostgreSQL (store.test.ts). What stays dynamic (a table name in a
 * variable) is listed and capped: a new one must be looked at. The journal's reads live in
 * src-main/journal/tables/, written over the drizzle schema (a renamed column fails the typecheck);
 * their one-statement reads (`typedSql`) are rendered from schema.ts and prepared here too.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../src-main/journal/open';
import { stateTables } from '../src-main/journal/checksum';
import { writeBase } from '../src-main/journal/base';
import { lessonTopicSql } from '../src-main/journal/lesson-topic';
import { SQLITE_MIGRATIONS } from '../src-server/store/sqlite';
import * as accounts from '../src-main/journal/tables/accounts';
import * as families from '../src-main/journal/tables/families';
import * as lessons from '../src-main/journal/tables/lessons';
import * as marks from '../src-main/journal/tables/marks';
import * as oplog from '../src-main/journal/tables/oplog';
import * as people from '../src-main/journal/tables/people';
import * as structure from '../src-main/journal/tables/structure';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SQL_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|PRAGMA|ATTACH|DETACH|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|VACUUM|REPLACE)\b/i;
const CALLS = new Set(['stmt', 'prepare', 'q', 'exec']);
/** Dynamic SQL (table or column names in variables) known today; a new one raises this on purpose. */
const DYNAMIC_CEILING = 40;

interface Found { file: string; line: number; sql: string }

function scan(): { found: Found[]; dynamic: string[] } {
  const files = execFileSync('git', ['ls-files', 'src-main/**/*.ts', 'src-server/**/*.ts'], { cwd: ROOT }).toString().split('\n')
    .filter((f) => f && !f.endsWith('.test.ts') && f !== 'src-server/store/pg.ts');
  const program = ts.createProgram(files.map((f) => `${ROOT}${f}`), {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true, types: [],
  });
  const checker = program.getTypeChecker();
  const found: Found[] = [];
  const dynamic: string[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(`${ROOT}${file}`)!;
    const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.arguments.length) {
        const e = n.expression;
        const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
        const a = n.arguments[0]!;
        if (CALLS.has(name)) {
          let sql: string | undefined;
          if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) sql = a.text;
          else if (ts.isTemplateExpression(a)) {
            const t = checker.getTypeAtLocation(a);
            if (t.isStringLiteral()) sql = t.value;
            else if (a.templateSpans.every((s) => /^lessonTopicSql\('\w+'\)$/.test(s.expression.getText()))) {
              sql = a.head.text + a.templateSpans.map((s) => lessonTopicSql(/'(\w+)'/.exec(s.expression.getText())![1]!) + s.literal.text).join('');
            } else if (SQL_START.test(a.head.text)) dynamic.push(`${file}:${at(a)}`);
          }
          if (sql !== undefined && SQL_START.test(sql)) found.push({ file, line: at(a), sql });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { found, dynamic };
}

/** A migrated journal with a base copy and a snapshot attached as `snap` (bootstrap's SQL reads it). */
function journalDb(): Database.Database {
  const j = openJournal(':memory:', { create: true, durability: 'off' });
  writeBase(j.sqlite, 'main', stateTables(j.sqlite), 0);
  j.sqlite.exec("ATTACH DATABASE ':memory:' AS snap");
  // The snapshot's tables as the journal has them (schema only).
  for (const { sql } of j.sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND name NOT LIKE 'base__%' AND name NOT LIKE 'sqlite_%'").all() as { sql: string }[]) {
    j.sqlite.exec(sql.replace(/^CREATE TABLE\s+[`"]?(\w+)[`"]?/i, 'CREATE TABLE snap."$1"'));
  }
  return j.sqlite;
}

function storeDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(drizzle(db), { migrationsFolder: SQLITE_MIGRATIONS });
  return db;
}

/** Statements that only make sense inside a transaction or about a savepoint of it: checked for syntax in one. */
function prepare(db: Database.Database, sql: string): void {
  if (/^\s*(RELEASE|ROLLBACK)\b/i.test(sql)) {
    db.exec('SAVEPOINT sync_op');
    try {
      db.prepare(sql);
    } finally {
      db.exec('ROLLBACK TO sync_op; RELEASE sync_op');
    }
    return;
  }
  db.prepare(sql);
}

describe('every SQL string of the project prepares against a freshly migrated database', () => {
  const { found, dynamic } = scan();

  it('finds the SQL of the project (the scan itself works)', () => {
    expect(found.length).toBeGreaterThan(250);
    expect(found.some((f) => f.file === 'src-server/store/sqlite.ts')).toBe(true);
    expect(found.some((f) => f.file === 'src-main/journal/apply.ts')).toBe(true);
  });

  it('prepares the typed statements of src-main/journal/tables (their text rendered from schema.ts)', () => {
    const journal = journalDb();
    const statements = Object.entries({ accounts, families, lessons, marks, oplog, people, structure }).flatMap(([module, exports]) =>
      Object.entries(exports as Record<string, unknown>)
        .filter((e): e is [string, { text: () => string }] => typeof e[1] === 'object' && e[1] !== null && typeof (e[1] as { text?: unknown }).text === 'function')
        .map(([name, s]) => ({ name: `${module}.${name}`, sql: s.text() })));
    expect(statements.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const s of statements) {
      try {
        journal.prepare(s.sql);
      } catch (err) {
        failures.push(`${s.name}: ${(err as Error).message}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('prepares each one: a renamed column or table fails here', () => {
    const journal = journalDb();
    const store = storeDb();
    const failures: string[] = [];
    for (const f of found) {
      const db = f.file.startsWith('src-server/store/') ? store : journal;
      // Several statements in one exec: each is prepared on its own.
      const statements = f.sql.split(/;\s*(?=\S)/).map((s) => s.trim().replace(/;$/, '')).filter(Boolean);
      for (const s of statements) {
        try {
          prepare(db, s);
        } catch (err) {
          failures.push(`${f.file}:${f.line}: ${(err as Error).message}\n    ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it(`leaves at most ${DYNAMIC_CEILING} dynamic SQL strings (names in variables), each a deliberate one`, () => {
    expect(dynamic.length, dynamic.join('\n')).toBeLessThanOrEqual(DYNAMIC_CEILING);
  });
});
