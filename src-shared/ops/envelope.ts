/**
 * The op envelope (architecture.md): `{ device, seq, author, kind, version, payload, hlc }`.
 * `(device, seq)` identifies an op everywhere; seq is gap-free per device. `hlc` is the author's
 * hybrid logical clock — recorded, shown, never trusted for order (the server's order wins).
 */
import { z } from 'zod';
import { isInstant } from './dates';
import { isOpKind, loggedPayloads, OP_VERSION, payloads, type OpKind, type Payload, type PayloadStrictness } from './kinds';

export interface Op<K extends OpKind = OpKind> {
  device: string;
  seq: number;
  author: string;
  kind: K;
  version: number;
  payload: Payload<K>;
  hlc: string;
}

export const Envelope = z.object({
  device: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'идентификатор устройства: латинские буквы и цифры'),
  seq: z.number().int().positive(),
  author: z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'автор операции: идентификатор учётной записи'),
  kind: z.string().min(1).max(40),
  version: z.number().int().positive(),
  payload: z.unknown(),
  hlc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-z]{4}$/, 'метка времени операции повреждена'),
});

/**
 * A new op's stamp must also be a real instant: the server judges the op's time by it (entry
 * windows), and `2026-13-45T…` is NaN there. Any year — a fake clock may start at the epoch, and
 * the server clamps the time anyway. A logged op keeps whatever stamp its log accepted.
 */
function isRealStamp(hlc: string): boolean {
  return isInstant(hlcInstant(hlc), 0, 9999);
}

export class OpError extends Error {
  constructor(
    readonly code: 'bad_envelope' | 'unknown_kind' | 'bad_payload' | 'unsupported_version',
    message: string,
  ) {
    super(message);
    this.name = 'OpError';
  }
}

/** Russian summary of zod issues: «marks.0.value: отметка должна быть …». */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Bounds of a payload's JSON tree, checked before any recursive code (zod's `z.json()`,
 * `JSON.stringify`) walks it: a hostile op nested 10 000 deep must be refused as damaged, not
 * crash the reader with «Maximum call stack size exceeded». Real payloads are 2–4 levels deep
 * (a rule setting a few more) and a mark batch of 200 is about 1 500 values.
 */
export const PAYLOAD_MAX_DEPTH = 32;
export const PAYLOAD_MAX_VALUES = 20_000;

/** Throws OpError('bad_envelope') when `payload` is deeper or bigger than the bounds. Iterative: never recurses. */
export function checkPayloadBounds(payload: unknown): void {
  const stack: [unknown, number][] = [[payload, 1]];
  let values = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++values > PAYLOAD_MAX_VALUES) throw new OpError('bad_envelope', `Повреждённая операция: в данных больше ${PAYLOAD_MAX_VALUES} значений`);
    if (v === null || typeof v !== 'object') continue;
    if (depth > PAYLOAD_MAX_DEPTH) throw new OpError('bad_envelope', `Повреждённая операция: вложенность данных глубже ${PAYLOAD_MAX_DEPTH} уровней`);
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
  }
}

/** The kind as a message may quote it: a short name of letters and dots, else nothing of it. */
export function quotedKind(kind: unknown): string {
  return typeof kind === 'string' && /^[A-Za-z][A-Za-z.]{0,39}$/.test(kind) ? ` «${kind}»` : '';
}

/**
 * Validates an envelope and its payload. Throws OpError with a Russian message; never partial, and
 * never anything but OpError. `strictness` (kinds.ts): `new` for an op entering a log, `logged` for
 * one read back from a log that accepted it.
 */
export function parseOp(raw: unknown, strictness: PayloadStrictness = 'new'): Op {
  const env = Envelope.safeParse(raw);
  if (!env.success) throw new OpError('bad_envelope', `Повреждённая операция: ${describeIssues(env.error)}`);
  const { kind, version } = env.data;
  if (strictness === 'new' && !isRealStamp(env.data.hlc)) throw new OpError('bad_envelope', 'Повреждённая операция: hlc: метка времени операции повреждена — такого момента нет в календаре');
  if (!isOpKind(kind)) throw new OpError('unknown_kind', `Неизвестный вид операции${quotedKind(kind)}: обновите программу`);
  if (version > OP_VERSION[kind]) throw new OpError('unsupported_version', `Операция «${kind}» версии ${version} новее этой программы: обновите программу`);
  checkPayloadBounds(env.data.payload);
  let p;
  try {
    p = (strictness === 'new' ? payloads : loggedPayloads)[kind].safeParse(env.data.payload);
  } catch {
    // A schema that throws (not a zod issue) must not surface its internals to whoever sent the op.
    throw new OpError('bad_payload', `Неверные данные операции «${kind}»: данные не удалось разобрать`);
  }
  if (!p.success) throw new OpError('bad_payload', `Неверные данные операции «${kind}»: ${describeIssues(p.error)}`);
  return { ...env.data, kind, payload: p.data } as Op;
}

/** The wall-clock part of an HLC stamp, as an ISO instant. */
export function hlcInstant(hlc: string): string {
  return hlc.slice(0, 24);
}

export function formatHlc(ms: number, counter: number): string {
  return `${new Date(ms).toISOString()}-${counter.toString(36).padStart(4, '0')}`;
}

/** Hybrid logical clock: monotonic even when the wall clock jumps back. */
export function nextHlc(last: string | null, nowMs: number): string {
  if (!last) return formatHlc(nowMs, 0);
  const lastMs = Date.parse(hlcInstant(last));
  const lastC = parseInt(last.slice(25), 36);
  if (nowMs > lastMs) return formatHlc(nowMs, 0);
  return formatHlc(lastMs, lastC + 1);
}
