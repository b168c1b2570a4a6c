/**
 * The server's op-log store on SQLite (the embedded default). Migrations are generated from this
 * file by drizzle-kit into migrations/server/sqlite (`drizzle.server-sqlite.config.ts`), append-only.
 * Kept column for column equal to schema-pg.ts. Every table carries `school_id`; instants are ISO
 * strings (UTC, millisecond precision) so the two stores hold byte-identical logs.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The registry of schools on this server; `head` is the last server_seq assigned. */
export const school = sqliteTable('school', {
  schoolId: text('school_id').primaryKey(),
  name: text('name').notNull(),
  head: integer('head').notNull().default(0),
  createdAt: text('created_at').notNull(),
});

/** The log: every accepted op of a school in server order. */
export const op = sqliteTable('op', {
  schoolId: text('school_id').notNull(),
  serverSeq: integer('server_seq').notNull(),
  device: text('device').notNull(),
  seq: integer('seq').notNull(),
  author: text('author').notNull(),
  kind: text('kind').notNull(),
  version: integer('version').notNull(),
  hlc: text('hlc').notNull(),
  payload: text('payload').notNull(),
  receivedAt: text('received_at').notNull(),
  revoked: integer('revoked').notNull().default(0),
  /** 1 on the last op of an append (one store transaction): pages of the log end on these. */
  batchEnd: integer('batch_end').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.schoolId, t.serverSeq] }),
  uniqueIndex('op_device_seq').on(t.schoolId, t.device, t.seq),
  index('op_author').on(t.schoolId, t.author),
]);

/** Last seq per device, moved in the same transaction as the ops (duplicates and gaps). */
export const opDevice = sqliteTable('op_device', {
  schoolId: text('school_id').notNull(),
  device: text('device').notNull(),
  lastSeq: integer('last_seq').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.device] })]);

/** R-BREACH: an account's ops from `from_at` on are invalid. */
export const revocation = sqliteTable('revocation', {
  schoolId: text('school_id').notNull(),
  accountId: text('account_id').notNull(),
  fromAt: text('from_at').notNull(),
  recordedAt: text('recorded_at').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.accountId, t.fromAt] })]);

/** The latest snapshot of the school's replica (a SQLite journal file) at `server_seq`. */
export const snapshot = sqliteTable('snapshot', {
  schoolId: text('school_id').primaryKey(),
  serverSeq: integer('server_seq').notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  createdAt: text('created_at').notNull(),
});

/** The login directory: logins are unique per server; kept current by `account.set` ops. */
export const login = sqliteTable('login', {
  login: text('login').primaryKey(),
  schoolId: text('school_id').notNull(),
  accountId: text('account_id').notNull(),
}, (t) => [uniqueIndex('login_account').on(t.schoolId, t.accountId)]);

/** Sessions: a browser cookie or a bearer token; only the token's SHA-256 is kept. */
export const session = sqliteTable('session', {
  schoolId: text('school_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  accountId: text('account_id').notNull(),
  kind: text('kind').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  /** A tag of the account's password verifier at sign-in: a changed password ends the session. */
  verifierTag: text('verifier_tag'),
}, (t) => [primaryKey({ columns: [t.schoolId, t.tokenHash] }), index('session_expires').on(t.schoolId, t.expiresAt)]);

/** School computers enrolled by the technical administrator (desktop replicas). */
export const device = sqliteTable('device', {
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
export const signin = sqliteTable('signin', {
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
export const loginEvent = sqliteTable('login_event', {
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
export const signinKey = sqliteTable('signin_key', {
  schoolId: text('school_id').notNull(),
  deviceId: text('device_id').notNull(),
  accountId: text('account_id').notNull(),
  secret: text('secret').notNull(),
  verifierTag: text('verifier_tag').notNull(),
  createdAt: text('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.schoolId, t.deviceId, t.accountId] })]);

/** Ops kept aside for review, never applied: pushed by a revoked computer. */
export const heldOp = sqliteTable('held_op', {
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
