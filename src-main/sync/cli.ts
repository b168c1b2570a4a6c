/**
 * `ejournal sync --db FILE --server URL --login L [--password-file F] [--key-file K]`: signs in (a bearer
 * session), creates the journal file on the first run and bootstraps it from the school's
 * snapshot (bootstrap.ts; a cut download resumes on the next run), later runs push and pull and
 * repair a state that differs from the server's. Prints one JSON object
 * `{pushed, pulled, rejected, bytesSent, bytesReceived, ms}` (+ `snapshot: S` when one was
 * installed, `repaired: true`, `error`). The password and the journal key come as secrets.ts
 * reads them, never from argv.
 */
import { existsSync } from 'node:fs';
import { openJournal } from '../journal/open';
import { systemClock } from '../commands/execute';
import { args, type Io } from '../cli/main';
import { CliError } from '../cli/errors';
import { KEY_OPTIONS, PASSWORD_OPTIONS, processSecrets, readJournalKey, readPassword, refuseSecretsInArgv, type SecretSources } from '../cli/secrets';
import { syncOnce, type SyncFetch } from './client';
import { httpFetch } from './transport';

export async function runSync(argv: string[], io: Io, fetchImpl: SyncFetch = httpFetch, secrets: SecretSources = processSecrets()): Promise<number> {
  // Secrets: the password and the key (secrets.ts).
  refuseSecretsInArgv(argv);
  const a = args(argv, { db: { type: 'string' }, server: { type: 'string' }, login: { type: 'string' }, ...PASSWORD_OPTIONS, ...KEY_OPTIONS });
  const { db, server, login } = a.values as Record<string, string | undefined>;
  if (!db || !server || !login) throw new CliError('Укажите: ejournal sync --db FILE --server URL --login ЛОГИН [--password-file ФАЙЛ] [--key-file КЛЮЧ]');
  const key = readJournalKey(a.values, secrets.env);
  const password = await readPassword(a.values, secrets, `Пароль ${login}: `);
  const base = server.endsWith('/') ? server : `${server}/`;
  let r;
  try {
    r = await fetchImpl(new URL('api/v1/auth/login', base).toString(), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password, session: 'bearer' }),
    });
  } catch (err) {
    throw new CliError(`Сервер ${base} недоступен: ${(err as Error).message}`, 1);
  }
  const answer = JSON.parse(await r.text()) as { ok: boolean; value?: { token: string; schoolId: string }; error?: { message: string } };
  if (!answer.ok || !answer.value) throw new CliError(`Вход не выполнен: ${answer.error?.message ?? `HTTP ${r.status}`}`, 1);
  const fresh = !existsSync(db);
  const j = openJournal(db, { create: true, ...(key ? { key } : {}) });
  try {
    if (fresh) j.setMeta('school_id', answer.value.schoolId);
    else if (j.meta('school_id') && j.meta('school_id') !== answer.value.schoolId) throw new CliError(`Файл «${db}» — журнал другой школы (${j.meta('school_id')})`);
    const rep = await syncOnce({ journal: j, server: base, token: answer.value.token, fetch: fetchImpl, clock: systemClock, snapshot: {} });
    io.out(JSON.stringify({
      pushed: rep.pushed, pulled: rep.pulled, rejected: rep.rejected, bytesSent: rep.bytesSent, bytesReceived: rep.bytesReceived, ms: rep.ms,
      ...(rep.snapshotSeq !== undefined ? { snapshot: rep.snapshotSeq } : {}), ...(rep.repaired ? { repaired: true } : {}), ...(rep.error ? { error: rep.error } : {}),
    }));
    return rep.ok && !rep.error ? 0 : 1;
  } finally {
    j.close();
  }
}
