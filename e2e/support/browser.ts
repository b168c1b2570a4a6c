/** Debian's Chromium through playwright-core (no browser download). */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** A fresh context (own cookies) per person; CSP violations and page errors fail the test. */
export async function newPage(browser: Browser, viewport = DESKTOP, opts: { mobile?: boolean; clipboardFor?: string } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg', ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  if (opts.clipboardFor) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: opts.clipboardFor });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`ошибка страницы: ${e.message}`));
  page.on('console', (m) => {
    // Refusals are 4xx answers by design (401 before login, 422 for a rule's refusal …).
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`консоль: ${m.text()}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function login(page: Page, url: string, loginName: string, password = 'demo'): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Логин').fill(loginName);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('button', { name: 'Выйти' }).waitFor();
}
