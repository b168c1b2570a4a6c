/** R-SUMMARY (п. 7.9): the summary sheet of a class and of the whole school. */
import { beforeAll, describe, expect, it } from 'vitest';
import { printSchool } from '../../test/support/print-school';
import { pdfPageCount, pdfPages } from '../../test/support/poppler';
import { T } from '../../test/support/tiny-school';
import type { Journal } from '../journal/open';
import { asBase64, printSummary } from './print';

let j: Journal;
beforeAll(() => { j = printSchool().j; });
const summary = (q: { classId?: string }) => {
  const r = asBase64((sink) => printSummary(j, q, { createdAt: '2027-06-01T05:00:00Z' }, sink));
  return { ...r, pdf: Buffer.from(r.pdfBase64, 'base64') };
};
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('summary sheet of attestation (R-SUMMARY, п. 7.9)', () => {
  it('lists every student with period, annual marks and the year’s outcome for a class', () => {
    const r = summary({ classId: T.cls });
    expect(r.classes).toBe(1);
    expect(pdfPageCount(r.pdf)).toBe(r.pages);
    const raw = flat(pdfPages(r.pdf, 'raw').join('\n'));
    expect(raw).toContain('Сводная ведомость учёта результатов промежуточной и итоговой аттестации обучающихся');
    expect(raw).toContain('5А класс, 2026/2027 учебный год. Классный руководитель: Иванова Мария Петровна');
    expect(raw).toMatch(/Вануйто Анна Сергеевна переведён\(а\) в 6 класс I тр\. 4 II тр\. III тр\. Год 4/);
    expect(raw).toMatch(/Ёлкина Ольга переведён\(а\) в 6 класс I тр\. 3/);
    expect(raw).toContain('Русский язык');
    expect(raw).toContain(`Страница 1 из ${r.pages}`);
    expect(raw).toContain('Сведения из электронного журнала на 01.06.2027');
  });

  it('prints the whole school, each class from a new page', () => {
    const r = summary({});
    expect(r.classes).toBe(2);
    const pages = pdfPages(r.pdf);
    expect(pages.filter((p) => /Сводная ведомость/.test(p)).length).toBe(r.pages);
    expect(pages.some((p) => /5А класс/.test(p))).toBe(true);
    expect(pages.some((p) => /6А класс/.test(p) && /Худи Нина/.test(p))).toBe(true);
  });
});
