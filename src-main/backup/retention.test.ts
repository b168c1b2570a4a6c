import { describe, expect, it } from 'vitest';
import { backupName, backupPrefix, backupTime } from './files';
import { retainBackups } from './retention';

const day = (iso: string) => ({ file: `journal-${iso}.ejbackup`, at: Date.parse(`${iso}T12:00:00Z`) });

/** One backup a day from `from` for `n` days. */
function daily(from: string, n: number) {
  const start = Date.parse(`${from}T12:00:00Z`);
  return Array.from({ length: n }, (_, i) => day(new Date(start + i * 86_400_000).toISOString().slice(0, 10)));
}

describe('retention of backups (п. 7.8)', () => {
  it('keeps everything while there are 14 or fewer', () => {
    const r = retainBackups(daily('2026-09-01', 14));
    expect(r.keep).toHaveLength(14);
    expect(r.drop).toEqual([]);
  });

  it('keeps the last 14 days and the last backup of every earlier month', () => {
    // 1 September 2026 … 31 December 2026: 122 daily backups.
    const all = daily('2026-09-01', 122);
    const { keep, drop } = retainBackups(all);
    const kept = keep.map((b) => b.file.slice(8, 18));
    expect(kept.slice(0, 14)).toEqual(daily('2026-12-18', 14).reverse().map((b) => b.file.slice(8, 18)));
    // December's last is among the 14; September, October and November keep their last day.
    expect(kept.slice(14)).toEqual(['2026-11-30', '2026-10-31', '2026-09-30']);
    expect(drop).toHaveLength(122 - 17);
    expect(keep.length + drop.length).toBe(all.length);
  });

  it('a month with one backup keeps it, however old', () => {
    const all = [day('2025-05-20'), ...daily('2026-09-01', 20)];
    const { keep } = retainBackups(all);
    expect(keep.map((b) => b.file)).toContain('journal-2025-05-20.ejbackup');
    expect(keep.map((b) => b.file)).toContain('journal-2026-09-07.ejbackup'); // the 14th newest
    expect(keep.map((b) => b.file)).not.toContain('journal-2026-09-06.ejbackup'); // the 15th: September's last is the 20th
    expect(keep).toHaveLength(14 + 1); // September's last is already among the 14
  });

  it('two backups of one day: both count among the 14', () => {
    const a = { file: 'journal-2026-09-10T080000Z.ejbackup', at: Date.parse('2026-09-10T08:00:00Z') };
    const b = { file: 'journal-2026-09-10T160000Z.ejbackup', at: Date.parse('2026-09-10T16:00:00Z') };
    expect(retainBackups([a, b], 1)).toEqual({ keep: [b], drop: [a] });
  });
});

describe('backup file names', () => {
  it('carry the moment in UTC to the second, and are read back', () => {
    const ms = Date.parse('2026-09-10T10:15:07.250Z');
    const name = backupName('school-17', ms);
    expect(name).toBe('school-17-2026-09-10T101507Z.ejbackup');
    expect(backupTime(name)).toBe(Date.parse('2026-09-10T10:15:07Z'));
    expect(backupTime('school-17-2026-09-10T101507Z-2.ejbackup')).toBe(Date.parse('2026-09-10T10:15:07Z'));
  });

  it('a temporary or foreign file is not a backup', () => {
    expect(backupTime('.school-17-2026-09-10T101507Z.ejbackup.tmp-123')).toBeNull();
    expect(backupTime('journal.sqlite')).toBeNull();
    expect(backupTime('school-2026-13-40T999999Z.ejbackup')).toBeNull();
  });

  it('a name from a school name or a path keeps letters and digits only', () => {
    expect(backupPrefix('МБОУ «СОШ № 5»')).toBe('МБОУ-СОШ-5');
    expect(backupPrefix('../../etc')).toBe('etc');
    expect(backupPrefix('«»')).toBe('journal');
  });
});
