/**
 * The one IPC channel of the desktop shell, electron-free (`IpcEventLike` instead of Electron's
 * event: "inject the host, don't import it"). The handler first checks the sender — our window's
 * web contents, its top frame, at the app:// origin — then parses the message (zod) and passes
 * contract calls to the session, i.e. to `dispatch` (method allow-list and input schemas live
 * there). It always answers an envelope, never throws (ipcMain.handle would keep only a message).
 */
import { z } from 'zod';
import type { Result } from '../../src-shared/contract/methods';
import { isAppUrl } from './guards';
import type { DesktopSession } from './session';

export { IPC_CHANNEL } from './channel';

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export const IpcMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('call'), method: z.string().max(100), input: z.unknown() }),
  z.object({ op: z.literal('login'), login: z.string().max(64), password: z.string().max(256) }),
  z.object({ op: z.literal('logout') }),
  z.object({ op: z.literal('activity') }),
  z.object({ op: z.literal('print'), method: z.enum(['report.weekly', 'report.annual', 'report.summary', 'breach.act']), input: z.unknown(), action: z.enum(['preview', 'save']) }),
  z.object({ op: z.literal('sync') }),
  z.object({ op: z.literal('syncStatus') }),
  z.object({ op: z.literal('dismiss'), seqs: z.array(z.number().int().positive()).max(500) }),
  z.object({ op: z.literal('enrol'), serverUrl: z.string().max(300), login: z.string().max(64), password: z.string().max(256), name: z.string().max(120) }),
]);
export type IpcMessage = z.infer<typeof IpcMessage>;

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
  print?: (method: string, input: unknown, action: 'preview' | 'save') => Promise<Result<unknown>>;
  syncNow?: () => void;
  /** The sync status for the window (sync.ts `SyncStatus`). */
  syncStatus?: () => unknown;
  /** The logged-in account has read these sync notices (own op seqs). */
  dismiss?: (seqs: number[]) => void;
  /** Enrolment of this computer (allowed by the shell only while it is not enrolled). */
  enrol?: (i: { serverUrl: string; login: string; password: string; name: string }) => Promise<Result<unknown>>;
}

const err = (code: 'forbidden' | 'bad_input' | 'internal', message: string): Result<never> => ({ ok: false, error: { code, message } });

export function createIpcHandler(d: IpcDeps): (event: IpcEventLike, raw: unknown) => Promise<Result<unknown>> {
  return async (event, raw) => {
    if (!isTrustedSender(event, d.windowContentsId())) return err('forbidden', 'Запрос не из окна журнала: отклонён');
    const parsed = IpcMessage.safeParse(raw);
    if (!parsed.success) return err('bad_input', 'Неверное сообщение окна журнала');
    const m = parsed.data;
    try {
      switch (m.op) {
        case 'call': return await d.session.call(m.method, m.input);
        case 'login': return await d.session.login(m.login, m.password);
        case 'logout': d.session.logout(); return { ok: true, value: null };
        case 'activity': d.session.touch(); return { ok: true, value: null };
        case 'sync': d.syncNow?.(); return { ok: true, value: null };
        case 'dismiss':
          if (!d.session.accountId) return { ok: false, error: { code: 'unauthenticated', message: 'Войдите в систему' } };
          d.dismiss?.(m.seqs);
          return { ok: true, value: null };
        case 'syncStatus':
          if (!d.syncStatus) return err('internal', 'Синхронизация недоступна');
          return { ok: true, value: d.syncStatus() };
        case 'enrol': {
          if (!d.enrol) return err('forbidden', 'Компьютер уже подключён к школе');
          const { op: _op, ...input } = m;
          return await d.enrol(input);
        }
        case 'print': {
          if (!d.print) return err('internal', 'Печать недоступна');
          if (!d.session.accountId) return { ok: false, error: { code: 'unauthenticated', message: 'Войдите в систему' } };
          return await d.print(m.method, m.input, m.action);
        }
      }
    } catch {
      return err('internal', 'Внутренняя ошибка: действие не выполнено, данные не изменены');
    }
  };
}
