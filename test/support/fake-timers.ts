/**
 * Timers for tests of the desktop's schedules (sync scheduler, login lock): nothing runs by itself;
 * `next()` fires the earliest timer, moves the fake "now" to it and lets promises settle.
 */
import type { Timers } from '../../src-main/desktop/lock';

/** Lets pending promise callbacks run (a few microtask turns). */
export const flush = async (): Promise<void> => { for (let i = 0; i < 20; i++) await Promise.resolve(); };

export function fakeTimers(): { timers: Timers; next(): Promise<number>; pending(): number } {
  let now = 0;
  const q = new Map<number, { at: number; fn: () => void }>();
  let n = 0;
  const timers: Timers = { setTimeout: (fn, ms) => { q.set(++n, { at: now + ms, fn }); return n; }, clearTimeout: (h) => { q.delete(h as number); } };
  /** Fires the next timer; returns how long it waited after the previous "now". */
  const next = async (): Promise<number> => {
    const [id, t] = [...q.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
    q.delete(id);
    const waited = t.at - now;
    now = t.at;
    t.fn();
    await flush();
    return waited;
  };
  return { timers, next, pending: () => q.size };
}
