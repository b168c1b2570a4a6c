/**
 * The web transport: `POST /api/v1/rpc/:method` with a JSON body; the session is an HttpOnly
 * cookie set by `POST /api/v1/auth/login` (same origin, so the browser sends it by itself).
 */
import type { In, Method, Out, Result } from '../../src-shared/contract/methods';
import { SigninHistory } from '../../src-shared/contract/admin';
import { ConnectionState, failure, OFFLINE_MESSAGE, type AppTransport } from './types';

export interface HttpOptions {
  /** Prefix of the API (default: same origin). */
  base?: string;
  fetch?: typeof fetch;
}

function isEnvelope(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && 'ok' in v && (((v as { ok: unknown }).ok === true && 'value' in v)
    || ((v as { ok: unknown }).ok === false && typeof (v as { error?: { message?: unknown } }).error?.message === 'string'));
}

/** An answer that is not an envelope: say what the status means, in Russian. */
function fromStatus(status: number): Result<never> {
  if (status === 401) return failure('unauthenticated', 'Сеанс работы завершён: войдите снова');
  if (status === 403) return failure('forbidden', 'Доступ запрещён');
  if (status === 404) return failure('not_found', 'Не найдено');
  if (status === 413) return failure('bad_input', 'Слишком большой объём данных за один раз');
  if (status === 429) return failure('refused', 'Слишком много попыток: подождите минуту и повторите');
  if (status >= 500) return failure('internal', `Сервер не смог выполнить запрос (ошибка ${status}): повторите позже`);
  return failure('internal', `Неожиданный ответ сервера (${status})`);
}

export function httpTransport(o: HttpOptions = {}): AppTransport {
  const base = o.base ?? '';
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const conn = new ConnectionState();
  let reached = true;

  async function get(path: string): Promise<Result<unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method: 'GET', headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
    } catch {
      reached = false;
      return failure('internal', OFFLINE_MESSAGE);
    }
    reached = true;
    const data: unknown = await res.json().catch(() => undefined);
    if (isEnvelope(data)) return data;
    return fromStatus(res.status);
  }

  async function post(path: string, body: unknown, statusText: (status: number) => Result<never> = fromStatus): Promise<Result<unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      reached = false;
      return failure('internal', OFFLINE_MESSAGE);
    }
    reached = true;
    let data: unknown;
    const text = await res.text().catch(() => '');
    try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
    if (isEnvelope(data)) return data;
    if (res.ok) return { ok: true, value: data ?? null };
    return statusText(res.status);
  }

  return {
    kind: 'web',
    call<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> {
      return conn.track(method, () => post(`/api/v1/rpc/${encodeURIComponent(method)}`, input) as Promise<Result<Out<M>>>, () => reached);
    },
    async login(login, password) {
      // A wrong password is answered 401 or 403: that is not an expired session.
      const r = await post('/api/v1/auth/login', { login, password }, (status) =>
        status === 401 || status === 403 ? failure('forbidden', 'Неверный логин или пароль') : fromStatus(status));
      return r.ok ? { ok: true, value: null } : (r as Result<never>);
    },
    async logout() {
      await post('/api/v1/auth/logout', {});
    },
    async signins(accountId) {
      const r = await get(`/api/v1/accounts/${encodeURIComponent(accountId)}/signins`);
      if (!r.ok) return r as Result<never>;
      const parsed = SigninHistory.safeParse(r.value);
      return parsed.success ? { ok: true, value: parsed.data } : failure('internal', 'Сервер прислал историю входов в неожиданном виде');
    },
    connection: () => conn.get(),
    onConnection: (fn) => conn.on(fn),
    onUnauthenticated: (fn) => conn.onUnauthenticated(fn),
  };
}
