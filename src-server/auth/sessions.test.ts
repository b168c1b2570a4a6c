/**
 * What ends a session (R-ACCOUNTS, R-BREACH): a changed password, a recorded breach, a block, a
 * removed verifier tag — at once on this server process, even for a session row it has cached.
 * Real server (Fastify inject), real stores and replicas; the changes are ops through the replica.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src-main/auth/password';
import { allowAll, submit, type Guard } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft, type OpDraft } from '../../src-main/journal/log';
import { T } from '../../test/support/tiny-school';
import { storeKinds, tempDir, removeTempDirs } from '../../test/support/stores';
import { PASSWORD, TEST_COST, tinyServers, type TestServer } from '../../test/support/server';
import { createServer } from '../app';
import { Auth } from './service';
import { hashToken, newToken } from './tokens';

afterAll(removeTempDirs);

const NEW_PASSWORD = 'Новый-пароль-2026';

for (const kind of storeKinds()) {
  describe(`sessions: ${kind.name} store`, () => {
    const open = tinyServers(kind);
    /** An op written through the server's replica of the school (as the rpc and sync paths do). */
    async function write(s: TestServer, author: string, op: OpDraft, guard: Guard = regulationGuard): Promise<void> {
      const replica = await s.server.schools.get('tiny');
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId: author }, clock: s.clock, guard }, op)));
    }
    async function bearer(s: TestServer, login: string, password = PASSWORD): Promise<string> {
      const r = await s.login(login, password, { session: 'bearer' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.value as { token: string }).token;
    }
    const me = (s: TestServer, headers: Record<string, string>) => s.server.app.inject({ url: '/api/v1/auth/me', headers });
    const withToken = (token: string) => ({ authorization: `Bearer ${token}` });

    it('a password change ends the old bearer token and cookie at once; the administrator\'s session that changed it still works', async () => {
      const s = await open();
      const token = await bearer(s, 'teacher');
      const cookie = await s.cookie('teacher');
      const admin = await s.cookie('admin');
      // Both sessions in use (and so in this process's session cache) before the change.
      expect((await me(s, withToken(token))).statusCode).toBe(200);
      expect((await me(s, { cookie })).statusCode).toBe(200);

      await write(s, T.admin, draft('account.password', { id: T.teacherAcc, verifier: hashPassword(NEW_PASSWORD, TEST_COST) }));

      const oldToken = await me(s, withToken(token));
      expect(oldToken.statusCode).toBe(401);
      expect(oldToken.json()).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Войдите в систему: сеанс не найден или истёк' } });
      expect((await s.rpc(cookie, 'correction.inbox', {})).status).toBe(401);
      expect((await me(s, { cookie: admin })).statusCode).toBe(200);
      // The ended sessions are removed from the store, not only refused.
      expect(await s.server.store.session('tiny', hashToken(token))).toBeUndefined();
      // The old password is refused, the new one opens a session that works.
      expect((await s.login('teacher', PASSWORD)).status).toBe(401);
      const fresh = await bearer(s, 'teacher', NEW_PASSWORD);
      expect((await me(s, withToken(fresh))).statusCode).toBe(200);
    });

    it('a recorded breach ends the account\'s sessions and refuses its login with 403 (R-BREACH, п. 10.4)', async () => {
      const s = await open();
      const token = await bearer(s, 'teacher');
      const cookie = await s.cookie('teacher');
      const deputy = await s.cookie('deputy');
      expect((await me(s, withToken(token))).statusCode).toBe(200);

      await write(s, T.admin, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-10T03:00:00Z', reportedAt: '2026-09-10T04:00:00Z' }), allowAll);

      expect((await me(s, withToken(token))).statusCode).toBe(401);
      expect((await s.rpc(cookie, 'correction.inbox', {})).status).toBe(401);
      const login = await s.login('teacher');
      expect(login.status).toBe(403);
      expect(login.cookie).toBeUndefined();
      expect(login.body).toMatchObject({ ok: false, error: { code: 'breach', requirement: 'R-BREACH', clause: 'п. 10.4' } });
      expect((login.body.error as { message: string }).message).toMatch(/нарушение конфиденциальности.*п\. 10\.4/);
      // A wrong password learns nothing more than for any account.
      expect((await s.login('teacher', 'не тот')).status).toBe(401);
      // Other accounts are untouched.
      expect((await me(s, { cookie: deputy })).statusCode).toBe(200);
    });

    it('a block ends the account\'s open sessions; the login says why (п. 10.3)', async () => {
      const s = await open();
      const token = await bearer(s, 'parent');
      expect((await me(s, withToken(token))).statusCode).toBe(200);
      await write(s, T.admin, draft('account.block', { id: T.parent, blocked: true }));
      expect((await me(s, withToken(token))).statusCode).toBe(401);
      expect((await s.login('parent')).status).toBe(403);
      // Unblocking does not bring an ended session back.
      await write(s, T.admin, draft('account.block', { id: T.parent, blocked: false }));
      expect((await me(s, withToken(token))).statusCode).toBe(401);
      expect((await s.login('parent')).status).toBe(200);
    });

    it('another server process on the same store ends the session within the 10 s window, not later', async () => {
      const s = await open();
      // A second server process: its own replicas (another data folder), the same store.
      const other = await createServer({ store: await open.handle().reopen(), dataDir: tempDir(), clock: s.clock, passwordCost: TEST_COST });
      try {
        let wall = 1_000;
        const auth = new Auth({ store: other.store, schools: other.schools, clock: s.clock, passwordCost: TEST_COST, wall: () => wall });
        const token = await bearer(s, 'teacher');
        expect(await auth.session(token, 'bearer')).toMatchObject({ accountId: T.teacherAcc });
        await write(s, T.admin, draft('account.password', { id: T.teacherAcc, verifier: hashPassword(NEW_PASSWORD, TEST_COST) }));
        wall += 9_999;
        expect(await auth.session(token, 'bearer')).toMatchObject({ accountId: T.teacherAcc }); // still inside the other's window
        wall += 2;
        expect(await auth.session(token, 'bearer')).toBeUndefined();
        expect(await other.store.session('tiny', hashToken(token))).toBeUndefined(); // ended for every process
        expect((await me(s, withToken(token))).statusCode).toBe(401);
        // A session made on the first process after yet another change is in force on the other at
        // once, though that one's replica has not caught up in this window (a refusal is checked again after catching up).
        await write(s, T.admin, draft('account.password', { id: T.teacherAcc, verifier: hashPassword('третий-пароль', TEST_COST) }));
        const fresh = await bearer(s, 'teacher', 'третий-пароль');
        wall += 1;
        expect(await auth.session(fresh, 'bearer')).toMatchObject({ accountId: T.teacherAcc });
      } finally {
        await other.close();
      }
    });

    it('a session made before verifier tags (no tag) is over', async () => {
      const s = await open();
      const token = newToken('s', 'tiny');
      await s.server.store.createSession({
        schoolId: 'tiny', tokenHash: hashToken(token), accountId: T.teacherAcc, kind: 'bearer',
        createdAt: '2026-09-01T00:00:00.000Z', expiresAt: '2026-10-01T00:00:00.000Z',
      });
      expect((await me(s, withToken(token))).statusCode).toBe(401);
      expect(await s.server.store.session('tiny', hashToken(token))).toBeUndefined();
    });
  });
}
