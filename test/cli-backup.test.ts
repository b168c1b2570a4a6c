/**
 * `ejournal backup` and `ejournal restore` as a person runs them (real processes, real files), and
 * a backup killed with SIGKILL while it copies or checks: the earlier backups stay as they were,
 * and no file under a backup's name appears that is not a whole, checked backup.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../src-main/demo/make';
import { newJournalKey } from '../src-main/journal/cipher';
import { listBackups } from '../src-main/backup/files';
import { verifyBackup } from '../src-main/backup/journal-backup';
import { killAll, runChild } from './support/child';
import { removeTempDirs, tempDir } from './support/stores';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
function ejournal(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, EJOURNAL_KEY: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterEach(killAll);
afterAll(removeTempDirs);

let small: string;
beforeAll(() => {
  small = join(tempDir('ejournal-cli-backup-'), 'school.sqlite');
  makeDemo(small, { seed: 2, students: 30, today: '2026-10-02' });
  expect(ejournal('help').code).toBe(0); // builds the command when it is stale, before the timed runs
}, 120_000);

function damage(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(statSync(file).size / 2 / 4096) * 4096);
  } finally {
    closeSync(fd);
  }
}

describe('ejournal backup / restore', () => {
  it('backs up, and restores over a damaged journal: check passes with the same ops', () => {
    const dir = tempDir('ejournal-cli-drill-');
    const db = join(dir, 'school.sqlite');
    writeFileSync(db, readFileSync(small));
    const stats = (f: string) => JSON.parse(ejournal('stats', f, '--json').out) as Record<string, number>;
    const before = stats(db);

    const b = ejournal('backup', '--db', db, '--out', join(dir, 'backups'));
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/Резервная копия журнала записана: .+\.ejbackup/);
    expect(b.out).toContain(`проверена: ${before.ops} операций, состояние совпадает с журналом`);
    const [copy] = listBackups(join(dir, 'backups'));
    expect(copy).toBeDefined();

    damage(db);
    expect(ejournal('check', db).code).not.toBe(0);
    const r = ejournal('restore', '--from', copy!.file, '--db', db);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Журнал «.+» восстановлен из резервной копии от \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(r.out).toMatch(/прежний журнал не удалён: .+\.before-restore-\d{8}T\d{6}Z/);
    expect(ejournal('check', db).code).toBe(0);
    expect(stats(db)).toEqual(before);
  }, 120_000);

  it('an encrypted journal with --key-file: the copy needs the key to be restored', () => {
    const dir = tempDir('ejournal-cli-enc-');
    const keyFile = join(dir, 'school.key');
    const key = newJournalKey();
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    const db = join(dir, 'school.sqlite');
    makeDemo(db, { seed: 4, students: 20, today: '2026-10-02', key });

    const b = ejournal('backup', '--db', db, '--out', join(dir, 'backups'), '--key-file', keyFile);
    expect(b.err).toBe('');
    expect(b.out).toContain('зашифрована тем же ключом');
    const [copy] = listBackups(join(dir, 'backups'));
    expect(verifyBackup(copy!.file, key).encrypted).toBe(true);
    const noKey = ejournal('restore', '--from', copy!.file, '--db', db);
    expect(noKey.code).toBe(2);
    expect(noKey.err.trim()).toMatch(/^Резервная копия «.+» зашифрована: нужен ключ журнала/);
    expect(ejournal('restore', '--from', copy!.file, '--db', db, '--key-file', keyFile).code).toBe(0);
    expect(ejournal('check', db, '--key-file', keyFile).code).toBe(0);
  }, 120_000);

  it('refusals are one Russian line and exit 2, and change nothing', () => {
    const dir = tempDir('ejournal-cli-refuse-');
    const db = join(dir, 'school.sqlite');
    writeFileSync(db, readFileSync(small));
    const usage = ejournal('backup', '--db', db);
    expect(usage.code).toBe(2);
    expect(usage.err.trim()).toBe('Укажите: ejournal backup --db ФАЙЛ --out ПАПКА [--key-file КЛЮЧ]');
    expect(ejournal('restore', '--db', db).err.trim()).toMatch(/^Укажите: ejournal restore --from/);
    const missing = ejournal('backup', '--db', join(dir, 'none.sqlite'), '--out', join(dir, 'b'));
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toMatch(/не найден/);

    writeFileSync(join(dir, 'bad.ejbackup'), readFileSync(db)); // a journal, not a backup
    const bytes = readFileSync(db);
    const bad = ejournal('restore', '--from', join(dir, 'bad.ejbackup'), '--db', db);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/нет описания копии/);
    expect(readFileSync(db).equals(bytes)).toBe(true);
  }, 120_000);
});

describe('a backup killed with SIGKILL', () => {
  let big: string;
  beforeAll(() => {
    big = join(tempDir('ejournal-cli-kill-'), 'school.sqlite');
    makeDemo(big, { seed: 1, students: 300, today: '2027-03-01' }); // its check takes a few hundred ms: time to kill in
  }, 120_000);

  /** Starts a backup, kills it `delayMs` after its temporary file appears; returns what the folder holds then. */
  async function killDuringBackup(out: string, delayMs: number): Promise<string[]> {
    const child = runChild(BIN, ['backup', '--db', big, '--out', out]);
    const exited = child.done.then(() => 'exited' as const);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (readdirSync(out).some((f) => f.includes('.tmp-'))) break;
      const r = await Promise.race([exited, new Promise((ok) => setTimeout(ok, 2))]);
      if (r === 'exited' || Date.now() > deadline) throw new Error(`the backup ended before it could be killed: ${child.lines.join('\n')}`);
    }
    if (delayMs) await new Promise((ok) => setTimeout(ok, delayMs));
    child.proc.kill('SIGKILL');
    const r = await child.done;
    expect(r.signal).toBe('SIGKILL');
    expect(r.lines.join('\n')).not.toMatch(/записана/);
    return readdirSync(out);
  }

  it('leaves the earlier backup intact and no file that looks like a whole backup', async () => {
    const out = tempDir('ejournal-cli-kill-out-');
    expect(ejournal('backup', '--db', big, '--out', out).code).toBe(0);
    const [first] = listBackups(out);
    const firstBytes = readFileSync(first!.file);

    for (const delay of [0, 120]) {
      await new Promise((ok) => setTimeout(ok, 1100)); // a new second: a new backup's name
      const left = await killDuringBackup(out, delay);
      expect(listBackups(out).map((b) => b.name)).toEqual([first!.name]);
      expect(left.filter((f) => f.endsWith('.ejbackup'))).toEqual([first!.name]);
      expect(readFileSync(first!.file).equals(firstBytes)).toBe(true);
    }
    expect(() => verifyBackup(first!.file)).not.toThrow();

    // The next backup after the kills is whole and checked; a killed one's temporary file is hidden and not a backup.
    const again = ejournal('backup', '--db', big, '--out', out);
    expect(again.code).toBe(0);
    expect(listBackups(out)).toHaveLength(2);
    for (const b of listBackups(out)) expect(verifyBackup(b.file).ops).toBeGreaterThan(0);
  }, 180_000);
});
