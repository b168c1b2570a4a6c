/**
 * What the renderer talks to: the contract's `Transport` (one `call` for every method) plus the
 * session (login / logout) and a little connection state for the status bar. Two implementations:
 * HTTP for the web (`http.ts`) and the Electron preload bridge (`ipc.ts`). Components never call
 * `fetch` or the bridge themselves: they use the data hooks (app/data.ts) on top of this.
 */
import type { ErrorCode, Method, Out, Result, Transport } from '../../src-shared/contract/methods';
import { isQueryName } from '../../src-shared/policy/queries';
import type { SigninHistory } from '../../src-shared/contract/admin';

export type TransportKind = 'web' | 'desktop';

export interface Connection {
  /** The last request reached the other side (the server on the web, the main process on the desktop). */
  online: boolean;
  /** Changes sent and not answered yet. */
  saving: number;
  /** When the last change was acknowledged (ISO). */
  lastSavedAt: string | null;
}

export interface AppTransport extends Transport {
  readonly kind: TransportKind;
  login(login: string, password: string): Promise<Result<null>>;
  logout(): Promise<void>;
  /** Sign-in history of an account (a server's record, R-ACCOUNTS п. 10.3): the web only; absent on the desktop. */
  signins?(accountId: string): Promise<Result<SigninHistory>>;
  connection(): Connection;
  /** Called on every connection change; returns the unsubscribe. */
  onConnection(fn: (c: Connection) => void): () => void;
  /** Called when the other side says the session is gone (expired, logged out elsewhere). */
  onUnauthenticated(fn: () => void): () => void;
}

export const failure = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

export const OFFLINE_MESSAGE = 'Нет связи с сервером: действие не выполнено. Проверьте подключение к интернету и повторите';

/** Records the system keeps by itself (the parent's diary view, R-ACK): not «saving» in the status bar. */
const BACKGROUND = new Set<Method>(['diary.ack']);
/** Reads are the policy's queries (as the server sees them); everything else changes the journal («saving»). */
export const isChange = (m: Method) => !isQueryName(m) && !BACKGROUND.has(m);

/** Shared bookkeeping for both transports. */
export class ConnectionState {
  private state: Connection = { online: true, saving: 0, lastSavedAt: null };
  private readonly listeners = new Set<(c: Connection) => void>();
  private readonly unauth = new Set<() => void>();

  get(): Connection { return this.state; }
  on(fn: (c: Connection) => void): () => void { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  onUnauthenticated(fn: () => void): () => void { this.unauth.add(fn); return () => this.unauth.delete(fn); }
  unauthenticated(): void { for (const f of [...this.unauth]) f(); }

  private set(patch: Partial<Connection>): void {
    const next = { ...this.state, ...patch };
    if (next.online === this.state.online && next.saving === this.state.saving && next.lastSavedAt === this.state.lastSavedAt) return;
    this.state = next;
    for (const f of [...this.listeners]) f(next);
  }

  /** Wraps one call: counts changes in flight, records reachability and session loss. */
  async track<M extends Method>(method: M, run: () => Promise<Result<Out<M>>>, reached: () => boolean): Promise<Result<Out<M>>> {
    const change = isChange(method);
    if (change) this.set({ saving: this.state.saving + 1 });
    let r: Result<Out<M>>;
    try {
      r = await run();
    } finally {
      if (change) this.set({ saving: Math.max(0, this.state.saving - 1) });
    }
    this.set({ online: reached(), ...(change && r.ok ? { lastSavedAt: new Date().toISOString() } : {}) });
    if (!r.ok && r.error.code === 'unauthenticated') this.unauthenticated();
    return r;
  }
}
