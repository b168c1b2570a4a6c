/**
 * Accounts and sessions (R-ACCOUNTS). A login goes through the server's login directory to one
 * school and account; the password is checked against the account's scrypt verifier in that
 * school's replica, off the main thread. An unknown login is checked against a dummy verifier of
 * the server's cost, and a weaker stored verifier is checked against the dummy as well, so every
 * attempt costs one full-cost scrypt: a wrong login and a wrong password get the same answer —
 * no enumeration, by content or by timing. A weaker verifier is upgraded at its first right
 * password (an `account.password` op by the account itself, through the school's replica).
 * Attempts are reserved before hashing and limited per login+address, per login (back-off) and
 * per address, and hashes are capped server-wide (throttle.ts) — in memory, per process.
 *
 * A session is bound to one school: a browser gets it as an HttpOnly SameSite=Strict cookie, a
 * desktop as a bearer token. It carries the tag of the account's verifier at sign-in and lives
 * only while the account exists, is not blocked, has no breach recorded (R-BREACH, п. 10.4) and
 * has the same verifier: a changed password ends every session made with the old one — at once
 * on the process that wrote the change, within 10 s on another server process (its replica is
 * caught up with the store at most once per school per 10 s). School computers, their tokens and
 * the sign-ins on them: auth/devices.ts.
 */
import { randomBytes } from 'node:crypto';
import { isOneTimeVerifier } from '../../src-main/journal/one-time';
import { DEFAULT_COST, hashPassword, hashPasswordAsync, isWeaker, verifierCost, verifyPasswordAsync, type ScryptCost } from '../../src-main/auth/password';
import { accountByLogin, actorOf } from '../../src-main/journal/facts';
import { allowAll, submit, type Clock } from '../../src-main/commands/execute';
import { draft } from '../../src-main/journal/log';
import type { Journal } from '../../src-main/journal/open';
import type { Actor } from '../../src-shared/policy/actor';
import type { Schools } from '../schools/registry';
import type { SchoolReplica } from '../schools/replica';
import type { LoginEventRecord, OpLogStore, SessionKind } from '../store/types';
import { hashToken, newToken, parseToken, verifierTag } from './tokens';
import { HashGate, LoginThrottle } from './throttle';

export interface SessionTtl { cookieMs: number; bearerMs: number }
const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_ENTRIES = 20_000;

export const DEFAULT_TTL: SessionTtl = { cookieMs: 12 * 3_600_000, bearerMs: 30 * 24 * 3_600_000 };

export interface Principal {
  schoolId: string;
  accountId: string;
  kind: SessionKind;
  tokenHash: string;
  expiresAt: string;
}

type Refusal = { ok: false; status: 401 | 403 | 429; code: 'unauthenticated' | 'blocked' | 'breach' | 'rate_limited'; message: string; retryAfter?: number };

/** The outcome of a password check without a session (login, a sign-in on a school computer). */
export type CredentialsOutcome = { ok: true; schoolId: string; accountId: string; verifierTag: string } | Refusal;

export type LoginOutcome =
  | { ok: true; token: string; schoolId: string; accountId: string; expiresAt: string; kind: SessionKind }
  | Refusal;

/** "через 2 с", "через 15 мин." — for Retry-After in words. */
const wait = (s: number) => (s < 60 ? `${s} с` : `${Math.ceil(s / 60)} мин.`);

export const MESSAGES = {
  badCredentials: 'Неверный логин или пароль',
  blocked: 'Учётная запись заблокирована: обратитесь к ответственному за техподдержку (п. 10.3)',
  breach: 'Вход запрещён: по учётной записи зафиксировано нарушение конфиденциальности (п. 10.4) — обратитесь к директору школы',
  tooMany: (s: number) => `Слишком много неудачных попыток входа: повторите через ${wait(s)}`,
  busy: (s: number) => `Сервер занят проверкой паролей: повторите вход через ${wait(s)}`,
  noSession: 'Войдите в систему: сеанс не найден или истёк',
};

export interface AuthOptions {
  store: OpLogStore;
  schools: Schools;
  clock: Clock;
  throttle?: LoginThrottle;
  /** Password hashes in flight server-wide (default: 4 at once, 64 waiting, then 429). */
  gate?: HashGate;
  ttl?: SessionTtl;
  /** The server's scrypt cost: of the dummy verifier, the floor every check spends, and what weaker verifiers are upgraded to. */
  passwordCost?: ScryptCost;
  /** Checks a password against a verifier (default scrypt off the main thread); tests wrap it to count what was evaluated. */
  verify?: (password: string, verifier: string) => Promise<boolean>;
  /** A row of the sign-in history the store did not take (default: ignored — the server logs it where it creates Auth). */
  onHistoryError?: (err: unknown) => void;
  /** Monotonic ms for the session cache and the replica freshness window (default performance.now); tests pass their own. */
  wall?: () => number;
}

/** What a session's life depends on in the school's replica: one look-up by the account's primary key. */
function standing(j: Journal, accountId: string): { tag: string; blocked: boolean; breached: boolean } | undefined {
  const r = j.stmt('SELECT verifier, blocked, EXISTS (SELECT 1 FROM breach WHERE account_id = account.id) AS breached FROM account WHERE id = ?').get(accountId) as
    { verifier: string | null; blocked: number; breached: number } | undefined;
  return r ? { tag: verifierTag(r.verifier), blocked: !!r.blocked, breached: !!r.breached } : undefined;
}

export class Auth {
  readonly throttle: LoginThrottle;
  readonly gate: HashGate;
  private readonly ttl: SessionTtl;
  private readonly cost: ScryptCost;
  private readonly dummy: string;
  private readonly verify: (password: string, verifier: string) => Promise<boolean>;
  /**
   * Session rows seen in the last seconds, by token hash: a page of the diary costs no store round
   * trip. Only the row is cached — the account's standing is read from the replica on every call.
   * Logout here removes the entry at once; on another server process the row lasts ≤ SESSION_CACHE_MS.
   */
  private readonly recent = new Map<string, { p: Principal; tag: string | null; until: number }>();
  /**
   * When each school's replica was last caught up with the store by this class (sessions, logins):
   * a password change, block or breach written through another server process counts here within
   * SESSION_CACHE_MS, for at most one catch-up per school in that window.
   */
  private readonly caughtUp = new Map<string, number>();
  private readonly wall: () => number;

  constructor(private readonly o: AuthOptions) {
    this.throttle = o.throttle ?? new LoginThrottle();
    this.gate = o.gate ?? new HashGate();
    this.ttl = o.ttl ?? DEFAULT_TTL;
    this.cost = o.passwordCost ?? DEFAULT_COST;
    this.dummy = hashPassword(randomBytes(16).toString('hex'), this.cost);
    this.verify = o.verify ?? verifyPasswordAsync;
    this.wall = o.wall ?? (() => performance.now());
  }

  private now(): number {
    return this.o.clock.now();
  }

  private static limited(message: string, retryAfter: number): Refusal {
    return { ok: false, status: 429, code: 'rate_limited', message, retryAfter };
  }

  /**
   * The whole throttled password check, without a session: the attempt is reserved (or refused
   * with 429), the hash waits for a slot of the gate (or 429 at once), an unknown login or a weaker
   * verifier spends a full-cost dummy check, and a weaker verifier is upgraded on success. The
   * tag is of the verifier in force afterwards (the upgraded one).
   */
  async verifyCredentials(login: string, password: string, address: string, kind: LoginEventRecord['kind'] = 'bearer'): Promise<CredentialsOutcome> {
    const r = this.throttle.reserve(login, address);
    if (!r.ok) return Auth.limited(MESSAGES.tooMany(r.retryAfter), r.retryAfter);
    const attempt = r.reservation;
    try {
      const entry = await this.o.store.findLogin(login);
      const replica = entry ? await this.o.schools.find(entry.schoolId) : undefined;
      // A password changed through another server process: checked against the new verifier
      // within SESSION_CACHE_MS (one catch-up per school per window — not one per attempt, which
      // would also make a known login measurably slower than an unknown one).
      if (entry && replica) await this.keepFresh(entry.schoolId, replica);
      const account = replica ? accountByLogin(replica.view, login) : undefined;
      const real = entry && account && account.id === entry.accountId && account.verifier ? account.verifier : null;
      const slot = this.gate.enter();
      if (!slot) {
        this.throttle.cancel(attempt);
        const wait = this.gate.retryAfter();
        return Auth.limited(MESSAGES.busy(wait), wait);
      }
      const leave = await slot;
      let fresh: string | undefined;
      try {
        const weaker = real !== null && this.isWeaker(real);
        if (!(await this.check(password, real, weaker)) || !real || !entry || !replica) {
          this.throttle.fail(attempt);
          if (entry && account) this.remember(entry, kind, address, 'wrong_password');
          return { ok: false, status: 401, code: 'unauthenticated', message: MESSAGES.badCredentials };
        }
        this.throttle.succeed(attempt);
        const facts = standing(replica.view, entry.accountId);
        if (!facts || facts.blocked) {
          this.remember(entry, kind, address, 'blocked');
          return { ok: false, status: 403, code: 'blocked', message: MESSAGES.blocked };
        }
        if (facts.breached) {
          this.remember(entry, kind, address, 'breach');
          return { ok: false, status: 403, code: 'breach', message: MESSAGES.breach };
        }
        this.remember(entry, kind, address, 'ok');
        // A one-time password is not upgraded: its owner is about to choose their own (admin/accounts.ts).
        if (weaker && !isOneTimeVerifier(real)) fresh = await hashPasswordAsync(password, this.cost);
      } finally {
        leave(); // the hashes are done; the upgrade's write below waits for the school, not for a core
      }
      const verifier = fresh ? await this.upgrade(replica, entry.accountId, real, fresh) : real;
      return { ok: true, schoolId: entry.schoolId, accountId: entry.accountId, verifierTag: verifierTag(verifier) };
    } finally {
      this.throttle.fail(attempt); // an error on the way counts as a failure (no-op once settled)
    }
  }

  /**
   * Sign-in history (R-ACCOUNTS, п. 10.3: the administrator sees attempts on an account). Written
   * without waiting: a known login must not answer measurably slower than an unknown one, and a
   * store that cannot take the row does not stop anyone signing in (logged instead).
   */
  private remember(entry: { schoolId: string; accountId: string }, kind: LoginEventRecord['kind'], address: string, outcome: LoginEventRecord['outcome']): void {
    const e: LoginEventRecord = { schoolId: entry.schoolId, accountId: entry.accountId, at: new Date(this.now()).toISOString(), kind, address: address.slice(0, 64), outcome };
    const write = this.o.store.recordLogin(e).catch((err: unknown) => this.o.onHistoryError?.(err)).finally(() => this.historyWrites.delete(write));
    this.historyWrites.add(write);
  }

  private readonly historyWrites = new Set<Promise<void>>();
  /** Resolves when the sign-in history rows begun so far are written (tests; a clean shutdown). */
  async historyWritten(): Promise<void> {
    await Promise.all([...this.historyWrites]);
  }

  private isWeaker(verifier: string): boolean {
    const c = verifierCost(verifier);
    return !c || isWeaker(c, this.cost);
  }

  /** One full-cost scrypt for every attempt: the dummy for an unknown login, and besides a weaker verifier. */
  private async check(password: string, real: string | null, weaker: boolean): Promise<boolean> {
    if (real === null) {
      await this.verify(password, this.dummy);
      return false;
    }
    const matches = await this.verify(password, real);
    if (weaker) await this.verify(password, this.dummy);
    return matches;
  }

  /**
   * Puts a verifier made at the server's cost in place of a weaker one: an `account.password` op
   * authored by the account itself (policy leaves passwords to the administrator; this one is the
   * server's own maintenance, so it is not put to the regulation guard). Skipped if the verifier
   * changed in the meantime; returns the verifier in force.
   */
  private async upgrade(replica: SchoolReplica, accountId: string, old: string, fresh: string): Promise<string> {
    const done = await replica.exclusive((l) => l.write((j) => {
      if (j.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(accountId) !== old) return false;
      submit({ journal: j, actor: { accountId }, clock: this.o.clock, guard: allowAll }, draft('account.password', { id: accountId, verifier: fresh }));
      return true;
    }));
    return done ? fresh : old;
  }

  async login(login: string, password: string, address: string, kind: SessionKind): Promise<LoginOutcome> {
    const v = await this.verifyCredentials(login, password, address, kind);
    if (!v.ok) return v;
    const token = newToken('s', v.schoolId);
    const expiresAt = new Date(this.now() + (kind === 'cookie' ? this.ttl.cookieMs : this.ttl.bearerMs)).toISOString();
    await this.o.store.createSession({
      schoolId: v.schoolId, tokenHash: hashToken(token), accountId: v.accountId, kind,
      createdAt: new Date(this.now()).toISOString(), expiresAt, verifierTag: v.verifierTag,
    });
    return { ok: true, token, schoolId: v.schoolId, accountId: v.accountId, expiresAt, kind };
  }

  /**
   * The session behind a token, or undefined: unknown, forged, expired, or over — the account is
   * gone, blocked, has a breach recorded (R-BREACH, п. 10.4) or another verifier than at sign-in
   * (a session from before verifier tags has none: over too). A session found over is removed.
   */
  async session(token: string | undefined, kind: SessionKind): Promise<Principal | undefined> {
    if (!token) return undefined;
    const t = parseToken(token);
    if (!t || t.kind !== 's') return undefined;
    const tokenHash = hashToken(token);
    const nowIso = new Date(this.now()).toISOString();
    const wall = this.wall();
    let seen = this.recent.get(tokenHash);
    if (!seen || seen.until <= wall || seen.p.kind !== kind || seen.p.expiresAt <= nowIso) {
      this.recent.delete(tokenHash);
      const s = await this.o.store.session(t.schoolId, tokenHash);
      if (!s || s.kind !== kind) return undefined;
      if (s.expiresAt <= nowIso) {
        await this.o.store.deleteSession(t.schoolId, tokenHash);
        return undefined;
      }
      seen = { p: { schoolId: s.schoolId, accountId: s.accountId, kind: s.kind, tokenHash, expiresAt: s.expiresAt }, tag: s.verifierTag ?? null, until: wall + SESSION_CACHE_MS };
      this.recent.set(tokenHash, seen);
      if (this.recent.size > SESSION_CACHE_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    }
    if (await this.inForce(seen.p, seen.tag)) return seen.p;
    this.recent.delete(tokenHash);
    await this.o.store.deleteSession(seen.p.schoolId, tokenHash);
    return undefined;
  }

  /**
   * Does the account still stand as it did at sign-in? Read from the replica on every call. A
   * refusal is checked once more after catching the replica up with the store: a replica on this
   * process may not yet have seen a password change (an upgrade at a login on another process)
   * that the session was made with.
   */
  private async inForce(p: Principal, tag: string | null): Promise<boolean> {
    if (tag === null) return false;
    const replica = await this.o.schools.find(p.schoolId);
    if (!replica) return false;
    await this.keepFresh(p.schoolId, replica);
    const ok = () => {
      const f = standing(replica.view, p.accountId);
      return !!f && !f.blocked && !f.breached && f.tag === tag;
    };
    if (ok()) return true;
    await replica.exclusive((l) => l.catchUp());
    return ok();
  }

  /** Catches the school's replica up with the store if that was not done in the last SESSION_CACHE_MS. */
  private async keepFresh(schoolId: string, replica: SchoolReplica): Promise<void> {
    const w = this.wall();
    const last = this.caughtUp.get(schoolId);
    if (last !== undefined && w - last < SESSION_CACHE_MS) return;
    this.caughtUp.set(schoolId, w); // before the await: concurrent requests do not pile up behind it
    try {
      await replica.exclusive((l) => l.catchUp());
    } catch {
      // The store is unreachable: the replica answers as it is; the next request tries again.
      this.caughtUp.delete(schoolId);
    }
  }


  async logout(p: Principal): Promise<void> {
    this.recent.delete(p.tokenHash);
    await this.o.store.deleteSession(p.schoolId, p.tokenHash);
  }

  /** The actor behind a session (roles, children…), from the school's replica. */
  async actor(p: Principal): Promise<Actor | undefined> {
    const replica = await this.o.schools.find(p.schoolId);
    return replica ? actorOf(replica.view, p.accountId) : undefined;
  }
}
