/**
 * The server's daily backup of its SQLite store (п. 7.8): a checked copy the server keeps working
 * through, from which a store opens with every school and every op; the schools' status bars show
 * its moment; a day's second start makes no second copy.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../src-main/backup/files';
import { schoolFile, startServer } from '../../test/support/server';
import { removeTempDirs, storeKinds, tempDir } from '../../test/support/stores';
import { backupStore } from './backup';
import { openSqliteStore } from './sqlite';

afterAll(removeTempDirs);

describe('backups of the server store', () => {
  it('a checked copy of the SQLite store opens as the store, with every op', async () => {
    const h = await storeKinds()[0]!.open();
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    try {
      const dir = tempDir('ejournal-store-backup-');
      const head = (await h.store.school('tiny'))!.head;
      const b = await backupStore(h.store, dir, Date.parse('2026-09-10T04:30:00Z'));
      expect(b).toMatchObject({ file: join(dir, 'store-2026-09-10T043000Z.ejbackup'), ops: head });

      // The restore drill of the server: the copy put where a store is, opened as one.
      const restored = join(tempDir('ejournal-store-restored-'), 'store.sqlite');
      copyFileSync(b.file, restored);
      const s = openSqliteStore(restored);
      try {
        expect((await s.schools()).map((x) => x.schoolId)).toEqual(['tiny']);
        expect(await s.readSince('tiny', 0, 100_000)).toEqual(await h.store.readSince('tiny', 0, 100_000));
      } finally {
        await s.close();
      }
    } finally {
      await t.close();
      await h.cleanup();
    }
  });

  it('serve backs the store up at start, once a day, and status.get shows it to the school', async () => {
    const h = await storeKinds()[0]!.open();
    const first = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    const status = async (t: typeof first) => ((await t.rpc(await t.cookie('teacher'), 'status.get', {})).body.value as { lastBackupAt: string | null }).lastBackupAt;
    expect(await status(first)).toBeNull(); // no backups asked for: none made
    await first.close();

    const dir = tempDir('ejournal-serve-backups-');
    for (const at of ['2026-09-10T04:30:00.000Z', '2026-09-10T09:00:00.000Z', '2026-09-11T04:30:00.000Z']) {
      const t = await startServer({ ...h, store: await h.reopen() }, { backupsDir: dir, at });
      try {
        const deadline = Date.now() + 10_000;
        while ((await status(t)) === null && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
      } finally {
        await t.close();
      }
    }
    const names = listBackups(dir).map((b) => b.name);
    expect(names).toEqual(['store-2026-09-11T043000Z.ejbackup', 'store-2026-09-10T043000Z.ejbackup']);
    const last = await startServer({ ...h, store: await h.reopen() }, { backupsDir: dir, at: '2026-09-11T10:00:00.000Z' });
    try {
      let seen: string | null = null;
      const deadline = Date.now() + 10_000;
      while ((seen = await status(last)) !== '2026-09-11T04:30:00.000Z' && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
      expect(seen).toBe('2026-09-11T04:30:00.000Z');
    } finally {
      await last.close();
      await h.cleanup();
    }
  });
});
