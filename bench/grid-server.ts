/** `ejournal serve --demo` on an already prepared data folder (bench/grid.ts), stopped by its pid. */
import { spawn } from 'node:child_process';
import { ROOT } from '../e2e/support/server';

export async function spawnServer(dataDir: string, now: string, ui: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['bin/ejournal.js', 'serve', '--demo', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--now', now, '--ui', ui, '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Сервер не запустился:\n${out}`)), 120_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Сервер запущен: (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) { clearTimeout(timer); done(m[1]!); }
    });
    void exited.then(() => { clearTimeout(timer); fail(new Error(`Сервер завершился:\n${out}`)); });
  });
  return { url, stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); await exited; } };
}
