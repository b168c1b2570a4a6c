/** R-ANNUAL-PRINT (п. 9.2, 12.2), R-PRINT-FONT: the year's journal of a class, read back with poppler. */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import type { Journal } from '../journal/open';
import { P, printSchool } from '../../test/support/print-school';
import { pdfFonts, pdfPageCount, pdfPages, pdfWords } from '../../test/support/poppler';
import { T } from '../../test/support/tiny-school';
import { GRID } from './annual-journal';
import { SHEET } from './pdf';
import { asBase64, printAnnual, verifyAnnual, type PrintOptions } from './print';

const AT: PrintOptions = { createdAt: '2027-06-20T05:00:00Z' };
/**
 * The uncompressed journal of the print school: its bytes do not depend on the zlib build. A change
 * of layout changes it — look at the pages (pdftoppm), then put the new hash here.
 */
const GOLDEN_SHA256 = '1c7d94e5fb57893bda62bd7adfdb5b7d25674d57abf28548bc8289d14808a2a3';

const annual = (j: Journal, o: PrintOptions = AT) => {
  const r = asBase64((sink) => printAnnual(j, { classId: T.cls }, o, sink));
  return { ...r, pdf: Buffer.from(r.pdfBase64, 'base64') };
};
const flat = (s: string) => s.replace(/\s+/g, ' ');

let j: Journal;
let doc: ReturnType<typeof annual>;
let pages: string[];
beforeAll(() => {
  j = printSchool().j;
  doc = annual(j);
  pages = pdfPages(doc.pdf);
});
const russianLeft = () => pages.map((p, i) => ({ p, n: i + 1 })).filter(({ p }) => /Русский язык/.test(p) && /Фамилия, имя обучающегося/.test(p));

describe('the annual journal of a class (R-ANNUAL-PRINT, п. 9.2, 12.2)', () => {
  it('numbers every sheet «Лист N» and certifies the real count in digits and words', () => {
    const count = pdfPageCount(doc.pdf);
    expect(count).toBe(doc.pages);
    expect(doc.sheets).toBe(count);
    pages.forEach((p, i) => expect(p.split('\n')[0]!.trim(), `sheet ${i + 1}`).toBe(`Лист ${i + 1}`));
    const last = flat(pages.at(-1)!);
    expect(last).toContain('Лист заверения');
    expect(last).toContain(`Всего в журнале пронумеровано, прошито и скреплено печатью ${count} (`);
    expect(last).toMatch(new RegExp(`печатью ${count} \\([а-я ]+\\) лист(а|ов)?\\.`));
    expect(last).toMatch(/Директор\s+_+\s+\/ Лаптандер Г\. И\. \//);
    expect(last).toContain('М.П.');
    expect(last).toContain(`Контрольная сумма данных распечатки: ${doc.checksum}`);
  });

  it('has a title page, contents with sheet ranges, the timetable, the curriculum sheet, the summary sheet and missed lessons', () => {
    expect(flat(pages[0]!)).toMatch(/КЛАССНЫЙ ЖУРНАЛ 5 «А» класса на 2026\/2027 учебный год/);
    const contents = flat(pages[1]!);
    expect(contents).toContain('Содержание');
    const left = russianLeft();
    const range = new RegExp(`Русский язык — Иванова М\\. П\\. ${left[0]!.n}–(\\d+)`);
    expect(contents).toMatch(range);
    expect(flat(pages[2]!)).toMatch(/Расписание уроков.*Понедельник.*Русский язык.*каб\. 21/);
    const text = flat(pages.join('\n'));
    expect(text).toMatch(/Сведения о выполнении учебного плана.*Русский язык Иванова М\. П\. 5 170 /);
    expect(text).toMatch(/Сводная ведомость учёта результатов промежуточной и итоговой аттестации обучающихся/);
    const raw = flat(pdfPages(doc.pdf, 'raw').join('\n'));
    expect(raw).toMatch(/Константинопольская-Преображенская Александра-Виктория Вячеславовна академическая задолженность: Рус\. яз\. I тр\. 4 II тр\. III тр\. Год 2/);
    expect(raw).toMatch(/Петров Пётр Ильич переведён\(а\) в 6 класс I тр\. 5/);
    expect(text).toMatch(/Сведения о пропущенных уроках/);
  });

  it('puts students, marks, «н», fractions, the «Выр.чт.» column and period marks on the left pages', () => {
    const first = flat(russianLeft()[0]!.p);
    for (const name of ['Вануйто Анна', 'Ёлкина Ольга', 'Петров Пётр', P.longSurname]) expect(first).toContain(name);
    expect(first).toMatch(/сентябрь.*октябрь/);
    expect(first).toContain('Выр.чт.');
    expect(first).toContain('5/4');
    expect(first).toContain('I тр.');
    expect(first).toMatch(/ н /);
    const rows = russianLeft()[0]!.p.split('\n');
    expect(rows.find((r) => r.includes('Петров Пётр'))).toMatch(/Петров Пётр\s+5\s+4\s+5\/4/);
  });

  it('continues 40+ dates on the next sheet with the headers repeated, and ends with the annual mark', () => {
    const left = russianLeft();
    expect(left.length).toBeGreaterThanOrEqual(2);
    for (const { p } of left) {
      expect(p).toMatch(/№\s+Фамилия, имя обучающегося/);
      expect(p).toContain('Петров Пётр');
    }
    expect(left[0]!.p).not.toContain('Год');
    expect(left.at(-1)!.p).toMatch(/декабрь/);
    expect(left.at(-1)!.p).toContain('Год');
  });

  it('writes date, topic, homework and work type on the right pages, in 12 pt', () => {
    const right = pages.filter((p) => /Русский язык/.test(p) && /Что пройдено на уроке/.test(p));
    expect(right.length).toBeGreaterThanOrEqual(2);
    const text = flat(right.join('\n'));
    expect(text).toMatch(/10\.09\.2026 Звуки речи\. Гласные и согласные звуки § 1, упр\. 10/);
    expect(text).toContain('Диктант; замена: Яптик А.');
    const n = pages.indexOf(right[0]!) + 1;
    const topic = pdfWords(doc.pdf, n).find((w) => w.text === 'Звуки')!;
    expect(topic.yMax - topic.yMin).toBeGreaterThan(11); // a 12 pt line box
  });

  it('fits the longest surname in its cell and keeps every grid inside the sheet', () => {
    const { n } = russianLeft()[0]!;
    const words = pdfWords(doc.pdf, n);
    const surname = words.find((w) => w.text.startsWith(P.longSurname))!;
    expect(surname.text.startsWith(P.longSurname)).toBe(true);
    expect(surname.xMin).toBeGreaterThanOrEqual(SHEET.left + GRID.num);
    expect(surname.xMax).toBeLessThanOrEqual(SHEET.left + GRID.num + GRID.name);
    for (const { n: page } of russianLeft()) {
      for (const w of pdfWords(doc.pdf, page)) expect(w.xMax, w.text).toBeLessThanOrEqual(841.89 - SHEET.right + 0.5);
    }
  });

  it('embeds every font it uses (R-PRINT-FONT)', () => {
    const fonts = pdfFonts(doc.pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]+\+/, '')).sort()).toEqual(['LiberationSerif', 'LiberationSerif-Bold', 'LiberationSerif-Italic']);
    for (const f of fonts) expect(f.embedded, f.name).toBe(true);
  });
});

describe('the checksum of the printed data (verify-print)', () => {
  it('recomputes the printed checksum from the journal, and detects a mark changed after printing', () => {
    const school = printSchool();
    const printed = annual(school.j);
    expect(verifyAnnual(school.j, { classId: T.cls }, printed.checksum.toLowerCase().replaceAll('-', ''))).toMatchObject({ ok: true });
    const before = verifyAnnual(school.j, { classId: T.cls }, printed.checksum).actual.sections;
    submit(school.admin, draft('mark.set', { lessonId: T.lessons[1], marks: [{ studentId: T.students[2], value: '5' }] }));
    const after = verifyAnnual(school.j, { classId: T.cls }, printed.checksum);
    expect(after.ok).toBe(false);
    const changed = after.actual.sections.filter((s, i) => s.sum !== before[i]!.sum).map((s) => s.title);
    expect(changed).toEqual(['Русский язык']);
  });

  it('does not depend on the print date', () => {
    expect(annual(j, { createdAt: '2027-06-29T12:00:00Z' }).checksum).toBe(doc.checksum);
  });
});

describe('deterministic output', () => {
  it('prints the same journal at the same instant to identical bytes, and another instant to other bytes', () => {
    expect(annual(j).pdf.equals(doc.pdf)).toBe(true);
    expect(annual(j, { createdAt: '2027-06-21T05:00:00Z' }).pdf.equals(doc.pdf)).toBe(false);
  });

  it('matches the golden hash', () => {
    const sha = createHash('sha256').update(annual(j, { ...AT, compress: false }).pdf).digest('hex');
    expect(sha).toBe(GOLDEN_SHA256);
  });
});
