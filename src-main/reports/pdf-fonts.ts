/**
 * The print fonts: Liberation Serif from the fonts folder (R-PRINT-FONT), parsed once per process
 * and laid out glyph by glyph — the glyphs of a text and its width at 1 pt.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalError } from '../journal/errors';
import { parseFont, plainLayoutFont, type FontkitFont, type PlainGlyph } from './pdfkit-patches';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
export type FontSet = Record<FontStyle, string>;

/** The fonts shipped with the program (electron-builder copies resources/fonts to `fonts`). */
export const DEFAULT_FONTS_DIR = fileURLToPath(new URL('../../resources/fonts', import.meta.url));

const FONT_FILES: FontSet = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
  boldItalic: 'LiberationSerif-BoldItalic.ttf',
};

/** R-PRINT-FONT: Liberation Serif (metric-compatible with Times New Roman) from the fonts folder. */
export function fontSet(dir: string): FontSet {
  const set = Object.fromEntries(Object.entries(FONT_FILES).map(([k, f]) => [k, join(dir, f)])) as FontSet;
  const missing = Object.values(set).filter((p) => !existsSync(p));
  if (missing.length) throw new JournalError('not_found', `Нет шрифта для печати: ${missing.join(', ')} — переустановите программу`);
  return set;
}

/** A font parsed once per process and shared by every document (see `plainFont`). */
export interface PlainFont {
  /** What pdfkit is given as the font. */
  pdfkit: FontkitFont;
  name: string;
  glyph(cp: number): PlainGlyph;
  /** Advance width of a text at 1 pt: the glyphs' advances, no kerning. */
  width(text: string): number;
}

const parsed = new Map<string, PlainFont>();

/**
 * Liberation Serif laid out glyph by glyph. pdfkit shapes every new word with fontkit's full
 * OpenType machinery — most of a journal's printing time — while journal text needs neither
 * ligatures nor kerning (see `plainLayoutFont`). Parsed once per process and shared by every
 * document. The glyphs are our own, each with the code point it was asked for: fontkit caches its
 * glyph objects, and one first met as a part of a composite glyph (Latin «a» inside Cyrillic «а»)
 * has no code point — pdfkit would then write no text for it (the page looks right, copying and
 * search fail).
 */
export function plainFont(path: string): PlainFont {
  let font = parsed.get(path);
  if (!font) {
    const real = parseFont(path);
    const glyphs = new Map<number, PlainGlyph>();
    const glyph = (cp: number) => {
      let g = glyphs.get(cp);
      if (!g) {
        const f = real.glyphForCodePoint(cp);
        glyphs.set(cp, (g = { id: f.id, advanceWidth: f.advanceWidth, codePoints: [cp] }));
      }
      return g;
    };
    const em = real.unitsPerEm;
    const widths = new Map<string, number>();
    font = {
      pdfkit: plainLayoutFont(real, glyph),
      name: real.postscriptName,
      glyph,
      width: (text) => {
        let w = widths.get(text);
        if (w === undefined) {
          w = 0;
          for (const ch of text) w += glyph(ch.codePointAt(0)!).advanceWidth;
          w /= em;
          // Journal text repeats (subjects, names, words): measured once. Bounded for a long-running program.
          if (widths.size >= 100_000) widths.clear();
          widths.set(text, w);
        }
        return w;
      },
    };
    parsed.set(path, font);
  }
  return font;
}
