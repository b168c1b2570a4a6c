/**
 * One test file's world: the UI built once, `ejournal serve --demo` on its own port (and its own
 * PostgreSQL schema when DATABASE_URL is set) with the clock stopped at `today` 14:00, and Chromium.
 * `stop` closes the browser, the server and the built UI.
 */
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { buildUi } from './build';
import { launch } from './browser';

export interface Demo { server: RunningServer; browser: Browser; stop(): Promise<void> }

export async function startDemo(today: string): Promise<Demo> {
  const ui = buildUi();
  const [server, browser] = await Promise.all([startServer({ today, now: `${today}T14:00`, ui }), launch()]);
  return {
    server, browser,
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(ui, { recursive: true, force: true });
    },
  };
}
