/**
 * Session and device tokens: `<kind>.<schoolId>.<43 chars of base64url>` (256 random bits). The
 * school in the token routes the look-up to that school's rows (no query spans schools); only the
 * token's SHA-256 is stored, so a copy of the database opens no session.
 */
import { createHash, randomBytes } from 'node:crypto';

export type TokenKind = 's' | 'd';

const TOKEN = /^([sd])\.([a-z0-9][a-z0-9-]{0,23})\.([A-Za-z0-9_-]{43})$/;

export function newToken(kind: TokenKind, schoolId: string): string {
  return `${kind}.${schoolId}.${randomBytes(32).toString('base64url')}`;
}

export function parseToken(token: string): { kind: TokenKind; schoolId: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { kind: m[1] as TokenKind, schoolId: m[2]! } : undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A short tag of an account's password verifier: stored with a session or a computer's sign-in,
 * and compared with the account's current verifier — a changed or reset password ends them.
 */
export function verifierTag(verifier: string | null | undefined): string {
  return createHash('sha256').update(verifier ?? '').digest('base64url').slice(0, 16);
}
