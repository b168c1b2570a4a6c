/**
 * Sync protocol v2+ on a real socket (a server on a free loopback port, `httpFetch`):
 * gzip push bodies both ways, the 64 KB wire limit and the unpacked cap (zip bomb → 413, nothing
 * applied), compressed pull answers, byte accounting of what is on the wire, the version window,
 * and the server's judgement of skewed and back-dated client clocks (R-DATE).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { parseOp, type Op } from '../../src-shared/ops/envelope';
import { MIN_PROTO, PROTO, PUSH_DECODED_LIMIT, PUSH_LIMIT, toWire, type PullAnswer, type PushAnswer } from '../../src-shared/sync/protocol';
import { openJournal } from '../../src-main/journal/open';
import { submit } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { syncOnce, type SyncFetch } from '../../src-main/sync/client';
import { httpFetch } from '../../src-main/sync/transport';
import { T } from '../../test/support/tiny-school';
import { storeKinds, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { schoolFile, startServer, type TestServer, deviceToken } from '../../test/support/server';
import { SyncService, journalSchema, judgedAt } from './service';

afterAll(removeTempDirs);

const HLC = '2026-09-10T04:30:00.000Z-0000';
const op = (o: Partial<Op> & Pick<Op, 'device' | 'seq' | 'author' | 'kind' | 'payload'>) => toWire(parseOp({ version: 1, hlc: HLC, ...o }));
const mark = (studentId: string, value: string) => ({ lessonId: T.lessons[0], marks: [{ studentId, value }] });
const SCHEMA = journalSchema();

interface Exchange { path: string; sent: number; received: number; encoding: string | null; decoded: number }

/** httpFetch, recording what went over the wire. */
function recording(log: Exchange[]): SyncFetch {
  return async (url, init) => {
    const r = await httpFetch(url, init);
    const raw = await r.wireBytes!();
    const u = new URL(url);
    log.push({ path: u.pathname + u.search, sent: init.body === undefined ? 0 : Buffer.byteLength(init.body), received: raw.byteLength, encoding: r.headers.get('content-encoding'), decoded: Buffer.byteLength(await r.text()) });
    return r;
  };
}

for (const kind of storeKinds()) {
  describe(`sync on the wire: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });
    async function open() {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
      servers.push(t);
      const base = await t.server.listen(0, '127.0.0.1');
      const token = await deviceToken(t, 'pc7', 'Кабинет 5');
      return { t, base, token };
    }
    const head = async (t: TestServer) => (await t.server.store.school('tiny'))!.head;
    async function post(base: string, token: string, body: Buffer | string, headers: Record<string, string> = {}) {
      const r = await httpFetch(new URL('api/v1/sync/push', base).toString(), {
        method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-encoding': 'gzip', ...headers },
      });
      return { status: r.status, json: JSON.parse(await r.text()) as { ok: boolean; value?: PushAnswer; error?: { code: string; message: string } } };
    }
    const pushBody = (ops: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ proto: PROTO, schema: SCHEMA, device: 'pc7', ops, ...extra });

    it('takes gzipped and plain push bodies, compresses pull answers, and counts the bytes on the wire', async () => {
      const { t, base, token } = await open();
      // A plain (v1-style) body and a gzipped one: both applied.
      const a = await post(base, token, pushBody([op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '4') })]));
      expect(a.status, JSON.stringify(a.json)).toBe(200);
      expect(a.json.value!.acks[0]).toMatchObject({ status: 'accepted' });
      const b = await post(base, token, gzipSync(pushBody([op({ device: 'pc7', seq: 2, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[1], '5') })])), { 'content-encoding': 'gzip' });
      expect(b.json.value!.acks[0]).toMatchObject({ status: 'accepted' });

      // A desktop bootstraps (a big pull: compressed) and pushes (gzipped), over the socket.
      const log: Exchange[] = [];
      const j = openJournal(':memory:', { create: true, device: 'pc7', durability: 'off' });
      j.setMeta('next_seq', '3');
      const fetch = recording(log);
      const first = await syncOnce({ journal: j, server: base, token, fetch, clock: t.clock });
      expect(first).toMatchObject({ ok: true, checksumMatch: true });
      const boot = log.find((x) => x.path.includes('/pull?after=0'))!;
      expect(boot.encoding).toBe('gzip');
      expect(boot.received).toBeLessThan(boot.decoded / 3);
      expect(boot.path).toContain(`proto=${PROTO}&schema=${SCHEMA}`);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard }, draft('mark.set', mark(T.students[2], '3')));
      log.length = 0;
      const second = await syncOnce({ journal: j, server: base, token, fetch, clock: t.clock });
      expect(second).toMatchObject({ ok: true, pushed: 1, pulled: 1, checksumMatch: true });
      const pushed = log.find((x) => x.path.endsWith('/push'))!;
      expect(pushed.sent).toBeGreaterThan(0);
      // The client counts bodies as they were on the wire plus request targets, not the decoded text.
      expect(second.bytesSent).toBe(log.reduce((n, x) => n + x.sent + x.path.length - 1, 0));
      expect(second.bytesReceived).toBe(log.reduce((n, x) => n + x.received, 0));
      expect(Number(j.meta('sync.bytesReceived'))).toBe(first.bytesReceived + second.bytesReceived);
      // A small answer stays uncompressed (threshold 1 KB); an idle round is small.
      log.length = 0;
      const idle = await syncOnce({ journal: j, server: base, token, fetch, clock: t.clock });
      expect(log.map((x) => x.encoding)).toEqual([null]);
      expect(idle.bytesSent).toBeLessThan(300);
      expect(idle.bytesReceived).toBeLessThan(300);
      j.close();
    });

    it('refuses a body over 64 KB on the wire, a zip bomb, broken gzip and unknown encodings — nothing applied', async () => {
      const { t, base, token } = await open();
      const before = await head(t);
      // Over the wire limit: incompressible filler in a plain body.
      const filler = Buffer.alloc(PUSH_LIMIT, 'x').toString();
      let r = await post(base, token, pushBody([], { pad: filler }));
      expect(r.status).toBe(413);
      expect(r.json.error).toMatchObject({ code: 'too_large' });
      expect(r.json.error!.message).toMatch(/Слишком большой пакет синхронизации/);
      // Over the unpacked cap itself, declared in Content-Length: refused before reading (inject: no socket to reset).
      const huge = await t.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', payload: pushBody([], { pad: 'x'.repeat(PUSH_DECODED_LIMIT) }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      expect(huge.statusCode).toBe(413);
      expect((huge.json() as { error: { message: string } }).error.message).toMatch(/Слишком большой пакет синхронизации/);
      // A zip bomb: 60 KB on the wire, many MB unpacked, with a valid op in front.
      const bombed = `${pushBody([op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '2') })]).slice(0, -1)},"pad":"${'0'.repeat(PUSH_DECODED_LIMIT * 8)}"}`;
      const gz = gzipSync(bombed, { level: 9 });
      expect(gz.length).toBeLessThan(PUSH_LIMIT);
      r = await post(base, token, gz, { 'content-encoding': 'gzip' });
      expect(r.status).toBe(413);
      expect(r.json.error).toMatchObject({ code: 'too_large' });
      expect(r.json.error!.message).toMatch(/после распаковки больше 1024 КБ.*ничего не записано/);
      // Just under the cap unpacked is fine (the cap is on the unpacked body, not the ratio).
      const fits = `${pushBody([]).slice(0, -1)},"pad":"${'0'.repeat(PUSH_DECODED_LIMIT - 200)}"}`;
      r = await post(base, token, gzipSync(fits), { 'content-encoding': 'gzip' });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      // Not gzip at all, cut short, or another encoding.
      r = await post(base, token, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
      expect(r.status).toBe(400);
      expect(r.json.error!.message).toMatch(/не gzip или он обрезан/);
      r = await post(base, token, gzipSync(pushBody([])).subarray(0, 20), { 'content-encoding': 'gzip' });
      expect(r.status).toBe(400);
      r = await post(base, token, gzipSync(pushBody([])), { 'content-encoding': 'br' });
      expect(r.status).toBe(415);
      expect(r.json.error!.message).toMatch(/Сжатие «br» не поддерживается/);
      expect(await head(t)).toBe(before);
      // The server still works after all that.
      r = await post(base, token, gzipSync(pushBody([op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '5') })])), { 'content-encoding': 'gzip' });
      expect(r.json.value!.acks[0]).toMatchObject({ status: 'accepted', serverSeq: before + 1 });
    });

    it('answers a request outside the version window with upgrade_required, and the client shows it', async () => {
      const { t, base, token } = await open();
      for (const [proto, schema] of [[MIN_PROTO - 1, SCHEMA], [PROTO + 1, SCHEMA], [PROTO, 0], [PROTO, SCHEMA + 1]] as const) {
        const r = await post(base, token, pushBody([], { proto, schema }));
        expect(r.status, `${proto}/${schema}`).toBe(426);
        expect(r.json.error!.code).toBe('upgrade_required');
        expect(r.json.error!.message).toMatch(/обновите программу/);
      }
      const pull = async (q: string) => {
        const r = await httpFetch(new URL(`api/v1/sync/pull?after=0&limit=5${q}`, base).toString(), { method: 'GET', headers: { authorization: `Bearer ${token}` } });
        return { status: r.status, json: JSON.parse(await r.text()) as { ok: boolean; value?: PullAnswer; error?: { code: string } } };
      };
      expect((await pull('')).status).toBe(200); // v1: no versions on pull
      expect((await pull(`&proto=${PROTO}&schema=${SCHEMA}`)).status).toBe(200);
      expect((await pull(`&proto=1&schema=${SCHEMA}`)).status).toBe(200);
      expect(await pull(`&proto=${PROTO + 1}&schema=${SCHEMA}`)).toMatchObject({ status: 426, json: { error: { code: 'upgrade_required' } } });
      expect(await pull(`&proto=${PROTO}&schema=x`)).toMatchObject({ status: 426, json: { error: { code: 'upgrade_required' } } });
      // A desktop whose journal is newer than the server's: the round fails with the code to show.
      const j = openJournal(':memory:', { create: true, device: 'pc7', durability: 'off' });
      j.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now());
      const rep = await syncOnce({ journal: j, server: base, token, fetch: httpFetch, clock: t.clock });
      expect(rep).toMatchObject({ ok: false, errorCode: 'upgrade_required' });
      expect(rep.error).toMatch(/обновите программу на сервере/);
      expect(j.meta('sync.cursor')).toBeUndefined();
      j.close();
    });

    it('judges a skewed clock by receipt: corrects by the reported skew, refuses back-dated ops (R-DATE), keeps the judged stamp, records the skew', async () => {
      const { t } = await open(); // pc7 enrolled (and its staff signed in) at 04:30Z
      const service = new SyncService(t.server.schools, t.server.store);
      const auth = { kind: 'device' as const, schoolId: 'tiny', deviceId: 'pc7' };
      const now = Date.parse('2026-09-10T08:00:00.000Z'); // after the lesson (09:30 local = 04:30Z)
      const DAY = 86_400_000;
      const YEAR = 365 * DAY;
      const stampOf = async (seq: number) => (await t.server.store.readSince('tiny', 0, 5000)).find((o) => o.device === 'pc7' && o.seq === seq)?.hlc;
      // A year behind, v2+: it reports its clock, the server corrects the op's HLC, accepts it and
      // keeps the judged stamp in its log (the ack carries it for the client's own copy).
      const behind = '2025-09-10T08:00:00.000Z-0000';
      let r = await service.push(auth, { proto: 2, schema: SCHEMA, device: 'pc7', clock: now - YEAR, ops: [op({ device: 'pc7', seq: 1, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[0], '4'), hlc: behind })] }, now);
      expect(r.ok && r.value.acks[0]).toMatchObject({ status: 'accepted', hlc: '2026-09-10T08:00:00.000Z-0000' });
      expect(await stampOf(1)).toBe('2026-09-10T08:00:00.000Z-0000');
      expect(service.deviceClock('tiny', 'pc7')).toEqual({ skewMs: -YEAR, at: now });
      // The same clock without a report (v1): a moment before the computer's previous op — back-dated,
      // refused for good (R-DATE); the seq is spent and the queue goes on (a clock never blocks sync).
      r = await service.push(auth, { proto: 1, schema: SCHEMA, device: 'pc7', ops: [
        op({ device: 'pc7', seq: 2, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[1], '4'), hlc: behind }),
        op({ device: 'pc7', seq: 3, author: T.teacherAcc, kind: 'mark.set', payload: mark(T.students[2], '4'), hlc: '2026-09-10T07:59:00.000Z-0000' }),
      ] }, now);
      expect(r.ok && r.value.acks.map((a) => a.status)).toEqual(['rejected', 'accepted']);
      expect(r.ok && r.value.acks[0]).toMatchObject({ code: 'backdated', requirement: 'R-DATE', clause: 'п. 9.5' });
      // A minute before the previous op's judged stamp (within the 10 minutes' slack): taken at its own time, no rewrite.
      expect(r.ok && r.value.acks[1]).not.toHaveProperty('hlc');
      // Five days later: an op dated 13 days before its receipt is back-dated; a genuine offline op,
      // made an hour after the computer's previous push and synced only now, is taken at its own time.
      const later = now + 5 * DAY;
      r = await service.push(auth, { proto: 2, schema: SCHEMA, device: 'pc7', clock: later, ops: [
        op({ device: 'pc7', seq: 4, author: T.teacherAcc, kind: 'attendance.set', payload: { lessonId: T.lessons[0], entries: [{ studentId: T.students[0], absent: true }] }, hlc: `${new Date(later - 13 * DAY).toISOString()}-0000` }),
        op({ device: 'pc7', seq: 5, author: T.teacherAcc, kind: 'attendance.set', payload: { lessonId: T.lessons[0], entries: [{ studentId: T.students[1], absent: true }] }, hlc: '2026-09-10T09:00:00.000Z-0000' }),
      ] }, later);
      expect(r.ok && r.value.acks.map((a) => a.status)).toEqual(['rejected', 'accepted']);
      expect(r.ok && r.value.acks[0]).toMatchObject({ code: 'backdated', requirement: 'R-DATE' });
      expect(r.ok && r.value.acks[1]).not.toHaveProperty('hlc');
      expect(await stampOf(5)).toBe('2026-09-10T09:00:00.000Z-0000');
      // The judgement itself: never after the receipt, corrected by the skew, null below the floor.
      const floor = now - 10 * 60_000;
      expect(judgedAt('2027-01-01T00:00:00.000Z-0000', now, 0, floor)).toBe(now);
      expect(judgedAt(behind, now, 0, floor)).toBeNull();
      expect(judgedAt(behind, now, -YEAR, floor)).toBe(now);
      expect(judgedAt('2026-09-10T07:51:00.000Z-0000', now, 0, floor)).toBe(now - 9 * 60_000);
      expect(judgedAt('2026-09-10T07:49:00.000Z-0000', now, 0, floor)).toBeNull();
      expect(judgedAt('2026-09-09T08:00:00.000Z-0000', now, 0, now - 2 * DAY)).toBe(now - DAY);
    });
  });
}

