/** Where a PDF's bytes go: a buffer (for a transport), or a file written whole or not at all. */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Where the bytes go, as pdfkit produces them. */
export interface Sink { write(chunk: Uint8Array): void }

export function bufferSink(): Sink & { bytes(): Buffer } {
  const chunks: Uint8Array[] = [];
  return { write: (c) => { chunks.push(c); }, bytes: () => Buffer.concat(chunks) };
}

/**
 * Writes a PDF to `file` through a temporary file in the same folder and renames it into place:
 * a half-written document is never left behind, an existing one is replaced only by a whole one.
 */
export function writeAtomically<T>(file: string, produce: (sink: Sink) => T): T {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fd: number | undefined = openSync(tmp, 'wx');
  try {
    const out = fd;
    const result = produce({ write: (c) => { writeSync(out, c); } });
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    return result;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
