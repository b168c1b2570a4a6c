/**
 * npx tsx bench/journal-size.ts [students=1500] [today=2027-05-25] [file] — where the bytes of a
 * demo school's journal go: generates it (makeDemo: the same file as bench:journal) unless `file`
 * exists, then prints every table and index of ≥ 0.05 MB (SQLite's dbstat). Prints; not a test.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeDemo } from '../src-main/demo/make';

const [students = '1500', today = '2027-05-25', given] = process.argv.slice(2);
const file = given ?? join(mkdtempSync(join(tmpdir(), 'bench-size-')), `demo-${students}-${today}.sqlite`);
if (!existsSync(file)) makeDemo(file, { seed: 1, students: Number(students), today });

const db = new Database(file, { readonly: true });
const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
db.close();
const mb = (b: number) => (b / 1048576).toFixed(2).padStart(7);
console.log(`${file}: ${mb(statSync(file).size)} MB`);
for (const r of rows) if (r.bytes >= 0.05 * 1048576) console.log(`  ${r.name.padEnd(30)} ${mb(r.bytes)} MB`);
