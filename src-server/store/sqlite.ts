/**
 * The op-log store on SQLite — the embedded default: one file under `--data`, WAL, synchronous =
 * FULL (an acknowledged op survives a power cut). better-sqlite3 is synchronous; the methods are
 * async only to share the interface with PostgreSQL. One server process owns the file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Op } from '../../src-shared/ops/envelope';
import {
  StoreError, acksOf, isRevokedBy, lastBatchEnd, loginTaken, loginsOf, planAppend,
  type AppendAck, type AppendOptions, type DeviceRecord, type HeldOpRecord, type OpLogStore, type SigninRecord, type LoginEventRecord, type Revocation, type SchoolRecord, type SessionKind, type SessionRecord, type Snapshot, type StoredOp,
} from './types';

export const SQLITE_MIGRATIONS = fileURLToPath(new URL('../../migrations/server/sqlite', import.meta.url));

interface OpRow { server_seq: number; device: string; seq: number; author: string; kind: string; version: number; hlc: string; payload: string; received_at: string; revoked: number; batch_end: number }
interface DeviceRow { school_id: string; device_id: string; token_hash: string; name: string; enrolled_by: string; enrolled_at: string; last_seen_at: string | null; revoked_at: string | null; last_op_at: string | null; allowed: string | null }

export function rowToOp(r: OpRow): StoredOp {
  return {
    serverSeq: Number(r.server_seq), device: r.device, seq: Number(r.seq), author: r.author, kind: r.kind as StoredOp['kind'], version: r.version,
    hlc: r.hlc, payload: JSON.parse(r.payload) as StoredOp['payload'], receivedAt: r.received_at, revoked: !!Number(r.revoked),
  };
}

const SIGNIN_COLS = 'school_id AS schoolId, device_id AS deviceId, account_id AS accountId, at, method, verifier_tag AS verifierTag, recorded_at AS recordedAt';
const HELD_COLS = 'school_id AS schoolId, device_id AS deviceId, seq, author, kind, hlc, payload, received_at AS receivedAt, reason';

export function rowToDevice(r: DeviceRow): DeviceRecord {
  return {
    schoolId: r.school_id, deviceId: r.device_id, tokenHash: r.token_hash, name: r.name, enrolledBy: r.enrolled_by, enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at, revokedAt: r.revoked_at, lastOpAt: r.last_op_at, allowed: r.allowed === null ? null : JSON.parse(r.allowed) as string[],
  };
}

export function openSqliteStore(file: string): OpLogStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(drizzle(db), { migrationsFolder: SQLITE_MIGRATIONS });

  const cache = new Map<string, Database.Statement>();
  const q = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const schoolRow = (id: string) => q('SELECT school_id AS schoolId, name, head, created_at AS createdAt FROM school WHERE school_id = ?').get(id) as SchoolRecord | undefined;

  const appendTx = db.transaction((schoolId: string, ops: readonly Op[], opts: AppendOptions): AppendAck[] => {
    const s = schoolRow(schoolId);
    if (!s) throw new StoreError('unknown_school', `Школа «${schoolId}» не зарегистрирована на сервере`);
    const plan = planAppend(schoolId, ops, {
      head: s.head, expectHead: opts.expectHead,
      lastSeqOf: (device) => (q('SELECT last_seq FROM op_device WHERE school_id = ? AND device = ?').pluck().get(schoolId, device) as number | undefined) ?? 0,
    });
    const ins = q('INSERT INTO op (school_id, server_seq, device, seq, author, kind, version, hlc, payload, received_at, batch_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const { op, serverSeq } of plan.inserts) {
      ins.run(schoolId, serverSeq, op.device, op.seq, op.author, op.kind, op.version, op.hlc, JSON.stringify(op.payload), opts.receivedAt, serverSeq === plan.head ? 1 : 0);
    }
    for (const [device, last] of plan.lastSeqs) {
      q('INSERT INTO op_device (school_id, device, last_seq) VALUES (?, ?, ?) ON CONFLICT (school_id, device) DO UPDATE SET last_seq = excluded.last_seq').run(schoolId, device, last);
    }
    if (plan.head !== s.head) q('UPDATE school SET head = ? WHERE school_id = ?').run(plan.head, schoolId);
    for (const l of loginsOf(plan.inserts.map((i) => i.op))) {
      const owner = q('SELECT school_id AS schoolId FROM login WHERE login = ?').get(l.login) as { schoolId: string } | undefined;
      if (owner && owner.schoolId !== schoolId) throw loginTaken(l.login);
      q('DELETE FROM login WHERE school_id = ? AND account_id = ?').run(schoolId, l.accountId);
      q('INSERT INTO login (login, school_id, account_id) VALUES (?, ?, ?) ON CONFLICT (login) DO UPDATE SET account_id = excluded.account_id').run(l.login, schoolId, l.accountId);
    }
    return acksOf(ops, plan, (device, seq) => q('SELECT server_seq FROM op WHERE school_id = ? AND device = ? AND seq = ?').pluck().get(schoolId, device, seq) as number);
  });

  const revokeTx = db.transaction((schoolId: string, r: Revocation): number[] => {
    q('INSERT INTO revocation (school_id, account_id, from_at, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(schoolId, r.accountId, r.from, r.recordedAt);
    const rows = q('SELECT server_seq AS serverSeq, author, hlc, received_at AS receivedAt FROM op WHERE school_id = ? AND author = ? AND revoked = 0 ORDER BY server_seq')
      .all(schoolId, r.accountId) as { serverSeq: number; author: string; hlc: string; receivedAt: string }[];
    const marked = rows.filter((o) => isRevokedBy(o, r)).map((o) => o.serverSeq);
    const upd = q('UPDATE op SET revoked = 1 WHERE school_id = ? AND server_seq = ?');
    for (const s of marked) upd.run(schoolId, s);
    return marked;
  });

  return {
    kind: 'sqlite',
    async createSchool(s) {
      const r = q('INSERT INTO school (school_id, name, head, created_at) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING').run(s.schoolId, s.name, s.createdAt);
      if (r.changes === 0) throw new StoreError('school_exists', `Школа «${s.schoolId}» уже зарегистрирована`);
    },
    async school(id) {
      return schoolRow(id);
    },
    async schools() {
      return q('SELECT school_id AS schoolId, name, head, created_at AS createdAt FROM school ORDER BY school_id').all() as SchoolRecord[];
    },
    async append(schoolId, ops, opts) {
      if (ops.length === 0) return [];
      return appendTx.immediate(schoolId, ops, opts);
    },
    async readSince(schoolId, after, limit) {
      const cols = 'server_seq, device, seq, author, kind, version, hlc, payload, received_at, revoked, batch_end';
      let rows = q(`SELECT ${cols} FROM op WHERE school_id = ? AND server_seq > ? ORDER BY server_seq LIMIT ?`).all(schoolId, after, Math.max(1, limit)) as OpRow[];
      const cut = lastBatchEnd(rows);
      if (cut >= 0) rows = rows.slice(0, cut + 1);
      else if (rows.length) {
        rows = q(`SELECT ${cols} FROM op WHERE school_id = ? AND server_seq > ? AND server_seq <= (SELECT coalesce(min(server_seq), ?) FROM op WHERE school_id = ? AND server_seq > ? AND batch_end = 1) ORDER BY server_seq`)
          .all(schoolId, after, Number.MAX_SAFE_INTEGER, schoolId, after) as OpRow[];
      }
      return rows.map(rowToOp);
    },
    async lastSeq(schoolId, device) {
      return (q('SELECT last_seq FROM op_device WHERE school_id = ? AND device = ?').pluck().get(schoolId, device) as number | undefined) ?? 0;
    },
    async skipSeq(schoolId, device, seq) {
      const r = seq === 1
        ? q('INSERT INTO op_device (school_id, device, last_seq) VALUES (?, ?, 1) ON CONFLICT (school_id, device) DO NOTHING').run(schoolId, device)
        : q('UPDATE op_device SET last_seq = ? WHERE school_id = ? AND device = ? AND last_seq = ?').run(seq, schoolId, device, seq - 1);
      return r.changes > 0;
    },
    async revoke(schoolId, r) {
      return revokeTx.immediate(schoolId, { ...r, from: new Date(r.from).toISOString() });
    },
    async revocations(schoolId) {
      return q('SELECT account_id AS accountId, from_at AS "from", recorded_at AS recordedAt FROM revocation WHERE school_id = ? ORDER BY recorded_at, account_id').all(schoolId) as Revocation[];
    },
    async putSnapshot(schoolId, s) {
      q(`INSERT INTO snapshot (school_id, server_seq, bytes, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (school_id) DO UPDATE SET server_seq = excluded.server_seq, bytes = excluded.bytes, created_at = excluded.created_at`).run(schoolId, s.serverSeq, s.bytes, s.createdAt);
    },
    async getSnapshot(schoolId) {
      const r = q('SELECT server_seq AS serverSeq, bytes, created_at AS createdAt FROM snapshot WHERE school_id = ?').get(schoolId) as Snapshot | undefined;
      return r;
    },
    async findLogin(loginName) {
      return q('SELECT school_id AS schoolId, account_id AS accountId FROM login WHERE login = ?').get(loginName) as { schoolId: string; accountId: string } | undefined;
    },
    async createSession(s) {
      q('INSERT INTO session (school_id, token_hash, account_id, kind, created_at, expires_at, verifier_tag) VALUES (?, ?, ?, ?, ?, ?, ?)').run(s.schoolId, s.tokenHash, s.accountId, s.kind, s.createdAt, s.expiresAt, s.verifierTag ?? null);
    },
    async session(schoolId, tokenHash) {
      const r = q('SELECT school_id AS schoolId, token_hash AS tokenHash, account_id AS accountId, kind, created_at AS createdAt, expires_at AS expiresAt, verifier_tag AS verifierTag FROM session WHERE school_id = ? AND token_hash = ?')
        .get(schoolId, tokenHash) as (SessionRecord & { kind: SessionKind }) | undefined;
      return r;
    },
    async deleteSession(schoolId, tokenHash) {
      q('DELETE FROM session WHERE school_id = ? AND token_hash = ?').run(schoolId, tokenHash);
    },
    async endSessions(schoolId, accountId, except) {
      return q('DELETE FROM session WHERE school_id = ? AND account_id = ? AND token_hash <> ?').run(schoolId, accountId, except ?? '').changes;
    },
    async purgeSessions(schoolId, now) {
      return q('DELETE FROM session WHERE school_id = ? AND expires_at <= ?').run(schoolId, now).changes;
    },
    async enrollDevice(d) {
      const r = q(`INSERT INTO device (school_id, device_id, token_hash, name, enrolled_by, enrolled_at, last_seen_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(d.schoolId, d.deviceId, d.tokenHash, d.name, d.enrolledBy, d.enrolledAt, d.lastSeenAt, d.revokedAt);
      if (r.changes === 0) throw new StoreError('device_exists', `Компьютер «${d.deviceId}» уже зарегистрирован в этой школе`);
    },
    async device(schoolId, deviceId) {
      const r = q('SELECT * FROM device WHERE school_id = ? AND device_id = ?').get(schoolId, deviceId) as DeviceRow | undefined;
      return r && rowToDevice(r);
    },
    async deviceByToken(schoolId, tokenHash) {
      const r = q('SELECT * FROM device WHERE school_id = ? AND token_hash = ?').get(schoolId, tokenHash) as DeviceRow | undefined;
      return r && rowToDevice(r);
    },
    async devices(schoolId) {
      return (q('SELECT * FROM device WHERE school_id = ? ORDER BY enrolled_at, device_id').all(schoolId) as DeviceRow[]).map(rowToDevice);
    },
    async touchDevice(schoolId, deviceId, at) {
      q('UPDATE device SET last_seen_at = ? WHERE school_id = ? AND device_id = ?').run(at, schoolId, deviceId);
    },
    async revokeDevice(schoolId, deviceId, at) {
      return q('UPDATE device SET revoked_at = ? WHERE school_id = ? AND device_id = ? AND revoked_at IS NULL').run(at, schoolId, deviceId).changes > 0;
    },
    async advanceDeviceOpAt(schoolId, deviceId, at) {
      q('UPDATE device SET last_op_at = ? WHERE school_id = ? AND device_id = ? AND (last_op_at IS NULL OR last_op_at < ?)').run(at, schoolId, deviceId, at);
    },
    async setDeviceAllowed(schoolId, deviceId, allowed) {
      return q('UPDATE device SET allowed = ? WHERE school_id = ? AND device_id = ?').run(allowed === null ? null : JSON.stringify(allowed), schoolId, deviceId).changes > 0;
    },
    async recordSignin(s) {
      q('INSERT INTO signin (school_id, device_id, account_id, at, method, verifier_tag, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(s.schoolId, s.deviceId, s.accountId, s.at, s.method, s.verifierTag, s.recordedAt);
    },
    async lastSignin(schoolId, deviceId, accountId, at) {
      return q(`SELECT ${SIGNIN_COLS} FROM signin WHERE school_id = ? AND device_id = ? AND account_id = ? AND at <= ? ORDER BY at DESC LIMIT 1`)
        .get(schoolId, deviceId, accountId, at) as SigninRecord | undefined;
    },
    async signins(schoolId, f, limit) {
      return q(`SELECT ${SIGNIN_COLS} FROM signin WHERE school_id = ? AND (? IS NULL OR device_id = ?) AND (? IS NULL OR account_id = ?) ORDER BY at DESC, device_id, account_id LIMIT ?`)
        .all(schoolId, f.deviceId ?? null, f.deviceId ?? null, f.accountId ?? null, f.accountId ?? null, limit) as SigninRecord[];
    },
    async recordLogin(e) {
      q('INSERT INTO login_event (school_id, account_id, at, kind, address, outcome) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(e.schoolId, e.accountId, e.at, e.kind, e.address, e.outcome);
    },
    async logins(schoolId, accountId, limit) {
      return q('SELECT school_id AS schoolId, account_id AS accountId, at, kind, address, outcome FROM login_event WHERE school_id = ? AND account_id = ? ORDER BY at DESC LIMIT ?')
        .all(schoolId, accountId, limit) as LoginEventRecord[];
    },
    async signinKey(schoolId, deviceId, accountId) {
      return q('SELECT secret, verifier_tag AS verifierTag FROM signin_key WHERE school_id = ? AND device_id = ? AND account_id = ?').get(schoolId, deviceId, accountId) as { secret: string; verifierTag: string } | undefined;
    },
    async putSigninKey(schoolId, deviceId, accountId, k) {
      q(`INSERT INTO signin_key (school_id, device_id, account_id, secret, verifier_tag, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, device_id, account_id) DO UPDATE SET secret = excluded.secret, verifier_tag = excluded.verifier_tag, created_at = excluded.created_at`)
        .run(schoolId, deviceId, accountId, k.secret, k.verifierTag, k.createdAt);
    },
    async holdOps(rows) {
      const ins = q('INSERT INTO held_op (school_id, device_id, seq, author, kind, hlc, payload, received_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
      return db.transaction(() => rows.reduce((n, r) => n + ins.run(r.schoolId, r.deviceId, r.seq, r.author, r.kind, r.hlc, r.payload, r.receivedAt, r.reason).changes, 0))();
    },
    async heldOps(schoolId, deviceId) {
      return q(`SELECT ${HELD_COLS} FROM held_op WHERE school_id = ? AND device_id = ? ORDER BY seq`).all(schoolId, deviceId) as HeldOpRecord[];
    },
    async ping() {
      q('SELECT 1').get();
    },
    async backup(file) {
      await db.backup(file);
      // Right after the copy's last step, before any other write: the ops the copy holds.
      return { ops: q('SELECT count(*) FROM op').pluck().get() as number };
    },
    async close() {
      cache.clear();
      if (db.open) db.close();
    },
  };
}
