/** R-WEEKLY-PAPER (п. 7.2), R-CONSENT, R-PRINT-FONT: the weekly report read back with poppler. */
import { beforeAll, describe, expect, it } from 'vitest';
import { P, printSchool } from '../../test/support/print-school';
import { pdfFonts, pdfPageCount, pdfPages } from '../../test/support/poppler';
import { T } from '../../test/support/tiny-school';
import type { Journal } from '../journal/open';
import { asBase64, printWeekly } from './print';

const AT = { createdAt: '2026-09-21T05:00:00Z' };
let j: Journal;
beforeAll(() => { j = printSchool().j; });

const weekly = (q: { week: string; all?: boolean }) => {
  const r = asBase64((sink) => printWeekly(j, { classId: T.cls, ...q }, AT, sink));
  return { ...r, pdf: Buffer.from(r.pdfBase64, 'base64') };
};
/** The pages of each student: a student's first page carries «Обучающийся: …». */
const byStudent = (pages: string[]) => {
  const out: string[][] = [];
  for (const p of pages) {
    if (/Обучающийся:/.test(p)) out.push([p]);
    else out.at(-1)!.push(p);
  }
  return out;
};
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('weekly report for families without the electronic diary (R-WEEKLY-PAPER, п. 7.2)', () => {
  it('by default prints only the students whose parents chose paper (R-CONSENT)', () => {
    const r = weekly({ week: P.week });
    expect(r.students).toBe(1);
    const text = flat(pdfPages(r.pdf).join('\n'));
    expect(text).toContain('Обучающийся: Петров Пётр Ильич');
    expect(text).not.toMatch(/Вануйто|Ёлкина|Константинопольская/);
  });

  it('shows school, class, dates, lessons with topics, homework, marks with work types, absences, comments, period marks and both signature lines', () => {
    const r = weekly({ week: P.week, all: true });
    const students = byStudent(pdfPages(r.pdf, 'raw'));
    expect(students).toHaveLength(4);
    const petrov = flat(students.find((p) => /Петров Пётр Ильич/.test(p[0]!))!.join('\n'));
    expect(petrov).toContain('МБОУ «Тестовая СОШ»');
    expect(petrov).toContain('за неделю с 14.09.2026 по 20.09.2026');
    expect(petrov).toContain('Класс: 5А');
    expect(petrov).toContain('Классный руководитель: Иванова Мария Петровна');
    expect(petrov).toContain('Среда, 16.09.2026');
    expect(petrov).toMatch(/4 — Домашняя работа/);
    expect(petrov).toContain('§ 3, упр. 12');
    expect(petrov).toContain('Отметки за учебные периоды');
    expect(petrov).toMatch(/Классный руководитель\s+_+\s+\/ Иванова М\. П\. \//);
    expect(petrov).toContain('Родитель (законный представитель)');

    const long = flat(students.find((p) => /Константинопольская/.test(p[0]!))!.join('\n'));
    expect(long).toContain('Обучающийся: Константинопольская-Преображенская Александра-Виктория Вячеславовна');
    expect(long).toContain('н'); // absent on 16 September, no reason yet
    expect(long).toMatch(/2 — Диктант/);
    expect(long).toContain('Индивидуально: Работа над ошибками, упр. 41');
    expect(long).toContain('Повторить словарные слова'); // the teacher's comment
    expect(long).toMatch(/Пропущено уроков за неделю: 1 \(причина не указана — 1\)/);

    const anna = flat(students.find((p) => /Вануйто Анна/.test(p[0]!))!.join('\n'));
    expect(anna).toContain('н (по болезни)');
    expect(anna).toContain('Пропущено уроков за неделю: 1 (по болезни — 1)');
    expect(anna).toContain('Комментариев за неделю нет.');
  });

  it('starts every student on a new page and numbers each student’s pages «Страница k из n»', () => {
    const r = weekly({ week: P.week, all: true });
    const pages = pdfPages(r.pdf);
    expect(pdfPageCount(r.pdf)).toBe(r.pages);
    expect(pages).toHaveLength(r.pages);
    for (const student of byStudent(pages)) {
      student.forEach((p, i) => expect(p).toContain(`Страница ${i + 1} из ${student.length}`));
      if (student.length > 1) expect(student[1]).toMatch(/\(продолжение\)/);
    }
  });

  it('gives a student with nothing that week a page that says so (the autumn holiday)', () => {
    const r = weekly({ week: P.holidayWeek, all: true });
    const pages = pdfPages(r.pdf);
    expect(r.students).toBe(4);
    for (const student of byStudent(pages)) {
      const text = flat(student.join('\n'));
      expect(text).toContain('Понедельник, 26.10.2026 — Осенние каникулы');
      expect(text).toContain('На этой неделе у обучающегося не было уроков');
      expect(text).toContain('Пропусков уроков за неделю нет.');
    }
  });

  it('embeds every font it uses: Liberation Serif only (R-PRINT-FONT)', () => {
    const fonts = pdfFonts(weekly({ week: P.week, all: true }).pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.name).toMatch(/LiberationSerif/);
      expect(f.embedded, f.name).toBe(true);
    }
  });

  it('refuses a class with no paper families unless all students are asked for', () => {
    expect(() => printWeekly(j, { classId: T.otherCls, week: P.week }, AT, { write: () => undefined })).toThrow(/бумажный дневник.*--all/);
  });
});
