/**
 * The op-log store's contract, run against both implementations: SQLite always, PostgreSQL when
 * DATABASE_URL is set (and required under CI=true — see test/support/stores.ts).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Op } from '../../src-shared/ops/envelope';
import { storeKinds, type StoreHandle, removeTempDirs } from '../../test/support/stores';
import { StoreError, type OpLogStore } from './types';

afterAll(removeTempDirs);

const AT = '2026-09-10T05:00:00.000Z';

function op(device: string, seq: number, extra: Partial<Op> = {}): Op {
  return {
    device, seq, author: 'acc-teacher', kind: 'mark.set', version: 1, hlc: `2026-09-10T05:00:0${seq % 10}.000Z-0000`,
    payload: { lessonId: 'l-1', marks: [{ studentId: 's-1', value: String((seq % 5) + 1) }] } as never, ...extra,
  };
}

const account = (device: string, seq: number, id: string, login: string): Op =>
  op(device, seq, { kind: 'account.set', author: 'acc-admin', payload: { id, login, personKind: 'staff', personId: `st-${id}`, roles: ['teacher'] } as never });

async function rejects(p: Promise<unknown>, code: string): Promise<StoreError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, `expected StoreError ${code}`).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  return err as StoreError;
}

for (const kind of storeKinds()) {
  describe(`op-log store: ${kind.name}`, () => {
    let h: StoreHandle | undefined;
    const extra: OpLogStore[] = [];
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      if (h) {
        await h.store.close();
        await h.cleanup();
        h = undefined;
      }
    });
    async function fresh(): Promise<OpLogStore> {
      h = await kind.open();
      await h.store.createSchool({ schoolId: 'a', name: 'Школа А', createdAt: AT });
      await h.store.createSchool({ schoolId: 'b', name: 'Школа Б', createdAt: AT });
      return h.store;
    }

    it('assigns server seqs per school, in order, and reads them back since a cursor', async () => {
      const s = await fresh();
      const acks = await s.append('a', [op('d1', 1), op('d1', 2), op('d2', 1)], { receivedAt: AT });
      expect(acks.map((a) => [a.device, a.seq, a.serverSeq, a.duplicate])).toEqual([['d1', 1, 1, false], ['d1', 2, 2, false], ['d2', 1, 3, false]]);
      expect((await s.append('b', [op('d1', 1)], { receivedAt: AT }))[0]!.serverSeq).toBe(1);
      const since = await s.readSince('a', 1, 10);
      expect(since.map((o) => [o.serverSeq, o.device, o.seq])).toEqual([[2, 'd1', 2], [3, 'd2', 1]]);
      expect(since[0]).toMatchObject({ author: 'acc-teacher', kind: 'mark.set', version: 1, receivedAt: AT, revoked: false, payload: op('d1', 2).payload });
      expect((await s.readSince('a', 0, 2)).map((o) => o.serverSeq)).toEqual([1, 2, 3]); // never half an append
      expect(await s.lastSeq('a', 'd1')).toBe(2);
      expect(await s.lastSeq('b', 'd2')).toBe(0);
      expect((await s.school('a'))!.head).toBe(3);
      expect((await s.schools()).map((x) => [x.schoolId, x.head])).toEqual([['a', 3], ['b', 1]]);
    });

    it('pages the log on append boundaries: never half a command or a pushed batch', async () => {
      const s = await fresh();
      await s.append('a', [op('d1', 1), op('d1', 2), op('d1', 3)], { receivedAt: AT });
      await s.append('a', [op('d2', 1), op('d2', 2)], { receivedAt: AT });
      await s.append('a', [op('d3', 1)], { receivedAt: AT });
      const page = async (after: number, limit: number) => (await s.readSince('a', after, limit)).map((o) => o.serverSeq);
      expect(await page(0, 4)).toEqual([1, 2, 3]);
      expect(await page(0, 5)).toEqual([1, 2, 3, 4, 5]);
      expect(await page(0, 1)).toEqual([1, 2, 3]);
      expect(await page(3, 100)).toEqual([4, 5, 6]);
      expect(await page(4, 1)).toEqual([5]);
      expect(await page(6, 10)).toEqual([]);
    });

    it('acknowledges duplicates by (device, seq) without storing them again', async () => {
      const s = await fresh();
      await s.append('a', [op('d1', 1), op('d1', 2)], { receivedAt: AT });
      const acks = await s.append('a', [op('d1', 2), op('d1', 3)], { receivedAt: AT });
      expect(acks).toEqual([{ device: 'd1', seq: 2, serverSeq: 2, duplicate: true }, { device: 'd1', seq: 3, serverSeq: 3, duplicate: false }]);
      expect((await s.readSince('a', 0, 100)).length).toBe(3);
    });

    it('refuses a gap with the seq to resend from, and appends nothing of the batch', async () => {
      const s = await fresh();
      await s.append('a', [op('d1', 1)], { receivedAt: AT });
      const err = await rejects(s.append('a', [op('d2', 1), op('d1', 3)], { receivedAt: AT }), 'gap');
      expect(err.detail).toEqual({ device: 'd1', expected: 2 });
      expect(await s.lastSeq('a', 'd2')).toBe(0);
      expect((await s.school('a'))!.head).toBe(1);
    });

    it('appends only when the head is the expected one (another writer got in between)', async () => {
      const s = await fresh();
      await s.append('a', [op('d1', 1)], { receivedAt: AT, expectHead: 0 });
      await rejects(s.append('a', [op('d1', 2)], { receivedAt: AT, expectHead: 0 }), 'head_moved');
      expect((await s.append('a', [op('d1', 2)], { receivedAt: AT, expectHead: 1 }))[0]!.serverSeq).toBe(2);
      await rejects(s.append('zz', [op('d1', 1)], { receivedAt: AT }), 'unknown_school');
      await rejects(s.createSchool({ schoolId: 'a', name: 'x', createdAt: AT }), 'school_exists');
    });

    it('keeps the login directory current and refuses a login taken in another school', async () => {
      const s = await fresh();
      await s.append('a', [account('d1', 1, 'acc-1', 'ivanova')], { receivedAt: AT });
      expect(await s.findLogin('ivanova')).toEqual({ schoolId: 'a', accountId: 'acc-1' });
      await rejects(s.append('b', [op('d1', 1), account('d1', 2, 'acc-9', 'ivanova')], { receivedAt: AT }), 'login_taken');
      expect((await s.school('b'))!.head).toBe(0);
      // A rename frees the old login.
      await s.append('a', [account('d1', 2, 'acc-1', 'ivanova.m')], { receivedAt: AT });
      expect(await s.findLogin('ivanova')).toBeUndefined();
      expect(await s.findLogin('ivanova.m')).toEqual({ schoolId: 'a', accountId: 'acc-1' });
      await s.append('b', [account('d1', 1, 'acc-9', 'ivanova')], { receivedAt: AT });
      expect(await s.findLogin('ivanova')).toEqual({ schoolId: 'b', accountId: 'acc-9' });
    });

    it('revokes an account\'s ops from T on (by its clock or by receipt), in one school only', async () => {
      const s = await fresh();
      await s.append('a', [op('d1', 1, { hlc: '2026-09-10T04:00:00.000Z-0000' }), op('d1', 2, { hlc: '2026-09-10T06:00:00.000Z-0000' }), op('d1', 3, { author: 'acc-other', hlc: '2026-09-10T07:00:00.000Z-0000' })], { receivedAt: '2026-09-10T04:30:00.000Z' });
      await s.append('a', [op('d1', 4, { hlc: '2026-09-10T04:10:00.000Z-0000' })], { receivedAt: '2026-09-10T08:00:00.000Z' });
      await s.append('b', [op('d1', 1, { hlc: '2026-09-10T06:00:00.000Z-0000' })], { receivedAt: AT });
      const marked = await s.revoke('a', { accountId: 'acc-teacher', from: '2026-09-10T10:00:00+05:00', recordedAt: AT });
      expect(marked).toEqual([2, 4]);
      expect((await s.readSince('a', 0, 10)).map((o) => o.revoked)).toEqual([false, true, false, true]);
      expect((await s.readSince('b', 0, 10)).map((o) => o.revoked)).toEqual([false]);
      expect(await s.revocations('a')).toEqual([{ accountId: 'acc-teacher', from: '2026-09-10T05:00:00.000Z', recordedAt: AT }]);
      expect(await s.revocations('b')).toEqual([]);
    });

    it('keeps the latest snapshot per school', async () => {
      const s = await fresh();
      expect(await s.getSnapshot('a')).toBeUndefined();
      await s.putSnapshot('a', { serverSeq: 5, bytes: Buffer.from([1, 2, 3]), createdAt: AT });
      await s.putSnapshot('a', { serverSeq: 9, bytes: Buffer.from([4, 5]), createdAt: AT });
      const snap = await s.getSnapshot('a');
      expect(snap!.serverSeq).toBe(9);
      expect(Buffer.from(snap!.bytes)).toEqual(Buffer.from([4, 5]));
      expect(await s.getSnapshot('b')).toBeUndefined();
    });

    it('keeps sessions and devices per school, by token hash', async () => {
      const s = await fresh();
      await s.createSession({ schoolId: 'a', tokenHash: 'h1', accountId: 'acc-1', kind: 'cookie', createdAt: AT, expiresAt: '2026-09-10T17:00:00.000Z' });
      await s.createSession({ schoolId: 'a', tokenHash: 'h2', accountId: 'acc-1', kind: 'bearer', createdAt: AT, expiresAt: '2026-09-01T00:00:00.000Z' });
      expect(await s.session('a', 'h1')).toMatchObject({ accountId: 'acc-1', kind: 'cookie' });
      expect(await s.session('b', 'h1')).toBeUndefined();
      expect(await s.purgeSessions('a', AT)).toBe(1);
      await s.deleteSession('a', 'h1');
      expect(await s.session('a', 'h1')).toBeUndefined();

      const dev = { schoolId: 'a', deviceId: 'pc-1', tokenHash: 'dh', name: 'Учительская', enrolledBy: 'acc-admin', enrolledAt: AT, lastSeenAt: null, revokedAt: null, lastOpAt: null, allowed: null };
      await s.enrollDevice(dev);
      await rejects(s.enrollDevice(dev), 'device_exists');
      expect(await s.deviceByToken('a', 'dh')).toEqual(dev);
      expect(await s.deviceByToken('b', 'dh')).toBeUndefined();
      await s.touchDevice('a', 'pc-1', '2026-09-10T06:00:00.000Z');
      expect(await s.revokeDevice('a', 'pc-1', '2026-09-10T07:00:00.000Z')).toBe(true);
      expect(await s.revokeDevice('a', 'pc-1', '2026-09-10T07:00:00.000Z')).toBe(false);
      expect(await s.devices('a')).toEqual([{ ...dev, lastSeenAt: '2026-09-10T06:00:00.000Z', revokedAt: '2026-09-10T07:00:00.000Z' }]);
      expect(await s.devices('b')).toEqual([]);
    });

    it('ends every session of an account but one, and only in its school', async () => {
      const s = await fresh();
      const sess = (school: string, hash: string, acc: string) => s.createSession({ schoolId: school, tokenHash: hash, accountId: acc, kind: 'bearer', createdAt: AT, expiresAt: '2027-01-01T00:00:00.000Z', verifierTag: 'v1' });
      await sess('a', 'h1', 'acc-1');
      await sess('a', 'h2', 'acc-1');
      await sess('a', 'h3', 'acc-2');
      await sess('b', 'h4', 'acc-1');
      expect(await s.session('a', 'h1')).toMatchObject({ verifierTag: 'v1' });
      expect(await s.endSessions('a', 'acc-1', 'h2')).toBe(1);
      expect(await s.session('a', 'h1')).toBeUndefined();
      expect(await s.session('a', 'h2')).toBeDefined();
      expect(await s.session('a', 'h3')).toBeDefined();
      expect(await s.session('b', 'h4')).toBeDefined();
      expect(await s.endSessions('a', 'acc-1')).toBe(1);
      expect(await s.session('a', 'h2')).toBeUndefined();
    });

    it('keeps computers\' sign-ins, keys, allowed accounts, last op time and ops set aside', async () => {
      const s = await fresh();
      await s.enrollDevice({ schoolId: 'a', deviceId: 'pc-1', tokenHash: 'dh', name: 'Кабинет 12', enrolledBy: 'acc-admin', enrolledAt: AT, lastSeenAt: null, revokedAt: null, lastOpAt: null, allowed: null });
      await s.advanceDeviceOpAt('a', 'pc-1', '2026-09-10T06:00:00.000Z');
      await s.advanceDeviceOpAt('a', 'pc-1', '2026-09-10T05:30:00.000Z');
      expect((await s.device('a', 'pc-1'))!.lastOpAt).toBe('2026-09-10T06:00:00.000Z');
      expect(await s.setDeviceAllowed('a', 'pc-1', ['acc-1', 'acc-2'])).toBe(true);
      expect((await s.device('a', 'pc-1'))!.allowed).toEqual(['acc-1', 'acc-2']);
      expect(await s.setDeviceAllowed('a', 'pc-9', null)).toBe(false);

      const si = (at: string, method: 'online' | 'offline') => ({ schoolId: 'a', deviceId: 'pc-1', accountId: 'acc-1', at, method, verifierTag: 't', recordedAt: AT });
      await s.recordSignin(si('2026-09-10T05:00:00.000Z', 'online'));
      await s.recordSignin(si('2026-09-10T05:00:00.000Z', 'online'));
      await s.recordSignin(si('2026-09-11T05:00:00.000Z', 'offline'));
      expect(await s.lastSignin('a', 'pc-1', 'acc-1', '2026-09-10T23:00:00.000Z')).toMatchObject({ at: '2026-09-10T05:00:00.000Z', method: 'online' });
      expect(await s.lastSignin('a', 'pc-1', 'acc-1', '2026-09-12T00:00:00.000Z')).toMatchObject({ at: '2026-09-11T05:00:00.000Z', method: 'offline' });
      expect(await s.lastSignin('a', 'pc-1', 'acc-1', '2026-09-09T00:00:00.000Z')).toBeUndefined();
      expect(await s.lastSignin('b', 'pc-1', 'acc-1', '2026-09-12T00:00:00.000Z')).toBeUndefined();
      expect((await s.signins('a', { deviceId: 'pc-1' }, 10)).map((x) => x.at)).toEqual(['2026-09-11T05:00:00.000Z', '2026-09-10T05:00:00.000Z']);
      expect(await s.signins('a', { accountId: 'acc-2' }, 10)).toEqual([]);

      await s.putSigninKey('a', 'pc-1', 'acc-1', { secret: 'k1', verifierTag: 't', createdAt: AT });
      await s.putSigninKey('a', 'pc-1', 'acc-1', { secret: 'k2', verifierTag: 'u', createdAt: AT });
      expect(await s.signinKey('a', 'pc-1', 'acc-1')).toEqual({ secret: 'k2', verifierTag: 'u' });
      expect(await s.signinKey('b', 'pc-1', 'acc-1')).toBeUndefined();

      const held = (seq: number) => ({ schoolId: 'a', deviceId: 'pc-1', seq, author: 'acc-1', kind: 'mark.set', hlc: '2026-09-10T05:00:00.000Z-0000-pc-1', payload: '{}', receivedAt: AT, reason: 'device_revoked' });
      expect(await s.holdOps([held(1), held(2)])).toBe(2);
      expect(await s.holdOps([held(2), held(3)])).toBe(1);
      expect((await s.heldOps('a', 'pc-1')).map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(await s.heldOps('b', 'pc-1')).toEqual([]);
    });

    it('serializes concurrent appends of one school: no seq handed out twice', async () => {
      const s = await fresh();
      const other = await h!.reopen();
      extra.push(other);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s : other).append('a', [op(`dev${i}`, 1)], { receivedAt: AT })));
      const seqs = (await s.readSince('a', 0, 100)).map((o) => o.serverSeq);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });
}
