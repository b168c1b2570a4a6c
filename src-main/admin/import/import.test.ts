/**
 * Import and export of the school's lists (R-IMPORT, п. 9.6), end to end through the contract on
 * a real journal file, with real files on disk: a file with any error changes nothing (the
 * journal's checksum is the same), a good file is one transaction, the same file again is zero
 * ops, an export imports back with no changes, and only the administrator may do any of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../contract/dispatch';
import { submit } from '../../commands/execute';
import { syncChecksum } from '../../journal/checksum';
import { draft } from '../../journal/log';
import type { Journal } from '../../journal/open';
import { fixedClock, T, tempFile, tinySchool } from '../../../test/support/tiny-school';
import { removeTempDirs } from '../../../test/support/stores';
import { writeCsv } from './csv';

afterAll(removeTempDirs);

const NOW = fixedClock('2026-09-10T10:00:00.000Z');
let j: Journal;
let dir: string;

beforeEach(() => {
  const file = tempFile();
  dir = dirname(file);
  const school = tinySchool(file);
  j = school.j;
  submit(school.admin,
    draft('group.set', { id: 'g-robot', yearId: T.year, name: 'Робототехника', kind: 'club' }),
    draft('group.set', { id: 'g-en1', yearId: T.year, name: 'Английский 1', kind: 'subgroup', classId: T.cls }),
    draft('group.set', { id: 'g6a', yearId: T.year, name: '6А', kind: 'class', classId: T.otherCls }),
    draft('group.set', { id: 'g-math', yearId: T.year, name: 'Практикум (5А, 6А)', kind: 'elective' }),
    // The diary form is recorded by a deputy, a class teacher or the parent (R-CONSENT): an administrator who is also a deputy.
    draft('staff.set', { id: 'st-zam', lastName: 'Зуева', firstName: 'Анна', position: 'заместитель директора' }),
    draft('account.set', { id: 'acc-zam', login: 'zam', personKind: 'staff', personId: 'st-zam', roles: ['admin', 'deputy'] }),
  );
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each method's answer is checked against its contract schema (checkOutput)
type Res = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };
const call = (method: string, input: unknown, accountId: string = T.admin): Res =>
  dispatch({ journal: j, accountId, clock: NOW, checkOutput: true }, method, input) as Res;

/** A file written to disk and read back, as the desktop and the CLI send it. */
function onDisk(name: string, bytes: Uint8Array): { fileName: string; dataBase64: string } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { fileName: name, dataBase64: readFileSync(path).toString('base64') };
}
const preview = (what: string, f: { fileName: string; dataBase64: string }, as?: string) => call('import.preview', { what, ...f }, as);
const apply = (what: string, f: { fileName: string; dataBase64: string }, as?: string) => call('import.apply', { what, ...f }, as);
const value = (r: Res) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const count = (table: string) => j.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const HEAD = ['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс'];
const PARENT1 = ['Родитель 1: Фамилия', 'Родитель 1: Имя', 'Родитель 1: Отчество', 'Родитель 1: Телефон', 'Родитель 1: E-mail', 'Родитель 1: Степень родства'];

async function xlsx(fill: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Список'));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Windows-1251, as a Russian Excel saves «CSV (разделители — запятые)». */
function cp1251(text: string): Uint8Array {
  return Uint8Array.from([...text].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    if (ch === 'Ё') return 0xa8;
    if (ch === 'ё') return 0xb8;
    throw new Error(`not in cp1251: ${ch}`);
  }));
}

/** A ZIP written by hand: entries with the sizes its central directory claims. */
function zip(entries: { name: string; data: Buffer; claim?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const packed = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.claim ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(e.data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc32(e.data), 16); cd.writeUInt32LE(packed.length, 20); cd.writeUInt32LE(size, 24); cd.writeUInt16LE(name.length, 28); cd.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(cd, name);
    offset += 30 + name.length + packed.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, end]);
}

/** The file is refused at preview and at apply, and the journal is exactly as it was. */
function refusedWithNothingChanged(what: string, f: { fileName: string; dataBase64: string }): { row: number | null; column: string | null; message: string }[] {
  const before = syncChecksum(j.sqlite);
  const p = value(preview(what, f));
  expect(p.errors.length).toBeGreaterThan(0);
  const a = apply(what, f);
  expect(a.ok).toBe(false);
  expect(syncChecksum(j.sqlite)).toBe(before);
  return p.errors;
}

describe('a file that is not a good list changes nothing (R-IMPORT)', () => {
  it('refuses a PNG picture and a PDF document: not a table', () => {
    const png = onDisk('фото.xlsx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(refusedWithNothingChanged('students', png)[0]!.message).toMatch(/картинка PNG, а не таблица/);
    const pdf = onDisk('список.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1'));
    expect(refusedWithNothingChanged('students', pdf)[0]!.message).toMatch(/документ PDF, а не таблица/);
  });

  it('refuses a password-protected workbook with the way to remove the password, and an old .xls with the way to convert it', () => {
    const cfb = (stream: string) => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504), Buffer.from(stream, 'utf16le'), Buffer.alloc(64)]);
    expect(refusedWithNothingChanged('students', onDisk('закрыт.xlsx', cfb('EncryptedPackage')))[0]!.message).toMatch(/^Файл защищён паролем: снимите пароль в Excel и сохраните заново/);
    expect(refusedWithNothingChanged('students', onDisk('старый.xls', cfb('Workbook')))[0]!.message).toMatch(/старого формата Excel 97–2003 \(\.xls\).*сохраните как «Книга Excel \(\.xlsx\)»/);
  });

  it('refuses a zip bomb by its central directory before exceljs unpacks anything: too big declared, or bigger than declared', () => {
    const workbook = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };
    const declared = zip([workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), claim: 150 * 1024 * 1024 }]);
    expect(refusedWithNothingChanged('students', onDisk('бомба1.xlsx', declared))[0]!.message).toMatch(/опасный архив \(после распаковки больше 100 МБ\)/);
    const lying = zip([workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024), claim: 1000 }]);
    expect(lying.length).toBeLessThan(100 * 1024);
    expect(refusedWithNothingChanged('students', onDisk('бомба2.xlsx', lying))[0]!.message).toMatch(/опасный архив \(часть «xl\/worksheets\/sheet1\.xml» распаковывается больше заявленного размера\)/);
    const ratio = zip([workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024) }]);
    expect(refusedWithNothingChanged('students', onDisk('бомба3.xlsx', ratio))[0]!.message).toMatch(/опасный архив \(часть «xl\/worksheets\/sheet1\.xml» сжата в \d+ раз\)/);
  });

  it('refuses a file over 50 MB before parsing it, and an empty file', () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 0x41);
    expect(refusedWithNothingChanged('students', onDisk('большой.csv', big))[0]!.message).toMatch(/Файл слишком большой \(50 МБ\): не больше 50 МБ/);
    expect(refusedWithNothingChanged('students', onDisk('пустой.csv', Buffer.alloc(0)))[0]!.message).toBe('Файл пустой: в нём нет ни одной строки');
    expect(refusedWithNothingChanged('students', onDisk('пробелы.csv', Buffer.from(';;;\r\n  \r\n')))[0]!.message).toBe('Файл пустой: в нём нет ни одной строки');
  });

  it('refuses a formula at its row and column: «формулы не допускаются: вставьте значения»', async () => {
    const f = onDisk('формула.xlsx', await xlsx((ws) => {
      ws.addRow(HEAD);
      ws.addRow(['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А']);
      ws.addRow(['Сидорова', 'Анна', 'Петровна', '01.09.2016', { formula: 'A2&"А"', result: '5А' }]);
    }));
    expect(refusedWithNothingChanged('students', f)).toEqual([{ row: 3, column: 'Класс', message: expect.stringMatching(/^формулы не допускаются: вставьте значения/) }]);
  });

  it('refuses merged cells among the rows, naming the range; a merged title above the header is fine', async () => {
    const f = onDisk('объединены.xlsx', await xlsx((ws) => {
      ws.addRow(['Список учеников 5А']);
      ws.mergeCells('A1:E1');
      ws.addRow(HEAD);
      ws.addRow(['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А']);
      ws.addRow(['Сидорова', 'Анна', 'Петровна', '01.09.2016', '5А']);
      ws.mergeCells('E3:E4');
    }));
    expect(refusedWithNothingChanged('students', f)).toEqual([{ row: 3, column: 'Класс', message: 'объединённые ячейки E3:E4 не допускаются: разъедините их и заполните каждую ячейку' }]);
  });

  it('refuses a file without the header row, naming the missing required columns', () => {
    const f = onDisk('без заголовка.csv', writeCsv([['Фамилия', 'Имя', 'Класс'], ['Сидоров', 'Иван', '5А']]));
    expect(refusedWithNothingChanged('students', f)[0]).toEqual({ row: null, column: null, message: expect.stringMatching(/в первых 10 строках нет столбцов «Отчество», «Дата рождения»/) });
  });

  it('refuses an impossible date (31.02.2015) at its row and column', () => {
    const f = onDisk('дата.csv', writeCsv([HEAD, ['Сидоров', 'Иван', 'Петрович', '31.02.2015', '5А'], ['Сидорова', 'Анна', '', 'вчера', '5А']]));
    expect(refusedWithNothingChanged('students', f)).toEqual([
      { row: 2, column: 'Дата рождения', message: 'даты «31.02.2015» не бывает: проверьте день и месяц' },
      { row: 3, column: 'Дата рождения', message: expect.stringMatching(/^«вчера» — не дата: укажите дату в виде ДД\.ММ\.ГГГГ/) },
    ]);
  });

  it('refuses an unknown class: the row, «Класс», the value and the classes there are', () => {
    const f = onDisk('класс.csv', writeCsv([HEAD, ['Сидоров', 'Иван', 'Петрович', '01.09.2015', '7Б']]));
    expect(refusedWithNothingChanged('students', f)).toEqual([{ row: 2, column: 'Класс', message: 'класса «7Б» нет в 2026/2027 учебном году; классы: 5А, 6А' }]);
  });

  it('refuses a pupil twice in one file, naming both rows', () => {
    const f = onDisk('дубль.csv', writeCsv([HEAD, ['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А'], ['Попов', 'Олег', '', '', '5А'], ['сидоров', 'Иван', 'Петрович', '2015-09-01', '5a']]));
    expect(refusedWithNothingChanged('students', f)).toEqual([{ row: 4, column: 'Фамилия', message: 'ученик сидоров Иван Петрович указан дважды: строки 2 и 4' }]);
  });

  it('records the diary form as a plain administrator keeping the register (R-CONSENT, п. 7.2, 9.6)', () => {
    const f = onDisk('форма.csv', writeCsv([[...HEAD, 'Родитель 1: Фамилия', 'Родитель 1: Имя', 'Форма дневника', 'Дата выбора формы дневника'], ['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А', 'Сидорова', 'Анна', 'бумажный', '28.08.2026']]));
    expect(value(apply('students', f))).toMatchObject({ added: 1 });
    expect(j.sqlite.prepare("SELECT c.value, c.date FROM consent c JOIN parent p ON p.id = c.parent_id WHERE p.last_name = 'Сидорова' AND c.kind = 'diary_mode'").get())
      .toEqual({ value: 'paper', date: '2026-08-28' });
  });
});

describe('a good file is applied in one transaction, and again changes nothing', () => {
  it('loads pupils with parents from XLSX: a title above the header, Excel dates and serials, rich text, Latin 5A, groups, the diary form', async () => {
    const f = onDisk('ученики.xlsx', await xlsx((ws) => {
      ws.addRow(['МБОУ «Тестовая СОШ»: ученики 2026/2027']);
      ws.addRow([]);
      ws.addRow([...HEAD, 'Пол', 'Группы', 'Медицинская группа', 'Освобождение от физкультуры до', 'Индивидуальный план', 'Обучение на дому', ...PARENT1, 'Родитель 2: Фамилия', 'Родитель 2: Имя', 'Форма дневника', '№ в книге']);
      ws.addRow(['Сидоров', { richText: [{ text: 'Ив' }, { text: 'ан', font: { bold: true } }] }, 'Петрович', new Date(Date.UTC(2015, 8, 1)), '5A', 'м', 'Робототехника, Английский 1', 'подготовительная', '31.05.2027', 'нет', 'да',
        'Сидорова', 'Анна', 'Ивановна', '+7 912 000-00-01', 'anna@example.ru', 'мать', 'Сидоров', 'Пётр', 'электронный', 17]);
      ws.addRow(['Сидорова', 'Мария', 'Петровна', 42675, '5 а', 'ж', '', '', '', '', '', 'Сидорова', 'Анна', 'Ивановна', '+7 912 000-00-01', '', 'мать', '', '', 'электронный', 18]);
    }));
    const before = syncChecksum(j.sqlite);
    const p = value(preview('students', f, 'acc-zam'));
    expect(p.errors).toEqual([]);
    expect(syncChecksum(j.sqlite)).toBe(before); // a preview writes nothing
    expect(p).toMatchObject({ rows: 2, add: 2, change: 0, same: 0, ignoredColumns: ['№ в книге'] });
    expect(p.items.map((i: { row: number; what: string }) => [i.row, i.what])).toEqual([[4, 'Сидоров Иван Петрович, 5А'], [5, 'Сидорова Мария Петровна, 5А']]);
    const parents = count('parent');
    const r = value(apply('students', f, 'acc-zam'));
    expect(r).toMatchObject({ added: 2, changed: 0, unchanged: 0 });
    const ivan = j.sqlite.prepare("SELECT * FROM student WHERE first_name = 'Иван' AND last_name = 'Сидоров'").get() as Record<string, unknown>;
    expect(ivan).toMatchObject({ birth_date: '2015-09-01', class_id: T.cls, medical_group: 'preparatory', pe_exempt_until: '2027-05-31', home_schooling: 1, individual_plan: 0 });
    const maria = j.sqlite.prepare("SELECT birth_date FROM student WHERE first_name = 'Мария'").pluck().get();
    expect(maria).toBe('2016-11-01'); // Excel serial 42675
    expect(count('parent')).toBe(parents + 2); // the mother once for both children, the father
    const mother = j.sqlite.prepare("SELECT id, phone, email FROM parent WHERE first_name = 'Анна' AND last_name = 'Сидорова'").get() as { id: string };
    expect(mother).toMatchObject({ phone: '+7 912 000-00-01', email: 'anna@example.ru' });
    expect(j.sqlite.prepare('SELECT count(*) FROM parent_student WHERE parent_id = ?').pluck().get(mother.id)).toBe(2);
    expect(j.sqlite.prepare("SELECT value, date FROM consent WHERE parent_id = ? AND kind = 'diary_mode'").get(mother.id)).toEqual({ value: 'electronic', date: '2026-09-10' });
    expect(j.sqlite.prepare("SELECT group_id FROM group_member WHERE student_id = ? ORDER BY group_id").pluck().all(ivan.id)).toEqual(['g-en1', 'g-robot']);

    const again = syncChecksum(j.sqlite);
    expect(value(apply('students', f, 'acc-zam'))).toMatchObject({ ops: 0, added: 0, changed: 0, unchanged: 2 });
    expect(syncChecksum(j.sqlite)).toBe(again);
  });

  it('loads a CSV in Windows-1251 with «;», quotes, CRLF; the same file again is 0 ops', () => {
    const text = [
      'Фамилия;Имя;Отчество;Дата рождения;Класс;Родитель 1: Фамилия;Родитель 1: Имя;Родитель 1: Телефон;Родитель 1: Степень родства',
      'Ёжиков;Семён;Алексеевич;05.03.2015;5-А;Ёжикова;Дарья;"+7 (912) 111-22-33";"мать; опекун"',
      '"Ли ""Младший""";Ян;;2015-04-01;6А;;;;',
    ].join('\r\n');
    const f = onDisk('ученики-1251.csv', cp1251(text));
    const p = value(preview('students', f));
    expect(p).toMatchObject({ errors: [], add: 2 });
    expect(p.items[1].what).toBe('Ли "Младший" Ян, 6А');
    expect(value(apply('students', f)).ops).toBe(4); // 2 pupils, a parent and the link
    expect(j.sqlite.prepare("SELECT relation FROM parent_student ps JOIN parent p ON p.id = ps.parent_id WHERE p.last_name = 'Ёжикова'").pluck().get()).toBe('мать; опекун');
    const before = syncChecksum(j.sqlite);
    expect(value(apply('students', f)).ops).toBe(0);
    expect(syncChecksum(j.sqlite)).toBe(before);
  });

  it('updates a parent whose phone changed instead of adding a second one', () => {
    const row = (phone: string) => writeCsv([[...HEAD, ...PARENT1], ['Петров', 'Пётр', 'Ильич', '', '5А', 'Петрова', 'Елена', '', phone, '', 'мать']]);
    value(apply('students', onDisk('1.csv', row('+79120000001'))));
    const parents = count('parent');
    const p = value(preview('students', onDisk('2.csv', row('+79120000002'))));
    expect(p).toMatchObject({ add: 0, change: 1, same: 0 });
    expect(p.items[0].changes).toEqual(['родитель 1 (Петрова Елена): телефон: +79120000001 → +79120000002']);
    value(apply('students', onDisk('2.csv', row('+79120000002'))));
    expect(count('parent')).toBe(parents);
    expect(j.sqlite.prepare("SELECT phone FROM parent WHERE id = 'p-1'").pluck().get()).toBe('+79120000002');
  });

  it('loads staff with accounts (login and roles, no password), classes with groups, and the curriculum with teacher load', () => {
    const staff = onDisk('работники.csv', writeCsv([
      ['Фамилия', 'Имя', 'Отчество', 'Должность', 'Логин', 'Роли'],
      ['Орлова', 'Нина', 'Павловна', 'учитель математики', 'orlova', 'учитель, классный руководитель'],
      ['Иванова', 'Мария', 'Петровна', 'учитель русского языка и литературы', 'teacher', 'Учитель, Классный руководитель'],
    ]));
    const ps = value(preview('staff', staff));
    expect(ps).toMatchObject({ errors: [], add: 1, change: 1 });
    expect(ps.items[1].changes).toEqual(['должность: учитель русского языка → учитель русского языка и литературы']);
    value(apply('staff', staff));
    expect(j.sqlite.prepare("SELECT roles, verifier FROM account WHERE login = 'orlova'").get()).toEqual({ roles: '["class_teacher","teacher"]', verifier: null });

    const classes = onDisk('классы.csv', writeCsv([
      ['Название', 'Вид', 'Класс', 'Классный руководитель'],
      ['Информатика 7Б', 'подгруппа', '7Б', ''],
      ['7Б', 'класс', '', 'Орлова Нина Павловна'],
    ]));
    expect(value(preview('classes', classes))).toMatchObject({ errors: [], add: 2 });
    value(apply('classes', classes));
    const cls7b = j.sqlite.prepare("SELECT id, class_teacher_id AS teacher FROM class WHERE grade = 7").get() as { id: string; teacher: string };
    expect(j.sqlite.prepare("SELECT name, kind FROM grp WHERE class_id = ? ORDER BY kind").all(cls7b.id)).toEqual([{ name: '7Б', kind: 'class' }, { name: 'Информатика 7Б', kind: 'subgroup' }]);

    const plan = onDisk('план.csv', writeCsv([
      ['Класс или группа', 'Предмет', 'Часов в неделю', 'Учитель'],
      ['7Б', 'Алгебра', '3', 'orlova'],
      ['5А', 'Русский язык', '5', 'Иванова Мария Петровна'],
      ['Информатика 7Б', 'Информатика', '0,5', 'Орлова Нина'],
    ]));
    const pc = value(preview('curriculum', plan));
    expect(pc).toMatchObject({ errors: [], add: 2, same: 1 });
    value(apply('curriculum', plan));
    expect(j.sqlite.prepare("SELECT s.code, c.hours_per_week AS h FROM course c JOIN subject s ON s.id = c.subject_id WHERE s.name IN ('Алгебра', 'Информатика') ORDER BY s.name").all())
      .toEqual([{ code: 'algebra', h: 3 }, { code: 'informatics', h: 0.5 }]);
    for (const [what, f] of [['staff', staff], ['classes', classes], ['curriculum', plan]] as const) expect(value(apply(what, f)).ops).toBe(0);
  });

  it('does not let the administrator take the administrator role from their own account', () => {
    const f = onDisk('я.csv', writeCsv([['Фамилия', 'Имя', 'Отчество', 'Логин', 'Роли'], ['Смирнов', 'Олег', '', 'admin', 'учитель']]));
    expect(refusedWithNothingChanged('staff', f)).toEqual([{ row: 2, column: 'Роли', message: expect.stringMatching(/свою роль «Ответственный за техподдержку» снять нельзя/) }]);
  });
});

describe('export', () => {
  it('round-trips: every list exported as XLSX and as CSV imports back with no changes and 0 ops', async () => {
    // Some content first: pupils with parents, groups and a diary form.
    value(apply('students', onDisk('a.csv', writeCsv([[...HEAD, 'Группы', ...PARENT1, 'Форма дневника', 'Дата выбора формы дневника'],
      ['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А', 'практикум (5А, 6А); Робототехника', 'Сидорова', 'Анна', '', '+79120000001', 'a@b.ru', 'мать', 'бумажный', '02.09.2026']])), 'acc-zam'));
    expect(j.sqlite.prepare("SELECT group_id FROM group_member ORDER BY group_id").pluck().all()).toEqual(['g-math', 'g-robot']); // a comma inside a group's name
    for (const what of ['students', 'staff', 'classes', 'curriculum']) {
      for (const format of ['xlsx', 'csv']) {
        const e = value(call('setup.export', { what, format }));
        expect(e.fileName).toMatch(new RegExp(`\\.${format}$`));
        const before = syncChecksum(j.sqlite);
        const p = value(preview(what, onDisk(e.fileName, Buffer.from(e.dataBase64, 'base64'))));
        expect({ what, format, errors: p.errors, add: p.add, change: p.change, same: p.same }).toEqual({ what, format, errors: [], add: 0, change: 0, same: e.rows });
        expect(value(apply(what, { fileName: e.fileName, dataBase64: e.dataBase64 })).ops).toBe(0);
        expect(syncChecksum(j.sqlite)).toBe(before);
      }
    }
  });

  it('makes templates: XLSX with a bold frozen header, column widths and the «Инструкция» sheet; CSV with a BOM and «;»', async () => {
    const t = value(call('import.template', { what: 'students', format: 'xlsx' }));
    expect(t.fileName).toBe('ученики (шаблон).xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(t.dataBase64, 'base64') as never);
    const [sheet, help] = wb.worksheets;
    expect(sheet!.getRow(1).values).toEqual([undefined, ...HEAD, 'Группы', 'Медицинская группа', 'Освобождение от физкультуры до', 'Индивидуальный план', 'Обучение на дому',
      ...PARENT1, ...PARENT1.map((h) => h.replace('1', '2')), 'Форма дневника', 'Дата выбора формы дневника']);
    expect(sheet!.getCell('A1').font?.bold).toBe(true);
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet!.getColumn(1).width).toBe(16);
    expect(help!.name).toBe('Инструкция');
    expect(String(help!.getCell('A1').value)).toBe('Ученики и родители: как заполнить');
    const csv = Buffer.from(value(call('import.template', { what: 'curriculum', format: 'csv' })).dataBase64, 'base64');
    expect(csv.toString('utf8')).toBe('\uFEFFКласс или группа;Предмет;Сокращение;Часов в неделю;Учитель\r\n');
  });
});

describe('who may', () => {
  it('refuses preview, apply, template and export to anyone but the administrator, changing nothing (п. 9.6)', () => {
    const f = onDisk('a.csv', writeCsv([HEAD, ['Сидоров', 'Иван', 'Петрович', '01.09.2015', '5А']]));
    const before = syncChecksum(j.sqlite);
    for (const as of [T.teacherAcc, T.deputy, T.parent]) {
      for (const [m, input] of [['import.preview', { what: 'students', ...f }], ['import.apply', { what: 'students', ...f }], ['import.template', { what: 'students', format: 'csv' }], ['setup.export', { what: 'students', format: 'csv' }]] as const) {
        const r = call(m, input, as);
        expect(r.ok, `${m} as ${as}`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('forbidden');
      }
    }
    expect(syncChecksum(j.sqlite)).toBe(before);
  });

  it('caps the file in the contract: base64 longer than 70 MB is bad input, not a crash', () => {
    const r = call('import.preview', { what: 'students', fileName: 'x.csv', dataBase64: 'A'.repeat(70 * 1024 * 1024 + 4) });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/Файл слишком большой: не больше 50 МБ/) } });
  });
});
