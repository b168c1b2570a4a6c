/**
 * The sync trust boundary, attacked as its adversaries would (docs/security.md): a curious parent,
 * a teacher who wants to back-date, a leaked device token, a stolen computer. Each test replays a
 * finding of the black-box probe and shows that it fails with nothing lost (R-PRIVACY п. 5.11,
 * R-DATE п. 9.5, R-BREACH п. 10.4, R-ACCOUNTS п. 9.6, 10.1).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseOp, type Op } from '../src-shared/ops/envelope';
import { PROTO, toWire, type PullAnswer, type PushAnswer } from '../src-shared/sync/protocol';
import { openJournal, type Journal } from '../src-main/journal/open';
import { syncChecksum } from '../src-main/journal/checksum';
import { allowAll, submit } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft } from '../src-main/journal/log';
import { cellHistory } from '../src-main/journal/queries';
import { rejectedOps, syncOnce } from '../src-main/sync/client';
import { recordOfflineSignin, signinProof } from '../src-main/sync/signin';
import { httpFetch } from '../src-main/sync/transport';
import { T, fixedClock } from '../test/support/tiny-school';
import { storeKinds, removeTempDirs, type StoreHandle } from '../test/support/stores';
import { deviceToken, schoolFile, signInOnComputer, startServer, type TestServer } from '../test/support/server';
import { WITHHELD_VERIFIER, journalSchema } from './sync/service';
import { DEFAULT_SYNC_QUOTA, type SyncQuotaOptions } from './sync/quota';

afterAll(removeTempDirs);

const SCHEMA = journalSchema();
const wire = (o: Partial<Op> & Pick<Op, 'device' | 'seq' | 'author' | 'kind' | 'payload' | 'hlc'>) => toWire(parseOp({ version: 1, ...o }));
const mark = (lesson: string, studentId: string, value: string) => ({ lessonId: lesson, marks: [{ studentId, value }] });
const hlc = (iso: string, c = 0) => `${iso}-${c.toString(36).padStart(4, '0')}`;

for (const kind of storeKinds()) {
  describe(`the sync trust boundary: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    const journals: Journal[] = [];
    afterEach(async () => {
      for (const j of journals.splice(0)) j.close();
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });
    async function open(o: { at?: string; syncQuota?: SyncQuotaOptions } = {}) {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }], ...(o.at ? { at: o.at } : {}), ...(o.syncQuota ? { syncQuota: o.syncQuota } : {}) });
      servers.push(t);
      return t;
    }
    const head = async (t: TestServer) => (await t.server.store.school('tiny'))!.head;
    const req = (t: TestServer, method: 'GET' | 'POST' | 'PUT', url: string, auth: { bearer?: string; cookie?: string }, payload?: unknown, gz = false) => t.server.app.inject({
      method, url,
      headers: { ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}), ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(gz ? { 'content-type': 'application/json', 'content-encoding': 'gzip' } : {}) },
      ...(payload === undefined ? {} : { payload: gz ? gzipSync(JSON.stringify(payload)) : payload as object }),
    });
    const push = (t: TestServer, token: string, device: string, ops: unknown[], extra: Record<string, unknown> = {}) =>
      req(t, 'POST', '/api/v1/sync/push', { bearer: token }, { proto: PROTO, schema: SCHEMA, device, ops, ...extra }, true);
    const acks = (r: Awaited<ReturnType<typeof push>>) => (r.json() as { value: PushAnswer }).value.acks;
    const serverMark = async (t: TestServer, lesson: string, student: string) => (await t.server.schools.find('tiny'))!.view
      .stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(lesson, student) as string | undefined;
    const write = async (t: TestServer, accountId: string, d: ReturnType<typeof draft>) => {
      const replica = (await t.server.schools.find('tiny'))!;
      await replica.exclusive((r) => r.write((j) => submit({ journal: j, actor: { accountId }, clock: t.clock, guard: allowAll }, d)));
    };

    it('a parent gets neither the log, nor the school\'s snapshot, nor a computer of their own — with a cookie or a bearer token (R-PRIVACY, п. 5.11)', async () => {
      const t = await open();
      const before = await head(t);
      const cookie = await t.cookie('parent');
      const bearer = ((await t.login('parent', undefined, { session: 'bearer' })).body.value as { token: string }).token;
      for (const auth of [{ cookie }, { bearer }]) {
        for (const [method, url] of [['GET', '/api/v1/sync/pull?after=0&proto=3&schema=6'], ['GET', '/api/v1/sync/snapshot'], ['GET', '/api/v1/sync/private']] as const) {
          const r = await req(t, method, url, auth);
          expect([r.statusCode, r.json().error.code], `${url} ${Object.keys(auth)[0]}`).toEqual([403, 'forbidden']);
          expect(r.body).not.toContain('scrypt$');
        }
        const p = await push(t, auth.bearer ?? '', 'pc-parent', [wire({ device: 'pc-parent', seq: 1, author: T.parent, kind: 'diary.ack', payload: { studentId: T.students[0] }, hlc: hlc('2026-09-10T04:30:00.000Z') })]);
        expect(p.statusCode).toBeGreaterThanOrEqual(401);
      }
      const enrol = await req(t, 'POST', '/api/v1/devices', { cookie }, { name: 'Мой ноутбук' });
      expect([enrol.statusCode, enrol.json().error.message]).toEqual([403, expect.stringContaining('родители и обучающиеся — никогда')]);
      expect(await head(t)).toBe(before);
    });

    it('a seq takeover under another computer\'s id is refused, and that computer\'s real op arrives (finding 2)', async () => {
      const t = await open();
      const victim = await deviceToken(t, 'pc-victim');
      const thief = await deviceToken(t, 'pc-thief');
      const at = hlc('2026-09-10T05:10:00.000Z');
      const forged = wire({ device: 'pc-victim', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '3'), hlc: at });
      const r1 = await push(t, thief, 'pc-victim', [forged]);
      expect([r1.statusCode, r1.json().error.code]).toEqual([403, 'forbidden']);
      const r2 = await push(t, thief, 'pc-thief', [forged]);
      expect(acks(r2)).toEqual([expect.objectContaining({ status: 'rejected', code: 'forged' })]);
      expect(await t.server.store.lastSeq('tiny', 'pc-victim')).toBe(0);
      const real = wire({ device: 'pc-victim', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '5'), hlc: at });
      t.clock.set('2026-09-10T05:15:00.000Z');
      expect(acks(await push(t, victim, 'pc-victim', [real]))).toEqual([expect.objectContaining({ seq: 1, status: 'accepted' })]);
      expect(await serverMark(t, T.lessons[0], T.students[0])).toBe('5');
    });

    it('a 13-day back-dated mark is refused as back-dated, while a genuine offline mark synced 5 days later is accepted (R-DATE, п. 9.5)', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1');
      // Genuine: entered during the lesson's day on a computer that was offline, pushed 5 days later.
      t.clock.set('2026-09-15T05:00:00.000Z');
      const genuine = wire({ device: 'pc1', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '5'), hlc: hlc('2026-09-10T05:30:00.000Z') });
      expect(acks(await push(t, pc, 'pc1', [genuine]))).toEqual([expect.objectContaining({ status: 'accepted' })]);
      expect(await serverMark(t, T.lessons[0], T.students[0])).toBe('5');
      // The computer works on; on 23 September it has pushed that day's work.
      t.clock.set('2026-09-23T06:00:00.000Z');
      const today = wire({ device: 'pc1', seq: 2, author: T.admin, kind: 'school.set', payload: { name: 'МБОУ «Тестовая СОШ»', timezone: 'Asia/Yekaterinburg' }, hlc: hlc('2026-09-23T05:59:00.000Z') });
      expect(acks(await push(t, pc, 'pc1', [today]))).toEqual([expect.objectContaining({ status: 'accepted' })]);
      // Back-dating: a mark claiming 10 September (inside that day's entry window), 13 days late.
      const back = wire({ device: 'pc1', seq: 3, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[1], '4'), hlc: hlc('2026-09-10T06:00:00.000Z') });
      const before = await head(t);
      expect(acks(await push(t, pc, 'pc1', [back]))).toEqual([expect.objectContaining({ status: 'rejected', code: 'backdated', requirement: 'R-DATE', clause: 'п. 9.5' })]);
      expect(await head(t)).toBe(before);
      expect(await serverMark(t, T.lessons[0], T.students[1])).toBeUndefined();
    });

    it('a clock a year ahead opens no window and is not shown: the op is judged, logged and shown at its receipt', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1');
      t.clock.set('2026-09-10T05:20:00.000Z');
      const ahead = wire({ device: 'pc1', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '4'), hlc: hlc('2027-09-10T05:20:00.000Z') });
      const [ack] = acks(await push(t, pc, 'pc1', [ahead]));
      expect(ack).toMatchObject({ status: 'accepted', hlc: hlc('2026-09-10T05:20:00.000Z') });
      const [logged] = await t.server.store.readSince('tiny', (await head(t)) - 1, 10);
      expect(logged!.hlc).toBe(hlc('2026-09-10T05:20:00.000Z'));
      const history = cellHistory((await t.server.schools.find('tiny'))!.view, { lessonId: T.lessons[0], studentId: T.students[0] });
      expect(history.at(-1)!.at).toBe('2026-09-10T05:20:00.000Z');
    });

    it('a computer whose clock runs 2 min ahead and does not say so: the judged stamp comes back (also to a resent op) and its state equals the server\'s', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1');
      const server = await t.server.listen(0, '127.0.0.1');
      const j = openJournal(':memory:', { create: true, device: 'pc1', durability: 'off' });
      journals.push(j);
      const ahead = fixedClock('2026-09-10T05:22:00.000Z');
      t.clock.set('2026-09-10T05:20:00.000Z');
      expect((await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: t.clock, snapshot: {} })).ok).toBe(true);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: ahead, guard: regulationGuard }, draft('mark.set', mark(T.lessons[0], T.students[0], '4')));
      // An old client that reports no clock: the op is capped at its receipt, 2 min back.
      const op = j.stmt("SELECT device, seq, author, kind, version, hlc, payload FROM op_log WHERE kind = 'mark.set'").get() as Record<string, unknown>;
      const w = wire({ device: 'pc1', seq: op.seq as number, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '4'), hlc: op.hlc as string });
      const first = acks(await push(t, pc, 'pc1', [w], { clock: undefined }));
      expect(first).toEqual([expect.objectContaining({ status: 'accepted', hlc: hlc('2026-09-10T05:20:00.000Z') })]);
      // The answer was lost: the resent op is a duplicate and still learns the stamp.
      expect(acks(await push(t, pc, 'pc1', [w]))).toEqual([expect.objectContaining({ status: 'duplicate', hlc: hlc('2026-09-10T05:20:00.000Z') })]);
      const r = await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: t.clock, snapshot: {} });
      expect(r).toMatchObject({ ok: true, checksumMatch: true });
      expect(j.stmt("SELECT hlc FROM op_log WHERE kind = 'mark.set'").pluck().get()).toBe(hlc('2026-09-10T05:20:00.000Z'));
    });

    it('a computer whose clock is 4 h slow (and says so) keeps no mark made after the breach report: void on the server and on the computer (R-BREACH, п. 10.4)', async () => {
      const t = await open({ at: '2026-09-10T11:30:00.000Z' });
      const pc = await deviceToken(t, 'pc1');
      const server = await t.server.listen(0, '127.0.0.1');
      const slow = fixedClock('2026-09-10T07:30:00.000Z'); // 4 h behind the server
      const j = openJournal(':memory:', { create: true, device: 'pc1', durability: 'off' });
      journals.push(j);
      expect((await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: slow, snapshot: {} })).ok).toBe(true);
      // 12:00 real time (08:00 on the computer): the leaked account marks after the report at 11:00.
      t.clock.set('2026-09-10T12:00:00.000Z');
      slow.set('2026-09-10T08:00:00.000Z');
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: slow, guard: regulationGuard }, draft('mark.set', mark(T.lessons[0], T.students[0], '4')));
      const pushed = await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: slow, snapshot: {} });
      expect(pushed).toMatchObject({ ok: true, pushed: 1, rejected: 0 });
      // The log keeps the judged moment (12:00), here as on the server.
      expect(j.stmt("SELECT hlc FROM op_log WHERE kind = 'mark.set'").pluck().get()).toBe(hlc('2026-09-10T12:00:00.000Z'));
      // 12:30: the director records the breach, reported to them at 11:00.
      t.clock.set('2026-09-10T12:30:00.000Z');
      await write(t, T.admin, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-10T09:00:00Z', reportedAt: '2026-09-10T11:00:00Z' }));
      expect(await serverMark(t, T.lessons[0], T.students[0])).toBeUndefined();
      slow.set('2026-09-10T08:31:00.000Z');
      const after = await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: slow, snapshot: {} });
      expect(after).toMatchObject({ ok: true, checksumMatch: true });
      expect(j.stmt("SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?").pluck().get(T.lessons[0], T.students[0])).toBeUndefined();
      expect(syncChecksum(j.sqlite)).toBe(await (await t.server.schools.find('tiny'))!.exclusive(async (r) => syncChecksum(r.journal.sqlite)));
    });

    it('a 5 000-op junk push is answered 429 with Retry-After and the log is unchanged (quota)', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1');
      t.clock.set('2026-09-10T05:20:00.000Z');
      const ops = Array.from({ length: 5000 }, (_, i) => wire({ device: 'pc1', seq: i + 1, author: T.teacherAcc, kind: 'lesson.update', payload: { id: T.lessons[0], homework: `№ ${i}` }, hlc: hlc('2026-09-10T05:19:00.000Z', i) }));
      const before = await head(t);
      const r = await push(t, pc, 'pc1', ops);
      expect([r.statusCode, r.json().error.code]).toEqual([429, 'rate_limited']);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(await head(t)).toBe(before);
      expect(await t.server.store.lastSeq('tiny', 'pc1')).toBe(0);
      // An ordinary day's work goes through.
      expect(acks(await push(t, pc, 'pc1', ops.slice(0, 30))).every((a) => a.status === 'accepted')).toBe(true);
    });

    it('changes through the web are bounded per account: a family clicking «Прочитано» in a loop gets 429 and the log stops growing', async () => {
      const t = await open({ syncQuota: { ...DEFAULT_SYNC_QUOTA, webWrites: { max: 5, windowMs: 600_000 } } });
      const cookie = await t.cookie('parent');
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await t.rpc(cookie, 'diary.ack', { studentId: T.students[0] })).status);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const before = await head(t);
      expect((await t.rpc(cookie, 'diary.ack', { studentId: T.students[0] })).body.error!.code).toBe('rate_limited');
      expect(await head(t)).toBe(before);
      // Reads are not counted; another account is not affected.
      expect((await t.rpc(cookie, 'session.get', {})).status).toBe(200);
      expect((await t.rpc(await t.cookie('parent2'), 'diary.ack', { studentId: T.otherStudent })).status).not.toBe(429);
    });

    it('a leaked device token cannot write as anyone who did not sign in there, nor as someone not allowed there (finding 10)', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1', 'Кабинет 5', { as: 'teacher', signIn: [] }); // only the teacher, by enrolling it
      t.clock.set('2026-09-10T05:20:00.000Z');
      const at = '2026-09-10T05:19:00.000Z';
      const asAdmin = wire({ device: 'pc1', seq: 1, author: T.admin, kind: 'school.set', payload: { name: 'Взломано', timezone: 'Asia/Yekaterinburg' }, hlc: hlc(at) });
      // A made-up offline sign-in of the administrator does not help.
      const fake = { account: T.admin, at, proof: 'A'.repeat(43) };
      expect(acks(await push(t, pc, 'pc1', [asAdmin], { signins: [fake] }))).toEqual([expect.objectContaining({ status: 'rejected', code: 'signin_required' })]);
      expect(await t.server.store.signins('tiny', { accountId: T.admin }, 10)).toEqual([]);
      // The teacher's own work from the same computer is taken.
      const own = wire({ device: 'pc1', seq: 2, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '5'), hlc: hlc(at, 1) });
      expect(acks(await push(t, pc, 'pc1', [own]))).toEqual([expect.objectContaining({ status: 'accepted' })]);
      // The administrator limits the computer to the teacher: the deputy, even signed in, is not allowed.
      const admin = await t.cookie('admin');
      expect((await req(t, 'PUT', '/api/v1/devices/pc1/accounts', { cookie: admin }, { accounts: [T.parent] })).statusCode).toBe(400);
      expect((await req(t, 'PUT', '/api/v1/devices/pc1/accounts', { cookie: admin }, { accounts: [T.teacherAcc] })).statusCode).toBe(200);
      const refused = await req(t, 'POST', '/api/v1/sync/signin', { bearer: pc }, { login: 'deputy', password: 'Пароль-школы-7' });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'forbidden']);
      const asDeputy = wire({ device: 'pc1', seq: 3, author: T.deputy, kind: 'lesson.update', payload: { id: T.lessons[0], topic: 'Подмена' }, hlc: hlc(at, 2) });
      expect(acks(await push(t, pc, 'pc1', [asDeputy]))).toEqual([expect.objectContaining({ status: 'rejected', code: 'not_allowed', clause: 'п. 9.6' })]);
    });

    it('an offline sign-in is proved with the key the computer got online, and a copied proof for another moment is refused', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1', 'Кабинет 5', { signIn: [] });
      const { key } = await signInOnComputer(t, pc, 'teacher');
      const at = '2026-09-10T05:00:00.000Z';
      const proof = signinProof(Buffer.from(key, 'base64url'), 'tiny', 'pc1', T.teacherAcc, at);
      t.clock.set('2026-09-10T05:30:00.000Z');
      const op = wire({ device: 'pc1', seq: 1, author: T.teacherAcc, kind: 'lesson.update', payload: { id: T.lessons[0], topic: 'Повторение' }, hlc: hlc('2026-09-10T05:01:00.000Z') });
      const moved = { account: T.teacherAcc, at: '2026-09-10T05:10:00.000Z', proof };
      const future = { account: T.teacherAcc, at: '2026-09-10T06:00:00.000Z', proof: signinProof(Buffer.from(key, 'base64url'), 'tiny', 'pc1', T.teacherAcc, '2026-09-10T06:00:00.000Z') };
      expect(acks(await push(t, pc, 'pc1', [op], { signins: [moved, future, { account: T.teacherAcc, at, proof }] }))).toEqual([expect.objectContaining({ status: 'accepted' })]);
      const recorded = await t.server.store.signins('tiny', { deviceId: 'pc1', accountId: T.teacherAcc }, 10);
      expect(recorded.map((s) => [s.method, s.at])).toEqual([['offline', at], ['online', '2026-09-10T04:30:00.000Z']]);
    });

    it('a revoked computer\'s token dies at once; what it still pushes is kept aside for review, never applied', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1');
      const admin = await t.cookie('admin');
      expect((await req(t, 'POST', '/api/v1/devices/pc1/revoke', { cookie: admin }, {})).statusCode).toBe(200);
      const before = await head(t);
      t.clock.set('2026-09-10T05:20:00.000Z');
      const op = wire({ device: 'pc1', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.lessons[0], T.students[0], '5'), hlc: hlc('2026-09-10T05:19:00.000Z') });
      const r = await push(t, pc, 'pc1', [op]);
      expect([r.statusCode, r.json().error.reason]).toEqual([401, 'device_revoked']);
      expect((await req(t, 'GET', '/api/v1/sync/pull?after=0&proto=3&schema=6', { bearer: pc })).statusCode).toBe(401);
      expect(await head(t)).toBe(before);
      const held = await req(t, 'GET', '/api/v1/devices/pc1/held', { cookie: admin });
      expect(held.json().value).toEqual([expect.objectContaining({ seq: 1, author: T.teacherAcc, kind: 'mark.set', reason: 'device_revoked' })]);
      const teacher = await t.cookie('teacher');
      expect((await req(t, 'GET', '/api/v1/devices/pc1/held', { cookie: teacher })).statusCode).toBe(403);
    });

    it('what reaches a computer is what it needs: verifiers only of the accounts allowed there, messages only of their participants (R-PRIVACY, 152-ФЗ)', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      await write(t, T.parent, draft('message.send', { id: 'm-1', to: T.teacherAcc, body: 'Пётр болеет, справка будет в пятницу' }));
      await write(t, T.otherParent, draft('message.send', { id: 'm-2', to: T.deputy, body: 'Личное: о здоровье ребёнка' }));
      const pc = await deviceToken(t, 'pc1', 'Кабинет 5', { signIn: [] });
      expect((await req(t, 'PUT', '/api/v1/devices/pc1/accounts', { cookie: admin }, { accounts: [T.teacherAcc] })).statusCode).toBe(200);
      const page = (await req(t, 'GET', `/api/v1/sync/pull?after=0&limit=5000&proto=3&schema=${SCHEMA}`, { bearer: pc })).json().value as PullAnswer;
      const verifier = (id: string) => page.ops.filter((o) => o.kind === 'account.password').map((o) => o.payload as unknown[]).find((p) => p.includes(id));
      expect(JSON.stringify(verifier(T.teacherAcc))).toMatch(/scrypt\$\d/);
      for (const other of [T.admin, T.deputy, T.parent, T.otherParent]) expect(JSON.stringify(verifier(other))).toContain(WITHHELD_VERIFIER);
      const bodies = JSON.stringify(page.ops.filter((o) => o.kind.startsWith('message.')));
      expect(bodies).toContain('справка будет в пятницу');
      expect(bodies).not.toContain('о здоровье ребёнка');
      const priv = (await req(t, 'GET', '/api/v1/sync/private', { bearer: pc })).json().value as { verifiers: { id: string }[]; messages: { id: string }[] };
      expect(priv.verifiers.map((v) => v.id)).toEqual([T.teacherAcc]);
      expect(priv.messages.map((m) => m.id)).toEqual(['m-1']);
      // A snapshot carries neither verifiers nor messages at all.
      const snap = await req(t, 'GET', '/api/v1/sync/snapshot', { bearer: pc });
      expect(snap.statusCode).toBe(200);
      const { brotliDecompressSync } = await import('node:zlib');
      const raw = brotliDecompressSync(snap.rawPayload);
      expect(raw.includes(Buffer.from('scrypt$'))).toBe(false);
      expect(raw.includes(Buffer.from('справка будет'))).toBe(false);
    });

    it('a desktop bootstrapped from the snapshot gets its share of private data and can sign in offline (docs/security.md)', async () => {
      const t = await open();
      const pc = await deviceToken(t, 'pc1', 'Кабинет 5', { signIn: ['teacher'] });
      const j = openJournal(':memory:', { create: true, device: 'pc1', durability: 'off' });
      journals.push(j);
      const server = await t.server.listen(0, '127.0.0.1');
      const first = await syncOnce({ journal: j, server, token: pc, fetch: httpFetch, clock: t.clock, snapshot: {} });
      expect(first, first.error).toMatchObject({ ok: true, checksumMatch: true, snapshotSeq: expect.any(Number) });
      expect(j.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(T.teacherAcc)).toMatch(/^scrypt\$\d/);
      expect(j.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(T.parent)).toBeNull();
      // A sign-in that cannot be proved (no key kept here) is not recorded; the desktop would read only.
      expect(recordOfflineSignin(j, T.deputy, 'Пароль-школы-7', t.clock.now())).toBe(false);
      expect(rejectedOps(j)).toEqual([]);
    });
  });
}
