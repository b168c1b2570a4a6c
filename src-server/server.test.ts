/**
 * The server end to end over HTTP (Fastify inject), against both stores: SQLite always,
 * PostgreSQL when DATABASE_URL is set (required under CI=true). The tiny school
 * (test/support/tiny-school.ts): lesson l-0910 is 09:20–10:00 school time (UTC+5) on 10 September.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stateChecksum } from '../src-main/journal/checksum';
import { submit } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft } from '../src-main/journal/log';
import { METHOD_NAMES, methods } from '../src-shared/contract/methods';
import { isQueryName } from '../src-shared/policy/queries';
import { T } from '../test/support/tiny-school';
import { storeKinds, tempDir, type StoreHandle, removeTempDirs } from '../test/support/stores';
import { captureLog, schoolFile, startServer, type TestServer } from '../test/support/server';

afterAll(removeTempDirs);

const [s1, s2, s3] = T.students;
const [l0910] = T.lessons;
const mark = (studentId: string, value: string, lessonId: string = l0910) => ({ lessonId, marks: [{ studentId, value }] });

describe('the contract on the server', () => {
  it('reads (policy queries) go to the read-only replica, everything else is a change with ops', () => {
    // The server routes reads to a read-only connection and changes through the group commit:
    // a method that is a query must not write, a method that writes must answer { ops, warnings }.
    for (const m of METHOD_NAMES) {
      const shape = (methods[m].output as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      expect('ops' in shape, m).toBe(!isQueryName(m));
    }
  });
});

for (const kind of storeKinds()) {
  describe(`server over HTTP: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });
    async function open(o: Parameters<typeof startServer>[1] = {}) {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }], ...o });
      servers.push(t);
      return { h, t };
    }
    /** Another server on the same store (a restart, or a second node), with its own data dir. */
    async function another(h: StoreHandle, dataDir = tempDir(), o: Parameters<typeof startServer>[1] = {}) {
      const store = await h.reopen();
      const t = await startServer({ ...h, store, dataDir }, o);
      servers.push(t);
      return t;
    }

    it('answers health and an OpenAPI document generated from the contract', async () => {
      const { t } = await open();
      const health = await t.server.app.inject({ url: '/api/v1/health' });
      expect(health.json()).toMatchObject({ ok: true, value: { status: 'ok', store: kind.name, schools: 1 } });
      const spec = (await t.server.app.inject({ url: '/api/v1/openapi.json' })).json() as { openapi: string; paths: Record<string, { post?: { requestBody: unknown } }> };
      expect(spec.openapi).toBe('3.1.0');
      for (const m of METHOD_NAMES) expect(spec.paths[`/api/v1/rpc/${m}`]?.post?.requestBody, m).toBeDefined();
      expect(spec.paths['/api/v1/auth/login']).toBeDefined();
    });

    it('runs a teacher\'s mark through dispatch → policy → rules, into the log, and the parent sees it at once', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      const parent = await t.cookie('parent');
      const week = { studentId: s1, week: '2026-09-07' };
      const marksOf = (r: Awaited<ReturnType<TestServer['rpc']>>) =>
        (r.body.value as { days: { lessons: { lessonId: string; marks: { value: string }[] }[] }[] }).days.flatMap((d) => d.lessons).find((l) => l.lessonId === l0910)!.marks.map((m) => m.value);
      expect(marksOf(await t.rpc(parent, 'diary.week', week))).toEqual([]); // now in the read cache
      const before = (await h.store.school('tiny'))!.head;
      const r = await t.rpc(teacher, 'mark.set', mark(s1, '5/4'));
      expect(r).toMatchObject({ status: 200, body: { ok: true, value: { ops: 1 } } });
      const [logged] = await h.store.readSince('tiny', before, 10);
      expect(logged).toMatchObject({ serverSeq: before + 1, device: 'srv-tiny', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(s1, '5/4') });
      const replica = await t.server.schools.get('tiny');
      expect(replica.serverSeq).toBe(before + 1);
      expect(replica.view.sqlite.prepare("SELECT server_seq FROM op_log WHERE device = 'srv-tiny'").pluck().all()).toEqual([before + 1]);
      expect(replica.view.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);

      const diary = await t.rpc(parent, 'diary.week', week);
      expect(diary.status).toBe(200);
      expect(marksOf(diary)).toEqual(['5/4']);
    });

    it('refuses by the regulation with a clause-citing 422 and appends nothing', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      const head = (await h.store.school('tiny'))!.head;
      const r = await t.rpc(teacher, 'mark.set', mark(s1, '2'));
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'refused', requirement: 'R-ADAPTATION' });
      expect(r.body.error!.message).toMatch(/п\. 7\.14/);
      expect((await h.store.school('tiny'))!.head).toBe(head);
    });

    it('group-commits concurrent commands: every one answered, contiguous server seqs, replica == the log rebuilt', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      const head = (await h.store.school('tiny'))!.head;
      const values = ['5', '4', '3', '5/4', '4/3'];
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => t.rpc(teacher, 'mark.set', i % 8 === 7 ? mark(s1, '2') : mark([s1, s2, s3][i % 3]!, values[i % 5]!))));
      const okCount = results.filter((r) => r.body.ok).length;
      expect(results.filter((r) => !r.body.ok).every((r) => r.status === 422)).toBe(true);
      expect(okCount).toBe(21);
      const log = await h.store.readSince('tiny', head, 100);
      expect(log.map((o) => o.serverSeq)).toEqual(Array.from({ length: okCount }, (_, i) => head + i + 1));
      expect(log.map((o) => o.seq)).toEqual(Array.from({ length: okCount }, (_, i) => i + 1));
      const replica = await t.server.schools.get('tiny');
      const rebuilt = await another(h);
      expect(stateChecksum((await rebuilt.server.schools.get('tiny')).view.sqlite)).toBe(stateChecksum(replica.view.sqlite));
    });

    it('restarts fast from its replica file, rebuilds a missing or corrupt one, and bootstraps from a snapshot', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      expect((await t.rpc(teacher, 'mark.set', mark(s1, '5'))).status).toBe(200);
      const first = await t.server.schools.get('tiny');
      const checksum = stateChecksum(first.view.sqlite);
      const file = first.file;
      await servers.splice(servers.indexOf(t), 1)[0]!.close();

      // Restart on the same data dir: the replica is reused, nothing replayed.
      const { logger, capture } = captureLog();
      const again = await another(h, h.dataDir, { logger });
      expect(capture.text()).not.toMatch(/replica rebuilt/);
      expect(stateChecksum((await again.server.schools.get('tiny')).view.sqlite)).toBe(checksum);
      // New ops keep the server device's seq and ids going after a restart.
      expect((await again.rpc(await again.cookie('teacher'), 'mark.set', mark(s2, '4'))).status).toBe(200);
      const snapSeq = await (await again.server.schools.get('tiny')).snapshot();
      expect(snapSeq).toBe((await again.server.store.school('tiny'))!.head);
      expect((await again.rpc(await again.cookie('teacher'), 'mark.set', mark(s3, '3'))).status).toBe(200);
      const after = stateChecksum((await again.server.schools.get('tiny')).view.sqlite);
      await servers.splice(servers.indexOf(again), 1)[0]!.close();

      // A corrupt replica file is discarded and rebuilt from the store (snapshot, then the log).
      writeFileSync(file, 'это не база данных');
      rmSync(`${file}-wal`, { force: true });
      const log2 = captureLog();
      const repaired = await another(h, h.dataDir, { logger: log2.logger });
      expect(log2.capture.text()).toMatch(/replica unreadable/);
      expect(log2.capture.text()).toMatch(/"fromSnapshot":true/);
      const r2 = await repaired.server.schools.get('tiny');
      expect(stateChecksum(r2.view.sqlite)).toBe(after);
      expect(r2.serverSeq).toBe((await repaired.server.store.school('tiny'))!.head);
      // …and its device counters continue after its own ops that came back from the log.
      expect((await repaired.rpc(await repaired.cookie('teacher'), 'correction.request', { target: { kind: 'mark', lessonId: l0910, studentId: s1 }, value: '4', reason: 'ошибка' })).body)
        .toMatchObject({ ok: true, value: { id: 'srv-tiny-1' } });
      expect((await repaired.rpc(await repaired.cookie('teacher'), 'correction.request', { target: { kind: 'mark', lessonId: l0910, studentId: s2 }, value: '5', reason: 'ошибка' })).body)
        .toMatchObject({ ok: true, value: { id: 'srv-tiny-2' } });
      await servers.splice(servers.indexOf(repaired), 1)[0]!.close();

      // A missing replica (a new node): from the store alone.
      const fresh = await another(h);
      expect(existsSync(file)).toBe(true);
      const r3 = await fresh.server.schools.get('tiny');
      expect(r3.serverSeq).toBe((await fresh.server.store.school('tiny'))!.head);
      expect((await fresh.rpc(await fresh.cookie('teacher'), 'correction.request', { target: { kind: 'mark', lessonId: l0910, studentId: s3 }, value: '5', reason: 'ошибка' })).body)
        .toMatchObject({ ok: true, value: { id: 'srv-tiny-3' } });
    });

    it('answers a store failure with a Russian 500, changes nothing, and recovers', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      const replica = await t.server.schools.get('tiny');
      const before = stateChecksum(replica.view.sqlite);
      const head = (await h.store.school('tiny'))!.head;
      const append = h.store.append.bind(h.store);
      h.store.append = async () => { throw new Error('диск отключён'); };
      const r = await t.rpc(teacher, 'mark.set', mark(s1, '5'));
      expect(r.status).toBe(500);
      expect(r.body.error!.message).toMatch(/не смог сохранить изменение/);
      expect(stateChecksum(replica.view.sqlite)).toBe(before);
      h.store.append = append;
      expect((await t.rpc(teacher, 'mark.set', mark(s1, '4'))).status).toBe(200);
      const log = await h.store.readSince('tiny', head, 10);
      expect(log.map((o) => [o.serverSeq, o.seq])).toEqual([[head + 1, 1]]);
    });

    it('catches up when another writer appended to the school (a second node), then commits', async () => {
      const { h, t } = await open();
      const teacher = await t.cookie('teacher');
      const head = (await h.store.school('tiny'))!.head;
      await h.store.append('tiny', [{ device: 'pc-other', seq: 1, author: T.teacherAcc, kind: 'mark.set', version: 1, hlc: '2026-09-10T04:29:00.000Z-0000', payload: mark(s3, '3') as never }], { receivedAt: '2026-09-10T04:29:30.000Z' });
      expect((await t.rpc(teacher, 'mark.set', mark(s1, '5'))).status).toBe(200);
      const replica = await t.server.schools.get('tiny');
      expect(replica.serverSeq).toBe(head + 2);
      const g = await t.rpc(teacher, 'gradebook.get', { courseId: T.course, periodId: T.period1 });
      expect((g.body.value as { marks: { studentId: string; value: string }[] }).marks.map((m) => [m.studentId, m.value]).sort()).toEqual([[s1, '5'], [s3, '3']]);
    });

    it('hosts several schools: logins unique per server, a session sees only its own school', async () => {
      const { h, t } = await open();
      await t.server.schools.importJournal({ schoolId: 'second', file: schoolFile({ prefix: 'b.', device: 'dev2' }) });
      const a = await t.login('teacher');
      const b = await t.login('b.teacher');
      expect([a.body.value, b.body.value]).toMatchObject([{ schoolId: 'tiny' }, { schoolId: 'second' }]);
      expect((await t.rpc(b.cookie, 'mark.set', mark(s2, '5'))).status).toBe(200);
      const ga = await t.rpc(a.cookie, 'gradebook.get', { courseId: T.course, periodId: T.period1 });
      expect((ga.body.value as { marks: unknown[] }).marks).toEqual([]);
      const gb = await t.rpc(b.cookie, 'gradebook.get', { courseId: T.course, periodId: T.period1 });
      expect((gb.body.value as { marks: unknown[] }).marks).toHaveLength(1);
      // A third school reusing logins of the first is refused before anything is written.
      await expect(t.server.schools.importJournal({ schoolId: 'third', file: schoolFile() })).rejects.toThrow(/Логин «admin» уже занят/);
      expect(await h.store.school('third')).toBeUndefined();
      expect((await h.store.schools()).map((s) => s.schoolId)).toEqual(['second', 'tiny']);
    });

    it('gives desktops a bearer token and enrolls school computers (staff of the roles the school allows, never a family)', async () => {
      const { t } = await open();
      const login = await t.login('admin', undefined, { session: 'bearer' });
      expect(login.cookie).toBeUndefined();
      const token = (login.body.value as { token: string }).token;
      expect(token).toMatch(/^s\.tiny\./);
      const auth = { authorization: `Bearer ${token}` };
      expect((await t.server.app.inject({ url: '/api/v1/auth/me', headers: auth })).json()).toMatchObject({ ok: true, value: { login: 'admin', roles: ['admin'] } });
      // A bearer token is not a cookie (and a cookie is not a bearer token).
      expect((await t.server.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `ej_session=${token}` } })).statusCode).toBe(401);

      const enroll = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: auth, payload: { name: 'Кабинет 12', deviceId: 'k12abc' } });
      expect(enroll.json()).toMatchObject({ ok: true, value: { schoolId: 'tiny', deviceId: 'k12abc' } });
      const deviceToken = (enroll.json() as { value: { token: string } }).value.token;
      expect(deviceToken).toMatch(/^d\.tiny\./);
      const self = await t.server.app.inject({ url: '/api/v1/devices/self', headers: { authorization: `Bearer ${deviceToken}` } });
      expect(self.json()).toMatchObject({ ok: true, value: { deviceId: 'k12abc', name: 'Кабинет 12' } });
      expect((await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: auth, payload: { name: 'ещё раз', deviceId: 'k12abc' } })).statusCode).toBe(409);
      const list = (await t.server.app.inject({ url: '/api/v1/devices', headers: auth })).json() as { value: Record<string, unknown>[] };
      expect(list.value).toHaveLength(1);
      expect(list.value[0]).not.toHaveProperty('tokenHash');
      // A device token is no session, a session token is no device token.
      expect((await t.server.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${deviceToken}` } })).statusCode).toBe(401);
      expect((await t.server.app.inject({ url: '/api/v1/devices/self', headers: auth })).statusCode).toBe(401);

      // Staff of a role in `sync.enrolRoles` (by default every staff role) enrol a computer and are signed in on it.
      const teacher = await t.cookie('teacher');
      const own = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie: teacher }, payload: { name: 'Кабинет 5' } });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toMatchObject({ ok: true, value: { schoolId: 'tiny', accountId: T.teacherAcc, token: expect.stringMatching(/^d\.tiny\./) } });
      expect((await t.server.store.signins('tiny', { deviceId: (own.json() as { value: { deviceId: string } }).value.deviceId }, 10)).map((x) => x.accountId)).toEqual([T.teacherAcc]);
      // A family never enrols (R-PRIVACY, п. 9.6).
      for (const login of ['parent', 'parent2']) {
        const family = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie: await t.cookie(login) }, payload: { name: 'Домашний компьютер' } });
        expect(family.statusCode, login).toBe(403);
        expect(family.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      // A school that keeps enrolment to its administrator: the teacher is refused.
      const replica = await t.server.schools.get('tiny');
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId: T.admin }, clock: t.clock, guard: regulationGuard }, draft('setting.set', { key: 'rules', value: { sync: { enrolRoles: ['admin'] } } }))));
      const refused = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie: teacher }, payload: { name: 'Мой ноутбук' } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', headers: auth, payload: { name: 'Кабинет 14' } })).statusCode).toBe(200);
      expect(((await t.server.app.inject({ url: '/api/v1/devices', headers: auth })).json() as { value: unknown[] }).value).toHaveLength(3);
      expect((await t.server.app.inject({ method: 'POST', url: '/api/v1/devices/k12abc/revoke', headers: auth, payload: {} })).statusCode).toBe(200);
      expect((await t.server.app.inject({ url: '/api/v1/devices/self', headers: { authorization: `Bearer ${deviceToken}` } })).statusCode).toBe(401);
    });

    it('applies an administrator\'s change through the locked replica (the seam sync builds on)', async () => {
      const { h, t } = await open();
      const replica = await t.server.schools.get('tiny');
      const head = (await h.store.school('tiny'))!.head;
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId: T.admin }, clock: t.clock, guard: regulationGuard }, draft('account.block', { id: T.parent, blocked: true, reason: 'утечка пароля' }))));
      expect((await h.store.readSince('tiny', head, 10)).map((o) => o.kind)).toEqual(['account.block']);
      expect((await t.login('parent')).status).toBe(403);
    });
  });
}
