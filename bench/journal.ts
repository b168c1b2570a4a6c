/**
 * npm run bench:journal — the replica's speed and size on this machine. Prints numbers; not a test.
 *  1. ops/s: 10 000 mark ops in one transaction (validate + apply + log + outbox), vs a plain
 *     better-sqlite3 insert loop of the same rows in the same run;
 *  2. one command per transaction at the production durability (synchronous = FULL): p50/p99;
 *  3. the file size of the default demo school and of the 1500-student school after a full year.
 *  Options: --skip-large (no 1500-student year), --commands N, --encrypted (or EJOURNAL_BENCH_ENCRYPTED=1):
 *  every measurement also on an encrypted journal (SQLCipher v4, a raw key: journal/cipher.ts),
 *  printed beside the plain one with the overhead.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openJournal } from '../src-main/journal/open';
import { applyJournalKey, newJournalKey, type JournalKey } from '../src-main/journal/cipher';
import { encryptJournal } from '../src-main/journal/encrypt';
import { execute } from '../src-main/commands/execute';
import { draft, type OpDraft } from '../src-main/journal/log';
import { makeDemo } from '../src-main/demo/make';
import { context, fixedClock, T, tinySchool } from '../test/support/tiny-school';

const argv = process.argv.slice(2);
const COMMANDS = argv.includes('--commands') ? Number(argv[argv.indexOf('--commands') + 1]) : 2000;
const ENCRYPTED = argv.includes('--encrypted') || process.env.EJOURNAL_BENCH_ENCRYPTED === '1';
const KEYS: (JournalKey | undefined)[] = ENCRYPTED ? [undefined, newJournalKey()] : [undefined];
const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
const VALUES = ['5', '4', '3', '5/4', '4'];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const fmt = (n: number, d = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: d, minimumFractionDigits: d });
const label = (key: JournalKey | undefined) => (key ? 'encrypted' : 'plain');
const overhead = (plain: number, enc: number) => `${enc >= plain ? '+' : '−'}${fmt(Math.abs((enc / plain - 1) * 100), 1)} %`;
const suffix = (key: JournalKey | undefined) => (key ? '-enc' : '');

/** A school with many lessons so the 10 000 ops hit distinct cells, like a real journal. */
function school(file: string, durability: 'full' | 'off', key: JournalKey | undefined) {
  const { j } = tinySchool(file);
  j.close();
  if (key) encryptJournal(file, key);
  const jj = openJournal(file, { durability, ...(key ? { key } : {}) });
  const admin = context(jj, T.admin, fixedClock('2026-08-30T09:00:00.000Z'));
  const lessons: string[] = [];
  execute(admin, (b) => {
    const ds: OpDraft[] = [];
    for (let i = 0; i < 400; i++) {
      const id = b.newId();
      lessons.push(id);
      ds.push(draft('lesson.create', { id, courseId: T.course, date: `2026-${String(9 + Math.floor(i / 100)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, number: 1 + (i % 7) }));
    }
    return ds;
  });
  return { j: jj, lessons };
}

/** The same file through a bare connection (with the key when it is encrypted). */
function bare(file: string, key: JournalKey | undefined): Database.Database {
  const db = new Database(file);
  if (key) applyJournalKey(db, key);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

// ── 1. batched ────────────────────────────────────────────────────────────────
// The plain loop writes the same stored rows as the fold: mark_cell, main column '', author as a name code.
const PLAIN_MARK = `INSERT INTO mark_cell (lesson_id, student_id, col, value, work_type, comment, author, at) VALUES (?, ?, '', ?, NULL, NULL, ?, ?)
  ON CONFLICT(lesson_id, student_id, col) DO UPDATE SET value = excluded.value, author = excluded.author, at = excluded.at`;
const PLAIN_AUTHOR = 1;
const PLAIN_AT = Date.parse('2026-10-01T10:00:00.000Z');

const batchedMs: number[] = [];
for (const key of KEYS) {
  const { j, lessons } = school(join(dir, `batch${suffix(key)}.sqlite`), 'full', key);
  const ctx = context(j, T.teacherAcc, fixedClock('2026-10-01T10:00:00.000Z'));
  const drafts = Array.from({ length: 10_000 }, (_, i) => draft('mark.set', { lessonId: lessons[i % lessons.length]!, marks: [{ studentId: T.students[i % 3]!, value: VALUES[i % 5]! }] }));
  const t0 = performance.now();
  execute(ctx, () => drafts);
  const ms = performance.now() - t0;
  j.close();
  batchedMs.push(ms);

  const plain = bare(join(dir, `batch${suffix(key)}.sqlite`), key);
  const ins = plain.prepare(PLAIN_MARK);
  const t1 = performance.now();
  plain.transaction(() => {
    for (let i = 0; i < 10_000; i++) ins.run(lessons[i % lessons.length], T.students[i % 3], VALUES[(i + 1) % 5], PLAIN_AUTHOR, PLAIN_AT);
  })();
  const plainMs = performance.now() - t1;
  plain.close();
  console.log(`batched, 10 000 mark ops in one transaction (${label(key)}): ${fmt(ms)} ms = ${fmt(10_000 / (ms / 1000))} ops/s (target ≥ 20 000)`);
  console.log(`  plain better-sqlite3 insert loop, same rows: ${fmt(plainMs, 1)} ms = ${fmt(10_000 / (plainMs / 1000))} rows/s; ratio journal/plain time = ${fmt(ms / plainMs, 1)}×`);
}
if (ENCRYPTED) console.log(`  encryption overhead, batched: ${overhead(batchedMs[0]!, batchedMs[1]!)} (target ≤ 15 %)`);

// ── 2. one command per transaction, synchronous = FULL ────────────────────────
const singles: { p50: number; p99: number; total: number }[] = [];
for (const key of KEYS) {
  const { j, lessons } = school(join(dir, `single${suffix(key)}.sqlite`), 'full', key);
  const clock = fixedClock('2026-10-01T10:00:00.000Z');
  const ctx = context(j, T.teacherAcc, clock);
  const lat: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const d = draft('mark.set', { lessonId: lessons[i % lessons.length]!, marks: [{ studentId: T.students[i % 3]!, value: VALUES[i % 5]! }] });
    const t0 = performance.now();
    execute(ctx, () => [d]);
    lat.push(performance.now() - t0);
  }
  j.close();
  const plain = bare(join(dir, `single${suffix(key)}.sqlite`), key);
  const ins = plain.prepare(PLAIN_MARK);
  const plainLat: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const t0 = performance.now();
    plain.transaction(() => ins.run(lessons[i % lessons.length], T.students[i % 3], VALUES[(i + 2) % 5], PLAIN_AUTHOR, PLAIN_AT))();
    plainLat.push(performance.now() - t0);
  }
  plain.close();
  const total = lat.reduce((a, b) => a + b, 0);
  const plainTotal = plainLat.reduce((a, b) => a + b, 0);
  singles.push({ p50: pct(lat, 50), p99: pct(lat, 99), total });
  console.log(`one mark command per transaction (synchronous=FULL, ${label(key)}), ${COMMANDS} commands: p50 ${fmt(pct(lat, 50), 2)} ms, p99 ${fmt(pct(lat, 99), 2)} ms, ${fmt(COMMANDS / (total / 1000))} commands/s (target p99 ≤ 5 ms)`);
  console.log(`  plain better-sqlite3, one insert per transaction: p50 ${fmt(pct(plainLat, 50), 2)} ms, p99 ${fmt(pct(plainLat, 99), 2)} ms; ratio journal/plain time = ${fmt(total / plainTotal, 1)}×`);
}
if (ENCRYPTED) {
  const [p, e] = singles as [typeof singles[0], typeof singles[0]];
  console.log(`  encryption overhead, one command per transaction: total ${overhead(p.total, e.total)}, p50 ${overhead(p.p50, e.p50)}, p99 ${overhead(p.p99, e.p99)} (target ≤ 15 %)`);
}

// ── 3. file sizes ─────────────────────────────────────────────────────────────
function sizeOf(students: number, today: string) {
  const runs: { bytes: number; ms: number }[] = [];
  for (const key of KEYS) {
    const file = join(dir, `demo-${students}-${today}${suffix(key)}.sqlite`);
    const t0 = performance.now();
    const s = makeDemo(file, { seed: 1, students, today, ...(key ? { key } : {}) });
    const ms = performance.now() - t0;
    const bytes = statSync(file).size;
    runs.push({ bytes, ms });
    console.log(`demo school (${label(key)}), ${s.students} students, ${s.lessons} lessons, ${s.marks} marks, ${s.absences} absences, ${s.ops} ops (today ${today}): ${fmt(bytes / 1048576, 1)} MB; generated in ${fmt(ms / 1000, 1)} s`);
  }
  if (ENCRYPTED) console.log(`  encryption overhead: size ${overhead(runs[0]!.bytes, runs[1]!.bytes)}, generation time ${overhead(runs[0]!.ms, runs[1]!.ms)}`);
}
sizeOf(135, '2026-11-28');
sizeOf(135, '2027-05-25');
if (!argv.includes('--skip-large')) sizeOf(1500, '2027-05-25');
rmSync(dir, { recursive: true, force: true });
