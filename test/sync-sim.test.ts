/**
 * A deterministic simulation of sync (fast-check, seeded): one server — the real op-log
 * store (SQLite in memory), the real per-school replica and the real guard behind SyncService —
 * and 3–5 desktops (two of the teacher, the substitute, the deputy, the methodist) entering
 * marks, attendance and topics through the regulation guard on clocks skewed up to a year, over a
 * network that drops, duplicates, delays (delivers later, out of order) and partitions. After
 * healing and two rounds: every replica's checksum equals the server's; no op is lost (each is in
 * the server's log or in its author's rejected list); none is applied twice; authorship is intact.
 * It tests convergence, not authentication: each desktop is enrolled in the store a day before the
 * run and its person signed in on it then (store.enrollDevice, store.recordSignin), so the server's
 * trust checks pass for honest ops; an op whose clock moved between its making and its push may be
 * refused as back-dated (R-DATE) — it lands in its author's rejected list like any refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { openJournal, type Journal } from '../src-main/journal/open';
import { stateChecksum } from '../src-main/journal/checksum';
import { CommandRefused, submit, allowAll } from '../src-main/commands/execute';
import { regulationGuard } from '../src-main/commands/guard';
import { draft, type OpDraft } from '../src-main/journal/log';
import { verifyJournal } from '../src-main/journal/verify';
import { rejectedOps, SyncClient, type SyncFetch, type SyncResponse } from '../src-main/sync/client';
import { openSqliteStore } from '../src-server/store/sqlite';
import { Schools } from '../src-server/schools/registry';
import { SyncService } from '../src-server/sync/service';
import { verifierTag } from '../src-server/auth/tokens';
import { createLogger } from '../src-server/log';
import { T, tinySchool } from './support/tiny-school';
import { removeOnExit, removeTempDirs, tempDir } from './support/stores';
import { tempFile } from './support/tiny-school';

const DAY = 86_400_000;
const SERVER_START = Date.parse('2026-09-16T07:30:00.000Z');
const PEOPLE = [
  { device: 'c1', account: T.teacherAcc },
  { device: 'c2', account: T.teacherAcc },
  { device: 'c3', account: T.substituteAcc },
  { device: 'c4', account: T.deputy },
  { device: 'c5', account: T.methodist },
];
const VALUES = ['5', '4', '3', '2', '5/4'];
/** Lessons of the simulated day (16 September, UTC+5): 10:15, 11:10 (the substitute's) and 12:00. */
const LESSONS = [T.lessons[2], 'l-0916b', 'l-0916c'];

let template = '';
beforeAll(() => {
  template = removeOnExit(tempFile());
  const { j, admin } = tinySchool(template, { device: 'dev1' });
  submit({ ...admin, guard: allowAll },
    draft('lesson.create', { id: 'l-0916b', courseId: T.course, date: '2026-09-16', number: 4 }),
    draft('lesson.create', { id: 'l-0916c', courseId: T.course, date: '2026-09-16', number: 5 }),
    draft('substitution.set', { lessonId: 'l-0916b', teacherId: T.substitute }));
  j.close();
});
afterAll(removeTempDirs);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Action =
  | { t: 'cmd'; c: number; kind: 'mark' | 'annul' | 'att' | 'topic'; lesson: number; student: number; value: number }
  | { t: 'sync'; c: number }
  | { t: 'stale' }
  | { t: 'partition'; c: number; on: boolean }
  | { t: 'tick'; ms: number }
  | { t: 'skew'; c: number; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('cmd' as const), c: fc.nat(4), kind: fc.constantFrom('mark' as const, 'mark' as const, 'annul' as const, 'att' as const, 'topic' as const), lesson: fc.nat(2), student: fc.nat(2), value: fc.nat(4) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sync' as const), c: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('stale' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('partition' as const), c: fc.nat(4), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1000, max: 2 * 3600_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('skew' as const), c: fc.nat(4), ms: fc.oneof(fc.integer({ min: -600_000, max: 600_000 }), fc.integer({ min: -365 * DAY, max: 365 * DAY })) }) },
);

function drafts(a: Extract<Action, { t: 'cmd' }>): OpDraft {
  const lessonId = LESSONS[a.lesson]!;
  const studentId = T.students[a.student]!;
  switch (a.kind) {
    case 'mark': return draft('mark.set', { lessonId, marks: [{ studentId, value: VALUES[a.value]! }] });
    case 'annul': return draft('mark.annul', { lessonId, marks: [{ studentId }] });
    case 'att': return draft('attendance.set', { lessonId, entries: [{ studentId, absent: a.value % 2 === 0 }] });
    case 'topic': return draft('lesson.update', { id: lessonId, topic: `Тема ${a.value}` });
  }
}

interface Stats { runs: number; ops: number; accepted: number; rejected: number; rebases: number; faults: number; bases: number }
const stats: Stats = { runs: 0, ops: 0, accepted: 0, rejected: 0, rebases: 0, faults: 0, bases: 0 };
const timing = { server: 0, clients: 0, actions: 0 };

/** `baseEvery` of the desktops c1…c4 (c1's journal is verified, replayed from empty: its log is whole). */
const BASE_EVERY = [3, 10, 6, 25];

async function simulate(nClients: number, seed: number, actions: Action[]): Promise<void> {
  const rnd = mulberry32(seed);
  let serverNow = SERVER_START;
  const serverClock = { now: () => serverNow };
  const store = openSqliteStore(':memory:');
  const schools = new Schools({ store, dataDir: tempDir('ejournal-sim-'), clock: serverClock, log: createLogger({ level: 'silent' }) });
  const journals: Journal[] = [];
  try {
    const t0 = performance.now();
    await schools.importJournal({ schoolId: 'tiny', file: template });
    timing.server += performance.now() - t0;
    const service = new SyncService(schools, store);
    // The school's computers, enrolled a day before, each person signed in on their own (docs/security.md).
    const before = new Date(SERVER_START - DAY).toISOString();
    for (const p of PEOPLE.slice(0, nClients)) {
      await store.enrollDevice({ schoolId: 'tiny', deviceId: p.device, tokenHash: `sim-${p.device}`, name: `Кабинет ${p.device}`, enrolledBy: T.admin, enrolledAt: before, lastSeenAt: null, revokedAt: null, lastOpAt: null, allowed: null });
      await store.recordSignin({ schoolId: 'tiny', deviceId: p.device, accountId: p.account, at: before, method: 'online', verifierTag: verifierTag(null), recordedAt: before });
    }
    const stale: (() => Promise<unknown>)[] = [];
    let faulty = true;
    const people = PEOPLE.slice(0, nClients).map((p) => ({ ...p, offset: 0, partitioned: false, j: openJournal(':memory:', { create: true, device: p.device, durability: 'off' }) }));
    journals.push(...people.map((p) => p.j));
    timing.clients += performance.now() - t0;
    const created = new Map<string, string>();

    const fetchFor = (device: string, isPartitioned: () => boolean): SyncFetch => async (url, init) => {
      if (faulty && isPartitioned()) throw new Error('нет связи');
      const u = new URL(url);
      const deliver = async (): Promise<SyncResponse> => {
        const auth = { kind: 'device' as const, schoolId: 'tiny', deviceId: device };
        const r = u.pathname.endsWith('/push')
          ? await service.push(auth, JSON.parse(init.body === undefined ? '{}' : typeof init.body === 'string' ? init.body : gunzipSync(init.body).toString('utf8')), serverNow)
          : await service.pull(auth, Number(u.searchParams.get('after')), Number(u.searchParams.get('limit')), { proto: Number(u.searchParams.get('proto')), schema: Number(u.searchParams.get('schema')) });
        const text = JSON.stringify(r.ok ? { ok: true, value: r.value } : { ok: false, error: { code: r.code, message: r.message } });
        const date = new Date(serverNow).toUTCString();
        return { status: r.ok ? 200 : 400, headers: { get: (n) => (n === 'date' ? date : null) }, text: async () => text };
      };
      const x = faulty ? rnd() : 1;
      if (x < 0.05) { stats.faults++; throw new Error('запрос потерян'); }
      if (x < 0.10) { stats.faults++; stale.push(deliver); throw new Error('тайм-аут'); } // delivered later, out of order
      const res = await deliver();
      if (x < 0.15) { stats.faults++; await deliver(); } // duplicated on the way
      if (x < 0.20) { stats.faults++; throw new Error('ответ потерян'); }
      return res;
    };
    // The re-fold base moves at quiet points every few ops (journal/base.ts), differently per desktop;
    // the last desktop keeps the default (never in a school this small): re-folds from empty.
    const clients = people.map((p, i) => new SyncClient({
      journal: p.j, server: 'https://sim/', token: 'd.tiny.x', clock: { now: () => serverNow + p.offset },
      fetch: fetchFor(p.device, () => p.partitioned), pullLimit: 7,
      ...(i < nClients - 1 ? { baseEvery: BASE_EVERY[i]! } : {}),
    }));

    // Bootstrap v1: every desktop starts empty and pulls the school from 0 (over the faulty network).
    for (const c of clients) await c.sync();
    const t1 = performance.now();
    for (const a of actions) {
      switch (a.t) {
        case 'cmd': {
          const p = people[a.c % nClients]!;
          try {
            const r = submit({ journal: p.j, actor: { accountId: p.account }, clock: { now: () => serverNow + p.offset }, guard: regulationGuard }, drafts(a));
            for (const o of r.ops) created.set(`${o.device}/${o.seq}`, o.author);
          } catch (err) {
            if (!(err instanceof CommandRefused)) throw err;
            if (process.env.SYNC_SIM_DEBUG) console.log(p.account, a.kind, err.message.slice(0, 90));
          }
          break;
        }
        case 'sync': {
          const r = await clients[a.c % nClients]!.sync();
          stats.rebases += r.rebases;
          if (r.baseAdvanced !== undefined) stats.bases++;
          break;
        }
        case 'stale': {
          const k = Math.floor(rnd() * stale.length);
          if (stale.length) await stale.splice(k, 1)[0]!();
          break;
        }
        case 'partition': people[a.c % nClients]!.partitioned = a.on; break;
        case 'tick': serverNow += a.ms; break;
        case 'skew': people[a.c % nClients]!.offset = a.ms; break;
      }
    }

    timing.actions += performance.now() - t1;
    // Heal: the network is reliable again, late messages arrive, two rounds for everyone.
    faulty = false;
    for (const p of people) p.partitioned = false;
    while (stale.length) await stale.shift()!();
    for (let round = 0; round < 2; round++) {
      for (const c of clients) {
        const r = await c.sync();
        expect(r.error, r.error).toBeUndefined();
        expect(r.ok).toBe(true);
      }
    }

    const replica = (await schools.find('tiny'))!;
    const serverSum = await replica.exclusive(async (r) => stateChecksum(r.journal.sqlite));
    const head = (await store.school('tiny'))!.head;
    const log = await store.readSince('tiny', 0, 1_000_000);
    expect(log.length).toBe(head);
    const byKey = new Map(log.map((o) => [`${o.device}/${o.seq}`, o]));
    expect(byKey.size).toBe(head); // none stored twice
    expect(replica.serverSeq).toBe(head);
    for (const p of people) {
      // Same state as the server; nothing pending; the log is the server's log, each op once, in place.
      expect(stateChecksum(p.j.sqlite)).toBe(serverSum);
      expect(p.j.stmt('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
      const rows = p.j.stmt('SELECT device, seq, server_seq AS s, author FROM op_log').all() as { device: string; seq: number; s: number | null; author: string }[];
      expect(rows.length).toBe(head);
      for (const r of rows) {
        const o = byKey.get(`${r.device}/${r.seq}`);
        expect(o, `${r.device}/${r.seq}`).toBeDefined();
        expect(r.s).toBe(o!.serverSeq);
        expect(r.author).toBe(o!.author);
      }
      if (p.device === 'c1') expect(verifyJournal(p.j).problems).toEqual([]);
      const own = p.j.stmt('SELECT count(*) FROM op_log WHERE device = ?').pluck().get(p.device) as number;
      expect(own + rejectedOps(p.j).length).toBe(Number(p.j.meta('next_seq')) - 1); // each seq used once
      const rejected = new Set(rejectedOps(p.j).map((x) => `${p.device}/${x.seq}`));
      stats.rejected += rejected.size;
      for (const [key, author] of created) {
        if (!key.startsWith(`${p.device}/`)) continue;
        // Every op made here is either in the server's log (with its author) or reported back rejected.
        if (rejected.has(key)) {
          expect(byKey.has(key)).toBe(false);
          expect(rejectedOps(p.j).find((x) => `${p.device}/${x.seq}` === key)!.author).toBe(author);
        } else {
          expect(byKey.get(key)?.author, key).toBe(author);
          stats.accepted++;
        }
      }
    }
    stats.ops += created.size;
    stats.runs++;
  } finally {
    for (const j of journals) j.close();
    await schools.closeAll();
    await store.close();
  }
}

describe('sync simulation', () => {
  it('converges under drops, duplicates, delays, partitions and skewed clocks', { timeout: 120_000 }, async () => {
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 5 }), fc.integer(), fc.array(action, { minLength: 10, maxLength: 50, size: 'max' }), (n, seed, actions) => simulate(n, seed, actions)),
      { seed: Number(process.env.SYNC_SIM_SEED ?? 20261128), numRuns: Number(process.env.SYNC_SIM_RUNS ?? 200) },
    );
    console.log(`sync simulation: ${JSON.stringify(stats)} ${JSON.stringify(timing)} in ${Math.round(performance.now() - t0)} ms`);
    // The simulation must exercise what it claims to.
    expect(stats.accepted).toBeGreaterThan(stats.runs);
    expect(stats.rebases).toBeGreaterThan(0);
    expect(stats.bases).toBeGreaterThan(0);
    expect(stats.faults).toBeGreaterThan(0);
  });
});
