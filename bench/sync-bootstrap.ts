/**
 * npm run bench:sync (second part) — bootstrap of a desktop from the server's snapshot of the
 * 1500-student demo school (docs/sync.md, budget ≤ 6 MB). Prints numbers; not a test.
 *  - generates the demo (1500 students) up to `--today` (default 2027-01-15: the middle of the
 *    II trimester — the whole year so far is in the state) and imports it into a server (SQLite
 *    store in a temp folder), as `ejournal serve --demo` does;
 *  - makes the snapshot the endpoint serves and measures its encodings against the alternatives:
 *    with the op_log (history), with indexes, gzip vs brotli at several qualities;
 *  - a fresh desktop journal — an enrolled school computer (device token) — bootstraps over
 *    loopback (real HTTP): download time, install time, the computer's private share (the snapshot
 *    carries no verifiers and no messages: `GET /api/v1/sync/private`), and the time the bytes
 *    would take at 256 kbit/s with 600 ms per round trip.
 * Options: --today YYYY-MM-DD, --students N (default 1500), --slow (also brotli 11: ~1 min).
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliCompressSync, constants as z, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { makeDemo } from '../src-main/demo/make';
import { openJournal } from '../src-main/journal/open';
import { stateTables } from '../src-main/journal/checksum';
import { systemClock } from '../src-main/commands/execute';
import { downloadSnapshot, fetchAndInstall } from '../src-main/sync/bootstrap';
import { syncOnce } from '../src-main/sync/client';
import { writePrivate, type PrivateShare } from '../src-main/sync/signin';
import { httpFetch } from '../src-main/sync/transport';
import { createServer } from '../src-server/app';
import { openSqliteStore } from '../src-server/store/sqlite';
import { createLogger } from '../src-server/log';
import { tempDir } from '../test/support/stores';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : def);
const TODAY = opt('today', '2027-01-15');
const STUDENTS = Number(opt('students', '1500'));
const SLOW = argv.includes('--slow');
const LINK_BPS = 256_000;
const RTT_S = 0.6;
const BUDGET = 6 * 1024 * 1024;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const onLink = (bytes: number, trips: number) => (bytes * 8) / LINK_BPS + trips * RTT_S;

const dir = tempDir('bench-sync-boot-');
try {
  let t = performance.now();
  const demoFile = join(dir, 'demo.sqlite');
  const summary = makeDemo(demoFile, { seed: 1, students: STUDENTS, today: TODAY });
  console.log(`demo: ${summary.students} students, ${summary.lessons} lessons, ${summary.marks} marks, ${summary.ops} ops up to ${TODAY} — ${sec(performance.now() - t)}`);

  const store = openSqliteStore(join(dir, 'server', 'store.sqlite'));
  // Only the snapshot's own log line is kept: how long the school's mutex was held for the copy.
  const made: { lockedMs?: number; ms?: number }[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.includes('sync snapshot made')) made.push(JSON.parse(l) as { lockedMs: number; ms: number });
      done();
    },
  });
  const server = await createServer({ store, dataDir: join(dir, 'server'), clock: systemClock, logger: createLogger({ level: 'info', destination: destination as never }) });
  try {
    t = performance.now();
    const replica = await server.schools.importJournal({ schoolId: 'demo', file: demoFile });
    console.log(`server: school imported, replica at seq ${replica.serverSeq} — ${sec(performance.now() - t)}`);
    const url = await server.listen(0, '127.0.0.1');

    // ── the snapshot the endpoint serves ──────────────────────────────────────
    // Only an enrolled school computer takes a snapshot: the teacher enrols the desktop (a role the school allows).
    const DEVICE = 'bench-boot';
    const login = await httpFetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'teacher', password: 'demo', session: 'bearer' }) });
    const session = (JSON.parse(await login.text()) as { value: { token: string } }).value.token;
    const enrol = await httpFetch(`${url}api/v1/devices`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` }, body: JSON.stringify({ name: 'Кабинет 21', deviceId: DEVICE }) });
    if (enrol.status !== 200) throw new Error(`enrolment: ${enrol.status} ${await enrol.text()}`);
    const token = (JSON.parse(await enrol.text()) as { value: { token: string } }).value.token;
    t = performance.now();
    const head = await fetch(`${url}api/v1/sync/snapshot`, { method: 'GET', headers: { authorization: `Bearer ${token}`, range: 'bytes=0-0' } });
    await head.arrayBuffer();
    const madeMs = performance.now() - t;
    const size = Number(/\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1]);
    const raw = Number(head.headers.get('x-snapshot-raw-bytes'));
    console.log(`snapshot (served): ${mb(size)} brotli-5 of a ${mb(raw)} SQLite file (state tables, no indexes, no op_log), S = ${head.headers.get('x-snapshot-seq')}, made in ${sec(madeMs)} (the school's mutex held ${sec(made[0]?.lockedMs ?? NaN)}: catch-up only, the copy is a read transaction)  ${size <= BUDGET ? '✓' : '✗'} budget ${mb(BUDGET)}`);

    // ── the alternatives, measured on copies of the replica ───────────────────
    const full = join(dir, 'full.sqlite');
    const src = new Database(replica.file, { readonly: true });
    src.prepare('VACUUM INTO ?').run(full);
    const state = stateTables(src);
    src.close();
    const variant = (name: string, shape: (db: Database.Database) => void): Buffer => {
      const f = join(dir, `${name}.sqlite`);
      const db = new Database(full, { readonly: true });
      db.prepare('VACUUM INTO ?').run(f);
      db.close();
      const v = new Database(f);
      v.pragma('journal_mode = DELETE');
      v.transaction(() => shape(v))();
      v.exec('VACUUM');
      v.close();
      const bytes = readFileSync(f);
      rmSync(f);
      return bytes;
    };
    const otherTables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).filter((x) => !state.includes(x) && x !== '__drizzle_migrations' && x !== 'meta');
    const dropIndexes = (db: Database.Database) => { for (const n of db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").pluck().all() as string[]) db.exec(`DROP INDEX "${n}"`); };
    const variants: [string, Buffer][] = [
      ['state + op_log (history) + indexes', variant('with-log', () => undefined)],
      ['state + indexes, no op_log', variant('with-idx', (db) => { for (const x of otherTables(db)) db.exec(`DELETE FROM "${x}"`); })],
      ['state only, no indexes (served)', variant('state', (db) => { for (const x of otherTables(db)) db.exec(`DELETE FROM "${x}"`); dropIndexes(db); })],
    ];
    const codecs: [string, (b: Buffer) => Buffer][] = [
      ['gzip-6', (b) => gzipSync(b, { level: 6 })],
      ['gzip-9', (b) => gzipSync(b, { level: 9 })],
      ['brotli-5', (b) => brotliCompressSync(b, { params: { [z.BROTLI_PARAM_QUALITY]: 5, [z.BROTLI_PARAM_LGWIN]: 24, [z.BROTLI_PARAM_SIZE_HINT]: b.length } })],
      ['brotli-9', (b) => brotliCompressSync(b, { params: { [z.BROTLI_PARAM_QUALITY]: 9, [z.BROTLI_PARAM_LGWIN]: 24, [z.BROTLI_PARAM_SIZE_HINT]: b.length } })],
      ...(SLOW ? [['brotli-11', (b: Buffer) => brotliCompressSync(b, { params: { [z.BROTLI_PARAM_QUALITY]: 11, [z.BROTLI_PARAM_LGWIN]: 24, [z.BROTLI_PARAM_SIZE_HINT]: b.length } })] as [string, (b: Buffer) => Buffer]] : []),
    ];
    console.log('\nencodings (compressed size, compression time, time at 256 kbit/s + 2 × 600 ms):');
    for (const [name, bytes] of variants) {
      console.log(`  ${name}: ${mb(bytes.length)} raw`);
      for (const [codec, fn] of codecs) {
        if (codec === 'brotli-9' && !name.includes('served')) continue;
        const c0 = performance.now();
        const out = fn(bytes);
        console.log(`    ${codec.padEnd(9)} ${mb(out.length).padStart(9)}  ${sec(performance.now() - c0).padStart(7)}  link ${onLink(out.length, 2).toFixed(0).padStart(4)} s  ${out.length <= BUDGET ? '✓' : '✗'}`);
      }
    }

    // ── a desktop bootstraps over loopback ────────────────────────────────────
    console.log('\nbootstrap of a fresh desktop journal over loopback (real HTTP):');
    const desk = join(dir, 'desk.sqlite');
    const j = openJournal(desk, { create: true, device: DEVICE });
    try {
      let received = 0;
      const ctx = { journal: j, server: url, token, snapshot: {}, count: (n: number) => { received += n; } };
      t = performance.now();
      const d = await downloadSnapshot(ctx, 0);
      const download = performance.now() - t;
      t = performance.now();
      await fetchAndInstall(ctx, 0, new Date().toISOString()); // the part is complete: verify, unpack, install
      const install = performance.now() - t;
      // What the snapshot leaves out, this computer's share: its staff's verifiers, their messages.
      t = performance.now();
      const priv = await httpFetch(`${url}api/v1/sync/private`, { method: 'GET', headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
      const privBytes = (await priv.wireBytes!()).byteLength;
      const share = (JSON.parse(await priv.text()) as { value: PrivateShare }).value;
      writePrivate(j, share);
      const privMs = performance.now() - t;
      t = performance.now();
      const after = await syncOnce({ journal: j, server: url, token, fetch: httpFetch, clock: systemClock, snapshot: {} });
      const pull = performance.now() - t;
      const rows = stateTables(j.sqlite).reduce((n, x) => n + (j.sqlite.prepare(`SELECT count(*) FROM "${x}"`).pluck().get() as number), 0);
      console.log(`  download: ${mb(received)} received in ${sec(download)} (S = ${d.info.seq})`);
      console.log(`  install (sha256, unpack, state + base copy, indexes): ${sec(install)} — ${rows} rows`);
      console.log(`  private share: ${share.verifiers.length} verifiers, ${share.messages.length} messages, ${(privBytes / 1024).toFixed(1)} KB on the wire, written in ${sec(privMs)}`);
      console.log(`  first pull from S: ${sec(pull)}, ${after.pulled} ops, sync checksum ${after.checksumMatch ? 'matches the server' : 'DIFFERS'}`);
      console.log(`  at 256 kbit/s with 600 ms per round trip (snapshot + private share + pull at S): ${onLink(received + privBytes, 3).toFixed(1)} s`);
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      console.log(`  journal file after bootstrap: ${mb(statSync(desk).size)} (state + indexes + base copy)`);
    } finally {
      j.close();
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
