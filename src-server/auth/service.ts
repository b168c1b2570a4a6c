/**
 * Accounts and sessions (R-ACCOUNTS). A login goes through the server's login directory to one
 * school and account; the password is checked against the account's scrypt verifier in that
 * school's replica, off the main thread. An unknown login is checked against a dummy verifier of
 * the same cost, and a wrong login and a wrong password get the same answer — no enumeration,
 * by content or by timing. Failures are rate-limited per login and per address.
 *
 * A session is bound to one school: a browser gets it as an HttpOnly SameSite=Strict cookie, a
 * desktop as a bearer token. Desktop computers are enrolled by the technical administrator and
 * get a device token of their own, bound to the school.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_COST, hashPassword, verifyPasswordAsync, type ScryptCost } from '../../src-main/auth/password';
import { accountByLogin, actorOf } from '../../src-main/journal/facts';
import type { Clock } from '../../src-main/commands/execute';
import type { Actor } from '../../src-shared/policy/actor';
import type { Schools } from '../schools/registry';
import type { DeviceRecord, OpLogStore, SessionKind } from '../store/types';
import { hashToken, newToken, parseToken } from './tokens';
import { LoginThrottle } from './throttle';

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

export type LoginOutcome =
  | { ok: true; token: string; schoolId: string; accountId: string; expiresAt: string; kind: SessionKind }
  | { ok: false; status: 401 | 403 | 429; code: 'unauthenticated' | 'blocked' | 'rate_limited'; message: string; retryAfter?: number };

export const MESSAGES = {
  badCredentials: 'Неверный логин или пароль',
  blocked: 'Учётная запись заблокирована: обратитесь к ответственному за техподдержку (п. 10.3)',
  tooMany: (s: number) => `Слишком много неудачных попыток входа: повторите через ${Math.ceil(s / 60)} мин.`,
  noSession: 'Войдите в систему: сеанс не найден или истёк',
};

export interface AuthOptions {
  store: OpLogStore;
  schools: Schools;
  clock: Clock;
  throttle?: LoginThrottle;
  ttl?: SessionTtl;
  /** The cost of the dummy verifier for unknown logins: the cost real accounts have. */
  passwordCost?: ScryptCost;
}

export class Auth {
  readonly throttle: LoginThrottle;
  private readonly ttl: SessionTtl;
  private readonly dummy: string;
  /**
   * Sessions seen in the last seconds, by token hash: a page of the diary costs no store round
   * trip. Logout here removes the entry at once; on another server process it lasts ≤ SESSION_CACHE_MS.
   */
  private readonly recent = new Map<string, { p: Principal; until: number }>();

  constructor(private readonly o: AuthOptions) {
    this.throttle = o.throttle ?? new LoginThrottle();
    this.ttl = o.ttl ?? DEFAULT_TTL;
    this.dummy = hashPassword(randomBytes(16).toString('hex'), o.passwordCost ?? DEFAULT_COST);
  }

  private now(): number {
    return this.o.clock.now();
  }

  async login(login: string, password: string, address: string, kind: SessionKind): Promise<LoginOutcome> {
    const keys = [`login:${login}`, `ip:${address}`];
    const wait = this.throttle.retryAfter(keys);
    if (wait > 0) return { ok: false, status: 429, code: 'rate_limited', message: MESSAGES.tooMany(wait), retryAfter: wait };
    const entry = await this.o.store.findLogin(login);
    const replica = entry ? await this.o.schools.find(entry.schoolId) : undefined;
    const account = replica ? accountByLogin(replica.view, login) : undefined;
    const real = account && account.id === entry?.accountId && account.verifier ? account.verifier : null;
    const matches = await verifyPasswordAsync(password, real ?? this.dummy);
    if (!real || !matches || !entry) {
      this.throttle.fail(keys);
      return { ok: false, status: 401, code: 'unauthenticated', message: MESSAGES.badCredentials };
    }
    this.throttle.succeed(keys[0]!);
    if (account!.blocked) return { ok: false, status: 403, code: 'blocked', message: MESSAGES.blocked };
    const token = newToken('s', entry.schoolId);
    const expiresAt = new Date(this.now() + (kind === 'cookie' ? this.ttl.cookieMs : this.ttl.bearerMs)).toISOString();
    await this.o.store.createSession({ schoolId: entry.schoolId, tokenHash: hashToken(token), accountId: entry.accountId, kind, createdAt: new Date(this.now()).toISOString(), expiresAt });
    return { ok: true, token, schoolId: entry.schoolId, accountId: entry.accountId, expiresAt, kind };
  }

  /** The session behind a token, or undefined (unknown, forged, expired — an expired one is removed). */
  async session(token: string | undefined, kind: SessionKind): Promise<Principal | undefined> {
    if (!token) return undefined;
    const t = parseToken(token);
    if (!t || t.kind !== 's') return undefined;
    const tokenHash = hashToken(token);
    const nowIso = new Date(this.now()).toISOString();
    const wall = performance.now();
    const cached = this.recent.get(tokenHash);
    if (cached && cached.until > wall && cached.p.kind === kind && cached.p.expiresAt > nowIso) return cached.p;
    this.recent.delete(tokenHash);
    const s = await this.o.store.session(t.schoolId, tokenHash);
    if (!s || s.kind !== kind) return undefined;
    if (s.expiresAt <= nowIso) {
      await this.o.store.deleteSession(t.schoolId, tokenHash);
      return undefined;
    }
    const p: Principal = { schoolId: s.schoolId, accountId: s.accountId, kind: s.kind, tokenHash, expiresAt: s.expiresAt };
    this.recent.set(tokenHash, { p, until: wall + SESSION_CACHE_MS });
    if (this.recent.size > SESSION_CACHE_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    return p;
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

  /** R-ACCOUNTS, п. 9.6: the technical administrator enrolls a school computer. */
  async enrollDevice(p: Principal, name: string, deviceId?: string): Promise<{ deviceId: string; token: string }> {
    const id = deviceId ?? `pc-${randomBytes(6).toString('hex')}`;
    const token = newToken('d', p.schoolId);
    await this.o.store.enrollDevice({
      schoolId: p.schoolId, deviceId: id, tokenHash: hashToken(token), name, enrolledBy: p.accountId,
      enrolledAt: new Date(this.now()).toISOString(), lastSeenAt: null, revokedAt: null, lastOpAt: null, allowed: null,
    });
    return { deviceId: id, token };
  }

  /** The enrolled, not revoked computer behind a device token (the sync endpoints use it). */
  async device(token: string | undefined): Promise<DeviceRecord | undefined> {
    if (!token) return undefined;
    const t = parseToken(token);
    if (!t || t.kind !== 'd') return undefined;
    const d = await this.o.store.deviceByToken(t.schoolId, hashToken(token));
    if (!d || d.revokedAt) return undefined;
    return d;
  }
}
