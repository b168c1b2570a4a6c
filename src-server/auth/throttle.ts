/**
 * Login throttling (R-ACCOUNTS): how many password checks an attacker gets, and what they cost
 * the server.
 *
 * - An attempt is **reserved before its password is hashed**, in one synchronous step per login
 *   and per address (check and record together, so parallel requests cannot all slip past the
 *   check). The reservation counts as a failure until the password proves right; then it is
 *   released and counts for nothing.
 * - **Login + address** (the pair): a hard limit, 5 failures in 15 min. It stops one attacker at
 *   one address without touching the owner anywhere else.
 * - **Login, from anywhere**: no lock-out of the owner. After 10 failures (forgotten after an hour
 *   with none), every further attempt for that login waits 2^k s after the previous one (k = 1, 2,
 *   … beyond the 10th), at most 15 min: a distributed guesser gets a few attempts an hour, the
 *   owner waits minutes at worst.
 * - **Address** (IPv6 by its /64): 100 failures in 15 min — a whole school behind one NAT must
 *   not be locked out by one class mistyping.
 * - The **hash gate** caps concurrent password hashes server-wide (4 in flight, a short bounded
 *   queue of 64); beyond it the answer is 429 at once, never an unbounded queue of 32 MiB KDFs.
 *
 * In memory and per process: several server processes behind a balancer each count their own
 * (docs/scaling.md). Memory-bounded: each table keeps at most `maxKeys` keys, least recently
 * touched dropped first, and a key holds at most `max` timestamps (or a fixed-size record).
 */
export interface ThrottleRule { max: number; windowMs: number }
/** After `max` failures (forgotten `windowMs` after the last one) each attempt waits `baseMs`·2^k, at most `capMs`. */
export interface BackoffRule { max: number; windowMs: number; baseMs?: number; capMs?: number }

export interface ThrottleOptions {
  perPair?: ThrottleRule;
  perLogin?: BackoffRule;
  perAddress?: ThrottleRule;
  /** Keys kept per table (default 100 000). */
  maxKeys?: number;
}

export const DEFAULT_THROTTLE: Required<ThrottleOptions> = {
  perPair: { max: 5, windowMs: 15 * 60_000 },
  perLogin: { max: 10, windowMs: 60 * 60_000, baseMs: 1000, capMs: 15 * 60_000 },
  perAddress: { max: 100, windowMs: 15 * 60_000 },
  maxKeys: 100_000,
};

/** An attempt let through: it stands as a failure until `succeed` or `fail` settles it. */
export interface Reservation {
  readonly pair: string;
  readonly login: string;
  readonly address: string;
  readonly at: number;
  settled: boolean;
}

export type Reserve =
  | { ok: true; reservation: Reservation }
  | { ok: false; retryAfter: number; by: 'pair' | 'login' | 'address' };

interface LoginState { failures: number; last: number; pending: number; pendingAt: number }

/**
 * The address an attempt is counted under: IPv4 as is (also IPv4-mapped IPv6), IPv6 by its /64 —
 * one host usually has a whole /64, so counting single IPv6 addresses would count nothing.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const loginKey = (login: string) => login.normalize('NFC').toLowerCase();

export class LoginThrottle {
  private readonly o: Required<ThrottleOptions>;
  private readonly pairs = new Map<string, number[]>();
  private readonly addresses = new Map<string, number[]>();
  private readonly logins = new Map<string, LoginState>();

  constructor(o: ThrottleOptions = {}, private readonly now: () => number = () => Date.now()) {
    this.o = {
      perPair: o.perPair ?? DEFAULT_THROTTLE.perPair,
      perLogin: { ...DEFAULT_THROTTLE.perLogin, ...o.perLogin },
      perAddress: o.perAddress ?? DEFAULT_THROTTLE.perAddress,
      maxKeys: o.maxKeys ?? DEFAULT_THROTTLE.maxKeys,
    };
  }

  /**
   * Lets an attempt through and counts it as a failure at once, or says how many seconds to wait.
   * Synchronous: nothing else runs between the check and the count.
   */
  reserve(login: string, address: string): Reserve {
    const t = this.now();
    const l = loginKey(login);
    const a = addressKey(address);
    const pair = `${l}\n${a}`;
    const byPair = this.windowWait(this.pairs, pair, this.o.perPair, t);
    if (byPair > 0) return { ok: false, retryAfter: seconds(byPair), by: 'pair' };
    const byAddress = this.windowWait(this.addresses, a, this.o.perAddress, t);
    if (byAddress > 0) return { ok: false, retryAfter: seconds(byAddress), by: 'address' };
    const byLogin = this.backoffWait(l, t);
    if (byLogin > 0) return { ok: false, retryAfter: seconds(byLogin), by: 'login' };
    this.push(this.pairs, pair, t);
    this.push(this.addresses, a, t);
    const s = this.logins.get(l) ?? { failures: 0, last: 0, pending: 0, pendingAt: 0 };
    s.pending++;
    s.pendingAt = t;
    this.touch(this.logins, l, s);
    return { ok: true, reservation: { pair, login: l, address: a, at: t, settled: false } };
  }

  /** The password was wrong (or the check did not finish): the reservation stays a failure. */
  fail(r: Reservation): void {
    if (r.settled) return;
    r.settled = true;
    const s = this.logins.get(r.login);
    if (!s) return;
    s.pending = Math.max(0, s.pending - 1);
    s.failures++;
    s.last = Math.max(s.last, r.at);
  }

  /** The password was right: the reservation counts for nothing. */
  succeed(r: Reservation): void {
    if (r.settled) return;
    r.settled = true;
    this.unpush(this.pairs, r.pair, r.at);
    this.unpush(this.addresses, r.address, r.at);
    const s = this.logins.get(r.login);
    if (s) s.pending = Math.max(0, s.pending - 1);
  }

  /** The attempt was not made after all (the hash gate was full): as if never reserved. */
  cancel(r: Reservation): void {
    this.succeed(r);
  }

  /** Seconds to wait before an attempt for this login from this address (0 = go ahead); reserves nothing. */
  retryAfter(login: string, address: string): number {
    const t = this.now();
    const l = loginKey(login);
    const a = addressKey(address);
    return seconds(Math.max(this.windowWait(this.pairs, `${l}\n${a}`, this.o.perPair, t), this.windowWait(this.addresses, a, this.o.perAddress, t), this.backoffWait(l, t)));
  }

  /** How many keys each table holds (tests check the bound). */
  get size(): { pairs: number; addresses: number; logins: number } {
    return { pairs: this.pairs.size, addresses: this.addresses.size, logins: this.logins.size };
  }

  /** A sliding window: ms until the oldest of the last `max` failures leaves it (≤ 0 = go ahead). */
  private windowWait(table: Map<string, number[]>, key: string, rule: ThrottleRule, t: number): number {
    const list = table.get(key);
    if (!list) return 0;
    const since = t - rule.windowMs;
    while (list.length && list[0]! <= since) list.shift();
    if (!list.length) {
      table.delete(key);
      return 0;
    }
    return list.length >= rule.max ? list[list.length - rule.max]! + rule.windowMs - t : 0;
  }

  /** The login's back-off: ms until its next attempt may start (≤ 0 = go ahead). */
  private backoffWait(key: string, t: number): number {
    const s = this.logins.get(key);
    if (!s) return 0;
    const rule = this.o.perLogin;
    if (s.pending === 0 && t - s.last >= rule.windowMs) {
      this.logins.delete(key);
      return 0;
    }
    const count = s.failures + s.pending;
    if (count < rule.max) return 0;
    const k = count - rule.max + 1;
    const wait = Math.min((rule.baseMs ?? 1000) * 2 ** Math.min(k, 40), rule.capMs ?? 15 * 60_000);
    const since = s.pending > 0 ? Math.max(s.last, s.pendingAt) : s.last;
    return since + wait - t;
  }

  private push(table: Map<string, number[]>, key: string, t: number): void {
    const list = table.get(key) ?? [];
    list.push(t);
    this.touch(table, key, list);
  }

  private unpush(table: Map<string, number[]>, key: string, t: number): void {
    const list = table.get(key);
    if (!list) return;
    const i = list.lastIndexOf(t);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) table.delete(key);
  }

  /** Most recently touched last; the least recently touched key goes when the table is full. */
  private touch<V>(table: Map<string, V>, key: string, value: V): void {
    table.delete(key);
    table.set(key, value);
    while (table.size > this.o.maxKeys) table.delete(table.keys().next().value!);
  }
}

const seconds = (ms: number) => (ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0);

/**
 * Caps the password hashes in flight on this server (each scrypt at N = 2^15 takes 32 MiB and a
 * core for ~50–100 ms). A bounded number more wait their turn (a class signing in at once);
 * beyond that `enter` answers undefined at once and the caller answers 429, with `retryAfter()`
 * estimated from how long slots have lately been held.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Recent time a slot is held, ms (moving average; wall time, only for the Retry-After estimate). */
  private slotMs = 100;

  constructor(readonly limit = 4, readonly queue = 64) {}

  /** A slot (call the function it resolves to when done), or undefined when the gate is full. */
  enter(): Promise<() => void> | undefined {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.leaver());
    }
    if (this.waiting.length >= this.queue) return undefined;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.leaver())));
  }

  get inFlight(): number {
    return this.active;
  }

  /** Seconds until the queue has likely drained (at least 1). */
  retryAfter(): number {
    return Math.max(1, Math.ceil((((this.waiting.length + 1) / this.limit) * this.slotMs) / 1000));
  }

  private leaver(): () => void {
    let done = false;
    const t0 = performance.now();
    return () => {
      if (done) return;
      done = true;
      this.slotMs = this.slotMs * 0.8 + (performance.now() - t0) * 0.2;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on: `active` stays the same
      else this.active--;
    };
  }
}
