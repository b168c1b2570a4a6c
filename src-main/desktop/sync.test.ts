/**
 * The desktop's sync wiring with fakes: the scheduler calls `syncOnce` with the stored device
 * token, the status goes to the window, failures back off, runs never overlap, «Синхронизировать
 * сейчас» during a run runs once after it. The journal is a real SQLite file in memory.
 */
import { describe, expect, it } from 'vitest';
import { fakeTimers, flush } from '../../test/support/fake-timers';
import { fixedClock, T, tinySchool } from '../../test/support/tiny-school';
import { outboxCount } from '../journal/outbox';
import { syncOnce as realSyncOnce, type SyncFetch, type SyncOptions, type SyncReport } from '../sync/client';
import type { Enrolment } from './enrol';
import { DesktopSync, NO_LINK, type SyncStatus } from './sync';

const ENROLMENT: Enrolment = { serverUrl: 'https://journal.example', schoolId: 'tiny', deviceId: 'dev1', name: 'Кабинет 12', token: 'd.tiny.secret-token' };
const OK: SyncReport = { ok: true, pushed: 0, pulled: 0, rejected: 0, rebases: 0, bytesSent: 0, bytesReceived: 0, ms: 1 };

function rig(o: { enrolled?: boolean; account?: string | null; syncOnce?: (o: SyncOptions) => Promise<SyncReport>; fetch?: SyncFetch } = {}) {
  const { j } = tinySchool();
  const clock = fixedClock('2026-09-16T05:00:00.000Z');
  const ft = fakeTimers();
  const published: SyncStatus[] = [];
  const calls: SyncOptions[] = [];
  let enrolment: Enrolment | null = o.enrolled === false ? null : ENROLMENT;
  const sync = new DesktopSync({
    journal: j, clock, timers: ft.timers, random: () => 1,
    fetch: o.fetch ?? (async () => { throw new Error('the fake syncOnce does not fetch'); }),
    enrolment: () => enrolment,
    account: () => o.account ?? null,
    publish: (s) => published.push(s),
    syncOnce: o.syncOnce ? async (opts) => { calls.push(opts); return o.syncOnce!(opts); } : async (opts) => { calls.push(opts); return OK; },
  });
  return { j, clock, ft, sync, published, calls, enrol: (e: Enrolment | null) => { enrolment = e; } };
}

describe('desktop sync: the scheduler runs the sync client with the device token', () => {
  it('the first run at start uses the stored token, the server address and this journal; the status reaches the window', async () => {
    const r = rig({
      syncOnce: async (o) => {
        o.journal.setMeta('sync.lastAt', new Date(o.clock.now()).toISOString());
        o.journal.setMeta('sync.skewMs', '-420000');
        o.journal.setMeta('sync.lastError', '');
        return { ...OK, pulled: 12 };
      },
    });
    await r.sync.start();
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]).toMatchObject({ server: 'https://journal.example/', token: 'd.tiny.secret-token', journal: r.j, clock: r.clock, snapshot: {} }); // bootstrap and repair from snapshots are on
    const last = r.published.at(-1)!;
    expect(last).toMatchObject({
      enrolled: true, server: 'https://journal.example', computerName: 'Кабинет 12', running: false,
      lastAt: '2026-09-16T05:00:00.000Z', lastError: null, skewMs: -420_000, failures: 0, nextInMs: 300_000, tokenRefused: false,
    });
    expect(last.pending).toBe(outboxCount(r.j));
    expect(last.pending).toBeGreaterThan(0); // the tiny school's ops were made here and never sent
    // «running» was published while the run went on.
    expect(r.published.some((s) => s.running)).toBe(true);
    expect(r.sync.report).toMatchObject({ pulled: 12 });
  });

  it('does nothing before enrolment; starts once enrolled', async () => {
    const r = rig({ enrolled: false });
    await r.sync.start();
    await r.sync.runNow();
    expect(r.calls).toHaveLength(0);
    expect(r.sync.status()).toMatchObject({ enrolled: false, server: null, computerName: null });
    expect(r.ft.pending()).toBe(0);
    r.enrol(ENROLMENT);
    await r.sync.start();
    expect(r.calls).toHaveLength(1);
  });

  it('a failed run backs off (30 s, 60 s …) with the error in the status; a success goes back to every 5 minutes', async () => {
    let fail = 2;
    const r = rig({ syncOnce: async () => (fail-- > 0 ? { ...OK, ok: false, error: 'Сервер ответил не JSON (HTTP 502)' } : OK) });
    await r.sync.start();
    expect(r.sync.status()).toMatchObject({ failures: 1, lastError: 'Сервер ответил не JSON (HTTP 502)', nextInMs: 30_000 });
    expect(r.published.at(-1)).toMatchObject({ failures: 1, lastError: 'Сервер ответил не JSON (HTTP 502)' });
    expect(await r.ft.next()).toBe(30_000);
    expect(r.sync.status()).toMatchObject({ failures: 2, nextInMs: 60_000 });
    expect(await r.ft.next()).toBe(60_000);
    expect(r.sync.status()).toMatchObject({ failures: 0, lastError: null, nextInMs: 300_000 });
    expect(r.calls).toHaveLength(3);
  });

  it('an error reported with ok (a blocked op, a checksum mismatch) also counts as a failure', async () => {
    const r = rig({ syncOnce: async () => ({ ...OK, error: 'Операция № 4 не отправлена: сервер занят' }) });
    await r.sync.start();
    expect(r.sync.status()).toMatchObject({ failures: 1, lastError: 'Операция № 4 не отправлена: сервер занят' });
  });

  it('never runs two exchanges at once; «Синхронизировать сейчас» during a run runs once after it', async () => {
    let active = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const r = rig({
      syncOnce: () => {
        active++;
        most = Math.max(most, active);
        return new Promise<SyncReport>((done) => gates.push(() => { active--; done(OK); }));
      },
    });
    void r.sync.start();
    await flush();
    expect(r.calls).toHaveLength(1);
    expect(r.sync.status().running).toBe(true);
    void r.sync.runNow(); void r.sync.runNow(); void r.sync.reconnected();
    await flush();
    expect(r.calls).toHaveLength(1);
    gates.shift()!();
    await flush();
    expect(r.calls).toHaveLength(2); // the requests made during the run: one more run
    gates.shift()!();
    await flush();
    expect(r.calls).toHaveLength(2);
    expect(most).toBe(1);
    expect(r.sync.status()).toMatchObject({ running: false, nextInMs: 300_000 });
  });

  it('quitting waits for the running exchange and plans no other', async () => {
    let release: () => void = () => {};
    const r = rig({ syncOnce: () => new Promise<SyncReport>((done) => { release = () => done(OK); }) });
    void r.sync.start();
    await flush();
    let drained = false;
    const d = r.sync.drain().then(() => { drained = true; });
    await flush();
    expect(drained).toBe(false);
    release();
    await d;
    expect(drained).toBe(true);
    expect(r.ft.pending()).toBe(0);
  });

  it('with the real sync client: no network → a Russian line, not the runtime\'s «fetch failed»', async () => {
    const r = rig({ syncOnce: realSyncOnce, fetch: async () => { throw new TypeError('fetch failed'); } });
    await r.sync.start();
    expect(r.sync.status()).toMatchObject({ failures: 1, lastError: NO_LINK, tokenRefused: false });
    expect(r.j.meta('sync.lastError')).toBe(NO_LINK);
  });

  it('with the real sync client: a revoked token (401) is said as such', async () => {
    const seen: string[] = [];
    const r = rig({
      syncOnce: realSyncOnce,
      fetch: async (url, init) => {
        seen.push(`${init.method} ${url} ${init.headers.authorization}`);
        // What the server answers a revoked computer (http/sync.ts): 401 with the reason.
        return { status: 401, headers: { get: () => null }, text: async () => JSON.stringify({ ok: false, error: { code: 'unauthenticated', reason: 'device_revoked', message: 'Компьютер отключён от школы администратором: его неотправленные изменения сохранены на сервере для проверки и не применены' } }) };
      },
    });
    await r.sync.start();
    expect(seen[0]).toMatch(/^POST https:\/\/journal\.example\/api\/v1\/sync\/push Bearer d\.tiny\.secret-token$/);
    expect(r.sync.status()).toMatchObject({ tokenRefused: true, failures: 1 });
    expect(r.sync.status().lastError).toMatch(/подключение отозвано/);
  });

  it('lists only the logged-in account\'s refused changes, with requirement and clause', async () => {
    const me = T.teacherAcc;
    const r = rig({ account: me });
    r.j.setMeta('sync.rejected', JSON.stringify([
      { seq: 7, author: me, kind: 'mark.set', hlc: '2026-09-15T06:10:00.000Z-0000', payload: { lessonId: 'l', marks: [] }, code: 'refused', message: 'С 1 по 15 сентября неудовлетворительные отметки не выставляются', requirement: 'R-ADAPTATION', clause: 'п. 7.14', at: '2026-09-16T05:00:00.000Z' },
      { seq: 8, author: T.deputy, kind: 'lesson.update', hlc: '2026-09-15T07:00:00.000Z-0000', payload: {}, code: 'forbidden', message: 'чужое', at: '2026-09-16T05:00:00.000Z' },
    ]));
    const s = r.sync.status();
    expect(s.rejectedTotal).toBe(2);
    expect(s.rejected).toEqual([{
      seq: 7, kind: 'mark.set', code: 'refused', message: 'С 1 по 15 сентября неудовлетворительные отметки не выставляются',
      requirement: 'R-ADAPTATION', clause: 'п. 7.14', at: '2026-09-16T05:00:00.000Z', madeAt: '2026-09-15T06:10:00.000Z',
    }]);
    expect(JSON.stringify(s)).not.toContain('payload');
    const nobody = rig({ account: null });
    nobody.j.setMeta('sync.rejected', r.j.meta('sync.rejected')!);
    expect(nobody.sync.status()).toMatchObject({ rejected: [], rejectedTotal: 2 });
  });
  it('shows the account\'s own marks that replaced a value not seen here, by name, and «прочитано» clears only its own', async () => {
    const me = T.teacherAcc;
    const r = rig({ account: me });
    const at = '2026-09-16T05:00:00.000Z';
    r.j.setMeta('sync.overwritten', JSON.stringify([
      { seq: 9, author: me, lessonId: T.lessons[0], studentId: T.students[0], column: 'main', seen: null, replaced: '4', replacedBy: me, replacedAt: Date.parse('2026-09-10T04:30:00.000Z'), at },
      { seq: 3, author: T.deputy, lessonId: T.lessons[0], studentId: T.students[1], column: 'main', seen: '5', replaced: '4', replacedBy: T.deputy, replacedAt: Date.parse('2026-09-10T04:30:00.000Z'), at },
    ]));
    r.j.setMeta('sync.rejected', JSON.stringify([{ seq: 3, author: T.deputy, kind: 'mark.set', hlc: '2026-09-15T06:10:00.000Z-0000', payload: {}, code: 'x', message: 'чужое', at }]));
    expect(r.sync.status().overwritten).toEqual([{
      seq: 9, student: 'Петров Пётр', lesson: 'Русский язык, 10.09.2026, урок 2', column: 'main', seen: null, replaced: '4', replacedAt: '2026-09-10T04:30:00.000Z', at,
    }]);
    expect(rig({ account: null }).sync.status().overwritten).toEqual([]);
    // Another account's seq is not the teacher's to clear.
    r.sync.dismiss([9, 3]);
    expect(r.sync.status().overwritten).toEqual([]);
    expect(JSON.parse(r.j.meta('sync.overwritten')!)).toHaveLength(1);
    expect(JSON.parse(r.j.meta('sync.rejected')!)).toHaveLength(1);
    expect(r.published.at(-1)!.overwritten).toEqual([]);
  });
});
