/**
 * [5/7] A desktop still speaking sync protocol v1 syncs with the current server: the requests a
 * v1 client sent (recorded once by test/fixtures/sync-proto1/record.ts — plain JSON bodies, no
 * versions on pull, a device token) are replayed byte for byte, and the answers must be what the
 * v1 server gave: the same ops accepted with the same server seqs, the same ops pulled, and a
 * state checksum a v1 client can compare with its own.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fromWire, type PullAnswer, type PushAnswer } from '../src-shared/sync/protocol';
import { openJournal } from '../src-main/journal/open';
import { applyOp } from '../src-main/journal/apply';
import { stateChecksum } from '../src-main/journal/checksum';
import type { RecordedExchange } from './fixtures/sync-proto1/record';
import { storeKinds, removeTempDirs, type StoreHandle } from './support/stores';
import { schoolFile, startServer, type TestServer } from './support/server';

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
      const token = (enrol.json() as { value: { token: string } }).value.token;
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
            expect(a.ops).toEqual(b.ops);
            expect([a.cursor, a.head]).toEqual([b.cursor, b.head]);
            j.sqlite.transaction(() => { for (const w of a.ops) applyOp(j, fromWire(w)); })();
            // The checksum a v1 client compares with its own replica.
            expect(a.checksum).toBe(stateChecksum(j.sqlite));
          }
        }
        // The two ops the v1 client pushed came back in the last pull with their server seqs.
        const push = JSON.parse(session.exchanges[1]!.body!) as { ops: { seq: number }[] };
        const last = (JSON.parse(session.exchanges[2]!.answer) as Envelope<PullAnswer>).value;
        expect(last.ops.filter((o) => o.device === session.device).map((o) => o.seq)).toEqual(push.ops.map((o) => o.seq));
      } finally {
        j.close();
      }
    });
  });
}
