/**
 * A child process of a kill suite (`test/*-kill.test.ts`): a TypeScript script run with tsx, its
 * stdout read line by line, SIGKILLed at once when `killOn(line)` says so. `line(re)` resolves at
 * the first line matching (seen before or later) and fails if the child exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRun {
  proc: ChildProcess;
  /** Every line printed so far. */
  lines: string[];
  /** Resolves when the child exits: its lines, whether `killOn` killed it, its stderr, its signal. */
  done: Promise<{ lines: string[]; killed: boolean; stderr: string; signal: NodeJS.Signals | null }>;
  line(re: RegExp): Promise<string>;
}

/** Children still running are SIGKILLed by `killAll` (an afterEach/afterAll of the suite). */
const children: ChildProcess[] = [];

export function killAll(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function runChild(script: string, argv: string[], killOn?: (line: string) => boolean): ChildRun {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
  children.push(proc);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  let stderr = '';
  let killed = false;
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(l);
      for (const w of waiters.splice(0)) if (w.re.test(l)) w.resolve(l); else waiters.push(w);
      if (!killed && killOn?.(l)) {
        killed = true;
        proc.kill('SIGKILL');
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<{ lines: string[]; killed: boolean; stderr: string; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (_code, signal) => resolve({ lines, killed: killed && signal === 'SIGKILL', stderr, signal })));
  const line = (re: RegExp) => {
    const seen = lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      waiters.push({ re, resolve });
      void done.then((r) => reject(new Error(`child exited before «${re.source}»: ${r.stderr.slice(-2000)}`)));
    });
  };
  return { proc, lines, done, line };
}

/**
 * `bin/ejournal.js serve …` as a person starts it: resolves with the address once the server has
 * printed it and its stop hint; fails if it exits first or takes over a minute. Killed by `killAll`.
 */
export function serveProcess(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string; out: () => string }> {
  const proc = spawn(process.execPath, [bin, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Сервер запущен: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m && out.includes('Остановить: Ctrl+C')) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, out: () => out });
      }
    });
    proc.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
  });
}
