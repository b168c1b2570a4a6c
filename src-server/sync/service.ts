/**
 * Sync on the server (docs/sync.md, docs/security.md): push re-validates every op with the same
 * guard the desktop ran (policy + rules, `checkDraft`) against the school's replica, under the
 * school's mutex, then appends it to the store and applies it to the replica
 * (`LockedReplica.write`); pull reads the store in server order, with what is private to other
 * computers left out. Only an enrolled computer pushes and pulls (http/sync.ts); an op is taken
 * only from an account allowed on that computer that signed in there, at a time the server judges.
 * Transport-free: the HTTP routes and the simulation tests call it directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatHlc, hlcInstant, OpError, type Op } from '../../src-shared/ops/envelope';
import { applyOp } from '../../src-main/journal/apply-op';
import { staleWrites } from '../../src-main/journal/conflicts';
import { breachFromMs } from '../../src-main/journal/breach';
import { JournalError } from '../../src-main/journal/errors';
import { syncChecksum } from '../../src-main/journal/checksum';
import { checkDraft } from '../../src-main/commands/guard';
import {
  PULL_LIMIT_MAX, PushBodySchema, UPGRADE_REQUIRED, checkVersions, fromWire, toWire, type PullAnswer, type PulledOp, type PushAck, type PushAnswer, type Overwrite,
} from '../../src-shared/sync/protocol';
import { DEFAULT_MIGRATIONS, type Journal } from '../../src-main/journal/open';
import type { Schools } from '../schools/registry';
import type { DeviceRecord, OpLogStore, SigninRecord, StoredOp } from '../store/types';
import { allowedAccounts, allowedOn, recordOfflineSignins, signedInBy } from '../auth/devices';
import { DEFAULT_SYNC_QUOTA, FRESH_MS, SyncQuota, type SyncQuotaOptions } from './quota';

/** Who syncs: an enrolled school computer (its device token). Sessions never push, pull or take a snapshot. */
export interface SyncAuth { kind: 'device'; schoolId: string; deviceId: string }

export type SyncOutcome<T> = { ok: true; value: T } | {
  ok: false; code: 'bad_input' | 'unauthenticated' | 'forbidden' | 'rate_limited' | typeof UPGRADE_REQUIRED; message: string; retryAfter?: number;
};

/**
 * How far before the computer's previous op (as the server judged it) a new op may claim to be
 * made: the slack of a clock that is corrected by less than the skew threshold (docs/security.md).
 */
export const BACKDATE_TOLERANCE_MS = 10 * 60_000;
/** A reported clock this far off is a skew worth correcting and logging (below it: network latency). */
const SKEW_NOISE_MS = 60_000;

export interface SyncServiceOptions {
  /** The newest journal schema this server speaks (default: its journal migrations). */
  schema?: number;
  /** Called when a device reports a clock more than a minute off (the HTTP layer logs it). */
  onSkew?: (schoolId: string, device: string, skewMs: number) => void;
  /** Called when reported offline sign-ins are refused (bad proof, not allowed, future time). */
  onSignins?: (schoolId: string, device: string, refused: { account: string; at: string; why: string }[]) => void;
  quota?: SyncQuotaOptions;
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
  | { k: number; accepted: number; judged: number; hlc?: string; overwrote?: Overwrite[] } // seq, server seq read after the commit
  | { k: number; dupInBatch: number };

/** What the push's checks know about the computer and the moment. */
interface Judging {
  receivedMs: number;
  skewMs: number;
  /** No op may be judged earlier than this (the computer's previous op, or its enrolment, minus the tolerance). */
  floorMs: number;
  device: DeviceRecord;
  signins: Map<string, SigninRecord[]>;
  /** Is the author allowed on the computer: asked once per author and push. */
  allowed: Map<string, boolean>;
}

const forged = (message: string): Rejection => ({ code: 'forged', message });

/**
 * The instant an op is judged at (docs/security.md, "Time"): its HLC corrected by the computer's
 * reported skew (when over a minute), never later than its receipt — a clock set ahead cannot open
 * a window early. `null` when it claims a moment before the computer's previous op as the server
 * saw it (minus the tolerance): a back-dated op.
 */
export function judgedAt(hlc: string, receivedMs: number, skewMs: number, floorMs: number): number | null {
  const own = Date.parse(hlcInstant(hlc)) - skewMs;
  if (own < floorMs) return null;
  return Math.min(own, receivedMs);
}

export class SyncService {
  private readonly checksums = new Map<string, { seq: number; checksum: string }>();
  private readonly clocks = new Map<string, DeviceClock>();
  private readonly quota: SyncQuota;
  readonly schema: number;

  constructor(private readonly schools: Schools, private readonly store: OpLogStore, private readonly o: SyncServiceOptions = {}) {
    this.schema = o.schema ?? journalSchema();
    this.quota = new SyncQuota(o.quota ?? DEFAULT_SYNC_QUOTA);
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
    // The token is bound to one device id: a push under another id (a seq takeover) is refused whole.
    if (b.data.device !== auth.deviceId) return { ok: false, code: 'forbidden', message: `Компьютер «${auth.deviceId}» не может присылать операции устройства «${b.data.device.slice(0, 32)}»` };
    const replica = await this.schools.find(auth.schoolId);
    const dev = await this.store.device(auth.schoolId, auth.deviceId);
    if (!replica || !dev || dev.revokedAt) return { ok: false, code: 'unauthenticated', message: 'Компьютер не зарегистрирован или его токен отозван' };
    const device = auth.deviceId;
    const raw = b.data.ops;
    const acks: PushAck[] = new Array<PushAck>(raw.length);
    const receivedMs = nowMs;
    // v2+ reports the device's clock: remember its skew, and judge its ops' clocks corrected by it.
    let skewMs = 0;
    if (b.data.clock !== undefined) {
      const skew = b.data.clock - receivedMs;
      this.clocks.set(`${auth.schoolId}\n${device}`, { skewMs: skew, at: receivedMs });
      if (Math.abs(skew) > SKEW_NOISE_MS) {
        skewMs = skew;
        this.o.onSkew?.(auth.schoolId, device, skew);
      }
    }
    if (b.data.signins?.length) {
      const r = await recordOfflineSignins(this.store, receivedMs, dev, replica.view, b.data.signins);
      if (r.refused.length) this.o.onSignins?.(auth.schoolId, device, r.refused);
    }

    // Envelope checks need no replica: parse and authenticate every op up front.
    const parsed: (Op | Rejection)[] = raw.map((w) => {
      let op: Op;
      try {
        op = fromWire(w);
      } catch (err) {
        // Only the envelope's own message goes back; anything else stays in the log (it is not the client's business).
        if (err instanceof OpError) return { code: err.code, message: err.message };
        return { code: 'bad_envelope', message: 'Повреждённая операция' };
      }
      if (op.device !== device) return forged(`Компьютер «${device}» не может присылать операции устройства «${op.device}»`);
      return op;
    });
    const seqOf = (k: number) => {
      const p = parsed[k]!;
      return 'seq' in p ? p.seq : Number((raw[k] as { seq?: unknown } | null)?.seq) || 0;
    };

    // Quotas (docs/security.md): the ops this push could add, counted before anything is taken.
    const floorMs = Date.parse(dev.lastOpAt ?? dev.enrolledAt) - BACKDATE_TOLERANCE_MS;
    const need = new Map<string, ['accountFresh' | 'deviceFresh' | 'deviceDaily' | 'pushes', number]>();
    const add = (key: string, name: 'accountFresh' | 'deviceFresh' | 'deviceDaily' | 'pushes', n: number) => need.set(key, [name, (need.get(key)?.[1] ?? 0) + n]);
    add(`push:${auth.schoolId}:${device}`, 'pushes', 1);
    const authors = new Set<string>();
    for (const p of parsed) {
      if (!('seq' in p)) continue;
      authors.add(p.author);
      add(`daily:${auth.schoolId}:${device}`, 'deviceDaily', 1);
      const at = Date.parse(hlcInstant(p.hlc)) - skewMs;
      if (at >= receivedMs - FRESH_MS) {
        add(`fresh:${auth.schoolId}:${device}`, 'deviceFresh', 1);
        add(`fresh:${auth.schoolId}:${p.author}`, 'accountFresh', 1);
      }
    }
    const wait = this.quota.take(need, receivedMs);
    if (wait > 0) return { ok: false, code: 'rate_limited', message: `Слишком много изменений с этого компьютера: повторите через ${Math.ceil(wait / 60)} мин. Ничего из этого пакета не записано`, retryAfter: wait };

    const signins = new Map<string, SigninRecord[]>();
    for (const a of authors) signins.set(a, await this.store.signins(auth.schoolId, { deviceId: device, accountId: a }, 10_000));
    const judging: Judging = { receivedMs, skewMs, floorMs, device: dev, signins, allowed: new Map() };

    let latest = -Infinity;
    const head = await replica.exclusive(async (r) => {
      let last = await this.store.lastSeq(auth.schoolId, device);
      let i = 0;
      while (i < raw.length) {
        const start = i;
        const from = last;
        const run = await r.write((j) => this.step(j, parsed, raw.length, start, from, judging));
        const getSeq = r.journal.stmt('SELECT server_seq FROM op_log WHERE device = ? AND seq = ?').pluck();
        for (const s of run.steps) {
          if ('ack' in s) acks[s.k] = s.ack;
          else if ('accepted' in s) {
            latest = Math.max(latest, s.judged);
            acks[s.k] = { seq: s.accepted, status: 'accepted', serverSeq: getSeq.get(device, s.accepted) as number, ...(s.overwrote ? { overwrote: s.overwrote } : {}), ...(s.hlc ? { hlc: s.hlc } : {}) };
          } else acks[s.k] = { seq: s.dupInBatch, status: 'duplicate', serverSeq: getSeq.get(device, s.dupInBatch) as number };
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
    if (latest > -Infinity) await this.store.advanceDeviceOpAt(auth.schoolId, device, new Date(latest).toISOString());
    for (let k = 0; k < acks.length; k++) acks[k] ??= { seq: seqOf(k), status: 'rejected', code: 'internal', message: 'Операция не обработана' };
    return { ok: true, value: { acks, head } };
  }

  /** One replica transaction: ops from `start` until the first permanent refusal (`stop`). */
  private step(j: Journal, parsed: (Op | Rejection)[], n: number, start: number, last: number, t: Judging) {
    const steps: Step[] = [];
    let exp = last + 1;
    const inLog = j.stmt('SELECT server_seq AS s, hlc FROM op_log WHERE device = ? AND seq = ?');
    const hasAccount = j.stmt('SELECT 1 FROM account WHERE id = ?');
    for (let k = start; k < n; k++) {
      const p = parsed[k]!;
      if (!('seq' in p)) {
        steps.push({ k, ack: { seq: 0, status: 'rejected', ...p } });
        continue;
      }
      let op = p;
      if (op.seq < exp) {
        const row = inLog.get(op.device, op.seq) as { s: number | null; hlc: string } | undefined;
        if (!row) steps.push({ k, ack: { seq: op.seq, status: 'rejected', code: 'rejected_earlier', message: 'Операция уже была отклонена сервером' } });
        else if (row.s === null) steps.push({ k, dupInBatch: op.seq });
        // A resent op whose first answer was lost learns the stamp the server judged it at, too.
        else steps.push({ k, ack: { seq: op.seq, status: 'duplicate', serverSeq: row.s, ...(row.hlc !== op.hlc ? { hlc: row.hlc } : {}) } });
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
      // A computer acts only for accounts allowed on it (never a family) that signed in there.
      let allowed = t.allowed.get(op.author);
      if (allowed === undefined) t.allowed.set(op.author, (allowed = allowedOn(j, t.device, op.author)));
      if (!allowed) {
        return stop({ code: 'not_allowed', message: 'Этой учётной записи не разрешено работать на этом компьютере: изменение не принято', requirement: 'R-ACCOUNTS', clause: 'п. 9.6' });
      }
      const at = judgedAt(op.hlc, t.receivedMs, t.skewMs, t.floorMs);
      if (at === null) {
        return stop({ code: 'backdated', message: `Время изменения (${hlcInstant(op.hlc)}) раньше, чем этот компьютер уже передавал изменения: запись задним числом не принимается (R-DATE, п. 9.5)`, requirement: 'R-DATE', clause: 'п. 9.5' });
      }
      if (!signedInBy(t.signins.get(op.author), at, BACKDATE_TOLERANCE_MS)) {
        return stop({ code: 'signin_required', message: 'Автор изменения не входил в программу на этом компьютере: изменение не принято. Войдите в программу при подключении к серверу', requirement: 'R-ACCOUNTS', clause: 'п. 10.1' });
      }
      const refusal = checkDraft(j, op.author, at, op, { breachChecked: true }).find((x) => x.level === 'refuse');
      if (refusal) return stop({ code: refusal.code, message: refusal.message, ...(refusal.requirement ? { requirement: refusal.requirement } : {}), ...(refusal.clause ? { clause: refusal.clause } : {}) });
      // The log keeps the time the server judged (breach voiding, the history's "when" use it on every replica).
      let rewritten: string | undefined;
      // Off by more than a clock's noise (a minute): the log keeps the judged stamp. Closer than that
      // the op keeps its own (windows were judged at the capped time all the same).
      if (Math.abs(Date.parse(hlcInstant(op.hlc)) - at) > SKEW_NOISE_MS) {
        rewritten = formatHlc(at, parseInt(op.hlc.slice(25), 36));
        op = { ...op, hlc: rewritten };
      }
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
      steps.push({ k, accepted: op.seq, judged: at, ...(rewritten ? { hlc: rewritten } : {}), ...(overwrote.length ? { overwrote } : {}) });
      exp++;
    }
    return { steps, last: exp - 1, stop: null };
  }

  async pull(auth: SyncAuth, after: number, limit: number, versions?: { proto: number; schema: number }): Promise<SyncOutcome<PullAnswer>> {
    // v1 pulls carry no versions; v2+ pulls are held to the window like pushes.
    if (versions) {
      const v = this.versions(versions.proto, versions.schema);
      if (!v.ok) return v;
    }
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) return { ok: false, code: 'bad_input', message: 'after и limit: целые неотрицательные числа' };
    const replica = await this.schools.find(auth.schoolId);
    const dev = await this.store.device(auth.schoolId, auth.deviceId);
    if (!replica || !dev || dev.revokedAt) return { ok: false, code: 'unauthenticated', message: 'Компьютер не зарегистрирован или его токен отозван' };
    const page = await this.store.readSince(auth.schoolId, after, Math.min(limit, PULL_LIMIT_MAX));
    const school = await this.store.school(auth.schoolId);
    const head = school?.head ?? 0;
    const cursor = page.length ? page[page.length - 1]!.serverSeq : after;
    const answer: PullAnswer = { ops: privateShare(replica.view, dev, page), cursor, head };
    // The checksum leaves out what differs between computers by design (verifiers, private
    // messages): only a client that knows that (v3) compares it.
    if (cursor === head && (versions?.proto ?? 1) >= 3) {
      const sum = await this.checksumAt(auth.schoolId, head);
      if (sum) answer.checksum = sum;
    }
    return { ok: true, value: answer };
  }

  /**
   * A computer's share of what the snapshot leaves out (docs/security.md): the password verifiers
   * of the accounts allowed on it and the messages one of them takes part in, as they stand now.
   */
  async privateData(auth: SyncAuth): Promise<SyncOutcome<PrivateData>> {
    const replica = await this.schools.find(auth.schoolId);
    const dev = await this.store.device(auth.schoolId, auth.deviceId);
    if (!replica || !dev || dev.revokedAt) return { ok: false, code: 'unauthenticated', message: 'Компьютер не зарегистрирован или его токен отозван' };
    const j = replica.view;
    const allowed = allowedAccounts(j, dev);
    const verifiers = (j.stmt('SELECT id, verifier FROM account WHERE verifier IS NOT NULL ORDER BY id').all() as { id: string; verifier: string }[])
      .filter((a) => allowed.has(a.id));
    const messages = (j.stmt('SELECT id, from_account AS "from", to_account AS "to", at, body, read_at AS readAt FROM message ORDER BY id').all() as PrivateData['messages'])
      .filter((m) => allowed.has(m.from) || allowed.has(m.to));
    return { ok: true, value: { verifiers, messages } };
  }

  /** The replica's sync checksum at server seq `seq` (cached per seq); undefined if it moved on. */
  private async checksumAt(schoolId: string, seq: number): Promise<string | undefined> {
    const c = this.checksums.get(schoolId);
    if (c && c.seq === seq) return c.checksum;
    const replica = await this.schools.find(schoolId);
    if (!replica) return undefined;
    return replica.exclusive(async (r) => {
      if (r.serverSeq < seq) await r.catchUp();
      if (r.serverSeq !== seq) return undefined;
      const checksum = syncChecksum(r.journal.sqlite);
      this.checksums.set(schoolId, { seq, checksum });
      return checksum;
    });
  }
}

export interface PrivateData {
  verifiers: { id: string; verifier: string }[];
  messages: { id: string; from: string; to: string; at: string; body: string; readAt: string | null }[];
}

/** A password verifier that matches no password: what a computer gets for an account not allowed on it. */
export const WITHHELD_VERIFIER = 'scrypt$withheld';

/**
 * What of a page of the log reaches this computer (R-PRIVACY, 152-ФЗ): the verifier of an account
 * not allowed on it is withheld, a private message none of whose participants works on it (and its
 * read receipt) is left out. Everything else is the school's journal, which a school computer holds.
 */
export function privateShare(j: Journal, dev: Pick<DeviceRecord, 'allowed'>, page: readonly StoredOp[]): PulledOp[] {
  const allowed = allowedAccounts(j, dev);
  const participants = j.stmt('SELECT from_account AS "from", to_account AS "to" FROM message WHERE id = ?');
  const out: PulledOp[] = [];
  for (const o of page) {
    let op: Op = o;
    if (o.kind === 'account.password' || o.kind === 'account.reset') {
      const p = o.payload as { id: string; verifier: string };
      if (!allowed.has(p.id)) op = { ...o, payload: { ...p, verifier: WITHHELD_VERIFIER } as never };
    } else if (o.kind === 'message.send') {
      const p = o.payload as { to: string };
      if (!allowed.has(o.author) && !allowed.has(p.to)) continue;
    } else if (o.kind === 'message.read') {
      const m = participants.get((o.payload as { id: string }).id) as { from: string; to: string } | undefined;
      if (!m || (!allowed.has(m.from) && !allowed.has(m.to))) continue;
    }
    out.push({ s: o.serverSeq, ...toWire(op) });
  }
  return out;
}
