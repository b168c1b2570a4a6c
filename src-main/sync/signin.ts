/**
 * Sign-ins on this school computer, as the server needs to see them (docs/security.md): the server
 * takes an op of account X from this computer only if X signed in here at or before it.
 *
 * - Online: the computer sends the login and password with its device token
 *   (`POST /api/v1/sync/signin`); the server records the sign-in and hands over X's secret key K
 *   for this computer. The computer keeps K wrapped (AES-256-GCM) under a key derived from the
 *   password with scrypt: the journal file alone does not reveal it.
 * - Offline: the password is checked against the local verifier (desktop/session.ts), K is
 *   unwrapped with it, and the sign-in is proved with HMAC-SHA256(K, school|device|account|at);
 *   the proofs wait in `meta['sync.signins']` and travel with the next push.
 * Also here: what a push's answer and the snapshot's complement change in the local journal.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import type { WireSignin } from '../../src-shared/sync/protocol';
import type { Journal } from '../journal/open';
import type { MetaKey } from '../journal/meta-keys';

const SIGNINS = 'sync.signins';
/** An account's wrapped key for this computer: `signin.key.<account id>` (meta-keys.ts). */
const keyOf = (accountId: string): MetaKey => `signin.key.${accountId}`;
/** scrypt for wrapping K: the same order of work as a login (a stolen file is attacked offline). */
const WRAP_COST = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
/** Sign-ins waiting for a push: at most this many are kept (the oldest go first). */
const SIGNINS_KEPT = 200;

/** The proof of an offline sign-in: HMAC-SHA256 with the account's secret for this computer (the server checks the same). */
export function signinProof(secret: Buffer, schoolId: string, deviceId: string, accountId: string, at: string): string {
  return createHmac('sha256', secret).update(`ejournal-signin\n${schoolId}\n${deviceId}\n${accountId}\n${at}`).digest('base64url');
}

interface Wrapped { salt: string; iv: string; tag: string; data: string }

/** Keeps the account's key for this computer, wrapped under its password. */
export function keepSigninKey(j: Pick<Journal, 'setMeta'>, accountId: string, key: string, password: string): void {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', scryptSync(password, salt, 32, WRAP_COST), iv);
  const data = Buffer.concat([c.update(Buffer.from(key, 'base64url')), c.final()]);
  const w: Wrapped = { salt: salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  j.setMeta(keyOf(accountId), JSON.stringify(w));
}

function unwrap(j: Journal, accountId: string, password: string): Buffer | null {
  const raw = j.meta(keyOf(accountId));
  if (!raw) return null;
  try {
    const w = JSON.parse(raw) as Wrapped;
    const d = createDecipheriv('aes-256-gcm', scryptSync(password, Buffer.from(w.salt, 'base64'), 32, WRAP_COST), Buffer.from(w.iv, 'base64'));
    d.setAuthTag(Buffer.from(w.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(w.data, 'base64')), d.final()]);
  } catch {
    return null; // another password (changed since), or a damaged entry
  }
}

/**
 * Records an offline sign-in to be proved to the server with the next push. False when it cannot
 * be proved: the account never signed in here online, or its password changed since.
 */
export function recordOfflineSignin(j: Journal, accountId: string, password: string, nowMs: number): boolean {
  const k = unwrap(j, accountId, password);
  const school = j.meta('school_id');
  if (!k || !school) return false;
  const at = new Date(nowMs).toISOString();
  const list = [...pendingSignins(j), { account: accountId, at, proof: signinProof(k, school, j.device, accountId, at) }];
  j.setMeta(SIGNINS, JSON.stringify(list.slice(-SIGNINS_KEPT)));
  return true;
}

export function pendingSignins(j: Journal): WireSignin[] {
  return JSON.parse(j.meta(SIGNINS) ?? '[]') as WireSignin[];
}

/** The sign-ins a push delivered are not sent again. */
export function dropSignins(j: Journal, sent: readonly WireSignin[]): void {
  const gone = new Set(sent.map((s) => s.proof));
  j.setMeta(SIGNINS, JSON.stringify(pendingSignins(j).filter((s) => !gone.has(s.proof))));
}

/**
 * The server judged an own op at another moment (`hlc`): the local log keeps the same stamp as every
 * other replica. Returns whether the stamp changed (the caller re-folds: the state derives times
 * and R-BREACH voiding from it).
 */
export function rewriteHlc(j: Journal, seq: number, hlc: string): boolean {
  const before = j.stmt('SELECT hlc FROM op_log WHERE device = ? AND seq = ?').pluck().get(j.device, seq) as string | undefined;
  if (before === undefined || before === hlc) return false;
  j.stmt('UPDATE op_record SET hlc = op_hlc_value(?), hlc_c = op_hlc_counter(?) WHERE device = (SELECT id FROM op_name WHERE name = ?) AND seq = ?').run(hlc, hlc, j.device, seq);
  return true;
}

export interface PrivateShare {
  verifiers: { id: string; verifier: string }[];
  messages: { id: string; from: string; to: string; at: string; body: string; readAt: string | null }[];
}

/** Writes this computer's share of what a snapshot leaves out into the state and the base copy. */
export function writePrivate(j: Journal, p: PrivateShare): void {
  const hasBase = (t: string) => !!j.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`base__${t}`);
  const tables = (t: string) => (hasBase(t) ? [t, `base__${t}`] : [t]);
  j.sqlite.transaction(() => {
    for (const t of tables('account')) {
      const set = j.stmt(`UPDATE ${t} SET verifier = ? WHERE id = ?`);
      for (const v of p.verifiers) set.run(v.verifier, v.id);
    }
    for (const t of tables('message')) {
      const put = j.stmt(`INSERT OR REPLACE INTO ${t} (id, from_account, to_account, at, body, read_at) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const m of p.messages) put.run(m.id, m.from, m.to, m.at, m.body, m.readAt);
    }
  })();
}

export type SigninFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; text(): Promise<string> }>;

/** An online sign-in on this computer; keeps the account's key for later offline sign-ins. */
export async function signInOnline(
  fetch: SigninFetch, j: Journal, o: { server: string; token: string; login: string; password: string },
): Promise<{ ok: true; accountId: string; at: string } | { ok: false; status: number; code: string; message: string }> {
  const base = o.server.endsWith('/') ? o.server : `${o.server}/`;
  let r: Awaited<ReturnType<SigninFetch>>;
  try {
    r = await fetch(new URL('api/v1/sync/signin', base).toString(), {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` }, body: JSON.stringify({ login: o.login, password: o.password }),
    });
  } catch (err) {
    return { ok: false, status: 0, code: 'unreachable', message: `Сервер недоступен: ${(err as Error).message}` };
  }
  let a: { ok?: boolean; value?: { accountId: string; key: string; at: string }; error?: { code: string; message: string } };
  try {
    a = JSON.parse(await r.text()) as typeof a;
  } catch {
    return { ok: false, status: r.status, code: 'internal', message: `Сервер ответил не JSON (HTTP ${r.status})` };
  }
  if (!a.ok || !a.value) return { ok: false, status: r.status, code: a.error?.code ?? 'internal', message: a.error?.message ?? `HTTP ${r.status}` };
  keepSigninKey(j, a.value.accountId, a.value.key, o.password);
  return { ok: true, accountId: a.value.accountId, at: a.value.at };
}
