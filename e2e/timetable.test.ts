/**
 * The methodist's timetable in a browser (R-SETUP, R-SUBST; п. 7.12, 9.3): Debian's Chromium
 * against the real `ejournal serve --demo` (clock stopped at 10 September 2026, 14:00). The
 * methodist opens 5А's next week, is refused a clash at the cell with its clause, puts a Saturday
 * lesson in, forms the week's lessons, and records a substitution for today's mathematics; the
 * substitute (the demo teacher Соколова И. Н.) signs in, finds the lesson under «Замены» and marks
 * a pupil. Screenshots go to e2e/screenshots/timetable-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from './support/server';
import { startDemo } from './support/demo';
import { login, newPage, screenshot } from './support/browser';

const TODAY = '2026-09-10';
let server: RunningServer;
let browser: Browser;
let methodist: Page;
let problems: string[] = [];
let stop: (() => Promise<void>) | undefined;

const cell = (label: RegExp) => methodist.getByRole('cell', { name: label });

beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
  const m = await newPage(browser);
  methodist = m.page;
  problems = m.problems;
  await login(methodist, server.url, 'methodist');
}, 180_000);

afterAll(async () => {
  await stop?.();
}, 30_000);

describe('the methodist’s timetable (п. 7.12, 9.3)', () => {
  it('shows 5А’s week with bell times, refuses a clash at the cell with its clause, and takes a Saturday lesson', async () => {
    await methodist.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Расписание' }).click();
    const toolbar = methodist.getByRole('toolbar', { name: 'Расписание' });
    await toolbar.getByLabel('Класс').selectOption({ label: '5А' });
    const grid = methodist.getByRole('table', { name: 'Расписание 5А класса' });
    await grid.waitFor();
    await toolbar.getByRole('button', { name: 'Следующая →' }).click();
    await toolbar.getByText('Неделя 14–19 сентября 2026 г.').waitFor();
    await grid.getByRole('columnheader', { name: /Понедельник\s*14\.09/ }).waitFor();
    await expect(grid.getByRole('rowheader').first().textContent()).resolves.toMatch(/^1\d\d:\d\d–\d\d:\d\d$/);

    // Monday, 1st lesson: a second subject for the whole class at the same time is a clash.
    const monday1 = cell(/^Понедельник, 1-й урок: /);
    await expect(monday1.textContent()).resolves.not.toBe('');
    await monday1.focus();
    await methodist.keyboard.press('Enter');
    const extra = monday1.getByLabel('Ещё предмет (вторая группа)');
    const other = await extra.locator('option').filter({ hasText: 'История' }).first().textContent();
    await extra.selectOption({ label: other! });
    await monday1.getByRole('button', { name: 'Сохранить' }).click();
    const refusal = monday1.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toMatch(/^У 5А в понедельник 1-м уроком уже .+\(п\. 7\.12, 9\.3\)$/);
    await screenshot(methodist, 'timetable-clash');

    // Saturday, 1st lesson: mathematics in room 21.
    const saturday1 = cell(/^Суббота, 1-й урок: нет урока/);
    await saturday1.click();
    const pick = saturday1.getByLabel('Ещё предмет (вторая группа)');
    const math = await pick.locator('option').filter({ hasText: 'Математика' }).first().textContent();
    await pick.selectOption({ label: math! });
    await saturday1.getByLabel('Кабинет').fill('21');
    await methodist.keyboard.press('Enter');
    const saved = cell(/^Суббота, 1-й урок: Математика .+, кабинет 21$/);
    await saved.waitFor();
    await expect(saved.textContent()).resolves.toMatch(/Грачёва М\. В\. · каб\. 21$/);
    await screenshot(methodist, 'timetable-week');
  }, 120_000);

  it('forms the week’s lessons from the timetable, then again with nothing to do', async () => {
    const toolbar = methodist.getByRole('toolbar', { name: 'Расписание' });
    await toolbar.getByRole('button', { name: 'Сформировать уроки…' }).click();
    const dialog = methodist.getByRole('dialog', { name: 'Сформировать уроки по расписанию' });
    await dialog.getByLabel('С', { exact: true }).fill('2026-09-14');
    await dialog.getByLabel('По', { exact: true }).fill('2026-09-19');
    await dialog.getByRole('button', { name: 'Сформировать' }).click();
    const result = dialog.getByRole('status');
    await expect(result.textContent()).resolves.toMatch(/^Создано (\d+) урок/);
    // The demo's methodist formed the whole year's lessons on 28 August: of this week only the
    // Saturday mathematics just put in is new.
    const created = Number(/Создано (\d+)/.exec((await result.textContent())!)![1]);
    expect(created).toBe(1);
    await screenshot(methodist, 'timetable-generate');
    await dialog.getByRole('button', { name: 'Сформировать' }).click();
    await methodist.waitForFunction(() => /Создано 0 уроков/.test(document.querySelector('[role="dialog"] [role="status"]')?.textContent ?? ''));
    await dialog.getByRole('button', { name: 'Закрыть' }).click();
    // The Saturday lesson is in the journal now: nothing marks it as changed.
    await expect(cell(/^Суббота, 1-й урок: Математика/).textContent()).resolves.not.toContain('отменён');
  }, 120_000);

  it('records a substitution for today’s mathematics: the substitute and the reason', async () => {
    await methodist.getByRole('toolbar', { name: 'Расписание' }).getByRole('button', { name: 'Изменения на день' }).click();
    const toolbar = methodist.getByRole('toolbar', { name: 'Изменения в расписании' });
    await expect(toolbar.textContent()).resolves.toContain('Четверг, 10 сентября 2026 г.');
    const day = methodist.getByRole('table', { name: /Уроки 5А класса/ });
    const row = day.getByRole('row').filter({ hasText: 'Математика' }).first();
    await row.getByRole('button', { name: 'Замена…' }).click();
    const dialog = methodist.getByRole('dialog', { name: 'Замена учителя' });
    await dialog.getByLabel('Заменяющий учитель').selectOption({ label: 'Соколова И. Н.' });
    await dialog.getByLabel('Причина замены').fill('Больничный лист учителя');
    await dialog.getByRole('button', { name: 'Записать замену' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The day's table reloads after the dialog closes: wait for the row to show the substitution.
    await expect.poll(() => row.textContent()).toContain('замена: Соколова И. Н. — Больничный лист учителя');
    await screenshot(methodist, 'timetable-changes');
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('the substitute finds the lesson and marks it (R-SUBST, п. 7.12)', () => {
  it('«Замены»: today’s mathematics of 5А with its pupils; a «5» is saved', async () => {
    const { page, problems: teacherProblems } = await newPage(browser);
    await login(page, server.url, 'teacher');
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Замены' }).click();
    const lesson = page.getByRole('region', { name: /^10 сентября 2026 г\., \d+-й урок — Математика, 5А$/ });
    await lesson.waitFor();
    await expect(lesson.textContent()).resolves.toContain('Больничный лист учителя');
    // A pupil present and not yet marked.
    const rows = lesson.locator('tbody tr');
    const n = await rows.count();
    expect(n).toBeGreaterThan(5);
    let free = -1;
    for (let i = 0; i < n && free < 0; i++) {
      const r = rows.nth(i);
      if ((await r.getByRole('textbox').inputValue()) === '' && !(await r.getByRole('checkbox').isChecked())) free = i;
    }
    expect(free).toBeGreaterThanOrEqual(0);
    const input = rows.nth(free).getByRole('textbox');
    const name = (await input.getAttribute('aria-label'))!;
    await input.fill('5');
    await page.keyboard.press('Enter');
    await page.waitForFunction((label) => (document.querySelector(`input[aria-label="${label}"]`) as HTMLInputElement | null)?.value === '5', name);
    await expect(lesson.getByRole('alert').count()).resolves.toBe(0);
    // Saved in the journal: a fresh page shows it.
    await page.reload();
    await page.getByRole('region', { name: /Математика, 5А$/ }).getByLabel(name).waitFor();
    await expect(page.getByLabel(name).inputValue()).resolves.toBe('5');
    await screenshot(page, 'timetable-substitute');
    expect(teacherProblems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
