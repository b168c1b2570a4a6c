/**
 * Encryption at rest of a school computer's journal: SQLCipher v4 pages (AES-256 + HMAC-SHA512,
 * through better-sqlite3-multiple-ciphers, installed under the name `better-sqlite3`) with a raw
 * 32-byte key per computer, so no passphrase derivation runs on open. The server's own SQLite
 * files (replicas, the op-log store, snapshots) stay plain: the server's disk is protected by its
 * host, and a snapshot it sends is attached into a desktop journal as a plain file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/** A journal key: 64 hex digits (32 bytes), lower case. */
export type JournalKey = string;

const KEY_RE = /^[0-9a-f]{64}$/;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function isJournalKey(s: string): s is JournalKey {
  return KEY_RE.test(s);
}

/** A new random key for one computer's journal. */
export function newJournalKey(): JournalKey {
  return randomBytes(32).toString('hex');
}

/**
 * Must be the first statements on a connection: the cipher scheme, then the key. The key is
 * checked against KEY_RE first, so it cannot carry SQL.
 */
export function applyJournalKey(sqlite: Database.Database, key: JournalKey): void {
  if (!isJournalKey(key)) throw new Error('journal key must be 64 lower-case hex digits');
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 4');
  sqlite.pragma(`key = "x'${key}'"`);
}

/** Turns a plain database open on `sqlite` into an SQLCipher one in place (the file must not be in WAL mode). */
export function rekeyPlain(sqlite: Database.Database, key: JournalKey): void {
  if (!isJournalKey(key)) throw new Error('journal key must be 64 lower-case hex digits');
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 4');
  sqlite.pragma(`rekey = "x'${key}'"`);
}

/**
 * What a file looks like from its first bytes, without opening it as a database:
 * `empty` (0 bytes), `plain` (an SQLite header), `encrypted` (whole 512-byte pages starting with a
 * random 16-byte salt: an SQLCipher file) or `other`.
 */
export type FileLook = 'empty' | 'plain' | 'encrypted' | 'other';

export function lookAt(file: string): FileLook {
  const size = statSync(file).size;
  if (size === 0) return 'empty';
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(SQLITE_HEADER)) return 'plain';
  // A random salt has ≥ 12 distinct bytes of 16 with probability > 0.9999; text or filler rarely has.
  if (size >= 1024 && size % 512 === 0 && new Set(head).size >= 12) return 'encrypted';
  return 'other';
}
