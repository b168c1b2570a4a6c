/**
 * A real school from an empty server, in Debian's Chromium against real processes (no demo):
 * `ejournal school create` makes the school «nahodka» with its administrator only, `ejournal
 * serve --data DIR` serves it with the clock stopped on Monday 14 September 2026, 10:00 school
 * time. The administrator sets up the year, class 5А, the pupils' list (the template downloaded,
 * filled here with exceljs, uploaded, previewed, applied), a teacher with a one-time password, the
 * subject and the course, and the parents' one-time passwords; the teacher and a parent sign in,
 * choose their own passwords and see the gradebook's page and the child's diary — both without
 * lessons, since nothing can put lessons in a real school's timetable yet. Screenshots:
 * e2e/screenshots/real-school-*.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { killAll, serveProcess } from '../test/support/child';
import { pdfPages } from '../test/support/poppler';
import { ROOT } from './support/server';
import { buildUi } from './support/build';
import { launch, newPage, screenshot } from './support/browser';

const BIN = join(ROOT, 'bin', 'ejournal.js');
const env = { ...process.env, DATABASE_URL: '', EJOURNAL_PASSWORD: '', LOG_LEVEL: 'warn', NODE_ENV: 'test' };
const ADMIN = { login: 'director.n', password: 'Находка-2026-адм' };
const TEACHER = { name: 'Салиндер Мария Петровна', short: 'Салиндер М. П.', login: 'salinder.mp', own: 'Тетрадь-в-линейку-5' };
const PARENT_OWN = 'Северное-сияние-14';
/** 5А's pupils and a parent of each, as the file gives them. */
const PUPILS = [
  { last: 'Вануйто', first: 'Мирон', middle: 'Ильич', birth: '2015-04-12', parent: ['Вануйто', 'Елена', 'Петровна', '+7 900 123-45-67', 'мать'] },
  { last: 'Окотэтто', first: 'Дарья', middle: 'Сергеевна', birth: '2015-07-30', parent: ['Окотэтто', 'Сергей', 'Иванович', '+7 900 222-33-44', 'отец'] },
  { last: 'Яптик', first: 'Алина', middle: '', birth: '2014-12-01', parent: ['Яптик', 'Ольга', 'Николаевна', '+7 900 555-66-77', 'мать'] },
] as const;

let dir = '';
let ui = '';
let url = '';
let browser: Browser;
let admin: Page;
const contexts: BrowserContext[] = [];
/** Page errors and console errors (CSP violations included), one list per page. */
const problems: string[][] = [];
const issued = { teacher: '', parentLogin: '', parentPassword: '', slip: { name: '', login: '', password: '' }, firstSlipPassword: '' };

/** The slips of one-time passwords as pdftotext reads them (drawing order): name, login, password. */
function readSlips(pdf: Uint8Array): { name: string; login: string; password: string }[] {
  const text = pdfPages(pdf, 'raw').join('\n');
  return [...text.matchAll(/Электронный дневник\n.+\n(.+)\n.+\nЛогин: (\S+)\nРазовый пароль:\n(\S+)\n/g)].map((m) => ({ name: m[1]!, login: m[2]!, password: m[3]! }));
}

async function open(): Promise<Page> {
  const p = await newPage(browser);
  contexts.push(p.context);
  problems.push(p.problems);
  return p.page;
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

/** The forced change after a one-time password (п. 10.1): the page, then the shell. */
async function chooseOwnPassword(page: Page, oneTime: string, own: string, shot: string): Promise<void> {
  await page.getByRole('heading', { name: 'Смена разового пароля' }).waitFor();
  await expect(page.getByRole('navigation', { name: 'Разделы' }).count()).resolves.toBe(0);
  await page.getByLabel('Разовый пароль').fill(oneTime);
  await page.getByLabel('Новый пароль', { exact: true }).fill(own);
  await page.getByLabel('Новый пароль ещё раз').fill(own);
  await screenshot(page, shot);
  await page.getByRole('button', { name: 'Сменить пароль' }).click();
  // The forced page has a «Выйти» of its own: wait for the shell's sections instead.
  await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
  await expect(page.getByRole('heading', { name: 'Смена разового пароля' }).count()).resolves.toBe(0);
}

async function section(name: string): Promise<void> {
  await admin.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name }).click();
  await admin.getByRole('toolbar').first().waitFor();
}
const region = (name: string | RegExp) => admin.getByRole('region', { name, exact: typeof name === 'string' });
/** A saved row of an editable table (not the one being edited). */
const saved = (name: string, text: string | RegExp) => region(name).locator('tbody tr[data-id]').filter({ hasText: text });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ejournal-real-school-'));
  const passwordFile = join(dir, 'password.txt');
  writeFileSync(passwordFile, `${ADMIN.password}\n`);
  const data = join(dir, 'server');
  const created = spawnSync(process.execPath, [BIN, 'school', 'create', '--data', data, '--id', 'nahodka', '--name', 'МБОУ «СОШ с. Находка»', '--admin', ADMIN.login, '--timezone', 'Asia/Yekaterinburg', '--password-file', passwordFile], { env, encoding: 'utf8', timeout: 60_000 });
  expect(created.status, created.stderr).toBe(0);
  expect(created.stdout).toMatch(/^Школа «nahodka» создана на сервере/);
  ui = buildUi();
  // Monday 14 September 2026, 10:00 in Asia/Yekaterinburg.
  const [server, b] = await Promise.all([serveProcess(BIN, ['--port', '0', '--host', '127.0.0.1', '--data', data, '--ui', ui, '--now', '2026-09-14T05:00:00Z', '--log-level', 'warn'], env), launch()]);
  url = server.url;
  browser = b;
  admin = await open();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  killAll();
  if (ui) rmSync(ui, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('a real school from an empty server, in a browser (R-SETUP, R-IMPORT, R-ACCOUNTS, п. 9.6, 10.1)', () => {
  it('the administrator signs in and creates the year 2026/2027 with the proposed quarters', async () => {
    await signIn(admin, ADMIN.login, ADMIN.password);
    await admin.getByRole('button', { name: 'Выйти' }).waitFor();
    await screenshot(admin, 'real-school-01-admin-empty');
    await section('Учебный год');
    await admin.getByText('В журнале ещё нет учебного года').waitFor();
    await admin.getByRole('button', { name: '+ Новый учебный год' }).click();
    const form = admin.getByRole('form', { name: 'Новый учебный год' });
    await expect(form.getByLabel('Название', { exact: true }).inputValue()).resolves.toBe('2026/2027');
    await expect(form.getByLabel('Начало', { exact: true }).inputValue()).resolves.toBe('2026-09-01');
    await expect(form.getByLabel(/^Период \d: название$/).count()).resolves.toBe(4);
    await screenshot(admin, 'real-school-02-new-year');
    await form.getByRole('button', { name: 'Создать учебный год' }).click();
    await form.waitFor({ state: 'detached' });
    await expect(admin.getByRole('toolbar', { name: 'Учебный год' }).getByRole('combobox').locator('option:checked').textContent()).resolves.toBe('2026/2027 (текущий)');
    await expect(region('Четверти, триместры, полугодия — 2026/2027').locator('tbody tr[data-id]').count()).resolves.toBe(4);
    await screenshot(admin, 'real-school-03-year');
  }, 30_000);

  it('creates class 5А with its whole-class group', async () => {
    await section('Классы и предметы');
    const classes = region('Классы');
    await classes.getByRole('button', { name: '+ Класс' }).click();
    await classes.getByLabel('Параллель').fill('5');
    await classes.getByLabel('Буква').fill('а');
    await admin.keyboard.press('Enter');
    await admin.getByRole('button', { name: 'Создать группу «5А»' }).click();
    await admin.getByText('Группа «5А» (весь класс) создана').waitFor();
    await expect(saved('Классы', /^5А/).locator('.st-badge').textContent()).resolves.toBe('есть');
    await expect(saved('Группы', /^5Авесь класс5А/).count()).resolves.toBe(1);
    await screenshot(admin, 'real-school-04-class');
  }, 30_000);

  it("downloads the pupils' template (XLSX), fills in 3 pupils with a parent each, previews and applies it", async () => {
    await section('Загрузка списков');
    await expect(admin.getByLabel('Какой список').inputValue()).resolves.toBe('students');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'Шаблон XLSX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const template = readFileSync((await download.path())!);
    expect(template.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 5)).toEqual(['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс']);

    const col = (name: string) => { const i = header.indexOf(name); expect(i, name).toBeGreaterThanOrEqual(0); return i + 1; };
    PUPILS.forEach((p, n) => {
      const row = sheet.getRow(2 + n);
      row.getCell(col('Фамилия')).value = p.last;
      row.getCell(col('Имя')).value = p.first;
      row.getCell(col('Отчество')).value = p.middle;
      row.getCell(col('Дата рождения')).value = new Date(`${p.birth}T00:00:00Z`);
      row.getCell(col('Класс')).value = '5А';
      const [last, first, middle, phone, relation] = p.parent;
      row.getCell(col('Родитель 1: Фамилия')).value = last;
      row.getCell(col('Родитель 1: Имя')).value = first;
      row.getCell(col('Родитель 1: Отчество')).value = middle;
      row.getCell(col('Родитель 1: Телефон')).value = phone;
      row.getCell(col('Родитель 1: Степень родства')).value = relation;
      row.getCell(col('Форма дневника')).value = 'электронный';
      row.commit();
    });
    const filled = Buffer.from(await book.xlsx.writeBuffer());

    await admin.getByLabel('Файл XLSX или CSV').setInputFiles({ name: 'ученики-5а.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled });
    await admin.getByRole('heading', { name: 'Предпросмотр: ученики-5а.xlsx' }).waitFor();
    await expect(admin.getByRole('table', { name: 'Ошибки в файле' }).count()).resolves.toBe(0);
    const status = admin.getByRole('status').filter({ hasText: 'Строк:' });
    await expect(status.textContent()).resolves.toMatch(/Строк: 3.*Добавить: 3.*Ошибок: 0/);
    await screenshot(admin, 'real-school-05-import-preview');
    await admin.getByRole('button', { name: 'Применить' }).click();
    const done = admin.getByRole('region', { name: 'Список загружен' });
    await done.waitFor();
    await expect(done.textContent()).resolves.toMatch(/Добавлено: 3/);
    await screenshot(admin, 'real-school-06-import-done');
  }, 30_000);

  it('creates a teacher and an account with the roles teacher; the one-time password is read off the dialog', async () => {
    await section('Учётные записи');
    await admin.getByRole('button', { name: 'Новый работник' }).click();
    const staff = admin.getByRole('dialog', { name: 'Новый работник' });
    const [last, first, middle] = TEACHER.name.split(' ');
    await staff.getByLabel('Фамилия').fill(last!);
    await staff.getByLabel('Имя').fill(first!);
    await staff.getByLabel('Отчество').fill(middle!);
    await staff.getByLabel('Должность').fill('учитель русского языка и литературы');
    await staff.getByRole('button', { name: 'Добавить работника' }).click();
    const create = admin.getByRole('dialog', { name: 'Новая учётная запись' });
    await create.waitFor();
    await expect(create.getByLabel('Работник').locator('option:checked').textContent()).resolves.toBe(TEACHER.name);
    await expect(create.getByLabel('Учитель', { exact: true }).isChecked()).resolves.toBe(true);
    await create.getByLabel('Логин (необязательно)').fill(TEACHER.login);
    await create.getByRole('button', { name: 'Создать и выдать пароль' }).click();
    const shown = admin.getByRole('dialog', { name: 'Учётная запись создана' });
    await shown.waitFor();
    await expect(shown.getByLabel('Логин', { exact: true }).textContent()).resolves.toBe(TEACHER.login);
    issued.teacher = (await shown.getByLabel('Разовый пароль').textContent()) ?? '';
    expect(issued.teacher).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await screenshot(admin, 'real-school-07-teacher-password');
    await shown.getByRole('button', { name: 'Готово' }).click();
    await shown.waitFor({ state: 'detached' });
  }, 30_000);

  it('adds the subject «Русский язык» and the course 5А × Русский язык, 5 hours, that teacher', async () => {
    await section('Классы и предметы');
    const subjects = region('Предметы');
    await subjects.getByRole('button', { name: '+ Предмет' }).click();
    await subjects.getByLabel('Название').fill('Русский язык');
    await subjects.getByLabel('Краткое').fill('Рус. яз.');
    await subjects.getByLabel('Вид предмета (для правил)').selectOption('russian');
    await admin.keyboard.press('Enter');
    await saved('Предметы', /^Русский языкРус\. яз\./).waitFor();

    await section('Учебный план');
    const plan = region('Предметы групп: часы и учителя');
    await plan.getByRole('button', { name: '+ Предмет группе' }).click();
    await plan.getByLabel('Группа').selectOption({ label: '5А' });
    await plan.getByLabel('Предмет').selectOption({ label: 'Русский язык' });
    await plan.getByLabel('Часов в неделю').fill('5');
    await plan.getByLabel('Учитель').selectOption({ label: TEACHER.name });
    await admin.keyboard.press('Enter');
    await saved('Предметы групп: часы и учителя', new RegExp(`^5А.*Русский язык5${TEACHER.name}`)).waitFor();
    await expect(region('Часов в неделю по классам').locator('tr[data-class="5А"] td').first().textContent()).resolves.toBe('5');
    await expect(region(/Нагрузка учителей/).getByRole('row', { name: new RegExp(TEACHER.short) }).textContent()).resolves.toContain('5А');
    await screenshot(admin, 'real-school-08-curriculum');
  }, 30_000);

  it("issues the parents' one-time passwords as slips (PDF read with pdftotext), then a new one for one parent from the dialog", async () => {
    await section('Контингент');
    const list = region('Список 5А класса');
    await expect.poll(() => list.locator('tr.rt-row').count()).toBe(3);
    await admin.getByRole('button', { name: 'Разовые пароли семьям класса…' }).click();
    const d = admin.getByRole('dialog', { name: 'Разовые пароли семьям класса' });
    await expect(d.getByLabel('Родителям', { exact: true }).isChecked()).resolves.toBe(true);
    await d.getByRole('button', { name: 'Выдать пароли и сформировать листки' }).click();
    await expect(d.getByRole('status').textContent()).resolves.toContain('Выдано разовых паролей: 3');
    await screenshot(admin, 'real-school-09-slips');
    const [download] = await Promise.all([admin.waitForEvent('download'), d.getByRole('button', { name: 'Сохранить PDF' }).click()]);
    const slips = readSlips(readFileSync((await download.path())!));
    expect(slips.map((x) => x.name)).toEqual(PUPILS.map((p) => p.parent.slice(0, 3).join(' ')));
    issued.slip = slips[1]!;
    issued.firstSlipPassword = slips[0]!.password;
    await d.getByRole('button', { name: 'Закрыть' }).click();

    // The mother of the first pupil: her login as the family's table shows it, and on her slip.
    const pupil = list.locator('tr.rt-row').filter({ hasText: 'Вануйто Мирон Ильич' });
    await pupil.getByRole('button', { name: /Семья/ }).click();
    const mother = list.locator('.adm-parents tbody tr').filter({ hasText: 'Вануйто Елена Петровна' });
    await expect(mother.textContent()).resolves.toMatch(/мать.*\+7 900 123-45-67/);
    await expect(mother.locator('td[data-label="Форма дневника"]').textContent()).resolves.toContain('электрон');
    issued.parentLogin = (await mother.locator('td[data-label="Логин"] code').textContent()) ?? '';
    expect(issued.parentLogin).not.toBe('');
    expect(slips[0]!.login).toBe(issued.parentLogin);
    await screenshot(admin, 'real-school-10-family');

    await section('Учётные записи');
    await admin.getByRole('toolbar', { name: 'Учётные записи' }).getByRole('combobox').selectOption({ label: 'Родители' });
    await admin.getByRole('searchbox').fill(issued.parentLogin);
    const account = admin.getByRole('region', { name: 'Учётные записи', exact: true }).locator('tr.rt-row').filter({ hasText: issued.parentLogin });
    await expect.poll(() => account.count()).toBe(1);
    await expect(account.textContent()).resolves.toMatch(/Вануйто Елена Петровна.*Родитель.*разовый/);
    await account.getByRole('button', { name: 'Новый разовый пароль' }).click();
    await admin.getByRole('dialog', { name: 'Новый разовый пароль' }).getByRole('button', { name: 'Выдать новый пароль' }).click();
    const shown = admin.getByRole('dialog', { name: 'Новый разовый пароль выдан' });
    await shown.waitFor();
    await expect(shown.getByLabel('Логин', { exact: true }).textContent()).resolves.toBe(issued.parentLogin);
    issued.parentPassword = (await shown.getByLabel('Разовый пароль').textContent()) ?? '';
    expect(issued.parentPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await screenshot(admin, 'real-school-11-parent-password');
    await shown.getByRole('button', { name: 'Готово' }).click();
  }, 30_000);

  it('the teacher signs in with the one-time password, chooses their own and sees the 5А Russian page, with no marks', async () => {
    const page = await open();
    await signIn(page, TEACHER.login, issued.teacher);
    await chooseOwnPassword(page, issued.teacher, TEACHER.own, 'real-school-12-teacher-password');
    await expect(page.locator('.user-name').textContent()).resolves.toBe(TEACHER.short);
    await expect(page.getByLabel('Класс, группа').locator('option:checked').textContent()).resolves.toBe('5А');
    await expect(page.getByLabel('Предмет').locator('option:checked').textContent()).resolves.toBe('Русский язык');
    // The class's empty gradebook: its pupils, no lessons yet. Lessons come with the timetable,
    // which the methodist has no screen for yet (`lesson.create` is an op only); the page says so
    // and lists the pupils, so the teacher sees whose journal it is.
    await page.getByText('В периоде «I четверть» уроков по предмету нет').waitFor();
    await expect(page.getByRole('grid').count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: 'Обучающиеся' }).locator('li').allTextContents())
      .resolves.toEqual(PUPILS.map((p) => [p.last, p.first, p.middle].filter(Boolean).join(" ")).sort((a, b) => a.localeCompare(b, "ru")));
    await screenshot(page, 'real-school-13-gradebook');
  }, 30_000);

  it("the parent signs in with the one-time password, changes it and sees the child's diary", async () => {
    const page = await open();
    await signIn(page, issued.parentLogin, issued.parentPassword);
    await chooseOwnPassword(page, issued.parentPassword, PARENT_OWN, 'real-school-14-parent-password');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Вануйто Мирон Ильич, 5А класс');
    await expect(page.getByText('Неделя: 14–19 сентября 2026 г. (текущая)').count()).resolves.toBe(1);
    await screenshot(page, 'real-school-15-diary');
  }, 30_000);

  it("another parent signs in with the password from the slip (PDF); the first parent's slip no longer works", async () => {
    const page = await open();
    await signIn(page, issued.slip.login, issued.slip.password);
    await chooseOwnPassword(page, issued.slip.password, `${PARENT_OWN}-2`, 'real-school-16-slip-parent-password');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Окотэтто Дарья Сергеевна, 5А класс');
    await screenshot(page, 'real-school-17-slip-parent-diary');
    // «Новый разовый пароль» replaced the first parent's slip password: refused.
    const r = await fetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: issued.parentLogin, password: issued.firstSlipPassword }) });
    expect(r.status).toBe(401);
  }, 30_000);

  it('had no page errors and no console errors', () => {
    expect(problems.flat()).toEqual([]);
  });
});
