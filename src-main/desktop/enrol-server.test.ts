/**
 * Enrolment of a fresh school computer against the real server on a loopback port: the
 * administrator's login, `POST /api/v1/devices` with this journal's device id, the token kept
 * encrypted, the first sync bringing the school, then a teacher's login — a sign-in on the computer
 * the server must see (docs/security.md): without a connection and never signed in here online it
 * only reads; online, its change is pushed with the device token; offline afterwards, the sign-in
 * is proved with the account's key. And the errors an enrolling user meets, each one Russian line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowAll, submit } from '../commands/execute';
import { draft } from '../journal/log';
import { openJournal, type Journal } from '../journal/open';
import { PASSWORD, TEST_COST, schoolFile, startServer, type TestServer } from '../../test/support/server';
import { storeKinds, removeTempDirs, tempDir, type StoreHandle } from '../../test/support/stores';
import { fixedClock, T } from '../../test/support/tiny-school';
import { realTimers } from './lock';
import { loadEnrolment, saveEnrolment, type Cipher } from './device';
import { ENROL_MESSAGES, enrolThisComputer, type Enrolment } from './enrol';
import { DesktopSession, LOGIN_MESSAGES } from './session';
import { computerSignin } from './computer-signin';
import type { SyncFetch } from '../sync/client';
import { DesktopSync, type SyncStatus } from './sync';

/** Stands in for safeStorage: reversible, but never the clear text on disk. */
const cipher: Cipher = {
  encrypt: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

let h: StoreHandle;
let t: TestServer;
let url: string;

beforeAll(async () => {
  h = await storeKinds()[0]!.open();
  t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
  url = (await t.server.listen(0, '127.0.0.1')).replace(/\/+$/, '');
}, 60_000);

afterAll(async () => {
  await t?.close();
  await h?.cleanup();
  removeTempDirs();
});

/** A fresh installation: an empty journal in a user-data folder of its own. */
function freshComputer() {
  const dir = tempDir('ejournal-desk-');
  const journal = openJournal(join(dir, 'journal.sqlite'), { create: true });
  const deviceFile = join(dir, 'device.json');
  let enrolment: Enrolment | null = null;
  const enrol = (i: { serverUrl: string; login: string; password: string; name: string }) => enrolThisComputer({
    fetch,
    journal: { device: journal.device, meta: (k) => journal.meta(k), setMeta: (k, v) => journal.setMeta(k, v), opCount: () => journal.stmt('SELECT count(*) FROM op_log').pluck().get() as number },
    save: (e) => { saveEnrolment(deviceFile, e, cipher); enrolment = e; },
  }, i);
  return { journal, deviceFile, enrol, enrolment: () => enrolment };
}

const close = (j: Journal) => j.close();
/** Node's fetch as the sync client's transport (a gzipped push body is bytes). */
const syncFetch: SyncFetch = (u, init) => fetch(u, {
  method: init.method, headers: init.headers,
  ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) }),
});

describe('enrolling a school computer (real server on loopback)', () => {
  it('registers this journal\'s device, keeps the token encrypted, the first sync brings the school; a teacher\'s change goes up with the device token', async () => {
    const c = freshComputer();
    try {
      const r = await c.enrol({ serverUrl: `${url}/`, login: 'admin', password: PASSWORD, name: 'Кабинет 12' });
      expect(r).toMatchObject({ ok: true, value: { schoolId: 'tiny', deviceId: c.journal.device, name: 'Кабинет 12', serverUrl: url } });
      if (!r.ok) return;
      expect(r.value.token).toMatch(/^d\.tiny\./);
      expect(c.journal.meta('school_id')).toBe('tiny');
      // The token is on disk only encrypted, and it reads back.
      const onDisk = readFileSync(c.deviceFile, 'utf8');
      expect(onDisk).not.toContain(r.value.token);
      expect(loadEnrolment(c.deviceFile, cipher)).toEqual(r.value);
      // The server knows the computer under this journal's device id.
      const admin = await t.cookie('admin');
      const list = await t.server.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: admin } });
      expect((list.json() as { value: { deviceId: string; name: string }[] }).value).toContainEqual(expect.objectContaining({ deviceId: c.journal.device, name: 'Кабинет 12' }));

      // The first sync (what the shell does right after enrolment).
      const published: SyncStatus[] = [];
      const clock = fixedClock('2026-09-10T04:30:00.000Z');
      let account: string | null = null;
      const sync = new DesktopSync({ journal: c.journal, clock, fetch: syncFetch, timers: realTimers, enrolment: c.enrolment, account: () => account, publish: (s) => published.push(s) });
      await sync.start();
      expect(sync.report).toMatchObject({ ok: true, rejected: 0 });
      // The school arrives as a snapshot (bootstrap) at the server's head, not op by op.
      expect(sync.report!.snapshotSeq).toBeGreaterThan(40);
      expect(sync.report!.checksumMatch).toBe(true);
      expect(sync.status()).toMatchObject({ enrolled: true, lastAt: '2026-09-10T04:30:00.000Z', pending: 0, lastError: null, skewMs: 0, failures: 0 });

      // A login on the enrolled computer is also a sign-in on it (the shell's `online`); the link can be cut.
      let linkUp = false;
      const dead: typeof fetch = () => Promise.reject(new Error('ECONNREFUSED'));
      const session = new DesktopSession({
        journal: c.journal, clock, passwordCost: TEST_COST,
        online: () => computerSignin((u, init) => (linkUp ? fetch : dead)(u, init), c.journal, c.enrolment()!),
      });
      const signinsOnServer = async () => (await t.server.store.signins('tiny', { deviceId: c.journal.device, accountId: T.teacherAcc }, 10)).map((x) => x.method);
      // The teacher logs in with no connection (the accounts came with the first sync), never signed in
      // here online: nothing can prove the sign-in to the server, so the session reads but changes nothing.
      expect(await session.login('teacher', PASSWORD)).toEqual({ ok: true, value: null });
      expect(session.isReadOnly).toBe(true);
      expect(await session.call('lesson.update', { id: T.lessons[0], topic: 'Имя существительное' })).toEqual({ ok: false, error: { code: 'forbidden', message: LOGIN_MESSAGES.readOnly } });
      expect(sync.status().pending).toBe(0);
      expect(await signinsOnServer()).toEqual([]);
      // With the connection: an online sign-in (the server checks the password), then the change.
      linkUp = true;
      expect(await session.login('teacher', PASSWORD)).toEqual({ ok: true, value: null });
      expect(session.isReadOnly).toBe(false);
      expect(await signinsOnServer()).toEqual(['online']);
      account = session.accountId;
      expect(await session.call('lesson.update', { id: T.lessons[0], topic: 'Имя существительное' })).toMatchObject({ ok: true });
      expect(sync.status().pending).toBe(1);
      await sync.runNow();
      expect(sync.report).toMatchObject({ ok: true, pushed: 1 });
      expect(sync.status()).toMatchObject({ pending: 0, lastError: null, rejected: [] });
      const replica = (await t.server.schools.find('tiny'))!;
      expect(replica.view.stmt('SELECT topic FROM lesson WHERE id = ?').pluck().get(T.lessons[0])).toBe('Имя существительное');
      expect(published.length).toBeGreaterThan(2);
      // Ten minutes later, offline again: the sign-in is proved with the teacher's key for this computer
      // (kept under the password at the online sign-in) and travels with the next push.
      linkUp = false;
      clock.set('2026-09-10T04:40:00.000Z');
      t.clock.set('2026-09-10T04:40:00.000Z');
      expect(await session.login('teacher', PASSWORD)).toEqual({ ok: true, value: null });
      expect(session.isReadOnly).toBe(false);
      expect(await session.call('lesson.update', { id: T.lessons[0], topic: 'Имя прилагательное' })).toMatchObject({ ok: true });
      await sync.runNow();
      expect(sync.report).toMatchObject({ ok: true, pushed: 1, rejected: 0 });
      expect(await signinsOnServer()).toEqual(expect.arrayContaining(['online', 'offline']));
      expect(replica.view.stmt('SELECT topic FROM lesson WHERE id = ?').pluck().get(T.lessons[0])).toBe('Имя прилагательное');
      await sync.drain();

      // Enrolled once: the same journal is not registered a second time under another school.
      const again = await c.enrol({ serverUrl: url, login: 'admin', password: PASSWORD, name: 'Кабинет 12' });
      expect(again.ok).toBe(false);
    } finally {
      close(c.journal);
    }
  }, 60_000);

  it('says each error in one Russian line: wrong password, a family\'s account, server unreachable, not a journal server', async () => {
    const c = freshComputer();
    try {
      expect(await c.enrol({ serverUrl: url, login: 'admin', password: 'не тот', name: 'Кабинет 3' }))
        .toEqual({ ok: false, error: expect.objectContaining({ message: 'Неверный логин или пароль' }) });
      // Staff of the roles the school allows enrol (server.test.ts); a parent never does (п. 9.6).
      const parent = await c.enrol({ serverUrl: url, login: 'parent', password: PASSWORD, name: 'Кабинет 3' });
      expect(parent).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!parent.ok) expect(parent.error.message).toMatch(/могут только работники с ролью, разрешённой школой.*родители и обучающиеся — никогда/);
      // A port nobody listens on.
      const dead = await c.enrol({ serverUrl: 'http://127.0.0.1:9/', login: 'admin', password: PASSWORD, name: 'Кабинет 3' });
      expect(dead).toEqual({ ok: false, error: { code: 'internal', message: ENROL_MESSAGES.unreachable } });
      // Something that answers, but not with the journal's envelope (the update feed's 404 page here).
      const other = await c.enrol({ serverUrl: `${url}/updates/nothing`, login: 'admin', password: PASSWORD, name: 'Кабинет 3' });
      expect(other.ok).toBe(false);
      expect(c.enrolment()).toBeNull();
      expect(c.journal.meta('school_id')).toBeUndefined();
    } finally {
      close(c.journal);
    }
  }, 60_000);

  it('does not enrol a computer whose journal already holds records of no school (a copied demo)', async () => {
    const c = freshComputer();
    try {
      submit({ journal: c.journal, actor: { accountId: 'acc-x' }, clock: fixedClock(), guard: allowAll }, draft('school.set', { name: 'Демо', timezone: 'Europe/Moscow' }));
      const r = await c.enrol({ serverUrl: url, login: 'admin', password: PASSWORD, name: 'Кабинет 4' });
      expect(r).toEqual({ ok: false, error: { code: 'conflict', message: ENROL_MESSAGES.notFresh } });
      const admin = await t.cookie('admin');
      const list = await t.server.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: admin } });
      expect((list.json() as { value: { deviceId: string }[] }).value.map((d) => d.deviceId)).not.toContain(c.journal.device);
    } finally {
      close(c.journal);
    }
  }, 60_000);
});
