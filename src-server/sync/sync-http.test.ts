/**
 * Sync over HTTP (Fastify inject): bootstrap by pulling from 0, push with per-op answers —
 * accepted, duplicate, resend_from, rejected (forged device, a foreign author, an account not
 * allowed on the computer, the guard's refusal) — and a rejected op never wedges the device's
 * queue. Only an enrolled computer syncs: a person's session is refused with 403.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseOp, type Op } from '../../src-shared/ops/envelope';
import { toWire, type PullAnswer, type PushAnswer } from '../../src-shared/sync/protocol';
import { openJournal } from '../../src-main/journal/open';
import { syncChecksum } from '../../src-main/journal/checksum';
import { WITHHELD_VERIFIER, journalSchema } from './service';
import { submit } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { verifyJournal } from '../../src-main/journal/verify';
import { rejectedOps, syncOnce } from '../../src-main/sync/client';
import { T } from '../../test/support/tiny-school';
import { storeKinds, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { deviceToken, injectFetch, schoolFile, startServer, type TestServer } from '../../test/support/server';

afterAll(removeTempDirs);

const HLC = '2026-09-10T04:30:00.000Z-0000';
const op = (o: Partial<Op> & Pick<Op, 'device' | 'seq' | 'author' | 'kind' | 'payload'>) => toWire(parseOp({ version: 1, hlc: HLC, ...o }));
const mark = (studentId: string, value: string) => ({ lessonId: T.lessons[0], marks: [{ studentId, value }] });

for (const kind of storeKinds()) {
  describe(`sync over HTTP: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });
    async function open() {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }, { id: 'other', file: schoolFile({ prefix: 'b.' }) }] });
      servers.push(t);
      return t;
    }
    async function bearer(t: TestServer, login: string) {
      const r = await t.login(login, undefined, { session: 'bearer' });
      return (r.body.value as { token: string }).token;
    }
    const push = async (t: TestServer, token: string, device: string, ops: unknown[]) => {
      const r = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', payload: { proto: 1, schema: 4, device, ops }, headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { value: PushAnswer }).value.acks;
    };

    it('bootstraps a fresh journal, pushes its ops and converges with the server replica', async () => {
      const t = await open();
      const token = await deviceToken(t, 'pc1');
      const j = openJournal(':memory:', { create: true, device: 'pc1', durability: 'off' });
      const fetch = injectFetch(t.server.app);
      const first = await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      expect(first).toMatchObject({ ok: true, pushed: 0, rejected: 0, checksumMatch: true });
      expect(first.pulled).toBeGreaterThan(40);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard }, draft('mark.set', mark(T.students[0], '5')));
      const second = await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      expect(second).toMatchObject({ ok: true, pushed: 1, pulled: 1, checksumMatch: true });
      expect(j.meta('sync.lastError')).toBe('');
      expect(j.meta('sync.lastAt')).toBe('2026-09-10T04:30:00.000Z');
      const replica = (await t.server.schools.find('tiny'))!;
      expect(syncChecksum(j.sqlite)).toBe(await replica.exclusive(async (r) => syncChecksum(r.journal.sqlite)));
      // R-PRIVACY: a family's password verifier never reaches a school computer; staff verifiers do (offline sign-in).
      expect(j.sqlite.prepare('SELECT verifier FROM account WHERE id = ?').pluck().get(T.parent)).toBe(WITHHELD_VERIFIER);
      expect(j.sqlite.prepare('SELECT verifier FROM account WHERE id = ?').pluck().get(T.teacherAcc)).toMatch(/^scrypt\$\d/);
      // An idle round is small.
      const idle = await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      expect(idle.bytesSent + idle.bytesReceived).toBeLessThan(400);
      expect(verifyJournal(j).ok).toBe(true);
      j.close();
    });

    it('answers every op: accepted, duplicate, resend_from and rejected — forged, foreign, refused — without wedging the queue', async () => {
      const t = await open();
      const dev = await deviceToken(t, 'pc7');
      const teacher = await bearer(t, 'teacher');
      // Device token: any staff author allowed on the computer and signed in there; the guard judges each op.
      let acks = await push(t, dev, 'pc7', [
        op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '4') }),
        op({ device: 'pc7', seq: 2, author: T.substituteAcc, kind: 'mark.set', payload: mark(T.students[1], '5') }), // the policy refuses: not their course
        op({ device: 'pc7', seq: 3, author: 'acc-stranger', kind: 'mark.set', payload: mark(T.students[1], '5') }), // not of this school
        op({ device: 'pc7', seq: 4, author: T.teacherAcc, kind: 'mark.set', payload: { lessonId: 'l-of-another-school', marks: [{ studentId: 's-9', value: '5' }] } }),
        op({ device: 'pc8', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[2], '3') }), // another device's op
        op({ device: 'pc7', seq: 5, author: T.parent, kind: 'mark.set', payload: mark(T.students[1], '5') }), // a family never works on a school computer
        op({ device: 'pc7', seq: 6, author: T.teacherAcc, kind: 'attendance.set', payload: { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], absent: true }] } }),
      ]);
      expect(acks.map((a) => a.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
      const rej = acks.filter((a) => a.status === 'rejected') as Extract<typeof acks[number], { status: 'rejected' }>[];
      expect(rej[0]!.code).toBe('forbidden');
      expect(rej[0]!.requirement).toBeTruthy();
      expect(rej.map((r) => r.code).slice(1)).toEqual(['foreign_author', 'not_found', 'forged', 'not_allowed']);
      expect(rej[4]).toMatchObject({ requirement: 'R-ACCOUNTS', clause: 'п. 9.6' });
      const [a1, , , , , , a6] = acks as Extract<typeof acks[number], { serverSeq: number }>[];
      expect(a6!.serverSeq).toBe(a1!.serverSeq + 1);
      // Re-sent: duplicates keep their server seq; an op rejected earlier stays rejected; a gap asks to resend.
      acks = await push(t, dev, 'pc7', [
        op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '4') }),
        op({ device: 'pc7', seq: 2, author: T.substituteAcc, kind: 'mark.set', payload: mark(T.students[1], '5') }),
        op({ device: 'pc7', seq: 9, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[1], '5') }),
      ]);
      expect(acks).toEqual([
        { seq: 1, status: 'duplicate', serverSeq: a1!.serverSeq },
        expect.objectContaining({ seq: 2, status: 'rejected', code: 'rejected_earlier' }),
        { seq: 9, status: 'resend_from', from: 7 },
      ]);
      // A person's session never syncs (not even its own account's ops): 403, nothing applied.
      const replica = (await t.server.schools.find('tiny'))!;
      const before = await replica.exclusive(async (r) => r.serverSeq);
      const sessionPush = await t.server.app.inject({
        method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${teacher}` },
        payload: { proto: 1, schema: 4, device: 'pc9', ops: [op({ device: 'pc9', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '2') })] },
      });
      expect(sessionPush.statusCode).toBe(403);
      expect(sessionPush.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const cookie = await t.cookie('teacher');
      const cookiePull = await t.server.app.inject({ url: '/api/v1/sync/pull?after=0&limit=5', headers: { cookie } });
      expect(cookiePull.statusCode).toBe(403);
      expect(await replica.exclusive(async (r) => r.serverSeq)).toBe(before);
      expect(await t.server.store.lastSeq('tiny', 'pc9')).toBe(0);
      // The device token belongs to one school: the other school's computer sees none of it.
      const other = await deviceToken(t, 'pcB', 'Кабинет 1', { as: 'b.admin', signIn: [] });
      const pull = await t.server.app.inject({ url: `/api/v1/sync/pull?after=0&limit=5000&proto=3&schema=${journalSchema()}`, headers: { authorization: `Bearer ${other}` } });
      const page = (pull.json() as { value: PullAnswer }).value;
      expect(page.ops.some((o) => o.device === 'pc7')).toBe(false);
      expect(page.checksum).toMatch(/^[0-9a-f]{64}$/);
      // A device token for another device cannot push as pc7: under its own id the op is forged,
      // under pc7's id the whole push is refused (the token is bound to its device); no token at all is a 401.
      const dev2 = await deviceToken(t, 'pc8', 'Кабинет 5', { signIn: ['teacher'] });
      acks = await push(t, dev2, 'pc8', [op({ device: 'pc7', seq: 7, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[1], '5') })]);
      expect(acks[0]).toMatchObject({ status: 'rejected', code: 'forged' });
      const takeover = await t.server.app.inject({
        method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${dev2}` },
        payload: { proto: 1, schema: 4, device: 'pc7', ops: [op({ device: 'pc7', seq: 7, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[1], '5') })] },
      });
      expect(takeover.statusCode).toBe(403);
      expect(takeover.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await t.server.store.lastSeq('tiny', 'pc7')).toBe(6);
      const anon = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', payload: { proto: 1, schema: 4, device: 'pc7', ops: [] } });
      expect(anon.statusCode).toBe(401);
    });

    it('folds several pulled pages that meet a pending own op in one rebase, not one per page', async () => {
      const t = await open();
      const tokenA = await deviceToken(t, 'pcA', 'Кабинет 5', { signIn: ['teacher'] });
      const tokenB = await deviceToken(t, 'pcB', 'Кабинет 6', { signIn: ['teacher'] });
      const fetch = injectFetch(t.server.app);
      const a = openJournal(':memory:', { create: true, device: 'pcA', durability: 'off' });
      const b = openJournal(':memory:', { create: true, device: 'pcB', durability: 'off' });
      await syncOnce({ journal: a, server: 'http://x/', token: tokenA, fetch, clock: t.clock });
      await syncOnce({ journal: b, server: 'http://x/', token: tokenB, fetch, clock: t.clock });
      const ctx = (journal: typeof a) => ({ journal, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard });
      // One push each: one server transaction each, so pages of 2 really end after 2 ops.
      for (const [k, v] of [[0, '5'], [1, '4'], [2, '3'], [0, '4'], [1, '5']] as const) {
        submit(ctx(a), draft('mark.set', mark(T.students[k], v)));
        await syncOnce({ journal: a, server: 'http://x/', token: tokenA, fetch, clock: t.clock });
      }
      // B marked the same lesson offline: every page of A's ops meets it (a rebase).
      submit(ctx(b), draft('attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], absent: true }] }));
      const r = await syncOnce({ journal: b, server: 'http://x/', token: tokenB, fetch, clock: t.clock, pullLimit: 2 });
      expect(r).toMatchObject({ ok: true, pushed: 1, pulled: 6, rebases: 1, checksumMatch: true });
      expect(b.stmt('SELECT value FROM mark WHERE student_id = ? AND lesson_id = ?').pluck().get(T.students[0], T.lessons[0])).toBe('4');
      expect(verifyJournal(b).problems).toEqual([]);
      a.close();
      b.close();
    });

    it('a client undoes its op the server refused, records it for its author and goes on', async () => {
      const t = await open();
      const token = await deviceToken(t, 'pc5');
      const fetch = injectFetch(t.server.app);
      const j = openJournal(':memory:', { create: true, device: 'pc5', durability: 'off' });
      await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      // The deputy blocks the teacher on the server; the desktop does not know yet.
      const replica = (await t.server.schools.find('tiny'))!;
      await replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.admin }, clock: t.clock, guard: regulationGuard }, draft('account.block', { id: T.teacherAcc, blocked: true, reason: 'тест' }))));
      const ctx = { journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard };
      submit(ctx, draft('mark.set', mark(T.students[0], '5')));
      submit(ctx, draft('mark.set', mark(T.students[1], '4')));
      const r = await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      expect(r).toMatchObject({ ok: true, rejected: 2, pushed: 0, checksumMatch: true });
      expect(j.stmt('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
      expect(j.stmt('SELECT count(*) FROM mark').pluck().get()).toBe(0);
      expect(rejectedOps(j).map((x) => [x.seq, x.author])).toEqual([[1, T.teacherAcc], [2, T.teacherAcc]]);
      // The queue is not wedged: the next op (seq 3) goes through.
      submit({ ...ctx, actor: { accountId: T.methodist } }, draft('substitution.set', { lessonId: T.lessons[2], teacherId: T.substitute }));
      const r2 = await syncOnce({ journal: j, server: 'http://x/', token, fetch, clock: t.clock });
      expect(r2).toMatchObject({ ok: true, pushed: 1, rejected: 0, checksumMatch: true });
      expect(verifyJournal(j).problems).toEqual([]);
      j.close();
    });
  });
}
