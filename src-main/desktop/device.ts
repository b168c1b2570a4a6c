/**
 * This computer's enrolment (`<userData>/device.json`): server address, school, device id, and
 * the device token — encrypted by the injected cipher (Electron safeStorage: DPAPI on Windows,
 * the keyring on Linux), never in clear.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Enrolment } from './enrol';

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export function saveEnrolment(file: string, e: Enrolment, c: Cipher): void {
  const { token, ...rest } = e;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...rest, token: c.encrypt(token).toString('base64') }, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

export function loadEnrolment(file: string, c: Cipher): Enrolment | null {
  if (!existsSync(file)) return null;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Enrolment;
    return { ...raw, token: c.decrypt(Buffer.from(raw.token, 'base64')) };
  } catch {
    return null;
  }
}
