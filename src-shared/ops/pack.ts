/**
 * A compact, lossless encoding of op payloads: every object becomes `[mask, ...values]` in the
 * order of its zod shape, `mask` having bit i set when field i is present (so `null` and "absent"
 * stay different — `lesson.update` relies on it). Key names, the bulk of a JSON payload, are
 * not repeated. Used for the op log on disk and on the wire; unions and free JSON stay as they are.
 *
 *   {"lessonId":"l1","marks":[{"studentId":"s1","value":"5"}]}  →  [3,"l1",[[3,"s1","5"]]]
 */
import type { z } from 'zod';
import { payloads, type OpKind } from './kinds';

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType };
const defOf = (t: z.ZodType): Def => (t as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(t: z.ZodType): z.ZodType {
  let cur = t;
  for (;;) {
    const d = defOf(cur);
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(d.type)) cur = d.innerType;
    else return cur;
  }
}

const keysCache = new WeakMap<object, string[]>();
function keysOf(shape: Record<string, z.ZodType>): string[] {
  let k = keysCache.get(shape);
  if (!k) {
    k = Object.keys(shape);
    if (k.length > 30) throw new Error('pack: an object schema with more than 30 fields');
    keysCache.set(shape, k);
  }
  return k;
}

function packValue(schema: z.ZodType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const d = defOf(unwrap(schema));
  if (d.type === 'object' && d.shape && typeof value === 'object' && !Array.isArray(value)) {
    const keys = keysOf(d.shape);
    const out: unknown[] = [0];
    let mask = 0;
    const v = value as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const x = v[keys[i]!];
      if (x !== undefined) {
        mask |= 1 << i;
        out.push(packValue(d.shape[keys[i]!]!, x));
      }
    }
    out[0] = mask;
    return out;
  }
  if (d.type === 'array' && d.element && Array.isArray(value)) return value.map((x) => packValue(d.element!, x));
  return value;
}

/** A packed payload that does not fit its kind's shape; the message is Russian and safe to show. */
export class PackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackError';
  }
}

/**
 * Recurses along the schema, never deeper than it: a hostile payload cannot make it run out of
 * stack (values the schema does not describe are returned as they are, for `parseOp` to bound).
 * `exact` (an op entering a log): a mask bit beyond the shape or a value count that does not
 * match the mask is refused — a field this version does not define, see PayloadStrictness.
 */
function unpackValue(schema: z.ZodType, packed: unknown, exact: boolean): unknown {
  if (packed === null || packed === undefined) return packed;
  const d = defOf(unwrap(schema));
  if (d.type === 'object' && d.shape) {
    if (!Array.isArray(packed)) return packed; // stored before packing existed
    const keys = keysOf(d.shape);
    const mask = packed[0] as number;
    if (typeof mask !== 'number' || !Number.isInteger(mask) || mask < 0) throw new PackError('упакованный объект без маски полей');
    if (exact && (mask >= 2 ** keys.length || packed.length !== 1 + bitCount(mask))) {
      throw new PackError(`маска полей ${mask} не подходит к ${keys.length} полям этой версии операции`);
    }
    const out: Record<string, unknown> = {};
    let j = 1;
    for (let i = 0; i < keys.length; i++) {
      if (mask & (1 << i)) out[keys[i]!] = unpackValue(d.shape[keys[i]!]!, packed[j++], exact);
    }
    return out;
  }
  if (d.type === 'array' && d.element && Array.isArray(packed)) return packed.map((x) => unpackValue(d.element!, x, exact));
  return packed;
}

function bitCount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

export function packPayload(kind: OpKind, payload: unknown): unknown {
  return packValue(payloads[kind], payload);
}

/** Throws PackError when `packed` does not fit the kind's shape (`exact`: see unpackValue). */
export function unpackPayload(kind: OpKind, packed: unknown, opts: { exact?: boolean } = {}): unknown {
  return unpackValue(payloads[kind], packed, opts.exact ?? false);
}

/** The stored text of a payload: packed JSON. */
export function encodePayload(kind: OpKind, payload: unknown): string {
  return JSON.stringify(packPayload(kind, payload));
}

/** Reads a stored payload — packed, or a plain JSON object written by an earlier version. */
export function decodePayload(kind: OpKind, text: string): Record<string, unknown> {
  return unpackPayload(kind, JSON.parse(text)) as Record<string, unknown>;
}
