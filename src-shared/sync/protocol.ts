/**
 * The sync protocol on the wire (docs/sync.md): ops travel as envelopes with packed
 * payloads (`src-shared/ops/pack.ts`); pulled ops carry their `server_seq` as `s`.
 *
 * v2 (over v1): push bodies may be gzipped (`content-encoding: gzip`), the push body carries the
 * client's clock (`clock`, ms), pull carries `proto` and `schema` as query parameters. The server
 * accepts every proto in [MIN_PROTO, PROTO]; a v1 request (no `proto` on pull, identity body) is
 * answered exactly as before (test/sync-proto1.test.ts replays a recorded v1 session).
 */
import { z } from 'zod';
import { parseOp, OpError, quotedKind, type Op } from '../ops/envelope';
import { isOpKind, OP_VERSION, type PayloadStrictness } from '../ops/kinds';
import { PackError, packPayload, unpackPayload } from '../ops/pack';

export const PROTO = 3;
/** The oldest protocol the server still speaks. */
export const MIN_PROTO = 1;
/**
 * The journal schema window: a request's `schema` is the client's count of applied journal
 * migrations. Migrations are additive, so any schema from MIN_SCHEMA up to the server's own is
 * accepted; a client newer than the server is asked to wait for the server's upgrade.
 */
export const MIN_SCHEMA = 1;
/** A push request's body on the wire (compressed, if it is) is at most this big (the client cuts the outbox into chunks). */
export const PUSH_LIMIT = 64 * 1024;
/** Hard cap on a push body after decompression (a zip bomb is refused, nothing applied). */
export const PUSH_DECODED_LIMIT = 1024 * 1024;
/** The error code of a request outside the version window: the client shows «обновите программу». */
export const UPGRADE_REQUIRED = 'upgrade_required';
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

/** An offline sign-in: the account, the moment (ISO, the computer's clock), HMAC-SHA256 proof (base64url). */
export interface WireSignin { account: string; at: string; proof: string }

/**
 * An accepted mark that replaced another author's value its author had not seen (the op's
 * `base`, docs/sync.md «Conflicts by kind»): the write stands (last writer in server order), the
 * author is told. `seen` null = the author saw an empty cell; `replacedAt` in ms.
 */
export interface Overwrite {
  lessonId: string; studentId: string; column: string;
  seen: string | null; replaced: string; replacedBy: string; replacedAt: number;
}

export type PushAck =
  /** `hlc`: the stamp the server judged the op at, when it differs from the one sent by more than a minute (a clock off, or ahead of the server); also on a duplicate. */
  | { seq: number; status: 'accepted'; serverSeq: number; overwrote?: Overwrite[]; hlc?: string }
  | { seq: number; status: 'duplicate'; serverSeq: number; hlc?: string }
  | { seq: number; status: 'rejected'; code: string; message: string; requirement?: string; clause?: string }
  | { seq: number; status: 'resend_from'; from: number };

export interface PushAnswer { acks: PushAck[]; head: number }
export interface PullAnswer { ops: PulledOp[]; cursor: number; head: number; checksum?: string }

export const PushBodySchema = z.object({
  proto: z.number().int(),
  schema: z.number().int().min(0),
  device: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** Wire ops (`WireOp`). */
  ops: z.array(z.unknown()).max(5000),
  /** v2: the client's clock (ms since the epoch) when it sent the request — the server records the skew. */
  clock: z.number().int().min(0).optional(),
  /**
   * v3: sign-ins on this computer made offline since the last push (`WireSignin`), each proved with
   * the account's secret for the computer (docs/security.md): an op is taken only from an account
   * signed in here.
   */
  signins: z.array(z.object({
    account: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    at: z.string().max(30),
    proof: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  })).max(200).optional(),
});

export type VersionVerdict = { ok: true } | { ok: false; message: string };

/** Is a request of protocol `proto` and journal schema `schema` within the server's window? */
export function checkVersions(proto: number, schema: number, serverSchema: number): VersionVerdict {
  if (!Number.isInteger(proto) || proto < MIN_PROTO) {
    return { ok: false, message: `Версия протокола синхронизации ${proto} больше не поддерживается сервером (нужна ${MIN_PROTO}–${PROTO}): обновите программу` };
  }
  if (proto > PROTO) {
    return { ok: false, message: `Программа новее сервера (протокол ${proto}, сервер понимает ${MIN_PROTO}–${PROTO}): обновите программу на сервере — обратитесь к ответственному за техподдержку` };
  }
  if (!Number.isInteger(schema) || schema < MIN_SCHEMA) {
    return { ok: false, message: `Версия журнала ${schema} слишком старая для сервера (нужна ${MIN_SCHEMA}–${serverSchema}): обновите программу` };
  }
  if (schema > serverSchema) {
    return { ok: false, message: `Программа новее сервера (версия журнала ${schema}, сервер — ${serverSchema}): обновите программу на сервере — обратитесь к ответственному за техподдержку` };
  }
  return { ok: true };
}

/**
 * Rejections the client must not treat as final: the op is fine, the request was not entitled to
 * carry it (another author's op under a session) — it stays queued until its author syncs.
 */
export const NOT_FINAL = new Set(['forged']);

export function toWire(op: Op): WireOp {
  return { device: op.device, seq: op.seq, author: op.author, kind: op.kind, version: op.version, hlc: op.hlc, payload: packPayload(op.kind, op.payload) };
}

/**
 * Unpacks and validates a wire op; throws OpError like `parseOp`, and nothing else: whatever a
 * hostile payload makes the decoder do, the sender learns only that the op is damaged, in Russian.
 * `strictness`: `new` for a pushed op (the server admitting it), `logged` for a pulled one (the
 * server's log accepted it; see PayloadStrictness in ops/kinds.ts).
 */
export function fromWire(w: unknown, strictness: PayloadStrictness = 'new'): Op {
  const o = w as Partial<WireOp> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new OpError('bad_envelope', 'Повреждённая операция: ожидается объект');
  if (typeof o.kind !== 'string' || !isOpKind(o.kind)) throw new OpError('unknown_kind', `Неизвестный вид операции${quotedKind(o.kind)}: обновите программу`);
  const kind = o.kind;
  // A newer version's payload need not unpack with this program's shape: say «newer» first, so a
  // school computer keeps such an op pending instead of failing its pull.
  if (typeof o.version === 'number' && o.version > OP_VERSION[kind]) throw new OpError('unsupported_version', `Операция «${kind}» версии ${o.version} новее этой программы: обновите программу`);
  try {
    const payload = unpackPayload(kind, o.payload, { exact: strictness === 'new' });
    return parseOp({ device: o.device, seq: o.seq, author: o.author, kind, version: o.version, hlc: o.hlc, payload }, strictness);
  } catch (err) {
    if (err instanceof OpError) throw err;
    if (err instanceof PackError) throw new OpError('bad_payload', `Неверные данные операции «${kind}»: ${err.message}`);
    throw new OpError('bad_envelope', `Повреждённая операция «${kind}»: данные не удалось разобрать`);
  }
}
