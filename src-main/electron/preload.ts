/**
 * The preload (sandboxed, context-isolated): one bridge, `window.ejournal` (`EjournalBridge`,
 * src-shared/contract/desktop.ts) — `call(method, input)`, forwarded as `{ method, input }` to the
 * one IPC channel, for the contract's methods and the shell's own `desktop.*` ones alike, and `on`
 * for the main process's events on the same channel. The main process checks everything (ipc.ts).
 * Bundled by esbuild to dist/electron/preload.cjs (`npm run build:preload`); only `electron` is
 * external, and the contract is imported for its types only (nothing of zod in the bundle).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopEvent, EjournalBridge } from '../../src-shared/contract/desktop';
import { IPC_CHANNEL } from '../desktop/channel';

const bridge: EjournalBridge = {
  call: (method, input) => ipcRenderer.invoke(IPC_CHANNEL, { method, input }),
  on: (fn) => {
    const listener = (_e: unknown, event: DesktopEvent) => fn(event);
    ipcRenderer.on(IPC_CHANNEL, listener);
    return () => { ipcRenderer.removeListener(IPC_CHANNEL, listener); };
  },
};
contextBridge.exposeInMainWorld('ejournal', bridge);

// Activity keeps the session unlocked (throttled: one message per 30 s at most).
const page = globalThis as unknown as { addEventListener(type: string, fn: () => void, o: { capture: boolean; passive: boolean }): void };
let last = 0;
for (const type of ['keydown', 'pointerdown', 'wheel']) {
  page.addEventListener(type, () => {
    const now = Date.now();
    if (now - last < 30_000) return;
    last = now;
    void bridge.call('desktop.activity', {});
  }, { capture: true, passive: true });
}
