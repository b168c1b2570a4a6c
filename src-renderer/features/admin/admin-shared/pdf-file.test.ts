import { describe, expect, it } from 'vitest';
import { looksLikePdf, pdfBytes, pdfFileName } from './pdf-file';

describe('a PDF that came as base64', () => {
  it('decodes to the same bytes Node encoded', () => {
    const bytes = Uint8Array.from([37, 80, 68, 70, 45, 49, 46, 55, 0, 255, 128]);
    expect([...pdfBytes(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes]);
  });

  it('tells a PDF from something else', () => {
    expect(looksLikePdf(pdfBytes(Buffer.from('%PDF-1.7\n…').toString('base64')))).toBe(true);
    expect(looksLikePdf(pdfBytes(Buffer.from('<html>').toString('base64')))).toBe(false);
  });

  it('throws on text that is not base64', () => {
    expect(() => pdfBytes('это не base64')).toThrow();
  });

  it('names the file in Latin with the date', () => {
    expect(pdfFileName('Akt narusheniya', '2026-09-10')).toBe('akt-narusheniya-2026-09-10.pdf');
    expect(pdfFileName('Акт', '2026-09-10')).toBe('document-2026-09-10.pdf');
  });
});
