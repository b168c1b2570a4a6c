/**
 * Closing the school year (R-YEAR-CLOSE, п. 12.1) in a browser: Debian's Chromium against the real
 * `ejournal serve --demo` (clock stopped at 10 September 2026, the demo's year in progress). The
 * director opens «Закрытие года» and sees the checklist with its gaps per class and subject, and
 * the «Закрыть учебный год» button disabled; the deputy sees the same read-only. Screenshots go
 * to e2e/screenshots/.
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

async function openYearClose(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Закрытие года' }).click();
  await page.getByRole('toolbar', { name: 'Закрытие учебного года' }).waitFor();
}

beforeAll(async () => {
  ({ server, browser, stop } = await startDemo(TODAY));
}, 180_000);

afterAll(async () => {
  await stop?.();
}, 30_000);

describe('«Закрытие года» (R-YEAR-CLOSE, п. 12.1)', () => {
  it('shows the director the gaps of the year in progress by class and subject, the button disabled', async () => {
    const { page, problems } = await newPage(browser);
    await login(page, server.url, 'director');
    await openYearClose(page);
    const toolbar = page.getByRole('toolbar', { name: 'Закрытие учебного года' });
    await expect(toolbar.textContent()).resolves.toContain('Закрытие учебного года 2026/2027');
    const state = page.getByRole('region', { name: 'Состояние года' });
    await expect(state.textContent()).resolves.toMatch(/Не выставлено \d+ из \d+ отметок за периоды и год: закрыть год пока нельзя.*п\. 12\.1/);
    const button = toolbar.getByRole('button', { name: 'Закрыть учебный год' });
    await expect(button.isDisabled()).resolves.toBe(true);

    // A class of the school: its subjects with counts, and the pupils with no mark yet.
    const cls = page.locator('details.year-class').filter({ hasText: /^\s*5А/ }).first();
    await cls.locator('summary').click();
    await expect(cls.locator('summary').textContent()).resolves.toMatch(/5А · обучающихся: \d+ · не хватает отметок: \d+/);
    const russian = cls.getByRole('row', { name: /Русский язык/ });
    await expect(russian.textContent()).resolves.toMatch(/0 из \d+/);
    await expect(russian.textContent()).resolves.toMatch(/Годовая — нет отметки/);
    await screenshot(page, 'year-close-director');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows the deputy the same checklist read-only, with no button to close', async () => {
    const { page, problems } = await newPage(browser);
    await login(page, server.url, 'deputy');
    await openYearClose(page);
    const toolbar = page.getByRole('toolbar', { name: 'Закрытие учебного года' });
    await expect(toolbar.getByRole('note').textContent()).resolves.toBe('Только просмотр');
    await expect(toolbar.getByRole('button', { name: 'Закрыть учебный год' }).count()).resolves.toBe(0);
    await expect(page.locator('details.year-class').count()).resolves.toBeGreaterThan(5);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
