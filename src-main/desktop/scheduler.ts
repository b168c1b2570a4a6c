/**
 * When the desktop syncs (the sync client provides `syncOnce`; this module only schedules it):
 * every `intervalMs` while things go well, at once on reconnect and on «Синхронизировать сейчас»,
 * and after a failure with exponential backoff and jitter (base · 2^(n−1), capped, then
 * randomised to [½, 1] of that — "equal jitter": computers of one school that lost the link
 * together do not come back in step). One run at a time; a request during a run runs once after.
 * Timers, clock and random are injected.
 */
import type { Timers } from './lock';

export interface SchedulerOptions {
  syncOnce: () => Promise<void>;
  timers: Timers;
  random?: () => number;
  /** Regular period (default 5 min). */
  intervalMs?: number;
  /** First retry delay after a failure (default 30 s). */
  baseMs?: number;
  /** Longest retry delay (default 30 min). */
  maxMs?: number;
  onState?: (s: SyncState) => void;
}

export interface SyncState {
  running: boolean;
  failures: number;
  lastError: string | null;
  /** Delay of the next planned run (ms), null when stopped. */
  nextInMs: number | null;
}

export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random)));
}

export class SyncScheduler {
  private handle: unknown = null;
  private running = false;
  private active: Promise<void> | null = null;
  private again = false;
  private started = false;
  private state: SyncState = { running: false, failures: 0, lastError: null, nextInMs: null };
  private readonly interval: number;
  private readonly base: number;
  private readonly max: number;

  constructor(private readonly o: SchedulerOptions) {
    this.interval = o.intervalMs ?? 5 * 60_000;
    this.base = o.baseMs ?? 30_000;
    this.max = o.maxMs ?? 30 * 60_000;
  }

  get current(): SyncState { return this.state; }

  /** Start: the first run at once (the promise settles when that run, and any asked for during it, is over). */
  start(): Promise<void> {
    if (this.started) return this.active ?? Promise.resolve();
    this.started = true;
    return this.runNow();
  }

  /** Settles when no run is going (quitting waits for it before the journal closes). */
  idle(): Promise<void> {
    return this.active ?? Promise.resolve();
  }

  stop(): void {
    this.started = false;
    this.clear();
    this.set({ nextInMs: null });
  }

  /** The network came back: try now, forgetting the backoff. */
  reconnected(): Promise<void> {
    this.set({ failures: 0 });
    return this.runNow();
  }

  /** «Синхронизировать сейчас». */
  runNow(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.running) { this.again = true; return Promise.resolve(); }
    this.clear();
    const run = this.run().finally(() => { if (this.active === run) this.active = null; });
    this.active = run;
    return run;
  }

  private async run(): Promise<void> {
    this.running = true;
    this.set({ running: true });
    let ok = true;
    let message: string | null = null;
    try {
      await this.o.syncOnce();
    } catch (e) {
      ok = false;
      message = e instanceof Error ? e.message : String(e);
    }
    this.running = false;
    const failures = ok ? 0 : this.state.failures + 1;
    this.set({ running: false, failures, lastError: message });
    if (!this.started) return;
    if (this.again) { this.again = false; return this.run(); }
    this.plan(ok ? this.interval : backoffDelay(failures, this.base, this.max, (this.o.random ?? Math.random)()));
  }

  private plan(ms: number): void {
    this.clear();
    this.handle = this.o.timers.setTimeout(() => { this.handle = null; void this.runNow(); }, ms);
    this.set({ nextInMs: ms });
  }

  private clear(): void {
    if (this.handle !== null) this.o.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private set(p: Partial<SyncState>): void {
    this.state = { ...this.state, ...p };
    this.o.onState?.(this.state);
  }
}
