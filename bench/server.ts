/**
 * npm run bench:server — the central server under load, on this machine. Prints numbers; not a test.
 * For each store (SQLite; PostgreSQL too when DATABASE_URL is set, in a schema of its own):
 *  - starts `ejournal serve --demo` as a real process on a free loopback port, clock fixed at
 *    13:00 of a school day (lessons 1–5 are over, so marks for them are allowed);
 *  - diary reads: 200 concurrent parents (distinct accounts, each their own child), autocannon;
 *  - mark commands: 30 concurrent teachers, each marking cells of their own lessons of the day.
 * Targets: diary p99 ≤ 50 ms at 200 concurrent; ≥ 1 000 mark commands/s on SQLite.
 * Options: --duration S (default 10), --today YYYY-MM-DD (a school day; default 2026-11-27);
 * env BENCH_NODE_ARGS: extra node flags for the server (e.g. --cpu-prof).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { tempDir } from '../test/support/stores';

interface Histogram { p50: number; p90: number; p97_5: number; p99: number; average: number; max: number }
interface AutocannonResult { latency: Histogram; requests: { average: number; total: number }; duration: number; non2xx: number; errors: number; timeouts: number }
interface Req { method: string; path: string; headers: Record<string, string>; body: string }
type Autocannon = (o: {
  url: string; connections: number; duration: number; pipelining?: number;
  requests: { method: string; path: string; setupRequest: (r: Req) => Req; onResponse?: (status: number) => void }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : def);
const DURATION = Number(opt('duration', '10'));
const TODAY = opt('today', '2026-11-27');
const NOW = `${TODAY}T13:00`;
const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
/** Extra node flags for the server process, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/prof". */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const fmt = (n: number, d = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: d, minimumFractionDigits: d });

interface Server { proc: ChildProcess; url: string; data: string }

function start(store: 'sqlite' | 'postgres', schema: string): Promise<Server> {
  const data = tempDir('bench-server-');
  const env = { ...process.env, LOG_LEVEL: 'warn', ...(store === 'sqlite' ? { DATABASE_URL: '' } : { DATABASE_SCHEMA: schema }) };
  const proc = spawn(process.execPath, [...NODE_ARGS, BIN, 'serve', '--demo', '--port', '0', '--data', data, '--now', NOW, '--today', TODAY], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Сервер запущен: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]!.replace(/\/$/, ''), data });
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}\n${out}`)));
  });
}

async function login(url: string, loginName: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: loginName, password: 'demo' }) });
  if (r.status !== 200) throw new Error(`login ${loginName}: ${r.status} ${await r.text()}`);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

function weekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Whom to load with, read from the server's replica file (read-only). */
function population(data: string) {
  const db = new Database(join(data, 'schools', 'demo', 'replica.sqlite'), { readonly: true });
  try {
    const parents = db.prepare(`SELECT a.login, min(ps.student_id) AS child FROM account a JOIN parent_student ps ON ps.parent_id = a.person_id
      WHERE a.person_kind = 'parent' AND a.login <> 'parent' GROUP BY a.id ORDER BY a.login`).all() as { login: string; child: string }[];
    // Cells of today's lessons that have begun (bell before 13:00), grade 2+, not marked yet, per teacher.
    const cells = db.prepare(`SELECT a.login, l.id AS lesson, s.id AS student FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
      JOIN account a ON a.person_id = c.teacher_id AND a.person_kind = 'staff'
      JOIN bell b ON b.year_id = c.year_id AND b.number = l.number
      JOIN student s ON ((g.kind = 'class' AND s.class_id = g.class_id) OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = s.id))
      JOIN class cl ON cl.id = s.class_id
      WHERE l.date = ? AND b.starts < '13:00' AND cl.grade >= 2 AND l.status <> 'cancelled' AND l.kind = 'regular' AND s.left IS NULL
        AND NOT EXISTS (SELECT 1 FROM mark k WHERE k.lesson_id = l.id AND k.student_id = s.id AND k.col = 'main')
      ORDER BY a.login, l.id, s.id`).all(TODAY) as { login: string; lesson: string; student: string }[];
    return { parents, cells };
  } finally {
    db.close();
  }
}

interface Row { store: string; diary: AutocannonResult; diaryOk: number; marks: AutocannonResult; marksOk: number; marksRefused: number; parents: number; teachers: number }

async function benchStore(store: 'sqlite' | 'postgres'): Promise<Row> {
  const schema = `bench_${process.pid}`;
  const t0 = performance.now();
  const s = await start(store, schema);
  console.log(`\n[${store}] serve --demo started in ${fmt((performance.now() - t0) / 1000, 1)} s at ${s.url}`);
  try {
    const { parents, cells } = population(s.data);
    const week = weekOf(TODAY);

    // ── diary reads: 200 parents ────────────────────────────────────────────────
    const chosen = parents.slice(0, 200);
    const parentCookies: { cookie: string; child: string }[] = [];
    for (const p of chosen) parentCookies.push({ cookie: await login(s.url, p.login), child: p.child });
    let k = 0;
    let diaryOk = 0;
    const diaryRun = (duration: number) => autocannon({
      url: s.url, connections: 200, duration,
      requests: [{
        method: 'POST', path: '/api/v1/rpc/diary.week',
        setupRequest: (r) => {
          const p = parentCookies[k++ % parentCookies.length]!;
          return { ...r, headers: { 'content-type': 'application/json', cookie: p.cookie }, body: JSON.stringify({ studentId: p.child, week }) };
        },
        onResponse: (status) => { if (status === 200) diaryOk++; },
      }],
    });
    await diaryRun(1); // warm-up (JIT, caches), not counted
    diaryOk = 0;
    const diary = await diaryRun(DURATION);
    console.log(`[${store}] diary: ${fmt(diary.requests.total)} requests, p50 ${diary.latency.p50} ms, p99 ${diary.latency.p99} ms, ${fmt(diary.requests.average)} req/s, non-2xx ${diary.non2xx}`);

    // ── mark commands: 30 teachers ──────────────────────────────────────────────
    const byTeacher = new Map<string, { lesson: string; student: string }[]>();
    for (const c of cells) (byTeacher.get(c.login) ?? byTeacher.set(c.login, []).get(c.login)!).push(c);
    const teachers = [...byTeacher.keys()].slice(0, 30);
    const sessions = new Map<string, string>();
    for (const t of teachers) sessions.set(t, await login(s.url, t));
    // Each connection slot is one teacher (30 distinct when the school has them); cells rotate.
    const slots = Array.from({ length: 30 }, (_, i) => teachers[i % teachers.length]!);
    const next = new Map<string, number>();
    const values = ['5', '4', '3', '4', '5'];
    let n = 0;
    let marksOk = 0;
    let marksRefused = 0;
    const marks = await autocannon({
      url: s.url, connections: 30, duration: DURATION,
      requests: [{
        method: 'POST', path: '/api/v1/rpc/mark.set',
        setupRequest: (r) => {
          const t = slots[n % slots.length]!;
          const list = byTeacher.get(t)!;
          const i = next.get(t) ?? 0;
          next.set(t, i + 1);
          const cell = list[i % list.length]!;
          const body = JSON.stringify({ lessonId: cell.lesson, marks: [{ studentId: cell.student, value: values[n++ % values.length] }] });
          return { ...r, headers: { 'content-type': 'application/json', cookie: sessions.get(t)! }, body };
        },
        onResponse: (status) => { if (status === 200) marksOk++; else marksRefused++; },
      }],
    });
    console.log(`[${store}] marks: ${fmt(marksOk)} accepted (${fmt(marksRefused)} refused) in ${marks.duration} s by ${teachers.length} teachers, p50 ${marks.latency.p50} ms, p99 ${marks.latency.p99} ms`);
    return { store, diary, diaryOk, marks, marksOk, marksRefused, parents: chosen.length, teachers: teachers.length };
  } finally {
    await new Promise((r) => { s.proc.once('exit', r); s.proc.kill('SIGTERM'); });
    rmSync(s.data, { recursive: true, force: true });
    if (store === 'postgres') {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

const stores: ('sqlite' | 'postgres')[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!process.env.DATABASE_URL) console.log('DATABASE_URL is not set: SQLite only.');
console.log(`ejournal server benchmark: node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${DURATION} s per run, demo school «today» ${TODAY}, clock ${NOW}`);
const rows: Row[] = [];
for (const st of stores) rows.push(await benchStore(st));

const pad = (s: string, w: number) => s.padEnd(w);
console.log('\n' + pad('', 44) + rows.map((r) => pad(r.store, 14)).join(''));
const line = (label: string, f: (r: Row) => string) => console.log(pad(label, 44) + rows.map((r) => pad(f(r), 14)).join(''));
line('diary.week, 200 parents: p50, ms', (r) => fmt(r.diary.latency.p50));
line('diary.week, 200 parents: p90 / p97.5, ms', (r) => `${fmt(r.diary.latency.p90)} / ${fmt(r.diary.latency.p97_5)}`);
line('diary.week, 200 parents: p99, ms (≤ 50)', (r) => fmt(r.diary.latency.p99));
line('diary.week, 200 parents: requests/s', (r) => fmt(r.diary.requests.average));
line('diary.week: answers 200 / all', (r) => `${fmt(r.diaryOk)}/${fmt(r.diary.requests.total)}`);
line(`mark.set, 30 teachers: commands/s (≥ 1000)`, (r) => fmt(r.marksOk / r.marks.duration));
line('marks.set: p50 / p99, ms', (r) => `${fmt(r.marks.latency.p50)} / ${fmt(r.marks.latency.p99)}`);
line('marks.set: refused', (r) => fmt(r.marksRefused));
line('parents / teachers', (r) => `${r.parents} / ${r.teachers}`);
