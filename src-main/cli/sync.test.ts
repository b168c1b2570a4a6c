/**
 * `ejournal sync` against a real server on a free port: the first run creates and bootstraps the
 * file, the next pushes what was entered offline. The password comes from a file or the
 * environment, never from argv; with a key the new file is encrypted.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/open';
import { lookAt } from '../journal/cipher';
import { syncChecksum } from '../journal/checksum';
import { submit } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { draft } from '../journal/log';
import { T, tempFile } from '../../test/support/tiny-school';
import { storeKinds, removeOnExit, removeTempDirs } from '../../test/support/stores';
import { PASSWORD, schoolFile, startServer } from '../../test/support/server';
import { runSync } from './sync';

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
      const pw = tempFile('password.txt');
      writeFileSync(pw, `${PASSWORD}\n`);
      const argv = ['--db', db, '--server', url, '--login', 'teacher', '--password-file', pw];
      const noTerminal = { env: {}, ask: null };
      expect(await runSync(argv, io, undefined, noTerminal, t.clock)).toBe(0);
      const first = JSON.parse(out.pop()!) as Record<string, number>;
      // A fresh file starts from the school's snapshot, not from pulling the whole log.
      const head = (await t.server.schools.find('tiny'))!.serverSeq;
      expect(first).toMatchObject({ pushed: 0, rejected: 0, pulled: 0, snapshot: head });
      expect(Object.keys(first)).toEqual(['pushed', 'pulled', 'rejected', 'bytesSent', 'bytesReceived', 'ms', 'snapshot']);
      const j = openJournal(db);
      submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: t.clock, guard: regulationGuard }, draft('lesson.update', { id: T.lessons[0], topic: 'Имя существительное' }));
      j.close();
      expect(await runSync(argv.slice(0, 6), io, undefined, { env: { EJOURNAL_PASSWORD: PASSWORD }, ask: null }, t.clock)).toBe(0);
      const second = out.pop()!;
      expect(JSON.parse(second), second + String(openJournal(db).meta('sync.rejected'))).toMatchObject({ pushed: 1, pulled: 1, rejected: 0 });
      // The device was enrolled once (its token is in the journal); each run signs the account in on it.
      expect(openJournal(db).meta('sync.device_token')).toMatch(/^d\.tiny\./);
      await expect(runSync(argv.slice(0, 6), io, undefined, { env: {}, ask: async () => 'wrong' }, t.clock)).rejects.toThrow(/Вход на этом компьютере не выполнен: Неверный логин или пароль/);
      await expect(runSync([...argv.slice(0, 6), '--password', PASSWORD], io, undefined, noTerminal, t.clock)).rejects.toThrow(/Пароль не указывается в командной строке/);
      await expect(runSync(argv.slice(0, 6), io, undefined, noTerminal, t.clock)).rejects.toThrow(/Пароль не указан\. .*--password-file ФАЙЛ.*EJOURNAL_PASSWORD/);

      // A parent or a pupil never gets the school's journal onto a disk (R-PRIVACY, п. 5.11).
      const family = removeOnExit(tempFile('family.sqlite'));
      await expect(runSync(['--db', family, '--server', url, '--login', 'parent', '--password-file', pw], io, undefined, noTerminal, t.clock)).rejects.toThrow(/Компьютер не подключён к школе: Регистрировать компьютеры школы могут только работники/);
      expect(existsSync(family)).toBe(false); // a file this run made and could not enrol is not left behind

      // A new file with a key: the snapshot (a plain file) is installed into an encrypted journal.
      const secret = tempFile('secret.sqlite');
      const keyFile = tempFile('journal.key');
      writeFileSync(keyFile, `${'c3'.repeat(32)}\n`);
      expect(await runSync(['--db', secret, '--server', url, '--login', 'teacher', '--password-file', pw, '--key-file', keyFile], io, undefined, noTerminal, t.clock)).toBe(0);
      expect(JSON.parse(out.pop()!)).toMatchObject({ rejected: 0, snapshot: expect.any(Number) });
      expect(lookAt(secret)).toBe('encrypted');
      expect(readFileSync(secret).includes(Buffer.from('Вануйто'))).toBe(false);
      const plain = openJournal(db);
      const enc = openJournal(secret, { key: readFileSync(keyFile, 'utf8').trim() });
      expect(syncChecksum(enc.sqlite)).toBe(syncChecksum(plain.sqlite));
      enc.close();
      plain.close();
    } finally {
      await t.close();
      await h.cleanup();
    }
  });
});
