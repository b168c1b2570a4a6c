/**
 * `ejournal print …` / `verify-print` as a person runs them (in process, real files), and the same
 * documents through the contract the desktop and the server call.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import type { Io } from './io';
import { dispatch } from '../contract/dispatch';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import { openJournal } from '../journal/open';
import { P, printSchool } from '../../test/support/print-school';
import { fixedClock, T, tempFile } from '../../test/support/tiny-school';
import { pdfPageCount, pdfPages } from '../../test/support/poppler';

let db: string;
beforeAll(() => {
  db = tempFile();
  printSchool(db).j.close();
});

async function ejournal(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err };
}
const outDir = () => mkdtempSync(join(tmpdir(), 'ejournal-print-'));
const NOW = ['--now', '2027-06-20T10:00'];

describe('ejournal print', () => {
  it('prints the weekly reports of a class into one PDF and reports progress on stderr', async () => {
    const file = join(outDir(), 'weekly.pdf');
    const r = await ejournal('print', 'weekly', '--db', db, '--class', '5A', '--week', '2026-09-16', '--all', '--out', file, ...NOW);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Напечатано: «.*weekly\.pdf» — 5А, неделя 14\.09\.2026–20\.09\.2026: 4 ученика, \d+ страниц/);
    expect(r.err.at(-1)).toBe('Печать отчётов: 4 из 4');
    expect(pdfPageCount(file)).toBeGreaterThanOrEqual(4);
  });

  it('prints the annual journal, and verify-print checks the paper against the journal', async () => {
    const dir = outDir();
    const file = join(dir, 'journal.pdf');
    const r = await ejournal('print', 'journal', '--db', db, '--class', '5а', '--year', '2026', '--out', file, ...NOW);
    expect(r.code).toBe(0);
    const checksum = /Контрольная сумма: ([0-9A-F-]{24})/.exec(r.out)![1]!;
    expect(pdfPages(file).at(-1)).toContain(checksum);
    const ok = await ejournal('verify-print', '--db', db, '--class', '5А', '--checksum', checksum);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain('совпадает с электронным журналом');

    const copy = tempFile();
    const school = printSchool(copy);
    submit(school.admin, draft('mark.set', { lessonId: P.lessons[20]!, marks: [{ studentId: T.students[0], value: '2' }] }));
    school.j.close();
    const changed = await ejournal('verify-print', '--db', copy, '--class', '5А', '--year', '2026', '--checksum', checksum);
    expect(changed.code).toBe(1);
    expect(changed.err[0]).toMatch(/НЕ совпадает .* на бумаге .*, по журналу сейчас /);
    expect(changed.err.join('\n')).toMatch(/[0-9A-F]{8} {2}Русский язык/);
  });

  it('prints the summary sheet of the school and the breach act', async () => {
    const dir = outDir();
    const s = await ejournal('print', 'summary', '--db', db, '--out', join(dir, 's.pdf'), ...NOW);
    expect(s).toMatchObject({ code: 0 });
    expect(s.out).toMatch(/сводная ведомость \(2 класса\)/);
    const a = await ejournal('print', 'act', '--db', db, '--breach', P.breach, '--out', join(dir, 'a.pdf'), ...NOW);
    expect(a).toMatchObject({ code: 0 });
    expect(pdfPages(join(dir, 'a.pdf'))[0]).toContain('АКТ');
  });

  const usage: [string, string[], RegExp][] = [
    ['no --out', ['print', 'weekly', '--db', '@db', '--class', '5А', '--week', '2026-09-16'], /Укажите --out/],
    ['a date that is not one', ['print', 'weekly', '--db', '@db', '--class', '5А', '--week', '2026-13-01', '--out', '@out'], /--week — дата/],
    ['an unknown class', ['print', 'journal', '--db', '@db', '--class', '9Б', '--out', '@out'], /Класс «9Б» не найден/],
    ['a year the journal does not have', ['print', 'journal', '--db', '@db', '--class', '5А', '--year', '2019', '--out', '@out'], /Учебного года 2019\/2020 в журнале нет/],
    ['an unknown document', ['print', 'diary', '--db', '@db', '--out', '@out'], /Неизвестный документ «diary»/],
    ['a missing folder', ['print', 'summary', '--db', '@db', '--out', '@missing'], /Папки .* нет/],
    ['a class with no paper families', ['print', 'weekly', '--db', '@db', '--class', '6А', '--week', '2026-09-16', '--out', '@out'], /бумажный дневник.*--all/],
    ['fonts that are not there (a failure while printing)', ['print', 'journal', '--db', '@db', '--class', '5А', '--fonts', '/nonexistent', '--out', '@out'], /Нет шрифта для печати/],
    ['a checksum that is not one', ['verify-print', '--db', '@db', '--class', '5А', '--checksum', 'abc'], /не контрольная сумма/],
  ];
  it.each(usage)('answers %s with one Russian line, exit 2, and leaves no file behind', async (_what, argv, message) => {
    const dir = outDir();
    const r = await ejournal(...argv.map((x) => (x === '@db' ? db : x === '@out' ? join(dir, 'x.pdf') : x === '@missing' ? join(dir, 'no', 'x.pdf') : x)));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the same documents through the contract (desktop, server)', () => {
  const call = (login: string, method: string, input: unknown) => {
    const j = openJournal(db, { readonly: true });
    try {
      const account = j.stmt('SELECT id FROM account WHERE login = ?').pluck().get(login) as string;
      return dispatch({ journal: j, accountId: account, clock: fixedClock('2027-06-20T05:00:00Z'), checkOutput: true }, method, input);
    } finally {
      j.close();
    }
  };

  it('gives the class teacher the weekly reports of their class as a PDF, and refuses a parent (R-PRIVACY)', () => {
    const r = call('teacher', 'report.weekly', { classId: T.cls, week: P.week });
    expect(r.ok).toBe(true);
    const v = (r as { value: { pdfBase64: string; pages: number; students: number } }).value;
    expect(v.students).toBe(1);
    expect(Buffer.from(v.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(call('parent', 'report.weekly', { classId: T.cls, week: P.week })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('gives the deputy the annual journal with the same checksum as the command line, and not the class teacher (R-ANNUAL-PRINT)', async () => {
    const cli = await ejournal('print', 'journal', '--db', db, '--class', '5А', '--out', join(outDir(), 'j.pdf'), '--now', '2027-06-20T10:00');
    const checksum = /Контрольная сумма: (\S+)/.exec(cli.out)![1];
    expect(call('deputy', 'report.annual', { classId: T.cls })).toMatchObject({ ok: true, value: { checksum } });
    expect(call('teacher', 'report.annual', { classId: T.cls })).toMatchObject({ ok: false, error: { code: 'forbidden', requirement: 'R-ANNUAL-PRINT' } });
  });

  it('prints the same bytes through the contract and the command line at the same instant', async () => {
    const file = join(outDir(), 'w.pdf');
    await ejournal('print', 'weekly', '--db', db, '--class', '5А', '--week', P.week, '--out', file, '--now', '2027-06-20T10:00');
    const r = call('deputy', 'report.weekly', { classId: T.cls, week: P.week }) as { value: { pdfBase64: string } };
    expect(Buffer.from(r.value.pdfBase64, 'base64').equals(readFileSync(file))).toBe(true);
  });

  it('gives the director the breach act and the summary sheet', () => {
    // The form fills page 1 since the act also names the suspected onset and the ops left for review (п. 10.4); the appendix is page 2.
    expect(call('director', 'breach.act', { breachId: P.breach })).toMatchObject({ ok: true, value: { pages: 2 } });
    expect(call('director', 'report.summary', {})).toMatchObject({ ok: true, value: { classes: 2 } });
    expect(call('director', 'breach.act', { breachId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(existsSync(db)).toBe(true);
  });
});
