/**
 * The server's files hold personal data (names, marks, absences of children): folders are created
 * 0700 and files 0600, whatever the umask, and existing ones are narrowed when the server opens
 * them. (Windows has no such modes: chmod there only toggles read-only, and is skipped.)
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

const posix = process.platform !== 'win32';

function chmod(path: string, mode: number): void {
  if (posix && existsSync(path)) chmodSync(path, mode);
}

/** Creates `dir` (and missing parents) and makes it 0700. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmod(dir, PRIVATE_DIR);
}

/** An SQLite file and its companions (-wal, -shm, -journal) made 0600, those that exist. */
export function privateDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) chmod(f, PRIVATE_FILE);
}

/**
 * An empty file with mode 0600, for SQLite to fill: SQLite gives a new database the mode 0644 (less
 * the umask) and its -wal and -shm the mode of the database — so a database created into this file
 * stays private with its companions.
 */
export function createPrivateFile(file: string): void {
  writeFileSync(file, '', { mode: PRIVATE_FILE });
  chmod(file, PRIVATE_FILE);
}
