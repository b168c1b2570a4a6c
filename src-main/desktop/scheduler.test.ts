import { describe, expect, it } from 'vitest';
import { fakeTimers, flush } from '../../test/support/fake-timers';
import { backoffDelay, SyncScheduler } from './scheduler';
import { enrolDevice, normaliseServerUrl, type FetchLike } from './enrol';
import { pdfOf, PrintStore, suggestedFileName } from './printing';

describe('sync scheduler', () => {
  it('exponential backoff with equal jitter, capped', () => {
    expect(backoffDelay(1, 30_000, 1_800_000, 0)).toBe(15_000);
    expect(backoffDelay(1, 30_000, 1_800_000, 1)).toBe(30_000);
    expect(backoffDelay(2, 30_000, 1_800_000, 1)).toBe(60_000);
    expect(backoffDelay(4, 30_000, 1_800_000, 0.5)).toBe(180_000);
    expect(backoffDelay(30, 30_000, 1_800_000, 1)).toBe(1_800_000);
    expect(backoffDelay(30, 30_000, 1_800_000, 0)).toBe(900_000);
  });

  it('runs at once, then every interval; failures back off 30 s, 60 s, 120 s …; success resets', async () => {
    const ft = fakeTimers();
    let fail = 0;
    let runs = 0;
    const s = new SyncScheduler({ timers: ft.timers, random: () => 1, intervalMs: 300_000, syncOnce: async () => { runs++; if (fail > 0) { fail--; throw new Error('нет связи'); } } });
    s.start();
    await flush();
    expect(runs).toBe(1);
    expect(await ft.next()).toBe(300_000);
    fail = 3;
    expect(await ft.next()).toBe(300_000); // this run fails
    expect(s.current).toMatchObject({ failures: 1, lastError: 'нет связи', nextInMs: 30_000 });
    expect(await ft.next()).toBe(30_000); // fails again
    expect(await ft.next()).toBe(60_000); // fails a third time
    expect(s.current).toMatchObject({ failures: 3, nextInMs: 120_000 });
    expect(await ft.next()).toBe(120_000); // succeeds
    expect(s.current).toMatchObject({ failures: 0, lastError: null, nextInMs: 300_000 });
    expect(runs).toBe(6);
    s.stop();
    expect(ft.pending()).toBe(0);
  });

  it('reconnect runs at once and forgets the backoff; «Синхронизировать сейчас» during a run runs once after', async () => {
    const ft = fakeTimers();
    let release: () => void = () => {};
    let runs = 0;
    let failing = true;
    const s = new SyncScheduler({ timers: ft.timers, random: () => 0, syncOnce: () => { runs++; if (failing) return Promise.reject(new Error('x')); return new Promise<void>((r) => { release = r; }); } });
    s.start();
    await flush();
    await ft.next(); await ft.next(); await ft.next();
    expect(s.current.failures).toBe(4);
    failing = false;
    void s.reconnected();
    await flush();
    expect(runs).toBe(5);
    expect(s.current).toMatchObject({ running: true, failures: 0 });
    void s.runNow(); void s.runNow(); // coalesced into one
    release();
    await flush();
    expect(runs).toBe(6);
    release();
    await flush();
    expect(runs).toBe(6);
    expect(s.current).toMatchObject({ running: false, failures: 0, nextInMs: 300_000 });
    expect(ft.pending()).toBe(1);
  });

  it('does nothing before start and after stop', async () => {
    const ft = fakeTimers();
    let runs = 0;
    const s = new SyncScheduler({ timers: ft.timers, syncOnce: async () => { runs++; } });
    await s.runNow();
    expect(runs).toBe(0);
    s.start(); await flush(); s.stop();
    await s.runNow();
    expect(runs).toBe(1);
    expect(ft.pending()).toBe(0);
  });
});

describe('enrolment of a school computer (injected fetch)', () => {
  it('logs in as a staff member allowed to enrol (bearer), registers the computer, logs out; the enrolling account comes back signed in', async () => {
    const calls: { url: string; auth?: string; body: unknown }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, ...(init.headers.authorization ? { auth: init.headers.authorization } : {}), body: JSON.parse(init.body ?? '{}') });
      const value = url.endsWith('/auth/login') ? { token: 'sess-1' }
        : url.endsWith('/devices') ? { schoolId: 's1', deviceId: 'dev-12', name: 'Кабинет 12', token: 'dev-token', accountId: 'acc-teacher', key: 'key-1' } : {};
      return { status: 200, json: async () => ({ ok: true, value }) };
    };
    const r = await enrolDevice(fetch, { serverUrl: 'https://journal.example/', login: 'teacher', password: 'p', name: 'Кабинет 12' });
    expect(r).toEqual({ ok: true, value: { serverUrl: 'https://journal.example', schoolId: 's1', deviceId: 'dev-12', name: 'Кабинет 12', token: 'dev-token', signin: { accountId: 'acc-teacher', key: 'key-1' } } });
    expect(calls.map((c) => c.url)).toEqual(['https://journal.example/api/v1/auth/login', 'https://journal.example/api/v1/devices', 'https://journal.example/api/v1/auth/logout']);
    expect(calls[0]!.body).toEqual({ login: 'teacher', password: 'p', session: 'bearer' });
    expect(calls[1]).toMatchObject({ auth: 'Bearer sess-1', body: { name: 'Кабинет 12' } });
  });

  it('passes the server\'s refusal through; refuses plain http to a remote host; reports an unreachable server', async () => {
    const refuse: FetchLike = async () => ({ status: 401, json: async () => ({ ok: false, error: { code: 'unauthenticated', message: 'Неверный логин или пароль' } }) });
    expect(await enrolDevice(refuse, { serverUrl: 'https://j.example', login: 'a', password: 'b', name: 'c' })).toMatchObject({ ok: false, error: { message: 'Неверный логин или пароль' } });
    expect(await enrolDevice(refuse, { serverUrl: 'http://j.example', login: 'a', password: 'b', name: 'c' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(normaliseServerUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(normaliseServerUrl('https://u:p@j.example')).toBeNull();
    const down: FetchLike = async () => { throw new Error('ECONNREFUSED'); };
    expect(await enrolDevice(down, { serverUrl: 'https://j.example', login: 'a', password: 'b', name: 'c' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('printing helpers', () => {
  it('takes the PDF out of a report answer and keeps previews by id', () => {
    const pdf = Buffer.from('%PDF-1.7\n…');
    expect(pdfOf({ ok: true, value: { pdfBase64: pdf.toString('base64'), students: 3 } })).toEqual(pdf);
    expect(pdfOf({ ok: true, value: { pdfBase64: Buffer.from('<html>').toString('base64') } })).toBeNull();
    expect(pdfOf({ ok: false, error: { code: 'forbidden', message: 'нет' } })).toBeNull();
    const store = new PrintStore();
    const id = store.put(pdf);
    expect(store.lookup(`print/${id}.pdf`)).toEqual({ body: pdf, type: 'application/pdf' });
    store.drop(id);
    expect(store.lookup(`print/${id}.pdf`)).toBeUndefined();
    expect(suggestedFileName('report.weekly', new Date('2026-11-20T10:00:00Z'))).toBe('Еженедельный отчёт 2026-11-20.pdf');
  });
});
