/**
 * Import over the central server's HTTP (R-IMPORT): a list small enough for the server's request
 * limit is previewed and applied like on the desktop; a larger upload is a clear 413 `too_large`
 * with nothing changed — not a crash. (The server's limit is src-server's BODY_LIMIT, 256 KB of
 * JSON today, far below the import's own 50 MB: docs/import.md.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../src-main/admin/import/csv';
import { syncChecksum } from '../src-main/journal/checksum';
import { removeTempDirs, storeKinds } from './support/stores';
import { tinyServers } from './support/server';

afterAll(removeTempDirs);

const HEAD = ['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'];
const file = (rows: number) => Buffer.from(writeCsv([HEAD, ...Array.from({ length: rows }, (_, i) => [`Сидоров${i}`, 'Иван', 'Петрович', '01.09.2015', '5А'])])).toString('base64');

for (const kind of storeKinds().slice(0, 1)) {
  describe(`import over HTTP: ${kind.name} store`, () => {
    const open = tinyServers(kind);

    it('previews and applies a list; refuses one over the request limit with too_large, changing nothing', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      const small = { what: 'students', fileName: 'ученики.csv', dataBase64: file(20) };
      const p = await t.rpc(admin, 'import.preview', small);
      expect(p.body).toMatchObject({ ok: true, value: { add: 20, errors: [] } });
      expect((await t.rpc(admin, 'import.apply', small)).body).toMatchObject({ ok: true, value: { ops: 20, added: 20 } });
      const replica = await t.server.schools.get('tiny');
      const before = syncChecksum(replica.view.sqlite);
      const big = await t.rpc(admin, 'import.apply', { what: 'students', fileName: 'ученики.csv', dataBase64: file(6000) });
      expect(big.status).toBe(413);
      expect(big.body.error).toMatchObject({ code: 'too_large', message: expect.stringMatching(/^Слишком большой запрос/) });
      expect(syncChecksum(replica.view.sqlite)).toBe(before);
    });
  });
}
