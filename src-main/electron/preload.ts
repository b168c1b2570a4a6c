/**
 * The preload (sandboxed, context-isolated): one bridge, `window.ejournal`, matching
 * src-renderer/transport/ipc.ts (`EjournalBridge`: `call`, `login`, `logout`) plus printing, sync and its status, enrolment and
 * events from the main process — all over the one channel. Bundled by esbuild to
 * dist/electron/preload.cjs (`npm run build:preload`); only `electron` is external.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL } from '../desktop/channel';

const invoke = (msg: Record<string, unknown>): Promise<unknown> => ipcRenderer.invoke(IPC_CHANNEL, msg);

contextBridge.exposeInMainWorld('ejournal', {
  call: (method: string, input: unknown) => invoke({ op: 'call', method, input }),
  login: (login: string, password: string) => invoke({ op: 'login', login, password }),
  logout: async () => { await invoke({ op: 'logout' }); },
  print: (method: string, input: unknown, action: 'preview' | 'save' = 'preview') => invoke({ op: 'print', method, input, action }),
  syncNow: () => invoke({ op: 'sync' }),
  syncStatus: () => invoke({ op: 'syncStatus' }),
  dismiss: (seqs: number[]) => invoke({ op: 'dismiss', seqs }),
  enrol: (serverUrl: string, login: string, password: string, name: string) => invoke({ op: 'enrol', serverUrl, login, password, name }),
  /** Events from the main process ({ type: 'locked' | 'logout' } | { type: 'sync', status }); returns the unsubscribe. */
  on: (fn: (event: unknown) => void) => {
    const listener = (_e: unknown, ev: unknown) => fn(ev);
    ipcRenderer.on(IPC_CHANNEL, listener);
    return () => { ipcRenderer.removeListener(IPC_CHANNEL, listener); };
  },
});

// Activity keeps the session unlocked (throttled: one message per 30 s at most).
const page = globalThis as unknown as { addEventListener(type: string, fn: () => void, o: { capture: boolean; passive: boolean }): void };
let last = 0;
for (const type of ['keydown', 'pointerdown', 'wheel']) {
  page.addEventListener(type, () => {
    const now = Date.now();
    if (now - last < 30_000) return;
    last = now;
    void invoke({ op: 'activity' });
  }, { capture: true, passive: true });
}
