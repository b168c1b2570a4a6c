/**
 * The desktop's start with a damaged journal (docs/security.md, "Integrity at rest"): repaired
 * from the school's server when the computer is enrolled — its unsent mark kept and sent —, from
 * its newest good backup when it is not, and a clear Russian refusal when there is none; a sound
 * journal just opens.
 */
import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { draft } from '../journal/log';
import { DEFAULT_MIGRATIONS } from '../journal/open';
import { outboxCount } from '../journal/outbox';
import { syncOnce, type SyncFetch } from '../sync/client';
import { deviceToken, schoolFile, startServer } from '../../test/support/server';
import { removeTempDirs, storeKinds, tempDir } from '../../test/support/stores';
import { T, fixedClock } from '../../test/support/tiny-school';
import { stateChecksum } from '../journal/checksum';
import type { Cipher } from './device';
import { startDesktopJournal } from './start-journal';

afterAll(removeTempDirs);

/** Stands in for safeStorage: reversible, never the clear text on disk. */
const cipher: Cipher = {
  encrypt: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x33)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x33)).toString('utf8'),
};
const syncFetch: SyncFetch = (u, init) => fetch(u, {
  method: init.method, headers: init.headers,
  ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) }),
});

/** 64 bytes of noise in the middle of a page in the middle of the file (the disk lost a sector), or of every page past the first few. */
function damage(file: string, where: 'one' | 'everywhere' = 'one'): void {
  const pages = Math.floor(statSync(file).size / 4096);
  const fd = openSync(file, 'r+');
  try {
    const hit = where === 'one' ? [Math.floor(pages / 2)] : Array.from({ length: Math.max(0, pages - 4) }, (_, i) => i + 3);
    for (const p of hit) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, p * 4096 + 2048);
  } finally {
    closeSync(fd);
  }
}

describe('the desktop journal at start', () => {
  it('a damaged journal of an enrolled computer is repaired from the server with its unsent mark; not enrolled, it is refused in Russian', async () => {
    const h = await storeKinds()[0]!.open();
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    try {
      const url = await t.server.listen(0, '127.0.0.1');
      const dir = tempDir('ejournal-start-');
      const files = { journalFile: join(dir, 'journal.sqlite'), keyFile: join(dir, 'journal.key'), migrationsDir: DEFAULT_MIGRATIONS, backupsDir: join(dir, 'backups') };
      const offline = { enrolment: null, fetch: syncFetch, clock: t.clock };
      const first = await startDesktopJournal(files, cipher, offline);
      const j = first.journal;
      expect(first.repair).toBeUndefined();
      expect(await first.backups.daily()).toMatchObject({ encrypted: true }); // the day's backup, begun at start
      const token = await deviceToken(t, j.device);
      const enrolment = { serverUrl: url.replace(/\/+$/, ''), schoolId: 'tiny', deviceId: j.device, name: 'Кабинет 5', token };
      expect((await syncOnce({ journal: j, server: url, token, fetch: syncFetch, clock: t.clock, snapshot: {} })).ok).toBe(true);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard }, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5' }] }));
      expect(outboxCount(j)).toBe(1);
      j.close();
      damage(files.journalFile);

      await expect(startDesktopJournal({ ...files, backupsDir: join(dir, 'no-backups') }, cipher, offline)).rejects.toThrow(/Журнал этого компьютера повреждён \(quick_check[^]*не подключён к серверу школы, а годной резервной копии/);
      const repaired = await startDesktopJournal(files, cipher, { ...offline, enrolment });
      expect(repaired.repair).toMatchObject({ lost: [] });
      const r = await syncOnce({ journal: repaired.journal, server: url, token, fetch: syncFetch, clock: t.clock, snapshot: {} });
      expect(r).toMatchObject({ ok: true, pushed: 1, checksumMatch: true });
      const replica = (await t.server.schools.find('tiny'))!;
      expect(replica.view.stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(T.lessons[0], T.students[0])).toBe('5');
      repaired.journal.close();

      // A disk that lost a sector in every page past the first few: whatever can be read is, the rest is listed.
      damage(files.journalFile, 'everywhere');
      const again = await startDesktopJournal(files, cipher, { ...offline, enrolment });
      expect(again.repair).toBeDefined();
      expect((await syncOnce({ journal: again.journal, server: url, token, fetch: syncFetch, clock: t.clock, snapshot: {} })).checksumMatch).toBe(true);
      again.journal.close();
    } finally {
      await t.close();
      await h.cleanup();
    }
  });

  it('a damaged journal of a computer working alone is restored from its newest good backup; the damaged one is kept', async () => {
    const dir = tempDir('ejournal-start-alone-');
    const files = { journalFile: join(dir, 'journal.sqlite'), keyFile: join(dir, 'journal.key'), migrationsDir: DEFAULT_MIGRATIONS, backupsDir: join(dir, 'backups') };
    const clock = fixedClock('2026-09-10T04:00:00.000Z');
    const offline = { enrolment: null, fetch: syncFetch, clock };
    const first = await startDesktopJournal(files, cipher, offline);
    const good = await first.backups.daily();
    expect(good).not.toBeNull();
    const checksum = stateChecksum(first.journal.sqlite);
    first.journal.close();
    clock.set('2026-09-11T04:00:00.000Z');
    writeFileSync(join(files.backupsDir, 'journal-2026-09-11T030000Z.ejbackup'), 'a newer backup that is not one'); // skipped
    damage(files.journalFile, 'everywhere');

    const started = await startDesktopJournal(files, cipher, offline);
    try {
      expect(started.restored).toMatchObject({ from: good!.file, checksum, keptAs: `${files.journalFile}.before-restore-20260911T040000Z` });
      expect(stateChecksum(started.journal.sqlite)).toBe(checksum);
      expect(existsSync(started.restored!.keptAs!)).toBe(true);
      await started.backups.daily();
    } finally {
      started.journal.close();
    }
  });
});
