/**
 * School computers (docs/security.md): only an enrolled computer syncs, and it acts only for the
 * accounts allowed on it that have signed in there.
 *
 * - **Enrolment** (`POST /api/v1/devices`): by a staff member whose role the school allows
 *   (`sync.enrolRoles`, rule settings; never a parent or a pupil). The server issues a device
 *   token bound to one device id; the enrolling account is signed in on the computer at once.
 * - **Sign-in on a computer**: online (`POST /api/v1/sync/signin`, the device token plus the
 *   account's login and password, checked by the server like a login) — the server records it and
 *   hands the computer a per-account secret K; the computer keeps K wrapped under the password.
 *   Offline, the computer checks the password against the local verifier, unwraps K and proves the
 *   sign-in with HMAC-SHA256(K, school|device|account|at); the proof travels with the next push.
 *   A copy of the journal file alone can prove nothing (K is wrapped under the password), and a
 *   leaked device token alone cannot sign anybody in.
 * - **Allowed accounts**: the school's staff by default, or a list the administrator sets per
 *   computer; parents and pupils never. A pushed op by X from D is taken only if X is allowed on D
 *   and signed in on D at or before the op's judged time (sync/service.ts).
 * - **Revocation**: the token dies at once; whatever the computer still pushes is kept aside for
 *   review (`held_op`), never applied.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { signinProof } from '../../src-main/sync/signin';
import type { Role } from '../../src-shared/domain/school';
import { ruleSettings } from '../../src-main/journal/rule-inputs';
import type { Journal } from '../../src-main/journal/open';
import type { Clock } from '../../src-main/commands/execute';
import type { Schools } from '../schools/registry';
import { StoreError, type DeviceRecord, type OpLogStore, type SigninRecord } from '../store/types';
import type { Auth, Principal } from './service';
import { hashToken, newToken, parseToken, verifierTag } from './tokens';

export const DEVICE_MESSAGES = {
  unknown: 'Компьютер не зарегистрирован или его токен отозван',
  revoked: 'Компьютер отключён от школы администратором: его неотправленные изменения сохранены на сервере для проверки и не применены',
  enrolForbidden: 'Регистрировать компьютеры школы могут только работники с ролью, разрешённой школой (п. 9.6); родители и обучающиеся — никогда',
  notAllowed: (login: string) => `Учётной записи «${login}» не разрешено работать на этом компьютере: обратитесь к ответственному за техподдержку (п. 9.6)`,
} as const;

/** One offline sign-in as a computer reports it in a push. */
export interface OfflineSignin { account: string; at: string; proof: string }

export type DeviceAuth =
  | { ok: true; device: DeviceRecord }
  | { ok: false; revoked?: DeviceRecord };

export interface DevicesOptions {
  store: OpLogStore;
  schools: Schools;
  clock: Clock;
  auth: Auth;
}

/** Staff accounts, not blocked, in this replica: who may work on a computer whose list is not set. */
function accountFacts(j: Journal, accountId: string): { kind: string; roles: Role[]; blocked: boolean; verifier: string | null; login: string } | undefined {
  const a = j.stmt('SELECT person_kind AS kind, roles, blocked, verifier, login FROM account WHERE id = ?').get(accountId) as
    { kind: string; roles: string; blocked: number; verifier: string | null; login: string } | undefined;
  return a && { kind: a.kind, roles: JSON.parse(a.roles) as Role[], blocked: !!a.blocked, verifier: a.verifier, login: a.login };
}

/** May this account work on this computer (R-PRIVACY: never a family; the school's staff unless a list is set)? */
export function allowedOn(j: Journal, device: Pick<DeviceRecord, 'allowed'>, accountId: string): boolean {
  const a = accountFacts(j, accountId);
  if (!a || a.blocked || a.kind !== 'staff') return false;
  return device.allowed ? device.allowed.includes(accountId) : true;
}

/** The accounts allowed on a computer (their verifiers may reach it). */
export function allowedAccounts(j: Journal, device: Pick<DeviceRecord, 'allowed'>): Set<string> {
  const staff = j.stmt("SELECT id FROM account WHERE person_kind = 'staff' AND blocked = 0").pluck().all() as string[];
  return new Set(device.allowed ? staff.filter((id) => device.allowed!.includes(id)) : staff);
}

export class Devices {
  constructor(private readonly o: DevicesOptions) {}

  private nowIso(): string {
    return new Date(this.o.clock.now()).toISOString();
  }

  /** The computer behind a device token: enrolled and live, or revoked (its pushes are kept aside). */
  async authenticate(token: string | undefined): Promise<DeviceAuth> {
    if (!token) return { ok: false };
    const t = parseToken(token);
    if (!t || t.kind !== 'd') return { ok: false };
    const d = await this.o.store.deviceByToken(t.schoolId, hashToken(token));
    if (!d) return { ok: false };
    if (d.revokedAt) return { ok: false, revoked: d };
    return { ok: true, device: d };
  }

  /** R-ACCOUNTS, п. 9.6: a staff member of an allowed role enrols a computer; they are signed in on it. */
  async enrol(p: Principal, name: string, deviceId?: string): Promise<
    | { ok: true; deviceId: string; token: string; key: string }
    | { ok: false; code: 'forbidden' | 'conflict'; message: string }> {
    const replica = await this.o.schools.find(p.schoolId);
    const a = replica && accountFacts(replica.view, p.accountId);
    const roles = replica ? ruleSettings(replica.view).sync.enrolRoles : [];
    if (!a || a.blocked || a.kind !== 'staff' || !a.roles.some((r) => roles.includes(r))) return { ok: false, code: 'forbidden', message: DEVICE_MESSAGES.enrolForbidden };
    const id = deviceId ?? `pc-${randomBytes(6).toString('hex')}`;
    const token = newToken('d', p.schoolId);
    const at = this.nowIso();
    try {
      await this.o.store.enrollDevice({
        schoolId: p.schoolId, deviceId: id, tokenHash: hashToken(token), name, enrolledBy: p.accountId,
        enrolledAt: at, lastSeenAt: null, revokedAt: null, lastOpAt: null, allowed: null,
      });
    } catch (err) {
      if (err instanceof StoreError && err.code === 'device_exists') return { ok: false, code: 'conflict', message: err.message };
      throw err;
    }
    const key = await this.signIn(p.schoolId, id, p.accountId, a.verifier, 'online', at);
    return { ok: true, deviceId: id, token, key };
  }

  /** Records a sign-in and returns the account's secret for the computer (base64url), made or renewed. */
  private async signIn(schoolId: string, deviceId: string, accountId: string, verifier: string | null, method: 'online' | 'offline', at: string): Promise<string> {
    const tag = verifierTag(verifier);
    await this.o.store.recordSignin({ schoolId, deviceId, accountId, at, method, verifierTag: tag, recordedAt: this.nowIso() });
    const k = await this.o.store.signinKey(schoolId, deviceId, accountId);
    // A password changed since the key was made: a new key (the old one, wrapped under the old password, proves nothing any more).
    if (k && k.verifierTag === tag) return k.secret;
    const secret = randomBytes(32).toString('base64url');
    await this.o.store.putSigninKey(schoolId, deviceId, accountId, { secret, verifierTag: tag, createdAt: this.nowIso() });
    return secret;
  }

  /** An online sign-in on a computer: the password checked by the server (throttled like a login). */
  async signinOnline(dev: DeviceRecord, login: string, password: string, address: string): Promise<
    | { ok: true; accountId: string; key: string; at: string }
    | { ok: false; status: number; code: string; message: string; retryAfter?: number }> {
    const v = await this.o.auth.verifyCredentials(login, password, address, 'computer');
    if (!v.ok) return v;
    if (v.schoolId !== dev.schoolId) return { ok: false, status: 401, code: 'unauthenticated', message: 'Неверный логин или пароль' };
    const replica = await this.o.schools.find(dev.schoolId);
    const a = replica && accountFacts(replica.view, v.accountId);
    if (!replica || !a || !allowedOn(replica.view, dev, v.accountId)) return { ok: false, status: 403, code: 'forbidden', message: DEVICE_MESSAGES.notAllowed(login) };
    const at = this.nowIso();
    const key = await this.signIn(dev.schoolId, dev.deviceId, v.accountId, a.verifier, 'online', at);
    return { ok: true, accountId: v.accountId, key, at };
  }

}

/**
 * Offline sign-ins a computer reports with a push: each proved with the account's secret for this
 * computer, not later than now (a sign-in cannot be dated into the future), for an allowed
 * account. Records the good ones; returns how many, and why the others were not (the caller logs).
 */
export async function recordOfflineSignins(store: OpLogStore, nowMs: number, dev: DeviceRecord, j: Journal, list: readonly OfflineSignin[]): Promise<{ recorded: number; refused: { account: string; at: string; why: string }[] }> {
  let recorded = 0;
  const refused: { account: string; at: string; why: string }[] = [];
  const recordedAt = new Date(nowMs).toISOString();
  for (const s of list) {
    const ms = Date.parse(s.at);
    if (!Number.isFinite(ms) || new Date(ms).toISOString() !== s.at || ms > nowMs) { refused.push({ account: s.account, at: s.at, why: 'bad_time' }); continue; }
    if (!allowedOn(j, dev, s.account)) { refused.push({ account: s.account, at: s.at, why: 'not_allowed' }); continue; }
    const k = await store.signinKey(dev.schoolId, dev.deviceId, s.account);
    const want = k && signinProof(Buffer.from(k.secret, 'base64url'), dev.schoolId, dev.deviceId, s.account, s.at);
    if (!k || !want || want.length !== s.proof.length || !timingSafeEqual(Buffer.from(want), Buffer.from(s.proof))) { refused.push({ account: s.account, at: s.at, why: 'bad_proof' }); continue; }
    await store.recordSignin({ schoolId: dev.schoolId, deviceId: dev.deviceId, accountId: s.account, at: s.at, method: 'offline', verifierTag: k.verifierTag, recordedAt });
    recorded++;
  }
  return { recorded, refused };
}

/** Did the account sign in on the computer at or before `atMs` (the op's judged time, plus `toleranceMs`)? */
export function signedInBy(signins: readonly SigninRecord[] | undefined, atMs: number, toleranceMs: number): boolean {
  if (!signins) return false;
  const limit = atMs + toleranceMs;
  for (const s of signins) if (Date.parse(s.at) <= limit) return true;
  return false;
}
