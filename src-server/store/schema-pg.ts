/**
 * The server's op-log store on PostgreSQL. Migrations are generated from this file by drizzle-kit
 * into migrations/server/pg (`drizzle.server-pg.config.ts`), append-only. Column for column equal
 * to schema-sqlite.ts. Every table carries `school_id` and every primary key and unique index
 * starts with it, so each table can be distributed by `school_id` (Citus) unchanged; `school` is
 * keyed by it and `login` is the directory (a reference table there; docs/scaling.md).
 */
import { bigint, customType, index, integer, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const school = pgTable('school', {
  schoolId: text('school_id').primaryKey(),
  name: text('name').notNull(),
  head: bigint('head', { mode: 'number' }).notNull().default(0),
  createdAt: text('created_at').notNull(),
});

export const op = pgTable('op', {
  schoolId: text('school_id').notNull(),
  serverSeq: bigint('server_seq', { mode: 'number' }).notNull(),
  device: text('device').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  author: text('author').notNull(),
  kind: text('kind').notNull(),
  version: integer('version').notNull(),
  hlc: text('hlc').notNull(),
  /** JSON text as sent (not jsonb): the log is kept byte for byte. */
  payload: text('payload').notNull(),
  receivedAt: text('received_at').notNull(),
  revoked: smallint('revoked').notNull().default(0),
  /** 1 on the last op of an append (one store transaction): pages of the log end on these. */
  batchEnd: smallint('batch_end').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.schoolId, t.serverSeq] }),
  uniqueIndex('op_device_seq').on(t.schoolId, t.device, t.seq),
  index('op_author').on(t.schoolId, t.author),
]);

export const opDevice = pgTable('op_device', {
  schoolId: text('school_id').notNull(),
  device: text('device').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.device] })]);

export const revocation = pgTable('revocation', {
  schoolId: text('school_id').notNull(),
  accountId: text('account_id').notNull(),
  fromAt: text('from_at').notNull(),
  recordedAt: text('recorded_at').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.accountId, t.fromAt] })]);

export const snapshot = pgTable('snapshot', {
  schoolId: text('school_id').primaryKey(),
  serverSeq: bigint('server_seq', { mode: 'number' }).notNull(),
  bytes: bytea('bytes').notNull(),
  createdAt: text('created_at').notNull(),
});

export const login = pgTable('login', {
  login: text('login').primaryKey(),
  schoolId: text('school_id').notNull(),
  accountId: text('account_id').notNull(),
}, (t) => [uniqueIndex('login_account').on(t.schoolId, t.accountId)]);

export const session = pgTable('session', {
  schoolId: text('school_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  accountId: text('account_id').notNull(),
  kind: text('kind').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  /** A tag of the account's password verifier at sign-in: a changed password ends the session. */
  verifierTag: text('verifier_tag'),
}, (t) => [primaryKey({ columns: [t.schoolId, t.tokenHash] }), index('session_expires').on(t.schoolId, t.expiresAt)]);

export const device = pgTable('device', {
  schoolId: text('school_id').notNull(),
  deviceId: text('device_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  name: text('name').notNull(),
  enrolledBy: text('enrolled_by').notNull(),
  enrolledAt: text('enrolled_at').notNull(),
  lastSeenAt: text('last_seen_at'),
  revokedAt: text('revoked_at'),
  /** The latest server-judged time of an op accepted from this computer: no later op may claim an earlier one. */
  lastOpAt: text('last_op_at'),
  /** Accounts allowed to work on this computer (JSON array of ids); null = the school's staff. */
  allowed: text('allowed'),
}, (t) => [primaryKey({ columns: [t.schoolId, t.deviceId] }), uniqueIndex('device_token').on(t.schoolId, t.tokenHash)]);

/**
 * Sign-ins on school computers: an account acts on a computer only when it signed in there —
 * online (the server checked the password) or offline (proved with the computer's key for the
 * account, see \`signin_key\`). Each sign-in covers the account's ops from that computer for a while.
 */
export const signin = pgTable('signin', {
  schoolId: text('school_id').notNull(),
  deviceId: text('device_id').notNull(),
  accountId: text('account_id').notNull(),
  at: text('at').notNull(),
  method: text('method').notNull(),
  verifierTag: text('verifier_tag').notNull(),
  recordedAt: text('recorded_at').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.deviceId, t.accountId, t.at] })]);

/**
 * Sign-in history (R-ACCOUNTS, п. 10.3): every password check of an existing account on the web or
 * a desktop's login — when, from where, how it ended. An unknown login has no school: not kept.
 */
export const loginEvent = pgTable('login_event', {
  schoolId: text('school_id').notNull(),
  accountId: text('account_id').notNull(),
  at: text('at').notNull(),
  /** \`cookie\` (a browser), \`bearer\` (a program), \`computer\` (an online sign-in on a school computer). */
  kind: text('kind').notNull(),
  address: text('address').notNull(),
  /** \`ok\`, \`wrong_password\`, \`blocked\`, \`breach\`. */
  outcome: text('outcome').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.accountId, t.at, t.kind, t.outcome, t.address] })]);

/** The secret a computer proves an offline sign-in with (HMAC), one per account and computer; the computer keeps it wrapped under the password. */
export const signinKey = pgTable('signin_key', {
  schoolId: text('school_id').notNull(),
  deviceId: text('device_id').notNull(),
  accountId: text('account_id').notNull(),
  secret: text('secret').notNull(),
  verifierTag: text('verifier_tag').notNull(),
  createdAt: text('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.deviceId, t.accountId] })]);

/** Ops kept aside for review, never applied: pushed by a revoked computer. */
export const heldOp = pgTable('held_op', {
  schoolId: text('school_id').notNull(),
  deviceId: text('device_id').notNull(),
  seq: integer('seq').notNull(),
  author: text('author').notNull(),
  kind: text('kind').notNull(),
  hlc: text('hlc').notNull(),
  payload: text('payload').notNull(),
  receivedAt: text('received_at').notNull(),
  reason: text('reason').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.deviceId, t.seq] })]);
