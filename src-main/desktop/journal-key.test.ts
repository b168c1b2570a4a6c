/** The desktop's journal key: made once per computer, kept only encrypted (safeStorage), never replaced. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS } from '../journal/open';
import { lookAt } from '../journal/cipher';
import { stateChecksum } from '../journal/checksum';
import { tinySchool } from '../../test/support/tiny-school';
import { journalKeyOf, openDesktopJournal } from './journal-key';
import type { Cipher } from './device';

/** What safeStorage does, in plain Node: AES-GCM under a secret of this "user account". */
function accountCipher(secret = randomBytes(32)): Cipher {
  return {
    encrypt: (s) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(s, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt: (b) => {
      const d = createDecipheriv('aes-256-gcm', secret, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

function userData() {
  const dir = mkdtempSync(join(tmpdir(), 'ejournal-desktop-'));
  return { journalFile: join(dir, 'journal.sqlite'), keyFile: join(dir, 'journal.key'), migrationsDir: DEFAULT_MIGRATIONS };
}
const message = (fn: () => unknown) => { try { fn(); return 'ok'; } catch (e) { return (e as Error).message; } };

describe('the journal key of a school computer', () => {
  it('is made on the first start, kept encrypted in a 0600 file, and opens the journal on the next start', () => {
    const p = userData();
    const cipher = accountCipher();
    const j = openDesktopJournal(p, cipher);
    const device = j.device;
    j.close();
    expect(lookAt(p.journalFile)).toBe('encrypted');
    expect(statSync(p.keyFile).mode & 0o777).toBe(0o600);
    const key = journalKeyOf(p.keyFile, p.journalFile, cipher);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(p.keyFile, 'utf8')).not.toContain(key); // not in clear
    const again = openDesktopJournal(p, cipher);
    expect(again.device).toBe(device);
    again.close();
    expect(journalKeyOf(p.keyFile, p.journalFile, cipher)).toBe(key);
  });

  it('encrypts a journal an earlier version left plain, keeping its state', () => {
    const p = userData();
    const { j } = tinySchool(p.journalFile);
    const before = stateChecksum(j.sqlite);
    j.close();
    const k = openDesktopJournal(p, accountCipher());
    expect(stateChecksum(k.sqlite)).toBe(before);
    k.close();
    expect(lookAt(p.journalFile)).toBe('encrypted');
  });

  it('is never replaced: another account cannot read it, and a lost key file is said, not papered over', () => {
    const p = userData();
    openDesktopJournal(p, accountCipher()).close();
    const keyBytes = readFileSync(p.keyFile);
    const journalBytes = readFileSync(p.journalFile);
    expect(message(() => openDesktopJournal(p, accountCipher()))).toMatch(/^Не удаётся прочитать ключ журнала этого компьютера/);
    expect(readFileSync(p.keyFile).equals(keyBytes)).toBe(true);

    const lost = userData();
    copyFileSync(p.journalFile, lost.journalFile);
    expect(message(() => openDesktopJournal(lost, accountCipher()))).toMatch(/^Журнал этого компьютера зашифрован, а файла ключа .* нет/);
    expect(existsSync(lost.keyFile)).toBe(false);
    expect(readFileSync(lost.journalFile).equals(journalBytes)).toBe(true);
  });

  it('says so when the system cannot protect the key, and makes no journal', () => {
    const p = userData();
    const broken: Cipher = { encrypt: () => { throw new Error('Encryption is not available.'); }, decrypt: () => '' };
    expect(message(() => openDesktopJournal(p, broken))).toBe('Не удаётся защитить ключ журнала средствами системы: Encryption is not available.');
    expect(existsSync(p.journalFile)).toBe(false);
    expect(existsSync(p.keyFile)).toBe(false);
  });
});
