/**
 * The desktop transport: the Electron preload exposes one bridge, `window.ejournal`
 * (`EjournalBridge`, src-shared/contract/desktop.ts), whose one function `call` forwards to one IPC
 * channel: the contract's methods end in the same `dispatch` (architecture.md), the shell's own
 * `desktop.*` methods (login, sync, enrolment, printing) in the main process. The main process
 * holds the session.
 */
import type { In, Method, Out, Result } from '../../src-shared/contract/methods';
import type { DesktopIn, DesktopMethod, EjournalBridge } from '../../src-shared/contract/desktop';
import { ConnectionState, failure, type AppTransport } from './types';

export type { EjournalBridge, PrintMethod } from '../../src-shared/contract/desktop';

/** The desktop's sync status (one definition, src-shared/sync/status.ts). */
export type { OverwrittenChange, RejectedChange } from '../../src-shared/sync/status';
export type { SyncStatus as DesktopSyncStatus } from '../../src-shared/sync/status';

/** The Electron shell's bridge with its sync, enrolment and printing (null in a browser). */
export type DesktopBridge = EjournalBridge;

export function desktopBridge(): DesktopBridge | null {
  const b = typeof window !== 'undefined' ? window.ejournal : undefined;
  return b && typeof b.call === 'function' && typeof b.on === 'function' ? b : null;
}

declare global {
  interface Window {
    ejournal?: EjournalBridge;
  }
}

/** What the transport needs of the bridge: its one function (a test passes only that). */
type BridgeCall = { call(method: string, input: unknown): Promise<Result<unknown>> };

export function ipcTransport(bridge: BridgeCall): AppTransport {
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
  /** The shell's own methods, checked against the table (desktop.ts). */
  const desktop = <M extends DesktopMethod>(method: M, input: DesktopIn<M>) => bridge.call(method, input);
  return {
    kind: 'desktop',
    call<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> {
      return conn.track(method, () => invoke(() => bridge.call(method, input)) as Promise<Result<Out<M>>>, () => reached);
    },
    async login(login, password) {
      const r = await invoke(() => desktop('desktop.login', { login, password }));
      return r.ok ? { ok: true, value: null } : (r as Result<never>);
    },
    async logout() {
      await desktop('desktop.logout', {});
    },
    connection: () => conn.get(),
    onConnection: (fn) => conn.on(fn),
    onUnauthenticated: (fn) => conn.onUnauthenticated(fn),
  };
}
