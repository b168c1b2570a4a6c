/**
 * Snapshot bootstrap and repair over real HTTP (a server listening on a loopback port):
 * a fresh journal installs the school's state at S and pulls on from there; the download resumes
 * with Range after a cut and never mixes two snapshots (If-Range); a broken download changes
 * nothing in the journal; a rebase and an undone op after a bootstrap fold from the snapshot's
 * base; a state corrupted behind the log's back repairs itself on the next sync. The snapshot
 * carries no password verifiers and no messages: the computer fetches its own share of them
 * afterwards, and compares its state with the server's by the sync checksum, which leaves them out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../src-main/journal/open';
import { stateChecksum, syncChecksum } from '../../src-main/journal/checksum';
import { allowAll, submit } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { verifyJournal } from '../../src-main/journal/verify';
import { refoldState } from '../../src-main/journal/refold';
import { syncOnce, type SyncOptions } from '../../src-main/sync/client';
import { httpFetch } from '../../src-main/sync/transport';
import { fetchAndInstall, httpDownload, isFresh, type SnapshotDownload } from '../../src-main/sync/bootstrap';
import { T, tempFile } from '../../test/support/tiny-school';
import { storeKinds, removeOnExit, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { schoolFile, startServer, type TestServer, deviceToken } from '../../test/support/server';
import { parseRange } from '../http/snapshot';

afterAll(removeTempDirs);

const mark = (studentId: string, value: string, lesson = T.lessons[0]) => ({ lessonId: lesson, marks: [{ studentId, value }] });

describe('parseRange', () => {
  it('reads one byte range and refuses what cannot be satisfied', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual([0, 9]);
    expect(parseRange('bytes=90-', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=-10', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=95-500', 100)).toEqual([95, 99]);
    expect(parseRange('bytes=100-', 100)).toBe('bad');
    expect(parseRange('bytes=9-3', 100)).toBe('bad');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

const kind = storeKinds()[0]!; // the SQLite store: the snapshot does not depend on the store

describe('sync snapshots over HTTP', () => {
  const handles: StoreHandle[] = [];
  const servers: TestServer[] = [];
  const journals: Journal[] = [];
  afterEach(async () => {
    for (const j of journals.splice(0)) if (j.sqlite.open) j.close();
    for (const s of servers.splice(0)) await s.close();
    for (const h of handles.splice(0)) await h.cleanup();
  });

  async function open(o: { maxLag?: number } = {}) {
    const h = await kind.open();
    handles.push(h);
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }], ...(o.maxLag !== undefined ? { snapshots: { maxLag: o.maxLag } } : {}) });
    servers.push(t);
    const url = await t.server.listen(0, '127.0.0.1');
    // A device token for device pc1 (a desktop in the staff room), every staff account signed in on it.
    const token = await deviceToken(t, 'pc1', 'Учительская');
    return { t, url, token };
  }
  async function serverChecksum(t: TestServer) {
    const replica = (await t.server.schools.find('tiny'))!;
    return replica.exclusive(async (r) => syncChecksum(r.journal.sqlite));
  }
  function journal(): Journal {
    const j = openJournal(removeOnExit(tempFile()), { create: true, device: 'pc1' });
    journals.push(j);
    return j;
  }
  const opts = (s: { url: string; token: string; t: TestServer }, j: Journal, download?: SnapshotDownload): SyncOptions => ({
    journal: j, server: s.url, token: s.token, fetch: httpFetch, clock: s.t.clock, snapshot: download ? { download } : {},
  });

  it('bootstraps a fresh journal from a snapshot, then pulls on from S; rebase and undo fold from the base', async () => {
    const s = await open();
    const replica = (await s.t.server.schools.find('tiny'))!;
    const head = replica.serverSeq;
    const j = journal();
    expect(isFresh(j)).toBe(true);
    const first = await syncOnce(opts(s, j));
    expect(first).toMatchObject({ ok: true, snapshotSeq: head, pulled: 0, checksumMatch: true });
    expect(first.bytesReceived).toBeGreaterThan(1000);
    expect(j.meta('sync.cursor')).toBe(String(head));
    expect(j.meta('sync.base_seq')).toBe(String(head));
    expect(j.stmt('SELECT count(*) FROM op_log').pluck().get()).toBe(0);
    expect(j.device).toBe('pc1');
    expect(syncChecksum(j.sqlite)).toBe(await serverChecksum(s.t));
    // The snapshot held no verifiers: the staff's came with the computer's share (offline sign-in), a family's never.
    const verifier = (id: string) => j.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(id);
    expect(verifier(T.teacherAcc)).toMatch(/^scrypt\$\d/);
    expect(verifier(T.parent)).toBeNull();
    expect(j.stmt('SELECT verifier FROM base__account WHERE id = ?').pluck().get(T.teacherAcc)).toBe(verifier(T.teacherAcc));
    expect(verifyJournal(j).problems).toEqual([]);
    expect(existsSync(`${j.file}.snapshot.part`)).toBe(false);

    // A pending own op and a newer write of another author to the same cell: a rebase.
    const ctx = { journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: regulationGuard };
    submit(ctx, draft('mark.set', mark(T.students[0], '5')));
    await replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.deputy }, clock: s.t.clock, guard: allowAll }, draft('mark.set', mark(T.students[1], '3')))));
    await replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.deputy }, clock: s.t.clock, guard: allowAll }, draft('lesson.update', { id: T.lessons[0], topic: 'Повторение' }))));
    const second = await syncOnce({ ...opts(s, j), pullLimit: 1 });
    expect(second).toMatchObject({ ok: true, pushed: 1, checksumMatch: true });
    expect(second.rebases).toBeGreaterThan(0);
    expect(second.snapshotSeq).toBeUndefined();
    expect(syncChecksum(j.sqlite)).toBe(await serverChecksum(s.t));
    expect(verifyJournal(j).problems).toEqual([]);

    // The deputy blocks the teacher: the teacher's next op is refused and undone by a re-fold from the base.
    await replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.admin }, clock: s.t.clock, guard: regulationGuard }, draft('account.block', { id: T.teacherAcc, blocked: true, reason: 'тест' }))));
    submit(ctx, draft('mark.set', mark(T.students[2], '4')));
    const third = await syncOnce(opts(s, j));
    expect(third).toMatchObject({ ok: true, rejected: 1, checksumMatch: true });
    expect(syncChecksum(j.sqlite)).toBe(await serverChecksum(s.t));
    // Students 0 and 1 keep their marks: the re-fold started from the base, not from empty.
    expect(j.stmt('SELECT count(*) FROM mark WHERE lesson_id = ?').pluck().get(T.lessons[0])).toBe(2);
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('a re-fold after a bootstrap keeps voiding ops of an account whose breach record is below the base (R-BREACH)', async () => {
    const s = await open();
    const replica = (await s.t.server.schools.find('tiny'))!;
    await replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.admin }, clock: s.t.clock, guard: allowAll },
      draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-09T00:00:00Z', reportedAt: '2026-09-10T04:00:00Z' }))));
    const j = journal();
    expect(await syncOnce(opts(s, j))).toMatchObject({ ok: true, pulled: 0, checksumMatch: true });
    expect(j.stmt('SELECT count(*) FROM op_log').pluck().get()).toBe(0);
    // An op of the breached account made on this desktop (say, before it heard of the breach).
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: allowAll }, draft('mark.set', mark(T.students[0], '2')));
    const cell = () => j.stmt('SELECT count(*) FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(T.lessons[0], T.students[0]);
    expect(cell()).toBe(0); // void at once: the breach table (from the base) says so
    j.sqlite.pragma('foreign_keys = OFF');
    refoldState(j, { canonical: true });
    j.sqlite.pragma('foreign_keys = ON');
    expect(cell()).toBe(0); // and still void after a re-fold from the base
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('serves byte ranges: 206 with Content-Range, If-Range of another snapshot → the whole file, 416 past the end', async () => {
    const s = await open();
    const get = (headers: Record<string, string> = {}) => fetch(`${s.url}api/v1/sync/snapshot`, { headers: { authorization: `Bearer ${s.token}`, ...headers } });
    const full = await get();
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const body = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get('etag')!;
    expect(etag).toBe(`"${full.headers.get('x-snapshot-sha256')}"`);
    expect(Number(full.headers.get('x-snapshot-seq'))).toBe((await s.t.server.schools.find('tiny'))!.serverSeq);
    const part = await get({ range: 'bytes=100-', 'if-range': etag });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${body.length - 1}/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100))).toBe(true);
    const other = await get({ range: 'bytes=100-', 'if-range': `"${'0'.repeat(64)}"` });
    expect(other.status).toBe(200);
    expect(Buffer.from(await other.arrayBuffer()).length).toBe(body.length);
    const past = await get({ range: `bytes=${body.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${body.length}`);
    const anon = await fetch(`${s.url}api/v1/sync/snapshot`);
    expect(anon.status).toBe(401);
    for (const q of ['-1', 'x', '999999']) {
      const bad = await fetch(`${s.url}api/v1/sync/snapshot?min=${q}`, { headers: { authorization: `Bearer ${s.token}` } });
      expect(bad.status, q).toBe(400);
    }
  });

  it('reuses a snapshot while fresh, makes a new one when the head moved on, and still serves the old one to a resumed download', async () => {
    const s = await open({ maxLag: 1 });
    const replica = (await s.t.server.schools.find('tiny'))!;
    const get = (headers: Record<string, string> = {}, q = '') => fetch(`${s.url}api/v1/sync/snapshot${q}`, { headers: { authorization: `Bearer ${s.token}`, ...headers } });
    const write = (value: string) => replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: allowAll }, draft('mark.set', mark(T.students[0], value)))));
    const a = await get();
    const oldBody = Buffer.from(await a.arrayBuffer());
    const oldTag = a.headers.get('etag')!;
    const seqA = Number(a.headers.get('x-snapshot-seq'));
    await write('5');
    // One op behind (≤ maxLag): the same file.
    expect((await get()).headers.get('etag')).toBe(oldTag);
    // …unless the client needs a newer one (repair: min = its cursor).
    const fresh = await get({}, `?min=${seqA + 1}`);
    expect(Number(fresh.headers.get('x-snapshot-seq'))).toBe(seqA + 1);
    await fresh.arrayBuffer();
    await write('4');
    await write('3');
    const b = await get();
    expect(Number(b.headers.get('x-snapshot-seq'))).toBe(seqA + 3);
    expect(b.headers.get('etag')).not.toBe(oldTag);
    await b.arrayBuffer();
    // Two are kept: the older one (seqA + 1) still resumes; the first one is gone → the whole new file.
    const keptTag = fresh.headers.get('etag')!;
    const resumed = await get({ range: 'bytes=10-', 'if-range': keptTag });
    expect(resumed.status).toBe(206);
    expect(resumed.headers.get('etag')).toBe(keptTag);
    await resumed.arrayBuffer();
    const gone = await get({ range: 'bytes=10-', 'if-range': oldTag });
    expect(gone.status).toBe(200);
    expect(gone.headers.get('etag')).toBe(b.headers.get('etag'));
    expect(Buffer.from(await gone.arrayBuffer()).equals(oldBody)).toBe(false);
  });

  it('falls back to pulling the whole log from a server without snapshots or with a snapshot of another schema', async () => {
    const s = await open();
    const otherSchema: SnapshotDownload = async (url, headers) => {
      const r = await httpDownload(url, headers);
      return { ...r, headers: { get: (n) => (n === 'x-snapshot-schema' ? '999' : r.headers.get(n)) } };
    };
    const old: SnapshotDownload = async () => ({ status: 404, headers: { get: () => null }, body: (async function* () { /* empty */ })() });
    for (const download of [otherSchema, old]) {
      const j = journal();
      const r = await syncOnce(opts(s, j, download));
      expect(r).toMatchObject({ ok: true, checksumMatch: true });
      expect(r.snapshotSeq).toBeUndefined();
      expect(r.pulled).toBeGreaterThan(40);
      expect(j.meta('sync.base_seq')).toBeUndefined();
      expect(existsSync(`${j.file}.snapshot.part`)).toBe(false);
    }
  });

  it('resumes a cut download with Range; a corrupted download changes nothing and is fetched again', async () => {
    const s = await open();
    const ranges: string[] = [];
    let cutAfter = 3; // 512-byte pieces to let through before the link "breaks"
    const flaky: SnapshotDownload = async (url, headers) => {
      if (headers.range) ranges.push(headers.range);
      const r = await httpDownload(url, headers);
      const limit = cutAfter;
      return {
        ...r,
        body: (async function* () {
          let n = 0;
          for await (const c of r.body) {
            // Small pieces so that the cut lands inside the file.
            for (let i = 0; i < c.byteLength; i += 512) {
              if (n++ >= limit) throw new Error('ECONNRESET');
              yield c.subarray(i, Math.min(i + 512, c.byteLength));
            }
          }
        })(),
      };
    };
    const j = journal();
    const before = stateChecksum(j.sqlite);
    const cut = await syncOnce(opts(s, j, flaky));
    expect(cut.ok).toBe(false);
    expect(cut.error).toMatch(/не полностью/);
    expect(stateChecksum(j.sqlite)).toBe(before);
    expect(isFresh(j)).toBe(true);
    const partSize = readFileSync(`${j.file}.snapshot.part`).length;
    expect(partSize).toBe(3 * 512);
    cutAfter = Infinity;
    const resumed = await syncOnce(opts(s, j, flaky));
    expect(resumed).toMatchObject({ ok: true, checksumMatch: true });
    expect(ranges).toEqual([`bytes=${partSize}-`]);
    expect(syncChecksum(j.sqlite)).toBe(await serverChecksum(s.t));

    // A corrupted part: the sha256 check refuses it, the journal is untouched, the next sync starts over.
    const k = journal();
    cutAfter = 3;
    await syncOnce(opts(s, k, flaky));
    const file = `${k.file}.snapshot.part`;
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(file, bytes);
    cutAfter = Infinity;
    const broken = await syncOnce(opts(s, k, flaky));
    expect(broken.ok).toBe(false);
    expect(broken.error).toMatch(/повреждён/);
    expect(isFresh(k)).toBe(true);
    expect(k.stmt('SELECT count(*) FROM student').pluck().get()).toBe(0);
    expect(existsSync(file)).toBe(false);
    const again = await syncOnce(opts(s, k, flaky));
    expect(again).toMatchObject({ ok: true, checksumMatch: true });
  });

  it('repairs a state corrupted behind the log\'s back on the next sync, keeping pending own ops', async () => {
    const s = await open();
    const j = journal();
    // Bootstrapped by pulling the whole log (no snapshot option): the log holds all the history.
    const boot = await syncOnce({ ...opts(s, j), snapshot: undefined });
    expect(boot).toMatchObject({ ok: true, checksumMatch: true });
    expect(boot.pulled).toBeGreaterThan(40);
    const ops = j.stmt('SELECT count(*) FROM op_log').pluck().get() as number;
    // Something (a bug, a hand edit) changes the state without an op.
    j.sqlite.prepare('UPDATE student SET last_name = ? WHERE id = ?').run('Испорчено', T.students[0]);
    j.sqlite.prepare('DELETE FROM lesson WHERE id = ?').run(T.lessons[1]);
    const noRepair = await syncOnce({ ...opts(s, j), snapshot: undefined });
    expect(noRepair).toMatchObject({ checksumMatch: false });
    expect(noRepair.repaired).toBeUndefined();
    const r = await syncOnce(opts(s, j));
    expect(r).toMatchObject({ ok: true, repaired: true, checksumMatch: true });
    expect(r.error).toBeUndefined();
    expect(syncChecksum(j.sqlite)).toBe(await serverChecksum(s.t));
    expect(j.meta('sync.repairs')).toBe('1');
    expect(j.meta('sync.repairedAt')).toBe(new Date(s.t.clock.now()).toISOString());
    // The history stays in the log (R-AUDIT); a re-fold starts from the new base.
    expect(j.stmt('SELECT count(*) FROM op_log').pluck().get()).toBe(ops);
    expect(verifyJournal(j).problems).toEqual([]);

    // Pending own ops at the moment of a repair are folded again on top of the snapshot.
    j.sqlite.prepare('UPDATE student SET last_name = ? WHERE id = ?').run('Снова', T.students[1]);
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: regulationGuard }, draft('mark.set', mark(T.students[2], '5')));
    await fetchAndInstall({ journal: j, server: s.url, token: s.token, snapshot: {}, count: () => {} }, Number(j.meta('sync.cursor')), 'x');
    expect(j.stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(T.lessons[0], T.students[2])).toBe('5');
    expect(j.stmt('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(j.stmt('SELECT last_name FROM student WHERE id = ?').pluck().get(T.students[1])).not.toBe('Снова');
    const after = await syncOnce(opts(s, j));
    expect(after).toMatchObject({ ok: true, pushed: 1, checksumMatch: true });
    expect(after.repaired).toBeUndefined();
    expect(verifyJournal(j).problems).toEqual([]);
  });
});
