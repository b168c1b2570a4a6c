/**
 * The re-fold base moves forward (journal/base.ts, docs/sync.md «Snapshots»), over real HTTP
 * (a server on a loopback port): at a quiet point — pulled to the head, nothing pending, the
 * checksum equal to the server's — the state is copied as the new base, so a later rebase folds
 * only the ops above it; never while something is pending; R-BREACH still voids across the base
 * (a desktop that pulled from 0 folds from empty again; a bootstrapped one repairs from a snapshot).
 * The desktop's state is compared with the server's by the sync checksum (a school computer holds
 * no family's password verifier: the full state checksums differ by design).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../src-main/journal/open';
import { syncChecksum } from '../../src-main/journal/checksum';
import { WITHHELD_VERIFIER } from './service';
import { allowAll, submit } from '../../src-main/commands/execute';
import { regulationGuard } from '../../src-main/commands/guard';
import { draft } from '../../src-main/journal/log';
import { verifyJournal } from '../../src-main/journal/verify';
import { refoldState } from '../../src-main/journal/refold';
import { SyncClient, syncOnce, type SyncOptions } from '../../src-main/sync/client';
import { httpFetch } from '../../src-main/sync/transport';
import { T, tempFile } from '../../test/support/tiny-school';
import { storeKinds, removeOnExit, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { schoolFile, startServer, type TestServer, deviceToken } from '../../test/support/server';

afterAll(removeTempDirs);

const mark = (studentId: string, value: string, lesson = T.lessons[0]) => ({ lessonId: lesson, marks: [{ studentId, value }] });
const kind = storeKinds()[0]!; // the SQLite store: the client's base does not depend on the store

describe('the re-fold base moves forward at quiet points', () => {
  const handles: StoreHandle[] = [];
  const servers: TestServer[] = [];
  const journals: Journal[] = [];
  afterEach(async () => {
    for (const j of journals.splice(0)) if (j.sqlite.open) j.close();
    for (const s of servers.splice(0)) await s.close();
    for (const h of handles.splice(0)) await h.cleanup();
  });

  async function open() {
    const h = await kind.open();
    handles.push(h);
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    servers.push(t);
    const url = await t.server.listen(0, '127.0.0.1');
    const token = await deviceToken(t, 'pc1', 'Учительская');
    const replica = (await t.server.schools.find('tiny'))!;
    /** An op written on the server (another device), as `accountId`. */
    const write = (accountId: string, d: ReturnType<typeof draft>) => replica.exclusive((rl) => rl.write((sj) => submit({ journal: sj, actor: { accountId }, clock: t.clock, guard: allowAll }, d)));
    const checksum = () => replica.exclusive(async (rl) => syncChecksum(rl.journal.sqlite));
    return { t, url, token, replica, write, checksum };
  }
  function journal(): Journal {
    const j = openJournal(removeOnExit(tempFile()), { create: true, device: 'pc1' });
    journals.push(j);
    return j;
  }
  // No `snapshot` option: the desktop pulls the whole log from 0 (its log is whole below any base).
  const opts = (s: { url: string; token: string; t: TestServer }, j: Journal, extra: Partial<SyncOptions> = {}): SyncOptions => ({
    journal: j, server: s.url, token: s.token, fetch: httpFetch, clock: s.t.clock, baseEvery: 1, ...extra,
  });
  const count = (j: Journal, sql: string, ...a: unknown[]) => j.stmt(sql).pluck().get(...a) as number;

  it('moves the base to the cursor when the pull reaches the head with the checksum equal; a rebase then folds only the ops above it', async () => {
    const s = await open();
    const j = journal();
    const first = await syncOnce(opts(s, j));
    const head = s.replica.serverSeq;
    expect(first).toMatchObject({ ok: true, checksumMatch: true, baseAdvanced: head });
    expect(first.pulled).toBeGreaterThan(10);
    expect(j.meta('sync.cursor')).toBe(String(head));
    expect(j.meta('sync.base_seq')).toBe(String(head));
    expect(j.meta('sync.log_whole')).toBe('1');
    expect(j.meta('sync.snapshot_seq')).toBeUndefined();
    // The history stays: every pulled op is still in the log; only the fold starts at the base.
    expect(count(j, 'SELECT count(*) FROM op_log')).toBe(first.pulled);
    expect(count(j, 'SELECT count(*) FROM base__mark_cell')).toBe(count(j, 'SELECT count(*) FROM mark'));
    // R-PRIVACY: the base copy, like the state, holds no family's verifier.
    expect(j.stmt('SELECT verifier FROM base__account WHERE id = ?').pluck().get(T.parent)).toBe(WITHHELD_VERIFIER);

    // A pending own op and newer writes of another author to the same lesson: a rebase.
    const ctx = { journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: regulationGuard };
    submit(ctx, draft('mark.set', mark(T.students[0], '5')));
    await s.write(T.deputy, draft('mark.set', mark(T.students[1], '3')));
    await s.write(T.deputy, draft('lesson.update', { id: T.lessons[0], topic: 'Повторение' }));
    const second = await syncOnce(opts(s, j, { pullLimit: 1 }));
    expect(second).toMatchObject({ ok: true, pushed: 1, checksumMatch: true });
    expect(second.rebases).toBeGreaterThan(0);
    // Folded again: the three ops above the base (the own op, confirmed, and the two foreign ones), not the log.
    expect(count(j, 'SELECT count(*) FROM op_log WHERE server_seq > ?', head)).toBe(3);
    expect(second.refolded).toBe(3);
    expect(syncChecksum(j.sqlite)).toBe(await s.checksum());
    expect(j.stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(T.lessons[0], T.students[0])).toBe('5');
    // …and the base moved on to the new head.
    expect(second.baseAdvanced).toBe(s.replica.serverSeq);
    expect(j.meta('sync.base_seq')).toBe(String(s.replica.serverSeq));
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('waits for baseEvery ops past the base, and never moves it with nothing to gain', async () => {
    const s = await open();
    const j = journal();
    const first = await syncOnce(opts(s, j, { baseEvery: 1_000_000 }));
    expect(first).toMatchObject({ ok: true, checksumMatch: true });
    expect(first.baseAdvanced).toBeUndefined();
    expect(j.meta('sync.base_seq')).toBeUndefined();
    const off = await syncOnce(opts(s, j, { baseEvery: 0 }));
    expect(off.baseAdvanced).toBeUndefined();
    expect(j.meta('sync.base_seq')).toBeUndefined();
  });

  it('does not move the base while own ops are pending or pulled ops of unknown kinds wait', async () => {
    const s = await open();
    const j = journal();
    expect(await syncOnce(opts(s, j))).toMatchObject({ ok: true, checksumMatch: true });
    const base = Number(j.meta('sync.base_seq'));
    expect(base).toBe(s.replica.serverSeq);

    // An own op in the outbox: not a quiet point.
    await s.write(T.deputy, draft('mark.set', mark(T.students[1], '4')));
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: regulationGuard }, draft('mark.set', mark(T.students[0], '5')));
    // The foreign op pulled by hand (a sync would push the own op first).
    const r = await httpFetch(`${s.url}api/v1/sync/pull?after=${base}&limit=100&proto=2&schema=${count(j, 'SELECT count(*) FROM __drizzle_migrations')}`, { method: 'GET', headers: { authorization: `Bearer ${s.token}` } });
    const client = new SyncClient(opts(s, j));
    client.applyPage((JSON.parse(await r.text()) as { value: Parameters<SyncClient['applyPage']>[0] }).value, base);
    expect(Number(j.meta('sync.cursor'))).toBeGreaterThan(base);
    expect(client.advanceBase()).toBe(false);
    expect(j.meta('sync.base_seq')).toBe(String(base));
    const pushed = await syncOnce(opts(s, j));
    expect(pushed).toMatchObject({ ok: true, pushed: 1, checksumMatch: true, baseAdvanced: s.replica.serverSeq });

    // A pulled op of a kind this program does not know yet: kept pending, the base stays.
    const before = j.meta('sync.base_seq');
    await s.write(T.deputy, draft('lesson.update', { id: T.lessons[1], topic: 'Диктант' }));
    const old = await syncOnce(opts(s, j, { knowsKind: (k) => k !== 'lesson.update' }));
    expect(old).toMatchObject({ ok: true, pulled: 1, unknownPending: 1, checksumSkipped: 'unknown_kinds' });
    expect(old.baseAdvanced).toBeUndefined();
    expect(new SyncClient(opts(s, j)).advanceBase()).toBe(false);
    expect(j.meta('sync.base_seq')).toBe(before);
    // The program upgraded: the op joins the log, the state equals the server's, the base moves.
    const upgraded = await syncOnce(opts(s, j));
    expect(upgraded).toMatchObject({ ok: true, unknownApplied: 1, checksumMatch: true, baseAdvanced: s.replica.serverSeq });
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('a breach record below the moved base still voids the account\'s ops, also after a re-fold (R-BREACH)', async () => {
    const s = await open();
    await s.write(T.admin, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-09T00:00:00Z', reportedAt: '2026-09-10T04:00:00Z' }));
    const j = journal();
    expect(await syncOnce(opts(s, j))).toMatchObject({ ok: true, checksumMatch: true, baseAdvanced: s.replica.serverSeq });
    expect(count(j, "SELECT count(*) FROM op_log WHERE kind = 'breach.record' AND server_seq <= ?", Number(j.meta('sync.base_seq')))).toBe(1);
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: s.t.clock, guard: allowAll }, draft('mark.set', mark(T.students[0], '2')));
    const cell = () => count(j, 'SELECT count(*) FROM mark WHERE lesson_id = ? AND student_id = ?', T.lessons[0], T.students[0]);
    expect(cell()).toBe(0);
    j.sqlite.pragma('foreign_keys = OFF');
    refoldState(j, { canonical: true });
    j.sqlite.pragma('foreign_keys = ON');
    expect(cell()).toBe(0);
    expect(j.meta('sync.base_seq')).toBe(String(s.replica.serverSeq)); // the base stayed: nothing below it is void
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('a breach record above the base that voids ops below it: the state is folded from empty again and equals the server\'s (R-BREACH)', async () => {
    const s = await open();
    await s.write(T.teacherAcc, draft('mark.set', mark(T.students[0], '5')));
    const j = journal();
    expect(await syncOnce(opts(s, j))).toMatchObject({ ok: true, checksumMatch: true });
    const logged = count(j, 'SELECT count(*) FROM op_log');
    const cell = () => count(j, 'SELECT count(*) FROM mark WHERE lesson_id = ? AND student_id = ?', T.lessons[0], T.students[0]);
    expect(cell()).toBe(1);
    expect(count(j, 'SELECT count(*) FROM base__mark_cell WHERE lesson_id = ? AND student_id = ?', T.lessons[0], T.students[0])).toBe(1);

    // The director learns the teacher's password leaked before that mark: the mark is void.
    await s.write(T.admin, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-09T00:00:00Z', reportedAt: '2026-09-10T04:00:00Z' }));
    const after = await syncOnce(opts(s, j, { baseEvery: 1_000_000 }));
    expect(after).toMatchObject({ ok: true, pulled: 1, checksumMatch: true });
    expect(after.error).toBeUndefined();
    expect(cell()).toBe(0);
    expect(syncChecksum(j.sqlite)).toBe(await s.checksum());
    // The base held the void mark: it is gone until the next quiet point; the log is untouched.
    expect(j.meta('sync.base_seq')).toBeUndefined();
    expect(count(j, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'base\\_\\_%' ESCAPE '\\'")).toBe(0);
    expect(count(j, 'SELECT count(*) FROM op_log')).toBe(logged + 1);
    const next = await syncOnce(opts(s, j));
    expect(next).toMatchObject({ ok: true, checksumMatch: true, baseAdvanced: s.replica.serverSeq });
    expect(verifyJournal(j).problems).toEqual([]);
  });

  it('a bootstrapped desktop cannot fold from empty: a breach voiding ops below its moved base is repaired from a snapshot (R-BREACH)', async () => {
    const s = await open();
    const j = journal();
    const boot = await syncOnce(opts(s, j, { snapshot: {} }));
    expect(boot).toMatchObject({ ok: true, snapshotSeq: s.replica.serverSeq, checksumMatch: true });
    const snap = j.meta('sync.snapshot_seq');
    expect(snap).toBe(String(boot.snapshotSeq));
    // An op above the snapshot, then the base moves past it.
    await s.write(T.teacherAcc, draft('mark.set', mark(T.students[0], '5')));
    expect(await syncOnce(opts(s, j, { snapshot: {} }))).toMatchObject({ ok: true, pulled: 1, checksumMatch: true, baseAdvanced: s.replica.serverSeq });
    expect(j.meta('sync.log_whole')).toBeUndefined();
    expect(j.meta('sync.snapshot_seq')).toBe(snap); // where the local history starts: unchanged
    await s.write(T.admin, draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from: '2026-09-09T00:00:00Z', reportedAt: '2026-09-10T04:00:00Z' }));
    const after = await syncOnce(opts(s, j, { snapshot: {} }));
    expect(after).toMatchObject({ ok: true, repaired: true, checksumMatch: true });
    expect(after.error).toBeUndefined();
    expect(count(j, 'SELECT count(*) FROM mark WHERE lesson_id = ? AND student_id = ?', T.lessons[0], T.students[0])).toBe(0);
    expect(syncChecksum(j.sqlite)).toBe(await s.checksum());
    expect(verifyJournal(j).problems).toEqual([]);
  });
});
