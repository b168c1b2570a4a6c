/**
 * [5/7] The sync protocol v1 on the wire (docs/sync.md): ops travel as envelopes with packed
 * payloads (`src-shared/ops/pack.ts`); pulled ops carry their `server_seq` as `s`.
 */
import { z } from 'zod';
import { parseOp, OpError, type Op } from '../ops/envelope';
import { isOpKind } from '../ops/kinds';
import { packPayload, unpackPayload } from '../ops/pack';

export const PROTO = 1;
/** A push request's body is at most this big (the client cuts the outbox into chunks). */
export const PUSH_LIMIT = 64 * 1024;
export const PULL_LIMIT_MAX = 5000;

export interface WireOp {
  device: string;
  seq: number;
  author: string;
  kind: string;
  version: number;
  hlc: string;
  payload: unknown;
}
export interface PulledOp extends WireOp { s: number }

export interface PushBody { proto: number; schema: number; device: string; ops: WireOp[] }

export type PushAck =
  | { seq: number; status: 'accepted'; serverSeq: number }
  | { seq: number; status: 'duplicate'; serverSeq: number }
  | { seq: number; status: 'rejected'; code: string; message: string; requirement?: string; clause?: string }
  | { seq: number; status: 'resend_from'; from: number };

export interface PushAnswer { acks: PushAck[]; head: number }
export interface PullAnswer { ops: PulledOp[]; cursor: number; head: number; checksum?: string }

export const PushBodySchema = z.object({
  proto: z.number().int(),
  schema: z.number().int().min(0),
  device: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  ops: z.array(z.unknown()).max(5000),
});

/**
 * Rejections the client must not treat as final: the op is fine, the request was not entitled to
 * carry it (another author's op under a session) — it stays queued until its author syncs.
 */
export const NOT_FINAL = new Set(['forged']);

export function toWire(op: Op): WireOp {
  return { device: op.device, seq: op.seq, author: op.author, kind: op.kind, version: op.version, hlc: op.hlc, payload: packPayload(op.kind, op.payload) };
}

/** Unpacks and validates a wire op; throws OpError like `parseOp`. */
export function fromWire(w: unknown): Op {
  const o = w as Partial<WireOp> | null;
  if (!o || typeof o !== 'object') throw new OpError('bad_envelope', 'Повреждённая операция');
  if (typeof o.kind !== 'string' || !isOpKind(o.kind)) throw new OpError('unknown_kind', `Неизвестный вид операции «${String(o.kind)}»: обновите программу`);
  let payload: unknown;
  try {
    payload = unpackPayload(o.kind, o.payload);
  } catch (err) {
    throw new OpError('bad_payload', `Неверные данные операции «${o.kind}»: ${(err as Error).message}`);
  }
  return parseOp({ device: o.device, seq: o.seq, author: o.author, kind: o.kind, version: o.version, hlc: o.hlc, payload });
}
