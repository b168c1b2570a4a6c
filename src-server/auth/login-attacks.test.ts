/**
 * Attacks on the login, replayed against a real server (Fastify inject, real stores and replicas):
 * guessing in parallel, guessing from one address or many, a school behind one NAT, and telling
 * existing logins by the work their check costs (R-ACCOUNTS). Password checks are counted through
 * `AuthOptions.verify`, wrapping the real scrypt check.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPasswordAsync, type ScryptCost, hashPassword } from '../../src-main/auth/password';
import { submit } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { T } from '../../test/support/tiny-school';
import { storeKinds, removeTempDirs } from '../../test/support/stores';
import { PASSWORD, TEST_COST, tinyServers, type TestServer } from '../../test/support/server';
import { Auth, type AuthOptions, type CredentialsOutcome } from './service';
import { HashGate, LoginThrottle } from './throttle';

afterAll(removeTempDirs);

/** The server's cost in these tests: one step above the tiny school's verifiers (TEST_COST), so those are "weaker". */
const FULL: ScryptCost = { logN: TEST_COST.logN + 1, r: TEST_COST.r, p: TEST_COST.p };
const logNOf = (verifier: string) => Number(verifier.split('$')[1]);

/** The real check, counted: the cost (log2 N) of every verifier evaluated; optionally held until `release`. */
function countedVerify(o: { hold?: boolean } = {}) {
  const costs: number[] = [];
  let release!: () => void;
  const held = o.hold ? new Promise<void>((r) => { release = r; }) : Promise.resolve();
  const listeners: (() => void)[] = [];
  const verify: NonNullable<AuthOptions['verify']> = async (password, verifier) => {
    costs.push(logNOf(verifier));
    listeners.forEach((f) => f());
    await held;
    return verifyPasswordAsync(password, verifier);
  };
  return { costs, verify, release: () => release?.(), onVerify: (f: () => void) => listeners.push(f) };
}

for (const kind of storeKinds()) {
  describe(`login attacks: ${kind.name} store`, () => {
    const open = tinyServers(kind, () => ({ throttle: new LoginThrottle() }));
    /** An Auth over the server's own store and replicas, with a counted check and a throttle on a clock of our own. */
    function authOf(s: TestServer, o: Partial<AuthOptions> & { at?: () => number } = {}): Auth {
      return new Auth({ store: s.server.store, schools: s.server.schools, clock: s.clock, passwordCost: FULL, throttle: new LoginThrottle({}, o.at ?? (() => 0)), ...o });
    }
    const post = (s: TestServer, login: string, password: string, address: string) =>
      s.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, remoteAddress: address });

    it('100 parallel wrong passwords for one login evaluate at most 5 hashes; the other 95 answer 429 before any hash ends (R-ACCOUNTS)', async () => {
      const s = await open();
      const counted = countedVerify({ hold: true });
      // A gate wide enough for all 100, so only the reservations stand between them and the hash.
      const auth = authOf(s, { verify: counted.verify, gate: new HashGate(100, 0) });
      const settled: CredentialsOutcome[] = [];
      let wake!: () => void;
      const enough = new Promise<void>((r) => { wake = r; });
      // Every attempt either answered or is inside its first (held) check.
      const check = () => { if (settled.length + counted.costs.length >= 100) wake(); };
      counted.onVerify(check);
      const all = Array.from({ length: 100 }, (_, i) => auth.verifyCredentials('teacher', `неверно-${i}`, '203.0.113.9').then((r) => {
        settled.push(r);
        check();
        return r;
      }));
      await enough; // every hash still held: the refusals came first
      expect(counted.costs.length).toBeLessThanOrEqual(5);
      expect(settled).toHaveLength(95);
      for (const r of settled) {
        expect(r).toMatchObject({ ok: false, status: 429, code: 'rate_limited' });
        expect(r.ok ? 0 : r.retryAfter).toBeGreaterThan(0);
        expect(r.ok ? '' : r.message).toMatch(/Слишком много неудачных попыток входа: повторите через \d+ мин\./);
      }
      counted.release();
      const results = await Promise.all(all);
      expect(results.filter((r) => !r.ok && r.status === 401)).toHaveLength(5);
      // Each attempt that was let through cost exactly one full-cost check on top of the weaker verifier.
      expect(counted.costs.filter((c) => c === FULL.logN)).toHaveLength(5);
      expect(counted.costs).toHaveLength(10);
    });

    it('over HTTP the same attack gets 5 × 401 and 95 × 429 with Retry-After and a Russian message', async () => {
      const s = await open();
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(s, 'teacher', `неверно-${i}`, '203.0.113.9')));
      expect(answers.filter((r) => r.statusCode === 401)).toHaveLength(5);
      const limited = answers.filter((r) => r.statusCode === 429);
      expect(limited).toHaveLength(95);
      for (const r of limited) {
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(r.json()).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Слишком много неудачных попыток входа/) } });
      }
    });

    it('caps hashes in flight server-wide: beyond the gate the answer is 429 at once, not a queue', async () => {
      const s = await open();
      const counted = countedVerify({ hold: true });
      const auth = authOf(s, { verify: counted.verify, passwordCost: TEST_COST, gate: new HashGate(4, 2) });
      const logins = ['teacher', 'deputy', 'methodist', 'admin', 'sub', 'parent', 'parent2', 'nobody'];
      const settled: CredentialsOutcome[] = [];
      let wake!: () => void;
      const enough = new Promise<void>((r) => { wake = r; });
      const all = logins.map((l, i) => auth.verifyCredentials(l, 'неверно', `198.51.100.${i}`).then((r) => {
        settled.push(r);
        if (settled.length >= 2) wake();
        return r;
      }));
      await enough;
      expect(counted.costs).toHaveLength(4);
      expect(settled).toEqual([
        { ok: false, status: 429, code: 'rate_limited', message: 'Сервер занят проверкой паролей: повторите вход через 1 с', retryAfter: 1 },
        { ok: false, status: 429, code: 'rate_limited', message: 'Сервер занят проверкой паролей: повторите вход через 1 с', retryAfter: 1 },
      ]);
      counted.release();
      const results = await Promise.all(all);
      expect(results.filter((r) => !r.ok && r.status === 401)).toHaveLength(6);
      expect(auth.gate.inFlight).toBe(0);
      // The two turned away at the gate were not counted against their login or address.
      expect(auth.throttle.retryAfter('parent2', '198.51.100.6')).toBe(0);
      expect((await auth.verifyCredentials('parent2', PASSWORD, '198.51.100.6')).ok).toBe(true);
    });

    it('the owner logs in from another address after 5 failures from the attacker\'s address (the pair is locked, not the login)', async () => {
      const s = await open();
      for (let i = 0; i < 5; i++) expect((await post(s, 'teacher', `неверно-${i}`, '203.0.113.9')).statusCode).toBe(401);
      const attacker = await post(s, 'teacher', PASSWORD, '203.0.113.9');
      expect(attacker.statusCode).toBe(429);
      expect(Number(attacker.headers['retry-after'])).toBe(900);
      const owner = await post(s, 'teacher', PASSWORD, '192.0.2.10');
      expect(owner.statusCode).toBe(200);
      // Other accounts from the attacker's address are not locked either.
      expect((await post(s, 'deputy', PASSWORD, '203.0.113.9')).statusCode).toBe(200);
    });

    it('a distributed attack on one login gets an increasing back-off, and the owner still gets in after the wait', async () => {
      const s = await open();
      let now = 1_000_000;
      const counted = countedVerify();
      const auth = authOf(s, { verify: counted.verify, passwordCost: TEST_COST, at: () => now });
      for (let i = 0; i < 10; i++) expect(await auth.verifyCredentials('teacher', `неверно-${i}`, `10.${i}.0.1`)).toMatchObject({ status: 401 });
      const waits: number[] = [];
      for (let i = 10; i < 16; i++) {
        const early = await auth.verifyCredentials('teacher', `неверно-${i}`, `10.${i}.0.1`);
        expect(early).toMatchObject({ ok: false, status: 429, code: 'rate_limited' });
        const wait = early.ok ? 0 : early.retryAfter!;
        waits.push(wait);
        now += wait * 1000;
        expect(await auth.verifyCredentials('teacher', `неверно-${i}`, `10.${i}.0.1`)).toMatchObject({ status: 401 });
      }
      expect(waits).toEqual([2, 4, 8, 16, 32, 64]);
      expect(counted.costs).toHaveLength(16); // refused attempts evaluated nothing
      const owner = await auth.verifyCredentials('teacher', PASSWORD, '192.0.2.10');
      expect(owner).toMatchObject({ ok: false, status: 429, retryAfter: 128 });
      now += 128_000;
      expect(await auth.verifyCredentials('teacher', PASSWORD, '192.0.2.10')).toMatchObject({ ok: true, accountId: T.teacherAcc });
    });

    it('30 failures of different logins from one address do not lock the school\'s address (one NAT)', async () => {
      const s = await open();
      const logins = ['teacher', 'deputy', 'methodist', 'sub', 'parent', 'parent2'];
      for (let i = 0; i < 30; i++) {
        const login = i < 24 ? logins[i % logins.length]! : `ученик${i}`;
        expect((await post(s, login, `опечатка-${i}`, '100.64.7.1')).statusCode, `attempt ${i}`).toBe(401);
      }
      for (const login of ['teacher', 'deputy', 'parent', 'admin']) expect((await post(s, login, PASSWORD, '100.64.7.1')).statusCode, login).toBe(200);
    });

    it('an unknown login, a weaker verifier and a full-cost verifier each evaluate exactly one full-cost scrypt (no enumeration by timing)', async () => {
      const s = await open();
      const replica = await s.server.schools.get('tiny');
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId: T.admin }, clock: s.clock, guard: regulationGuard },
        draft('account.password', { id: T.deputy, verifier: hashPassword(PASSWORD, FULL) }))));
      const counted = countedVerify();
      const auth = authOf(s, { verify: counted.verify });
      const costsOf = async (login: string, address: string) => {
        counted.costs.length = 0;
        expect(await auth.verifyCredentials(login, 'не тот пароль', address)).toEqual({ ok: false, status: 401, code: 'unauthenticated', message: 'Неверный логин или пароль' });
        return [...counted.costs];
      };
      const unknown = await costsOf('nobody-here', '192.0.2.1');
      const weaker = await costsOf('teacher', '192.0.2.2');
      const full = await costsOf('deputy', '192.0.2.3');
      for (const [what, costs] of [['unknown', unknown], ['weaker', weaker], ['full', full]] as const) {
        expect(costs.filter((c) => c === FULL.logN), what).toHaveLength(1);
        expect(Math.max(...costs), what).toBe(FULL.logN);
      }
      expect(unknown).toEqual([FULL.logN]);
      expect(weaker).toEqual([TEST_COST.logN, FULL.logN]);
      expect(full).toEqual([FULL.logN]);
    });

    it('upgrades a weaker verifier at login (an account.password op by the account), and the login works after', async () => {
      const s = await open();
      const counted = countedVerify();
      const auth = authOf(s, { verify: counted.verify });
      const replica = await s.server.schools.get('tiny');
      const verifierNow = () => replica.view.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(T.teacherAcc) as string;
      expect(logNOf(verifierNow())).toBe(TEST_COST.logN);
      const headBefore = (await s.server.store.school('tiny'))!.head;

      const first = await auth.login('teacher', PASSWORD, '192.0.2.5', 'bearer');
      expect(first.ok).toBe(true);
      expect(counted.costs).toEqual([TEST_COST.logN, FULL.logN]);
      expect(logNOf(verifierNow())).toBe(FULL.logN);
      const op = replica.view.stmt("SELECT author, kind FROM op_log WHERE kind = 'account.password' ORDER BY pos DESC LIMIT 1").get() as { author: string; kind: string };
      expect(op).toEqual({ author: T.teacherAcc, kind: 'account.password' });
      expect((await s.server.store.school('tiny'))!.head).toBe(headBefore + 1);
      // The session made at this login carries the new verifier's tag: it is in force — here and through the server's HTTP.
      if (!first.ok) return;
      expect(await auth.session(first.token, 'bearer')).toMatchObject({ accountId: T.teacherAcc });
      const me = await s.server.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${first.token}` } });
      expect(me.statusCode).toBe(200);

      counted.costs.length = 0;
      const second = await auth.login('teacher', PASSWORD, '192.0.2.5', 'cookie');
      expect(second.ok).toBe(true);
      expect(counted.costs).toEqual([FULL.logN]);
      expect((await s.server.store.school('tiny'))!.head).toBe(headBefore + 1); // nothing more to upgrade
      expect(await auth.verifyCredentials('teacher', 'не тот пароль', '192.0.2.5')).toMatchObject({ status: 401 });
    });
  });
}
