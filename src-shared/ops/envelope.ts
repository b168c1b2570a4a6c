/**
 * The op envelope (architecture.md): `{ device, seq, author, kind, version, payload, hlc }`.
 * `(device, seq)` identifies an op everywhere; seq is gap-free per device. `hlc` is the author's
 * hybrid logical clock — recorded, shown, never trusted for order (the server's order wins).
 */
import { z } from 'zod';
import { isOpKind, OP_VERSION, payloads, type OpKind, type Payload } from './kinds';

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
  author: z.string().min(1).max(64),
  kind: z.string().min(1).max(40),
  version: z.number().int().positive(),
  payload: z.unknown(),
  hlc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-z]{4}$/, 'метка времени операции повреждена'),
});

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

/** Validates an envelope and its payload. Throws OpError with a Russian message; never partial. */
export function parseOp(raw: unknown): Op {
  const env = Envelope.safeParse(raw);
  if (!env.success) throw new OpError('bad_envelope', `Повреждённая операция: ${describeIssues(env.error)}`);
  const { kind, version } = env.data;
  if (!isOpKind(kind)) throw new OpError('unknown_kind', `Неизвестный вид операции «${kind}»: обновите программу`);
  if (version > OP_VERSION[kind]) throw new OpError('unsupported_version', `Операция «${kind}» версии ${version} новее этой программы: обновите программу`);
  const p = payloads[kind].safeParse(env.data.payload);
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
