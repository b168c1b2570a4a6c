/**
 * The PDF engine every document shares: pdfkit for the file (objects, pages, font subsets,
 * compression), Liberation Serif parsed once per process and laid out glyph by glyph, lines of
 * text written as PDF operators, grids drawn by hand — never `registerFont`, never `doc.table()`,
 * never `bufferPages`: pages are streamed out as they are finished. Nothing is in the bytes that is
 * not in the data or the given creation instant: the same journal printed with the same `createdAt`
 * gives the same file.
 *
 * Coordinates are pdfkit's: points, origin top-left. `text()` places the top of the line box at
 * `y`; `cellText()` centres a line in a cell.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { JournalError } from '../journal/errors';

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

/** A parsed font as fontkit gives it: what pdfkit reads of it, plus the plain glyph mapping. */
interface FontkitFont { postscriptName: string; unitsPerEm: number; glyphForCodePoint(cp: number): { id: number; advanceWidth: number } }
interface PlainGlyph { id: number; advanceWidth: number; codePoints: number[] }

/** A font parsed once per process and shared by every document (see `plainFont`). */
interface PlainFont {
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
 * OpenType machinery (a new layout engine per word, GSUB and GPOS) — most of a journal's printing
 * time — while journal text needs neither ligatures nor kerning (Cyrillic; Word does not kern
 * 12 pt text either). Parsed once per process and shared by every document. The glyphs are our
 * own, each with the code point it was asked for: fontkit caches its glyph objects, and one first
 * met as a part of a composite glyph (Latin «a» inside Cyrillic «а») has no code point — pdfkit
 * would then write no text for it (the page looks right, copying and search fail).
 */
function plainFont(path: string): PlainFont {
  let font = parsed.get(path);
  if (!font) {
    const probe = new PDFDocument({ autoFirstPage: false, font: path }) as unknown as { _font: { font: FontkitFont } };
    const real = probe._font.font;
    const glyphs = new Map<number, PlainGlyph>();
    const glyph = (cp: number) => {
      let g = glyphs.get(cp);
      if (!g) {
        const f = real.glyphForCodePoint(cp);
        glyphs.set(cp, (g = { id: f.id, advanceWidth: f.advanceWidth, codePoints: [cp] }));
      }
      return g;
    };
    // pdfkit's own measuring and drawing call `layout`: the same glyphs (Pdf.put does not need it).
    const layout = (text: string) => {
      const run = Array.from(text, (ch) => glyph(ch.codePointAt(0)!));
      const positions = run.map((g) => ({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 }));
      // pdfkit scales the positions in place, then reads the run's advance width.
      return { glyphs: run, positions, get advanceWidth() { return positions.reduce((w, p) => w + p.xAdvance, 0); } };
    };
    const em = real.unitsPerEm;
    font = {
      pdfkit: new Proxy(real, { get: (t, p, r) => (p === 'layout' ? layout : Reflect.get(t, p, r)) as unknown }),
      name: real.postscriptName,
      glyph,
      width: (text) => {
        let w = 0;
        for (const ch of text) w += glyph(ch.codePointAt(0)!).advanceWidth;
        return w / em;
      },
    };
    parsed.set(path, font);
  }
  return font;
}

/** The parts of pdfkit 0.20 (pinned) that `Pdf.put` writes text with: the current font's subset and tables. */
interface PdfkitInternals {
  _font: {
    id: string; ascender: number; scale: number; widths: number[]; unicode: number[][];
    subset: { includeGlyph(id: number): number };
    ref(): unknown;
  };
  page: { fonts: Record<string, unknown> };
  addContent(ops: string): unknown;
}

/** A glyph id as the two bytes of a literal PDF string (half the size of hex), escaped where the syntax needs it. */
function pdfBytes(gid: number): string {
  const esc = (b: number) => (b === 0x28 || b === 0x29 || b === 0x5c ? `\\${String.fromCharCode(b)}` : b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : String.fromCharCode(b));
  return esc(gid >> 8) + esc(gid & 0xff);
}

/** Where the bytes go, as pdfkit produces them. */
export interface Sink { write(chunk: Uint8Array): void }

export function bufferSink(): Sink & { bytes(): Buffer } {
  const chunks: Uint8Array[] = [];
  return { write: (c) => { chunks.push(c); }, bytes: () => Buffer.concat(chunks) };
}

/**
 * Writes a PDF to `file` through a temporary file in the same folder and renames it into place:
 * a half-written document is never left behind, an existing one is replaced only by a whole one.
 */
export function writeAtomically<T>(file: string, produce: (sink: Sink) => T): T {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fd: number | undefined = openSync(tmp, 'wx');
  try {
    const out = fd;
    const result = produce({ write: (c) => { writeSync(out, c); } });
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    return result;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

export interface PdfSetup {
  fonts: FontSet;
  /** The only clock in the file: the document's CreationDate (and its /ID). */
  createdAt: string;
  title: string;
  layout: 'portrait' | 'landscape';
  /**
   * Deflate the streams (default). `false` only for the golden test: uncompressed bytes do not
   * depend on the zlib build, whose output differs between CPUs and Node releases.
   */
  compress?: boolean;
}

/** Margins of landscape sheets (the journal, the summary): the wide left edge is for sewing. */
export const SHEET = { left: 45, right: 20, top: 28, bottom: 24 };

/** One page's content, drawn after the page is started: documents plan their pages before drawing. */
export type PagePlan = (pdf: Pdf) => void;

/** Liberation Serif's vertical metrics (per 1 pt of size): the line box and a centred baseline. */
export const LINE = 1.15;
const CENTRE = 0.56;

export interface TextOpts { align?: 'left' | 'center' | 'right'; width?: number; color?: string }

export class Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly pageWidth: number;
  readonly pageHeight: number;
  pages = 0;
  /** Called after each new page is started (sheet numbers, running headers). */
  onPage: ((pdf: Pdf) => void) | undefined;
  private style: FontStyle | undefined;
  private size = 0;
  /** Per pdfkit font of this document: code point → the glyph's id in its subset, as two bytes of a PDF string. */
  private readonly encoded = new Map<string, Map<number, string>>();
  private readonly sink: Sink;
  private readonly fonts: FontSet;

  constructor(setup: PdfSetup, sink: Sink) {
    this.sink = sink;
    this.fonts = setup.fonts;
    this.doc = new PDFDocument({
      size: 'A4', layout: setup.layout, margin: 0, autoFirstPage: false, compress: setup.compress ?? true,
      font: plainFont(setup.fonts.regular).pdfkit as unknown as string, lang: 'ru-RU', displayTitle: true,
      info: { Title: setup.title, Creator: 'ejournal', Producer: 'ejournal (pdfkit)', CreationDate: new Date(setup.createdAt) },
    });
    [this.pageWidth, this.pageHeight] = setup.layout === 'landscape' ? [841.89, 595.28] : [595.28, 841.89];
  }

  newPage(): void {
    this.doc.addPage();
    this.pages++;
    this.drain();
    this.onPage?.(this);
  }

  /** Ends the document and hands over its last bytes; the page count. */
  finish(): number {
    this.doc.end();
    this.drain();
    return this.pages;
  }

  private drain(): void {
    // pdfkit pushes into its Readable buffer synchronously; nothing reads it asynchronously here.
    for (let c = this.doc.read() as Uint8Array | null; c !== null; c = this.doc.read() as Uint8Array | null) this.sink.write(c);
  }

  use(style: FontStyle, size: number): this {
    if (style !== this.style) {
      // Keyed by the font's own name, the key pdfkit files it under: later calls find it at once.
      const font = plainFont(this.fonts[style]);
      this.doc.font(font.pdfkit as unknown as PDFKit.Mixins.PDFFontSource, font.name);
      this.style = style;
    }
    if (size !== this.size) { this.doc.fontSize(size); this.size = size; }
    return this;
  }

  /** Width of a single line of text. */
  measure(text: string, style: FontStyle, size: number): number {
    return plainFont(this.fonts[style]).width(text) * size;
  }

  /** One line, no wrapping, its line box's top at `y`; `width` only serves `align`. */
  text(text: string, x: number, y: number, style: FontStyle, size: number, o: TextOpts = {}): void {
    if (text === '') return;
    let left = x;
    if (o.align && o.align !== 'left' && o.width !== undefined) {
      const w = this.measure(text, style, size);
      left = o.align === 'center' ? x + (o.width - w) / 2 : x + o.width - w;
    }
    this.use(style, size);
    if (o.color) this.doc.fillColor(o.color);
    this.put(text, left, y, size);
    if (o.color) this.doc.fillColor('black');
  }

  /**
   * One line of text as PDF operators, without pdfkit's `text()` (options, wrapping, a saved and
   * flipped graphics state per call — most of a grid's drawing time). The page's coordinates are
   * pdfkit's (y down), so the text matrix flips the glyphs upright; glyph advances are the widths
   * pdfkit embeds (no kerning), so one string per line suffices. Horizontal scaling is text state
   * that outlives ET: set back at once.
   */
  private put(text: string, x: number, y: number, size: number, scale = 100): void {
    const doc = this.doc as unknown as PdfkitInternals;
    const font = doc._font;
    const plain = plainFont(this.fonts[this.style!]);
    let codes = this.encoded.get(font.id);
    if (!codes) this.encoded.set(font.id, (codes = new Map()));
    let bytes = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let h = codes.get(cp);
      if (h === undefined) {
        // What pdfkit's EmbeddedFont.encode does for a glyph: into the subset, its width and its text.
        const g = plain.glyph(cp);
        const gid = font.subset.includeGlyph(g.id);
        font.widths[gid] ??= g.advanceWidth * font.scale;
        font.unicode[gid] ??= g.codePoints;
        codes.set(cp, (h = pdfBytes(gid)));
      }
      bytes += h;
    }
    doc.page.fonts[font.id] ??= font.ref();
    const n = (v: number) => String(Math.round(v * 1000) / 1000);
    const tz = scale === 100 ? '' : ` ${n(scale)} Tz`;
    doc.addContent(`BT /${font.id} ${n(size)} Tf${tz} 1 0 0 -1 ${n(x)} ${n(y + (font.ascender / 1000) * size)} Tm (${bytes}) Tj${tz ? ' 100 Tz' : ''} ET`);
  }

  /**
   * One line centred vertically in a cell of `w`×`h`, never wider than the cell: the size shrinks
   * down to `minSize`, then the glyphs are condensed (horizontal scaling) — text is never cut.
   */
  cellText(text: string, x: number, y: number, w: number, h: number, style: FontStyle, size: number, o: { align?: 'left' | 'center' | 'right'; minSize?: number; pad?: number } = {}): void {
    if (text === '') return;
    const pad = o.pad ?? 1.5;
    const room = w - 2 * pad;
    let s = size;
    let natural = this.measure(text, style, s);
    const minSize = o.minSize ?? size;
    while (natural > room && s > minSize) {
      s = Math.max(minSize, s - 0.5);
      natural = this.measure(text, style, s);
    }
    const scale = natural > room ? Math.max(1, Math.floor((room / natural) * 1000) / 10) : 100;
    const width = (natural * scale) / 100;
    const align = o.align ?? 'left';
    const left = align === 'left' ? x + pad : align === 'center' ? x + (w - width) / 2 : x + w - pad - width;
    this.use(style, s);
    this.put(text, left, y + h / 2 - CENTRE * s, s, scale);
  }

  /**
   * Greedy word wrap to `width`. A line may also break after a hyphen («духовно-|нравственной»);
   * a word longer than a whole line is split. Never returns no lines. Widths add up exactly
   * (glyph advances, no kerning), so only words are measured, never candidate lines.
   */
  wrap(text: string, width: number, style: FontStyle, size: number): string[] {
    const room = width * 0.995;
    const space = this.measure(' ', style, size);
    const out: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      let lineW = 0;
      for (const word of para.split(/\s+/).filter(Boolean)) {
        // Pieces of a word: «духовно-», «нравственной» — glued to each other without a space.
        word.split(/(?<=\p{L}[-–])(?=\p{L})/u).forEach((piece0, k) => {
          let piece = piece0;
          let w = this.measure(piece, style, size);
          const glue = line === '' ? 0 : k > 0 ? 0 : space;
          if (lineW + glue + w <= room) {
            line = glue ? `${line} ${piece}` : line + piece;
            lineW += glue + w;
            return;
          }
          if (line) out.push(line);
          while (w > room && piece.length > 1) {
            let n = piece.length - 1;
            while (n > 1 && this.measure(piece.slice(0, n), style, size) > room) n--;
            out.push(piece.slice(0, n));
            piece = piece.slice(n);
            w = this.measure(piece, style, size);
          }
          line = piece;
          lineW = w;
        });
      }
      if (line || out.length === 0) out.push(line);
    }
    return out;
  }

  /** Lines of text from `y` down, `lead` points apart. */
  lines(lines: readonly string[], x: number, y: number, style: FontStyle, size: number, lead = size * LINE, o: TextOpts = {}): number {
    lines.forEach((l, i) => this.text(l, x, y + i * lead, style, size, o));
    return lines.length * lead;
  }

  /** Straight lines, stroked at once. `segments`: [x1, y1, x2, y2] each. */
  strokes(segments: readonly (readonly [number, number, number, number])[], width = 0.5): void {
    if (segments.length === 0) return;
    const d = this.doc;
    d.lineWidth(width);
    for (const [x1, y1, x2, y2] of segments) d.moveTo(x1, y1).lineTo(x2, y2);
    d.stroke();
  }

  rect(x: number, y: number, w: number, h: number, width = 0.5): void {
    this.doc.lineWidth(width).rect(x, y, w, h).stroke();
  }

  fill(x: number, y: number, w: number, h: number, color: string): void {
    this.doc.save().rect(x, y, w, h).fill(color).restore();
    this.doc.fillColor('black');
  }

  /** Text turned 90° counter-clockwise, reading upwards, its lines centred in the box. */
  upright(lines: readonly string[], x: number, y: number, w: number, h: number, style: FontStyle, size: number): void {
    const d = this.doc;
    const lead = size * LINE;
    const block = lines.length * lead;
    d.save();
    d.rotate(-90, { origin: [x, y + h] });
    // In the rotated frame the box is h wide and w high, its top-left at (x, y + h).
    lines.forEach((l, i) => this.text(l, x + 2, y + h + (w - block) / 2 + i * lead, style, size));
    d.restore();
  }
}

/** A document from data: draws into a Pdf, returns what the caller reports (pages, students…). */
export function renderPdf<T>(setup: PdfSetup, sink: Sink, draw: (pdf: Pdf) => T): T & { pages: number } {
  const pdf = new Pdf(setup, sink);
  const result = draw(pdf);
  const pages = pdf.finish();
  return { ...result, pages };
}
