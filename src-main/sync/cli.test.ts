/**
 * [5/7] `ejournal sync` against a real server on a free port: the first run creates and
 * bootstraps the file, the next pushes what was entered offline.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/open';
import { submit } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { draft } from '../journal/log';
import { T, tempFile } from '../../test/support/tiny-school';
import { storeKinds, removeOnExit, removeTempDirs } from '../../test/support/stores';
import { PASSWORD, schoolFile, startServer } from '../../test/support/server';
import { runSync } from './cli';

afterAll(removeTempDirs);

describe('ejournal sync', () => {
  it('bootstraps a new file, then pushes and pulls', async () => {
    const h = await storeKinds()[0]!.open();
    const t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
    try {
      const url = await t.server.listen(0, '127.0.0.1');
      const db = removeOnExit(tempFile('desk.sqlite'));
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
      const argv = ['--db', db, '--server', url, '--login', 'teacher', '--password', PASSWORD];
      expect(await runSync(argv, io)).toBe(0);
      const first = JSON.parse(out.pop()!) as Record<string, number>;
      // A fresh file starts from the school's snapshot, not from pulling the whole log.
      const head = (await t.server.schools.find('tiny'))!.serverSeq;
      expect(first).toMatchObject({ pushed: 0, rejected: 0, pulled: 0, snapshot: head });
      expect(Object.keys(first)).toEqual(['pushed', 'pulled', 'rejected', 'bytesSent', 'bytesReceived', 'ms', 'snapshot']);
      const j = openJournal(db);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard }, draft('lesson.update', { id: T.lessons[0], topic: 'Имя существительное' }));
      j.close();
      expect(await runSync(argv, io)).toBe(0);
      expect(JSON.parse(out.pop()!)).toMatchObject({ pushed: 1, pulled: 1, rejected: 0 });
      await expect(runSync([...argv.slice(0, 6), '--password', 'wrong'], io)).rejects.toThrow(/Вход не выполнен/);
    } finally {
      await t.close();
      await h.cleanup();
    }
  });
});
