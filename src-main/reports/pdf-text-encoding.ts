/**
 * Text as the content of a PDF string in a document's font: the glyphs' ids in the font's subset,
 * two bytes each, each glyph put into the subset when first met. Per document (a subset is).
 */
import type { PlainFont } from './pdf-fonts';
import { includeGlyph, type PdfkitFont } from './pdfkit-patches';

/** A glyph id as the two bytes of a literal PDF string (half the size of hex), escaped where the syntax needs it. */
function pdfBytes(gid: number): string {
  const esc = (b: number) => (b === 0x28 || b === 0x29 || b === 0x5c ? `\\${String.fromCharCode(b)}` : b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : String.fromCharCode(b));
  return esc(gid >> 8) + esc(gid & 0xff);
}

export class TextEncoding {
  /** Per pdfkit font of the document: code point → the glyph's id in its subset, as two bytes of a PDF string. */
  private readonly encoded = new Map<string, Map<number, string>>();
  /** Per pdfkit font of the document: a text → its glyphs as a PDF string (journal text repeats: subjects, work types, headings). */
  private readonly encodedText = new Map<string, Map<string, string>>();

  /** A line of text in `font` (pdfkit's font of `plain`), remembered. */
  text(text: string, font: PdfkitFont, plain: PlainFont): string {
    let texts = this.encodedText.get(font.id);
    if (!texts) this.encodedText.set(font.id, (texts = new Map()));
    let bytes = texts.get(text);
    if (bytes === undefined) {
      bytes = this.glyphs(text, font, plain);
      texts.set(text, bytes);
    }
    return bytes;
  }

  /** A text's glyphs as a PDF string, each glyph put into the font's subset when first met. */
  glyphs(text: string, font: PdfkitFont, plain: PlainFont): string {
    let codes = this.encoded.get(font.id);
    if (!codes) this.encoded.set(font.id, (codes = new Map()));
    // Joined, not added up: one flat string, not a rope of two-byte pieces to flatten at every use.
    const bytes: string[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let h = codes.get(cp);
      if (h === undefined) {
        h = pdfBytes(includeGlyph(font, plain.glyph(cp)));
        codes.set(cp, h);
      }
      bytes.push(h);
    }
    return bytes.join('');
  }
}
