/**
 * The server's op-log store: the one authoritative copy of every school's log, behind one small
 * async interface with two implementations — SQLite (the embedded default, `store/sqlite.ts`) and
 * PostgreSQL (`DATABASE_URL`, `store/pg.ts`). Everything else on the server (replicas, sessions
 * cache, the web) is rebuilt from it.
 *
 * Every table carries `school_id` and every method but the directory look-ups (`schools`,
 * `findLogin`) takes a school and touches only that school's rows, so a distributed PostgreSQL
 * (Citus, distribution column `school_id`) can route each call to one shard (docs/scaling.md).
 * Tokens are stored only as SHA-256 hashes.
 */
import type { Op } from '../../src-shared/ops/envelope';

/** `a-z0-9-`, short: it goes into device ids (`srv-<schoolId>`, ≤ 32 chars) and tokens. */
export const SCHOOL_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;

export interface SchoolRecord {
  schoolId: string;
  name: string;
  /** The last `server_seq` assigned in this school (0 = empty log). */
  head: number;
  createdAt: string;
}

/** An op as the server keeps it: the envelope plus the server's order and receipt. */
export interface StoredOp extends Op {
  serverSeq: number;
  receivedAt: string;
  /** R-BREACH: declared invalid by a revocation (the op stays in the log). */
  revoked: boolean;
}

export interface AppendAck {
  device: string;
  seq: number;
  serverSeq: number;
  /** The op was already in the log (same device and seq): acknowledged, not stored again. */
  duplicate: boolean;
}

export interface AppendOptions {
  /** Server time of receipt (ISO). */
  receivedAt: string;
  /**
   * Optimistic precondition: the school's head must still be this, or nothing is appended and a
   * `head_moved` StoreError is thrown (another writer got in between; catch up and retry).
   */
  expectHead?: number;
}

export interface Revocation {
  accountId: string;
  /** Ops of the account from this instant on are revoked (by HLC time or by receipt time). */
  from: string;
  recordedAt: string;
}

export interface Snapshot {
  serverSeq: number;
  bytes: Buffer;
  createdAt: string;
}

export type SessionKind = 'cookie' | 'bearer';

export interface SessionRecord {
  schoolId: string;
  tokenHash: string;
  accountId: string;
  kind: SessionKind;
  createdAt: string;
  expiresAt: string;
  /** The account's verifier tag at sign-in (auth/service.ts): another tag now = the password changed, the session is over. */
  verifierTag?: string | null;
}

export interface DeviceRecord {
  schoolId: string;
  deviceId: string;
  tokenHash: string;
  name: string;
  enrolledBy: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  /** The latest server-judged time of an op accepted from this computer (ISO), null before its first. */
  lastOpAt: string | null;
  /** Accounts allowed to work on this computer; null = the school's staff. */
  allowed: string[] | null;
}

export type SigninMethod = 'online' | 'offline';

/** A sign-in of an account on a school computer (auth/devices.ts). */
export interface SigninRecord {
  schoolId: string;
  deviceId: string;
  accountId: string;
  /** When the account signed in (ISO; the server's time for an online sign-in, the computer's for an offline one). */
  at: string;
  method: SigninMethod;
  /** The account's verifier tag when it signed in: a changed password ends what it covers. */
  verifierTag: string;
  recordedAt: string;
}

/** A password check of an existing account (sign-in history, R-ACCOUNTS п. 10.3). */
export interface LoginEventRecord {
  schoolId: string;
  accountId: string;
  at: string;
  kind: 'cookie' | 'bearer' | 'computer';
  address: string;
  outcome: 'ok' | 'wrong_password' | 'blocked' | 'breach';
}

/** An op kept aside for review, never applied (pushed by a revoked computer). */
export interface HeldOpRecord {
  schoolId: string;
  deviceId: string;
  seq: number;
  author: string;
  kind: string;
  hlc: string;
  /** The op's payload as JSON text. */
  payload: string;
  receivedAt: string;
  reason: string;
}

export type StoreErrorCode = 'unknown_school' | 'school_exists' | 'gap' | 'head_moved' | 'login_taken' | 'device_exists';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly detail: { device?: string; expected?: number; login?: string } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface OpLogStore {
  readonly kind: 'sqlite' | 'postgres';

  // ── schools (the directory) ────────────────────────────────────────────────
  createSchool(s: { schoolId: string; name: string; createdAt: string }): Promise<void>;
  school(schoolId: string): Promise<SchoolRecord | undefined>;
  /** The registry itself: the one listing across schools (a small global table). */
  schools(): Promise<SchoolRecord[]>;

  // ── the log ────────────────────────────────────────────────────────────────
  /**
   * Appends ops in one transaction, each getting the next `server_seq` of the school; the last seq
   * per device moves in the same transaction. An op whose (device, seq) is already stored is
   * acknowledged as a duplicate; a gap throws `gap` with `detail.expected` ("resend from N").
   * `account.set` ops keep the login index current; a login taken in another school throws
   * `login_taken` and nothing is appended.
   */
  append(schoolId: string, ops: readonly Op[], opts: AppendOptions): Promise<AppendAck[]>;
  /**
   * Ops with `server_seq > after`, in order, about `limit` of them: a page always ends where an
   * append ended (never half a command, never half a pushed batch) — cut before `limit` at the
   * last complete append, or, when the first append alone is longer, that whole append.
   */
  readSince(schoolId: string, after: number, limit: number): Promise<StoredOp[]>;
  /** The last seq stored for a device (0 when none). */
  lastSeq(schoolId: string, device: string): Promise<number>;
  /**
   * sync: a device's op `seq` was permanently rejected (the guard refused it): the device's
   * last seq moves past it with no op stored, so its next op is not a gap. Only when `seq` is the
   * next one (last seq = seq − 1); returns whether it moved.
   */
  skipSeq(schoolId: string, device: string, seq: number): Promise<boolean>;

  // ── revocation (R-BREACH) ──────────────────────────────────────────────────
  /** Records a revocation and marks the account's ops from `from` on; returns their server seqs. */
  revoke(schoolId: string, r: Revocation): Promise<number[]>;
  revocations(schoolId: string): Promise<Revocation[]>;

  // ── snapshots of the school's replica ─────────────────────────────────────
  putSnapshot(schoolId: string, s: Snapshot): Promise<void>;
  getSnapshot(schoolId: string): Promise<Snapshot | undefined>;

  // ── accounts: the login directory ──────────────────────────────────────────
  /** Logins are unique per server; a login leads to one school and account. */
  findLogin(login: string): Promise<{ schoolId: string; accountId: string } | undefined>;

  // ── sessions ───────────────────────────────────────────────────────────────
  createSession(s: SessionRecord): Promise<void>;
  session(schoolId: string, tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(schoolId: string, tokenHash: string): Promise<void>;
  /** Ends every session of an account but `exceptTokenHash`; returns how many. */
  endSessions(schoolId: string, accountId: string, exceptTokenHash?: string): Promise<number>;
  /** Removes the school's expired sessions; returns how many. */
  purgeSessions(schoolId: string, now: string): Promise<number>;

  // ── desktop devices enrolled by the technical administrator ───────────────
  enrollDevice(d: DeviceRecord): Promise<void>;
  device(schoolId: string, deviceId: string): Promise<DeviceRecord | undefined>;
  deviceByToken(schoolId: string, tokenHash: string): Promise<DeviceRecord | undefined>;
  devices(schoolId: string): Promise<DeviceRecord[]>;
  touchDevice(schoolId: string, deviceId: string, at: string): Promise<void>;
  revokeDevice(schoolId: string, deviceId: string, at: string): Promise<boolean>;
  /** Moves the computer's `lastOpAt` forward to `at` (never back). */
  advanceDeviceOpAt(schoolId: string, deviceId: string, at: string): Promise<void>;
  /** Who may work on the computer (null = the school's staff); false when there is no such computer. */
  setDeviceAllowed(schoolId: string, deviceId: string, allowed: string[] | null): Promise<boolean>;

  // ── sign-ins on school computers (auth/devices.ts) ─────────────────────────
  /** Records a sign-in (the same account, computer and moment twice is one). */
  recordSignin(s: SigninRecord): Promise<void>;
  /** The account's latest sign-in on the computer at or before `at` (ISO). */
  lastSignin(schoolId: string, deviceId: string, accountId: string, at: string): Promise<SigninRecord | undefined>;
  /** Sign-ins, newest first: of a computer, of an account, or both. */
  signins(schoolId: string, filter: { deviceId?: string; accountId?: string }, limit: number): Promise<SigninRecord[]>;
  /** Sign-in history: a password check of an existing account; newest first, at most `limit`. */
  recordLogin(e: LoginEventRecord): Promise<void>;
  logins(schoolId: string, accountId: string, limit: number): Promise<LoginEventRecord[]>;
  signinKey(schoolId: string, deviceId: string, accountId: string): Promise<{ secret: string; verifierTag: string } | undefined>;
  putSigninKey(schoolId: string, deviceId: string, accountId: string, k: { secret: string; verifierTag: string; createdAt: string }): Promise<void>;

  // ── ops kept aside for review ──────────────────────────────────────────────
  /** Keeps ops aside (the same computer and seq twice is one); returns how many were new. */
  holdOps(rows: readonly HeldOpRecord[]): Promise<number>;
  heldOps(schoolId: string, deviceId: string): Promise<HeldOpRecord[]>;

  /** Liveness for /health. */
  ping(): Promise<void>;
  /**
   * SQLite only: an online copy of the store into `file` (SQLite's backup API; the server keeps
   * working) and the ops it holds, counted when the copy was finished. A PostgreSQL store has none:
   * it is backed up with pg_dump (docs/backup.md).
   */
  backup?(file: string): Promise<{ ops: number }>;
  close(): Promise<void>;
}

export interface AppendPlanInput {
  head: number;
  expectHead: number | undefined;
  lastSeqOf: (device: string) => number;
}

export interface AppendPlan {
  /** New ops to insert, with their server seq. */
  inserts: { op: Op; serverSeq: number }[];
  /** Per op of the batch, in order: its new server seq, or null for a duplicate (looked up). */
  seqs: (number | null)[];
  head: number;
  /** New last seq per device. */
  lastSeqs: Map<string, number>;
}

/**
 * The store-independent part of `append`: precondition, duplicates, gaps and the new seqs —
 * both implementations run exactly this, so they agree op for op.
 */
export function planAppend(schoolId: string, ops: readonly Op[], i: AppendPlanInput): AppendPlan {
  if (i.expectHead !== undefined && i.head !== i.expectHead) {
    throw new StoreError('head_moved', `Журнал школы «${schoolId}» изменился: ожидалась операция № ${i.expectHead}, на сервере ${i.head}`);
  }
  const lastSeqs = new Map<string, number>();
  const inserts: AppendPlan['inserts'] = [];
  const seqs: (number | null)[] = [];
  let head = i.head;
  for (const op of ops) {
    const last = lastSeqs.get(op.device) ?? i.lastSeqOf(op.device);
    if (op.seq <= last) {
      seqs.push(null);
      continue;
    }
    if (op.seq !== last + 1) {
      throw new StoreError('gap', `Пропуск в операциях устройства ${op.device}: ожидалась № ${last + 1}, получена № ${op.seq}`, { device: op.device, expected: last + 1 });
    }
    lastSeqs.set(op.device, op.seq);
    inserts.push({ op, serverSeq: ++head });
    seqs.push(head);
  }
  return { inserts, seqs, head, lastSeqs };
}

/** Acks in batch order; a duplicate's seq comes from this batch or from `stored` (the log). */
export function acksOf(ops: readonly Op[], plan: AppendPlan, stored: (device: string, seq: number) => number): AppendAck[] {
  const fresh = new Map(plan.inserts.map((x) => [`${x.op.device}\n${x.op.seq}`, x.serverSeq]));
  return ops.map((op, k) => {
    const s = plan.seqs[k];
    if (s !== null && s !== undefined) return { device: op.device, seq: op.seq, serverSeq: s, duplicate: false };
    return { device: op.device, seq: op.seq, serverSeq: fresh.get(`${op.device}\n${op.seq}`) ?? stored(op.device, op.seq), duplicate: true };
  });
}

/** Where a page read with LIMIT ends: after its last complete append (-1: none complete). */
export function lastBatchEnd(rows: readonly { batch_end: number | string }[]): number {
  for (let k = rows.length - 1; k >= 0; k--) if (Number(rows[k]!.batch_end) === 1) return k;
  return -1;
}

/**
 * The logins a batch leaves assigned: the last `account.set` per account (a batch may rename an
 * account — an imported journal's history — and only where it ends up must be free).
 */
export function loginsOf(ops: readonly Op[]): { login: string; accountId: string }[] {
  const last = new Map<string, string>();
  for (const o of ops) {
    if (o.kind !== 'account.set') continue;
    const p = o.payload as { id: string; login: string };
    last.delete(p.id);
    last.set(p.id, p.login);
  }
  return [...last].map(([accountId, login]) => ({ login, accountId }));
}

export function loginTaken(login: string): StoreError {
  return new StoreError('login_taken', `Логин «${login}» уже занят в другой школе на этом сервере`, { login });
}

/** Ops of an account count as revoked from T on by their own clock or by the server's receipt. */
export function isRevokedBy(op: { author: string; hlc: string; receivedAt: string }, r: Revocation): boolean {
  return op.author === r.accountId && (op.hlc.slice(0, 24) >= r.from || op.receivedAt >= r.from);
}
