/**
 * The session lock (several teachers share one computer): after `idleMs` without activity the
 * session locks and the next teacher must log in. Electron-free: the clock and the timers are
 * injected, so a test drives minutes in microseconds.
 */
export const DEFAULT_IDLE_MS = 10 * 60_000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const realTimers: Timers = {
  setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); (t as { unref?: () => void }).unref?.(); return t; },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LockTimerOptions {
  idleMs?: number;
  now: () => number;
  timers: Timers;
  onLock: () => void;
}

export class LockTimer {
  private last = 0;
  private handle: unknown = null;
  private armed = false;
  readonly idleMs: number;

  constructor(private readonly o: LockTimerOptions) {
    this.idleMs = o.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Start counting (after a login). */
  start(): void {
    this.armed = true;
    this.touch();
  }

  /** Activity: a call from the renderer, a key or a click. */
  touch(): void {
    if (!this.armed) return;
    this.last = this.o.now();
    this.schedule(this.idleMs);
  }

  /** Locked by the clock, even if a timer was late (a sleeping laptop). */
  expired(): boolean {
    return this.armed && this.o.now() - this.last >= this.idleMs;
  }

  stop(): void {
    this.armed = false;
    if (this.handle !== null) this.o.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private schedule(ms: number): void {
    if (this.handle !== null) this.o.timers.clearTimeout(this.handle);
    this.handle = this.o.timers.setTimeout(() => {
      this.handle = null;
      if (!this.armed) return;
      const left = this.last + this.idleMs - this.o.now();
      if (left > 0) return this.schedule(left);
      this.stop();
      this.o.onLock();
    }, ms);
  }
}
