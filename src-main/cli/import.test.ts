/**
 * `ejournal import` and `ejournal export` on real files: the preview is printed (added, changed,
 * errors with row and column), a file with errors is exit 1 with nothing written, --dry-run writes
 * nothing, the template and the export are files the import reads back with no changes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncChecksum } from '../journal/checksum';
import { openJournal } from '../journal/open';
import { tempFile, tinySchool } from '../../test/support/tiny-school';
import { removeTempDirs } from '../../test/support/stores';
import { writeCsv } from '../admin/import/csv';
import { main } from './main';

afterAll(removeTempDirs);

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function school(): { db: string; dir: string; checksum: () => string } {
  const db = tempFile();
  tinySchool(db).j.close();
  return {
    db, dir: dirname(db),
    checksum: () => {
      const j = openJournal(db);
      try { return syncChecksum(j.sqlite); } finally { j.close(); }
    },
  };
}

const NOW = ['--now', '2026-09-10T10:00'];

describe('ejournal import / export', () => {
  it('prints errors with row and column and exits 1, writing nothing; --dry-run prints the plan and writes nothing', async () => {
    const s = school();
    const before = s.checksum();
    const bad = join(s.dir, 'плохой.csv');
    writeFileSync(bad, writeCsv([['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'], ['Сидоров', 'Иван', '', '31.02.2015', '5А'], ['Попов', 'Олег', '', '', '9Я']]));
    const r = await run(['import', bad, '--db', s.db, '--as', 'admin', ...NOW]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'Ошибок: 2 — ничего не загружено:',
      '  строка 2, столбец «Дата рождения»: даты «31.02.2015» не бывает: проверьте день и месяц',
      '  строка 3, столбец «Класс»: класса «9Я» нет в 2026/2027 учебном году; классы: 5А, 6А',
    ]);
    const good = join(s.dir, 'хороший.csv');
    writeFileSync(good, writeCsv([['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'], ['Сидоров', 'Иван', '', '01.02.2015', '5a']]));
    const dry = await run(['import', good, '--db', s.db, '--as', 'admin', '--dry-run', ...NOW]);
    expect(dry).toMatchObject({ code: 0, out: ['«хороший.csv» — ученики и родители: строк 1; добавить 1, изменить 0, без изменений 0', '  строка 2: + Сидоров Иван, 5А', 'Проверка (--dry-run): ничего не записано'] });
    expect(s.checksum()).toBe(before);
  });

  it('applies a file in one go, and the same file again adds nothing; refuses a non-administrator', async () => {
    const s = school();
    const file = join(s.dir, 'ученики.csv');
    writeFileSync(file, writeCsv([['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'], ['Сидоров', 'Иван', '', '01.02.2015', '5А']]));
    const before = s.checksum();
    const teacher = await run(['import', file, '--db', s.db, '--as', 'teacher', ...NOW]);
    expect(teacher).toMatchObject({ code: 1, err: ['Загрузку списков из файлов выполняет ответственный за техподдержку (п. 9.6)'] });
    expect(s.checksum()).toBe(before);
    expect(await run(['import', file, '--db', s.db, '--as', 'admin', ...NOW])).toMatchObject({ code: 0, out: expect.arrayContaining(['Загружено одной операцией журнала: операций 1; добавлено 1, изменено 0, без изменений 0']) });
    expect(await run(['import', file, '--db', s.db, '--as', 'admin', ...NOW])).toMatchObject({ code: 0, out: expect.arrayContaining(['Загружено одной операцией журнала: операций 0; добавлено 0, изменено 0, без изменений 1']) });
  });

  it('writes a template and an export that the import reads back with no changes', async () => {
    const s = school();
    const template = join(s.dir, 't.xlsx');
    expect(await run(['import', '--template', 'staff', '--out', template])).toMatchObject({ code: 0, out: [`Шаблон «работники» записан в «${template}»`] });
    expect(readFileSync(template).subarray(0, 2).toString()).toBe('PK');
    for (const out of ['ученики.xlsx', 'ученики.csv']) {
      const file = join(s.dir, out);
      expect(await run(['export', '--db', s.db, '--as', 'admin', '--what', 'students', '--out', file, ...NOW])).toMatchObject({ code: 0, out: [`Записано строк: 4 — «${file}»`] });
      const back = await run(['import', file, '--db', s.db, '--as', 'admin', '--dry-run', ...NOW]);
      expect(back.out[0]).toBe(`«${out}» — ученики и родители: строк 4; добавить 0, изменить 0, без изменений 4`);
    }
    expect(await run(['export', '--db', s.db, '--as', 'admin', '--what', 'students', '--out', join(s.dir, 'x.pdf')])).toMatchObject({ code: 2, err: ['--out: имя файла с расширением .xlsx или .csv, получено «' + join(s.dir, 'x.pdf') + '»'] });
    expect(existsSync(join(s.dir, 'x.pdf'))).toBe(false);
  });
});
