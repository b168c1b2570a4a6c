/** The PDF engine: text never leaves its cell, wrapping, atomic files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfWords } from '../../test/support/poppler';
import { bufferSink, DEFAULT_FONTS_DIR, fontSet, joinSegments, renderPdf, writeAtomically, type Pdf } from './pdf';

const setup = { fonts: fontSet(DEFAULT_FONTS_DIR), createdAt: '2027-06-20T05:00:00Z', title: 'test', layout: 'portrait' as const };

describe('the PDF engine', () => {
  it('keeps a line inside its cell: shrinks it, then condenses it, never cuts it', () => {
    const sink = bufferSink();
    renderPdf(setup, sink, (pdf) => {
      pdf.newPage();
      pdf.cellText('Константинопольская-Преображенская Александра-Виктория', 100, 100, 120, 14, 'regular', 9, { minSize: 6.5 });
      pdf.cellText('5/4', 100, 200, 12, 14, 'regular', 9, { align: 'center', minSize: 6 });
      return {};
    });
    const words = pdfWords(sink.bytes(), 1);
    expect(words.map((w) => w.text)).toEqual(['Константинопольская-Преображенская', 'Александра-Виктория', '5/4']);
    for (const w of words.slice(0, 2)) expect(w.xMin >= 100 && w.xMax <= 220, `${w.text} ${w.xMin}–${w.xMax}`).toBe(true);
    expect(words[2]!.xMin >= 100 && words[2]!.xMax <= 112).toBe(true);
  });

  it('wraps to a width, breaking after a hyphen or, for a word longer than a line, inside it', () => {
    renderPdf(setup, bufferSink(), (pdf: Pdf) => {
      const lines = pdf.wrap('Основы духовно-нравственной культуры народов России', 90, 'regular', 12);
      expect(lines).toEqual(['Основы духовно-', 'нравственной', 'культуры', 'народов России']);
      for (const l of pdf.wrap('Оченьоченьоченьдлинноеслово без пробелов', 60, 'regular', 12)) expect(pdf.measure(l, 'regular', 12)).toBeLessThanOrEqual(60);
      expect(pdf.wrap('', 50, 'regular', 12)).toEqual(['']);
      expect(pdf.wrap('ejournal verify-print --db <файл> --class 5А', 400, 'regular', 9)).toEqual(['ejournal verify-print --db <файл> --class 5А']);
      pdf.newPage();
      return {};
    });
  });

  it('joins the borders of stacked table rows into one line each, keeping separate ones apart', () => {
    const rows = [[0, 10, 100, 10], [0, 20, 100, 20], [0, 20, 100, 20], [0, 30, 100, 30], [0, 10, 0, 20], [0, 20, 0, 30], [100, 10, 100, 20], [100, 25, 100, 30], [0, 0, 5, 5]] as const;
    expect(joinSegments(rows)).toEqual([[0, 10, 100, 10], [0, 20, 100, 20], [0, 30, 100, 30], [0, 10, 0, 30], [100, 10, 100, 20], [100, 25, 100, 30], [0, 0, 5, 5]]);
  });

  it('writes a file only whole: a failure leaves neither a half file nor a temporary one, and keeps the old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ejournal-atomic-'));
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, 'old');
    expect(() => writeAtomically(file, (sink) => {
      sink.write(Buffer.from('%PDF-half'));
      throw new Error('boom');
    })).toThrow('boom');
    expect(readdirSync(dir)).toEqual(['doc.pdf']);
    expect(readFileSync(file, 'utf8')).toBe('old');
    writeAtomically(file, (sink) => sink.write(Buffer.from('new')));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('refuses a fonts folder without Liberation Serif, in Russian', () => {
    expect(() => fontSet('/nonexistent')).toThrow(/Нет шрифта для печати/);
  });
});
