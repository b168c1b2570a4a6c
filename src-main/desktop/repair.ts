/**
 * Repair of a damaged journal on a school computer, from the server (electron-free; the network,
 * the clock and the snapshot download are injected like the desktop's sync).
 *
 * A journal is damaged when SQLite says so: `quick_check` fails, or opening or reading it gives
 * SQLITE_CORRUPT / SQLITE_NOTADB (an encrypted journal fails on any flipped byte of a page: the
 * page's HMAC). The school's data is on the server; what only this computer has is its own ops
 * the server has not got yet. So:
 *   1. the damaged file is read, read-only, for what can be read of those ops: this device's ops
 *      above the last seq the server has of it, one indexed look-up each, each validated again;
 *   2. a fresh journal with the same device id (and key) is bootstrapped from the school's snapshot
 *      by the ordinary sync (`syncOnce` with `snapshot`: bootstrap.ts, then a pull to the head);
 *   3. the salvaged ops go back into its log and outbox — with their seqs; after an op that could
 *      not be read the following ones take the next free seqs, since the server takes a device's
 *      ops only gap-free — and the state is re-folded with them pending, as a sync does;
 *   4. the new file replaces the damaged one (`<file>.damaged-<time>`, with its -wal and -shm).
 * The next push sends the salvaged ops. Ops that could not be read are listed in the report (and
 * in meta `repair.lost`), never dropped silently, and then the damaged file is kept; when every
 * op was salvaged it is removed (it holds personal data). Nothing changes until the new journal is
 * complete and on disk; a kill between the two renames is finished by `finishInterruptedRepair`.
 */
import { fsyncPath } from '../journal/fsync-dir';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { parseOp, type Op } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { OpKind } from '../../src-shared/ops/kinds';
import type { Clock } from '../commands/execute';
import { applyJournalKey, type JournalKey } from '../journal/cipher';
import { insertLogged } from '../journal/log';
import { registerLogFunctions } from '../journal/op-rows';
import { openJournal, type Journal } from '../journal/open';
import type { MetaKey } from '../journal/meta-keys';
import { addToOutbox } from '../journal/outbox';
import { refoldState } from '../journal/refold';
import type { SnapshotClientOptions } from '../sync/bootstrap';
import { syncOnce, type SyncFetch } from '../sync/client';

export interface RepairOptions {
  /** The journal file. */
  file: string;
  /** The server's base URL (`https://school.example/`) and this computer's device token. */
  server: string;
  token: string;
  fetch: SyncFetch;
  clock: Clock;
  /** The device id this computer is enrolled as (device.json): checked against the file's, used when the file's is unreadable. */
  deviceId?: string;
  /** The journal's key (an encrypted journal): the damaged file is read with it, the new one made with it. */
  key?: JournalKey;
  migrationsDir?: string;
  /** Snapshot download options (default: node:http/https). */
  snapshot?: SnapshotClientOptions;
}

/** An own op that could not be read back from the damaged file. */
export interface LostOp { seq: number; reason: string }

export interface RepairReport {
  file: string;
  /** What SQLite found wrong with the file. */
  damage: string;
  /** Where the damaged file was kept; null when every own op was salvaged and it was removed. */
  damaged: string | null;
  device: string;
  /** The server seq of the snapshot the new journal started from (none: pulled from 0). */
  snapshotSeq?: number;
  /** The last seq of this device the server has: own ops above it were salvaged (or lost). */
  serverLastSeq: number;
  /** Own ops put back into the outbox. */
  salvaged: number;
  /** Salvaged ops that took another seq (after a lost one). */
  renumbered: { from: number; to: number }[];
  lost: LostOp[];
  /** Salvaged ops that do not apply to the school's state now: pending all the same, the server decides. */
  notApplying: number;
  /** What could not be known at all (e.g. the op counter unreadable). */
  problems: string[];
  ms: number;
}

export class RepairError extends Error {
  constructor(readonly code: 'not_damaged' | 'no_device' | 'other_device' | 'server', message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'RepairError';
  }
}

const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const isDamage = (err: unknown) => {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return DAMAGE_CODES.has(code) || code.startsWith('SQLITE_CORRUPT_');
};

function openRaw(file: string, key: JournalKey | undefined): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (key !== undefined) applyJournalKey(db, key);
    registerLogFunctions(db); // the op_log view and the HLC/payload decoders
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * What is wrong with a journal file, by SQLite (read-only: nothing is written): null when sound,
 * else a description. Errors that are not damage (a locked file, a wrong key) are thrown.
 */
export function journalDamage(file: string, key?: JournalKey): string | null {
  let db: Database.Database | undefined;
  try {
    db = openRaw(file, key);
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    if (!(rows.length === 1 && rows[0]!.quick_check === 'ok')) return `quick_check: ${rows.map((r) => r.quick_check).join('; ')}`.slice(0, 500);
    db.prepare("SELECT value FROM meta WHERE key = 'device'").get();
    return null;
  } catch (err) {
    if (isDamage(err)) return `${(err as { code?: string }).code}: ${(err as Error).message}`;
    throw err;
  } finally {
    db?.close();
  }
}

// ── reading what can be read ─────────────────────────────────────────────────
interface DamagedMeta {
  device?: string;
  schoolId?: string;
  nextSeq?: number;
  nextId?: number;
  hlc?: string;
  /** What this computer keeps for the people who work on it, carried into the new journal as is. */
  carried: Map<MetaKey, string>;
  problems: string[];
}

/**
 * Meta that belongs to this computer, not to the school's state, kept across a repair: refused and
 * overwritten notices, sign-ins not yet sent (the server takes an account's ops only after its
 * sign-in here) and the accounts' wrapped keys for offline sign-ins, the CLI's device token.
 */
const CARRIED: readonly MetaKey[] = ['sync.rejected', 'sync.overwritten', 'sync.signins', 'sync.device_token', 'sync.repairs'];
const CARRIED_PREFIX = 'signin.key.';

function readMeta(db: Database.Database): DamagedMeta {
  const out: DamagedMeta = { carried: new Map(), problems: [] };
  let one: Database.Statement;
  try {
    one = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  } catch (err) {
    // The schema itself is unreadable: nothing of meta can be read (the device id comes from the enrolment).
    out.problems.push(`meta не читается: ${(err as Error).message}`);
    return out;
  }
  const get = (key: string): string | undefined => {
    try {
      return one.get(key) as string | undefined;
    } catch (err) {
      out.problems.push(`meta «${key}» не читается: ${(err as Error).message}`);
      return undefined;
    }
  };
  const num = (v: string | undefined) => (v !== undefined && Number.isSafeInteger(Number(v)) ? Number(v) : undefined);
  const device = get('device');
  if (device) out.device = device;
  const school = get('school_id');
  if (school) out.schoolId = school;
  const nextSeq = num(get('next_seq'));
  if (nextSeq !== undefined) out.nextSeq = nextSeq;
  const nextId = num(get('next_id'));
  if (nextId !== undefined) out.nextId = nextId;
  const hlc = get('hlc');
  if (hlc) out.hlc = hlc;
  for (const k of CARRIED) {
    const v = get(k);
    if (v !== undefined) out.carried.set(k, v);
  }
  try {
    const rows = db.prepare('SELECT key, value FROM meta WHERE key >= ? AND key < ?').all(CARRIED_PREFIX, `${CARRIED_PREFIX}\uffff`) as { key: string; value: string }[];
    for (const r of rows) out.carried.set(r.key as MetaKey, r.value); // signin.key.<account>
  } catch (err) {
    out.problems.push(`ключи входа на этом компьютере не читаются: ${(err as Error).message}`);
  }
  return out;
}

/** The highest own seq any readable source knows of (counter, outbox, the log's index). */
function lastOwnSeq(db: Database.Database, device: string, meta: DamagedMeta): number | undefined {
  const known: number[] = [];
  if (meta.nextSeq !== undefined) known.push(meta.nextSeq - 1);
  const tries: [string, () => unknown][] = [
    ['outbox', () => db.prepare('SELECT max(last) FROM outbox_range').pluck().get()],
    ['op_record', () => db.prepare('SELECT max(r.seq) FROM op_record r WHERE r.device = (SELECT id FROM op_name WHERE name = ?)').pluck().get(device)],
  ];
  for (const [what, read] of tries) {
    try {
      const v = read();
      if (typeof v === 'number') known.push(v);
    } catch (err) {
      meta.problems.push(`${what} не читается: ${(err as Error).message}`);
    }
  }
  return known.length ? Math.max(...known) : undefined;
}

/** This device's ops with seq in (after, last], each read on its own: one unreadable page loses only its ops. */
function salvageOwn(db: Database.Database, device: string, after: number, last: number): { ops: Op[]; lost: LostOp[] } {
  const ops: Op[] = [];
  const lost: LostOp[] = [];
  let code: number | undefined;
  try {
    code = db.prepare('SELECT id FROM op_name WHERE name = ?').pluck().get(device) as number | undefined;
  } catch (err) {
    for (let s = after + 1; s <= last; s++) lost.push({ seq: s, reason: `коды устройств не читаются: ${(err as Error).message}` });
    return { ops, lost };
  }
  const row = db.prepare(`SELECT r.seq, (SELECT name FROM op_name WHERE id = r.author) AS author, (SELECT name FROM op_name WHERE id = r.kind) AS kind, r.version,
    op_hlc(r.hlc, r.hlc_c) AS hlc,
    CASE WHEN r.payload IS NOT NULL THEN r.payload ELSE (SELECT op_block_payload(r.pos, b.first_pos, b.last_pos, b.data)
      FROM op_block b WHERE b.first_pos <= r.pos ORDER BY b.first_pos DESC LIMIT 1) END AS payload
    FROM op_record r WHERE r.device = ? AND r.seq = ?`);
  for (let seq = after + 1; seq <= last; seq++) {
    if (code === undefined) {
      lost.push({ seq, reason: 'нет в журнале операций' });
      continue;
    }
    let r: { seq: number; author: string | null; kind: string | null; version: number; hlc: string; payload: string | null } | undefined;
    try {
      r = row.get(code, seq) as typeof r;
    } catch (err) {
      lost.push({ seq, reason: `не читается: ${(err as Error).message}` });
      continue;
    }
    if (!r) {
      lost.push({ seq, reason: 'нет в журнале операций' });
      continue;
    }
    try {
      if (r.author === null || r.kind === null || r.payload === null) throw new Error('часть записи не читается');
      // As logged: an op made under older input rules is still this computer's; the server judges it on the push.
      ops.push(parseOp({ device, seq, author: r.author, kind: r.kind, version: r.version, hlc: r.hlc, payload: decodePayload(r.kind as OpKind, r.payload) }, 'logged'));
    } catch (err) {
      lost.push({ seq, reason: `повреждена: ${(err as Error).message}`.slice(0, 300) });
    }
  }
  return { ops, lost };
}

// ── files ────────────────────────────────────────────────────────────────────
const COMPANIONS = ['-wal', '-shm', '-journal'];

function removeDb(file: string): void {
  for (const f of [file, ...COMPANIONS.map((c) => `${file}${c}`), `${file}.snapshot.part`, `${file}.snapshot.part.json`, `${file}.snapshot.sqlite`]) rmSync(f, { force: true });
}


/** Renames a database and its companions (a stale -wal must never meet the file that replaces it). */
function moveDb(from: string, to: string): void {
  renameSync(from, to);
  for (const c of COMPANIONS) if (existsSync(`${from}${c}`)) renameSync(`${from}${c}`, `${to}${c}`);
}

interface Marker { tmp: string; aside: string }
const markerOf = (file: string) => `${file}.repair.json`;
const tmpOf = (file: string) => `${file}.repair`;

/** Swaps the finished new journal in: damaged → aside, new → file. Idempotent (a kill in the middle is finished by running it again). */
function swapIn(file: string, m: Marker): void {
  if (existsSync(m.tmp)) {
    if (existsSync(file)) moveDb(file, m.aside);
    renameSync(m.tmp, file);
    fsyncPath(dirname(file));
  }
  rmSync(markerOf(file), { force: true });
  fsyncPath(dirname(file));
}

/**
 * A repair that a kill cut short: the new journal was complete (its marker written) but not yet
 * in place — it is put in place now. A repair that had not finished its new journal leaves only
 * temp files, removed here. Call before opening the journal.
 */
export function finishInterruptedRepair(file: string): 'finished' | 'none' {
  const markerFile = markerOf(file);
  if (existsSync(markerFile)) {
    let m: Marker | undefined;
    try {
      m = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
    } catch {
      m = undefined;
    }
    if (m && m.tmp === tmpOf(file)) {
      swapIn(file, m);
      return 'finished';
    }
    rmSync(markerFile, { force: true });
  }
  if (existsSync(tmpOf(file))) removeDb(tmpOf(file));
  return 'none';
}

/** The largest `<device>-<base36>` id counter a payload mentions (ids made on this computer). */
function maxOwnId(device: string, payload: unknown): number {
  const re = new RegExp(`"${device.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}-([0-9a-z]+)"`, 'g');
  let max = 0;
  for (const m of JSON.stringify(payload).matchAll(re)) max = Math.max(max, parseInt(m[1]!, 36));
  return max;
}

// ── the repair ───────────────────────────────────────────────────────────────
/**
 * Repairs a damaged journal from the server (see the file's comment). Throws `RepairError` — and
 * changes nothing — when the file is sound, the device is unknown or another, or the school's data
 * cannot be fetched.
 */
export async function repairJournal(o: RepairOptions): Promise<RepairReport> {
  const t0 = performance.now();
  finishInterruptedRepair(o.file);
  const damage = journalDamage(o.file, o.key);
  if (!damage) throw new RepairError('not_damaged', 'Журнал этого компьютера не повреждён: восстанавливать нечего');

  const db = openRaw(o.file, o.key);
  let meta: DamagedMeta;
  try {
    meta = readMeta(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const device = meta.device ?? o.deviceId;
  try {
    if (!device) throw new RepairError('no_device', 'Идентификатор этого компьютера не читается из журнала и не передан: восстановление невозможно');
    if (o.deviceId && meta.device && o.deviceId !== meta.device) {
      throw new RepairError('other_device', `Журнал принадлежит компьютеру «${meta.device}», а этот компьютер подключён к школе как «${o.deviceId}»: восстановление остановлено`);
    }
  } catch (err) {
    db.close();
    throw err;
  }

  const tmp = tmpOf(o.file);
  removeDb(tmp);
  let fresh: Journal | undefined;
  try {
    // The school's state, as a new computer with this device id gets it.
    fresh = openJournal(tmp, { create: true, device, ...(o.key !== undefined ? { key: o.key } : {}), ...(o.migrationsDir ? { migrationsDir: o.migrationsDir } : {}) });
    if (meta.schoolId) fresh.setMeta('school_id', meta.schoolId); // a snapshot of another school is refused
    const boot = await syncOnce({ journal: fresh, server: o.server, token: o.token, fetch: o.fetch, clock: o.clock, snapshot: o.snapshot ?? {} });
    if (!boot.ok || boot.error) throw new RepairError('server', `Не удалось получить данные школы с сервера: ${boot.error ?? 'синхронизация не выполнена'}`);
    // next_seq moved past the device's last seq on the server (X-Device-Last-Seq) and its own ops pulled back.
    const ownOnServer = fresh.stmt('SELECT coalesce(max(seq), 0) FROM op_log WHERE device = ?').pluck().get(device) as number;
    const serverLastSeq = Math.max(Number(fresh.meta('next_seq') ?? '1') - 1, ownOnServer);

    // What this computer had not sent: own ops above the server's last seq.
    const problems = [...meta.problems];
    const last = lastOwnSeq(db, device, meta);
    let salvage: { ops: Op[]; lost: LostOp[] } = { ops: [], lost: [] };
    if (last === undefined) problems.push('неизвестно, сколько операций этого компьютера не отправлено: счётчик операций, очередь и журнал операций не читаются');
    else if (last > serverLastSeq) salvage = salvageOwn(db, device, serverLastSeq, last);
    db.close();

    // Back into the log and the outbox, gap-free from the server's last seq; the state re-folded with them pending.
    const renumbered: { from: number; to: number }[] = [];
    let next = serverLastSeq + 1;
    const ops = salvage.ops.map((op) => {
      const seq = next++;
      if (seq !== op.seq) renumbered.push({ from: op.seq, to: seq });
      return { ...op, seq };
    });
    let notApplying = 0;
    const j = fresh;
    const at = new Date(o.clock.now()).toISOString();
    j.sqlite.pragma('foreign_keys = OFF');
    try {
      j.sqlite.transaction(() => {
        for (const op of ops) {
          insertLogged(j, op);
          addToOutbox(j, op.seq);
        }
        const hlc = [j.meta('hlc') ?? '', meta.hlc ?? '', ...ops.map((op) => op.hlc)].reduce((a, b) => (b > a ? b : a), '');
        if (hlc) j.setMeta('hlc', hlc);
        j.setMeta('next_seq', String(Math.max(Number(j.meta('next_seq') ?? '1'), next)));
        const ids = Math.max(Number(j.meta('next_id') ?? '1'), meta.nextId ?? 1, ...ops.map((op) => maxOwnId(device, op.payload) + 1));
        j.setMeta('next_id', String(ids));
        for (const [k, v] of meta.carried) j.setMeta(k, v);
        j.setMeta('repair.at', at);
        j.setMeta('repair.damage', damage);
        if (salvage.lost.length) j.setMeta('repair.lost', JSON.stringify(salvage.lost));
        if (ops.length) refoldState(j, { canonical: true, onSkipped: () => { notApplying++; } });
      })();
    } finally {
      j.sqlite.pragma('foreign_keys = ON');
    }
    j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    j.close();
    fresh = undefined;
    fsyncPath(tmp);

    // The swap: a marker first (a kill after it is finished by finishInterruptedRepair), then two renames.
    const stamp = at.replace(/[:.]/g, '-');
    let aside = `${o.file}.damaged-${stamp}`;
    for (let k = 1; existsSync(aside); k++) aside = `${o.file}.damaged-${stamp}-${k}`;
    const marker: Marker = { tmp, aside };
    writeFileSync(`${markerOf(o.file)}.tmp`, JSON.stringify(marker), { mode: 0o600 });
    fsyncPath(`${markerOf(o.file)}.tmp`);
    renameSync(`${markerOf(o.file)}.tmp`, markerOf(o.file));
    fsyncPath(dirname(o.file));
    swapIn(o.file, marker);

    const keep = salvage.lost.length > 0 || problems.length > 0;
    if (!keep) for (const f of [aside, ...COMPANIONS.map((c) => `${aside}${c}`)]) rmSync(f, { force: true });
    return {
      file: o.file, damage, damaged: keep ? aside : null, device, ...(boot.snapshotSeq !== undefined ? { snapshotSeq: boot.snapshotSeq } : {}),
      serverLastSeq, salvaged: ops.length, renumbered, lost: salvage.lost, notApplying, problems, ms: Math.round(performance.now() - t0),
    };
  } catch (err) {
    if (db.open) db.close();
    fresh?.close();
    removeDb(tmp);
    throw err;
  }
}
