/**
 * `ejournal serve` as a person runs it: a real process on a free loopback port, the demo school
 * created on first start, real HTTP (fetch), a clean stop on SIGTERM, and a fast second start.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, removeTempDirs } from './support/stores';
import { killAll, serveProcess } from './support/child';

afterAll(removeTempDirs);

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
const env = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' };

afterAll(killAll);

const serve = (args: string[]) => serveProcess(BIN, args, env);

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

describe('ejournal serve (a real process)', () => {
  it('creates the demo school, serves the contract over HTTP and stops cleanly; restarts without rebuilding', async () => {
    const data = tempDir('ejournal-serve-');
    const args = ['--demo', '--port', '0', '--data', data, '--now', '2026-11-27T13:00'];
    const first = await serve(args);
    expect(first.out()).toMatch(/ВНИМАНИЕ: часы сервера остановлены на 2026-11-27T13:00/);
    expect(first.out()).toMatch(/Создаю демонстрационную школу/);
    expect(first.out()).toMatch(/teacher\s+учитель русского языка/);

    const health = await (await fetch(`${first.url}api/v1/health`)).json() as { value: { schools: number; store: string } };
    expect(health.value).toMatchObject({ schools: 1, store: 'sqlite' });
    const login = await fetch(`${first.url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'parent', password: 'demo' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await login.json()) as { value: { children: { id: string }[] } };
    const child = me.value.children[0]!.id;
    const diary = await fetch(`${first.url}api/v1/rpc/diary.week`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'accept-encoding': 'br' }, body: JSON.stringify({ studentId: child, week: '2026-11-23' }) });
    expect(diary.status).toBe(200);
    expect(diary.headers.get('content-encoding')).toBe('br');
    const week = (await diary.json()) as { ok: boolean; value: { days: { lessons: unknown[] }[] } };
    expect(week.ok).toBe(true);
    expect(week.value.days.flatMap((d) => d.lessons).length).toBeGreaterThan(10);
    expect(await stop(first.proc)).toBe(0);

    const second = await serve(args);
    expect(second.out()).not.toMatch(/Создаю демонстрационную школу/);
    expect(second.out()).toMatch(/Школа «demo»: \d+ операций/);
    expect((await fetch(`${second.url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'teacher', password: 'demo' }) })).status).toBe(200);
    expect(await stop(second.proc)).toBe(0);
  }, 120_000);

  it('answers a bad option with one Russian line and exit code 2', () => {
    for (const [args, message] of [[['--port', 'восемь'], /--port — число/], [['--bogus'], /Неизвестный или неверный параметр --bogus/], [['--now', 'вчера'], /--now — момент времени/]] as const) {
      const r = spawnSync(process.execPath, [BIN, 'serve', ...args], { env, encoding: 'utf8', timeout: 30_000 });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
