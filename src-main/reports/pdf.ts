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
 *
 * This file is the engine's boundary (what documents use: `Pdf`, `renderPdf`, the fonts, the
 * sinks); its parts: `pdf-fonts.ts` (the fonts and their widths), `word-wrap.ts`,
 * `pdf-text-encoding.ts` (text as glyph ids of a font subset), `pdf-page-content.ts` (a page's
 * operators), `pdf-lines.ts` (table borders joined), `pdf-numbers.ts`, `pdf-sink.ts`, and
 * `pdfkit-patches.ts` — every reach into pdfkit's and fontkit's internals, pinned to their versions.
 */
import { deflateSync } from 'node:zlib';
import { plainFont, type FontSet, type FontStyle, type PlainFont } from './pdf-fonts';
import type { Segment } from './pdf-lines';
import { PageContent } from './pdf-page-content';
import type { Sink } from './pdf-sink';
import { TextEncoding } from './pdf-text-encoding';
import { collectOutput, currentFont, documentWithFont, endDocument, fontOnPage, useFont, writePageContent } from './pdfkit-patches';
import { wrapWords } from './word-wrap';

export { DEFAULT_FONTS_DIR, fontSet, type FontSet, type FontStyle } from './pdf-fonts';
export { joinSegments } from './pdf-lines';
export { bufferSink, writeAtomically, type Sink } from './pdf-sink';

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
  /**
   * Characters put into every font's subset first, in this order, used or not: documents of a
   * batch (a class each) then embed the same font files, made once per process — at the price
   * of some unused glyphs in each.
   */
  glyphs?: string;
}

/** Margins of landscape sheets (the journal, the summary): the wide left edge is for sewing. */
export const SHEET = { left: 45, right: 20, top: 28, bottom: 24 };

/** One page's content, drawn after the page is started: documents plan their pages before drawing. */
export type PagePlan = (pdf: Pdf) => void;

/** Liberation Serif's vertical metrics (per 1 pt of size): the line box and a centred baseline. */
export const LINE = 1.15;
const CENTRE = 0.56;

/**
 * Deflate level of page content. zlib's default (6) spends twice the time of level 1 for streams
 * ~10 % smaller: a class's weekly reports are 0.3 MB either way, and printing is waited for.
 */
const DEFLATE_LEVEL = 1;

export interface TextOpts { align?: 'left' | 'center' | 'right'; width?: number; color?: string }

export class Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly pageWidth: number;
  readonly pageHeight: number;
  pages = 0;
  /** Called after each new page is started (sheet numbers, running headers). */
  onPage: ((pdf: Pdf) => void) | undefined;
  private style: FontStyle | undefined;
  /** The font of `style`. */
  private font: PlainFont | undefined;
  private size = 0;
  private readonly encoding = new TextEncoding();
  /** Per style, size and width: a paragraph → its lines (a class's students share their lessons). */
  private readonly wrapped = new Map<FontStyle, Map<number, Map<number, Map<string, string[]>>>>();
  /** The current page's operators, written to its content stream when the page is done. */
  private readonly content = new PageContent((color) => { this.doc.fillColor(color); });
  /** The file's bytes not yet handed to the sink, and strings not yet made bytes. */
  private out: Uint8Array[] = [];
  private text8: string[] = [];
  private readonly sink: Sink;
  private readonly fonts: FontSet;
  private readonly plain: Partial<Record<FontStyle, PlainFont>> = {};
  private readonly glyphs: string | undefined;
  private readonly seeded = new Set<FontStyle>();

  constructor(setup: PdfSetup, sink: Sink) {
    this.sink = sink;
    this.fonts = setup.fonts;
    this.glyphs = setup.glyphs;
    this.doc = documentWithFont({
      size: 'A4', layout: setup.layout, margin: 0, autoFirstPage: false, compress: setup.compress ?? true,
      lang: 'ru-RU', displayTitle: true,
      info: { Title: setup.title, Creator: 'ejournal', Producer: 'ejournal (pdfkit)', CreationDate: new Date(setup.createdAt) },
    }, plainFont(setup.fonts.regular).pdfkit);
    [this.pageWidth, this.pageHeight] = setup.layout === 'landscape' ? [841.89, 595.28] : [595.28, 841.89];
    // What pdfkit writes, as strings: page operators into the page's content, the file's pieces
    // made bytes once per page.
    collectOutput(this.doc, {
      content: (ops) => this.content.raw(ops),
      file: (data) => {
        if (typeof data === 'string') this.text8.push(data, '\n');
        else {
          this.endText8();
          this.out.push(data);
        }
      },
    });
  }

  /** Strings written so far as one chunk of bytes (one byte a character, as pdfkit writes them). */
  private endText8(): void {
    if (this.text8.length === 0) return;
    this.out.push(Buffer.from(this.text8.join(''), 'latin1'));
    this.text8 = [];
  }

  /** The page's operators into its content stream, deflated here at a level of our choice. */
  private endContent(): void {
    const content = this.content.take();
    if (content !== undefined) writePageContent(this.doc, content, (bytes) => deflateSync(bytes, { level: DEFLATE_LEVEL }));
  }

  newPage(): void {
    this.endContent();
    this.doc.addPage();
    this.pages++;
    this.drain();
    this.onPage?.(this);
  }

  /** Ends the document and hands over its last bytes; the page count. */
  finish(): number {
    this.endContent();
    endDocument(this.doc);
    this.drain();
    return this.pages;
  }

  private drain(): void {
    // What pdfkit wrote before its output was collected (the header) is in its Readable buffer.
    for (let c = this.doc.read() as Uint8Array | null; c !== null; c = this.doc.read() as Uint8Array | null) this.sink.write(c);
    this.endText8();
    if (this.out.length === 0) return;
    this.sink.write(this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out));
    this.out = [];
  }

  use(style: FontStyle, size: number): this {
    if (style !== this.style) {
      const font = plainFont(this.fonts[style]);
      const pdfkitFont = useFont(this.doc, font.pdfkit, font.name);
      this.style = style;
      this.font = font;
      if (this.glyphs && !this.seeded.has(style)) {
        this.seeded.add(style);
        this.encoding.glyphs(this.glyphs, pdfkitFont, font);
      }
    }
    if (size !== this.size) { this.doc.fontSize(size); this.size = size; }
    return this;
  }

  /** Width of a single line of text. */
  measure(text: string, style: FontStyle, size: number): number {
    return (this.plain[style] ??= plainFont(this.fonts[style])).width(text) * size;
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
    if (o.color) this.content.fillColor(o.color);
    this.put(text, left, y, size);
    if (o.color) this.content.fillColor('black');
  }

  /**
   * One line of text as PDF operators, without pdfkit's `text()` (options, wrapping, a saved and
   * flipped graphics state per call — most of a grid's drawing time), in the current font.
   */
  private put(text: string, x: number, y: number, size: number, scale = 100): void {
    const font = currentFont(this.doc);
    const bytes = this.encoding.text(text, font, this.font!);
    fontOnPage(this.doc, font);
    this.content.text(bytes, font.id, size, x, y + (font.ascender / 1000) * size, scale);
  }

  /**
   * From now on consecutive lines of text share one text object, set their font only when it
   * changes and move from line to line: a third less to write and to deflate. The same page.
   */
  compactText(): void {
    this.content.compactText();
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

  /** Lines of `text` wrapped to `width` (see `wrapWords`), remembered per style, size and width. */
  wrap(text: string, width: number, style: FontStyle, size: number): readonly string[] {
    let bySize = this.wrapped.get(style);
    if (!bySize) this.wrapped.set(style, (bySize = new Map()));
    let byWidth = bySize.get(size);
    if (!byWidth) bySize.set(size, (byWidth = new Map()));
    let known = byWidth.get(width);
    if (!known) byWidth.set(width, (known = new Map()));
    let lines = known.get(text);
    if (!lines) known.set(text, (lines = wrapWords(text, width, (piece) => this.measure(piece, style, size))));
    return lines;
  }

  /** Lines of text from `y` down, `lead` points apart. */
  lines(lines: readonly string[], x: number, y: number, style: FontStyle, size: number, lead = size * LINE, o: TextOpts = {}): number {
    lines.forEach((l, i) => this.text(l, x, y + i * lead, style, size, o));
    return lines.length * lead;
  }

  /** Straight lines, stroked at once. `segments`: [x1, y1, x2, y2] each. */
  strokes(segments: readonly Segment[], width = 0.5): void {
    this.content.strokes(segments, width);
  }

  /**
   * From now on straight lines (`strokes`) are drawn when their page is done, joined where one
   * continues another (see `PageContent.batchLines`): the weekly report.
   */
  batchLines(): void {
    this.content.batchLines();
  }

  rect(x: number, y: number, w: number, h: number, width = 0.5): void {
    this.content.rect(x, y, w, h, width);
  }

  fill(x: number, y: number, w: number, h: number, color: string): void {
    this.content.fill(x, y, w, h, color);
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
