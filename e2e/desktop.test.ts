/**
 * The renderer under the desktop shell, in real Chromium, without Electron (its binary is not
 * available here): a fake `window.ejournal` bridge is injected before the page's scripts
 * (`addInitScript`), shaped as the preload's (`call` + `on`). A contract method and
 * `desktop.login`/`logout` go to the real `ejournal serve --demo` over HTTP (so the pages have real
 * data); the other `desktop.*` methods — sync status, «sync now», print, enrol — and the events are
 * scripted and record every call in `window.__bridge.calls`. Checks: the sync indicator, «Синхронизировать
 * сейчас» calling the bridge, the refused changes with their clause, printing through the main
 * process, the enrolment form and its errors; and that a browser without the bridge shows none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from './support/server';
import { startDemo } from './support/demo';
import { login, newPage, screenshot } from './support/browser';

const TODAY = '2026-09-10';
let server: RunningServer;
let browser: Browser;
let stop: (() => Promise<void>) | undefined;
/** Page errors and console errors (CSP violations included) of every page opened. */
const problemLists: string[][] = [];

interface FakeOptions { enrolled: boolean }

/** The fake bridge (runs in the page, before its scripts): a string, so nothing from Node leaks in. */
function fakeBridge(o: FakeOptions): string {
  return `(() => {
    const calls = [];
    const listeners = new Set();
    const minutesAgo = (m) => new Date(Date.now() - m * 60000).toISOString();
    let status = {
      enrolled: ${o.enrolled}, server: ${o.enrolled ? "'https://journal.school.example'" : 'null'}, computerName: ${o.enrolled ? "'Кабинет 12'" : 'null'},
      running: false, lastAt: ${o.enrolled ? 'minutesAgo(5)' : 'null'}, pending: 12, lastError: null, skewMs: -7 * 60000,
      failures: 0, nextInMs: 300000, tokenRefused: false,
      rejected: [{ seq: 41, kind: 'mark.set', code: 'refused', message: 'С 1 по 15 сентября неудовлетворительные отметки не выставляются',
        requirement: 'R-ADAPTATION', clause: 'п. 7.14', at: minutesAgo(6), madeAt: minutesAgo(60) }],
      rejectedTotal: 1,
      overwritten: [{ seq: 44, student: 'Вануйто Анна', lesson: 'Русский язык, 10.09.2026, урок 2', column: 'main', seen: null, replaced: '4',
        replacedAt: minutesAgo(20), at: minutesAgo(6) }],
    };
    const emit = () => { for (const fn of listeners) fn({ type: 'sync', status }); };
    const post = async (path, body) => (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })).json();
    window.__bridge = { calls, setStatus: (p) => { status = { ...status, ...p }; emit(); }, send: (e) => { for (const fn of listeners) fn(e); } };
    // The shell's own methods (src-shared/contract/desktop.ts), scripted; everything else is the contract's, over HTTP.
    const desktop = {
      'desktop.login': ({ login, password }) => post('/api/v1/auth/login', { login, password }),
      'desktop.logout': async () => { await post('/api/v1/auth/logout', {}); return { ok: true, value: null }; },
      'desktop.activity': async () => ({ ok: true, value: null }),
      'desktop.syncStatus': async () => { calls.push(['syncStatus']); return { ok: true, value: status }; },
      'desktop.dismiss': async ({ seqs }) => {
        calls.push(['dismiss', seqs]);
        status = { ...status, rejected: status.rejected.filter((r) => !seqs.includes(r.seq)), overwritten: status.overwritten.filter((r) => !seqs.includes(r.seq)) }; emit();
        return { ok: true, value: null };
      },
      'desktop.syncNow': async () => {
        calls.push(['syncNow']);
        status = { ...status, running: true }; emit();
        setTimeout(() => { status = { ...status, running: false, pending: 0, lastAt: new Date().toISOString(), lastError: null }; emit(); }, 400);
        return { ok: true, value: null };
      },
      'desktop.print': async ({ method, input, action }) => { calls.push(['print', method, input, action]); return { ok: true, value: action === 'preview' ? { preview: true } : { saved: true } }; },
      'desktop.enrol': async ({ serverUrl, login, password, name }) => {
        calls.push(['enrol', serverUrl, login, name]);
        if (password !== 'верный') return { ok: false, error: { code: 'unauthenticated', message: 'Неверный логин или пароль' } };
        status = { ...status, enrolled: true, server: serverUrl, computerName: name, lastAt: new Date().toISOString(), pending: 0 };
        return { ok: true, value: { schoolId: 'demo', deviceId: 'pc1', name, sync: status } };
      },
    };
    window.ejournal = {
      call: (method, input) => (desktop[method] ? desktop[method](input) : post('/api/v1/rpc/' + encodeURIComponent(method), input)),
      on: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    };
  })();`;
}

async function desktopPage(o: FakeOptions): Promise<Page> {
  const p = await newPage(browser);
  await p.context.addInitScript({ content: fakeBridge(o) });
  problemLists.push(p.problems);
  return p.page;
}
const bridgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { __bridge: { calls: unknown[][] } }).__bridge.calls);

beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
}, 180_000);

afterAll(async () => {
  await stop?.();
}, 30_000);

describe('the journal under the desktop shell (fake bridge in Chromium)', () => {
  it('shows the sync status — last sync, unsent changes, the clock — and «Синхронизировать сейчас» asks the bridge', async () => {
    const page = await desktopPage({ enrolled: true });
    await login(page, server.url, 'teacher');
    const sync = page.getByRole('status', { name: 'Синхронизация с сервером школы' });
    await sync.waitFor();
    await expect(sync.textContent()).resolves.toContain('Синхронизировано 5 мин назад');
    await expect(sync.textContent()).resolves.toContain('Не отправлено: 12');
    await expect(sync.textContent()).resolves.toContain('Часы компьютера спешат на 7 мин');
    await screenshot(page, 'desktop-sync-status');
    const button = page.getByRole('button', { name: 'Синхронизировать сейчас' });
    await button.click();
    await expect.poll(async () => (await bridgeCalls(page)).filter((c) => c[0] === 'syncNow').length).toBe(1);
    await sync.getByText('Синхронизировано только что').waitFor();
    await expect(sync.textContent()).resolves.toContain('Всё отправлено');
    await expect(button.isEnabled()).resolves.toBe(true);
    // An error from the main process shows in the bar.
    await page.evaluate(() => (window as unknown as { __bridge: { setStatus(p: object): void } }).__bridge.setStatus({ lastError: 'Нет связи с сервером школы: проверьте подключение к интернету', skewMs: 0 }));
    await sync.getByText('Ошибка: Нет связи с сервером школы').waitFor();
    await expect(sync.textContent()).resolves.not.toContain('Часы компьютера');
    await page.context().close();
  }, 60_000);

  it('the main process\'s inactivity lock takes the window back to the login page, showing nothing of the teacher\'s', async () => {
    const page = await desktopPage({ enrolled: true });
    await login(page, server.url, 'teacher');
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    await page.evaluate(() => (window as unknown as { __bridge: { send(e: object): void } }).__bridge.send({ type: 'locked' }));
    await page.getByText('Журнал заблокирован после бездействия: войдите снова').waitFor();
    await expect(page.getByRole('button', { name: 'Выйти' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Логин').count()).resolves.toBe(1);
    await page.context().close();
  }, 60_000);

  it('lists the teacher\'s changes the server refused, with the requirement and the clause', async () => {
    const page = await desktopPage({ enrolled: true });
    await login(page, server.url, 'teacher');
    await page.getByRole('button', { name: 'Не принято сервером: 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Изменения, не принятые сервером' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/Отметки[\s\S]*неудовлетворительные отметки не выставляются[\s\S]*R-ADAPTATION, п\. 7\.14 Положения/);
    await screenshot(page, 'desktop-rejected');
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Не принято сервером: 1');
    // Own marks that replaced a value not seen here: by name; «Прочитано» clears them through the bridge.
    await page.getByRole('button', { name: 'Заменены отметки: 1' }).click();
    const over = page.getByRole('dialog', { name: 'Отметки, заменённые без просмотра' });
    await over.waitFor();
    await expect(over.textContent()).resolves.toMatch(/Вануйто Анна[\s\S]*Русский язык, 10\.09\.2026, урок 2[\s\S]*«4»[\s\S]*пустую клетку/);
    await over.getByRole('button', { name: 'Прочитано' }).click();
    await expect.poll(async () => (await bridgeCalls(page)).filter((c) => c[0] === 'dismiss')).toEqual([['dismiss', [44]]]);
    await expect(over.count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Заменены отметки: 1' }).count()).resolves.toBe(0);
    await page.context().close();
  }, 60_000);

  it('prints a class\'s weekly report through the main process (preview and «save»)', async () => {
    const page = await desktopPage({ enrolled: true });
    await login(page, server.url, 'teacher');
    await page.getByLabel('Роль').selectOption({ label: 'Классный руководитель' });
    await page.getByRole('link', { name: 'Мой класс' }).click();
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Печать…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Печать документов класса' });
    await dialog.waitFor();
    // The annual journal is the deputy's and the director's (п. 12.2): not offered to a class teacher.
    await expect(dialog.getByRole('radio').count()).resolves.toBe(2);
    await expect(dialog.getByLabel('Неделя (любой её день)').inputValue()).resolves.toBe(TODAY);
    await dialog.getByRole('button', { name: 'Просмотр и печать' }).click();
    await dialog.getByText('Документ открыт в окне предпросмотра').waitFor();
    await dialog.getByRole('radio', { name: /Сводная ведомость/ }).check();
    await dialog.getByRole('button', { name: 'Сохранить PDF…' }).click();
    await dialog.getByText('Документ сохранён').waitFor();
    await screenshot(page, 'desktop-print');
    const prints = (await bridgeCalls(page)).filter((c) => c[0] === 'print');
    const classId = /#\/class\/([^/]+)/.exec(page.url())![1];
    expect(prints).toEqual([
      ['print', 'report.weekly', { classId, week: TODAY }, 'preview'],
      ['print', 'report.summary', { classId }, 'save'],
    ]);
    await page.keyboard.press('Escape');
    await page.context().close();
  }, 60_000);

  it('a computer not enrolled yet opens on the enrolment form; an error is one line; then the login page', async () => {
    const page = await desktopPage({ enrolled: false });
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Подключение компьютера к школе' }).waitFor();
    // Skipped, it is one click away from the login page.
    await page.getByRole('button', { name: 'Войти без подключения' }).click();
    await page.getByLabel('Логин').waitFor();
    await page.getByRole('button', { name: 'Подключить компьютер к школе' }).click();
    await page.getByRole('heading', { name: 'Подключение компьютера к школе' }).waitFor();
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe('server');
    await page.getByRole('button', { name: 'Подключить' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Укажите адрес сервера, логин, пароль, название компьютера');
    await page.getByLabel('Адрес сервера школы').fill('https://journal.school.example');
    await page.getByLabel('Ваш логин').fill('admin');
    await page.getByLabel('Ваш пароль').fill('не тот');
    await page.getByLabel('Название компьютера').fill('Кабинет 12');
    await page.getByRole('button', { name: 'Подключить' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Неверный логин или пароль');
    await expect(page.getByLabel('Ваш пароль').inputValue()).resolves.toBe('');
    await page.getByLabel('Ваш пароль').fill('верный');
    await page.keyboard.press('Enter');
    await page.getByText('Компьютер «Кабинет 12» подключён к школе').waitFor();
    await page.getByText('Журнал школы загружен').waitFor();
    await screenshot(page, 'desktop-enrolled');
    const enrols = (await bridgeCalls(page)).filter((c) => c[0] === 'enrol');
    expect(enrols).toEqual([
      ['enrol', 'https://journal.school.example', 'admin', 'Кабинет 12'],
      ['enrol', 'https://journal.school.example', 'admin', 'Кабинет 12'],
    ]);
    await page.getByRole('button', { name: 'Перейти ко входу' }).click();
    await page.getByText('Компьютер подключён к школе: войдите').waitFor();
    await expect(page.getByLabel('Логин').isVisible()).resolves.toBe(true);
    await page.context().close();
  }, 60_000);

  it('in a browser (no bridge) there is no sync indicator, no «Синхронизировать сейчас» and no printing', async () => {
    const p = await newPage(browser);
    await login(p.page, server.url, 'teacher');
    await p.page.getByText('Сервер на связи').waitFor();
    await expect(p.page.getByRole('button', { name: 'Синхронизировать сейчас' }).count()).resolves.toBe(0);
    await expect(p.page.getByRole('status', { name: 'Синхронизация с сервером школы' }).count()).resolves.toBe(0);
    await p.page.getByLabel('Роль').selectOption({ label: 'Классный руководитель' });
    await p.page.getByRole('link', { name: 'Мой класс' }).click();
    await p.page.getByRole('table').waitFor();
    await expect(p.page.getByRole('button', { name: 'Печать…' }).count()).resolves.toBe(0);
    problemLists.push(p.problems);
    await p.context.close();
  }, 60_000);

  it('had no page errors and no console errors on any page', () => {
    expect(problemLists.length).toBe(6);
    expect(problemLists.flat()).toEqual([]);
  });
});
