/**
 * The journal on screen, end to end: Debian's Chromium against the real `ejournal serve
 * --demo`, started here on a free port with its clock stopped at 10 September 2026, 14:00 school
 * time (after 5А's Russian lesson 6 of that day: inside the adaptation period, so a «2» is refused
 * by п. 7.14 alone). Screenshots go to e2e/screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from './support/server';
import { startDemo } from './support/demo';
import { PHONE, login, newPage, screenshot } from './support/browser';

const TODAY = '2026-09-10';
let server: RunningServer;
let browser: Browser;
let teacher: Page;
/** Page errors and console errors (CSP violations included) of every page opened. */
let problems: string[] = [];

/** The grid's cell text at a row of the cursor's column, and the column index. */
async function cursorColumn(page: Page): Promise<number> {
  const id = await page.getByRole('grid').getAttribute('aria-activedescendant');
  return Number(/^gb-\d+-(\d+)$/.exec(id ?? '')![1]);
}
const cell = (page: Page, row: number, col: number) => page.locator(`#gb-${row}-${col}`);
/**
 * Presses keys one by one. Playwright knows only the US layout: a Cyrillic letter is sent as the
 * keydown a Russian layout produces (key «н» on the physical key Y).
 */
async function keys(page: Page, ...list: string[]): Promise<void> {
  for (const k of list) {
    if (/^[а-яё]$/i.test(k)) {
      await page.evaluate((key) => document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, code: 'KeyY', bubbles: true, cancelable: true })), k);
    } else await page.keyboard.press(k);
  }
}
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.gb-cell.is-saving').length === 0);
}
async function openRussian5A(page: Page): Promise<void> {
  await page.getByLabel('Класс, группа').selectOption({ label: '5А' });
  await page.getByLabel('Предмет').selectOption({ label: 'Русский язык' });
  await page.getByRole('grid').waitFor();
  await page.waitForFunction(() => location.hash.startsWith('#/journal/k-5a-russian/'));
}

let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
  const t = await newPage(browser, undefined, { clipboardFor: server.url });
  teacher = t.page;
  problems = t.problems;
}, 180_000);

afterAll(async () => {
  await stop?.();
}, 30_000);

describe('the journal in a browser (R-WEB)', () => {
  it('a teacher logs in, opens 5А Russian and enters marks by keyboard only — «5», «н», «5/4», «4» — and sees them after a reload', async () => {
    await login(teacher, server.url, 'teacher');
    await openRussian5A(teacher);
    const grid = teacher.getByRole('grid');
    await expect(grid.getAttribute('aria-label')).resolves.toContain('5А, Русский язык');
    await grid.focus();
    // The cursor starts on today's lesson, first student (Ахметова Дарья).
    const col = await cursorColumn(teacher);
    await expect(teacher.getByRole('columnheader').filter({ hasText: '10.09' }).first().isVisible()).resolves.toBe(true);
    await keys(teacher, '5', 'Enter', 'н', 'Enter', '5', '/', '4', 'Enter', '4', 'Enter');
    // Local echo: on screen at once.
    await expect(cell(teacher, 0, col).textContent()).resolves.toBe('5');
    await settled(teacher);
    await screenshot(teacher, 'gradebook-desktop');
    await teacher.reload();
    await teacher.getByRole('grid').waitFor();
    await settled(teacher);
    const texts = await Promise.all([0, 1, 2, 3].map((r) => cell(teacher, r, col).textContent()));
    expect(texts.map((x) => x?.replace(/[!⚠]/g, ''))).toEqual(['5', 'н', '5/4', '4']);
  }, 60_000);

  it('refuses a «2» on 10 September and shows the clause next to the cell (R-ADAPTATION, п. 7.14)', async () => {
    const grid = teacher.getByRole('grid');
    await grid.focus();
    const col = await cursorColumn(teacher);
    await keys(teacher, 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', '2', 'Enter');
    const alert = teacher.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/неудовлетворительные отметки не выставляются[\s\S]*п\. 7\.14/);
    await expect(alert.textContent()).resolves.toContain('R-ADAPTATION');
    await settled(teacher);
    expect((await cell(teacher, 4, col).textContent())?.replace(/[!⚠]/g, '')).toBe('');
    await expect(cell(teacher, 4, col).getAttribute('class')).resolves.toContain('is-error');
    await screenshot(teacher, 'gradebook-refusal');
    await teacher.keyboard.press('Escape');
  }, 60_000);

  it('pastes a column copied from a spreadsheet (Ctrl+V) into the rows below the cursor', async () => {
    await teacher.getByRole('grid').focus();
    const col = await cursorColumn(teacher);
    const row = Number(/^gb-(\d+)-/.exec((await teacher.getByRole('grid').getAttribute('aria-activedescendant')) ?? '')![1]);
    await teacher.evaluate(() => navigator.clipboard.writeText('4\r\n5\r\n4\r\n'));
    await keys(teacher, 'Control+V');
    await settled(teacher);
    const texts = await Promise.all([0, 1, 2].map((d) => cell(teacher, row + d, col).textContent()));
    expect(texts.map((x) => x?.replace(/[!⚠]/g, ''))).toEqual(['4', '5', '4']);
  }, 60_000);

  it('opens the lesson panel with the КТП, the п. 7.15 prefixes and the homework (Ctrl+Enter)', async () => {
    await teacher.getByRole('grid').focus();
    await teacher.keyboard.press('Control+Enter');
    const panel = teacher.getByRole('complementary', { name: /Урок 10\.09/ });
    await panel.waitFor();
    await expect.poll(() => panel.getByLabel('Тема из КТП').locator('option').count()).toBeGreaterThan(10);
    await expect(panel.getByRole('button', { name: 'Р.р.' }).isVisible()).resolves.toBe(true);
    await panel.getByLabel('Тема из КТП').selectOption({ index: 8 });
    await expect(panel.getByLabel('Тема урока').inputValue()).resolves.not.toBe('');
    await panel.getByLabel('Вид работы').selectOption({ label: 'Диктант' });
    await panel.getByLabel('Домашнее задание классу').fill('Упр. 25, выучить правило');
    await screenshot(teacher, 'lesson-panel');
    await panel.getByRole('button', { name: 'Сохранить' }).click();
    await panel.getByText('Сохранено').waitFor();
    await teacher.keyboard.press('Escape');
    await expect(panel.count()).resolves.toBe(0);
    // The column header now says «Дикт.».
    await teacher.getByRole('columnheader').filter({ hasText: 'Дикт.' }).filter({ hasText: '10.09' }).waitFor();
  }, 60_000);

  it('a late change goes to the deputy as a correction request; the deputy approves it in the inbox (R-CORRECTION)', async () => {
    const grid = teacher.getByRole('grid');
    await grid.focus();
    // Yesterday's dictation (09.09), row 7 (Ненянг Злата): its window closed at the next lesson.
    await keys(teacher, 'ArrowLeft', 'Control+ArrowUp', ...Array<string>(7).fill('ArrowDown'));
    const col = await cursorColumn(teacher);
    const before = (await cell(teacher, 7, col).textContent())?.replace(/[!⚠]/g, '') ?? '';
    const wanted = before === '3' ? '4' : '3';
    await keys(teacher, wanted, 'Enter');
    await teacher.getByRole('alert').filter({ hasText: 'запрос на исправление' }).waitFor();
    await teacher.keyboard.press('ArrowUp');
    await teacher.keyboard.press('Alt+Enter');
    const dialog = teacher.getByRole('dialog', { name: 'Запрос на исправление' });
    await dialog.waitFor();
    await expect(dialog.getByLabel('Новое значение').inputValue()).resolves.toBe(wanted);
    await dialog.getByLabel('Причина исправления').fill('Работа проверена повторно: ошибка при выставлении');
    await dialog.getByRole('button', { name: 'Отправить запрос' }).click();
    await dialog.getByText('Запрос отправлен').waitFor();
    await dialog.getByRole('button', { name: 'Готово' }).click();

    const d = await newPage(browser);
    await login(d.page, server.url, 'deputy');
    await d.page.getByRole('link', { name: 'Запросы на исправление' }).click();
    const item = d.page.getByRole('listitem').filter({ hasText: 'Ненянг' });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Работа проверена повторно');
    await screenshot(d.page, 'corrections-inbox');
    await item.getByRole('button', { name: 'Согласовать' }).click();
    await d.page.getByText('Нет запросов, ожидающих решения').waitFor();
    await d.context.close();

    await teacher.reload();
    await teacher.getByRole('grid').waitFor();
    await expect.poll(async () => (await cell(teacher, 7, col).textContent())?.replace(/[!⚠]/g, '')).toBe(wanted);
  }, 90_000);

  it('a parent sees the new mark in the diary and cannot reach another family\'s child (R-DIARY, R-PRIVACY)', async () => {
    const p = await newPage(browser);
    await login(p.page, server.url, 'parent');
    await p.page.getByRole('tab', { name: /Михаил/ }).click();
    const thursday = p.page.getByRole('region', { name: /Четверг, 10 сентября/ });
    await thursday.waitFor();
    const russian = thursday.getByRole('listitem').filter({ hasText: 'Русский язык' });
    // The first child's week may still be on screen under the same day's heading: wait for Михаил's.
    await expect.poll(() => russian.locator('.dl-mark-value').allTextContents(), { timeout: 10_000 }).toContain('4');
    await expect(russian.textContent()).resolves.toContain('Диктант');
    await expect(russian.textContent()).resolves.toContain('Упр. 25, выучить правило');
    await screenshot(p.page, 'diary-desktop');
    // Another family's child: the address is not obeyed, and the API answers «not found».
    const own = p.page.url();
    await p.page.evaluate(() => { location.hash = '#/diary/s-5a-01/2026-09-07'; });
    await p.page.waitForFunction(() => !location.hash.includes('s-5a-01'));
    await expect(p.page.locator('body').textContent()).resolves.not.toContain('Ахметова');
    const r = await p.page.evaluate(async () => (await fetch('/api/v1/rpc/diary.week', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ studentId: 's-5a-01', week: '2026-09-07' }) })).json());
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(own).toContain('#/diary/');
    await p.context.close();

    const phone = await newPage(browser, PHONE, { mobile: true });
    await login(phone.page, server.url, 'parent');
    await phone.page.getByRole('tab', { name: /Михаил/ }).click();
    await phone.page.getByRole('region', { name: /Четверг, 10 сентября/ }).waitFor();
    await screenshot(phone.page, 'diary-phone');
    await phone.context.close();
  }, 90_000);

  it('the class teacher sees every subject of 5А, read-only (R-CLASS-VIEW)', async () => {
    await teacher.getByLabel('Роль').selectOption({ label: 'Классный руководитель' });
    await teacher.getByRole('link', { name: 'Мой класс' }).waitFor();
    const table = teacher.getByRole('table');
    await table.waitFor();
    const subjects = await table.locator('thead th.cv-subj').allTextContents();
    expect(subjects.length).toBeGreaterThanOrEqual(12);
    expect(subjects).toEqual(expect.arrayContaining(['Матем.', 'Рус. яз.', 'Лит-ра', 'Физ-ра']));
    await expect(teacher.getByText('Только просмотр').isVisible()).resolves.toBe(true);
    await screenshot(teacher, 'class-view');
    await table.getByRole('link', { name: 'Матем.' }).click();
    const grid = teacher.getByRole('grid');
    await grid.waitFor();
    await expect(grid.getAttribute('aria-readonly')).resolves.toBe('true');
    await grid.focus();
    const col = await cursorColumn(teacher);
    const before = await cell(teacher, 0, col).textContent();
    await keys(teacher, '5');
    await teacher.getByRole('status').filter({ hasText: 'только для просмотра' }).waitFor();
    await expect(cell(teacher, 0, col).textContent()).resolves.toBe(before);
    await screenshot(teacher, 'gradebook-readonly');
  }, 60_000);

  it('an expired session goes back to the login page with a message', async () => {
    await teacher.context().clearCookies();
    await teacher.getByRole('link', { name: 'Мой класс' }).click();
    await teacher.getByText('Сеанс работы завершён').waitFor();
    await expect(teacher.getByLabel('Логин').isVisible()).resolves.toBe(true);
    await screenshot(teacher, 'login-expired');
    expect(problems).toEqual([]);
  }, 30_000);
});

describe('nothing on the pages broke the rules of the page (CSP, errors)', () => {
  it('had no page errors and no console errors in the teacher\'s session', () => {
    expect(problems).toEqual([]);
  });
});

