/**
 * npm run bench:import — importing the school's lists on this machine (R-IMPORT). Prints numbers;
 * not a test. A journal file with a year, 50 classes and the administrator; an XLSX of 1 500 pupils
 * with 2 500 parents (every pupil one parent, 1 000 of them a second; the diary form for all);
 * then, through the contract as the administrator: the preview, the apply (one transaction), the
 * re-import of the same file (0 ops), and the export as XLSX and CSV. Peak RSS is the process's.
 * Targets: preview ≤ 2 s, apply ≤ 5 s, export ≤ 2 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { allowAll, submit } from '../src-main/commands/execute';
import { dispatch } from '../src-main/contract/dispatch';
import { draft } from '../src-main/journal/log';
import { openJournal } from '../src-main/journal/open';

const PUPILS = 1500;
const SECOND_PARENTS = 1000;
const LETTERS = ['А', 'Б', 'В', 'Г', 'Д'];
const CLASSES = Array.from({ length: 10 }, (_, g) => LETTERS.map((l) => ({ grade: g + 2, letter: l }))).flat();
const NOW = Date.parse('2026-09-10T05:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'ejournal-bench-import-'));
const j = openJournal(join(dir, 'journal.sqlite'), { create: true });
submit({ journal: j, actor: { accountId: 'acc-admin' }, clock: { now: () => NOW - 86_400_000 }, guard: allowAll },
  draft('school.set', { name: 'МБОУ «СОШ для замера»', timezone: 'Asia/Yekaterinburg' }),
  draft('year.set', { id: 'y26', name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' }),
  // The diary form is recorded by a deputy (R-CONSENT): the administrator here is also the deputy.
  draft('staff.set', { id: 'st-admin', lastName: 'Смирнов', firstName: 'Олег', position: 'заместитель директора' }),
  draft('account.set', { id: 'acc-admin', login: 'admin', personKind: 'staff', personId: 'st-admin', roles: ['admin', 'deputy'] }),
  ...CLASSES.flatMap((c, i) => [
    draft('class.set', { id: `c${i}`, yearId: 'y26', grade: c.grade, letter: c.letter }),
    draft('group.set', { id: `g${i}`, yearId: 'y26', name: `${c.grade}${c.letter}`, kind: 'class', classId: `c${i}` }),
  ]),
);

const LAST = ['Иванов', 'Петров', 'Сидоров', 'Кузнецов', 'Смирнов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов'];
const FIRST = ['Иван', 'Пётр', 'Алексей', 'Дмитрий', 'Сергей', 'Андрей', 'Михаил', 'Егор', 'Артём', 'Никита'];
const MIDDLE = ['Иванович', 'Петрович', 'Сергеевич', 'Андреевич', 'Олегович', 'Викторович'];

async function pupilsXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Ученики');
  ws.addRow(['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Класс', 'Медицинская группа',
    'Родитель 1: Фамилия', 'Родитель 1: Имя', 'Родитель 1: Отчество', 'Родитель 1: Телефон', 'Родитель 1: E-mail', 'Родитель 1: Степень родства',
    'Родитель 2: Фамилия', 'Родитель 2: Имя', 'Родитель 2: Отчество', 'Родитель 2: Телефон', 'Родитель 2: E-mail', 'Родитель 2: Степень родства', 'Форма дневника']);
  for (let i = 0; i < PUPILS; i++) {
    const c = CLASSES[i % CLASSES.length]!;
    const last = `${LAST[i % LAST.length]}${i}`;
    const birth = new Date(Date.UTC(2018 - c.grade, i % 12, 1 + (i % 28)));
    const second = i < SECOND_PARENTS ? [last, 'Пётр', 'Иванович', `+7912${String(2_000_000 + i).padStart(7, '0')}`, '', 'отец'] : ['', '', '', '', '', ''];
    ws.addRow([last, FIRST[i % FIRST.length], MIDDLE[i % MIDDLE.length], birth, `${c.grade}${c.letter}`, 'основная',
      `${last}а`, 'Анна', 'Сергеевна', `+7912${String(1_000_000 + i).padStart(7, '0')}`, `p${i}@example.ru`, 'мать', ...second, i % 5 ? 'электронный' : 'бумажный']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const time = <T>(run: () => T): [T, number] => {
  const t = performance.now();
  const r = run();
  return [r, performance.now() - t];
};
const call = (method: string, input: unknown) => {
  const r = dispatch({ journal: j, accountId: 'acc-admin', clock: { now: () => NOW } }, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as Record<string, unknown>;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} с`;

const file = await pupilsXlsx();
const input = { what: 'students', fileName: 'ученики.xlsx', dataBase64: file.toString('base64') };
console.log(`Файл: ${PUPILS} учеников, ${PUPILS + SECOND_PARENTS} родителей, XLSX ${(file.length / 1024).toFixed(0)} КБ`);
const [preview, previewMs] = time(() => call('import.preview', input));
console.log(`предпросмотр: ${s(previewMs)} (добавить ${String(preview.add)}, ошибок ${(preview.errors as unknown[]).length}; цель ≤ 2 с)`);
const [applied, applyMs] = time(() => call('import.apply', input));
console.log(`загрузка: ${s(applyMs)} (операций ${String(applied.ops)}, одна транзакция; цель ≤ 5 с)`);
const [again, againMs] = time(() => call('import.apply', input));
console.log(`повторная загрузка того же файла: ${s(againMs)} (операций ${String(again.ops)})`);
const [xlsx, xlsxMs] = time(() => call('setup.export', { what: 'students', format: 'xlsx' }));
console.log(`выгрузка XLSX: ${s(xlsxMs)} (строк ${String(xlsx.rows)}; цель ≤ 2 с)`);
const [, csvMs] = time(() => call('setup.export', { what: 'students', format: 'csv' }));
console.log(`выгрузка CSV: ${s(csvMs)}`);
console.log(`пиковая память процесса (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} МБ`);
j.close();
rmSync(dir, { recursive: true, force: true });
