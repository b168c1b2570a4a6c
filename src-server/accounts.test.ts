/**
 * Accounts over HTTP as the administrator, a new teacher and a family live them (R-ACCOUNTS,
 * п. 9.6, 10.1–10.2): a new account gets a one-time password shown once; signed in with it, the
 * account can do nothing but choose its own; the change ends the one-time session; a reset gives
 * a new one-time password and the old password stops working; a class's families get their
 * passwords as slips (PDF) and the same request again issues nothing new. Both stores.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { storeKinds, removeTempDirs } from '../test/support/stores';
import { T } from '../test/support/tiny-school';
import { PASSWORD, schoolFile, tinyServers, type TestServer } from '../test/support/server';

afterAll(removeTempDirs);

type Body = { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string; requirement?: string; clause?: string } };
async function ok(t: TestServer, cookie: string, method: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await t.rpc(cookie, method, input);
  if (!r.body.ok) throw new Error(`${method}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as Body).value!;
}

for (const kind of storeKinds()) {
  describe(`accounts and one-time passwords: ${kind.name} store`, () => {
    const open = tinyServers(kind);

    it('a new teacher: one-time password, nothing else until their own password, then work (п. 9.6, 10.1)', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      await ok(t, admin, 'staff.set', { id: 'st-new', lastName: 'Вэнго', firstName: 'Нина', middleName: 'Ильинична', position: 'учитель музыки' });
      const made = await ok(t, admin, 'account.create', { personKind: 'staff', personId: 'st-new', roles: ['teacher'] });
      expect(made.login).toMatch(/^vengo\.ni\d{4}$/);
      expect(made.password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      // The password is not in the journal, only its verifier, marked one-time.
      const replica = await t.server.schools.get('tiny');
      const stored = replica.view.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(made.id) as string;
      expect(stored.startsWith('once$scrypt$')).toBe(true);
      expect(stored).not.toContain(made.password as string);

      const first = await t.login(made.login as string, made.password as string);
      expect(first.status).toBe(200);
      const session = await ok(t, first.cookie!, 'session.get', {});
      expect((session.account as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
      const blocked = await t.rpc(first.cookie!, 'setup.get', {});
      expect(blocked.status).toBe(403);
      expect(blocked.body.error).toMatchObject({ code: 'forbidden', requirement: 'R-ACCOUNTS', clause: 'п. 10.1' });

      const wrong = await t.rpc(first.cookie!, 'account.password', { current: 'не тот', next: 'Своё-слово-2026' });
      expect(wrong.body.error?.message).toContain('Текущий пароль введён неверно');
      const weak = await t.rpc(first.cookie!, 'account.password', { current: made.password, next: '12345678' });
      expect(weak.body.error?.message).toContain('в нём только цифры');
      const same = await t.rpc(first.cookie!, 'account.password', { current: made.password, next: made.password });
      expect(same.body.error?.message).toContain('совпадает с прежним');

      await ok(t, first.cookie!, 'account.password', { current: made.password, next: 'Своё-слово-2026' });
      // The one-time session ended with its password; the one-time password no longer opens anything.
      expect((await t.rpc(first.cookie!, 'session.get', {})).status).toBe(401);
      expect((await t.login(made.login as string, made.password as string)).status).toBe(401);
      const own = await t.login(made.login as string, 'Своё-слово-2026');
      expect(own.status).toBe(200);
      const after = await ok(t, own.cookie!, 'session.get', {});
      expect((after.account as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
      expect((await t.rpc(own.cookie!, 'setup.get', {})).status).toBe(200);

      // The administrator sees it as the teacher's own password now.
      const list = await ok(t, admin, 'accounts.list', {}) as { accounts: { id: string; password: string; name: string }[] };
      expect(list.accounts.find((a) => a.id === made.id)).toMatchObject({ password: 'own', name: 'Вэнго Нина Ильинична' });
    });

    it('a reset: the old password stops working, the new one-time one must be changed (п. 9.6)', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      const teacher = await t.cookie('teacher');
      const reset = await ok(t, admin, 'account.reset', { id: T.teacherAcc });
      expect(reset.login).toBe('teacher');
      expect((await t.login('teacher', PASSWORD)).status).toBe(401);
      expect((await t.rpc(teacher, 'session.get', {})).status).toBe(401);
      const once = await t.login('teacher', reset.password as string);
      expect(once.status).toBe(200);
      expect((await t.rpc(once.cookie!, 'gradebook.get', { courseId: T.course })).status).toBe(403);
    });

    it('only the administrator makes passwords, and is refused before anyone is looked up (R-ACCOUNTS)', async () => {
      const t = await open();
      for (const login of ['teacher', 'deputy', 'parent']) {
        const c = await t.cookie(login);
        for (const [method, input] of [['account.create', { personKind: 'staff', personId: 'st-nobody', roles: ['teacher'] }], ['account.reset', { id: T.teacherAcc }], ['accounts.issue', { classId: T.cls }]] as const) {
          const r = await t.rpc(c, method, input);
          expect(r.status, `${login} ${method}`).toBe(403);
          // A family is refused as for any list of the school (R-PRIVACY), staff by the accounts rule.
          expect(r.body.error?.requirement).toBe(login === 'parent' ? 'R-PRIVACY' : 'R-ACCOUNTS');
        }
      }
    });

    it('sign-in history: each attempt on an account with where from and how it ended; the owner sees their own (п. 10.3)', async () => {
      const t = await open();
      expect((await t.login('teacher', 'не тот пароль')).status).toBe(401);
      const teacher = await t.cookie('teacher');
      const admin = await t.cookie('admin');
      await ok(t, admin, 'account.block', { id: T.teacherAcc, blocked: true, reason: 'отпуск' });
      expect((await t.login('teacher')).status).toBe(403);
      expect((await t.login('nobody-here', 'x')).status).toBe(401);
      const history = async (cookie: string, id: string) => t.server.app.inject({ method: 'GET', url: `/api/v1/accounts/${id}/signins`, headers: { cookie } });
      await t.server.auth.historyWritten(); // the rows are written without the login waiting for them
      const rows = ((await history(admin, T.teacherAcc)).json() as { value: { logins: { outcome: string; kind: string; address: string }[] } }).value.logins;
      expect(rows.map((r) => r.outcome).sort()).toEqual(['blocked', 'ok', 'wrong_password']);
      expect(rows.every((r) => r.kind === 'cookie' && r.address.length > 0)).toBe(true);
      // The teacher's session ended with the block; the deputy may not look at another's history, but at their own.
      const deputy = await t.cookie('deputy');
      expect((await history(deputy, T.teacherAcc)).statusCode).toBe(403);
      expect((await history(deputy, T.deputy)).statusCode).toBe(200);
      expect((await history(admin, 'acc-nobody')).statusCode).toBe(404);
      expect((await history(teacher, T.teacherAcc)).statusCode).toBe(401);
    });

    it('a login another school on the server has is refused as that one change, named; the rest of its batch is written (logins are unique per server)', async () => {
      const t = await open({ schools: [{ id: 'tiny', file: schoolFile() }, { id: 'other', file: schoolFile({ prefix: 'b.', device: 'dev2' }) }] });
      const admin = await t.cookie('b.admin');
      await ok(t, admin, 'staff.set', { id: 'st-new', lastName: 'Вэнго', firstName: 'Нина', position: 'учитель музыки' });
      // Sent together, so that the server writes them as one batch.
      const [taken, other] = await Promise.all([
        t.rpc(admin, 'account.create', { personKind: 'staff', personId: 'st-new', roles: ['teacher'], login: 'teacher' }),
        t.rpc(admin, 'staff.set', { id: 'st-new2', lastName: 'Яр', firstName: 'Ольга', position: 'библиотекарь' }),
      ]);
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Логин «teacher» уже занят в другой школе') });
      expect(other.body).toMatchObject({ ok: true, value: { ops: 1 } });
      const setup = await ok(t, admin, 'setup.get', {}) as { staff: { id: string; accountId: string | null }[] };
      expect(setup.staff.find((s) => s.id === 'st-new2')).toBeDefined();
      expect(setup.staff.find((s) => s.id === 'st-new')?.accountId).toBeNull();
      // The teacher of the first school still signs in as before.
      expect((await t.login('teacher')).status).toBe(200);
    });

    it('slips for a class: every parent without a password once; again only the unused one-time ones (п. 9.6)', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      // 5А: s-1 has a parent with an account and a password (p-1); two more parents without accounts.
      await ok(t, admin, 'parent.set', { id: 'p-3', lastName: 'Вануйто', firstName: 'Сергей' });
      await ok(t, admin, 'parent.link', { parentId: 'p-3', studentId: T.students[1], relation: 'отец' });
      await ok(t, admin, 'parent.set', { id: 'p-4', lastName: 'Ёлкин', firstName: 'Иван' });
      await ok(t, admin, 'parent.link', { parentId: 'p-4', studentId: T.students[2] });
      const first = await ok(t, admin, 'accounts.issue', { classId: T.cls, who: 'parents', address: 'https://dnevnik.example.ru' });
      expect(first.accounts).toBe(2);
      expect(first.pages).toBe(1);
      expect(Buffer.from(first.pdfBase64 as string, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
      const again = await ok(t, admin, 'accounts.issue', { classId: T.cls, who: 'parents' });
      expect(again.accounts).toBe(0);
      const lost = await ok(t, admin, 'accounts.issue', { classId: T.cls, who: 'parents', again: true });
      expect(lost.accounts).toBe(2);
      // p-1 chose a password long ago: never touched in bulk.
      expect((await t.login('parent', PASSWORD)).status).toBe(200);
      const roster = await ok(t, admin, 'class.roster', { classId: T.cls }) as { students: { parents: { id: string; login: string | null }[] }[] };
      const logins = roster.students.flatMap((s) => s.parents).filter((p) => p.id === 'p-3' || p.id === 'p-4').map((p) => p.login);
      expect(logins).toHaveLength(2);
      expect(new Set(logins).size).toBe(2);
      for (const l of logins) expect(l).toMatch(/^(vanuito\.s|elkin\.i)\d{4}$/);
    });
  });
}
