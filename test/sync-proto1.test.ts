/**
 * A desktop still speaking sync protocol v1 syncs with the current server: the requests a
 * v1 client sent (recorded once by test/fixtures/sync-proto1/record.ts — plain JSON bodies, no
 * versions on pull, a device token) are replayed byte for byte, and the answers must be what the
 * v1 server gave: the same ops accepted with the same server seqs, the same ops pulled — but for
 * what a school computer may no longer see (a family's password verifier arrives withheld,
 * R-PRIVACY). The computer is enrolled and its author signed in online before the replay (what a
 * v1 client needs to keep syncing, docs/security.md). A v1 pull carries no checksum any more (a v1
 * client would compare it with its full state, which differs by design); the mirror built from the
 * answers is compared with the server's replica by the sync checksum here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fromWire, type PullAnswer, type PushAnswer } from '../src-shared/sync/protocol';
import { openJournal } from '../src-main/journal/open';
import { applyOp } from '../src-main/journal/apply-op';
import { syncChecksum } from '../src-main/journal/checksum';
import { WITHHELD_VERIFIER } from '../src-server/sync/service';
import type { RecordedExchange } from './fixtures/sync-proto1/record';
import { storeKinds, removeTempDirs, type StoreHandle } from './support/stores';
import { schoolFile, signInOnComputer, startServer, type TestServer } from './support/server';
import { T } from './support/tiny-school';

afterAll(removeTempDirs);

const session = JSON.parse(readFileSync(new URL('./fixtures/sync-proto1/session.json', import.meta.url), 'utf8')) as {
  proto: number; device: string; recordedAt: number; exchanges: RecordedExchange[];
};

type Envelope<T> = { ok: boolean; value: T };

for (const kind of storeKinds()) {
  describe(`protocol v1 replay: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });

    it('answers a recorded v1 session as the v1 server did', async () => {
      expect(session.proto).toBe(1);
      expect(session.exchanges.map((x) => `${x.method} ${x.url.split('?')[0]}`)).toEqual(['GET /api/v1/sync/pull', 'POST /api/v1/sync/push', 'GET /api/v1/sync/pull']);
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
      servers.push(t);
      t.clock.set(new Date(session.recordedAt).toISOString());
      const cookie = await t.cookie('admin');
      const enrol = await t.server.app.inject({ method: 'POST', url: '/api/v1/devices', payload: { name: 'Кабинет 5', deviceId: session.device }, headers: { cookie } });
      expect(enrol.statusCode, enrol.body).toBe(200);
      const token = (enrol.json() as { value: { token: string } }).value.token;
      // The author of the pushed ops signs in online on the computer (a v1 client cannot prove an offline sign-in).
      await signInOnComputer(t, token, 'teacher');
      const replica = (await t.server.schools.find('tiny'))!;
      /** The recorded ops as a school computer gets them now: a family's verifier withheld, nothing else changed. */
      const FAMILY = new Set<string>([T.parent, T.otherParent]);
      const asNow = (ops: PullAnswer['ops']) => ops.map((o) => (o.kind === 'account.password' && FAMILY.has((o.payload as unknown[])[1] as string)
        ? { ...o, payload: (o.payload as unknown[]).map((v, i) => (i === 2 ? WITHHELD_VERIFIER : v)) } : o));
      // The v1 client's replica, built only from what the server answers (as v1 did: fromWire, apply).
      const j = openJournal(':memory:', { create: true, device: 'v1-mirror', durability: 'off' });
      try {
        for (const x of session.exchanges) {
          const headers = { ...x.headers, authorization: `Bearer ${token}` };
          const r = await t.server.app.inject({ method: x.method, url: x.url, headers, ...(x.body !== undefined ? { payload: x.body } : {}) });
          expect(r.statusCode, r.body).toBe(x.status);
          expect(r.headers['content-encoding']).toBeUndefined(); // v1 asked for no compression
          const now = JSON.parse(r.body) as Envelope<unknown>;
          const then = JSON.parse(x.answer) as Envelope<unknown>;
          if (x.method === 'POST') {
            // Push: every op answered as before (accepted, same server seq).
            expect((now.value as PushAnswer)).toEqual(then.value as PushAnswer);
            expect((now.value as PushAnswer).acks.map((a) => a.status)).toEqual(['accepted', 'accepted']);
          } else {
            const a = now.value as PullAnswer;
            const b = then.value as PullAnswer;
            expect(a.ops).toEqual(asNow(b.ops));
            expect([a.cursor, a.head]).toEqual([b.cursor, b.head]);
            j.sqlite.transaction(() => { for (const w of a.ops) applyOp(j, fromWire(w)); })();
            // No checksum for a v1 pull; the mirror equals the server's replica but for the private data.
            expect(a.checksum).toBeUndefined();
            expect(b.checksum).toMatch(/^[0-9a-f]{64}$/);
            expect(syncChecksum(j.sqlite)).toBe(await replica.exclusive(async (r) => syncChecksum(r.journal.sqlite)));
          }
        }
        // The two ops the v1 client pushed came back in the last pull with their server seqs.
        const push = JSON.parse(session.exchanges[1]!.body!) as { ops: { seq: number }[] };
        const last = (JSON.parse(session.exchanges[2]!.answer) as Envelope<PullAnswer>).value;
        expect(last.ops.filter((o) => o.device === session.device).map((o) => o.seq)).toEqual(push.ops.map((o) => o.seq));
        // R-PRIVACY: the parents' verifiers the v1 server once sent never reached this computer now.
        const withheld = (JSON.parse(session.exchanges[0]!.answer) as Envelope<PullAnswer>).value.ops.filter((o) => o.kind === 'account.password' && FAMILY.has((o.payload as unknown[])[1] as string));
        expect(withheld).toHaveLength(2);
        expect(j.stmt('SELECT verifier FROM account WHERE id IN (?, ?)').pluck().all(T.parent, T.otherParent)).toEqual([WITHHELD_VERIFIER, WITHHELD_VERIFIER]);
      } finally {
        j.close();
      }
    });
  });
}
