/**
 * A newer desktop's ops of a kind this program does not know: pulled, kept pending (raw wire
 * form with their server seq), not applied, never blocking the cursor, counted in the status, no
 * false checksum mismatch — and applied in canonical order once the program is upgraded.
 * "Not knowing" `mark.set` is played by injecting an older kind registry (`knowsKind`).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../journal/open';
import { submit } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { draft } from '../journal/log';
import { verifyJournal } from '../journal/verify';
import { SyncClient, unknownOps } from './client';
import { T } from '../../test/support/tiny-school';
import { storeKinds, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { deviceToken, injectFetch, schoolFile, startServer, type TestServer } from '../../test/support/server';

afterAll(removeTempDirs);

const markOf = (j: Journal, studentId: string) => j.stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(T.lessons[0], studentId) as string | undefined;

describe('ops of unknown kinds', () => {
  const handles: StoreHandle[] = [];
  const servers: TestServer[] = [];
  const journals: Journal[] = [];
  afterEach(async () => {
    for (const j of journals.splice(0)) j.close();
    for (const s of servers.splice(0)) await s.close();
    for (const h of handles.splice(0)) await h.cleanup();
  });

  it('are kept pending without blocking the cursor, and applied in canonical order after the upgrade', async () => {
    const h = await storeKinds()[0]!.open();
    handles.push(h);
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    servers.push(t);
    // Two enrolled school computers, the teacher signed in on both.
    const tokens: Record<string, string> = {
      new1: await deviceToken(t, 'new1', 'Кабинет 5', { signIn: ['teacher'] }),
      old1: await deviceToken(t, 'old1', 'Кабинет 6', { signIn: ['teacher'] }),
    };
    const fetch = injectFetch(t.server.app);
    const newer = openJournal(':memory:', { create: true, device: 'new1', durability: 'off' });
    const older = openJournal(':memory:', { create: true, device: 'old1', durability: 'off' });
    journals.push(newer, older);
    const client = (j: Journal, knowsKind?: (k: string) => boolean) =>
      new SyncClient({ journal: j, server: 'http://x/', token: tokens[j.device]!, fetch, clock: t.clock, pullLimit: 2, ...(knowsKind ? { knowsKind } : {}) });
    const oldProgram = (k: string) => k !== 'mark.set';
    expect((await client(newer).sync()).ok).toBe(true);
    expect(await client(older, oldProgram).sync()).toMatchObject({ ok: true, unknownPending: 0, checksumMatch: true });

    // The newer desktop sets a mark twice (same cell) and an absence.
    const ctx = { journal: newer, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard };
    submit(ctx, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5' }] }));
    submit(ctx, draft('attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[1], absent: true }] }));
    submit(ctx, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '4' }] }));
    expect(await client(newer).sync()).toMatchObject({ ok: true, pushed: 3 });
    const head = (await t.server.store.school('tiny'))!.head;

    // The older program: the absence is applied, both marks wait; the cursor reaches the head.
    const r = await client(older, oldProgram).sync();
    expect(r).toMatchObject({ ok: true, pulled: 3, unknownPending: 2, checksumSkipped: 'unknown_kinds' });
    expect(r.checksumMatch).toBeUndefined();
    expect(r.error).toBeUndefined();
    expect(older.meta('sync.cursor')).toBe(String(head));
    expect(older.meta('sync.unknownPending')).toBe('2');
    expect(unknownOps(older).map((o) => [o.kind, o.s])).toEqual([['mark.set', head - 2], ['mark.set', head]]);
    expect(markOf(older, T.students[0])).toBeUndefined();
    expect(older.stmt('SELECT count(*) FROM attendance WHERE student_id = ?').pluck().get(T.students[1])).toBe(1);

    // Sync goes on meanwhile: a later op of a known kind is applied; the marks still wait.
    submit(ctx, draft('attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], absent: true }] }));
    await client(newer).sync();
    expect(await client(older, oldProgram).sync()).toMatchObject({ ok: true, pulled: 1, unknownPending: 2 });

    // The upgrade: the program knows mark.set now — both marks join the log in server order (4 wins).
    const up = await client(older).sync();
    expect(up).toMatchObject({ ok: true, unknownApplied: 2, unknownPending: 0, checksumMatch: true });
    expect(up.checksumSkipped).toBeUndefined();
    expect(markOf(older, T.students[0])).toBe('4');
    expect(unknownOps(older)).toEqual([]);
    expect(older.stmt("SELECT server_seq FROM op_log WHERE kind = 'mark.set' ORDER BY server_seq").pluck().all()).toEqual([head - 2, head]);
    expect(verifyJournal(older).problems).toEqual([]);
  });

  it('keeps a kind no build knows, or a newer version of a known kind, instead of failing the page', async () => {
    const j = openJournal(':memory:', { create: true, device: 'old2', durability: 'off' });
    journals.push(j);
    const c = new SyncClient({ journal: j, server: 'http://x/', token: 't', fetch: () => Promise.reject(new Error('offline')), clock: { now: () => 0 } });
    const hlc = '2026-09-10T04:30:00.000Z-0000';
    const ops = [
      { s: 1, device: 'new9', seq: 1, author: T.teacherAcc, kind: 'lesson.teleport', version: 1, hlc, payload: [1, 'x'] },
      { s: 2, device: 'new9', seq: 2, author: T.teacherAcc, kind: 'school.set', version: 99, hlc, payload: [1, 'Школа'] },
    ];
    expect(c.applyPage({ ops, cursor: 2, head: 2 }, 0)).toBe(false);
    expect(j.meta('sync.cursor')).toBe('2');
    expect(unknownOps(j)).toEqual(ops);
    expect(j.stmt('SELECT count(*) FROM op_log').pluck().get()).toBe(0);
    // A broken op of a known kind is still an error: it is not "newer", it is wrong.
    expect(() => c.applyPage({ ops: [{ ...ops[1]!, s: 3, seq: 3, version: 1, payload: 'nonsense' }], cursor: 3, head: 3 }, 2)).toThrow();
    expect(j.meta('sync.cursor')).toBe('2');
  });
});
