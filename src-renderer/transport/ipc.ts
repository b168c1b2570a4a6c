/**
 * The desktop transport: the Electron preload exposes one bridge, `window.ejournal`, whose `call`
 * forwards to one IPC channel that ends in the same `dispatch` (architecture.md). The main
 * process holds the session; `login` / `logout` are on the bridge too when the shell provides
 * them.
 */
import type { In, Method, Out, Result } from '../../src-shared/contract/methods';
import { ConnectionState, failure, type AppTransport } from './types';

export interface EjournalBridge {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  login?(login: string, password: string): Promise<Result<unknown>>;
  logout?(): Promise<void>;
  // ── desktop-only (the Electron preload, src-main/electron/preload.ts); absent in tests of `call` alone ──
  /** The sync status (an envelope of `DesktopSyncStatus`). */
  syncStatus?(): Promise<Result<unknown>>;
  /** The logged-in teacher has read these sync notices (own change seqs). */
  dismiss?(seqs: number[]): Promise<Result<unknown>>;
  /** «Синхронизировать сейчас»: the run is reported through `on` events. */
  syncNow?(): Promise<Result<unknown>>;
  /** Enrolment of this computer by the school's technical administrator. */
  enrol?(serverUrl: string, login: string, password: string, name: string): Promise<Result<unknown>>;
  /** A report as a PDF made by the main process: a preview window (print from it) or «save as». */
  print?(method: PrintMethod, input: unknown, action: 'preview' | 'save'): Promise<Result<unknown>>;
  /** Events from the main process: `{ type: 'sync', status }`, `{ type: 'locked' }`, `{ type: 'logout' }`. */
  on?(fn: (event: unknown) => void): () => void;
}

export type PrintMethod = 'report.weekly' | 'report.annual' | 'report.summary';

/** The desktop's sync status (one definition, src-shared/sync/status.ts). */
export type { OverwrittenChange, RejectedChange } from '../../src-shared/sync/status';
export type { SyncStatus as DesktopSyncStatus } from '../../src-shared/sync/status';

/** The desktop bridge with its sync, enrolment and printing (null in a browser). */
export type DesktopBridge = EjournalBridge & Required<Pick<EjournalBridge, 'syncStatus' | 'syncNow' | 'on'>>;

export function desktopBridge(): DesktopBridge | null {
  const b = typeof window !== 'undefined' ? window.ejournal : undefined;
  return b && typeof b.syncStatus === 'function' && typeof b.syncNow === 'function' && typeof b.on === 'function' ? (b as DesktopBridge) : null;
}

declare global {
  interface Window {
    ejournal?: EjournalBridge;
  }
}

export function ipcTransport(bridge: EjournalBridge): AppTransport {
  const conn = new ConnectionState();
  let reached = true;
  const invoke = async (fn: () => Promise<Result<unknown>>): Promise<Result<unknown>> => {
    try {
      const r = await fn();
      reached = true;
      return r;
    } catch (err) {
      // ipcMain.handle loses everything but the message: the shell answers envelopes, so a throw is a broken shell.
      reached = false;
      return failure('internal', `Внутренняя ошибка программы: ${(err as Error).message ?? 'нет ответа'}`);
    }
  };
  return {
    kind: 'desktop',
    call<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> {
      return conn.track(method, () => invoke(() => bridge.call(method, input)) as Promise<Result<Out<M>>>, () => reached);
    },
    async login(login, password) {
      if (!bridge.login) return { ok: true, value: null };
      const r = await invoke(() => bridge.login!(login, password));
      return r.ok ? { ok: true, value: null } : (r as Result<never>);
    },
    async logout() {
      await bridge.logout?.();
    },
    connection: () => conn.get(),
    onConnection: (fn) => conn.on(fn),
    onUnauthenticated: (fn) => conn.onUnauthenticated(fn),
  };
}
