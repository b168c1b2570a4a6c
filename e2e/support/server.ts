/**
 * Starts the real central server (`ejournal serve --demo`) for a browser test or a benchmark on a
 * free port, in a fresh data folder, and stops it by its process id. No fake server: the UI is
 * tested against what teachers will use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for a failure message. */
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  today: string;
  now: string;
  /** The built UI to serve (e2e/support/build.ts). */
  ui: string;
  students?: number;
  timeoutMs?: number;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ejournal-e2e-'));
  const args = ['bin/ejournal.js', 'serve', '--demo', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--today', o.today, '--now', o.now, '--ui', o.ui, '--log-level', 'warn'];
  // Each server its own demo school: with PostgreSQL (DATABASE_URL, as in CI) a schema of its own —
  // e2e files run side by side, and one's changes (a pupil added, an account blocked) must not reach another.
  const schema = process.env.DATABASE_URL ? { DATABASE_SCHEMA: `e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}` } : {};
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...schema, NODE_ENV: 'test' } });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Сервер не запустился за ${o.timeoutMs ?? 90_000} мс:\n${out}`)), o.timeoutMs ?? 90_000);
    const check = () => {
      const m = /Сервер запущен: (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) { clearTimeout(timer); done(m[1]!); }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); fail(new Error(`Сервер завершился (код ${code}):\n${out}`)); });
  });
  return {
    url, dataDir, output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
      const t = setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 10_000);
      await exited;
      clearTimeout(t);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
