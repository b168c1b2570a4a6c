/**
 * [5/7] Sync on the server (docs/sync.md): push re-validates every op with the same guard the
 * desktop ran (policy + rules, `checkDraft`) against the school's replica, under the school's
 * mutex, then appends it to the store and applies it to the replica (`LockedReplica.write`);
 * pull reads the store in server order. Transport-free: the HTTP routes (http/sync.ts) and the
 * simulation tests call it directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hlcInstant, OpError, type Op } from '../../src-shared/ops/envelope';
import { applyOp } from '../../src-main/journal/apply';
import { staleWrites } from '../../src-main/journal/conflicts';
import { breachFromMs } from '../../src-main/journal/breach';
import { JournalError } from '../../src-main/journal/errors';
import { stateChecksum } from '../../src-main/journal/checksum';
import { checkDraft } from '../../src-main/commands/guard';
import {
  PULL_LIMIT_MAX, PushBodySchema, UPGRADE_REQUIRED, checkVersions, fromWire, toWire, type PullAnswer, type PushAck, type PushAnswer, type Overwrote,
} from '../../src-shared/sync/protocol';
import { DEFAULT_MIGRATIONS, type Journal } from '../../src-main/journal/open';
import type { Schools } from '../schools/registry';
import type { OpLogStore } from '../store/types';

/** Who pushes: a desktop's device token (any author of the school) or a session (its own ops only). */
export type SyncAuth =
  | { kind: 'device'; schoolId: string; deviceId: string }
  | { kind: 'session'; schoolId: string; accountId: string };

export type SyncOutcome<T> = { ok: true; value: T } | { ok: false; code: 'bad_input' | 'unauthenticated' | typeof UPGRADE_REQUIRED; message: string };

/**
 * How far back an op's clock may place it (docs/sync.md, "Clocks"): time windows are judged at the
 * op's HLC — corrected by the device's reported skew — clamped to [receipt − window, receipt].
 */
export const CLOCK_WINDOW_MS = 14 * 86_400_000;
/** A reported clock this far off is a skew worth correcting and logging (below it: network latency). */
const SKEW_NOISE_MS = 60_000;

export interface SyncServiceOptions {
  /** The lower clamp of an op's judged time: receipt − this (default CLOCK_WINDOW_MS). */
  clockWindowMs?: number;
  /** The newest journal schema this server speaks (default: its journal migrations). */
  schema?: number;
  /** Called when a device reports a clock more than a minute off (the HTTP layer logs it). */
  onSkew?: (schoolId: string, device: string, skewMs: number) => void;
}

/** The clock a device reported on its last push: `skewMs` = device clock − server clock. */
export interface DeviceClock { skewMs: number; at: number }

/** The number of journal migrations this build ships: the `schema` its desktops report. */
export function journalSchema(dir = DEFAULT_MIGRATIONS): number {
  return (JSON.parse(readFileSync(join(dir, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
}

type Rejection = { code: string; message: string; requirement?: string; clause?: string };
type Step =
  | { k: number; ack: PushAck }
  | { k: number; accepted: number; overwrote?: Overwrote[] } // seq, server seq read after the commit
  | { k: number; dupInBatch: number };

const forged = (message: string): Rejection => ({ code: 'forged', message });

export class SyncService {
  private readonly checksums = new Map<string, { seq: number; checksum: string }>();
  private readonly clocks = new Map<string, DeviceClock>();
  private readonly clockWindowMs: number;
  readonly schema: number;

  constructor(private readonly schools: Schools, private readonly store: OpLogStore, private readonly o: SyncServiceOptions = {}) {
    this.clockWindowMs = o.clockWindowMs ?? CLOCK_WINDOW_MS;
    this.schema = o.schema ?? journalSchema();
  }

  /** Is a request's (proto, schema) within this server's window? */
  versions(proto: number, schema: number): SyncOutcome<null> {
    const v = checkVersions(proto, schema, this.schema);
    return v.ok ? { ok: true, value: null } : { ok: false, code: UPGRADE_REQUIRED, message: v.message };
  }

  /** The skew a device reported on its last push (in memory: gone after a restart). */
  deviceClock(schoolId: string, device: string): DeviceClock | undefined {
    return this.clocks.get(`${schoolId}\n${device}`);
  }

  async push(auth: SyncAuth, body: unknown, nowMs: number): Promise<SyncOutcome<PushAnswer>> {
    const b = PushBodySchema.safeParse(body);
    if (!b.success) return { ok: false, code: 'bad_input', message: 'Неверный запрос синхронизации: ожидается {proto, schema, device, ops}' };
    const v = this.versions(b.data.proto, b.data.schema);
    if (!v.ok) return v;
    const replica = await this.schools.find(auth.schoolId);
    if (!replica) return { ok: false, code: 'unauthenticated', message: 'Школа не найдена на сервере' };
    const device = b.data.device;
    const raw = b.data.ops;
    const acks: PushAck[] = new Array<PushAck>(raw.length);
    const receivedMs = nowMs;
    // v2 reports the device's clock: remember its skew, and judge its ops' clocks corrected by it.
    let skewMs = 0;
    if (b.data.clock !== undefined) {
      const skew = b.data.clock - receivedMs;
      this.clocks.set(`${auth.schoolId}\n${device}`, { skewMs: skew, at: receivedMs });
      if (Math.abs(skew) > SKEW_NOISE_MS) {
        skewMs = skew;
        this.o.onSkew?.(auth.schoolId, device, skew);
      }
    }
    const judged = { receivedMs, skewMs, windowMs: this.clockWindowMs };

    // Envelope checks need no replica: parse and authenticate every op up front.
    const parsed: (Op | Rejection)[] = raw.map((w) => {
      let op: Op;
      try {
        op = fromWire(w);
      } catch (err) {
        const e = err as OpError;
        return { code: e.code ?? 'bad_envelope', message: e.message };
      }
      if (op.device !== device || op.device.startsWith('srv-')) return forged(`Операция устройства «${op.device}» прислана от имени устройства «${device}»`);
      if (auth.kind === 'device' && op.device !== auth.deviceId) return forged(`Компьютер «${auth.deviceId}» не может присылать операции устройства «${op.device}»`);
      if (auth.kind === 'session' && op.author !== auth.accountId) return forged('Операция другого пользователя: её отправит сам автор, войдя в программу');
      return op;
    });
    const seqOf = (k: number) => {
      const p = parsed[k]!;
      return 'seq' in p ? p.seq : Number((raw[k] as { seq?: unknown } | null)?.seq) || 0;
    };

    const head = await replica.exclusive(async (r) => {
      let last = await this.store.lastSeq(auth.schoolId, device);
      let i = 0;
      while (i < raw.length) {
        const start = i;
        const from = last;
        const run = await r.write((j) => this.step(j, parsed, raw.length, start, from, judged));
        const getSeq = r.journal.stmt('SELECT server_seq FROM op_log WHERE device = ? AND seq = ?').pluck();
        for (const s of run.steps) {
          if ('ack' in s) acks[s.k] = s.ack;
          else if ('accepted' in s) acks[s.k] = { seq: s.accepted, status: 'accepted', serverSeq: getSeq.get(device, s.accepted) as number, ...(s.overwrote ? { overwrote: s.overwrote } : {}) };
          else acks[s.k] = { seq: s.dupInBatch, status: 'duplicate', serverSeq: getSeq.get(device, s.dupInBatch) as number };
        }
        last = run.last;
        if (run.stop) {
          // A permanent refusal of the device's next op: the seq is spent, the queue goes on.
          const { k, seq, why } = run.stop;
          await this.store.skipSeq(auth.schoolId, device, seq);
          last = seq;
          acks[k] = { seq, status: 'rejected', ...why };
          i = k + 1;
        } else i = raw.length;
      }
      return r.serverSeq;
    });
    for (let k = 0; k < acks.length; k++) acks[k] ??= { seq: seqOf(k), status: 'rejected', code: 'internal', message: 'Операция не обработана' };
    return { ok: true, value: { acks, head } };
  }

  /** One replica transaction: ops from `start` until the first permanent refusal (`stop`). */
  private step(j: Journal, parsed: (Op | Rejection)[], n: number, start: number, last: number, t: { receivedMs: number; skewMs: number; windowMs: number }) {
    const steps: Step[] = [];
    let exp = last + 1;
    const inLog = j.stmt('SELECT server_seq AS s FROM op_log WHERE device = ? AND seq = ?');
    const hasAccount = j.stmt('SELECT 1 FROM account WHERE id = ?');
    for (let k = start; k < n; k++) {
      const p = parsed[k]!;
      if (!('seq' in p)) {
        steps.push({ k, ack: { seq: 0, status: 'rejected', ...p } });
        continue;
      }
      const op = p;
      if (op.seq < exp) {
        const row = inLog.get(op.device, op.seq) as { s: number | null } | undefined;
        if (!row) steps.push({ k, ack: { seq: op.seq, status: 'rejected', code: 'rejected_earlier', message: 'Операция уже была отклонена сервером' } });
        else if (row.s === null) steps.push({ k, dupInBatch: op.seq });
        else steps.push({ k, ack: { seq: op.seq, status: 'duplicate', serverSeq: row.s } });
        continue;
      }
      if (op.seq > exp) {
        for (let m = k; m < n; m++) {
          const q = parsed[m]!;
          steps.push({ k: m, ack: 'seq' in q ? { seq: q.seq, status: 'resend_from', from: exp } : { seq: 0, status: 'rejected', ...q } });
        }
        return { steps, last: exp - 1, stop: null };
      }
      const stop = (why: Rejection) => ({ steps, last: exp - 1, stop: { k, seq: op.seq, why } });
      if (!hasAccount.get(op.author)) return stop({ code: 'foreign_author', message: `Автор операции «${op.author}» не зарегистрирован в этой школе`, requirement: 'R-ACCOUNTS' });
      // R-BREACH (п. 10.4): once T has passed on the server's clock nothing of the account is taken,
      // whatever time its (possibly back-dated) HLC claims.
      const breachFrom = breachFromMs(j, op.author);
      if (breachFrom !== undefined && t.receivedMs >= breachFrom) {
        return stop({ code: 'breach', message: 'Пароль этой учётной записи скомпрометирован: её операции с момента сообщения о нарушении недействительны', requirement: 'R-BREACH', clause: 'п. 10.4' });
      }
      const at = judgedAt(op.hlc, t.receivedMs, t.skewMs, t.windowMs);
      const refusal = checkDraft(j, op.author, at, { kind: op.kind, payload: op.payload as never }).find((x) => x.level === 'refuse');
      if (refusal) return stop({ code: refusal.code, message: refusal.message, ...(refusal.requirement ? { requirement: refusal.requirement } : {}), ...(refusal.clause ? { clause: refusal.clause } : {}) });
      const overwrote = staleWrites(j, op); // before the op replaces the values
      j.sqlite.exec('SAVEPOINT sync_op');
      try {
        applyOp(j, op);
        j.sqlite.exec('RELEASE sync_op');
      } catch (err) {
        j.sqlite.exec('ROLLBACK TO sync_op');
        j.sqlite.exec('RELEASE sync_op');
        if (err instanceof JournalError || err instanceof OpError) return stop({ code: err.code, message: err.message });
        throw err;
      }
      steps.push({ k, accepted: op.seq, ...(overwrote.length ? { overwrote } : {}) });
      exp++;
    }
    return { steps, last: exp - 1, stop: null };
  }

  async pull(auth: { schoolId: string }, after: number, limit: number, versions?: { proto: number; schema: number }): Promise<SyncOutcome<PullAnswer>> {
    // v1 pulls carry no versions; v2 pulls are held to the window like pushes.
    if (versions) {
      const v = this.versions(versions.proto, versions.schema);
      if (!v.ok) return v;
    }
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) return { ok: false, code: 'bad_input', message: 'after и limit: целые неотрицательные числа' };
    const replica = await this.schools.find(auth.schoolId);
    if (!replica) return { ok: false, code: 'unauthenticated', message: 'Школа не найдена на сервере' };
    const page = await this.store.readSince(auth.schoolId, after, Math.min(limit, PULL_LIMIT_MAX));
    const school = await this.store.school(auth.schoolId);
    const head = school?.head ?? 0;
    const cursor = page.length ? page[page.length - 1]!.serverSeq : after;
    const answer: PullAnswer = { ops: page.map((o) => ({ s: o.serverSeq, ...toWire(o) })), cursor, head };
    if (cursor === head) {
      const sum = await this.checksumAt(auth.schoolId, head);
      if (sum) answer.checksum = sum;
    }
    return { ok: true, value: answer };
  }

  /** The replica's state checksum at server seq `seq` (cached per seq); undefined if it moved on. */
  private async checksumAt(schoolId: string, seq: number): Promise<string | undefined> {
    const c = this.checksums.get(schoolId);
    if (c && c.seq === seq) return c.checksum;
    const replica = await this.schools.find(schoolId);
    if (!replica) return undefined;
    return replica.exclusive(async (r) => {
      if (r.serverSeq < seq) await r.catchUp();
      if (r.serverSeq !== seq) return undefined;
      const checksum = stateChecksum(r.journal.sqlite);
      this.checksums.set(schoolId, { seq, checksum });
      return checksum;
    });
  }
}

/**
 * The instant an op's time windows are judged at (docs/sync.md, "Clocks"): its HLC, corrected by
 * the device's reported skew, clamped to [receipt − window, receipt] — a clock set to the future
 * cannot open a window early, one set back cannot reach further than the window.
 */
export function judgedAt(hlc: string, receivedMs: number, skewMs: number, windowMs: number): number {
  const own = Date.parse(hlcInstant(hlc)) - skewMs;
  return Math.max(receivedMs - windowMs, Math.min(own, receivedMs));
}
