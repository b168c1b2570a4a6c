/**
 * The one IPC channel of the desktop shell, electron-free (`IpcEventLike` instead of Electron's
 * event: "inject the host, don't import it"). The handler first checks the sender — our window's
 * web contents, its top frame, at the app:// origin — then the message `{ method, input }`: a
 * desktop method (src-shared/contract/desktop.ts) has its input parsed by the table's schema and
 * goes to the shell; anything else goes to the session, i.e. to `dispatch` (the contract's
 * allow-list and input schemas). It always answers an envelope, never throws (ipcMain.handle would
 * keep only a message).
 */
import type { Result } from '../../src-shared/contract/methods';
import { BridgeMessage, desktopMethods, isDesktopMethod, type DesktopIn, type DesktopMethod, type PrintMethod } from '../../src-shared/contract/desktop';
import { isAppUrl } from './guards';
import type { DesktopSession } from './session';

export { IPC_CHANNEL } from './channel';

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The sender is our window's top frame showing our renderer; anything else is forged. */
export function isTrustedSender(event: IpcEventLike, windowContentsId: number | null): boolean {
  if (windowContentsId === null || event.sender.id !== windowContentsId) return false;
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export interface IpcDeps {
  /** webContents.id of the main window (null before it exists). */
  windowContentsId: () => number | null;
  session: DesktopSession;
  print?: (method: PrintMethod, input: unknown, action: 'preview' | 'save') => Promise<Result<unknown>>;
  syncNow?: () => void;
  /** The sync status for the window (sync.ts `SyncStatus`). */
  syncStatus?: () => unknown;
  /** The logged-in account has read these sync notices (own op seqs). */
  dismiss?: (seqs: number[]) => void;
  /** Enrolment of this computer (allowed by the shell only while it is not enrolled). */
  enrol?: (i: DesktopIn<'desktop.enrol'>) => Promise<Result<unknown>>;
  /** After a login or a logout from the window: who is logged in decides whose refused changes it lists. */
  sessionChanged?: () => void;
}

const err = (code: 'forbidden' | 'bad_input' | 'internal', message: string): Result<never> => ({ ok: false, error: { code, message } });
const done: Result<null> = { ok: true, value: null };
const loggedOut: Result<never> = { ok: false, error: { code: 'unauthenticated', message: 'Войдите в систему' } };

type Handlers = { [M in DesktopMethod]: (input: DesktopIn<M>) => Promise<Result<unknown>> };

export function createIpcHandler(d: IpcDeps): (event: IpcEventLike, raw: unknown) => Promise<Result<unknown>> {
  const desktop: Handlers = {
    'desktop.login': async ({ login, password }) => {
      const r = await d.session.login(login, password);
      d.sessionChanged?.();
      return r;
    },
    'desktop.logout': async () => { d.session.logout(); d.sessionChanged?.(); return done; },
    'desktop.activity': async () => { d.session.touch(); return done; },
    'desktop.syncNow': async () => { d.syncNow?.(); return done; },
    'desktop.syncStatus': async () => (d.syncStatus ? { ok: true, value: d.syncStatus() } : err('internal', 'Синхронизация недоступна')),
    'desktop.dismiss': async ({ seqs }) => {
      if (!d.session.accountId) return loggedOut;
      d.dismiss?.(seqs);
      return done;
    },
    'desktop.enrol': async (input) => (d.enrol ? d.enrol(input) : err('forbidden', 'Компьютер уже подключён к школе')),
    'desktop.print': async ({ method, input, action }) => {
      if (!d.print) return err('internal', 'Печать недоступна');
      if (!d.session.accountId) return loggedOut;
      return d.print(method, input, action);
    },
  };
  const run = <M extends DesktopMethod>(method: M, input: unknown): Promise<Result<unknown>> => {
    const parsed = desktopMethods[method].input.safeParse(input);
    if (!parsed.success) return Promise.resolve(err('bad_input', 'Неверное сообщение окна журнала'));
    return desktop[method](parsed.data as DesktopIn<M>);
  };

  return async (event, raw) => {
    if (!isTrustedSender(event, d.windowContentsId())) return err('forbidden', 'Запрос не из окна журнала: отклонён');
    const message = BridgeMessage.safeParse(raw);
    if (!message.success) return err('bad_input', 'Неверное сообщение окна журнала');
    const { method, input } = message.data;
    try {
      return isDesktopMethod(method) ? await run(method, input) : await d.session.call(method, input);
    } catch {
      return err('internal', 'Внутренняя ошибка: действие не выполнено, данные не изменены');
    }
  };
}
