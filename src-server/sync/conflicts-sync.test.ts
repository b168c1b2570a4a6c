/**
 * Conflicts and revocation across real sync (server replica + desktops over Fastify inject):
 * a mark written over another author's value its author had not seen is accepted (last writer in
 * server order) and flagged to its author; a breach record voids the leaked account's ops from T
 * on every replica — the server's and each desktop's — with no compensating ops (R-BREACH, п. 10.4).
 * Each desktop is an enrolled school computer its user signed in on; replicas are compared by the
 * sync checksum (a computer holds no family's password verifier).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../src-main/journal/open';
import { syncChecksum } from '../../src-main/journal/checksum';
import { submit, type CommandContext } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { hashPassword } from '../../src-main/auth/password';
import { dismissNotices, overwrittenNotices, rejectedOps, syncOnce } from '../../src-main/sync/client';
import { fixedClock, T, tempFile, tinySchool, type TestClock } from '../../test/support/tiny-school';
import { parseOp } from '../../src-shared/ops/envelope';
import { PROTO, toWire, type PushAnswer } from '../../src-shared/sync/protocol';
import { WITHHELD_VERIFIER, journalSchema } from './service';
import { removeOnExit, removeTempDirs, storeKinds, type StoreHandle } from '../../test/support/stores';
import { ACCOUNTS, PASSWORD, TEST_COST, deviceToken, injectFetch, startServer, type TestServer } from '../../test/support/server';

afterAll(removeTempDirs);

/** The tiny school plus a director (who records breaches), every account with PASSWORD. */
function schoolWithDirector(): string {
  const file = removeOnExit(tempFile());
  const { j, admin } = tinySchool(file, { device: 'dev1' });
  submit(admin,
    draft('staff.set', { id: 'st-director', lastName: 'Окотэтто', firstName: 'Галина', position: 'директор' }),
    draft('account.set', { id: 'acc-director', login: 'director', personKind: 'staff', personId: 'st-director', roles: ['director'] }));
  const salt = Buffer.alloc(16, 7);
  submit(admin, ...[...ACCOUNTS.map(([id]) => id), 'acc-director'].map((id) => draft('account.password', { id, verifier: hashPassword(PASSWORD, TEST_COST, salt) })));
  j.close();
  return file;
}

const L = T.lessons[0];
const [s1, s2, s3] = T.students;
const valueOf = (j: Journal, student: string) => j.sqlite.prepare('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(L, student) as string | undefined;

for (const kind of storeKinds()) {
  describe(`conflicts and R-BREACH over sync: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });

    async function setup() {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolWithDirector() }] });
      servers.push(t);
      const fetch = injectFetch(t.server.app);
      // A school computer enrolled now (server clock), its user signed in on it online.
      const desk = async (login: string, account: string, device: string, clock: TestClock = t.clock) => {
        const token = await deviceToken(t, device, `Кабинет ${device}`, { signIn: [login] });
        const j = openJournal(':memory:', { create: true, device, durability: 'off' });
        const ctx: CommandContext = { journal: j, actor: { accountId: account }, clock, guard: regulationGuard };
        const sync = () => syncOnce({ journal: j, server: 'http://x/', token, fetch, clock });
        expect((await sync()).ok).toBe(true);
        return { j, ctx, sync, token };
      };
      const serverSum = async () => (await t.server.schools.find('tiny'))!.exclusive(async (r) => syncChecksum(r.journal.sqlite));
      return { t, desk, serverSum };
    }

    it('a mark over a value its author had not seen: another author\'s is refused (R-CORRECTION), one\'s own from another computer stands and is flagged', async () => {
      const { t, desk, serverSum } = await setup();
      const methodist = await desk('methodist', T.methodist, 'pc-m');
      submit(methodist.ctx, draft('substitution.set', { lessonId: L, teacherId: T.substitute, reason: 'больничный' }));
      await methodist.sync();
      const teacher = await desk('teacher', T.teacherAcc, 'pc-t1');
      const laptop = await desk('teacher', T.teacherAcc, 'pc-t2');
      const sub = await desk('sub', T.substituteAcc, 'pc-s');
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s1, value: '4' }] }));
      expect((await teacher.sync()).pushed).toBe(1);
      // The substitute's computer has not pulled the «4»: it writes «3» over what it sees as empty.
      submit(sub.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s1, value: '3' }] }));
      const blind = await sub.sync();
      expect(blind).toMatchObject({ ok: true, pushed: 0, rejected: 1 });
      expect(rejectedOps(sub.j)).toEqual([expect.objectContaining({ author: T.substituteAcc, code: 'needs_correction_request', clause: 'п. 7.14' })]);
      expect(valueOf(sub.j, s1)).toBe('4');
      // The teacher's second computer, five minutes later, not synced since: «5» over the «4» it never saw.
      t.clock.set('2026-09-10T04:35:00.000Z');
      submit(laptop.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s1, value: '5' }, { studentId: s2, value: '5' }] }));
      const r = await laptop.sync();
      expect(r).toMatchObject({ ok: true, pushed: 1, overwritten: 1 });
      const notes = overwrittenNotices(laptop.j);
      expect(notes).toEqual([expect.objectContaining({ author: T.teacherAcc, studentId: s1, seen: null, replaced: '4', replacedBy: T.teacherAcc })]);
      // Every replica ends on the «5» (last writer in server order); the first computer gets no notice.
      await teacher.sync();
      await sub.sync();
      expect([valueOf(teacher.j, s1), valueOf(laptop.j, s1), valueOf(sub.j, s1)]).toEqual(['5', '5', '5']);
      expect(overwrittenNotices(teacher.j)).toEqual([]);
      const sum = await serverSum();
      expect([syncChecksum(teacher.j.sqlite), syncChecksum(laptop.j.sqlite), syncChecksum(sub.j.sqlite)]).toEqual([sum, sum, sum]);
      // R-PRIVACY: what the sync checksum leaves out — a family's verifier never reaches a school computer.
      for (const d of [teacher, laptop, sub]) expect(d.j.sqlite.prepare('SELECT verifier FROM account WHERE id = ?').pluck().get(T.parent)).toBe(WITHHELD_VERIFIER);
      // A write that saw the value is not flagged.
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s1, value: '4' }] }));
      expect((await teacher.sync()).overwritten).toBeUndefined();
      // Read notices leave the lists.
      dismissNotices(laptop.j, [notes[0]!.seq]);
      dismissNotices(sub.j, rejectedOps(sub.j).map((x) => x.seq));
      expect([overwrittenNotices(laptop.j), rejectedOps(sub.j)]).toEqual([[], []]);
    });

    it('a breach record voids the leaked account’s synced ops from T on every replica; its later pushes are refused', async () => {
      const { t, desk, serverSum } = await setup();
      const clockT = fixedClock('2026-09-10T04:30:00.000Z');
      const teacher = await desk('teacher', T.teacherAcc, 'pc-t', clockT);
      const deputy = await desk('deputy', T.deputy, 'pc-d');
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s1, value: '4' }] }));
      await teacher.sync();
      // At 05:05 — after the suspected onset, before the director hears of it — an absence is marked.
      clockT.set('2026-09-10T05:05:00.000Z');
      t.clock.set('2026-09-10T05:05:00.000Z');
      submit(teacher.ctx, draft('attendance.set', { lessonId: L, entries: [{ studentId: s1, absent: true }] }));
      expect((await teacher.sync()).pushed).toBe(1);
      // An hour later "the teacher" (the leaked password) changes the mark and marks an absence.
      clockT.set('2026-09-10T05:30:00.000Z');
      t.clock.set('2026-09-10T05:30:00.000Z');
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s2, value: '5' }] }));
      submit(teacher.ctx, draft('attendance.set', { lessonId: L, entries: [{ studentId: s3, absent: true }] }));
      expect((await teacher.sync()).pushed).toBe(2);
      await deputy.sync();
      expect(valueOf(deputy.j, s2)).toBe('5');
      // The director, told at 05:10 (the leak suspected from 05:00), records the breach from the
      // director's computer: the account's ops are void from the report on (п. 10.4), not from the onset.
      t.clock.set('2026-09-10T06:00:00.000Z');
      const director = await desk('director', 'acc-director', 'pc-dir');
      submit(director.ctx, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-10T05:00:00.000Z', reportedAt: '2026-09-10T05:10:00.000Z' }));
      expect((await director.sync()).pushed).toBe(1);
      for (const d of [teacher, deputy, director]) await d.sync();
      const sum = await serverSum();
      for (const d of [teacher, deputy, director]) {
        expect([valueOf(d.j, s1), valueOf(d.j, s2)]).toEqual(['4', undefined]);
        expect(d.j.sqlite.prepare('SELECT student_id FROM attendance WHERE lesson_id = ?').pluck().all(L)).toEqual([s1]);
        expect(syncChecksum(d.j.sqlite)).toBe(sum);
      }
      // The leaked account's desktop cannot slip anything in afterwards: refused for good, with the clause.
      clockT.set('2026-09-10T06:30:00.000Z');
      t.clock.set('2026-09-10T06:30:00.000Z');
      teacher.ctx = { ...teacher.ctx, guard: { check: () => [] } }; // an old desktop that does not know of the breach yet
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s3, value: '4' }] }));
      const r = await teacher.sync();
      expect(r.rejected).toBe(1);
      expect(rejectedOps(teacher.j).at(-1)).toMatchObject({ code: 'breach', requirement: 'R-BREACH', clause: 'п. 10.4' });
      expect(valueOf(teacher.j, s3)).toBeUndefined();
      // Nor with a clock set back to before T: the server judges by its own receipt time.
      clockT.set('2026-09-10T04:50:00.000Z');
      submit(teacher.ctx, draft('mark.set', { lessonId: L, marks: [{ studentId: s3, value: '5' }] }));
      const back = await teacher.sync();
      expect(back.rejected).toBe(1);
      expect(rejectedOps(teacher.j).at(-1)).toMatchObject({ code: 'breach', clause: 'п. 10.4' });
      // A forged push: back-dated HLC, no clock reported — the server's receipt time decides.
      const seq = Number(teacher.j.meta('next_seq'));
      const forged = toWire(parseOp({ device: 'pc-t', seq, author: T.teacherAcc, kind: 'mark.set', version: 1, hlc: '2026-09-10T04:40:00.000Z-0000', payload: { lessonId: L, marks: [{ studentId: s3, value: '3' }] } }));
      const res = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', payload: { proto: PROTO, schema: journalSchema(), device: 'pc-t', ops: [forged] }, headers: { authorization: `Bearer ${teacher.token}` } });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { value: PushAnswer }).value.acks[0]).toMatchObject({ status: 'rejected', code: 'breach', requirement: 'R-BREACH' });
      await teacher.sync();
      expect(valueOf(teacher.j, s3)).toBeUndefined();
      expect(syncChecksum(teacher.j.sqlite)).toBe(await serverSum());
    });
  });
}
