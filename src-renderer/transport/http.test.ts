import { describe, expect, it } from 'vitest';
import { httpTransport } from './http';
import { ipcTransport } from './ipc';

type Call = { url: string; body: unknown };
function fakeFetch(answer: (c: Call) => { status: number; body?: unknown } | 'offline') {
  const calls: Call[] = [];
  const f = (async (url: string, init?: RequestInit) => {
    const c = { url, body: JSON.parse(String(init?.body ?? '{}')) };
    calls.push(c);
    const a = answer(c);
    if (a === 'offline') throw new TypeError('Failed to fetch');
    return new Response(a.body === undefined ? '' : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('the web transport', () => {
  it('posts the input to /api/v1/rpc/:method and returns the envelope as it is', async () => {
    const { f, calls } = fakeFetch(() => ({ status: 200, body: { ok: true, value: { ops: 1, warnings: [] } } }));
    const t = httpTransport({ fetch: f });
    const r = await t.call('mark.set', { lessonId: 'l1', marks: [{ studentId: 's1', value: '5' }] });
    expect(r).toEqual({ ok: true, value: { ops: 1, warnings: [] } });
    expect(calls).toEqual([{ url: '/api/v1/rpc/mark.set', body: { lessonId: 'l1', marks: [{ studentId: 's1', value: '5' }] } }]);
    expect(t.connection()).toMatchObject({ online: true, saving: 0 });
    expect(t.connection().lastSavedAt).not.toBeNull();
  });

  it('reads an account\'s sign-in history with GET, checks its shape, passes a refusal through', async () => {
    const history = { logins: [{ at: '2026-09-10T04:30:00.000Z', kind: 'cookie', address: '10.0.0.5', outcome: 'wrong_password' }], computers: [] };
    const { f, calls } = fakeFetch((c) => (c.url.includes('acc-1') ? { status: 200, body: { ok: true, value: history } } : c.url.includes('acc-2')
      ? { status: 200, body: { ok: true, value: { logins: 'все' } } } : { status: 403, body: { ok: false, error: { code: 'forbidden', message: 'Историю входов видят … (п. 9.6, 10.3)' } } }));
    const t = httpTransport({ fetch: f });
    expect(await t.signins!('acc-1')).toEqual({ ok: true, value: history });
    expect(calls[0]!.url).toBe('/api/v1/accounts/acc-1/signins');
    expect(await t.signins!('acc-2')).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await t.signins!('acc 3')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls[2]!.url).toBe('/api/v1/accounts/acc%203/signins');
  });

  it('passes a rule\'s refusal through with its clause (a 422 with an envelope)', async () => {
    const refusal = { ok: false, error: { code: 'refused', message: 'Нельзя (п. 7.14)', requirement: 'R-ADAPTATION', clause: 'п. 7.14' } };
    const t = httpTransport({ fetch: fakeFetch(() => ({ status: 422, body: refusal })).f });
    await expect(t.call('mark.set', { lessonId: 'l1', marks: [{ studentId: 's1', value: '2' }] })).resolves.toEqual(refusal);
  });

  it('reports a lost session (401), so the app can go back to the login page', async () => {
    const t = httpTransport({ fetch: fakeFetch(() => ({ status: 401, body: { ok: false, error: { code: 'unauthenticated', message: 'Войдите' } } })).f });
    let told = 0;
    t.onUnauthenticated(() => told++);
    const r = await t.call('gradebook.get', { courseId: 'k' });
    expect(r.ok).toBe(false);
    expect(told).toBe(1);
  });

  it('says in Russian that the server is out of reach, and the status bar learns it', async () => {
    const t = httpTransport({ fetch: fakeFetch(() => 'offline').f });
    const seen: boolean[] = [];
    t.onConnection((c) => seen.push(c.online));
    const r = await t.call('diary.week', { studentId: 's1', week: '2026-09-07' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/Нет связи с сервером/);
    expect(seen.at(-1)).toBe(false);
  });

  it('answers a wrong password as such, not as an expired session', async () => {
    const t = httpTransport({ fetch: fakeFetch(() => ({ status: 401 })).f });
    let told = 0;
    t.onUnauthenticated(() => told++);
    const r = await t.login('teacher', 'x');
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: 'Неверный логин или пароль' } });
    expect(told).toBe(0);
  });

  it('counts changes in flight for the status bar, not reads', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => { release = done; });
    const f = (async () => { await gate; return new Response(JSON.stringify({ ok: true, value: null }), { status: 200 }); }) as unknown as typeof fetch;
    const t = httpTransport({ fetch: f });
    const change = t.call('attendance.set', { lessonId: 'l1', entries: [{ studentId: 's1', absent: true }] });
    const read = t.call('status.get', {});
    expect(t.connection().saving).toBe(1);
    release();
    await Promise.all([change, read]);
    expect(t.connection().saving).toBe(0);
  });
});

describe('the desktop transport (Electron preload bridge)', () => {
  it('forwards every call to the bridge\'s one function', async () => {
    const seen: [string, unknown][] = [];
    const t = ipcTransport({ call: async (m, i) => { seen.push([m, i]); return { ok: true, value: { pending: 3 } }; } });
    await expect(t.call('status.get', {})).resolves.toEqual({ ok: true, value: { pending: 3 } });
    expect(seen).toEqual([['status.get', {}]]);
    expect(t.kind).toBe('desktop');
  });

  it('turns a broken bridge into an envelope, never a throw', async () => {
    const t = ipcTransport({ call: async () => { throw new Error('канал закрыт'); } });
    const r = await t.call('session.get', {});
    expect(r.ok).toBe(false);
    expect(t.connection().online).toBe(false);
  });
});
