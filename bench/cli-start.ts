/**
 * npm run bench:cli — how long the `ejournal` command takes from a cold process: `help`, `stats`
 * on the demo school, `print journal` for one class, beside `node -e 0` measured in the same run
 * (the runs are interleaved, so a busy machine slows all of them alike). Median of 10 runs each
 * (`--runs N` to change). Prints; not part of npm test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemo } from '../src-main/demo/make';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;

const dir = mkdtempSync(join(tmpdir(), 'ejournal-cli-start-'));
const db = join(dir, 'demo.sqlite');
const pdf = join(dir, 'journal-5A.pdf');
makeDemo(db, { seed: 1, students: 135, today: '2026-11-28' });

const cases: { name: string; target?: number; argv: string[] }[] = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'ejournal help', target: 150, argv: [BIN, 'help'] },
  { name: 'ejournal stats demo.sqlite', target: 300, argv: [BIN, 'stats', db] },
  { name: 'ejournal print journal --class 5А', target: 800, argv: [BIN, 'print', 'journal', '--db', db, '--class', '5А', '--now', '2026-11-28T10:00', '--out', pdf] },
];

function once(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return ms;
}

try {
  for (const c of cases) once(c.argv); // a stale build is rebuilt here, outside the measurement
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c.name)!.push(once(c.argv));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  console.log(`cold processes, median of ${RUNS} (min–max), node ${process.version}:`);
  for (const c of cases) {
    const xs = times.get(c.name)!;
    const m = median(xs);
    const verdict = c.target === undefined ? '' : `  target ≤ ${c.target} ms: ${m <= c.target ? 'met' : 'NOT met'}`;
    console.log(`  ${c.name.padEnd(36)} ${m.toFixed(0).padStart(5)} ms  (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})${verdict}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
