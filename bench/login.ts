/**
 * npm run bench:login — logins under 100 parallel attempts on a real server on loopback (SQLite
 * store, `ejournal serve --demo` as a process of its own, scrypt N = 2^15). Prints numbers; not a test.
 *
 * Rounds of 100 attempts sent at once, each from a loopback address chosen per round (127.0.0.x:
 * the throttle counts per address, so one round does not spend the next one's budget):
 *  - first sign-in of 100 generated accounts: right passwords; their demo verifiers (2^10) are
 *    upgraded to 2^15 at this login (one more hash and an `account.password` op each);
 *  - the same 100 again: right passwords, full-cost verifiers;
 *  - mixed: 50 right passwords and 50 wrong ones, 100 different accounts (the same 100);
 *  - an attack: 100 wrong passwords for one login from one address (the limit is 5);
 *  - 100 wrong passwords for 100 different logins from one address (a school behind one NAT).
 * For each: the answers by status, how long until every answer came (one round, no retries), the
 * password checks per second, latency percentiles; for right passwords also the time until all
 * 100 are in when clients honour Retry-After (the hash gate answers 429 beyond its queue).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir } from '../test/support/stores';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
const fmt = (n: number, d = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: d, minimumFractionDigits: d });

interface Server { proc: ChildProcess; url: URL; data: string }

function start(): Promise<Server> {
  const data = tempDir('bench-login-');
  const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  const proc = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data', data], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Сервер запущен: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: new URL(m[1]!), data });
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}\n${out}`)));
  });
}

interface Answer { status: number; retryAfter: number; ms: number }

/** One login over a fresh connection from `from` (a loopback address), timed. */
function attempt(url: URL, login: string, password: string, from: string): Promise<Answer> {
  const body = JSON.stringify({ login, password });
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, path: '/api/v1/auth/login', method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

interface Row { name: string; answers: Answer[]; wallMs: number; allInMs?: number; retries?: number }

async function round(name: string, url: URL, tries: { login: string; password: string; from: string }[]): Promise<Row> {
  const t0 = performance.now();
  const answers = await Promise.all(tries.map((t) => attempt(url, t.login, t.password, t.from)));
  return { name, answers, wallMs: performance.now() - t0 };
}

/** Right passwords: until all are in, each client waiting Retry-After after a 429. */
async function allIn(name: string, url: URL, tries: { login: string; password: string; from: string }[]): Promise<Row> {
  const t0 = performance.now();
  let retries = 0;
  let first: Answer[] = [];
  let firstMs = 0;
  await Promise.all(tries.map(async (t, i) => {
    for (let k = 0; ; k++) {
      const a = await attempt(url, t.login, t.password, t.from);
      if (k === 0) {
        first[i] = a;
        firstMs = Math.max(firstMs, performance.now() - t0);
      }
      if (a.status !== 429) return;
      retries++;
      await new Promise((r) => setTimeout(r, Math.max(1, a.retryAfter) * 1000));
    }
  }));
  first = first.filter(Boolean);
  return { name, answers: first, wallMs: firstMs, allInMs: performance.now() - t0, retries };
}

function print(rows: Row[]): void {
  console.log('');
  console.log('round'.padEnd(58), '200', '401', '429', ' all answered, ms', ' checks/s', ' p50 ms', ' p99 ms', ' all in (Retry-After honoured)');
  for (const r of rows) {
    const by = (s: number) => r.answers.filter((a) => a.status === s).length;
    const checked = r.answers.filter((a) => a.status === 200 || a.status === 401).length;
    const ms = r.answers.map((a) => a.ms);
    console.log(
      r.name.padEnd(58), String(by(200)).padStart(3), String(by(401)).padStart(3), String(by(429)).padStart(3),
      fmt(r.wallMs).padStart(17), fmt(checked / (r.wallMs / 1000), 1).padStart(9), fmt(pct(ms, 50)).padStart(7), fmt(pct(ms, 99)).padStart(7),
      r.allInMs !== undefined ? `  ${fmt(r.allInMs)} ms, ${r.retries} retries` : '',
    );
    const other = r.answers.filter((a) => ![200, 401, 429].includes(a.status));
    if (other.length) console.log('   other statuses:', other.map((a) => a.status).join(' '));
  }
}

async function main(): Promise<void> {
  const s = await start();
  try {
    const db = new Database(join(s.data, 'schools', 'demo', 'replica.sqlite'), { readonly: true });
    // Generated accounts (verifiers at 2^10), not the named demo ones (already 2^15).
    const logins = db.prepare(`SELECT login FROM account WHERE verifier LIKE 'scrypt$10$%' AND login NOT IN ('admin', 'director', 'deputy', 'methodist', 'teacher', 'parent', 'student')
      ORDER BY login LIMIT 100`).pluck().all() as string[];
    db.close();
    if (logins.length < 100) throw new Error(`the demo school has ${logins.length} generated accounts; 100 are needed`);
    const rows: Row[] = [];
    console.log(`server ${s.url.href} (ejournal serve --demo, SQLite store); each round: 100 attempts at once`);
    const right = (from: string) => logins.map((login) => ({ login, password: 'demo', from }));
    rows.push(await allIn('first sign-in of 100 accounts (verifier 2^10 → 2^15)', s.url, right('127.0.0.2')));
    rows.push(await allIn('the same 100 again (2^15)', s.url, right('127.0.0.3')));
    rows.push(await round('the same 100, one round (no retries)', s.url, right('127.0.0.4')));
    rows.push(await round('mixed: 50 right + 50 wrong, 100 accounts', s.url, logins.map((login, i) => ({ login, password: i % 2 ? 'demo' : `не-тот-${i}`, from: '127.0.0.5' }))));
    rows.push(await round('attack: 100 wrong passwords, one login, one address', s.url, Array.from({ length: 100 }, (_, i) => ({ login: 'teacher', password: `guess-${i}`, from: '127.0.0.6' }))));
    rows.push(await round('100 wrong passwords, 100 logins, one address (NAT)', s.url, logins.map((login, i) => ({ login, password: `typo-${i}`, from: '127.0.0.7' }))));
    print(rows);
  } finally {
    await new Promise((r) => { s.proc.once('exit', r); s.proc.kill('SIGTERM'); });
    rmSync(s.data, { recursive: true, force: true });
  }
}

await main();
