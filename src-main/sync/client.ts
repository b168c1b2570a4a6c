/**
 * The desktop's side of sync (docs/sync.md): push the outbox in chunks, pull pages in server
 * order and fold them in — fast path when the incoming foreign ops do not meet the scopes of the
 * ops still ahead of the cursor, otherwise a rebase (re-fold in canonical order). The transport
 * (`fetch`-like) and the clock are injected; status goes to `meta['sync.*']`.
 *
 * Protocol v2 (docs/sync.md): push bodies are gzipped, answers are asked for gzipped and decoded
 * here; `bytesSent`/`bytesReceived` count what is on the wire (see `SyncReport`). Pulled ops of
 * kinds this build does not know are kept pending in `meta['sync.unknown']` and applied in
 * canonical order once an upgraded program knows them.
 */
import { gzipSync } from 'node:zlib';
import { OpError, type Op } from '../../src-shared/ops/envelope';
import { isOpKind, scopeOf } from '../../src-shared/ops/kinds';
import {
  NOT_FINAL, PROTO, PUSH_DECODED_LIMIT, PUSH_LIMIT, fromWire, toWire, type PulledOp, type PullAnswer, type PushAck, type PushAnswer, type WireOp, type Overwrite,
} from '../../src-shared/sync/protocol';
import type { Journal } from '../journal/open';
import type { MetaKey } from '../journal/meta-keys';
import { applyOp } from '../journal/apply-op';
import { insertLogged, readLog } from '../journal/log';
import { refoldState } from '../journal/refold';
import { syncChecksum, stateTables } from '../journal/checksum';
import { advanceBase, baseSeq } from '../journal/base';
import type { Clock } from '../commands/execute';
import { decodeBody } from './content-encoding';
import { dropSignins, pendingSignins, rewriteHlc, writePrivate } from './signin';
import { fetchAndInstall, isFresh, SnapshotUnavailable, type SnapshotClientOptions, type SnapshotContext } from './bootstrap';
import { outboxCount, outboxSeqs, removeFromOutbox } from '../journal/outbox';

export interface SyncResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** The body as text (decoded by the transport, if it decodes). */
  text(): Promise<string>;
  /**
   * The body exactly as it came over the wire, still content-encoded: the client decodes it and
   * counts these bytes. `transport.ts` (`httpFetch`) provides it; a transport without it (`fetch`,
   * Electron's `net.fetch` decompress transparently) is counted by Content-Length, or the text.
   */
  wireBytes?(): Promise<Uint8Array>;
}
/** `body` is a gzipped JSON push (`content-encoding: gzip`) or, for other callers, a string. */
export type SyncFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array }) => Promise<SyncResponse>;

export interface SyncOptions {
  journal: Journal;
  /** Base URL of the server, e.g. `https://school.example/`. */
  server: string;
  /** A device token (`d.<school>.<secret>`) or a bearer session token. */
  token: string;
  fetch: SyncFetch;
  clock: Clock;
  pullLimit?: number;
  /** Max bytes of one push request on the wire, compressed (≤ 64 KB). */
  chunkBytes?: number;
  /**
   * Which op kinds this program can apply (default: `isOpKind` of this build). Tests inject an
   * older or newer registry to play a program that does not know a kind yet, then "upgrade".
   */
  knowsKind?: (kind: string) => boolean;
  /**
   * Snapshots (bootstrap.ts): a fresh journal starts from the school's snapshot instead of
   * pulling the whole log, and a checksum mismatch repairs itself from one. Absent: pull from 0,
   * a mismatch is only reported.
   */
  snapshot?: SnapshotClientOptions;
  /**
   * Move the re-fold base forward (journal/base.ts) at a quiet point — pulled to the head, nothing
   * pending, the checksum equal to the server's — once the cursor is this many ops past the base
   * (default `BASE_EVERY`; 0: never). A rebase then re-folds only the ops since the base.
   */
  baseEvery?: number;
}

/** Default of `SyncOptions.baseEvery`: a rebase folds ≤ this many confirmed ops (plus the round's). */
export const BASE_EVERY = 5000;

export interface SyncReport {
  ok: boolean;
  pushed: number;
  pulled: number;
  rejected: number;
  rebases: number;
  /**
   * Bytes on the wire in this round: request bodies as sent (gzipped) plus request targets (path
   * and query); HTTP headers, TLS and TCP framing are not counted (≈ 200 B up, ≈ 650 B down per request).
   */
  bytesSent: number;
  /** Answer bodies as received (compressed when the server compressed them); headers not counted. */
  bytesReceived: number;
  ms: number;
  error?: string;
  /** The server's error code when it refused the round, e.g. `upgrade_required` («обновите программу»). */
  errorCode?: string;
  /** Compared when nothing was pending: does this replica equal the server's? */
  checksumMatch?: boolean;
  /** The state differed from the server's and was replaced by a snapshot (then compared again). */
  repaired?: boolean;
  /** This round installed a snapshot at this server seq (bootstrap or repair). */
  snapshotSeq?: number;
  /** Why the checksum was not compared although the cursor reached the head (e.g. `unknown_kinds`). */
  checksumSkipped?: string;
  /** Pulled ops of kinds this program does not know yet, kept pending (not applied, not blocking). */
  unknownPending?: number;
  /** Ops kept pending earlier and applied in this round (the program was upgraded). */
  unknownApplied?: number;
  /** Own marks accepted over another author's value they had not seen (see `overwrittenNotices`). */
  overwritten?: number;
  /** Ops folded again by this round's re-folds (rebases, undone ops, adopted unknown kinds). */
  refolded?: number;
  /** The re-fold base was moved forward to this server seq (a quiet point). */
  baseAdvanced?: number;
}

/** A rejected own op, kept for the UI (meta `sync.rejected`, JSON array). */
export interface RejectedOp {
  seq: number; author: string; kind: string; hlc: string; payload: unknown;
  code: string; message: string; requirement?: string; clause?: string; at: string;
}

export class SyncError extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
    this.name = 'SyncError';
  }
}

const RESERVE = 256;

export function rejectedOps(j: Journal): RejectedOp[] {
  return JSON.parse(j.meta('sync.rejected') ?? '[]') as RejectedOp[];
}

/**
 * An own mark the server accepted over another author's value its author had not seen
 * (docs/sync.md «Conflicts by kind»), kept for the UI (meta `sync.overwritten`).
 */
export interface OverwrittenNotice extends Overwrite {
  /** The own op (this device's seq) and its author. */
  seq: number; author: string;
  /** When this computer learnt of it (ISO). */
  at: string;
}

/** How many notices of each list are kept (the oldest go first). */
export const NOTICES_KEPT = 500;

export function overwrittenNotices(j: Journal): OverwrittenNotice[] {
  return JSON.parse(j.meta('sync.overwritten') ?? '[]') as OverwrittenNotice[];
}

/** The user has read these: refused ops and overwrite notices of the given own op seqs leave the lists. */
export function dismissNotices(j: Journal, seqs: readonly number[]): void {
  const drop = new Set(seqs);
  j.sqlite.transaction(() => {
    j.setMeta('sync.rejected', JSON.stringify(rejectedOps(j).filter((r) => !drop.has(r.seq))));
    j.setMeta('sync.overwritten', JSON.stringify(overwrittenNotices(j).filter((r) => !drop.has(r.seq))));
  })();
}

/** Pulled ops of kinds this program does not know yet, in server order, as they came (wire form). */
export function unknownOps(j: Journal): PulledOp[] {
  return JSON.parse(j.meta('sync.unknown') ?? '[]') as PulledOp[];
}

export function unknownPendingCount(j: Journal): number {
  return unknownOps(j).length;
}

/** The journal schema a request reports: the number of journal migrations applied. */
function schemaOf(j: Journal): number {
  return j.stmt('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number;
}

/** A pulled page sorted out (`SyncClient.plan`). */
interface PagePlan {
  ops: { s: number; op: Op }[];
  unknown: PulledOp[];
  rebase: boolean;
  /** `device\nseq` of the ops already in the log that a page can bring back (those ahead of the cursor). */
  present: Set<string>;
}

/** A rebase re-folds the log above the base: pages needing one are held up to this many ops and folded in together. */
const REBASE_BATCH = 50_000;

/** Ops of one push request: this many at most (the server's PushBodySchema). */
const MAX_PUSH_OPS = 5000;

/** Runs `fn` in one transaction with foreign keys off (a re-fold deletes and rebuilds the state). */
function withRefold<T>(j: Journal, fn: () => T): T {
  j.sqlite.pragma('foreign_keys = OFF');
  try {
    return j.sqlite.transaction(fn)();
  } finally {
    j.sqlite.pragma('foreign_keys = ON');
  }
}

export class SyncClient {
  private sent = 0;
  private received = 0;
  private refolded = 0;

  constructor(private readonly o: SyncOptions) {}

  private get j(): Journal {
    return this.o.journal;
  }

  private knows(kind: string): boolean {
    return (this.o.knowsKind ?? isOpKind)(kind);
  }

  /** One request: `gz` is an already gzipped JSON body (push). Counts the bytes on the wire. */
  private async call<T>(method: 'GET' | 'POST', path: string, gz?: Buffer): Promise<T> {
    const url = new URL(path, this.o.server).toString();
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.token}`, accept: 'application/json', 'accept-encoding': 'gzip' };
    if (gz !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-encoding'] = 'gzip';
    }
    this.sent += (gz?.length ?? 0) + path.length;
    const r = await this.o.fetch(url, { method, headers, ...(gz !== undefined ? { body: gz } : {}) });
    const answer = await this.readBody(r);
    const date = r.headers.get('date');
    if (date && !Number.isNaN(Date.parse(date))) this.j.setMeta('sync.skewMs', String(Date.parse(date) - this.o.clock.now()));
    let parsed: { ok: boolean; value?: T; error?: { code?: string; message: string } };
    try {
      parsed = JSON.parse(answer) as typeof parsed;
    } catch {
      throw new SyncError(`Сервер ответил не JSON (HTTP ${r.status})`, r.status);
    }
    if (!parsed.ok || r.status !== 200) throw new SyncError(parsed.error?.message ?? `HTTP ${r.status}`, r.status, parsed.error?.code);
    return parsed.value as T;
  }

  /** The answer's text; counts its bytes as they came over the wire. */
  private async readBody(r: SyncResponse): Promise<string> {
    if (r.wireBytes) {
      const raw = await r.wireBytes();
      this.received += raw.byteLength;
      try {
        return decodeBody(raw, r.headers.get('content-encoding')).toString('utf8');
      } catch {
        throw new SyncError(`Ответ сервера повреждён: не удаётся распаковать (HTTP ${r.status})`, r.status);
      }
    }
    const text = await r.text();
    const declared = r.headers.get('content-length');
    this.received += declared !== null && Number.isFinite(Number(declared)) ? Number(declared) : Buffer.byteLength(text);
    return text;
  }

  /** One full round: push everything pushable, then pull to the head. Never throws: see `error`. */
  async sync(): Promise<SyncReport> {
    const t0 = performance.now();
    this.sent = 0;
    this.received = 0;
    this.refolded = 0;
    const report: SyncReport = { ok: false, pushed: 0, pulled: 0, rejected: 0, rebases: 0, bytesSent: 0, bytesReceived: 0, ms: 0 };
    try {
      if (this.o.snapshot && isFresh(this.j)) await this.bootstrap(report);
      await this.push(report);
      await this.pull(report);
      report.ok = true;
      this.j.setMeta('sync.lastAt', new Date(this.o.clock.now()).toISOString());
      if (!report.error) this.j.setMeta('sync.lastError', '');
    } catch (err) {
      report.error = (err as Error).message;
      if (err instanceof SyncError && err.code) report.errorCode = err.code;
    }
    if (report.error) this.j.setMeta('sync.lastError', report.error);
    if (this.refolded) report.refolded = this.refolded;
    report.bytesSent = this.sent;
    report.bytesReceived = this.received;
    report.ms = Math.round(performance.now() - t0);
    const add = (k: MetaKey, n: number) => this.j.setMeta(k, String(Number(this.j.meta(k) ?? '0') + n));
    add('sync.bytesSent', this.sent);
    add('sync.bytesReceived', this.received);
    this.j.setMeta('sync.pending', String(outboxCount(this.j)));
    report.unknownPending = unknownPendingCount(this.j);
    this.j.setMeta('sync.unknownPending', String(report.unknownPending));
    return report;
  }

  // ── push ───────────────────────────────────────────────────────────────────
  private outbox(): Op[] {
    const pending = outboxSeqs(this.j);
    if (!pending.length) return [];
    const seqs = new Set(pending);
    const min = pending[0]!;
    const pos = (this.j.stmt('SELECT pos FROM op_log WHERE device = ? AND seq = ?').pluck().get(this.j.device, min) as number | undefined) ?? 1;
    const out: Op[] = [];
    for (const o of readLog(this.j, pos - 1)) if (o.device === this.j.device && seqs.has(o.seq)) out.push(o);
    return out.sort((a, b) => a.seq - b.seq);
  }

  private async push(report: SyncReport): Promise<void> {
    const wireLimit = Math.min(this.o.chunkBytes ?? PUSH_LIMIT, PUSH_LIMIT) - RESERVE;
    const plainLimit = PUSH_DECODED_LIMIT - RESERVE;
    const schema = schemaOf(this.j);
    for (let round = 0; round < 10_000; round++) {
      const ops = this.outbox();
      if (!ops.length) return;
      let chunk: WireOp[] = [];
      let size = 0;
      for (const op of ops) {
        const w = toWire(op);
        const n = Buffer.byteLength(JSON.stringify(w)) + 1;
        if (chunk.length && (size + n > plainLimit || chunk.length >= MAX_PUSH_OPS)) break;
        chunk.push(w);
        size += n;
      }
      // The limit is on the compressed body: shrink the chunk until it fits (one op always goes).
      // Offline sign-ins on this computer since the last push travel with it (signin.ts, docs/security.md).
      const signins = pendingSignins(this.j);
      const body = () => gzipSync(JSON.stringify({ proto: PROTO, schema, device: this.j.device, clock: this.o.clock.now(), ops: chunk, ...(signins.length ? { signins } : {}) }));
      let gz = body();
      while (gz.length > wireLimit && chunk.length > 1) {
        chunk = chunk.slice(0, Math.max(1, Math.min(chunk.length - 1, Math.floor((chunk.length * wireLimit * 0.9) / gz.length))));
        gz = body();
      }
      const answer = await this.call<PushAnswer>('POST', 'api/v1/sync/push', gz);
      if (signins.length) dropSignins(this.j, signins);
      const progress = this.applyAcks(answer.acks, report);
      if (!progress.moved || progress.blocked) return;
    }
  }

  /** Records the server's answers: confirmed ops leave the outbox; a final rejection is undone. */
  private applyAcks(acks: PushAck[], report: SyncReport): { moved: boolean; blocked: boolean } {
    const j = this.j;
    let moved = false;
    let blocked = false;
    const rejected: Extract<PushAck, { status: 'rejected' }>[] = [];
    const over: OverwrittenNotice[] = [];
    const at = new Date(this.o.clock.now()).toISOString();
    const authorOf = j.stmt('SELECT author FROM op_log WHERE device = ? AND seq = ?').pluck();
    let rebase = false;
    j.sqlite.transaction(() => {
      const setSeq = j.stmt('UPDATE op_log SET server_seq = ? WHERE device = ? AND seq = ?');
      for (const a of acks) {
        if (a.status === 'accepted' || a.status === 'duplicate') {
          setSeq.run(a.serverSeq, j.device, a.seq);
          // The server judged the op at another moment (this computer's clock is off): its log, and so
          // every replica's, keeps that one, and the state is re-folded so what it derived from the
          // stamp (a mark's time, R-BREACH voiding) is the server's too.
          if (a.hlc && rewriteHlc(j, a.seq, a.hlc)) rebase = true;
          if (removeFromOutbox(j, a.seq)) moved = true;
          if (a.status === 'accepted') report.pushed++;
          if (a.status === 'accepted' && a.overwrote?.length) {
            const author = authorOf.get(j.device, a.seq) as string;
            for (const w of a.overwrote) over.push({ ...w, seq: a.seq, author, at });
          }
        } else if (a.status === 'rejected') {
          if (NOT_FINAL.has(a.code)) {
            blocked = true;
            report.error = `Операция № ${a.seq} не отправлена: ${a.message}`;
          } else rejected.push(a);
        }
      }
      if (over.length) {
        j.setMeta('sync.overwritten', JSON.stringify([...overwrittenNotices(j), ...over].slice(-NOTICES_KEPT)));
        report.overwritten = (report.overwritten ?? 0) + over.length;
      }
    })();
    if (rebase && !rejected.length) this.refolded += refoldState(j, { canonical: true });
    if (rejected.length) {
      this.dropRejected(rejected);
      report.rejected += rejected.length;
      moved = true;
    }
    return { moved, blocked };
  }

  /** Undoes own ops the server refused for good: out of the log and the outbox, state re-folded. */
  private dropRejected(list: Extract<PushAck, { status: 'rejected' }>[]): void {
    const j = this.j;
    withRefold(j, () => {
      const all = rejectedOps(j);
      const at = new Date(this.o.clock.now()).toISOString();
      for (const a of list) {
        const row = j.stmt('SELECT author, kind, hlc, payload FROM op_log WHERE device = ? AND seq = ? AND server_seq IS NULL').get(j.device, a.seq) as
          { author: string; kind: string; hlc: string; payload: string } | undefined;
        if (!row) continue;
        j.stmt('DELETE FROM op_log WHERE device = ? AND seq = ?').run(j.device, a.seq);
        removeFromOutbox(j, a.seq);
        all.push({
          seq: a.seq, author: row.author, kind: row.kind, hlc: row.hlc, payload: JSON.parse(row.payload) as unknown, code: a.code, message: a.message,
          ...(a.requirement ? { requirement: a.requirement } : {}), ...(a.clause ? { clause: a.clause } : {}), at,
        });
      }
      j.setMeta('sync.rejected', JSON.stringify(all.slice(-NOTICES_KEPT)));
      this.refolded += refoldState(j, { canonical: true });
    });
  }

  // ── pull ───────────────────────────────────────────────────────────────────
  private async pull(report: SyncReport): Promise<void> {
    const limit = this.o.pullLimit ?? 1000;
    const schema = schemaOf(this.j);
    report.unknownApplied = this.adoptKnown();
    // Pages that need a rebase are held and folded in together (one re-fold, not one per page).
    let held: { plan: PagePlan; n: number; after: number; cursor: number } | null = null;
    for (;;) {
      const after: number = held ? held.cursor : Number(this.j.meta('sync.cursor') ?? '0');
      const page = await this.call<PullAnswer>('GET', `api/v1/sync/pull?after=${after}&limit=${limit}&proto=${PROTO}&schema=${schema}`);
      if (page.ops.length && (page.ops[0]!.s <= after || page.cursor <= after)) throw new SyncError('Сервер прислал операции не по порядку');
      report.pulled += page.ops.length;
      const from: number = held ? held.after : after;
      const own = this.plan(page, from); // the log has not changed while pages are held: same "ahead"
      const plan: PagePlan = held ? { ops: [...held.plan.ops, ...own.ops], unknown: [...held.plan.unknown, ...own.unknown], rebase: true, present: own.present } : own;
      const n: number = (held?.n ?? 0) + page.ops.length;
      const cursor: number = page.ops.length ? page.cursor : held?.cursor ?? after;
      held = null;
      if (n) {
        if (plan.rebase && page.ops.length > 0 && page.cursor < page.head && n < REBASE_BATCH) {
          held = { plan, n, after: from, cursor };
          continue;
        }
        if (this.applyPlanned(plan, cursor)) report.rebases++;
      }
      if (page.cursor >= page.head || page.ops.length === 0) {
        // Pending ops of unknown kinds are in the server's state, not in ours: no honest comparison.
        if (page.checksum && page.cursor === page.head && unknownPendingCount(this.j) > 0) report.checksumSkipped = 'unknown_kinds';
        else if (page.checksum && outboxCount(this.j) === 0 && page.cursor === page.head) {
          report.checksumMatch = syncChecksum(this.j.sqlite) === page.checksum;
          // Repair: the state is replaced by a snapshot at ≥ the cursor; pull on and compare again.
          if (!report.checksumMatch && !report.repaired && this.o.snapshot && (await this.repair(report))) continue;
          if (report.checksumMatch && this.advanceBase()) report.baseAdvanced = page.cursor;
          if (!report.checksumMatch) report.error = 'Данные этого компьютера расходятся с сервером (контрольная сумма): обратитесь к ответственному за техподдержку';
        }
        return;
      }
    }
  }

  /** Writes a page and the cursor in one transaction. Returns whether it needed a rebase. */
  applyPage(page: PullAnswer, after: number): boolean {
    return this.applyPlanned(this.plan(page, after), page.cursor);
  }

  private applyPlanned({ ops, unknown, rebase, present }: PagePlan, cursor: number): boolean {
    const j = this.j;
    const keepUnknown = () => {
      if (unknown.length) j.setMeta('sync.unknown', JSON.stringify([...unknownOps(j), ...unknown]));
    };
    if (!rebase) {
      try {
        j.sqlite.transaction(() => {
          for (const { s, op } of ops) this.takeOp(s, op, true, present);
          keepUnknown();
          j.setMeta('sync.cursor', String(cursor));
        })();
        return false;
      } catch {
        // A foreign op did not apply on top of pending ones: fold in canonical order instead.
      }
    }
    withRefold(j, () => {
      for (const { s, op } of ops) this.takeOp(s, op, false, present);
      this.refolded += refoldState(j, { canonical: true });
      keepUnknown();
      j.setMeta('sync.cursor', String(cursor));
    });
    return true;
  }

  /** A page sorted out: the ops this program applies, those it keeps pending, and whether it needs a rebase. */
  private plan(page: PullAnswer, after: number): PagePlan {
    const j = this.j;
    const ops: { s: number; op: Op }[] = [];
    const unknown: PulledOp[] = [];
    for (const w of page.ops) {
      const op = this.known(w);
      if (op) ops.push({ s: w.s, op });
      else unknown.push(w);
    }
    const me = j.device;
    // Write keys of everything this replica applied that the server orders after the cursor. Only
    // these ops can come back in a page (a page holds server seqs > after), so they are `present`.
    const ahead = j.stmt('SELECT device, seq, kind, scope FROM op_log WHERE server_seq IS NULL OR server_seq > ?').all(after) as { device: string; seq: number; kind: string; scope: string | null }[];
    const present = new Set(ahead.map((r) => `${r.device}\n${r.seq}`));
    const scopes = new Set(ahead.map((r) => r.scope));
    const wide = ahead.some((r) => r.scope === null || r.kind === 'correction.decide');
    const meets = (op: Op) => {
      if (!ahead.length) return false;
      const s = scopeOf(op.kind, op.payload as Record<string, unknown>);
      return wide || s === null || op.kind === 'correction.decide' || scopes.has(s);
    };
    return { ops, unknown, rebase: ops.some(({ op }) => op.device !== me && meets(op)), present };
  }

  /** A pulled op this program can apply, or null: its kind (or the kind's version) is newer than the program. */
  private known(w: PulledOp): Op | null {
    if (!this.knows(w.kind)) return null;
    try {
      return fromWire(w, 'logged');
    } catch (err) {
      if (err instanceof OpError && (err.code === 'unknown_kind' || err.code === 'unsupported_version')) return null;
      throw err;
    }
  }

  /**
   * Ops kept pending because their kind was unknown, which this (upgraded) program knows now: they
   * join the log with their server seq and the state is re-folded in canonical order. Returns how many.
   */
  private adoptKnown(): number {
    const j = this.j;
    const all = unknownOps(j);
    if (!all.length) return 0;
    const now: { s: number; op: Op }[] = [];
    const still: PulledOp[] = [];
    for (const w of all) {
      const op = this.known(w);
      if (op) now.push({ s: w.s, op });
      else still.push(w);
    }
    if (!now.length) return 0;
    withRefold(j, () => {
      for (const { s, op } of now) this.takeOp(s, op, false);
      this.refolded += refoldState(j, { canonical: true });
      j.setMeta('sync.unknown', JSON.stringify(still));
    });
    return now.length;
  }

  /** One pulled op: own → confirmed; foreign → applied (fast path) or only logged (rebase). */
  private takeOp(s: number, op: Op, apply: boolean, present?: Set<string>): void {
    const j = this.j;
    // `present` (the page's plan) spares a lookup per op: an op not in it is not in the log.
    const row = present && !present.has(`${op.device}\n${op.seq}`) ? undefined
      : j.stmt('SELECT pos FROM op_log WHERE device = ? AND seq = ?').get(op.device, op.seq) as { pos: number } | undefined;
    if (row) {
      j.stmt('UPDATE op_log SET server_seq = ? WHERE pos = ?').run(s, row.pos);
      if (op.device === j.device) removeFromOutbox(j, op.seq);
      return;
    }
    if (apply) {
      applyOp(j, op, s);
    } else {
      insertLogged(j, op, s);
    }
    if (op.device === j.device && op.seq >= Number(j.meta('next_seq') ?? '1')) j.setMeta('next_seq', String(op.seq + 1)); // own op from a lost copy of this file
  }

  /**
   * A quiet point (the caller knows the state equals the server's at the cursor): moves the re-fold
   * base to the cursor if nothing is pending and the cursor is `baseEvery` ops past the base.
   * Returns whether it moved. Public for the bench, which applies pages without a server.
   */
  advanceBase(): boolean {
    const j = this.j;
    const every = this.o.baseEvery ?? BASE_EVERY;
    if (every <= 0 || outboxCount(j) > 0 || unknownPendingCount(j) > 0) return false;
    const cursor = Number(j.meta('sync.cursor') ?? '0');
    if (cursor - (baseSeq(j.sqlite) ?? 0) < every) return false;
    // Ops the log holds above the cursor would be below the new base without being in it.
    if (j.stmt('SELECT 1 FROM op_log WHERE server_seq IS NULL OR server_seq > ? LIMIT 1').get(cursor)) return false;
    advanceBase(j.sqlite, stateTables(j.sqlite), cursor, new Date(this.o.clock.now()).toISOString());
    return true;
  }

  // ── snapshots (bootstrap.ts) ────────────────────────────────────────────────
  private snapshotContext(): SnapshotContext {
    return { journal: this.j, server: this.o.server, token: this.o.token, snapshot: this.o.snapshot ?? {}, count: (n) => { this.received += n; } };
  }

  /**
   * What the snapshot leaves out for this computer's share (docs/security.md): the verifiers of the
   * accounts allowed here and their messages, written into the state and the base copy (a re-fold
   * from the base keeps them). Not part of the sync checksum.
   */
  private async installPrivate(): Promise<void> {
    const p = await this.call<{ verifiers: { id: string; verifier: string }[]; messages: { id: string; from: string; to: string; at: string; body: string; readAt: string | null }[] }>('GET', 'api/v1/sync/private');
    writePrivate(this.j, p);
  }

  /** A fresh journal: the school's state from a snapshot, then the pull goes on from its S. */
  private async bootstrap(report: SyncReport): Promise<void> {
    try {
      report.snapshotSeq = await fetchAndInstall(this.snapshotContext(), 0, new Date(this.o.clock.now()).toISOString());
      await this.installPrivate();
    } catch (err) {
      if (err instanceof SnapshotUnavailable) return; // an older server: pull the whole log
      throw err;
    }
  }

  /** Replaces a state that differs from the server's by a snapshot; false if none could be installed. */
  private async repair(report: SyncReport): Promise<boolean> {
    const at = new Date(this.o.clock.now()).toISOString();
    try {
      report.snapshotSeq = await fetchAndInstall(this.snapshotContext(), Number(this.j.meta('sync.cursor') ?? '0'), at);
      await this.installPrivate();
    } catch (err) {
      if (err instanceof SnapshotUnavailable) return false;
      throw new SyncError(`Данные этого компьютера расходятся с сервером, исправить пока не удалось: ${(err as Error).message}`);
    }
    report.repaired = true;
    this.j.setMeta('sync.repairedAt', at);
    this.j.setMeta('sync.repairs', String(Number(this.j.meta('sync.repairs') ?? '0') + 1));
    return true;
  }
}

export function syncOnce(o: SyncOptions): Promise<SyncReport> {
  return new SyncClient(o).sync();
}
