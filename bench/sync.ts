/**
 * npm run bench:sync (first part) — the sync protocol on the wire and the client's apply rate, on
 * this machine, against a real server on loopback (SQLite store) holding the demo school. Prints
 * numbers; not a test. Budgets (the sync core's): a teacher's day ≤ 2 KB up, an idle round ≤ 300 B of
 * payload each way, ≥ 10 000 pulled ops/s applied. The desktop is an enrolled school computer on
 * which the day's teacher signs in online before entering the day (docs/security.md).
 *  1. a desktop bootstraps by pulling the whole school (pages of 5 000): bytes down, compressed;
 *  2. one teacher's day — 6 lessons × 25 students: attendance, 60 marks (one op per cell, as the
 *     grid sends them), topic and homework — pushed and pulled back: bytes up and down, and the
 *     same ops as naive JSON (payloads unpacked) gzipped, for comparison;
 *  3. an idle round (nothing changed);
 *  4. the apply rate of the pulled pages through `SyncClient.applyPage`: the fast path (fresh
 *     replica) and the rebase path (a pending own op meets the pages → one re-fold), with no base
 *     (the whole log re-folded) and with the base moved to the last quiet point (the pages only).
 * Bytes are payload bytes as the client counts them (bodies as sent/received + request targets);
 * "socket" adds HTTP headers (measured on the server's sockets).
 * Options: --students N (default 700 — enough for ≥ 50 000 ops and 22–26-pupil classes),
 * --today YYYY-MM-DD (the demo's «today» and the day entered).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeDemo } from '../src-main/demo/make';
import { openJournal, type Journal } from '../src-main/journal/open';
import { allowAll, submit } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft, readLog, type OpDraft } from '../src-main/journal/log';
import { localMs } from '../src-main/demo/calendar';
import { DEMO_PASSWORD } from '../src-main/demo/setup';
import { SyncClient, syncOnce, type SyncFetch, type SyncReport } from '../src-main/sync/client';
import { httpFetch } from '../src-main/sync/transport';
import { PROTO, toWire, type PullAnswer } from '../src-shared/sync/protocol';
import { createServer } from '../src-server/app';
import { openSqliteStore } from '../src-server/store/sqlite';
import { createLogger } from '../src-server/log';
import { BACKDATE_TOLERANCE_MS, judgedAt } from '../src-server/sync/service';
import { allowedOn, signedInBy } from '../src-server/auth/devices';
import { tempDir } from '../test/support/stores';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : def);
const TODAY = opt('today', '2026-11-27');
/** The day entered: the demo's «today» (the demo holds lessons up to it; cells already marked are skipped). */
const DAY = opt('day', TODAY);
const STUDENTS = Number(opt('students', '700'));
const fmt = (n: number, d = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: d, minimumFractionDigits: d });
const kb = (n: number) => `${fmt(n)} B (${fmt(n / 1024, 2)} KB)`;
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED');

/** CPU time (user + system) since `from`, in ms: steadier than wall time on a shared machine. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** Step 4, in its own process: `--apply PAGES.json` (the pages as pulled by step 1). */
function applyRate(file: string): void {
  const pages = JSON.parse(readFileSync(file, 'utf8')) as { after: number; page: PullAnswer }[];
  const total = pages.reduce((n, p) => n + p.page.ops.length, 0);
  const clock = { now: () => Date.parse('2026-11-27T13:00:00.000Z') };
  const fresh = (name: string) => {
    const j = openJournal(join(dirname(file), `${name}.sqlite`), { create: true, device: name, durability: 'normal' });
    return { j, c: new SyncClient({ journal: j, server: 'http://127.0.0.1:9/', token: 'unused', fetch: httpFetch, clock }) };
  };
  {
    const { j, c } = fresh('fast');
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let rebases = 0;
    for (const p of pages) if (c.applyPage(p.page, p.after)) rebases++;
    const ms = performance.now() - t0;
    const cpu = cpuMs(c0);
    console.log(`\n4. apply rate, fast path: ${fmt(total)} pulled ops in ${pages.length} pages → ${fmt(ms)} ms = ${fmt(total / (ms / 1000))} ops/s (${rebases} rebases; ${fmt(cpu)} ms CPU = ${fmt(total / (cpu / 1000))} ops per CPU-second) — budget 10 000 ops/s: ${verdict(total / (ms / 1000) >= 10_000 && rebases === 0)}`);
    j.close();
  }
  // The rebase path: all but the last 4 pages applied, then a pending own op every page meets (a
  // school-wide setting: no scope). The client holds pages that need a rebase and folds them in
  // together (REBASE_BATCH), so the 4 pages are one page here: one re-fold of the log above the base.
  // Twice: with no base (as before the base moved: the re-fold is the whole log) and with the base
  // moved to the cursor at the last quiet point (`SyncClient.advanceBase`, as a sync round does when
  // it reaches the head with nothing pending and the checksum equal — these pages came from such a pull).
  for (const advance of [false, true]) {
    const { j, c } = fresh(advance ? 'rebase-base' : 'rebase');
    const tail = pages.slice(-4);
    for (const p of pages.slice(0, -4)) c.applyPage(p.page, p.after);
    let copy = '';
    if (advance) {
      const t0 = performance.now();
      if (!c.advanceBase()) throw new Error('the base did not move');
      copy = `; base moved to ${j.meta('sync.base_seq')} in ${fmt(performance.now() - t0)} ms (the state copied)`;
    }
    const adminAcc = j.stmt("SELECT id FROM account WHERE login = 'admin'").pluck().get() as string;
    submit({ journal: j, actor: { accountId: adminAcc }, clock, guard: allowAll }, draft('setting.set', { key: 'bench.note', value: 'x' }));
    const merged: PullAnswer = { ...tail.at(-1)!.page, ops: tail.flatMap((p) => p.page.ops) };
    const inLog = j.stmt('SELECT count(*) FROM op_log').pluck().get() as number;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const rebased = c.applyPage(merged, tail[0]!.after);
    const ms = performance.now() - t0;
    const cpu = cpuMs(c0);
    const n = merged.ops.length;
    console.log(`   rebase path, ${advance ? 'base at the last quiet point' : 'no base (whole log)'}: ${fmt(n)} pulled ops (${tail.length} pages, held and folded in together) on top of ${fmt(inLog)}${copy} → ${fmt(ms)} ms (${fmt(cpu)} ms CPU), ${rebased ? 1 : 0} rebase = ${fmt(n / (ms / 1000))} pulled ops/s (${fmt(n / (cpu / 1000))} per CPU-second) — budget 10 000 ops/s: ${verdict(n / (ms / 1000) >= 10_000)}`);
    j.close();
  }
}

if (argv.includes('--apply')) {
  applyRate(opt('apply', ''));
  process.exit(0);
}

const dir = tempDir('bench-sync-');
let t = performance.now();
const demoFile = join(dir, 'demo.sqlite');
const summary = makeDemo(demoFile, { seed: 1, students: STUDENTS, today: TODAY });
console.log(`demo: ${summary.students} students, ${summary.lessons} lessons, ${summary.marks} marks, ${fmt(summary.ops)} ops up to ${TODAY} — ${fmt((performance.now() - t) / 1000, 1)} s`);

// The evening of DAY: every lesson of the day is over, so the guard allows the whole day's entries.
let now = localMs(DAY, '18:00');
const clock = { now: () => now };
const store = openSqliteStore(join(dir, 'server', 'store.sqlite'));
const server = await createServer({ store, dataDir: join(dir, 'server'), clock, logger: createLogger({ level: 'warn' }) });
const sockets = new Set<Socket>();
server.app.server.on('connection', (s: Socket) => sockets.add(s));
const socketBytes = () => { let up = 0; let down = 0; for (const s of sockets) { up += s.bytesRead; down += s.bytesWritten; } return { up, down }; };
const journals: Journal[] = [];
let serverOpen = true;
try {
  await server.schools.importJournal({ schoolId: 'demo', file: demoFile });
  const base = await server.listen(0, '127.0.0.1');
  const login = await httpFetch(`${base}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'demo' }) });
  const cookie = /^[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  const enrol = await httpFetch(`${base}api/v1/devices`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'Кабинет 21', deviceId: 'bench1' }) });
  const token = (JSON.parse(await enrol.text()) as { value: { token: string } }).value.token;
  /** A teacher signs in on the computer online (the server takes their ops only then). */
  const signIn = async (login: string) => {
    const r = await httpFetch(`${base}api/v1/sync/signin`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ login, password: DEMO_PASSWORD }) });
    if (r.status !== 200) throw new Error(`sign-in of ${login} on the computer: ${r.status} ${await r.text()}`);
  };

  // Every pull page as it came, for the apply-rate runs below.
  const pages: { after: number; page: PullAnswer }[] = [];
  const recording: SyncFetch = async (url, init) => {
    const r = await httpFetch(url, init);
    const u = new URL(url);
    if (u.pathname.endsWith('/pull') && r.status === 200) pages.push({ after: Number(u.searchParams.get('after')), page: (JSON.parse(await r.text()) as { value: PullAnswer }).value });
    return r;
  };
  const desk = openJournal(join(dir, 'desk.sqlite'), { create: true, device: 'bench1', durability: 'normal' });
  journals.push(desk);
  const opts = { journal: desk, server: base, token, clock, pullLimit: 5000 };
  // ── 1. bootstrap by pulling ────────────────────────────────────────────────
  t = performance.now();
  const boot = await syncOnce({ ...opts, fetch: recording });
  const bootMs = performance.now() - t;
  if (!boot.ok) throw new Error(`bootstrap: ${boot.error}`);
  console.log(`\n1. bootstrap by pull: ${fmt(boot.pulled)} ops in ${pages.length} pages, ${fmt(bootMs)} ms over loopback (${fmt(boot.pulled / (bootMs / 1000))} ops/s end to end); down ${kb(boot.bytesReceived)} compressed; checksum ${boot.checksumMatch ? 'matches' : 'DIFFERS'}`);

  // ── 2. a teacher's day ─────────────────────────────────────────────────────
  const q = <T>(sql: string, ...a: unknown[]) => desk.sqlite.prepare(sql).all(...a) as T[];
  // A group's pupils: its members, or for a whole-class group the class's students.
  const PUPILS = `SELECT student_id AS id FROM group_member WHERE group_id = $g
    UNION SELECT s.id FROM student s JOIN grp g ON g.class_id = s.class_id WHERE g.id = $g AND g.kind = 'class' AND s."left" IS NULL`;
  const best = q<{ teacher: string; n: number }>(`
    SELECT k.teacher_id AS teacher, count(*) AS n FROM lesson l JOIN course k ON k.id = l.course_id
    WHERE l.date = ? AND k.teacher_id IS NOT NULL AND (SELECT count(*) FROM (${PUPILS.replaceAll('$g', 'k.group_id')})) >= 20
    GROUP BY k.teacher_id ORDER BY n DESC LIMIT 1`, DAY)[0];
  if (!best) throw new Error(`no lessons with 20+ pupils on ${DAY}`);
  const { id: account, login: teacherLogin } = q<{ id: string; login: string }>('SELECT id, login FROM account WHERE person_id = ?', best.teacher)[0]!;
  await signIn(teacherLogin);
  // The sign-in upgrades a cheap demo verifier on the server (an op): pulled here, outside the measured day.
  const caught = await syncOnce({ ...opts, fetch: httpFetch });
  if (!caught.ok) throw new Error(`after the sign-in: ${caught.error}`);
  const lessons = q<{ id: string; group: string }>(`
    SELECT l.id, k.group_id AS "group" FROM lesson l JOIN course k ON k.id = l.course_id
    WHERE l.date = ? AND k.teacher_id = ? AND (SELECT count(*) FROM (${PUPILS.replaceAll('$g', 'k.group_id')})) >= 20 ORDER BY l.number LIMIT 6`, DAY, best.teacher);
  const drafts: OpDraft[] = [];
  let marks = 0;
  const sizes: number[] = [];
  for (const [i, l] of lessons.entries()) {
    const pupils = q<{ id: string }>(`SELECT id FROM (${PUPILS.replaceAll('$g', '?')}) ORDER BY id LIMIT 25`, l.group, l.group).map((r) => r.id);
    sizes.push(pupils.length);
    drafts.push(draft('attendance.set', { lessonId: l.id, entries: pupils.filter((_, k) => (k * 7 + i) % 12 === 0).map((studentId) => ({ studentId, absent: true })) }));
    // A new mark is one op per cell, as the grid sends it; cells the demo already marked are left alone.
    const marked = new Set(q<{ id: string }>('SELECT student_id AS id FROM mark WHERE lesson_id = ?', l.id).map((r) => r.id));
    for (const studentId of pupils.filter((p) => !marked.has(p)).slice(0, 10)) {
      drafts.push(draft('mark.set', { lessonId: l.id, marks: [{ studentId, value: ['5', '4', '3', '4', '5', '2'][(marks + i) % 6]! }] }));
      marks++;
    }
    drafts.push(draft('lesson.update', { id: l.id, topic: ['Правописание безударных гласных в корне слова', 'Имя существительное как часть речи', 'Сложноподчинённое предложение', 'Причастный оборот', 'Лексика. Синонимы и антонимы', 'Развитие речи: сочинение-описание'][i % 6]!, homework: `Упр. ${120 + i * 7}, с. ${40 + i * 3}; выучить правило` }));
  }
  const ctx = { journal: desk, actor: { accountId: account }, clock, guard: regulationGuard };
  for (const d of drafts) submit(ctx, d);
  const dayOps = [...readLog(desk)].filter((o) => o.device === 'bench1');
  const s0 = socketBytes();
  const day = await syncOnce({ ...opts, fetch: httpFetch });
  const s1 = socketBytes();
  const packed = JSON.stringify({ proto: PROTO, schema: 5, device: 'bench1', clock: now, ops: dayOps.map(toWire) });
  const naive = JSON.stringify({ proto: PROTO, schema: 5, device: 'bench1', clock: now, ops: dayOps.map((o) => ({ ...toWire(o), payload: o.payload })) });
  console.log(`\n2. a teacher's day (${DAY}): ${lessons.length} lessons × ${sizes.join('/')} pupils — ${dayOps.length} ops (${marks} marks, attendance, topic + homework); pushed ${day.pushed}, rejected ${day.rejected}${day.error ? `, error: ${day.error}` : ''}`);
  console.log(`   up   (payload, gzip):         ${kb(day.bytesSent)}  — budget 2 KB: ${verdict(day.bytesSent <= 2048)}`);
  console.log(`   down (payload):               ${kb(day.bytesReceived)}`);
  console.log(`   socket, headers included:     up ${kb(s1.up - s0.up)}, down ${kb(s1.down - s0.down)}`);
  console.log(`   the push body: packed JSON ${kb(Buffer.byteLength(packed))} → gzip ${kb(gzipSync(packed).length)}`);
  console.log(`   naive (payloads unpacked):    JSON ${kb(Buffer.byteLength(naive))} → gzip ${kb(gzipSync(naive).length)}; packed+gzip is ${fmt(gzipSync(naive).length / gzipSync(packed).length, 2)}× smaller than naive+gzip, ${fmt(Buffer.byteLength(naive) / gzipSync(packed).length, 1)}× smaller than naive JSON`);

  // ── 3. idle ────────────────────────────────────────────────────────────────
  now += 60_000;
  const i0 = socketBytes();
  const idle: SyncReport = await syncOnce({ ...opts, fetch: httpFetch });
  const i1 = socketBytes();
  console.log(`\n3. idle round: up ${kb(idle.bytesSent)}, down ${kb(idle.bytesReceived)} — budget 300 B each way: ${verdict(idle.bytesSent <= 300 && idle.bytesReceived <= 300)}; socket, headers included: up ${fmt(i1.up - i0.up)} B, down ${fmt(i1.down - i0.down)} B`);

  // ── 5. pushed ops on the server, with the trust boundary's checks ─────────
  // A backlog of one teacher's homework edits (a computer offline for a while), pushed in chunks:
  // every op is parsed, its author's permission and sign-in and its judged time checked, then the
  // guard, the replica and the store. The checks alone are timed on the same ops beside it.
  {
    const BACKLOG = 1500;
    const days = q<{ id: string }>('SELECT l.id FROM lesson l JOIN course k ON k.id = l.course_id WHERE l.date = ? AND k.teacher_id = ? ORDER BY l.number', DAY, best.teacher);
    for (let k = 0; k < BACKLOG; k++) {
      now += 1000;
      submit(ctx, draft('lesson.update', { id: days[k % days.length]!.id, homework: `Упр. ${k + 1}, с. ${10 + (k % 90)}` }));
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const pushed = await syncOnce({ ...opts, fetch: httpFetch });
    const pushMs = performance.now() - t0;
    if (!pushed.ok || pushed.pushed !== BACKLOG) throw new Error(`push of the backlog: ${pushed.pushed} of ${BACKLOG}, ${pushed.error ?? ''}`);
    const cpu = cpuMs(cpu0);
    // The new checks on their own: permission on the computer, sign-in, judged time — per op.
    const replica = (await server.schools.find('demo'))!;
    const dev = (await server.store.device('demo', 'bench1'))!;
    const signins = await server.store.signins('demo', { deviceId: 'bench1', accountId: account }, 10_000);
    const ops = [...readLog(desk)].filter((o) => o.device === 'bench1').slice(-BACKLOG);
    const c0 = performance.now();
    let covered = 0;
    for (let rep = 0; rep < 10; rep++) {
      for (const o of ops) {
        const at = judgedAt(o.hlc, now, 0, Date.parse(dev.enrolledAt) - BACKDATE_TOLERANCE_MS);
        if (at !== null && allowedOn(replica.view, dev, o.author) && signedInBy(signins, at, BACKDATE_TOLERANCE_MS)) covered++;
      }
    }
    const checkUs = ((performance.now() - c0) * 1000) / (10 * ops.length);
    if (covered !== 10 * ops.length) throw new Error('the checks refused a genuine op');
    console.log(`\n5. push on the server: ${fmt(BACKLOG)} ops (one teacher's backlog) in ${fmt(pushMs)} ms over loopback = ${fmt(BACKLOG / (pushMs / 1000))} pushed ops/s end to end (${fmt(cpu)} ms CPU in this process, client and server); the trust checks alone (allowed on the computer, signed in, judged time; uncached permission) ${fmt(checkUs, 1)} µs per op = ${fmt((checkUs * BACKLOG) / 1000, 1)} ms of the ${fmt(pushMs)} ms`);
  }

  // ── 4. apply rate ──────────────────────────────────────────────────────────
  // In a process of its own, as on a desktop: this one also holds the server (with its background
  // snapshot work) and the demo generator's heap, which share the CPU and blur the number.
  const pagesFile = join(dir, 'pages.json');
  writeFileSync(pagesFile, JSON.stringify(pages));
  if (process.env.BENCH_SYNC_PAGES) writeFileSync(process.env.BENCH_SYNC_PAGES, JSON.stringify(pages)); // for profiling applyPage alone
  await server.close();
  serverOpen = false;
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--apply', pagesFile], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`apply-rate run failed (${child.status ?? child.signal})`);
} finally {
  for (const j of journals) j.close();
  if (serverOpen) await server.close();
}
