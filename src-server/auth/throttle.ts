/**
 * Login rate limiting (per account and per address): after `max` failures within `windowMs` a
 * key is refused until its oldest failure leaves the window — answered 429 with Retry-After,
 * without checking the password (the KDF costs the server too). Memory-bounded; per process
 * (several server processes behind a balancer each count their own — docs/scaling.md).
 */
export interface ThrottleRule { max: number; windowMs: number }
export interface ThrottleOptions { perLogin: ThrottleRule; perAddress: ThrottleRule; maxKeys?: number }

export const DEFAULT_THROTTLE: ThrottleOptions = {
  perLogin: { max: 5, windowMs: 15 * 60_000 },
  perAddress: { max: 30, windowMs: 15 * 60_000 },
};

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly o: ThrottleOptions = DEFAULT_THROTTLE, private readonly now: () => number = () => Date.now()) {}

  private rule(key: string): ThrottleRule {
    return key.startsWith('ip:') ? this.o.perAddress : this.o.perLogin;
  }

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const since = this.now() - this.rule(key).windowMs;
    while (list.length && list[0]! <= since) list.shift();
    if (!list.length) this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before another attempt (0 = go ahead). */
  retryAfter(keys: string[]): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.recent(key);
      const r = this.rule(key);
      if (list.length >= r.max) wait = Math.max(wait, Math.ceil((list[list.length - r.max]! + r.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  fail(keys: string[]): void {
    for (const key of keys) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    const cap = this.o.maxKeys ?? 100_000;
    for (const k of this.failures.keys()) {
      if (this.failures.size <= cap) break;
      this.failures.delete(k);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
