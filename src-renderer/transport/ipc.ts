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
