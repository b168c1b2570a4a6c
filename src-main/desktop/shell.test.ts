/**
 * The desktop shell's decisions without Electron: the IPC sender check and message validation,
 * offline login (same message, blocked, lock after inactivity), navigation guards.
 */
import { describe, expect, it, vi } from 'vitest';
import { hashPassword, verifyPassword } from '../auth/password';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import { fixedClock, T, tinySchool } from '../../test/support/tiny-school';
import { allowNavigation, allowPermission, windowOpenAction } from './guards';
import { createIpcHandler, type IpcEventLike } from './ipc';
import { LockTimer, type Timers } from './lock';
import { DesktopSession, LOGIN_MESSAGES } from './session';

const COST = { logN: 10, r: 8, p: 1 };

/** Fake timers: `advance(ms)` fires what is due. */
function fakeTimers(clock: { now(): number; set(iso: string): void }) {
  let t = clock.now();
  const queue = new Map<number, { at: number; fn: () => void }>();
  let n = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => { queue.set(++n, { at: t + ms, fn }); return n; },
    clearTimeout: (h) => { queue.delete(h as number); },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = [...queue.entries()].filter(([, q]) => q.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      queue.delete(due[0]);
      t = due[1].at;
      clock.set(new Date(t).toISOString());
      due[1].fn();
    }
    t = end;
    clock.set(new Date(t).toISOString());
  };
  return { timers, advance, pending: () => queue.size };
}

function school() {
  const { j, admin } = tinySchool();
  submit(admin,
    draft('account.password', { id: T.teacherAcc, verifier: hashPassword('верный', COST) }),
    draft('account.password', { id: T.deputy, verifier: hashPassword('верный', COST) }),
    draft('account.block', { id: T.deputy, blocked: true }));
  const login = (id: string) => j.sqlite.prepare('SELECT login FROM account WHERE id = ?').pluck().get(id) as string;
  const clock = fixedClock('2026-09-16T05:00:00.000Z');
  const ft = fakeTimers(clock);
  const onLock = vi.fn();
  const session = new DesktopSession({ journal: j, clock, timers: ft.timers, passwordCost: COST, onLock });
  return { j, session, clock, ft, onLock, teacher: login(T.teacherAcc), deputy: login(T.deputy) };
}

const WIN = 7;
const ours: IpcEventLike = { sender: { id: WIN }, senderFrame: { url: 'app://ejournal/index.html', parent: null } };

describe('offline login costs the same for every login (no enumeration by timing)', () => {
  it('a generated account with a weaker verifier also pays the full-cost dummy; an unknown login pays the dummy once', async () => {
    const { j, admin } = tinySchool();
    const FULL = { logN: 12, r: 8, p: 1 };
    submit(admin,
      draft('account.password', { id: T.teacherAcc, verifier: hashPassword('верный', COST) }), // a generated account's cheap cost
      draft('account.password', { id: T.admin, verifier: hashPassword('верный', FULL) }));
    const costs: number[][] = [];
    const verify = async (password: string, verifier: string) => {
      const [, logN] = verifier.split('$');
      costs[costs.length - 1]!.push(Number(logN));
      return verifyPassword(password, verifier);
    };
    const session = new DesktopSession({ journal: j, clock: fixedClock(), passwordCost: FULL, verify });
    for (const [login, password] of [['teacher', 'неверный'], ['teacher', 'верный'], ['admin', 'неверный'], ['nobody', 'неверный']]) {
      costs.push([]);
      await session.login(login!, password!);
      session.logout();
    }
    // Every attempt evaluates exactly one check at the full cost (12), whatever the login.
    expect(costs.map((c) => c.filter((n) => n === FULL.logN).length)).toEqual([1, 1, 1, 1]);
    expect(costs).toEqual([[10, 12], [10, 12], [12], [12]]);
  });
});

describe('IPC: one channel, sender checked, everything through dispatch', () => {
  it('refuses forged senders: another web contents, a subframe, another origin, no frame', async () => {
    const { session, teacher } = school();
    const handle = createIpcHandler({ windowContentsId: () => WIN, session });
    const forged: IpcEventLike[] = [
      { sender: { id: 8 }, senderFrame: { url: 'app://ejournal/index.html', parent: null } },
      { sender: { id: WIN }, senderFrame: { url: 'app://ejournal/index.html', parent: {} } },
      { sender: { id: WIN }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: WIN }, senderFrame: { url: 'file:///C:/x.html', parent: null } },
      { sender: { id: WIN }, senderFrame: { url: 'app://evil/index.html', parent: null } },
      { sender: { id: WIN }, senderFrame: null },
    ];
    for (const e of forged) {
      expect(await handle(e, { method: 'desktop.login', input: { login: teacher, password: 'верный' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(session.accountId).toBeNull();
    // no window yet → nobody is trusted
    expect(await createIpcHandler({ windowContentsId: () => null, session })(ours, { method: 'desktop.logout', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('validates the message; unknown methods and bad inputs get dispatch\'s envelope', async () => {
    const { session, teacher } = school();
    const handle = createIpcHandler({ windowContentsId: () => WIN, session });
    for (const bad of [null, 'call', { op: 'eval', code: '1' }, { method: 5, input: {} }, { method: 'desktop.login', input: { login: 'x' } }]) {
      expect(await handle(ours, bad)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect(await handle(ours, { method: 'status.get', input: {} })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await handle(ours, { method: 'desktop.login', input: { login: teacher, password: 'верный' } })).toEqual({ ok: true, value: null });
    expect(await handle(ours, { method: 'fs.readFile', input: {} })).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await handle(ours, { method: 'mark.set', input: { lessonId: 5 } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await handle(ours, { method: 'session.get', input: {} })).toMatchObject({ ok: true });
    expect(await handle(ours, { method: 'desktop.enrol', input: { serverUrl: 'https://x', login: 'a', password: 'b', name: 'c' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await handle(ours, { method: 'desktop.logout', input: {} });
    expect(await handle(ours, { method: 'session.get', input: {} })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('IPC: the desktop methods of sync and enrolment', () => {
  it('«desktop.syncNow» asks the scheduler, «desktop.syncStatus» answers the status — only to our window; enrolment goes to the shell while it allows it', async () => {
    const { session } = school();
    let asked = 0;
    const enrolled: unknown[] = [];
    const handle = createIpcHandler({
      windowContentsId: () => WIN, session,
      syncNow: () => { asked++; },
      syncStatus: () => ({ enrolled: true, pending: 3 }),
      enrol: async (i) => { enrolled.push(i); return { ok: true, value: { deviceId: 'pc1' } }; },
    });
    expect(await handle(ours, { method: 'desktop.syncNow', input: {} })).toEqual({ ok: true, value: null });
    expect(asked).toBe(1);
    expect(await handle(ours, { method: 'desktop.syncStatus', input: {} })).toEqual({ ok: true, value: { enrolled: true, pending: 3 } });
    const evil: IpcEventLike = { sender: { id: WIN }, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await handle(evil, { method: 'desktop.syncStatus', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handle(evil, { method: 'desktop.syncNow', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(asked).toBe(1);
    expect(await handle(ours, { method: 'desktop.enrol', input: { serverUrl: 'https://j.example', login: 'admin', password: 'p', name: 'Кабинет 12', token: 'x' } }))
      .toEqual({ ok: true, value: { deviceId: 'pc1' } });
    expect(enrolled).toEqual([{ serverUrl: 'https://j.example', login: 'admin', password: 'p', name: 'Кабинет 12' }]);
    // A shell without a sync (never enrolled in this build) says so instead of throwing.
    expect(await createIpcHandler({ windowContentsId: () => WIN, session })(ours, { method: 'desktop.syncStatus', input: {} })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('«desktop.dismiss» passes the read notices to the shell only for a logged-in user and well-formed seqs', async () => {
    const { session, teacher } = school();
    const read: number[][] = [];
    const handle = createIpcHandler({ windowContentsId: () => WIN, session, dismiss: (seqs) => { read.push(seqs); } });
    expect(await handle(ours, { method: 'desktop.dismiss', input: { seqs: [3] } })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await session.login(teacher, 'верный')).toMatchObject({ ok: true });
    expect(await handle(ours, { method: 'desktop.dismiss', input: { seqs: [3, 4] } })).toEqual({ ok: true, value: null });
    expect(await handle(ours, { method: 'desktop.dismiss', input: { seqs: ['3'] } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await handle(ours, { method: 'desktop.dismiss', input: { seqs: Array.from({ length: 501 }, (_, i) => i + 1) } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(read).toEqual([[3, 4]]);
  });

  it('«desktop.print» takes the contract\'s printable methods only, for a logged-in user; login and logout tell the shell', async () => {
    const { session, teacher } = school();
    const printed: unknown[][] = [];
    let changed = 0;
    const handle = createIpcHandler({
      windowContentsId: () => WIN, session, sessionChanged: () => { changed++; },
      print: async (method, input, action) => { printed.push([method, input, action]); return { ok: true, value: { preview: true } }; },
    });
    const act = { method: 'breach.act', input: { breachId: 'b1' }, action: 'preview' };
    expect(await handle(ours, { method: 'desktop.print', input: act })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await handle(ours, { method: 'desktop.login', input: { login: teacher, password: 'верный' } })).toEqual({ ok: true, value: null });
    expect(changed).toBe(1);
    expect(await handle(ours, { method: 'desktop.print', input: act })).toEqual({ ok: true, value: { preview: true } });
    for (const bad of [{ ...act, method: 'mark.set' }, { ...act, action: 'email' }]) {
      expect(await handle(ours, { method: 'desktop.print', input: bad })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect(printed).toEqual([['breach.act', { breachId: 'b1' }, 'preview']]);
    await handle(ours, { method: 'desktop.logout', input: {} });
    expect(changed).toBe(2);
  });
});

describe('offline login on a shared computer', () => {
  it('the same message for an unknown login and a wrong password; blocked refused after a right password', async () => {
    const { session, teacher, deputy } = school();
    const unknown = await session.login('nobody', 'верный');
    const wrong = await session.login(teacher, 'неверный');
    expect(unknown).toEqual({ ok: false, error: { code: 'unauthenticated', message: LOGIN_MESSAGES.badCredentials } });
    expect(wrong).toEqual(unknown);
    expect(await session.login(deputy, 'неверный')).toEqual(unknown); // a wrong password does not reveal the block
    expect(await session.login(deputy, 'верный')).toMatchObject({ ok: false, error: { code: 'blocked', message: LOGIN_MESSAGES.blocked } });
    expect(session.accountId).toBeNull();
    expect(await session.login(teacher, 'верный')).toEqual({ ok: true, value: null });
    expect(session.accountId).toBe(T.teacherAcc);
  });

  it('locks after 10 minutes without activity; activity keeps it open; the lock is told', async () => {
    const { session, teacher, ft, onLock } = school();
    await session.login(teacher, 'верный');
    ft.advance(9 * 60_000);
    expect((await session.call('session.get', {})).ok).toBe(true); // activity
    ft.advance(9 * 60_000);
    session.touch();
    ft.advance(9 * 60_000 + 59_000);
    expect(session.accountId).toBe(T.teacherAcc);
    expect(onLock).not.toHaveBeenCalled();
    ft.advance(1_000);
    expect(onLock).toHaveBeenCalledTimes(1);
    expect(session.accountId).toBeNull();
    expect(await session.call('session.get', {})).toEqual({ ok: false, error: { code: 'unauthenticated', message: LOGIN_MESSAGES.locked } });
    expect(ft.pending()).toBe(0);
  });

  it('a late timer (sleeping laptop) does not let a call through after the idle time', async () => {
    const { session, teacher, clock } = school();
    await session.login(teacher, 'верный');
    clock.set('2026-09-16T06:00:00.000Z'); // an hour, no timer fired
    expect(await session.call('session.get', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('quitting waits for the running call, then refuses new ones', async () => {
    const { session, teacher } = school();
    const running = session.login(teacher, 'верный');
    let drained = false;
    const d = session.drain().then(() => { drained = true; });
    expect(drained).toBe(false);
    expect(await running).toEqual({ ok: true, value: null });
    await d;
    expect(drained).toBe(true);
    expect(await session.call('session.get', {})).toMatchObject({ ok: false, error: { message: LOGIN_MESSAGES.closing } });
  });

  it('LockTimer alone: not armed before start, stop cancels', () => {
    const clock = fixedClock('2026-09-16T05:00:00.000Z');
    const ft = fakeTimers(clock);
    const onLock = vi.fn();
    const t = new LockTimer({ now: () => clock.now(), timers: ft.timers, onLock, idleMs: 1000 });
    t.touch();
    ft.advance(5000);
    expect(onLock).not.toHaveBeenCalled();
    t.start();
    ft.advance(999);
    expect(t.expired()).toBe(false);
    t.stop();
    ft.advance(5000);
    expect(onLock).not.toHaveBeenCalled();
    t.start();
    ft.advance(1000);
    expect(onLock).toHaveBeenCalledTimes(1);
  });
});

describe('navigation guards', () => {
  it('only app://ejournal/ is navigable; window.open always denied; no permission granted', () => {
    expect(allowNavigation('app://ejournal/index.html')).toBe(true);
    expect(allowNavigation('app://ejournal/gradebook?x=1')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/', 'app://user:pw@ejournal/', 'javascript:alert(1)', 'data:text/html,x', 'chrome://settings', 'not a url']) {
      expect(allowNavigation(url), url).toBe(false);
    }
    for (const url of ['https://example.com/', 'app://ejournal/index.html', 'about:blank']) expect(windowOpenAction(url)).toEqual({ action: 'deny' });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(allowPermission(p)).toBe(false);
  });
});
