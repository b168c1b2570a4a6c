/**
 * The desktop's automatic backups (п. 7.8): the first start of a day makes one, a later start that
 * day does not, every quit does; the status bar's `status.get` shows the last; a failure is
 * reported and never stops the program.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newJournalKey } from '../journal/cipher';
import { encryptJournal } from '../journal/encrypt';
import { openJournal } from '../journal/open';
import { statusView } from '../journal/views';
import { listBackups } from '../backup/files';
import { verifyBackup } from '../backup/journal-backup';
import { removeTempDirs, tempDir } from '../../test/support/stores';
import { fixedClock, tinySchool } from '../../test/support/tiny-school';
import { DesktopBackups } from './backups';

afterAll(removeTempDirs);

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('automatic backups on a school computer', () => {
  it('daily at the first start of a day, at every quit; status.get shows the last', async () => {
    const dir = tempDir('ejournal-desktop-backup-');
    const file = join(dir, 'journal.sqlite');
    tinySchool(file).j.close();
    const key = newJournalKey();
    encryptJournal(file, key);
    const j = openJournal(file, { key });
    const clock = fixedClock('2026-09-10T03:00:00.000Z');
    const errors: Error[] = [];
    const b = new DesktopBackups({ journal: j, dir: join(dir, 'backups'), key, clock, dayOf: utcDay, onError: (e) => errors.push(e) });
    try {
      expect(statusView(j, clock.now()).lastBackupAt).toBeNull();
      const first = await b.daily();
      expect(first).toMatchObject({ encrypted: true, createdAt: '2026-09-10T03:00:00.000Z' });
      expect(verifyBackup(first!.file, key).checksum).toBe(first!.checksum);
      expect(statusView(j, clock.now()).lastBackupAt).toBe('2026-09-10T03:00:00.000Z');

      clock.set('2026-09-10T09:00:00.000Z');
      await b.daily(); // the same day: no second daily backup
      expect(listBackups(join(dir, 'backups'))).toHaveLength(1);
      await b.atQuit();
      expect(listBackups(join(dir, 'backups'))).toHaveLength(2);
      expect(statusView(j, clock.now()).lastBackupAt).toBe('2026-09-10T09:00:00.000Z');

      clock.set('2026-09-11T02:00:00.000Z');
      await b.daily();
      expect(listBackups(join(dir, 'backups')).map((x) => x.name)).toEqual([
        'journal-2026-09-11T020000Z.ejbackup', 'journal-2026-09-10T090000Z.ejbackup', 'journal-2026-09-10T030000Z.ejbackup',
      ]);
      expect(errors).toEqual([]);
    } finally {
      j.close();
    }
  });

  it('keeps the last 14 and the last of every month', async () => {
    const dir = tempDir('ejournal-desktop-prune-');
    const { j } = tinySchool(join(dir, 'journal.sqlite'));
    const out = join(dir, 'backups');
    const clock = fixedClock('2026-09-01T06:00:00.000Z');
    const b = new DesktopBackups({ journal: j, dir: out, key: undefined, clock, dayOf: utcDay });
    try {
      for (let d = 0; d < 50; d++) { // 1 September … 20 October
        clock.set(new Date(Date.parse('2026-09-01T06:00:00.000Z') + d * 86_400_000).toISOString());
        await b.daily();
      }
      const names = listBackups(out).map((x) => x.name);
      expect(names).toHaveLength(15); // 7 … 20 October, and September's last
      expect(names[0]).toBe('journal-2026-10-20T060000Z.ejbackup');
      expect(names[13]).toBe('journal-2026-10-07T060000Z.ejbackup');
      expect(names[14]).toBe('journal-2026-09-30T060000Z.ejbackup');
    } finally {
      j.close();
    }
  });

  it('a backup that cannot be written is reported, and the program goes on', async () => {
    const dir = tempDir('ejournal-desktop-fail-');
    const { j } = tinySchool(join(dir, 'journal.sqlite'));
    writeFileSync(join(dir, 'backups'), 'a file where the folder should be');
    const errors: Error[] = [];
    const b = new DesktopBackups({ journal: j, dir: join(dir, 'backups'), key: undefined, clock: fixedClock(), onError: (e) => errors.push(e) });
    try {
      expect(await b.atQuit()).toBeNull();
      expect(errors).toHaveLength(1);
      expect(j.meta('backup.lastAt')).toBeUndefined();
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    } finally {
      j.close();
    }
  });
});
