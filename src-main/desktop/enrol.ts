/**
 * Enrolment of a fresh school computer by a staff member of a role the school allows
 * (`sync.enrolRoles`; docs/security.md): log in to the central server (a bearer session, nothing
 * stored), register the computer (`POST /api/v1/devices`), keep the device token for sync and the
 * enrolling account's key for offline sign-ins. `fetch` is injected.
 * The token is stored encrypted by the shell (Electron safeStorage) in `device.json`.
 */
import type { Result } from '../../src-shared/contract/methods';
import type { MetaKey } from '../journal/meta-keys';
import { keepSigninKey } from '../sync/signin';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; json(): Promise<unknown> }>;

export interface Enrolment {
  serverUrl: string;
  schoolId: string;
  deviceId: string;
  name: string;
  token: string;
}

/** What enrolment also brings: the enrolling account is signed in on the computer (its key for offline sign-ins). */
export interface EnrolmentSignin { accountId: string; key: string }

export interface EnrolInput {
  serverUrl: string;
  login: string;
  password: string;
  /** The computer's name as the school knows it («Кабинет 12»). */
  name: string;
  deviceId?: string;
  /** Checked after the login, before registering: an error message if this school is not acceptable here. */
  accept?: (schoolId: string) => string | null;
}

export const ENROL_MESSAGES = {
  unreachable: 'Сервер недоступен: проверьте адрес и подключение к интернету',
  notJournal: 'По этому адресу отвечает не сервер электронного журнала: проверьте адрес',
  otherSchool: 'На этом компьютере журнал другой школы: подключить его к этой школе нельзя',
  notFresh: 'На этом компьютере уже есть записи журнала, не связанные со школой: подключается только новая установка программы',
} as const;

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

export async function enrolDevice(fetch: FetchLike, i: EnrolInput): Promise<Result<Enrolment & { signin?: EnrolmentSignin }>> {
  const base = normaliseServerUrl(i.serverUrl);
  if (!base) return bad('Адрес сервера — вида https://журнал.район.рф (http только для этого компьютера)');
  const post = async (path: string, body: unknown, token?: string) => {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    } catch {
      return { ok: false, error: { code: 'internal', message: ENROL_MESSAGES.unreachable } } as Result<Record<string, unknown>>;
    }
    let answer: unknown;
    try { answer = await res.json(); } catch { answer = undefined; }
    const ok = typeof answer === 'object' && answer !== null && 'ok' in answer
      && ((answer as { ok: unknown }).ok === true || typeof (answer as { error?: { message?: unknown } }).error?.message === 'string');
    return ok ? (answer as Result<Record<string, unknown>>) : { ok: false, error: { code: 'internal', message: ENROL_MESSAGES.notJournal } } as Result<Record<string, unknown>>;
  };
  const login = await post('/api/v1/auth/login', { login: i.login, password: i.password, session: 'bearer' });
  if (!login.ok) return login;
  const token = login.value.token;
  if (typeof token !== 'string') return { ok: false, error: { code: 'internal', message: 'Сервер не выдал сеанс' } };
  try {
    const refusal = typeof login.value.schoolId === 'string' ? i.accept?.(login.value.schoolId) : null;
    if (refusal) return { ok: false, error: { code: 'conflict', message: refusal } };
    const r = await post('/api/v1/devices', { name: i.name, ...(i.deviceId ? { deviceId: i.deviceId } : {}) }, token);
    if (!r.ok) return r;
    const v = r.value as { schoolId?: unknown; deviceId?: unknown; token?: unknown; accountId?: unknown; key?: unknown };
    if (typeof v.schoolId !== 'string' || typeof v.deviceId !== 'string' || typeof v.token !== 'string') {
      return { ok: false, error: { code: 'internal', message: 'Неожиданный ответ сервера при регистрации компьютера' } };
    }
    const signin = typeof v.accountId === 'string' && typeof v.key === 'string' ? { signin: { accountId: v.accountId, key: v.key } } : {};
    return { ok: true, value: { serverUrl: base, schoolId: v.schoolId, deviceId: v.deviceId, name: i.name, token: v.token, ...signin } };
  } finally {
    await post('/api/v1/auth/logout', {}, token).catch(() => undefined);
  }
}

/** What enrolment needs of the journal here (structural: the journal module is not imported). */
export interface EnrolJournal {
  readonly device: string;
  meta(key: MetaKey): string | undefined;
  setMeta(key: MetaKey, value: string): void;
  /** Ops in this journal (a fresh installation has none). */
  opCount(): number;
}

/**
 * Enrols THIS computer: the device id is the journal's own (every op it makes carries it, and the
 * server accepts from a device token only that device's ops); a journal already tied to a school
 * stays with it, and a journal with records but no school (a copied demo) is not enrolled at all.
 * On success the school is written into the journal and the enrolment is saved (token encrypted).
 */
export async function enrolThisComputer(
  d: { fetch: FetchLike; journal: EnrolJournal; save: (e: Enrolment) => void },
  i: { serverUrl: string; login: string; password: string; name: string },
): Promise<Result<Enrolment>> {
  if (!i.name.trim()) return bad('Укажите название компьютера, например «Кабинет 12»');
  if (!i.login.trim() || !i.password) return bad('Укажите логин и пароль работника школы, которому разрешено подключать компьютеры');
  const local = d.journal.meta('school_id');
  const accept = (schoolId: string) => (local ? (local === schoolId ? null : ENROL_MESSAGES.otherSchool) : d.journal.opCount() > 0 ? ENROL_MESSAGES.notFresh : null);
  const r = await enrolDevice(d.fetch, { serverUrl: i.serverUrl, login: i.login.trim(), password: i.password, name: i.name.trim(), deviceId: d.journal.device, accept });
  if (!r.ok) return r;
  if (!local) d.journal.setMeta('school_id', r.value.schoolId);
  const { signin, ...enrolment } = r.value;
  // The one who enrolled it is signed in here: their key for later offline sign-ins, under their password.
  if (signin) keepSigninKey(d.journal, signin.accountId, signin.key, i.password);
  d.save(enrolment);
  return { ok: true, value: enrolment };
}
