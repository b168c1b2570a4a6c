/**
 * Durable renames: a file renamed into place survives a power cut only once its folder is on
 * disk too. `fsyncPath` flushes a file or a folder; a platform that cannot open a folder for
 * fsync (Windows) is skipped — NTFS journals the rename itself.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';

export function fsyncPath(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
