/**
 * The administration screens end to end (R-ACCOUNTS, R-BREACH, п. 9.4, 9.6, 10): Debian's Chromium
 * against the real `ejournal serve --demo`, its clock stopped at 10 September 2026, 14:00 school
 * time. The demo's administrator adds a staff member and their account; the one-time password
 * read off the dialog signs in, is forced to be changed, and the account is then blocked; the
 * class teacher adds a pupil and a parent; the director records a breach and gets the act.
 * Screenshots go to e2e/screenshots/ (git-ignored).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { RunningServer } from './support/server';
import { startDemo } from './support/demo';
import { PHONE, login, newPage, screenshot } from './support/browser';

const TODAY = '2026-09-10';
const NEW_PASSWORD = 'Тундра-2026-север';
let server: RunningServer;
let browser: Browser;
let stop: (() => Promise<void>) | undefined;
let admin: Page;
/** Page errors and console errors (CSP violations included), one list per page opened. */
const problems: string[][] = [];
const contexts: BrowserContext[] = [];
/** What the administrator issued, for the newcomer's first sign-in. */
const issued = { login: '', password: '' };

async function open(viewport?: typeof PHONE, mobile = false): Promise<Page> {
  const p = await newPage(browser, viewport, mobile ? { mobile: true } : {});
  contexts.push(p.context);
  problems.push(p.problems);
  return p.page;
}

/** Signs in and waits for what the account gets: the shell, or the one-time password's page. */
async function signIn(page: Page, loginName: string, password: string): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Логин').fill(loginName);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

/** The table of accounts (not the list of breaches under it) and a row of a table. */
const accounts = (page: Page) => page.getByRole('region', { name: 'Учётные записи', exact: true });
const row = (table: Locator, text: string) => table.locator('tr.rt-row').filter({ hasText: text });

beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
  admin = await open();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await stop?.();
}, 30_000);

describe('accounts and one-time passwords (R-ACCOUNTS, п. 9.6, 10.1–10.3)', () => {
  it('the administrator adds a staff member and an account; the one-time password is shown once', async () => {
    await login(admin, server.url, 'admin');
    await admin.waitForFunction(() => location.hash.startsWith('#/accounts'));
    const table = admin.getByRole('region', { name: 'Учётные записи' });
    await table.waitFor();
    await expect.poll(() => row(accounts(admin), 'Лаптандер Галина Ивановна').count()).toBe(1);
    await expect(row(accounts(admin), 'Лаптандер Галина Ивановна').textContent()).resolves.toContain('Директор');
    await screenshot(admin, 'admin-accounts');

    // Sorting by a header, and the filter box.
    await admin.getByRole('button', { name: /^Логин/ }).click();
    await expect(admin.getByRole('columnheader', { name: /Логин/ }).getAttribute('aria-sort')).resolves.toBe('ascending');
    const logins = await admin.locator('tr.rt-row td:nth-child(3)').allTextContents();
    expect(logins.length).toBeGreaterThan(10);
    expect([...logins].sort((a, b) => a.localeCompare(b, 'ru', { numeric: true, sensitivity: 'base' }))).toEqual(logins);

    await admin.getByRole('button', { name: 'Новый работник' }).click();
    const staff = admin.getByRole('dialog', { name: 'Новый работник' });
    await staff.getByLabel('Фамилия').fill('Пуйко');
    await staff.getByLabel('Имя').fill('Анна');
    await staff.getByLabel('Отчество').fill('Сергеевна');
    await staff.getByLabel('Должность').fill('учитель музыки');
    await staff.getByRole('button', { name: 'Добавить работника' }).click();

    const create = admin.getByRole('dialog', { name: 'Новая учётная запись' });
    await create.waitFor();
    await expect(create.getByLabel('Работник').locator('option:checked').textContent()).resolves.toBe('Пуйко Анна Сергеевна');
    await expect(create.getByLabel('Учитель', { exact: true }).isChecked()).resolves.toBe(true);
    await create.getByLabel('Классный руководитель').check();
    await create.getByLabel('Логин (необязательно)').fill('puiko.as');
    await screenshot(admin, 'admin-account-create');
    await create.getByRole('button', { name: 'Создать и выдать пароль' }).click();

    const shown = admin.getByRole('dialog', { name: 'Учётная запись создана' });
    await shown.waitFor();
    issued.login = (await shown.getByLabel('Логин', { exact: true }).textContent()) ?? '';
    issued.password = (await shown.getByLabel('Разовый пароль').textContent()) ?? '';
    expect(issued.login).toBe('puiko.as');
    expect(issued.password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await expect(shown.textContent()).resolves.toContain('один раз');
    await expect(shown.getByRole('button', { name: 'Печать' }).isVisible()).resolves.toBe(true);
    await screenshot(admin, 'admin-one-time-password');
    await shown.getByRole('button', { name: 'Готово' }).click();
    await expect(shown.count()).resolves.toBe(0);

    await admin.getByRole('searchbox').fill('пуйко');
    await expect.poll(() => admin.locator('tr.rt-row').count()).toBe(1);
    const mine = row(accounts(admin), 'Пуйко Анна Сергеевна');
    await expect(mine.textContent()).resolves.toMatch(/puiko\.as.*Учитель, Классный руководитель.*разовый/);
  }, 120_000);

  it('refuses a login the rules do not allow, with the refusal in the dialog', async () => {
    await admin.getByRole('searchbox').fill('');
    await admin.getByRole('button', { name: 'Новый работник' }).click();
    const staff = admin.getByRole('dialog', { name: 'Новый работник' });
    await staff.getByLabel('Фамилия').fill('Сэротэтто');
    await staff.getByLabel('Имя').fill('Олег');
    await staff.getByRole('button', { name: 'Добавить работника' }).click();
    const create = admin.getByRole('dialog', { name: 'Новая учётная запись' });
    await create.getByLabel('Логин (необязательно)').fill('логин-по-русски');
    await create.getByRole('button', { name: 'Создать и выдать пароль' }).click();
    const alert = create.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('латинские буквы');
    await screenshot(admin, 'admin-account-refused');
    await admin.keyboard.press('Escape');
    await create.waitFor({ state: 'detached' });
  }, 30_000);

  it('the newcomer signs in with the one-time password, must choose their own, and then sees the journal', async () => {
    const page = await open();
    await signIn(page, issued.login, issued.password);
    await page.getByRole('heading', { name: 'Смена разового пароля' }).waitFor();
    await expect(page.getByRole('navigation', { name: 'Разделы' }).count()).resolves.toBe(0);
    await expect(page.getByText('не короче 8 символов, не только из цифр и не совпадающий с логином').isVisible()).resolves.toBe(true);
    await screenshot(page, 'password-one-time');

    // A password of digits only is refused with the rule (the journal's own rule, checked before sending).
    await page.getByLabel('Разовый пароль').fill(issued.password);
    await page.getByLabel('Новый пароль', { exact: true }).fill('12345678');
    await page.getByLabel('Новый пароль ещё раз').fill('12345678');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('только цифры');
    await screenshot(page, 'password-refused');

    await page.getByLabel('Новый пароль', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Новый пароль ещё раз').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    await expect(page.locator('.user-name').textContent()).resolves.toBe('Пуйко А. С.');
    await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
    await screenshot(page, 'password-changed-shell');
    // The same browser stays signed in with the new password after a reload.
    await page.reload();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();

    // The administrator's list says the password is the owner's own now.
    await admin.getByRole('searchbox').fill('пуйко');
    await admin.reload();
    await admin.getByRole('searchbox').fill('пуйко');
    await expect.poll(() => row(accounts(admin), 'Пуйко').textContent()).toContain('свой');

    // «Сменить пароль» in the top bar, for everyone.
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    const dialog = page.getByRole('dialog', { name: 'Смена пароля' });
    await dialog.getByLabel('Текущий пароль').fill('неверный пароль');
    await dialog.getByLabel('Новый пароль', { exact: true }).fill('Другой-пароль-2026');
    await dialog.getByLabel('Новый пароль ещё раз').fill('Другой-пароль-2026');
    await dialog.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('Текущий пароль введён неверно');
    await screenshot(page, 'password-dialog');
    await dialog.getByRole('button', { name: 'Отмена' }).click();

    // The administrator blocks the account: the open session ends and the login is refused.
    await row(accounts(admin), 'Пуйко').getByRole('button', { name: 'Заблокировать' }).click();
    const block = admin.getByRole('dialog', { name: 'Заблокировать учётную запись' });
    await block.getByLabel('Причина блокировки').fill('увольнение');
    await block.getByRole('button', { name: 'Заблокировать' }).click();
    await expect.poll(() => row(accounts(admin), 'Пуйко').textContent()).toContain('да: увольнение');
    await screenshot(admin, 'admin-blocked');

    await page.reload();
    await page.getByLabel('Логин').waitFor();
    await signIn(page, issued.login, NEW_PASSWORD);
    const refused = page.getByRole('alert');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain('заблокирована');
    await expect(page.getByRole('button', { name: 'Выйти' }).count()).resolves.toBe(0);

    // The sign-in history shows it all: the sign-ins, then the attempt on the blocked account (п. 10.3).
    // (The server's clock is stopped in this test: sign-ins of one kind and outcome from one address are one row.)
    await row(accounts(admin), 'Пуйко').getByRole('button', { name: 'История входов' }).click();
    const history = admin.getByRole('dialog', { name: 'История входов' });
    const attempts = history.locator('table').first().locator('tbody tr');
    await expect.poll(() => attempts.count()).toBeGreaterThanOrEqual(2);
    await expect(attempts.allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('заблокирована'), expect.stringContaining('вход выполнен')]));
    await screenshot(admin, 'admin-signin-history');
    await history.getByRole('button', { name: 'Закрыть' }).click();
  }, 120_000);

  it('the accounts page fits a phone', async () => {
    const phone = await open(PHONE, true);
    await login(phone, server.url, 'admin');
    await phone.getByRole('region', { name: 'Учётные записи' }).waitFor();
    await screenshot(phone, 'admin-accounts-phone');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }, 60_000);
});

describe('the pupils\' register (п. 9.4, 9.6; R-CONSENT)', () => {
  it('the class teacher opens «Список класса», adds a pupil and the pupil\'s mother with the diary\'s form', async () => {
    const page = await open();
    await login(page, server.url, 'teacher');
    await page.getByLabel('Роль').selectOption({ label: 'Классный руководитель' });
    await page.getByRole('link', { name: 'Список класса' }).click();
    const table = page.getByRole('region', { name: /Список 5А класса/ });
    await table.waitFor();
    const before = await page.locator('tr.rt-row').count();
    expect(before).toBeGreaterThan(10);

    await page.getByRole('button', { name: 'Добавить обучающегося' }).click();
    const d = page.getByRole('dialog', { name: 'Новый обучающийся' });
    await d.getByLabel('Фамилия').fill('Вануйто');
    await d.getByLabel('Имя').fill('Мирон');
    await d.getByLabel('Отчество').fill('Ильич');
    await d.getByLabel('Дата рождения').fill('2015-04-12');
    await d.getByLabel('Медицинская группа').selectOption({ label: 'подготовительная' });
    await screenshot(page, 'register-pupil-dialog');
    await d.getByRole('button', { name: 'Добавить в класс' }).click();
    await d.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('tr.rt-row').count()).toBe(before + 1);
    const pupil = row(table, 'Вануйто Мирон Ильич');
    await expect(pupil.textContent()).resolves.toContain('12.04.2015');
    await expect(pupil.textContent()).resolves.toContain('подготовительная');

    // The keyboard: the filter box, ↓ to the row, → opens the family.
    await page.getByRole('searchbox').fill('вануйто');
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toContain('Вануйто');
    await page.keyboard.press('ArrowRight');
    await page.getByText('Родители (законные представители) не указаны.').waitFor();
    await page.getByRole('button', { name: '+ Добавить родителя' }).click();
    const pd = page.getByRole('dialog', { name: 'Новый родитель (законный представитель)' });
    await pd.getByLabel('Фамилия').fill('Вануйто');
    await pd.getByLabel('Имя').fill('Елена');
    await pd.getByLabel('Кем приходится').fill('мать');
    await pd.getByLabel('Телефон').fill('+7 900 123-45-67');
    await pd.getByRole('button', { name: 'Добавить родителя' }).click();
    await pd.waitFor({ state: 'detached' });
    const mother = page.locator('.adm-parents tbody tr').filter({ hasText: 'Вануйто Елена' });
    await mother.waitFor();
    await expect(mother.textContent()).resolves.toContain('мать');
    await mother.getByRole('button', { name: 'Форма дневника' }).click();
    const cd = page.getByRole('dialog', { name: 'Форма дневника' });
    await cd.getByLabel('бумажный дневник').check();
    await cd.getByRole('button', { name: 'Записать' }).click();
    await expect.poll(() => mother.textContent()).toContain('бумажный дневник с 10.09.2026');
    await screenshot(page, 'register-family');

    // Leaving: the pupil stays in the list, «выбыл» with the date.
    await pupil.getByRole('button', { name: 'Выбытие' }).click();
    const ld = page.getByRole('dialog', { name: 'Выбытие обучающегося' });
    await expect(ld.getByLabel('Дата выбытия').inputValue()).resolves.toBe(TODAY);
    await ld.getByRole('button', { name: 'Отметить выбытие' }).click();
    await ld.waitFor({ state: 'detached' });
    await expect.poll(() => pupil.textContent()).toContain('выбыл 10.09.2026');
    await expect(pupil.getAttribute('class')).resolves.toContain('is-off');
  }, 90_000);

  it('the administrator issues one-time passwords to the class\'s pupils and gets the slips as a PDF', async () => {
    await admin.getByRole('link', { name: 'Контингент' }).click();
    // A label that wraps a select is named with the selected option too («Класс 1А»).
    await admin.getByRole('combobox', { name: /^Класс/ }).selectOption({ label: '5А' });
    const list = admin.getByRole('region', { name: 'Список 5А класса' });
    await list.waitFor();
    await admin.getByRole('button', { name: 'Разовые пароли семьям класса…' }).click();
    const d = admin.getByRole('dialog', { name: 'Разовые пароли семьям класса' });
    await d.getByLabel('Обучающимся', { exact: true }).check();
    await d.getByRole('button', { name: 'Выдать пароли и сформировать листки' }).click();
    const status = d.getByRole('status');
    await status.waitFor();
    const issuedCount = Number(/Выдано разовых паролей: (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
    // 5А's pupils without an account (all but the demo's «student»; who left gets nothing).
    expect(issuedCount).toBeGreaterThan(5);
    await screenshot(admin, 'register-slips');
    const [download] = await Promise.all([admin.waitForEvent('download'), d.getByRole('button', { name: 'Сохранить PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^paroli-[a-z0-9-]+-2026-09-10\.pdf$/);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await d.getByRole('button', { name: 'Закрыть' }).click();
    // The pupils have logins now; only who left has none.
    await expect.poll(async () => (await list.locator('td[data-label="Логин"]').allTextContents()).filter((t) => t === 'нет')).toEqual(['нет']);
  }, 60_000);

  it('the register fits a phone', async () => {
    const phone = await open(PHONE, true);
    await login(phone, server.url, 'admin');
    await phone.getByRole('link', { name: 'Контингент' }).click();
    const list = phone.getByRole('region', { name: /^Список .+ класса$/ });
    await list.locator('tr.rt-row').first().waitFor();
    await screenshot(phone, 'register-phone');
    await list.locator('tr.rt-row').first().getByRole('button', { name: /Семья/ }).click();
    await list.locator('.adm-parents').first().waitFor();
    await list.locator('.adm-parents').first().scrollIntoViewIfNeeded();
    await screenshot(phone, 'register-family-phone');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }, 60_000);
});

describe('a breach of an account (R-BREACH, п. 10.3, 10.4)', () => {
  it('the director records a breach, with the warning of п. 10.4, and gets the act as a PDF', async () => {
    const page = await open();
    await login(page, server.url, 'director');
    await page.getByRole('link', { name: 'Учётные записи' }).click();
    await page.getByRole('region', { name: 'Учётные записи' }).waitFor();
    await page.getByRole('searchbox').fill('methodist');
    await row(accounts(page), 'methodist').getByRole('button', { name: 'Зафиксировать нарушение' }).click();
    const d = page.getByRole('dialog', { name: 'Зафиксировать нарушение' });
    await expect(d.getByRole('note').textContent()).resolves.toMatch(/недействительными[\s\S]*п\. 10\.4/);
    await expect.poll(() => d.getByLabel('Сообщение о нарушении').inputValue()).toBe(`${TODAY}T14:00`);
    // The beginning after the report is refused before anything is sent.
    await d.getByLabel('Нарушение началось').fill(`${TODAY}T15:00`);
    await d.getByRole('button', { name: 'Зафиксировать нарушение' }).click();
    await expect(d.getByRole('alert').textContent()).resolves.toContain('не может быть позже');
    await d.getByLabel('Нарушение началось').fill(`${TODAY}T09:30`);
    await d.getByLabel('Примечание').fill('Пароль записан на листке у компьютера в учительской');
    await screenshot(page, 'breach-dialog');
    await d.getByRole('button', { name: 'Зафиксировать нарушение' }).click();

    const recorded = page.getByRole('dialog', { name: 'Нарушение зафиксировано' });
    await recorded.waitFor();
    await recorded.getByRole('button', { name: 'Сформировать акт (PDF)' }).click();
    const save = recorded.getByRole('button', { name: 'Сохранить PDF' });
    await save.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toMatch(/^akt-narusheniya-breach-[0-9a-f]{8}-2026-09-10\.pdf$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await screenshot(page, 'breach-act');
    // «Открыть PDF»: a new tab with the browser's viewer (the page's CSP lets it show).
    const [tab] = await Promise.all([page.context().waitForEvent('page'), recorded.getByRole('button', { name: 'Открыть PDF' }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    await expect(recorded.getByText('Браузер не открыл новую вкладку').count()).resolves.toBe(0);
    await tab.close();
    await recorded.getByRole('button', { name: 'Закрыть' }).click();

    await expect.poll(() => row(accounts(page), 'methodist').textContent()).toContain('! зафиксировано');
    const breaches = page.getByRole('region', { name: 'Нарушения', exact: true });
    await expect(breaches.textContent()).resolves.toContain('10.09.2026 в 09:30');
    await expect(breaches.textContent()).resolves.toContain('Пароль записан на листке');

    // From the report on, the account cannot sign in (п. 10.4).
    const r = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'methodist', password: 'demo' }) });
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'breach', clause: 'п. 10.4' } });
  }, 90_000);
});

describe('nothing on the pages broke the rules of the page (CSP, errors)', () => {
  it('had no page errors and no console errors', () => {
    expect(problems.flat()).toEqual([]);
  });
});
