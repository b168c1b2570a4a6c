/**
 * Sync under SIGKILL with real processes: a real server (test/sync-kill/server.ts) on a free
 * loopback port with real SQLite files, and a real client process (test/sync-kill/client.ts) that
 * prints a marker when a request is in flight. Killed: the client during the snapshot download,
 * during a push and during a pull; the server during a push (before its store commit, and after
 * it but before the replica committed and answered). After each kill one more sync converges:
 * the client's sync checksum equals the server's, every op the client saw acknowledged is on the
 * server with the same server seq, no (device, seq) is in the server's log twice, the journal
 * verifies. The desktops are enrolled school computers with the teacher signed in online on them.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../src-main/journal/open';
import { submit } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft, type OpDraft } from '../src-main/journal/log';
import { verifyJournal } from '../src-main/journal/verify';
import { isFresh } from '../src-main/sync/bootstrap';
import { rejectedOps } from '../src-main/sync/client';
import { PROTO, type PullAnswer } from '../src-shared/sync/protocol';
import { journalSchema } from '../src-server/sync/service';
import { fixedClock, T } from './support/tiny-school';
import { PASSWORD } from './support/server';
import { killAll, runChild, type ChildRun } from './support/child';
import { removeTempDirs, tempDir } from './support/stores';

const SERVER = fileURLToPath(new URL('./sync-kill/server.ts', import.meta.url));
const CLIENT = fileURLToPath(new URL('./sync-kill/client.ts', import.meta.url));
afterAll(() => {
  killAll();
  removeTempDirs();
});

type Run = Awaited<ChildRun['done']>;

const run = runChild;

async function startServer(dir: string, extra: string[] = []) {
  const hold = extra.includes('--hold-append') ? extra[extra.indexOf('--hold-append') + 1] : undefined;
  const s = run(SERVER, [dir, ...extra], hold ? (l) => l.startsWith(hold === 'before' ? 'append ' : 'appended ') : undefined);
  const url = (await s.line(/^listening /)).slice('listening '.length);
  return { ...s, url };
}

/** Enrols a school computer as the administrator; the teacher (who enters the marks) signs in on it online. */
async function deviceToken(url: string, deviceId: string): Promise<string> {
  const login = await fetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const r = await fetch(`${url}api/v1/devices`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: `Кабинет ${deviceId}`, deviceId }) });
  expect(r.status).toBe(200);
  const token = ((await r.json()) as { value: { token: string } }).value.token;
  const signin = await fetch(`${url}api/v1/sync/signin`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ login: 'teacher', password: PASSWORD }) });
  expect(signin.status).toBe(200);
  return token;
}

/** Every op in the server's log, by pulling it all (device token; protocol 3, so the last page carries the sync checksum). */
async function serverLog(url: string, token: string): Promise<{ ops: PullAnswer['ops']; checksum?: string }> {
  const ops: PullAnswer['ops'] = [];
  let after = 0;
  for (;;) {
    const r = await fetch(`${url}api/v1/sync/pull?after=${after}&limit=5000&proto=${PROTO}&schema=${journalSchema()}`, { headers: { authorization: `Bearer ${token}` } });
    const page = ((await r.json()) as { value: PullAnswer }).value;
    ops.push(...page.ops);
    if (page.cursor >= page.head || page.ops.length === 0) return { ops, ...(page.checksum ? { checksum: page.checksum } : {}) };
    after = page.cursor;
  }
}

function acks(lines: string[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of lines) if (l.startsWith('ack ')) { const [, seq, s] = l.split(' '); m.set(Number(seq), Number(s)); }
  return m;
}

function report(r: Run): { ok: boolean; checksumMatch?: boolean; error?: string; checksum: string; pushed: number; pulled: number } {
  const l = r.lines.find((x) => x.startsWith('done '));
  if (!l) throw new Error(`no report from the client: ${r.stderr.slice(-2000)}`);
  return JSON.parse(l.slice(5)) as never;
}

/** Many marks of this device's teacher, entered offline in one go (each a separate op). */
function enter(db: string, device: string, n: number): void {
  const j = openJournal(db, { create: true, device });
  try {
    const drafts: OpDraft[] = [];
    const values = ['5', '4', '3', '5/4'];
    for (let k = 0; k < n; k++) drafts.push(draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[k % 3]!, value: values[k % 4]! }] }));
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: fixedClock('2026-09-10T04:30:00.000Z'), guard: regulationGuard }, ...drafts);
  } finally {
    j.close();
  }
}

/** The state after one more sync: converged, nothing acknowledged lost, nothing twice. */
async function converged(step: string, url: string, token: string, db: string, device: string, acked: Map<number, number>, extra: string[] = []) {
  const last = await run(CLIENT, [url, token, db, device, ...extra]).done;
  const rep = report(last);
  expect(rep.error, `${step}: ${last.stderr}`).toBeUndefined();
  expect(rep, step).toMatchObject({ ok: true, checksumMatch: true });
  const log = await serverLog(url, token);
  expect(log.checksum, step).toMatch(/^[0-9a-f]{64}$/);
  expect(rep.checksum, step).toBe(log.checksum);
  const keys = log.ops.map((o) => `${o.device}/${o.seq}`);
  expect(new Set(keys).size, `${step}: an op twice in the server's log`).toBe(keys.length);
  const bySeq = new Map(log.ops.filter((o) => o.device === device).map((o) => [o.seq, o.s]));
  for (const [seq, s] of [...acked, ...acks(last.lines)]) expect(bySeq.get(seq), `${step}: acknowledged op ${device}/${seq} lost`).toBe(s);
  const j = openJournal(db);
  try {
    expect(verifyJournal(j).problems, step).toEqual([]);
    expect(j.stmt('SELECT count(*) FROM outbox').pluck().get(), step).toBe(0);
    // Every op this device made is on the server or in its rejected list; none is left behind.
    const next = Number(j.meta('next_seq'));
    const rejected = new Set(rejectedOps(j).map((r) => r.seq));
    for (let seq = 1; seq < next; seq++) expect(bySeq.has(seq) || rejected.has(seq), `${step}: op ${device}/${seq} neither on the server nor rejected`).toBe(true);
  } finally {
    j.close();
  }
  return log;
}

describe('sync under SIGKILL (real processes, real server on loopback)', () => {
  it('the client killed during the snapshot download, a push and a pull; the server killed during a push: one more sync converges', async () => {
    const dir = tempDir('ejournal-kill-');
    const files = tempDir('ejournal-kill-desk-');
    // The tiny school's snapshot is ~6 KB: 256-byte pieces 40 ms apart take ~1 s, so a kill after the
    // first KB lands inside the download even on a busy machine.
    let server = await startServer(dir, ['--throttle', '256:40']);
    const url = server.url;
    const t1 = await deviceToken(url, 'pc1');
    const t2 = await deviceToken(url, 'pc2');
    const db1 = join(files, 'pc1.sqlite');
    const db2 = join(files, 'pc2.sqlite');

    // 1. Killed during the snapshot download.
    const cut = await run(CLIENT, [url, t1, db1, 'pc1'], (l) => /^snapshot (\d+) (\d+)$/.test(l) && Number(l.split(' ')[1]) >= 1024).done;
    expect(cut.killed, cut.stderr).toBe(true);
    const total = Number(cut.lines.find((l) => l.startsWith('snapshot '))!.split(' ')[2]);
    const partSize = statSync(`${db1}.snapshot.part`).size;
    expect(partSize).toBeGreaterThanOrEqual(1024);
    expect(partSize, `the kill landed after the download (${cut.lines.slice(-3).join(' | ')})`).toBeLessThan(total);
    let j = openJournal(db1);
    expect(isFresh(j)).toBe(true);
    expect(j.stmt('SELECT count(*) FROM student').pluck().get()).toBe(0);
    j.close();
    const resumed = await run(CLIENT, [url, t1, db1, 'pc1']).done;
    expect(resumed.lines.find((l) => l.startsWith('range '))).toMatch(/^range bytes=\d+-$/);
    expect(Number(resumed.lines.find((l) => l.startsWith('range '))!.match(/\d+/)![0])).toBeGreaterThanOrEqual(partSize);
    expect(report(resumed), resumed.stderr).toMatchObject({ ok: true, checksumMatch: true, pulled: 0 });
    expect(existsSync(`${db1}.snapshot.part`)).toBe(false);

    // 2. Killed during a push: 1500 ops in ~2 KB requests, killed with the 4th on its way.
    enter(db1, 'pc1', 1500);
    const pushKill = await run(CLIENT, [url, t1, db1, 'pc1', '--chunk-bytes', '2048'], (l) => l === 'inflight push 4').done;
    expect(pushKill.killed).toBe(true);
    const acked = acks(pushKill.lines);
    expect(acked.size).toBeGreaterThan(0);
    await converged('client killed during a push', url, t1, db1, 'pc1', acked, ['--chunk-bytes', '2048']);

    // 3. Killed during a pull: pc2 pulls the whole log from 0 in pages of 100, killed at the 5th.
    const pullKill = await run(CLIENT, [url, t2, db2, 'pc2', '--no-snapshot', '--pull-limit', '100'], (l) => l === 'inflight pull 5').done;
    expect(pullKill.killed).toBe(true);
    j = openJournal(db2);
    const cursor = Number(j.meta('sync.cursor'));
    expect(cursor).toBeGreaterThan(0);
    expect(verifyJournal(j).problems).toEqual([]);
    j.close();
    await converged('client killed during a pull', url, t2, db2, 'pc2', new Map(), ['--no-snapshot', '--pull-limit', '100']);

    // 4. The server killed during a push, before its store commit and after it (the replica and the answer lost).
    let all = acked;
    let entered = 1500;
    for (const when of ['before', 'after'] as const) {
      server.proc.kill('SIGKILL');
      await server.done;
      server = await startServer(dir, ['--hold-append', when]);
      // The same port is not guaranteed: the client goes to the new address.
      enter(db1, 'pc1', 300);
      entered += 300;
      const client = await run(CLIENT, [server.url, t1, db1, 'pc1']).done;
      const down = await server.done;
      expect(down.killed, `${when}: ${down.lines.join(' | ')}`).toBe(true);
      expect(down.lines, when).toContain(when === 'before' ? 'append 300' : 'appended 300');
      expect(report(client).ok, `${when}: ${client.lines.slice(-3).join(' | ')}`).toBe(false);
      all = new Map([...all, ...acks(client.lines)]);
      server = await startServer(dir);
      const log = await converged(`server killed ${when} its store commit`, server.url, t1, db1, 'pc1', all);
      expect(log.ops.filter((o) => o.device === 'pc1').length, when).toBe(entered);
    }
    server.proc.kill('SIGKILL');
  }, 90_000);
});
