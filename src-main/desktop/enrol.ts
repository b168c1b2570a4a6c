/**
 * Enrolment of a fresh school computer by the technical administrator: log in to the central
 * server with the administrator's account (a bearer session, nothing stored), register the
 * computer (`POST /api/v1/devices`), keep the device token for sync. `fetch` is injected.
 * The token is stored encrypted by the shell (Electron safeStorage) in `device.json`.
 */
import type { Result } from '../../src-shared/contract/methods';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; json(): Promise<unknown> }>;

export interface Enrolment {
  serverUrl: string;
  schoolId: string;
  deviceId: string;
  name: string;
  token: string;
}

export interface EnrolInput {
  serverUrl: string;
  login: string;
  password: string;
  /** The computer's name as the school knows it («Кабинет 12»). */
  name: string;
  deviceId?: string;
}

const bad = (message: string): Result<never> => ({ ok: false, error: { code: 'bad_input', message } });

/** `https://host[:port][/prefix]` without a trailing slash; http only for a local address. */
export function normaliseServerUrl(raw: string): string | null {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { return null; }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) return null;
  if (u.username || u.password || u.search || u.hash) return null;
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export async function enrolDevice(fetch: FetchLike, i: EnrolInput): Promise<Result<Enrolment>> {
  const base = normaliseServerUrl(i.serverUrl);
  if (!base) return bad('Адрес сервера — вида https://журнал.район.рф (http только для этого компьютера)');
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Result<Record<string, unknown>>;
  };
  let login: Result<Record<string, unknown>>;
  try {
    login = await post('/api/v1/auth/login', { login: i.login, password: i.password, session: 'bearer' });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Сервер недоступен: проверьте адрес и подключение к интернету' } };
  }
  if (!login.ok) return login;
  const token = login.value.token;
  if (typeof token !== 'string') return { ok: false, error: { code: 'internal', message: 'Сервер не выдал сеанс' } };
  try {
    const r = await post('/api/v1/devices', { name: i.name, ...(i.deviceId ? { deviceId: i.deviceId } : {}) }, token);
    if (!r.ok) return r;
    const v = r.value as { schoolId?: unknown; deviceId?: unknown; token?: unknown };
    if (typeof v.schoolId !== 'string' || typeof v.deviceId !== 'string' || typeof v.token !== 'string') {
      return { ok: false, error: { code: 'internal', message: 'Неожиданный ответ сервера при регистрации компьютера' } };
    }
    return { ok: true, value: { serverUrl: base, schoolId: v.schoolId, deviceId: v.deviceId, name: i.name, token: v.token } };
  } finally {
    await post('/api/v1/auth/logout', {}, token).catch(() => undefined);
  }
}
