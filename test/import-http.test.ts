/**
 * Import over the central server's HTTP (R-IMPORT): a list is previewed and applied like on the
 * desktop. Its two routes take bodies up to the import's limit (50 MB as base64, UPLOAD_BODY_LIMIT)
 * and only from the administrator, checked before the body is read; every other method keeps the
 * 256 KB limit. Over a limit: a clear 413 `too_large`, nothing changed — not a crash.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../src-main/admin/import/csv';
import { syncChecksum } from '../src-main/journal/checksum';
import { removeTempDirs, storeKinds } from './support/stores';
import { tinyServers } from './support/server';
import { UPLOAD_BODY_LIMIT } from '../src-server/http/errors';

afterAll(removeTempDirs);

const HEAD = ['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'];
const file = (rows: number) => Buffer.from(writeCsv([HEAD, ...Array.from({ length: rows }, (_, i) => [`Сидоров${i}`, 'Иван', 'Петрович', '01.09.2015', '5А'])])).toString('base64');

for (const kind of storeKinds().slice(0, 1)) {
  describe(`import over HTTP: ${kind.name} store`, () => {
    const open = tinyServers(kind);

    it('previews and applies a list; takes a large one on the upload route; refuses one over the limit with too_large, changing nothing', async () => {
      const t = await open();
      const admin = await t.cookie('admin');
      const small = { what: 'students', fileName: 'ученики.csv', dataBase64: file(20) };
      const p = await t.rpc(admin, 'import.preview', small);
      expect(p.body).toMatchObject({ ok: true, value: { add: 20, errors: [] } });
      expect((await t.rpc(admin, 'import.apply', small)).body).toMatchObject({ ok: true, value: { ops: 20, added: 20 } });
      const replica = await t.server.schools.get('tiny');
      const before = syncChecksum(replica.view.sqlite);
      // 6 000 pupils (≈ 300 KB of JSON, over the 256 KB of other requests): the upload route takes it.
      const many = await t.rpc(admin, 'import.preview', { what: 'students', fileName: 'ученики.csv', dataBase64: file(6000) });
      expect(many.body).toMatchObject({ ok: true, value: { add: 5980, same: 20, errors: [] } }); // the first 20 are in already
      // Over the upload limit: refused before parsing, with the import's own words.
      const huge = { what: 'students', fileName: 'ученики.csv', dataBase64: 'A'.repeat(UPLOAD_BODY_LIMIT) };
      const big = await t.rpc(admin, 'import.apply', huge);
      expect(big.status).toBe(413);
      expect(big.body.error).toMatchObject({ code: 'too_large', message: expect.stringMatching(/^Файл слишком большой: не больше 50 МБ/) });
      // A teacher is refused before the body is read (403, not 413), and other methods keep 256 KB.
      const teacher = await t.cookie('teacher');
      expect((await t.rpc(teacher, 'import.apply', huge)).status).toBe(403);
      const long = await t.rpc(admin, 'school.set', { name: 'Ш'.repeat(300 * 1024), timezone: 'Asia/Yekaterinburg' });
      expect(long.status).toBe(413);
      expect(long.body.error?.message).toMatch(/^Слишком большой запрос/);
      expect(syncChecksum(replica.view.sqlite)).toBe(before);
    });
  });
}
