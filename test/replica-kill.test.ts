/**
 * A replica rebuild under SIGKILL, with real processes (test/replica-kill/server.ts: a real server
 * on a free loopback port, real SQLite files). A replica damaged between two runs is moved aside
 * and rebuilt at start; the server is killed in the middle of that rebuild, then of its normal
 * work: every next start ends with a replica equal to one built from the store alone — nothing
 * half-built is ever opened, temp files are cleared, the damaged file is kept for inspection.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stateChecksum } from '../src-main/journal/checksum';
import { Schools } from '../src-server/schools/registry';
import { openSqliteStore } from '../src-server/store/sqlite';
import { createLogger } from '../src-server/log';
import { CLEAN_MARK } from '../src-server/schools/integrity';
import { PASSWORD } from './support/server';
import { killAll, runChild, type ChildRun } from './support/child';
import { removeTempDirs, tempDir } from './support/stores';
import { fixedClock, T } from './support/tiny-school';

const SERVER = fileURLToPath(new URL('./replica-kill/server.ts', import.meta.url));
afterAll(() => {
  killAll();
  removeTempDirs();
});

/** The server as a child process; `killOn(line)` true → SIGKILL at once. */
function start(dir: string, argv: string[] = [], killOn?: (line: string) => boolean): ChildRun {
  return runChild(SERVER, [dir, ...argv], killOn);
}

/** The state a replica built from the store alone has (a second, throwaway data folder). */
async function reference(dir: string): Promise<string> {
  const store = openSqliteStore(join(dir, 'store.sqlite'));
  const schools = new Schools({ store, dataDir: tempDir('ejournal-ref-'), clock: fixedClock(), log: createLogger({ level: 'silent' }) });
  try {
    return stateChecksum((await schools.get('tiny')).view.sqlite);
  } finally {
    await schools.closeAll();
    await store.close();
  }
}

async function marks(url: string, n: number): Promise<void> {
  const login = await fetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'teacher', password: PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const values = ['5', '4', '3', '5/4'];
  for (let k = 0; k < n; k++) {
    const r = await fetch(`${url}api/v1/rpc/mark.set`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ lessonId: T.lessons[0], marks: [{ studentId: T.students[k % 3], value: values[k % 4] }] }) });
    expect(r.status).toBe(200);
  }
}

describe('replica rebuild under SIGKILL (real processes, real server on loopback)', () => {
  it('killed while rebuilding a damaged replica, and while running: each next start rebuilds to the store\'s state', async () => {
    const dir = tempDir('ejournal-rkill-');
    const school = join(dir, 'schools', 'tiny');
    const replica = join(school, 'replica.sqlite');
    const files = () => readdirSync(school);

    // A school with some work, closed cleanly (SIGTERM): the replica and its clean-close mark stay.
    let s = start(dir);
    const url = (await s.line(/^listening /)).slice('listening '.length);
    await marks(url, 12);
    s.proc.kill('SIGTERM');
    expect((await s.done).signal).toBeNull();
    expect(files()).toContain(CLEAN_MARK);
    const truth = await reference(dir);

    // Damaged between runs: 64 bytes over the cells at the end of a page in the middle of the file.
    const size = readFileSync(replica).length;
    const fd = openSync(replica, 'r+');
    try { writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, Math.floor(size / 4096 / 2) * 4096 + 4096 - 200); } finally { closeSync(fd); }

    // Killed in the middle of the rebuild: the damaged file is aside, the new one half-made in a temp file.
    s = start(dir, ['--hold-rebuild'], (l) => l.startsWith('store-read '));
    expect((await s.done).signal).toBe('SIGKILL');
    expect(s.lines.join('\n')).toMatch(/replica damaged: the file changed after its clean close|replica unreadable/);
    expect(existsSync(replica), 'a half-built replica is never in place').toBe(false);
    expect(files().filter((f) => f.startsWith('replica.sqlite.tmp-')).length).toBeGreaterThan(0);
    expect(files().filter((f) => /^replica\.sqlite\.damaged-[^.]*$/.test(f) && !/-(wal|shm)$/.test(f))).toHaveLength(1);

    // The next start: built again from the store, leftovers removed, the same state as the store's.
    s = start(dir);
    let sum = (await s.line(/^checksum /)).slice('checksum '.length);
    expect(sum).toBe(truth);
    expect(s.lines.join('\n')).toMatch(/"msg":"replica rebuilt"/);
    expect(files().filter((f) => f.includes('.tmp-'))).toEqual([]);
    const url2 = (await s.line(/^listening /)).slice('listening '.length);
    await marks(url2, 5);
    const truth2 = await reference(dir);
    expect(truth2).not.toBe(truth);

    // Killed while running (no clean close): the next start does not trust the file, rebuilds it.
    s.proc.kill('SIGKILL');
    await s.done;
    expect(files()).not.toContain(CLEAN_MARK);
    s = start(dir);
    sum = (await s.line(/^checksum /)).slice('checksum '.length);
    expect(sum).toBe(truth2);
    expect(s.lines.join('\n')).toMatch(/replica not closed cleanly; rebuilding from the store/);
    const health = await fetch(`${(await s.line(/^listening /)).slice('listening '.length)}api/v1/health`);
    expect(health.status).toBe(200);
    s.proc.kill('SIGTERM');
    await s.done;
  }, 90_000);
});
