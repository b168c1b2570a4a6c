/**
 * Security of the server's edge: every refusal with the right status and a Russian message, and
 * nothing changed — the store's head and the replica's checksum are the same after each attack.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stateChecksum } from '../src-main/journal/checksum';
import { submit } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft } from '../src-main/journal/log';
import { T } from '../test/support/tiny-school';
import { storeKinds, removeTempDirs } from '../test/support/stores';
import { PASSWORD, TEST_COST, tinyServers, type TestServer } from '../test/support/server';
import { verifyPasswordAsync } from '../src-main/auth/password';
import { Auth } from './auth/service';
import { LoginThrottle } from './auth/throttle';
import { newToken } from './auth/tokens';

afterAll(removeTempDirs);

const [s1] = T.students;
const [l0910] = T.lessons;
const mark = { lessonId: l0910, marks: [{ studentId: s1, value: '5' }] };

for (const kind of storeKinds()) {
  describe(`security: ${kind.name} store`, () => {
    const open = tinyServers(kind);
    /** The store head and the replica state: what "nothing changed" means. */
    async function fingerprint(s: TestServer): Promise<string> {
      const r = await s.server.schools.get('tiny');
      return `${(await s.server.store.school('tiny'))!.head}:${stateChecksum(r.view.sqlite)}`;
    }

    it('answers a wrong password and an unknown login the same 401, both after a full KDF', async () => {
      const s = await open();
      const wrong = await s.login('teacher', 'не тот пароль');
      const unknown = await s.login('nobody-here', 'не тот пароль');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Неверный логин или пароль' } });
      expect(wrong.cookie).toBeUndefined();
      // Equal work: both evaluate one scrypt verifier of the server's cost (a dummy one for the
      // unknown login) — counted by the cost parameters checked, not by the clock.
      const checked: string[] = [];
      const auth = new Auth({
        store: s.server.store, schools: s.server.schools, clock: s.clock, passwordCost: TEST_COST,
        verify: (password, verifier) => {
          checked.push(verifier.split('$').slice(1, 4).join('$'));
          return verifyPasswordAsync(password, verifier);
        },
      });
      const costs = async (login: string) => {
        checked.length = 0;
        expect(await auth.verifyCredentials(login, 'x', '192.0.2.1')).toMatchObject({ ok: false, status: 401 });
        return [...checked];
      };
      const cost = `${TEST_COST.logN}$${TEST_COST.r}$${TEST_COST.p}`;
      expect(await costs('deputy')).toEqual([cost]);
      expect(await costs('nobody-else')).toEqual([cost]);
    });

    it('sets the session as an HttpOnly, SameSite=Strict cookie and ends it on logout', async () => {
      const s = await open();
      const r = await s.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'teacher', password: PASSWORD } });
      const set = String(r.headers['set-cookie']);
      expect(set).toMatch(/^ej_session=s\.tiny\.[A-Za-z0-9_-]{43};/);
      expect(set).toMatch(/HttpOnly/);
      expect(set).toMatch(/SameSite=Strict/);
      expect(set).toMatch(/Path=\//);
      const cookie = set.split(';')[0]!;
      expect((await s.rpc(cookie, 'correction.inbox', {})).status).toBe(200);
      const out = await s.server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie }, payload: {} });
      expect(out.statusCode).toBe(200);
      expect(String(out.headers['set-cookie'])).toMatch(/ej_session=;/);
      expect((await s.rpc(cookie, 'correction.inbox', {})).status).toBe(401);
    });

    it('refuses a blocked account at login and on its open session', async () => {
      const s = await open();
      const session = await s.cookie('parent');
      const replica = await s.server.schools.get('tiny');
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId: T.admin }, clock: s.clock, guard: regulationGuard }, draft('account.block', { id: T.parent, blocked: true }))));
      const before = await fingerprint(s);
      const login = await s.login('parent');
      expect(login.status).toBe(403);
      expect(login.body).toMatchObject({ ok: false, error: { code: 'blocked' } });
      expect((login.body.error as { message: string }).message).toMatch(/заблокирована/);
      // The block ended the open session: it is refused like any ended one (the login above says why).
      const r = await s.rpc(session, 'diary.week', { studentId: s1, week: '2026-09-07' });
      expect(r.status).toBe(401);
      expect(r.body.error!.code).toBe('unauthenticated');
      expect((await s.server.app.inject({ url: '/api/v1/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
      // A blocked account with a wrong password learns nothing more than anyone else.
      expect((await s.login('parent', 'не тот')).status).toBe(401);
      expect(await fingerprint(s)).toBe(before);
    });

    it('refuses forged, malformed and expired session cookies (and clears them)', async () => {
      const s = await open();
      const before = await fingerprint(s);
      for (const cookie of [`ej_session=${newToken('s', 'tiny')}`, `ej_session=${newToken('s', 'other-school')}`, `ej_session=${newToken('d', 'tiny')}`, 'ej_session=admin', 'ej_session=s.tiny.%00%01']) {
        const r = await s.server.app.inject({ method: 'POST', url: '/api/v1/rpc/mark.set', headers: { cookie }, payload: mark });
        expect(r.statusCode, cookie).toBe(401);
        expect(r.json()).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
        expect(String(r.headers['set-cookie'])).toMatch(/ej_session=;/);
      }
      const noCookie = await s.server.app.inject({ method: 'POST', url: '/api/v1/rpc/mark.set', payload: mark });
      expect(noCookie.statusCode).toBe(401);

      const cookie = await s.cookie('teacher');
      s.clock.set('2026-09-10T16:31:00.000Z'); // 12 h after the login
      const expired = await s.rpc(cookie, 'mark.set', mark);
      expect(expired.status).toBe(401);
      const token = cookie.split('=')[1]!;
      expect(await s.server.store.session('tiny', (await import('./auth/tokens')).hashToken(token))).toBeUndefined();
      expect(await fingerprint(s)).toBe(before);
    });

    it('rate-limits failed logins per login+address and per address with 429 and Retry-After', async () => {
      let now = 0;
      const s = await open({ throttle: new LoginThrottle({ perPair: { max: 3, windowMs: 60_000 }, perAddress: { max: 6, windowMs: 60_000 } }, () => now) });
      for (let i = 0; i < 3; i++) expect((await s.login('teacher', `неверно-${i}`)).status).toBe(401);
      now = 1000;
      const limited = await s.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'teacher', password: PASSWORD } });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('59');
      expect((limited.json() as { error: { message: string } }).error.message).toBe('Слишком много неудачных попыток входа: повторите через 59 с');
      // The owner at another address gets in; another account from the same address too…
      expect((await s.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'teacher', password: PASSWORD }, remoteAddress: '192.0.2.77' })).statusCode).toBe(200);
      expect((await s.login('deputy')).status).toBe(200);
      // …until the address itself has failed too often.
      for (let i = 0; i < 3; i++) await s.login(`nobody${i}`, 'x');
      expect((await s.login('methodist')).status).toBe(429);
      now = 61_000;
      expect((await s.login('methodist')).status).toBe(200);
    });

    it('refuses a parent calling a teacher\'s method, and another family\'s child (R-PRIVACY)', async () => {
      const s = await open();
      const parent = await s.cookie('parent');
      const before = await fingerprint(s);
      const marks = await s.rpc(parent, 'mark.set', mark);
      expect(marks.status).toBe(403);
      expect(marks.body.error).toMatchObject({ code: 'forbidden', requirement: 'R-RBAC' });
      const gradebook = await s.rpc(parent, 'gradebook.get', { courseId: T.course, periodId: T.period1 });
      expect(gradebook.status).toBe(403);
      const other = await s.rpc(parent, 'diary.week', { studentId: T.otherStudent, week: '2026-09-07' });
      expect(other.status).toBe(404);
      expect(other.body.error).toMatchObject({ code: 'not_found', requirement: 'R-PRIVACY' });
      expect(JSON.stringify(other.body)).not.toMatch(/Худи|Нина/);
      expect((await s.rpc(parent, 'diary.week', { studentId: s1, week: '2026-09-07' })).status).toBe(200);
      const me = (await s.server.app.inject({ url: '/api/v1/auth/me', headers: { cookie: parent } })).json() as { value: { children: { id: string }[] } };
      expect(me.value.children.map((c) => c.id)).toEqual([s1]);
      expect(await fingerprint(s)).toBe(before);
    });

    it('refuses oversized, malformed and non-JSON bodies and bad input with 4xx in Russian', async () => {
      const s = await open();
      const cookie = await s.cookie('teacher');
      const before = await fingerprint(s);
      const post = (payload: string, type: string | undefined, url = '/api/v1/rpc/mark.set') =>
        s.server.app.inject({ method: 'POST', url, payload, headers: { cookie, ...(type ? { 'content-type': type } : {}) } });
      const cases: [string, Awaited<ReturnType<typeof post>>, number, RegExp][] = [
        ['oversized', await post(JSON.stringify({ ...mark, pad: 'ж'.repeat(200_000) }), 'application/json'), 413, /Слишком большой запрос/],
        ['malformed', await post('{"lessonId": ', 'application/json'), 400, /не JSON/],
        ['empty', await post('', 'application/json'), 400, /Пустое тело/],
        ['text/plain', await post(JSON.stringify(mark), 'text/plain'), 415, /формате JSON/],
        ['a form', await post('lessonId=l-0910', 'application/x-www-form-urlencoded'), 415, /формате JSON/],
        ['no type', await post(JSON.stringify(mark), undefined), 415, /формате JSON/],
        ['bad input', await post(JSON.stringify({ lessonId: l0910, marks: [{ studentId: s1, value: '7' }] }), 'application/json'), 400, /Неверные данные для «mark\.set».*отметка должна быть/],
        ['wrong shape', await post('[1,2,3]', 'application/json'), 400, /Неверные данные/],
        ['unknown method', await post('{}', 'application/json', '/api/v1/rpc/marks.delete_all'), 404, /Неизвестный метод/],
        ['login: no password', await post('{"login":"teacher"}', 'application/json', '/api/v1/auth/login'), 400, /укажите пароль/],
      ];
      for (const [what, r, status, message] of cases) {
        expect(r.statusCode, what).toBe(status);
        const body = r.json() as { ok: boolean; error: { message: string } };
        expect(body.ok, what).toBe(false);
        expect(body.error.message, what).toMatch(message);
      }
      expect((await s.server.app.inject({ url: '/api/v1/nothing' })).statusCode).toBe(404);
      expect(await fingerprint(s)).toBe(before);
    });
  });
}
