/**
 * Write quotas (docs/security.md): the log is permanent, so what a computer or an account may add
 * to it is bounded — ops made "now" (judged within the last hour) per account and per computer per
 * hour, every op per computer per day (a backlog of a fortnight offline fits), push requests per
 * computer per minute, and changes through the web per account (10 minutes, a day). Over a limit the whole push is answered 429 with Retry-After and
 * nothing of it is taken. Sliding windows in memory, per server process (several processes behind
 * a balancer each count their own: docs/scaling.md).
 */
export interface QuotaRule { max: number; windowMs: number }

export interface SyncQuotaOptions {
  /** Ops judged within the last hour, per account (a teacher enters a few hundred a day). */
  accountFresh: QuotaRule;
  /** The same per computer (a staff-room computer shared by many teachers). */
  deviceFresh: QuotaRule;
  /** Every op a computer pushes, per day (two weeks offline of a busy computer fit in one day). */
  deviceDaily: QuotaRule;
  /** Push requests per computer. */
  pushes: QuotaRule;
  /** Changes through the web (`/api/v1/rpc`, every method that is not a read) per account: a burst window… */
  webWrites: QuotaRule;
  /** …and a day (a teacher's busiest day is a few hundred). */
  webWritesDaily: QuotaRule;
}

const HOUR = 3_600_000;
export const FRESH_MS = HOUR;

export const DEFAULT_SYNC_QUOTA: SyncQuotaOptions = {
  accountFresh: { max: 2_000, windowMs: HOUR },
  deviceFresh: { max: 10_000, windowMs: HOUR },
  deviceDaily: { max: 200_000, windowMs: 24 * HOUR },
  pushes: { max: 120, windowMs: 60_000 },
  webWrites: { max: 600, windowMs: 10 * 60_000 },
  webWritesDaily: { max: 5_000, windowMs: 24 * HOUR },
};

const MAX_KEYS = 100_000;

/** Counts per key in a sliding window: a list of [time, count]. */
export class SyncQuota {
  private readonly windows = new Map<string, { rule: QuotaRule; events: [number, number][]; total: number }>();

  constructor(private readonly o: SyncQuotaOptions = DEFAULT_SYNC_QUOTA) {}

  private window(key: string, rule: QuotaRule, now: number) {
    let w = this.windows.get(key);
    if (!w) {
      w = { rule, events: [], total: 0 };
      this.windows.set(key, w);
      if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
    }
    while (w.events.length && w.events[0]![0] <= now - rule.windowMs) w.total -= w.events.shift()![1];
    return w;
  }

  /**
   * Takes `need` (key → [rule name, count]) at once if every key has room, and returns 0; otherwise
   * takes nothing and returns the seconds until there is room (at least 1).
   */
  take(need: ReadonlyMap<string, [keyof SyncQuotaOptions, number]>, now: number): number {
    let wait = 0;
    for (const [key, [name, n]] of need) {
      if (n <= 0) continue;
      const rule = this.o[name];
      const w = this.window(key, rule, now);
      if (w.total + n <= rule.max) continue;
      if (n > rule.max) return Math.ceil(rule.windowMs / 1000);
      // The moment enough old events leave the window.
      let freed = w.total + n - rule.max;
      for (const [t, c] of w.events) {
        freed -= c;
        if (freed <= 0) {
          wait = Math.max(wait, Math.ceil((t + rule.windowMs - now) / 1000));
          break;
        }
      }
    }
    if (wait > 0) return Math.max(1, wait);
    for (const [key, [name, n]] of need) {
      if (n <= 0) continue;
      const w = this.window(key, this.o[name], now);
      w.events.push([now, n]);
      w.total += n;
    }
    return 0;
  }

  /** Gives back what a push took but did not use (ops refused or duplicates). */
  giveBack(key: string, n: number): void {
    const w = this.windows.get(key);
    if (!w || n <= 0) return;
    for (let i = w.events.length - 1; i >= 0 && n > 0; i--) {
      const c = Math.min(n, w.events[i]![1]);
      w.events[i]![1] -= c;
      w.total -= c;
      n -= c;
    }
  }
}
