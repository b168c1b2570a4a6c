/**
 * Password verifiers (R-ACCOUNTS: passwords are never stored in clear). scrypt, memory-hard, with
 * a per-account random salt; the parameters travel inside the verifier so they can be raised later
 * without breaking existing accounts:  scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ONE_TIME, isOneTimeVerifier } from '../journal/one-time';

export interface ScryptCost { logN: number; r: number; p: number }
/** Production cost: N = 2^15, r = 8 (32 MiB, ~50–100 ms on a school computer). */
export const DEFAULT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };

const KEYLEN = 32;

export function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST, salt: Buffer = randomBytes(16)): string {
  const N = 2 ** cost.logN;
  const hash = scryptSync(password.normalize('NFC'), salt, KEYLEN, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r });
  return `scrypt$${cost.logN}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, o: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** `hashPassword` off the main thread (libuv's pool): a server makes verifiers without stalling. */
export async function hashPasswordAsync(password: string, cost: ScryptCost = DEFAULT_COST, salt: Buffer = randomBytes(16)): Promise<string> {
  const N = 2 ** cost.logN;
  const hash = await scryptAsync(password.normalize('NFC'), salt, KEYLEN, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r });
  return `scrypt$${cost.logN}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** The cost a verifier was made with, or undefined if it is not a verifier this code accepts. */
export function verifierCost(verifier: string): ScryptCost | undefined {
  const v = parseVerifier(verifier);
  return v ? { logN: Math.log2(v.N), r: v.r, p: v.p } : undefined;
}

/** scrypt's work grows with N·r·p: a verifier below `cost` is cheaper to check (and to guess). */
export function isWeaker(c: ScryptCost, than: ScryptCost): boolean {
  return 2 ** c.logN * c.r * c.p < 2 ** than.logN * than.r * than.p;
}

interface Parsed { salt: Buffer; expected: Buffer; N: number; r: number; p: number }

function parseVerifier(stored: string): Parsed | null {
  const verifier = isOneTimeVerifier(stored) ? stored.slice(ONE_TIME.length) : stored;
  const parts = verifier.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!(logN >= 10 && logN <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 4)) return null;
  return { salt: Buffer.from(parts[4]!, 'base64'), expected: Buffer.from(parts[5]!, 'base64'), N: 2 ** logN, r, p };
}

export function verifyPassword(password: string, verifier: string): boolean {
  const v = parseVerifier(verifier);
  if (!v) return false;
  const actual = scryptSync(password.normalize('NFC'), v.salt, v.expected.length, { N: v.N, r: v.r, p: v.p, maxmem: 256 * v.N * v.r });
  return actual.length === v.expected.length && timingSafeEqual(actual, v.expected);
}

/** The same check off the main thread (libuv's pool): a server must not stall on a 50–100 ms KDF. */
export function verifyPasswordAsync(password: string, verifier: string): Promise<boolean> {
  const v = parseVerifier(verifier);
  if (!v) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), v.salt, v.expected.length, { N: v.N, r: v.r, p: v.p, maxmem: 256 * v.N * v.r }, (err, actual) => {
      if (err) reject(err);
      else resolve(actual.length === v.expected.length && timingSafeEqual(actual, v.expected));
    });
  });
}
