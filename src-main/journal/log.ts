/**
 * Writing to the log: an op authored here gets the next gap-free `seq` of this device and an
 * HLC stamp, is applied, and is appended to the outbox — all in the caller's transaction.
 * Replay rebuilds a replica from a log, which is how `ejournal check` proves the state is a
 * pure fold of the log.
 */
import type { Op } from '../../src-shared/ops/envelope';
import { nextHlc, parseOp } from '../../src-shared/ops/envelope';
import { OP_VERSION, type OpKind, type PayloadInput } from '../../src-shared/ops/kinds';
import { applyOp } from './apply-op';
import { decodePayload } from '../../src-shared/ops/pack';
import type { Journal } from './open';
import { openJournal } from './open';
import { stateChecksum, stateTables, tableDigests, type TableDigest } from './checksum';
import { baseSeq, copyBaseAcross, logIsWhole } from './base';
import { addToOutbox } from './outbox';

export interface OpDraft<K extends OpKind = OpKind> {
  kind: K;
  payload: PayloadInput<K>;
}

export function draft<K extends OpKind>(kind: K, payload: PayloadInput<K>): OpDraft<K> {
  return { kind, payload };
}

/** A new entity id: this device's id and a per-device counter, so ids never collide across replicas. */
export function newId(j: Journal): string {
  const next = Number(j.meta('next_id') ?? '1');
  j.setMeta('next_id', String(next + 1));
  return `${j.device}-${next.toString(36)}`;
}

/**
 * A draft made an op of this replica — the one place its payload is parsed (the op's schema:
 * defaults, limits, hygiene; OpError with the field-by-field message). Nothing is written yet:
 * the guard judges the parsed op first (`execute`), then `commitLocal` applies it.
 */
export function localOp(j: Journal, d: OpDraft, author: string, nowMs: number): Op {
  const seq = Number(j.meta('next_seq') ?? '1');
  const hlc = nextHlc(j.meta('hlc') ?? null, nowMs);
  return parseOp({ device: j.device, seq, author, kind: d.kind, version: OP_VERSION[d.kind], payload: d.payload, hlc });
}

/** Applies an own op made by `localOp` (inside the caller's transaction) and puts it in the outbox. */
export function commitLocal(j: Journal, op: Op): void {
  applyOp(j, op);
  addToOutbox(j, op.seq);
  j.setMeta('next_seq', String(op.seq + 1));
  j.setMeta('hlc', op.hlc);
}

/**
 * The op log's storage (op-rows.ts): `insertLogged(j, op, serverSeq)` appends an op without
 * applying it (a pulled op during a rebase) and returns its pos; `packLog` compresses old payloads into blocks.
 * Read the log through the `op_log` view or `readLog`; never INSERT into it by hand.
 */
export { insertLogged, packLog } from './op-rows';

export interface LoggedOp extends Op { pos: number; serverSeq: number | null }

export function* readLog(j: Journal, fromPos = 0): Generator<LoggedOp> {
  const stmt = j.sqlite.prepare('SELECT pos, device, seq, server_seq, author, kind, version, hlc, payload FROM op_log WHERE pos > ? ORDER BY pos');
  for (const r of stmt.iterate(fromPos) as Iterable<{ pos: number; device: string; seq: number; server_seq: number | null; author: string; kind: OpKind; version: number; hlc: string; payload: string }>) {
    yield { pos: r.pos, device: r.device, seq: r.seq, serverSeq: r.server_seq, author: r.author, kind: r.kind, version: r.version, hlc: r.hlc, payload: decodePayload(r.kind, r.payload) as never };
  }
}

/**
 * The log in canonical order: ops confirmed by the server in `server_seq` order, then this
 * replica's pending ones in apply order (docs/sync.md) — the order the state is a fold of. For a
 * journal that never synced it is apply order.
 */
export function* readLogCanonical(j: Journal): Generator<LoggedOp> {
  const key = 'coalesce(server_seq, 1e15 + pos)';
  const stmt = j.sqlite.prepare(`SELECT pos, device, seq, server_seq, author, kind, version, hlc, payload FROM op_log ORDER BY ${key}`);
  for (const r of stmt.iterate() as Iterable<{ pos: number; device: string; seq: number; server_seq: number | null; author: string; kind: OpKind; version: number; hlc: string; payload: string }>) {
    yield { pos: r.pos, device: r.device, seq: r.seq, serverSeq: r.server_seq, author: r.author, kind: r.kind, version: r.version, hlc: r.hlc, payload: decodePayload(r.kind, r.payload) as never };
  }
}

export interface ReplayResult {
  ops: number;
  checksum: string;
  digests: TableDigest[];
}

/**
 * Rebuilds a fresh in-memory replica from `source`'s log, op by op, each op validated again as if
 * it came from the wire. Returns the rebuilt state's checksum and per-table digests.
 */
export function replay(source: Journal): ReplayResult {
  const fresh = openJournal(':memory:', { create: true, device: source.device, durability: 'off' });
  try {
    let ops = 0;
    // A replica bootstrapped from a snapshot: the base, then the ops above it (base.ts). A
    // replica whose log is whole below its (moved) base is replayed from empty: the full check.
    const base = logIsWhole(source.sqlite) ? undefined : baseSeq(source.sqlite);
    if (base !== undefined) {
      fresh.sqlite.pragma('foreign_keys = OFF');
      fresh.sqlite.transaction(() => copyBaseAcross(source.sqlite, fresh.sqlite, stateTables(fresh.sqlite)))();
      fresh.sqlite.pragma('foreign_keys = ON');
    }
    const batch: LoggedOp[] = [];
    const flush = fresh.sqlite.transaction((items: LoggedOp[]) => {
      for (const o of items) applyOp(fresh, parseOp({ device: o.device, seq: o.seq, author: o.author, kind: o.kind, version: o.version, payload: o.payload, hlc: o.hlc }, 'logged'));
    });
    for (const o of readLogCanonical(source)) {
      if (base !== undefined && o.serverSeq !== null && o.serverSeq <= base) continue;
      batch.push(o);
      ops++;
      if (batch.length >= 5000) {
        flush(batch);
        batch.length = 0;
      }
    }
    flush(batch);
    return { ops, checksum: stateChecksum(fresh.sqlite), digests: tableDigests(fresh.sqlite) };
  } finally {
    fresh.close();
  }
}
