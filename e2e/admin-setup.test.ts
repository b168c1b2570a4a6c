/**
 * The administrator sets the school up in a browser (R-SETUP, R-IMPORT, п. 9.6): Debian's Chromium
 * against the real `ejournal serve --demo` (clock stopped at 10 September 2026). A holiday, a class
 * with its whole-class group, a subject and a course with a teacher are added through the tables;
 * the class's week and the teacher's load change. A list is imported: a template downloaded, a
 * file with errors shown row by row, a good file previewed and applied. Screenshots go to
 * e2e/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from './support/server';
import { startDemo } from './support/demo';
import { login, newPage, screenshot } from './support/browser';

const TODAY = '2026-09-10';
let server: RunningServer;
let browser: Browser;
let admin: Page;
let problems: string[] = [];
let stop: (() => Promise<void>) | undefined;

const region = (name: string | RegExp) => admin.getByRole('region', { name, exact: typeof name === 'string' });
/** A saved row (not the one being edited, whose option lists hold every name). */
const saved = (scope: ReturnType<typeof region>, text: string | RegExp) => scope.locator('tbody tr[data-id]').filter({ hasText: text });
const number = async (text: Promise<string | null>) => Number((await text ?? '').replace(',', '.').trim());

async function open(section: string): Promise<void> {
  await admin.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: section }).click();
  await admin.getByRole('toolbar').first().waitFor();
}

beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
  const a = await newPage(browser);
  admin = a.page;
  problems = a.problems;
  await login(admin, server.url, 'admin');
}, 180_000);

afterAll(async () => {
  await stop?.();
}, 30_000);

describe('the administrator sets the school up (R-SETUP, п. 9.6)', () => {
  it('finds a holiday from the filter box by keyboard, opens and cancels it; adds a holiday, refused first for dates outside the year', async () => {
    await open('Учебный год');
    const holidays = region(/Каникулы и праздничные дни/);
    await holidays.getByRole('row', { name: /Осенние каникулы/ }).waitFor();

    // Keyboard: filter → ↓ to the row → Enter opens it → Escape cancels.
    await holidays.getByRole('searchbox').fill('Весен');
    await expect(holidays.locator('tbody tr').count()).resolves.toBe(1);
    await admin.keyboard.press('ArrowDown');
    await admin.keyboard.press('Enter');
    await expect(holidays.getByLabel('Название').inputValue()).resolves.toBe('Весенние каникулы');
    await admin.keyboard.press('Escape');
    await expect(holidays.getByLabel('Название').count()).resolves.toBe(0);
    await holidays.getByRole('searchbox').fill('');

    await holidays.getByRole('button', { name: '+ Каникулы' }).click();
    await holidays.getByLabel('Название').fill('Дни здоровья');
    await holidays.getByLabel('Начало').fill('2027-06-01');
    await holidays.getByLabel('Окончание').fill('2027-06-03');
    await holidays.getByLabel('Для классов').fill('1, 2');
    await admin.keyboard.press('Enter');
    await expect(holidays.getByRole('alert').textContent()).resolves.toMatch(/выходят за учебный год 2026\/2027 \(01\.09\.2026–31\.05\.2027\)/);

    await holidays.getByLabel('Начало').fill('2027-02-08');
    await holidays.getByLabel('Окончание').fill('2027-02-10');
    await admin.keyboard.press('Enter');
    const row = saved(holidays, 'Дни здоровья');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('08.02.2027');
    await expect(row.textContent()).resolves.toContain('1, 2 кл.');
    await expect(holidays.getByText('«Дни здоровья» сохранены').isVisible()).resolves.toBe(true);
    await screenshot(admin, 'admin-school-year');
  });

  it('proposes a new year from 1 September to 31 May with four quarters', async () => {
    await admin.getByRole('button', { name: '+ Новый учебный год' }).click();
    const form = admin.getByRole('form', { name: 'Новый учебный год' });
    await expect(form.getByLabel('Название', { exact: true }).inputValue()).resolves.toBe('2027/2028');
    await expect(form.getByLabel('Начало', { exact: true }).inputValue()).resolves.toBe('2027-09-01');
    await expect(form.getByLabel('Окончание', { exact: true }).inputValue()).resolves.toBe('2028-05-31');
    await expect(form.getByLabel(/^Период \d: название$/).count()).resolves.toBe(4);
    await expect(form.getByLabel('IV четверть: окончание').inputValue()).resolves.toBe('2028-05-31');
    await screenshot(admin, 'admin-new-year');
    await form.getByRole('button', { name: 'Отмена' }).click();
    await expect(form.count()).resolves.toBe(0);
  });

  it('creates class 5Б with its whole-class group, and a subject', async () => {
    await open('Классы и предметы');
    const classes = region('Классы');
    await classes.getByRole('button', { name: '+ Класс' }).click();
    await classes.getByLabel('Параллель').fill('5');
    await classes.getByLabel('Буква').fill('б');
    await classes.getByLabel('Классный руководитель').selectOption('e-011');
    await admin.keyboard.press('Enter');
    await admin.getByText('Класс 5Б сохранён. Создать его группу «5Б» (весь класс)?').waitFor();
    await screenshot(admin, 'admin-class-offer');
    await admin.getByRole('button', { name: 'Создать группу «5Б»' }).click();
    await admin.getByText('Группа «5Б» (весь класс) создана').waitFor();
    const row = saved(classes, /^5Б/);
    await expect(row.textContent()).resolves.toContain('Абрамова Нина Константиновна');
    await expect(row.locator('.st-badge').textContent()).resolves.toBe('есть');
    await expect(saved(region('Группы'), /^5Бвесь класс5Б/).count()).resolves.toBe(1);

    const subjects = region('Предметы');
    await subjects.getByRole('button', { name: '+ Предмет' }).click();
    await subjects.getByLabel('Название').fill('Астрономия');
    await subjects.getByLabel('Краткое').fill('Астр.');
    await subjects.getByLabel('Вид предмета (для правил)').selectOption('physics');
    await admin.keyboard.press('Enter');
    await saved(subjects, /^АстрономияАстр\.физика/).waitFor();
    await screenshot(admin, 'admin-structure');
  });

  it('adds a pupil of 5А to a club from the picker filtered by class', async () => {
    const groups = region('Группы');
    const club = saved(groups, /^Кружок «Юный краевед/);
    await expect(club.textContent()).resolves.toContain('6 чел.');
    await club.getByRole('button', { name: 'Состав…' }).click();
    const editor = admin.getByRole('region', { name: /^Состав группы «Кружок «Юный краевед/ });
    await editor.getByLabel('Класс').selectOption({ label: '5А' });
    const pick = editor.getByRole('list', { name: 'Кого добавить' }).getByRole('checkbox').first();
    await pick.check();
    await screenshot(admin, 'admin-group-members');
    await editor.getByRole('button', { name: /Сохранить состав \(\+1 \/ −0\)/ }).click();
    await editor.getByText('Состав группы сохранён: добавлено 1, исключено 0').waitFor();
    await expect(club.textContent()).resolves.toContain('7 чел.');
    await expect(editor.getByRole('list', { name: 'Участники группы' }).getByRole('listitem').count()).resolves.toBe(7);
  });

  it("adds Astronomy to 5Б with a teacher: the class's week and the teacher's load grow by 2 hours", async () => {
    await open('Учебный план');
    await admin.getByLabel('Параллель', { exact: true }).selectOption('5');
    const weeks = region('Часов в неделю по классам');
    const week5b = weeks.locator('tr[data-class="5Б"] td').first();
    const week5a = weeks.locator('tr[data-class="5А"] td').first();
    await expect(number(week5b.textContent())).resolves.toBe(0);
    const hours5a = await number(week5a.textContent());
    expect(hours5a).toBeGreaterThan(20);
    const load = region(/Нагрузка учителей/);
    const abramova = load.getByRole('row', { name: /Абрамова Н\. К\./ }).locator('td').nth(1);
    const before = await number(abramova.textContent());

    const plan = region('Предметы групп: часы и учителя');
    await plan.getByRole('button', { name: '+ Предмет группе' }).click();
    await plan.getByLabel('Группа').selectOption({ label: '5Б' });
    await plan.getByLabel('Предмет').selectOption({ label: 'Астрономия' });
    await plan.getByLabel('Часов в неделю').fill('13');
    await plan.getByLabel('Учитель').selectOption('e-011');
    await admin.keyboard.press('Enter');
    await expect(plan.getByRole('alert').textContent()).resolves.toContain('от 0,5 до 12');
    await plan.getByLabel('Часов в неделю').fill('2');
    await admin.keyboard.press('Enter');
    await saved(plan, /^5Б.*Астрономия2Абрамова Нина Константиновна/).waitFor();

    await expect(number(week5b.textContent())).resolves.toBe(2);
    await expect(number(week5a.textContent())).resolves.toBe(hours5a);
    await expect(number(abramova.textContent())).resolves.toBe(before + 2);
    await expect(load.getByRole('row', { name: /Абрамова Н\. К\./ }).textContent()).resolves.toContain('5Б');
    await screenshot(admin, 'admin-curriculum');
    await admin.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(admin, 'admin-curriculum-1920');
    await admin.setViewportSize({ width: 1366, height: 768 });
  });
});

describe('the administrator imports a list (R-IMPORT, п. 9.6)', () => {
  it('downloads the template, sees a file’s errors by row and column, then previews and applies a good file', async () => {
    await open('Загрузка списков');
    await admin.getByLabel('Какой список').selectOption('classes');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'Шаблон CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const template = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const header = template.split(/\r?\n/)[0]!;
    expect(header).toBe('Название;Вид;Класс;Классный руководитель');

    const file = (lines: string[]) => ({ name: 'классы.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${[header, ...lines].join('\r\n')}\r\n`, 'utf8') });
    const input = admin.getByLabel('Файл XLSX или CSV');
    await input.setInputFiles(file(['6Б;класс;;Абрамова Нина Константиновна', 'Шахматы;абракадабра;;']));
    const errors = admin.getByRole('table', { name: 'Ошибки в файле' });
    await errors.waitFor();
    const errorRow = errors.getByRole('row', { name: /неизвестный вид/ });
    await expect(errorRow.locator('td').nth(0).textContent()).resolves.toBe('3');
    await expect(errorRow.locator('td').nth(1).textContent()).resolves.toBe('«Вид»');
    await expect(admin.getByRole('button', { name: 'Применить' }).isDisabled()).resolves.toBe(true);
    await screenshot(admin, 'admin-import-errors');

    await input.setInputFiles(file(['6Б;класс;;Абрамова Нина Константиновна', 'Шахматы;кружок;;']));
    await admin.getByRole('heading', { name: 'Предпросмотр: классы.csv' }).waitFor();
    await expect(admin.getByRole('table', { name: 'Ошибки в файле' }).count()).resolves.toBe(0);
    const status = admin.getByRole('status').filter({ hasText: 'Строк:' });
    await expect(status.textContent()).resolves.toMatch(/Добавить: 2.*Ошибок: 0/);
    await admin.getByRole('row', { name: /класс 6Б/ }).waitFor();
    await screenshot(admin, 'admin-import-preview');
    await admin.getByRole('button', { name: 'Применить' }).click();
    const done = admin.getByRole('region', { name: 'Список загружен' });
    await done.waitFor();
    await expect(done.textContent()).resolves.toMatch(/Добавлено: 2/);
    await screenshot(admin, 'admin-import-done');

    await open('Классы и предметы');
    await expect(saved(region('Классы'), /^6Б/).textContent()).resolves.toContain('Абрамова Нина Константиновна');
    await expect(saved(region('Группы'), /^Шахматыкружок/).count()).resolves.toBe(1);
    expect(problems).toEqual([]);
  });
});
