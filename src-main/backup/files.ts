/**
 * Backup files in a folder: their names (`<name>-<YYYY-MM-DD>T<HHMMSS>Z.ejbackup`, the moment in
 * UTC), the list a folder holds, and how one is put there. A backup is written under a hidden
 * temporary name (`.<final name>.tmp-<pid>`), checked, flushed to disk and only then renamed into
 * place: a crash or a kill -9 at any moment leaves the earlier backups as they were and no file
 * with a backup's name that is not a whole, checked backup. Retention (retention.ts) deletes only
 * files with a backup's name.
 */
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fsyncPath } from '../journal/fsync-dir';
import { retainBackups, type BackupAt } from './retention';

export const BACKUP_EXT = '.ejbackup';

const NAME_RE = /^(.+)-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d+))?\.ejbackup$/;
/** A temporary file of a backup being written: `.<final name>.tmp-<pid>`, and SQLite's files beside it. */
const TEMP_RE = /^\..+\.ejbackup\.tmp-\d+(-wal|-shm|-journal)?$/;
/** A temporary file untouched this long belongs to a backup that was killed. */
const STALE_MS = 10 * 60_000;

/** What a backup's name may start with: letters, digits, `.`, `_`, `-` (anything else becomes `-`). */
export function backupPrefix(raw: string): string {
  const s = raw.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60);
  return s || 'journal';
}

/** `<prefix>-2026-09-10T101500Z.ejbackup` for a backup made at `ms`. */
export function backupName(prefix: string, ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-09-10T10:15:00.000Z
  return `${backupPrefix(prefix)}-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z${BACKUP_EXT}`;
}

/** The moment a backup's name carries (to the second), or null for a name that is not a backup's. */
export function backupTime(file: string): number | null {
  const m = NAME_RE.exec(basename(file));
  if (!m) return null;
  const ms = Date.parse(`${m[2]}T${m[3]}:${m[4]}:${m[5]}Z`);
  return Number.isNaN(ms) ? null : ms;
}

export interface BackupEntry extends BackupAt { name: string }

/** The backups in `dir` (only names a backup is written under), newest first; [] when there is no folder. */
export function listBackups(dir: string, prefix?: string): BackupEntry[] {
  if (!existsSync(dir)) return [];
  const out: BackupEntry[] = [];
  for (const name of readdirSync(dir)) {
    const at = backupTime(name);
    if (at === null) continue;
    if (prefix !== undefined && NAME_RE.exec(name)![1] !== backupPrefix(prefix)) continue;
    out.push({ name, file: join(dir, name), at });
  }
  return out.sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1));
}

/** The newest backup in `dir`, or null. */
export function lastBackup(dir: string, prefix?: string): BackupEntry | null {
  return listBackups(dir, prefix)[0] ?? null;
}

/** Deletes the backups retention does not keep (the last 14 and the last of every month stay); returns the deleted files. */
export function pruneBackups(dir: string, prefix?: string): string[] {
  const { drop } = retainBackups(listBackups(dir, prefix));
  for (const b of drop) rmSync(b.file, { force: true });
  if (drop.length) fsyncPath(dir);
  return drop.map((b) => b.file);
}

/**
 * Writes a backup into `dir` under the name for `ms`: `write(tmp)` fills a private (0600) temporary
 * file and checks it (throwing when the copy is not right); then the file is flushed, renamed into
 * place and the folder flushed. On any failure the temporary files are removed and nothing else is
 * touched. Temporary files of backups killed earlier (untouched for 10 minutes) are removed first.
 */
export async function placeBackup<T>(dir: string, prefix: string, ms: number, write: (tmp: string) => Promise<T> | T): Promise<{ file: string; value: T }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStaleTemps(dir);
  const file = freeName(dir, backupName(prefix, ms));
  const tmp = join(dir, `.${basename(file)}.tmp-${process.pid}`);
  const siblings = [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`];
  let value: T;
  try {
    for (const f of siblings) rmSync(f, { force: true });
    const fd = openSync(tmp, 'wx', 0o600);
    try { fchmodSync(fd, 0o600); } finally { closeSync(fd); } // personal data: the owner's only, whatever the umask
    value = await write(tmp);
    for (const f of siblings.slice(1)) if (existsSync(f)) throw new Error(`после проверки копии остался файл «${basename(f)}»`);
    fsyncPath(tmp);
    if (existsSync(file)) throw new Error(`файл «${basename(file)}» уже существует`);
    renameSync(tmp, file);
  } catch (err) {
    for (const f of siblings) rmSync(f, { force: true });
    throw err;
  }
  fsyncPath(dir);
  return { file, value };
}

/** Two backups within one second (a start and a quick quit) get `-1`, `-2` … after the moment. */
function freeName(dir: string, name: string): string {
  if (!existsSync(join(dir, name))) return join(dir, name);
  const stem = name.slice(0, -BACKUP_EXT.length);
  for (let i = 1; ; i++) {
    const f = join(dir, `${stem}-${i}${BACKUP_EXT}`);
    if (!existsSync(f)) return f;
  }
}

function removeStaleTemps(dir: string): void {
  const now = Date.now(); // the file system's clock, not the backup's moment (a test's clock may be anywhere)
  for (const name of readdirSync(dir)) {
    if (!TEMP_RE.test(name)) continue;
    const f = join(dir, name);
    try {
      if (now - statSync(f).mtimeMs > STALE_MS) rmSync(f, { force: true });
    } catch {
      // Gone meanwhile: nothing to remove.
    }
  }
}
