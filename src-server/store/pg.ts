/**
 * The op-log store on PostgreSQL (`DATABASE_URL`). Appends serialize per school on the school's
 * row (`SELECT … FOR UPDATE`), so two server processes never hand out the same server_seq; every
 * statement names its `school_id` (Citus routes it to one shard). Batches use arrays (`unnest`)
 * so an append is a handful of round trips whatever its size.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Op } from '../../src-shared/ops/envelope';
import {
  StoreError, acksOf, isRevokedBy, lastBatchEnd, loginTaken, loginsOf, planAppend,
  type DeviceRecord, type HeldOpRecord, type OpLogStore, type SigninRecord, type LoginEventRecord, type Revocation, type SchoolRecord, type SessionRecord, type Snapshot,
} from './types';
import { rowToDevice, rowToOp } from './sqlite';

const SIGNIN_COLS = 'school_id AS "schoolId", device_id AS "deviceId", account_id AS "accountId", at, method, verifier_tag AS "verifierTag", recorded_at AS "recordedAt"';
const HELD_COLS = 'school_id AS "schoolId", device_id AS "deviceId", seq, author, kind, hlc, payload, received_at AS "receivedAt", reason';

export const PG_MIGRATIONS = fileURLToPath(new URL('../../migrations/server/pg', import.meta.url));

export interface PgStoreOptions {
  url: string;
  /** A schema of its own (tests: one per suite); created when missing. Default `public`. */
  schema?: string;
  poolSize?: number;
}

/** int8 (bigint) as a JS number: server seqs stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

export async function openPgStore(o: PgStoreOptions): Promise<OpLogStore> {
  const schema = o.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Недопустимое имя схемы PostgreSQL «${schema}»`);
  const pool = new pg.Pool({
    connectionString: o.url, max: o.poolSize ?? 10, types,
    ...(schema !== 'public' ? { options: `-c search_path=${schema}` } : {}),
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => { /* an idle client died: the pool replaces it; the next query reports errors */ });
  const client = await pool.connect();
  try {
    // Two servers starting at once must not run the migrations twice.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ejournal-migrate:${schema}`]);
    try {
      if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS, migrationsSchema: schema === 'public' ? 'drizzle' : schema });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`ejournal-migrate:${schema}`]);
    }
  } finally {
    client.release();
  }

  const one = async <T>(text: string | { name: string; text: string }, values: unknown[]): Promise<T | undefined> =>
    (await pool.query(typeof text === 'string' ? { text, values } : { ...text, values })).rows[0] as T | undefined;
  const all = async <T>(text: string, values: unknown[]): Promise<T[]> => (await pool.query(text, values)).rows as T[];
  async function tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
  const SCHOOL = 'SELECT school_id AS "schoolId", name, head, created_at AS "createdAt" FROM school';

  return {
    kind: 'postgres',
    async createSchool(s) {
      const r = await pool.query('INSERT INTO school (school_id, name, head, created_at) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING', [s.schoolId, s.name, s.createdAt]);
      if (r.rowCount === 0) throw new StoreError('school_exists', `Школа «${s.schoolId}» уже зарегистрирована`);
    },
    school: (id) => one<SchoolRecord>(`${SCHOOL} WHERE school_id = $1`, [id]),
    schools: () => all<SchoolRecord>(`${SCHOOL} ORDER BY school_id`, []),
    async append(schoolId, ops: readonly Op[], opts) {
      if (ops.length === 0) return [];
      return tx(async (c) => {
        const s = (await c.query('SELECT head FROM school WHERE school_id = $1 FOR UPDATE', [schoolId])).rows[0] as { head: number } | undefined;
        if (!s) throw new StoreError('unknown_school', `Школа «${schoolId}» не зарегистрирована на сервере`);
        const devices = [...new Set(ops.map((op) => op.device))];
        const lasts = new Map(((await c.query('SELECT device, last_seq FROM op_device WHERE school_id = $1 AND device = ANY($2::text[])', [schoolId, devices])).rows as { device: string; last_seq: number }[])
          .map((r) => [r.device, r.last_seq]));
        const plan = planAppend(schoolId, ops, { head: s.head, expectHead: opts.expectHead, lastSeqOf: (d) => lasts.get(d) ?? 0 });
        if (plan.inserts.length) {
          const col = <T>(f: (x: { op: Op; serverSeq: number }) => T) => plan.inserts.map(f);
          await c.query(`INSERT INTO op (school_id, server_seq, device, seq, author, kind, version, hlc, payload, received_at, batch_end)
            SELECT $1::text, s, d, q, a, k, v, h, p, $10::text, CASE WHEN s = $11::bigint THEN 1 ELSE 0 END
            FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[]) AS t(s, d, q, a, k, v, h, p)`, [
            schoolId, col((x) => x.serverSeq), col((x) => x.op.device), col((x) => x.op.seq), col((x) => x.op.author), col((x) => x.op.kind),
            col((x) => x.op.version), col((x) => x.op.hlc), col((x) => JSON.stringify(x.op.payload)), opts.receivedAt, plan.head,
          ]);
          await c.query(`INSERT INTO op_device (school_id, device, last_seq) SELECT $1::text, * FROM unnest($2::text[], $3::bigint[])
            ON CONFLICT (school_id, device) DO UPDATE SET last_seq = excluded.last_seq`, [schoolId, [...plan.lastSeqs.keys()], [...plan.lastSeqs.values()]]);
          await c.query('UPDATE school SET head = $2 WHERE school_id = $1', [schoolId, plan.head]);
          for (const l of loginsOf(plan.inserts.map((i) => i.op))) {
            const owner = (await c.query('SELECT school_id FROM login WHERE login = $1', [l.login])).rows[0] as { school_id: string } | undefined;
            if (owner && owner.school_id !== schoolId) throw loginTaken(l.login);
            await c.query('DELETE FROM login WHERE school_id = $1 AND account_id = $2', [schoolId, l.accountId]);
            await c.query('INSERT INTO login (login, school_id, account_id) VALUES ($1, $2, $3) ON CONFLICT (login) DO UPDATE SET account_id = excluded.account_id', [l.login, schoolId, l.accountId]);
          }
        }
        const dups = ops.filter((_, k) => plan.seqs[k] === null);
        const stored = new Map<string, number>();
        if (dups.length) {
          const rows = (await c.query('SELECT device, seq, server_seq FROM op WHERE school_id = $1 AND (device, seq) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))',
            [schoolId, dups.map((d) => d.device), dups.map((d) => d.seq)])).rows as { device: string; seq: number; server_seq: number }[];
          for (const r of rows) stored.set(`${r.device}\n${r.seq}`, r.server_seq);
        }
        return acksOf(ops, plan, (device, seq) => stored.get(`${device}\n${seq}`)!);
      });
    },
    async readSince(schoolId, after, limit) {
      const cols = 'server_seq, device, seq, author, kind, version, hlc, payload, received_at, revoked, batch_end';
      let rows = await all<Parameters<typeof rowToOp>[0]>(`SELECT ${cols} FROM op WHERE school_id = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3`, [schoolId, after, Math.max(1, limit)]);
      const cut = lastBatchEnd(rows);
      if (cut >= 0) rows = rows.slice(0, cut + 1);
      else if (rows.length) {
        rows = await all<Parameters<typeof rowToOp>[0]>(`SELECT ${cols} FROM op WHERE school_id = $1 AND server_seq > $2
          AND server_seq <= (SELECT coalesce(min(server_seq), $3) FROM op WHERE school_id = $1 AND server_seq > $2 AND batch_end = 1) ORDER BY server_seq`, [schoolId, after, Number.MAX_SAFE_INTEGER]);
      }
      return rows.map(rowToOp);
    },
    async skipSeq(schoolId, device, seq) {
      const r = seq === 1
        ? await pool.query('INSERT INTO op_device (school_id, device, last_seq) VALUES ($1, $2, 1) ON CONFLICT (school_id, device) DO NOTHING', [schoolId, device])
        : await pool.query('UPDATE op_device SET last_seq = $4 WHERE school_id = $1 AND device = $2 AND last_seq = $3', [schoolId, device, seq - 1, seq]);
      return (r.rowCount ?? 0) > 0;
    },
    async lastSeq(schoolId, device) {
      return (await one<{ last_seq: number }>('SELECT last_seq FROM op_device WHERE school_id = $1 AND device = $2', [schoolId, device]))?.last_seq ?? 0;
    },
    async revoke(schoolId, r0) {
      const r: Revocation = { ...r0, from: new Date(r0.from).toISOString() };
      return tx(async (c) => {
        await c.query('INSERT INTO revocation (school_id, account_id, from_at, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [schoolId, r.accountId, r.from, r.recordedAt]);
        const rows = (await c.query('SELECT server_seq AS "serverSeq", author, hlc, received_at AS "receivedAt" FROM op WHERE school_id = $1 AND author = $2 AND revoked = 0 ORDER BY server_seq',
          [schoolId, r.accountId])).rows as { serverSeq: number; author: string; hlc: string; receivedAt: string }[];
        const marked = rows.filter((o) => isRevokedBy(o, r)).map((o) => o.serverSeq);
        if (marked.length) await c.query('UPDATE op SET revoked = 1 WHERE school_id = $1 AND server_seq = ANY($2::bigint[])', [schoolId, marked]);
        return marked;
      });
    },
    revocations: (schoolId) => all<Revocation>('SELECT account_id AS "accountId", from_at AS "from", recorded_at AS "recordedAt" FROM revocation WHERE school_id = $1 ORDER BY recorded_at, account_id', [schoolId]),
    async putSnapshot(schoolId, s) {
      await pool.query(`INSERT INTO snapshot (school_id, server_seq, bytes, created_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (school_id) DO UPDATE SET server_seq = excluded.server_seq, bytes = excluded.bytes, created_at = excluded.created_at`, [schoolId, s.serverSeq, s.bytes, s.createdAt]);
    },
    getSnapshot: (schoolId) => one<Snapshot>('SELECT server_seq AS "serverSeq", bytes, created_at AS "createdAt" FROM snapshot WHERE school_id = $1', [schoolId]),
    findLogin: (login) => one<{ schoolId: string; accountId: string }>('SELECT school_id AS "schoolId", account_id AS "accountId" FROM login WHERE login = $1', [login]),
    async createSession(s) {
      await pool.query('INSERT INTO session (school_id, token_hash, account_id, kind, created_at, expires_at, verifier_tag) VALUES ($1, $2, $3, $4, $5, $6, $7)', [s.schoolId, s.tokenHash, s.accountId, s.kind, s.createdAt, s.expiresAt, s.verifierTag ?? null]);
    },
    session: (schoolId, tokenHash) => one<SessionRecord>({
      name: 'ej_session2', text: 'SELECT school_id AS "schoolId", token_hash AS "tokenHash", account_id AS "accountId", kind, created_at AS "createdAt", expires_at AS "expiresAt", verifier_tag AS "verifierTag" FROM session WHERE school_id = $1 AND token_hash = $2',
    }, [schoolId, tokenHash]),
    async deleteSession(schoolId, tokenHash) {
      await pool.query('DELETE FROM session WHERE school_id = $1 AND token_hash = $2', [schoolId, tokenHash]);
    },
    async endSessions(schoolId, accountId, except) {
      return (await pool.query('DELETE FROM session WHERE school_id = $1 AND account_id = $2 AND token_hash <> $3', [schoolId, accountId, except ?? ''])).rowCount ?? 0;
    },
    async purgeSessions(schoolId, now) {
      return (await pool.query('DELETE FROM session WHERE school_id = $1 AND expires_at <= $2', [schoolId, now])).rowCount ?? 0;
    },
    async enrollDevice(d: DeviceRecord) {
      const r = await pool.query(`INSERT INTO device (school_id, device_id, token_hash, name, enrolled_by, enrolled_at, last_seen_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [d.schoolId, d.deviceId, d.tokenHash, d.name, d.enrolledBy, d.enrolledAt, d.lastSeenAt, d.revokedAt]);
      if (r.rowCount === 0) throw new StoreError('device_exists', `Компьютер «${d.deviceId}» уже зарегистрирован в этой школе`);
    },
    async device(schoolId, deviceId) {
      const r = await one<Parameters<typeof rowToDevice>[0]>('SELECT * FROM device WHERE school_id = $1 AND device_id = $2', [schoolId, deviceId]);
      return r && rowToDevice(r);
    },
    async deviceByToken(schoolId, tokenHash) {
      const r = await one<Parameters<typeof rowToDevice>[0]>('SELECT * FROM device WHERE school_id = $1 AND token_hash = $2', [schoolId, tokenHash]);
      return r && rowToDevice(r);
    },
    async devices(schoolId) {
      return (await all<Parameters<typeof rowToDevice>[0]>('SELECT * FROM device WHERE school_id = $1 ORDER BY enrolled_at, device_id', [schoolId])).map(rowToDevice);
    },
    async touchDevice(schoolId, deviceId, at) {
      await pool.query('UPDATE device SET last_seen_at = $3 WHERE school_id = $1 AND device_id = $2', [schoolId, deviceId, at]);
    },
    async revokeDevice(schoolId, deviceId, at) {
      return ((await pool.query('UPDATE device SET revoked_at = $3 WHERE school_id = $1 AND device_id = $2 AND revoked_at IS NULL', [schoolId, deviceId, at])).rowCount ?? 0) > 0;
    },
    async advanceDeviceOpAt(schoolId, deviceId, at) {
      await pool.query('UPDATE device SET last_op_at = $3 WHERE school_id = $1 AND device_id = $2 AND (last_op_at IS NULL OR last_op_at < $3)', [schoolId, deviceId, at]);
    },
    async setDeviceAllowed(schoolId, deviceId, allowed) {
      return ((await pool.query('UPDATE device SET allowed = $3 WHERE school_id = $1 AND device_id = $2', [schoolId, deviceId, allowed === null ? null : JSON.stringify(allowed)])).rowCount ?? 0) > 0;
    },
    async recordSignin(s) {
      await pool.query('INSERT INTO signin (school_id, device_id, account_id, at, method, verifier_tag, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING',
        [s.schoolId, s.deviceId, s.accountId, s.at, s.method, s.verifierTag, s.recordedAt]);
    },
    lastSignin: (schoolId, deviceId, accountId, at) => one<SigninRecord>(
      `SELECT ${SIGNIN_COLS} FROM signin WHERE school_id = $1 AND device_id = $2 AND account_id = $3 AND at <= $4 ORDER BY at DESC LIMIT 1`, [schoolId, deviceId, accountId, at]),
    signins: (schoolId, f, limit) => all<SigninRecord>(
      `SELECT ${SIGNIN_COLS} FROM signin WHERE school_id = $1 AND ($2::text IS NULL OR device_id = $2) AND ($3::text IS NULL OR account_id = $3) ORDER BY at DESC, device_id, account_id LIMIT $4`,
      [schoolId, f.deviceId ?? null, f.accountId ?? null, limit]),
    async recordLogin(e) {
      await pool.query('INSERT INTO login_event (school_id, account_id, at, kind, address, outcome) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
        [e.schoolId, e.accountId, e.at, e.kind, e.address, e.outcome]);
    },
    logins: (schoolId, accountId, limit) => all<LoginEventRecord>(
      'SELECT school_id AS "schoolId", account_id AS "accountId", at, kind, address, outcome FROM login_event WHERE school_id = $1 AND account_id = $2 ORDER BY at DESC LIMIT $3',
      [schoolId, accountId, limit]),
    signinKey: (schoolId, deviceId, accountId) => one<{ secret: string; verifierTag: string }>(
      'SELECT secret, verifier_tag AS "verifierTag" FROM signin_key WHERE school_id = $1 AND device_id = $2 AND account_id = $3', [schoolId, deviceId, accountId]),
    async putSigninKey(schoolId, deviceId, accountId, k) {
      await pool.query(`INSERT INTO signin_key (school_id, device_id, account_id, secret, verifier_tag, created_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (school_id, device_id, account_id) DO UPDATE SET secret = excluded.secret, verifier_tag = excluded.verifier_tag, created_at = excluded.created_at`,
      [schoolId, deviceId, accountId, k.secret, k.verifierTag, k.createdAt]);
    },
    async holdOps(rows) {
      if (!rows.length) return 0;
      const r = await pool.query(`INSERT INTO held_op (school_id, device_id, seq, author, kind, hlc, payload, received_at, reason)
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) ON CONFLICT DO NOTHING`,
      [rows.map((x) => x.schoolId), rows.map((x) => x.deviceId), rows.map((x) => x.seq), rows.map((x) => x.author), rows.map((x) => x.kind), rows.map((x) => x.hlc),
        rows.map((x) => x.payload), rows.map((x) => x.receivedAt), rows.map((x) => x.reason)]);
      return r.rowCount ?? 0;
    },
    heldOps: (schoolId, deviceId) => all<HeldOpRecord>(`SELECT ${HELD_COLS} FROM held_op WHERE school_id = $1 AND device_id = $2 ORDER BY seq`, [schoolId, deviceId]),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
