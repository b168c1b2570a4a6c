/**
 * The restore drill (docs/backup.md): a demo school's journal is backed up, damaged on disk and
 * restored from the backup — the restored state is the backed-up state and no op is lost; an
 * encrypted journal's backup stays encrypted with its key; a bad backup is never put in place.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../demo/make';
import { openJournal } from '../journal/open';
import { lookAt, newJournalKey } from '../journal/cipher';
import { stateChecksum } from '../journal/checksum';
import { removeTempDirs, tempDir } from '../../test/support/stores';
import { journalDamage } from '../desktop/repair';
import { BackupError, backupJournal, restoreJournal, verifyBackup } from './journal-backup';
import { listBackups, placeBackup, pruneBackups } from './files';

afterAll(removeTempDirs);

const NOW = Date.parse('2026-10-05T07:30:00Z');
const opsOf = (file: string, key?: string) => {
  const j = openJournal(file, { readonly: true, ...(key ? { key } : {}) });
  try {
    return { checksum: stateChecksum(j.sqlite), ops: j.stmt('SELECT count(*) FROM op_record').pluck().get() as number };
  } finally {
    j.close();
  }
};

/** Overwrites 8 KB in the middle of the file: the pages of some table are garbage now. */
function damage(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(statSync(file).size / 2 / 4096) * 4096);
  } finally {
    closeSync(fd);
  }
}

let demo: string;
beforeAll(() => {
  demo = join(tempDir('ejournal-backup-'), 'journal.sqlite');
  makeDemo(demo, { seed: 3, students: 40, today: '2026-10-02' });
});

describe('the restore drill (п. 7.8)', () => {
  it('backs up a journal in use, restores it over a damaged one: the same state, every op', async () => {
    const out = tempDir('ejournal-backups-');
    const j = openJournal(demo);
    const before = { checksum: stateChecksum(j.sqlite), ops: j.stmt('SELECT count(*) FROM op_record').pluck().get() as number };
    const b = await backupJournal(j, out, { now: NOW, name: 'school' });
    expect(j.meta('backup.lastAt')).toBe('2026-10-05T07:30:00.000Z');
    j.close();

    expect(b.file).toBe(join(out, 'school-2026-10-05T073000Z.ejbackup'));
    expect(b).toMatchObject({ checksum: before.checksum, ops: before.ops, createdAt: '2026-10-05T07:30:00.000Z', encrypted: false });
    expect(readdirSync(out)).toEqual(['school-2026-10-05T073000Z.ejbackup']); // one file: no -wal, no temporary left
    expect(statSync(b.file).mode & 0o777).toBe(0o600);
    expect(verifyBackup(b.file)).toMatchObject({ checksum: before.checksum, ops: before.ops });

    damage(demo);
    expect(journalDamage(demo)).not.toBeNull();
    const damagedBytes = readFileSync(demo);

    const r = restoreJournal(b.file, demo, { now: NOW + 3_600_000 });
    expect(r.keptAs).toBe(`${demo}.before-restore-20261005T083000Z`);
    expect(readFileSync(r.keptAs!).equals(damagedBytes)).toBe(true); // the damaged journal is kept, never deleted
    expect(journalDamage(demo)).toBeNull();
    expect(opsOf(demo)).toEqual(before);
    const restored = openJournal(demo);
    try {
      expect(restored.meta('backup.lastAt')).toBe('2026-10-05T07:30:00.000Z');
    } finally {
      restored.close();
    }
  });

  it('an encrypted journal: the backup is encrypted, opens with the same key only, and restores', async () => {
    const dir = tempDir('ejournal-backup-enc-');
    const key = newJournalKey();
    const file = join(dir, 'journal.sqlite');
    makeDemo(file, { seed: 5, students: 30, today: '2026-10-02', key });
    const before = opsOf(file, key);

    const b = await backupJournal(file, join(dir, 'backups'), { key, now: NOW });
    expect(lookAt(b.file)).toBe('encrypted');
    expect(b).toMatchObject({ checksum: before.checksum, ops: before.ops, encrypted: true });
    expect(() => verifyBackup(b.file)).toThrow(/зашифрована: нужен ключ/);
    expect(() => verifyBackup(b.file, newJournalKey())).toThrow(/ключ не подходит/);
    expect(verifyBackup(b.file, key).checksum).toBe(before.checksum);
    const open = openJournal(file, { key });
    try {
      await expect(backupJournal(open, join(dir, 'backups'), { now: NOW })).rejects.toThrow(/нужен его ключ/);
    } finally {
      open.close();
    }

    damage(file);
    const r = restoreJournal(b.file, file, { key, now: NOW });
    expect(r.keptAs).not.toBeNull();
    expect(lookAt(file)).toBe('encrypted');
    expect(opsOf(file, key)).toEqual(before);
  });

  it('a damaged or foreign backup is refused, and the journal in place stays as it was', async () => {
    const dir = tempDir('ejournal-backup-bad-');
    const file = join(dir, 'journal.sqlite');
    writeFileSync(file, readFileSync(demo));
    const b = await backupJournal(file, join(dir, 'backups'), { now: NOW });
    const journalBytes = readFileSync(file);

    damage(b.file);
    expect(() => restoreJournal(b.file, file, { now: NOW })).toThrow(BackupError);
    expect(() => restoreJournal(b.file, file, { now: NOW })).toThrow(/Резервная копия «.+» (повреждена|изменена)/);
    expect(() => restoreJournal(file, file, { now: NOW })).toThrow(/нет описания копии/); // a journal is not a backup
    expect(() => restoreJournal(join(dir, 'nothing.ejbackup'), file, { now: NOW })).toThrow(/не найдена/);
    expect(readFileSync(file).equals(journalBytes)).toBe(true);
    // No temporary, no copy aside (a read-only open of a WAL journal leaves its -shm, as SQLite does).
    expect(readdirSync(dir).filter((f) => !/-(wal|shm)$/.test(f)).sort()).toEqual(['backups', 'journal.sqlite']);
  });

  it('refuses to restore over a journal another program has open', async () => {
    const dir = tempDir('ejournal-backup-busy-');
    const file = join(dir, 'journal.sqlite');
    writeFileSync(file, readFileSync(demo));
    const b = await backupJournal(file, join(dir, 'backups'), { now: NOW });
    const other = openJournal(file);
    try {
      expect(() => restoreJournal(b.file, file, { now: NOW })).toThrow(/открыт другой программой/);
    } finally {
      other.close();
    }
    expect(existsSync(`${file}.before-restore-20261005T073000Z`)).toBe(false);
    expect(restoreJournal(b.file, file, { now: NOW }).keptAs).toBe(`${file}.before-restore-20261005T073000Z`);
  });

  it('restores where no journal is (a lost file)', async () => {
    const dir = tempDir('ejournal-backup-lost-');
    const b = await backupJournal(demo, dir, { now: NOW });
    const r = restoreJournal(b.file, join(dir, 'journal.sqlite'), { now: NOW });
    expect(r.keptAs).toBeNull();
    expect(opsOf(join(dir, 'journal.sqlite')).checksum).toBe(b.checksum);
  });
});

describe('backup files in a folder', () => {
  it('a backup that fails its check leaves no file, and the earlier backups as they were', async () => {
    const out = tempDir('ejournal-backup-fail-');
    const first = await backupJournal(demo, out, { now: NOW, name: 'school' });
    await expect(placeBackup(out, 'school', NOW + 86_400_000, (tmp) => {
      writeFileSync(tmp, 'half a copy');
      throw new BackupError('Копия журнала не совпала с журналом');
    })).rejects.toThrow(/не совпала/);
    expect(readdirSync(out)).toEqual([first.file.slice(out.length + 1)]);
  });

  it('two backups within a second get two names; pruning keeps the last 14 and the last of each month', async () => {
    const out = tempDir('ejournal-backup-prune-');
    const a = await backupJournal(demo, out, { now: NOW, name: 'school' });
    const b = await backupJournal(demo, out, { now: NOW + 200, name: 'school' });
    expect(b.file).not.toBe(a.file);
    expect(b.file).toMatch(/school-2026-10-05T073000Z-1\.ejbackup$/);
    // 20 more days of backups (empty files with backups' names: pruning goes by names only).
    for (let d = 1; d <= 20; d++) writeFileSync(join(out, `school-2026-10-${String(5 + d).padStart(2, '0')}T073000Z.ejbackup`), '');
    writeFileSync(join(out, 'notes.txt'), 'not a backup');
    const dropped = pruneBackups(out);
    expect(dropped).toHaveLength(22 - 14); // all of October: only the 14 newest stay
    expect(listBackups(out)).toHaveLength(14);
    expect(existsSync(join(out, 'notes.txt'))).toBe(true);
  });
});
