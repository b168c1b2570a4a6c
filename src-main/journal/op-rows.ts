/**
 * How the op log is stored (migration 0004, docs/scaling.md "Size"): a year of a large school is
 * ~10^6 ops, so a row of `op_record` holds codes instead of repeated text — device, author and
 * kind are ids of `op_name`, the HLC stamp is integer milliseconds + counter — and the payloads
 * of old ops are compressed together in `op_block`s. Every stored value decodes back to exactly
 * what was appended (R-AUDIT): the `op_log` view gives the original columns to every reader.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { Op } from '../../src-shared/ops/envelope';
import { hlcInstant } from '../../src-shared/ops/envelope';
import { scopeOf } from '../../src-shared/ops/kinds';
import { encodePayload } from '../../src-shared/ops/pack';

interface Conn {
  stmt(sql: string): Database.Statement;
  readonly sqlite: Database.Database;
}

// ── HLC: "2026-09-01T03:45:00.000Z-0001" ⇄ (1788234300000, 1) ─────────────────
let lastInstant = '';
let lastMs = 0;

/**
 * The stored HLC: [integer milliseconds, counter], or [the stamp, null] when the pair would not
 * give back exactly this text (hlcText, the format of formatHlc) — a stamp reads back as appended.
 */
export function hlcParts(hlc: string): [number | string, number | null] {
  const instant = hlcInstant(hlc);
  let ms = lastMs;
  if (instant !== lastInstant) { // ops of one batch share their instant: parse it once
    ms = Date.parse(instant);
    if (!Number.isSafeInteger(ms) || new Date(ms).toISOString() !== instant) return [hlc, null];
    lastInstant = instant;
    lastMs = ms;
  }
  const suffix = hlc.slice(25);
  const c = parseInt(suffix, 36);
  if (hlc[24] !== '-' || !Number.isSafeInteger(c) || c.toString(36).padStart(4, '0') !== suffix) return [hlc, null];
  return [ms, c];
}

let textMs = NaN;
let textIso = '';

export function hlcText(value: number | bigint | string, counter: number | bigint | null): string {
  if (typeof value === 'string') return value;
  const ms = Number(value);
  if (ms !== textMs) { // neighbouring ops share their instant: format it once
    textIso = new Date(ms).toISOString();
    textMs = ms;
  }
  return `${textIso}-${Number(counter ?? 0).toString(36).padStart(4, '0')}`;
}

// ── payload blocks ───────────────────────────────────────────────────────────
// Format 1: a byte 1, then Brotli (quality 7, text mode) of `[gaps between positions as JSON]\n`
// + the payloads joined by "\n" (packed JSON never holds a raw newline; packLog checks). Raw
// text, not a JSON array of strings: escaping every quote costs a quarter of the compressed size.
// Brotli 7 is ~9 % smaller than deflate -9 here at the same speed, and decompresses faster.
const BLOCK_FORMAT = 1;
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

function encodeBlock(rows: { pos: number; payload: string }[]): Buffer {
  const gaps = rows.map((r, i) => (i === 0 ? 0 : r.pos - rows[i - 1]!.pos));
  const text = `${JSON.stringify(gaps)}\n${rows.map((r) => r.payload).join('\n')}`;
  return Buffer.concat([Buffer.from([BLOCK_FORMAT]), brotliCompressSync(text, BROTLI)]);
}

function decodeBlock(first: number, data: Buffer): Map<number, string> {
  if (data[0] !== BLOCK_FORMAT) throw new Error(`op_block: unknown format ${data[0]}`);
  const lines = brotliDecompressSync(data.subarray(1)).toString('utf8').split('\n');
  const gaps = JSON.parse(lines[0]!) as number[];
  if (gaps.length !== lines.length - 1) throw new Error('op_block: damaged block');
  const out = new Map<number, string>();
  let pos = first;
  for (let i = 0; i < gaps.length; i++) out.set((pos += gaps[i]!), lines[i + 1]!);
  return out;
}

/**
 * The SQL functions the `op_log` view, its triggers and migration 0004 use. Registered on every
 * connection to a journal (openJournal) before migrating. Each connection keeps the blocks it
 * decompressed last (a block is written once and never changes): the view asks `op_block_cached`
 * first and hands over a block's bytes only on a miss, so reading the log in order decompresses
 * every block once and copies no bytes per op.
 */
export function registerLogFunctions(sqlite: Database.Database): void {
  const cache = new Map<number, { last: number; rows: Map<number, string> }>();
  const cached = (first: unknown, last: unknown) => cache.get(Number(first))?.last === Number(last);
  sqlite.function('op_hlc_value', { deterministic: true }, (hlc: unknown) => hlcParts(String(hlc))[0]);
  sqlite.function('op_hlc_counter', { deterministic: true }, (hlc: unknown) => hlcParts(String(hlc))[1]);
  sqlite.function('op_hlc', { deterministic: true }, (v: unknown, c: unknown) =>
    (v === null ? null : hlcText(v as number | string, c as number | null)));
  sqlite.function('op_block_cached', { deterministic: false }, (first: unknown, last: unknown) => (cached(first, last) ? 1 : 0));
  sqlite.function('op_block_payload', { deterministic: false }, (pos: unknown, first: unknown, last: unknown, data: unknown) => {
    if (first === null) return null;
    if (!cached(first, last)) {
      if (!Buffer.isBuffer(data)) return null;
      if (cache.size >= 32) cache.delete(cache.keys().next().value!);
      cache.set(Number(first), { last: Number(last), rows: decodeBlock(Number(first), data) });
    }
    return cache.get(Number(first))!.rows.get(Number(pos)) ?? null;
  });
}

// ── writing ──────────────────────────────────────────────────────────────────
/** Names known to be in `op_name`, per connection. A rolled-back insert can make it stale; see insertLogged. */
const knownNames = new WeakMap<Database.Database, Set<string>>();

function ensureNames(j: Conn, names: string[]): void {
  let known = knownNames.get(j.sqlite);
  if (!known) knownNames.set(j.sqlite, (known = new Set()));
  if (names.every((n) => known.has(n))) return;
  j.stmt('INSERT OR IGNORE INTO op_name (name) VALUES (?), (?), (?)').run(...names);
  for (const n of names) known.add(n);
}

const INSERT = `INSERT INTO op_record (device, seq, server_seq, author, kind, version, hlc, hlc_c, payload, scope) VALUES (
  (SELECT id FROM op_name WHERE name = ?), ?, ?, (SELECT id FROM op_name WHERE name = ?), (SELECT id FROM op_name WHERE name = ?), ?, ?, ?, ?, ?)`;

/**
 * Appends a validated op to the log (after the caller applied it, or without applying it during
 * a rebase) and returns its `pos`. Must run inside the caller's transaction.
 */
export function insertLogged(j: Conn, op: Op, serverSeq: number | null = null): number {
  const names = [op.device, op.author, op.kind];
  const [hlc, counter] = hlcParts(op.hlc);
  const args = [op.device, op.seq, serverSeq, op.author, op.kind, op.version, hlc, counter,
    encodePayload(op.kind, op.payload), scopeOf(op.kind, op.payload as Record<string, unknown>)];
  ensureNames(j, names);
  try {
    return Number(j.stmt(INSERT).run(...args).lastInsertRowid);
  } catch (err) {
    // A name cached from a transaction that was rolled back is not in op_name: the code is NULL.
    if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_NOTNULL') throw err;
    knownNames.delete(j.sqlite);
    ensureNames(j, names);
    return Number(j.stmt(INSERT).run(...args).lastInsertRowid);
  }
}

// ── packing old payloads ─────────────────────────────────────────────────────
export interface PackOptions {
  /** The newest ops stay inline (cheap to read back, e.g. rejected pending ops). */
  keepRecent?: number;
  /**
   * Ops per block, fixed (tests). By default a block takes as many ops as compress to just under
   * one database page (~150–250 ops of a school's log): a page then holds one block and wastes
   * little, and reading one op decompresses ~4 KB.
   */
  blockSize?: number;
}

const MIN_OPS = 16;
const MAX_OPS = 4096;
const BLOCK_PAGES = 4;

/**
 * Moves the payloads of old ops into compressed blocks, oldest first, a whole block at a time;
 * ops after the last block only. Idempotent; must not run inside another transaction's iterator.
 * Returns the number of ops packed.
 */
export function packLog(j: Conn, opts: PackOptions = {}): number {
  const keep = opts.keepRecent ?? 1024;
  const fixed = opts.blockSize;
  const sqlite = j.sqlite;
  // Four pages a block: Brotli finds ~25 % more to share than in one page (measured on a 1500-student
  // year: 5.2 → 4.1 MB), and a cell's history still decompresses only ~16 KB. Room for the row around it.
  const target = BLOCK_PAGES * (sqlite.pragma('page_size', { simple: true }) as number) - 160;
  let packed = 0;
  sqlite.transaction(() => {
    const after = sqlite.prepare('SELECT coalesce(max(last_pos), 0) FROM op_block').pluck().get() as number;
    const maxPos = sqlite.prepare('SELECT coalesce(max(pos), 0) FROM op_record').pluck().get() as number;
    const page = sqlite.prepare("SELECT pos, payload FROM op_record WHERE pos > ? AND pos <= ? AND typeof(payload) = 'text' ORDER BY pos LIMIT ?");
    const putBlock = sqlite.prepare('INSERT INTO op_block (first_pos, last_pos, data) VALUES (?, ?, ?)');
    // A packed op's payload is NULL: it is in the block whose range holds its pos.
    const release = sqlite.prepare("UPDATE op_record SET payload = NULL WHERE pos BETWEEN ? AND ? AND typeof(payload) = 'text'");
    let last = after;
    let guess = fixed ?? 128;
    for (;;) {
      const limit = fixed ?? Math.min(MAX_OPS, guess * 2);
      const rows = page.all(last, maxPos - keep, limit) as { pos: number; payload: string }[];
      const exhausted = rows.length < limit;
      if (rows.length === 0 || (fixed !== undefined && exhausted) || rows.some((r) => r.payload.includes('\n'))) break;
      let take = Math.min(guess, rows.length);
      let data = encodeBlock(rows.slice(0, take));
      if (fixed === undefined) {
        if (data.length < target * 0.8 && take < rows.length) { // compresses better than guessed: take more
          take = Math.min(rows.length, Math.floor((take * target * 0.95) / data.length));
          data = encodeBlock(rows.slice(0, take));
        }
        for (let i = 0; i < 4 && data.length > target && take > MIN_OPS; i++) {
          take = Math.max(MIN_OPS, Math.floor((take * target * 0.95) / data.length));
          data = encodeBlock(rows.slice(0, take));
        }
        if (exhausted && take === rows.length && data.length < target * 0.8) break; // not a whole block yet: later
        guess = Math.max(MIN_OPS, Math.min(MAX_OPS, Math.floor((take * target * 0.95) / data.length)));
      }
      const block = rows.slice(0, take);
      const first = block[0]!.pos;
      last = block.at(-1)!.pos;
      // Never lose a payload: the block must give back every row before the rows let go of theirs.
      const back = decodeBlock(first, data);
      if (back.size !== block.length || block.some((r) => back.get(r.pos) !== r.payload)) throw new Error('op_block: a block did not round-trip');
      putBlock.run(first, last, data);
      const changed = release.run(first, last).changes;
      if (changed !== block.length) throw new Error('op_block: the block and its ops disagree');
      packed += block.length;
    }
  })();
  return packed;
}
