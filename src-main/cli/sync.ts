/**
 * `ejournal sync --db FILE --server URL --login L [--password-file F] [--key-file K]`: on the first
 * run creates the journal file, enrols its device with the school (the account's role must be one
 * the school allows to enrol computers; the device token is kept in the journal) and bootstraps
 * it from the school's snapshot (sync/bootstrap.ts; a cut download resumes on the next run); every run
 * signs the account in on this computer online, then pushes and pulls and repairs a state that
 * differs from the server's. Prints one JSON object
 * `{pushed, pulled, rejected, bytesSent, bytesReceived, ms}` (+ `snapshot: S` when one was
 * installed, `repaired: true`, `error`). The password and the journal key come as secrets.ts
 * reads them, never from argv.
 */
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { openJournal, type Journal } from '../journal/open';
import { systemClock, type Clock } from '../commands/execute';
import { signInOnline } from '../sync/signin';
import { syncOnce, type SyncFetch } from '../sync/client';
import { httpFetch } from '../sync/transport';
import { UserError } from '../errors/user-error';
import { args } from './args';
import type { Io } from './io';
import { KEY_OPTIONS, PASSWORD_OPTIONS, processSecrets, readJournalKey, readPassword, refuseSecretsInArgv, type SecretSources } from '../auth/secrets';

export async function runSync(argv: string[], io: Io, fetchImpl: SyncFetch = httpFetch, secrets: SecretSources = processSecrets(), clock: Clock = systemClock): Promise<number> {
  // Secrets: the password and the key (secrets.ts).
  refuseSecretsInArgv(argv);
  const a = args(argv, { db: { type: 'string' }, server: { type: 'string' }, login: { type: 'string' }, ...PASSWORD_OPTIONS, ...KEY_OPTIONS });
  const { db, server, login } = a.values as Record<string, string | undefined>;
  if (!db || !server || !login) throw new UserError('Укажите: ejournal sync --db FILE --server URL --login ЛОГИН [--password-file ФАЙЛ] [--key-file КЛЮЧ]');
  const key = readJournalKey(a.values, secrets.env);
  const password = await readPassword(a.values, secrets, `Пароль ${login}: `);
  const base = server.endsWith('/') ? server : `${server}/`;
  const fresh = !existsSync(db);
  const j = openJournal(db, { create: true, ...(key ? { key } : {}) });
  try {
    // Only an enrolled school computer syncs (docs/security.md): the first run enrols this journal's
    // device once with the account's session; every run signs the account in on it, online.
    let token = j.meta(TOKEN_META);
    if (!token) {
      try {
        token = await enrol(fetchImpl, j, { base, login, password, fresh });
      } catch (err) {
        // A file made by this run and not enrolled is not left behind.
        if (fresh) {
          j.close();
          for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
        }
        throw err;
      }
    }
    const signed = await signInOnline(fetchImpl, j, { server: base, token, login, password });
    if (!signed.ok) {
      if (signed.status === 0) throw new UserError(`Сервер ${base} недоступен: ${signed.message}`, 1);
      throw new UserError(`Вход на этом компьютере не выполнен: ${signed.message}`, 1);
    }
    const rep = await syncOnce({ journal: j, server: base, token, fetch: fetchImpl, clock, snapshot: {} });
    io.out(JSON.stringify({
      pushed: rep.pushed, pulled: rep.pulled, rejected: rep.rejected, bytesSent: rep.bytesSent, bytesReceived: rep.bytesReceived, ms: rep.ms,
      ...(rep.snapshotSeq !== undefined ? { snapshot: rep.snapshotSeq } : {}), ...(rep.repaired ? { repaired: true } : {}), ...(rep.error ? { error: rep.error } : {}),
    }));
    return rep.ok && !rep.error ? 0 : 1;
  } finally {
    if (j.sqlite.open) j.close();
  }
}

/** Where the journal keeps its device token (the file is encrypted when a key is given). */
const TOKEN_META = 'sync.device_token';

type Answer<T> = { ok: boolean; value?: T; error?: { code?: string; message: string } };

async function post<T>(fetchImpl: SyncFetch, url: string, body: unknown, token?: string): Promise<{ status: number; answer: Answer<T> }> {
  let r;
  try {
    r = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  } catch (err) {
    throw new UserError(`Сервер ${new URL(url).origin} недоступен: ${(err as Error).message}`, 1);
  }
  const text = await r.text();
  try {
    return { status: r.status, answer: JSON.parse(text) as Answer<T> };
  } catch {
    throw new UserError(`По адресу ${new URL(url).origin} отвечает не сервер электронного журнала (HTTP ${r.status})`, 1);
  }
}

/** Enrols this journal's device with the account's session (then logs out); returns the device token. */
async function enrol(fetchImpl: SyncFetch, j: Journal, o: { base: string; login: string; password: string; fresh: boolean }): Promise<string> {
  const login = await post<{ token: string; schoolId: string }>(fetchImpl, new URL('api/v1/auth/login', o.base).toString(), { login: o.login, password: o.password, session: 'bearer' });
  if (!login.answer.ok || !login.answer.value) throw new UserError(`Вход не выполнен: ${login.answer.error?.message ?? `HTTP ${login.status}`}`, 1);
  const session = login.answer.value;
  try {
    const school = j.meta('school_id');
    if (school && school !== session.schoolId) throw new UserError(`Файл «${j.file}» — журнал другой школы (${school})`);
    if (!school && !o.fresh && (j.stmt('SELECT count(*) FROM op_log').pluck().get() as number) > 0) {
      throw new UserError(`В файле «${j.file}» уже есть записи журнала, не связанные со школой: подключается только новый файл`);
    }
    const r = await post<{ token: string; deviceId: string; schoolId: string }>(fetchImpl, new URL('api/v1/devices', o.base).toString(),
      { name: `ejournal sync ${hostname().slice(0, 60)}`, deviceId: j.device }, session.token);
    if (!r.answer.ok || !r.answer.value) throw new UserError(`Компьютер не подключён к школе: ${r.answer.error?.message ?? `HTTP ${r.status}`}`, 1);
    if (!school) j.setMeta('school_id', r.answer.value.schoolId);
    j.setMeta(TOKEN_META, r.answer.value.token);
    return r.answer.value.token;
  } finally {
    await post(fetchImpl, new URL('api/v1/auth/logout', o.base).toString(), {}, session.token).catch(() => undefined);
  }
}
