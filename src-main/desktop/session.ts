/**
 * Offline login on a shared school computer: each teacher logs in and out with their own
 * account, checked against the password verifiers in the local journal (no network). The same
 * message for an unknown login and a wrong password (and the same work: an unknown login is
 * checked against a dummy verifier); a blocked account is refused only after a right password;
 * the session locks after inactivity (LockTimer). Every call goes through `dispatch` with the
 * logged-in account; calls are counted so that quitting waits for the one running (`drain`).
 *
 * On an enrolled computer a login is also a sign-in the server must see (docs/security.md): online
 * when the server answers (it checks the password too, and may refuse an account not allowed on
 * this computer), otherwise proved offline with the account's key for this computer. An account
 * that never signed in here online cannot prove an offline sign-in: it may read, but changes wait
 * until it signs in once with a connection (the server would not take them).
 */
import type { Result } from '../../src-shared/contract/methods';
import { hashPassword, isWeaker, verifierCost, verifyPasswordAsync, type ScryptCost, DEFAULT_COST } from '../auth/password';
import type { Clock } from '../commands/execute';
import { dispatch } from '../contract/dispatch';
import type { Journal } from '../journal/open';
import { accountByLogin } from '../journal/facts';
import { isQueryName } from '../../src-shared/policy/queries';
import { recordOfflineSignin } from '../sync/signin';
import { LockTimer, realTimers, type Timers } from './lock';

export const LOGIN_MESSAGES = {
  badCredentials: 'Неверный логин или пароль',
  blocked: 'Учётная запись заблокирована: обратитесь к ответственному за техподдержку (п. 10.3)',
  noSession: 'Войдите в систему: сеанс не начат',
  locked: 'Сеанс заблокирован после бездействия: войдите снова',
  closing: 'Программа закрывается: действие не выполнено',
  readOnly: 'Первый вход этой учётной записи на этом компьютере был без связи с сервером: изменения пока не вносятся — сервер их не примет. Войдите снова, когда появится связь (п. 10.1)',
} as const;

/** The server's side of a login on an enrolled computer (desktop/computer-signin.ts). */
export type OnlineSignin = (login: string, password: string) => Promise<
  | { ok: true }
  | { ok: false; unreachable: true }
  | { ok: false; unreachable?: false; code: 'unauthenticated' | 'blocked' | 'forbidden'; message: string }>;

export interface SessionOptions {
  journal: Journal;
  clock: Clock;
  timers?: Timers;
  idleMs?: number;
  fontsDir?: string;
  /** The cost of the dummy verifier for unknown logins (the real accounts' cost). */
  passwordCost?: ScryptCost;
  verify?: (password: string, verifier: string) => Promise<boolean>;
  /** The session locked by inactivity (the shell tells the renderer). */
  onLock?: () => void;
  /** On an enrolled computer: the online sign-in (null/absent: a computer working alone, no server to tell). */
  online?: () => OnlineSignin | null;
}

const fail = (code: 'unauthenticated' | 'blocked' | 'internal' | 'bad_input' | 'forbidden', message: string): Result<never> => ({ ok: false, error: { code, message } });

export class DesktopSession {
  private account: string | null = null;
  /** Signed in offline without a way to prove it to the server: reads only. */
  private readOnly = false;
  private lockedByIdle = false;
  private readonly lock: LockTimer;
  private dummy: string | null = null;
  private running = 0;
  private closing = false;
  private idle: (() => void)[] = [];

  constructor(private readonly o: SessionOptions) {
    this.lock = new LockTimer({
      now: () => o.clock.now(), timers: o.timers ?? realTimers, ...(o.idleMs !== undefined ? { idleMs: o.idleMs } : {}),
      onLock: () => this.lockNow(),
    });
  }

  get accountId(): string | null { return this.account; }

  /** The logged-in account may read but not change (signed in offline, never online here). */
  get isReadOnly(): boolean { return this.account !== null && this.readOnly; }

  async login(login: string, password: string): Promise<Result<null>> {
    return this.track(async () => {
      if (typeof login !== 'string' || typeof password !== 'string' || !login.trim() || !password) return fail('bad_input', 'Укажите логин и пароль');
      const acc = accountByLogin(this.o.journal, login.trim());
      const verify = this.o.verify ?? verifyPasswordAsync;
      const cost = this.o.passwordCost ?? DEFAULT_COST;
      const dummy = () => (this.dummy ??= hashPassword('нет такой учётной записи', cost));
      const verifier = acc?.verifier ?? dummy();
      const good = await verify(password, verifier);
      // A weaker stored verifier (a generated account) costs the full price too: timing tells no login apart.
      const weak = verifierCost(verifier);
      if (acc?.verifier && (!weak || isWeaker(weak, cost))) await verify(password, dummy());
      if (!acc || !acc.verifier || !good) return fail('unauthenticated', LOGIN_MESSAGES.badCredentials);
      if (acc.blocked) return fail('blocked', LOGIN_MESSAGES.blocked);
      let readOnly = false;
      const online = this.o.online?.();
      if (online) {
        const r = await online(login.trim(), password);
        // The server knows better (a password changed elsewhere, an account not allowed on this computer).
        if (!r.ok && !r.unreachable) return fail(r.code, r.message);
        if (!r.ok) readOnly = !recordOfflineSignin(this.o.journal, acc.id, password, this.o.clock.now());
      }
      this.readOnly = readOnly;
      this.account = acc.id;
      this.lockedByIdle = false;
      this.lock.start();
      return { ok: true, value: null };
    });
  }

  logout(): void {
    this.account = null;
    this.lockedByIdle = false;
    this.lock.stop();
  }

  /** Activity in the window (keys, clicks) keeps the session open. */
  touch(): void { this.lock.touch(); }

  /** One contract call as the logged-in account. */
  async call(method: string, input: unknown): Promise<Result<unknown>> {
    return this.track(async () => {
      if (this.account && this.lock.expired()) this.lockNow();
      if (!this.account) return fail('unauthenticated', this.lockedByIdle ? LOGIN_MESSAGES.locked : LOGIN_MESSAGES.noSession);
      this.lock.touch();
      if (this.readOnly && !isQueryName(method)) return fail('forbidden', LOGIN_MESSAGES.readOnly);
      return dispatch({ journal: this.o.journal, accountId: this.account, clock: this.o.clock, ...(this.o.fontsDir ? { fontsDir: this.o.fontsDir } : {}) }, method, input);
    });
  }

  /** Refuse new calls and resolve when the running ones are done (then the journal may close). */
  drain(): Promise<void> {
    this.closing = true;
    this.lock.stop();
    return this.running === 0 ? Promise.resolve() : new Promise((r) => this.idle.push(r));
  }

  private lockNow(): void {
    if (!this.account) return;
    this.account = null;
    this.lockedByIdle = true;
    this.lock.stop();
    this.o.onLock?.();
  }

  private async track<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.closing) return fail('internal', LOGIN_MESSAGES.closing);
    this.running++;
    try {
      return await run();
    } finally {
      if (--this.running === 0) for (const r of this.idle.splice(0)) r();
    }
  }
}
