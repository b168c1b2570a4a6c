/**
 * The online half of a login on an enrolled school computer (docs/security.md): the password goes
 * to the server with the device token (`POST /api/v1/sync/signin`); the server records the
 * sign-in and hands over the account's key for this computer, which signin.ts keeps wrapped under
 * the password for later offline sign-ins. No connection → `unreachable` (the login goes on offline).
 */
import type { Journal } from '../journal/open';
import { signInOnline, type SigninFetch } from '../sync/signin';
import type { Enrolment } from './enrol';
import type { OnlineSignin } from './session';

export function computerSignin(fetch: SigninFetch, journal: Journal, enrolment: Enrolment): OnlineSignin {
  return async (login, password) => {
    const r = await signInOnline(fetch, journal, { server: enrolment.serverUrl, token: enrolment.token, login, password });
    if (r.ok) return { ok: true };
    // A server that cannot be reached, is busy or failed: the computer works offline.
    if (r.status === 0 || r.status === 429 || r.status >= 500 || r.code === 'unreachable') return { ok: false, unreachable: true };
    const code = r.code === 'blocked' ? 'blocked' : r.code === 'forbidden' ? 'forbidden' : 'unauthenticated';
    return { ok: false, code, message: r.message };
  };
}
