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
import { deflateSync } from 'node:zlib';
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
interface FontkitFont {
  postscriptName: string; unitsPerEm: number;
  glyphForCodePoint(cp: number): { id: number; advanceWidth: number };
  getGlyph(gid: number): { advanceWidth: number; _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null; _getMetrics(): { leftBearing: number } };
  loca: { offsets: number[] };
  _getTableStream(tag: 'glyf'): { pos: number; readBuffer(n: number): Uint8Array };
  createSubset(): TTFSubset;
}

/** fontkit's TrueType subset, the parts `fasterSubset` replaces: what its `encode` fills glyph by glyph. */
interface TTFSubset {
  glyphs: number[];
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
  glyf: Uint8Array[]; offset: number; loca: { offsets: number[] }; hmtx: { metrics: { advance: number; bearing: number }[] };
}

/** A font subset's file, and the same deflated. */
interface FontFile { bytes: Uint8Array; deflated?: Uint8Array }

/**
 * While a document writes its fonts (`Pdf.finish`): the object pdfkit made last, which is the font
 * file when a subset is encoded (pdfkit 0.20 `EmbeddedFont.embed`: `ref()`, then `end(subset.encode())`).
 */
let embedding: { lastRef: PdfkitStream | undefined } | undefined;

/** A glyph as a subset copies it: its bytes in the glyf table, the components of a composite, its metrics. */
interface GlyphData { bytes: Uint8Array; components: { glyphID: number; pos: number }[] | null; advance: number; bearing: number }

const glyphTables = new WeakMap<FontkitFont, Map<number, GlyphData>>();

/** The glyphs of a font as subsets copy them, read from the file once per process instead of once per document. */
function glyphData(font: FontkitFont): (gid: number) => GlyphData {
  let table = glyphTables.get(font);
  if (!table) glyphTables.set(font, (table = new Map()));
  const known = table;
  return (gid) => {
    let g = known.get(gid);
    if (!g) {
      // As fontkit's TTFSubset._addGlyph reads a glyph (a font without variations); only a
      // composite (a negative number of contours, the glyph's first two bytes) is decoded.
      const glyph = font.getGlyph(gid);
      const stream = font._getTableStream('glyf');
      stream.pos += font.loca.offsets[gid]!;
      const bytes = stream.readBuffer(font.loca.offsets[gid + 1]! - font.loca.offsets[gid]!);
      const composite = bytes.length >= 2 && (bytes[0]! & 0x80) !== 0;
      g = { bytes, components: composite ? glyph._decode()?.components ?? [] : null, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
      known.set(gid, g);
    }
    return g;
  };
}

/**
 * fontkit's TrueType subset with its glyphs read once per process (fontkit decodes every glyph of
 * every subset from the font file again), and its file made once per set of glyphs. The same bytes.
 * Liberation Serif has no variations: its glyphs are copied as they are.
 */
function fasterSubset(subset: TTFSubset, data: (gid: number) => GlyphData, files: Map<string, FontFile>): TTFSubset {
  if (typeof subset._addGlyph !== 'function') return subset;
  const encode = subset.encode;
  subset.encode = function (this: TTFSubset) {
    // The file depends on the glyphs and their order alone: documents that start their subsets
    // with the same characters (PdfSetup.glyphs) and need no others share it, deflated once.
    const key = this.glyphs.join(' ');
    let file = files.get(key);
    if (!file) {
      if (files.size >= 16) files.delete(files.keys().next().value!);
      files.set(key, (file = { bytes: encode.call(this) }));
    }
    const ref = embedding?.lastRef;
    if (ref?.compress && Object.keys(ref.data).length === 0) {
      // What pdfkit would write into this stream (deflateSync at zlib's default level), ready made.
      file.deflated ??= deflateSync(file.bytes);
      ref.compress = false;
      ref.data.Filter = 'FlateDecode';
      return file.deflated;
    }
    return file.bytes;
  };
  subset._addGlyph = function (this: TTFSubset, gid: number) {
    const g = data(gid);
    let bytes = g.bytes;
    if (g.components) {
      // A composite glyph names its components by id: renumbered into the subset.
      bytes = new Uint8Array(bytes);
      const view = new DataView(bytes.buffer);
      for (const c of g.components) view.setUint16(c.pos, this.includeGlyph(c.glyphID));
    }
    this.glyf.push(bytes);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
    this.offset += bytes.length;
    return this.glyf.length - 1;
  };
  return subset;
}

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
    const widths = new Map<string, number>();
    const files = new Map<string, FontFile>();
    const createSubset = function (this: FontkitFont) { return fasterSubset(real.createSubset.call(this), glyphData(real), files); };
    font = {
      pdfkit: new Proxy(real, { get: (t, p, r) => (p === 'layout' ? layout : p === 'createSubset' ? createSubset : Reflect.get(t, p, r)) as unknown }),
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

/** The parts of pdfkit 0.20 (pinned) that `Pdf.put` writes text with: the current font's subset and tables. */
interface PdfkitInternals {
  _font: {
    id: string; ascender: number; scale: number; widths: number[]; unicode: number[][];
    subset: { includeGlyph(id: number): number };
    ref(): unknown;
  };
  page: { fonts: Record<string, unknown>; content: PdfkitStream };
  addContent(ops: string): unknown;
}

/** A pdfkit stream object (a page's content): its dictionary, and whether pdfkit will deflate it. */
interface PdfkitStream { data: { Filter?: string }; compress: boolean; write(chunk: Uint8Array): void }

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

/** Colour → the operators that set it for filling (see `Pdf.fillColor`). */
const fillOps = new Map<string, string[]>();

/**
 * A number as text with at most `digits` decimals: the same text as `String(Math.round(v * 10 ** digits) / 10 ** digits)`,
 * made from integers — printing a fraction (shortest round trip) is dear, and a page has a thousand.
 */
function decimals(digits: number): (v: number) => string {
  const scale = 10 ** digits;
  return (v) => {
    const r = Math.round(v * scale);
    // Integer arithmetic only where it is exact (int32), else the plain way.
    if (!(r < 2147483648 && r > -2147483648)) return String(r / scale);
    const ri = r | 0;
    const a = ri < 0 ? -ri : ri;
    const whole = (a / scale) | 0;
    const frac = a - whole * scale;
    if (frac === 0) return String(r / scale);
    return `${ri < 0 ? '-' : ''}${whole}${fraction(frac, digits)}`;
  };
}

/** «.093» for the thousandths 0–999: the decimals of a PDF page's coordinates, looked up. */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, k) => `.${String(k).padStart(3, '0')}`.replace(/0+$/, ''));

/** The decimal point and `digits` decimals of an integer 1 ≤ frac < 10^digits, trailing zeros dropped. */
function fraction(frac: number, digits: number): string {
  if (digits === 3) return THOUSANDTHS[frac]!;
  if (digits > 3 && frac % 10 ** (digits - 3) === 0) return THOUSANDTHS[frac / 10 ** (digits - 3)]!;
  let f = frac;
  let n = digits;
  while (f % 10 === 0) { f /= 10; n--; }
  return `.${String(f).padStart(n, '0')}`;
}

/** A number as `put` prints it: at most three decimals. */
const num = decimals(3);
/** A number as pdfkit's path operators print it (PDFObject.number): the same bytes as `doc.moveTo()` and the like. */
const pathNum = decimals(6);

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
  /** Per pdfkit font of this document: a text → its glyphs as a PDF string (journal text repeats: subjects, work types, headings). */
  private readonly encodedText = new Map<string, Map<string, string>>();
  /** Per style, size and width: a paragraph → its lines (a class's students share their lessons). */
  private readonly wrapped = new Map<FontStyle, Map<number, Map<number, Map<string, string[]>>>>();
  /** The current page's operators, written to its content stream when the page is done. */
  private ops: string[] = [];
  /** Lines of the current page by width, when they are drawn at its end (`batchLines`). */
  private lineBatch: Map<number, Lines> | undefined;
  /** Lines of text share a text object (`compactText`); the open one: its font, size and last line's start in thousandths. */
  private compact = false;
  private textRun: { font: string; size: string; x: number; y: number } | undefined;
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
    this.doc = new PDFDocument({
      size: 'A4', layout: setup.layout, margin: 0, autoFirstPage: false, compress: setup.compress ?? true,
      font: plainFont(setup.fonts.regular).pdfkit as unknown as string, lang: 'ru-RU', displayTitle: true,
      info: { Title: setup.title, Creator: 'ejournal', Producer: 'ejournal (pdfkit)', CreationDate: new Date(setup.createdAt) },
    });
    [this.pageWidth, this.pageHeight] = setup.layout === 'landscape' ? [841.89, 595.28] : [595.28, 841.89];
    // pdfkit turns every operator into bytes on its own (a JavaScript loop per character) and
    // keeps them in a list per page: collected here as strings and written once per page instead.
    (this.doc as unknown as PdfkitInternals).addContent = (ops: string) => {
      this.endText();
      this.ops.push(ops);
      return this.doc;
    };
    // The same for the file itself: pdfkit's objects as strings, made bytes once per page, not
    // pushed one by one through a Readable stream. `_offset` is what pdfkit counts its xref with.
    const doc = this.doc as unknown as { _write(data: string | Uint8Array): void; _offset: number };
    doc._write = (data) => {
      if (typeof data === 'string') {
        this.text8.push(data, '\n');
        doc._offset += data.length + 1;
      } else {
        this.endText8();
        this.out.push(data);
        doc._offset += data.length;
      }
    };
  }

  /** Strings written so far as one chunk of bytes (one byte a character, as pdfkit writes them). */
  private endText8(): void {
    if (this.text8.length === 0) return;
    this.out.push(Buffer.from(this.text8.join(''), 'latin1'));
    this.text8 = [];
  }

  /**
   * The page's operators into its content stream: the same bytes pdfkit writes (an operator a
   * line), deflated here at a level of our choice — pdfkit's default level is most of its time.
   */
  private endContent(): void {
    this.endLines();
    this.endText();
    if (this.ops.length === 0) return;
    const content = (this.doc as unknown as PdfkitInternals).page.content;
    this.ops.push('');
    let bytes: Uint8Array = Buffer.from(this.ops.join('\n'), 'latin1');
    this.ops = [];
    if (content.compress) {
      bytes = deflateSync(bytes, { level: DEFLATE_LEVEL });
      content.compress = false;
      content.data.Filter = 'FlateDecode';
    }
    content.write(bytes);
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
    const doc = this.doc as unknown as { ref(data?: object): PdfkitStream };
    const state: NonNullable<typeof embedding> = { lastRef: undefined };
    const ref = doc.ref;
    doc.ref = (data) => (state.lastRef = ref.call(doc, data));
    embedding = state;
    try {
      this.doc.end();
    } finally {
      embedding = undefined;
      delete (doc as Partial<typeof doc>).ref;
    }
    this.drain();
    return this.pages;
  }

  private drain(): void {
    // What pdfkit wrote before `_write` was ours (the header) is in its Readable buffer.
    for (let c = this.doc.read() as Uint8Array | null; c !== null; c = this.doc.read() as Uint8Array | null) this.sink.write(c);
    this.endText8();
    if (this.out.length === 0) return;
    this.sink.write(this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out));
    this.out = [];
  }

  use(style: FontStyle, size: number): this {
    if (style !== this.style) {
      // Keyed by the font's own name, the key pdfkit files it under: later calls find it at once.
      const font = plainFont(this.fonts[style]);
      this.doc.font(font.pdfkit as unknown as PDFKit.Mixins.PDFFontSource, font.name);
      this.style = style;
      if (this.glyphs && !this.seeded.has(style)) {
        this.seeded.add(style);
        this.encode(this.glyphs, (this.doc as unknown as PdfkitInternals)._font);
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
    if (o.color) this.fillColor(o.color);
    this.put(text, left, y, size);
    if (o.color) this.fillColor('black');
  }

  /** What doc.fillColor() writes: for black and #rrggbb colours without a call into pdfkit. */
  private fillColor(color: string): void {
    let ops = fillOps.get(color);
    if (!ops) {
      if (color !== 'black' && !/^#[0-9a-f]{6}$/i.test(color)) {
        this.doc.fillColor(color);
        return;
      }
      const hex = color === 'black' ? 0 : parseInt(color.slice(1), 16);
      fillOps.set(color, (ops = ['/DeviceRGB cs', `${[hex >> 16, (hex >> 8) & 0xff, hex & 0xff].map((c) => c / 255).join(' ')} scn`]));
    }
    this.endText();
    this.ops.push(ops[0]!, ops[1]!);
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
    let texts = this.encodedText.get(font.id);
    if (!texts) this.encodedText.set(font.id, (texts = new Map()));
    let bytes = texts.get(text);
    if (bytes === undefined) {
      bytes = this.encode(text, font);
      texts.set(text, bytes);
    }
    doc.page.fonts[font.id] ??= font.ref();
    const baseline = y + (font.ascender / 1000) * size;
    if (this.compact && scale === 100) {
      this.putInRun(bytes, font.id, num(size), Math.round(x * 1000), Math.round(baseline * 1000));
      return;
    }
    this.endText();
    const tz = scale === 100 ? '' : ` ${num(scale)} Tz`;
    this.ops.push(`BT /${font.id} ${num(size)} Tf${tz} 1 0 0 -1 ${num(x)} ${num(baseline)} Tm (${bytes}) Tj${tz ? ' 100 Tz' : ''} ET`);
  }

  /**
   * Consecutive lines in one text object (`compactText`): the font set when it changes, each line
   * placed from the one before (Td moves the line matrix; coordinates in thousandths of a point,
   * so the moves add up to the very positions `put` would give).
   */
  private putInRun(bytes: string, font: string, size: string, x: number, y: number): void {
    let run = this.textRun;
    if (!run) {
      this.ops.push('BT');
      run = this.textRun = { font: '', size: '', x: Number.NaN, y: Number.NaN };
    }
    if (run.font !== font || run.size !== size) {
      this.ops.push(`/${font} ${size} Tf`);
      run.font = font;
      run.size = size;
    }
    // The text matrix flips y (1 0 0 -1): a move of ty goes up the page's y-down coordinates.
    this.ops.push(Number.isNaN(run.x)
      ? `1 0 0 -1 ${num(x / 1000)} ${num(y / 1000)} Tm (${bytes}) Tj`
      : `${num((x - run.x) / 1000)} ${num((run.y - y) / 1000)} Td (${bytes}) Tj`);
    run.x = x;
    run.y = y;
  }

  /** Ends the open text object, if any: before any operator that is not a line of text. */
  private endText(): void {
    if (!this.textRun) return;
    this.ops.push('ET');
    this.textRun = undefined;
  }

  /**
   * From now on consecutive lines of text share one text object, set their font only when it
   * changes and move from line to line: a third less to write and to deflate. The same page.
   */
  compactText(): void {
    this.compact = true;
  }

  /** A text's glyphs as a PDF string, each glyph put into the font's subset when first met. */
  private encode(text: string, font: PdfkitInternals['_font']): string {
    const plain = plainFont(this.fonts[this.style!]);
    let codes = this.encoded.get(font.id);
    if (!codes) this.encoded.set(font.id, (codes = new Map()));
    // Joined, not added up: one flat string, not a rope of two-byte pieces to flatten at every use.
    const bytes: string[] = [];
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
      bytes.push(h);
    }
    return bytes.join('');
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
  wrap(text: string, width: number, style: FontStyle, size: number): readonly string[] {
    let bySize = this.wrapped.get(style);
    if (!bySize) this.wrapped.set(style, (bySize = new Map()));
    let byWidth = bySize.get(size);
    if (!byWidth) bySize.set(size, (byWidth = new Map()));
    let known = byWidth.get(width);
    if (!known) byWidth.set(width, (known = new Map()));
    let lines = known.get(text);
    if (!lines) known.set(text, (lines = this.wrapNew(text, width, style, size)));
    return lines;
  }

  private wrapNew(text: string, width: number, style: FontStyle, size: number): string[] {
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
    if (this.lineBatch) {
      let lines = this.lineBatch.get(width);
      if (!lines) this.lineBatch.set(width, (lines = new Lines()));
      for (const s of segments) lines.add(s);
      return;
    }
    this.strokeNow(segments, width);
  }

  /**
   * From now on straight lines (`strokes`) are drawn when their page is done, joined where one
   * continues another: the rows of a table share their borders and columns, and a page draws each
   * once. For documents that paint nothing over a line once drawn and draw lines in the page's own
   * coordinates only (no rotation): the weekly report.
   */
  batchLines(): void {
    this.lineBatch ??= new Map();
  }

  private endLines(): void {
    if (!this.lineBatch) return;
    for (const [width, lines] of [...this.lineBatch].sort((a, b) => a[0] - b[0])) {
      const joined = lines.joined();
      if (joined.length) this.strokeNow(joined, width);
    }
    this.lineBatch.clear();
  }

  private strokeNow(segments: readonly (readonly [number, number, number, number])[], width: number): void {
    // What doc.lineWidth(), moveTo(), lineTo() and stroke() write, without a call into pdfkit per point.
    this.endText();
    const ops = this.ops;
    ops.push(`${pathNum(width)} w`);
    for (const [x1, y1, x2, y2] of segments) ops.push(`${pathNum(x1)} ${pathNum(y1)} m`, `${pathNum(x2)} ${pathNum(y2)} l`);
    ops.push('S');
  }

  rect(x: number, y: number, w: number, h: number, width = 0.5): void {
    this.endText();
    this.ops.push(`${pathNum(width)} w`, `${pathNum(x)} ${pathNum(y)} ${pathNum(w)} ${pathNum(h)} re`, 'S');
  }

  fill(x: number, y: number, w: number, h: number, color: string): void {
    // doc.save().rect().fill(color).restore(), then doc.fillColor('black'): the same operators.
    this.endText();
    this.ops.push('q', `${pathNum(x)} ${pathNum(y)} ${pathNum(w)} ${pathNum(h)} re`);
    this.fillColor(color);
    this.ops.push('f', 'Q');
    this.fillColor('black');
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

type Segment = readonly [number, number, number, number];

/**
 * Segments collected to be joined: horizontal ones by their y, vertical ones by their x (as flat
 * lists of spans), any other as it is.
 */
class Lines {
  private readonly rows = new Map<number, number[]>();
  private readonly cols = new Map<number, number[]>();
  private readonly other: Segment[] = [];

  add([x1, y1, x2, y2]: Segment): void {
    if (y1 === y2) spanAt(this.rows, y1, x1, x2);
    else if (x1 === x2) spanAt(this.cols, x1, y1, y2);
    else this.other.push([x1, y1, x2, y2]);
  }

  /** Joined where they touch or overlap on one line, in a fixed order (by position): the same page gives the same operators. */
  joined(): Segment[] {
    const out: Segment[] = [];
    for (const y of [...this.rows.keys()].sort((a, b) => a - b)) joinSpans(this.rows.get(y)!, (a, b) => out.push([a, y, b, y]));
    for (const x of [...this.cols.keys()].sort((a, b) => a - b)) joinSpans(this.cols.get(x)!, (a, b) => out.push([x, a, x, b]));
    return out.concat(this.other);
  }
}

function spanAt(m: Map<number, number[]>, k: number, a: number, b: number): void {
  const list = m.get(k);
  const [lo, hi] = a < b ? [a, b] : [b, a];
  if (list) list.push(lo, hi);
  else m.set(k, [lo, hi]);
}

/** Spans [a0, b0, a1, b1, …] on one line joined where they touch or overlap (a hundredth of a point apart counts as touching). */
function joinSpans(flat: number[], emit: (a: number, b: number) => void): void {
  const n = flat.length / 2;
  const order = Array.from({ length: n }, (_, i) => i);
  // Rows are drawn top down and left to right: the spans mostly come sorted already.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = flat[2 * i]! > flat[2 * i - 2]! || (flat[2 * i] === flat[2 * i - 2] && flat[2 * i + 1]! >= flat[2 * i - 1]!);
  if (!sorted) order.sort((i, j) => flat[2 * i]! - flat[2 * j]! || flat[2 * i + 1]! - flat[2 * j + 1]!);
  let a = flat[2 * order[0]!]!;
  let b = flat[2 * order[0]! + 1]!;
  for (let k = 1; k < n; k++) {
    const i = order[k]!;
    if (flat[2 * i]! <= b + 0.01) b = Math.max(b, flat[2 * i + 1]!);
    else {
      emit(a, b);
      a = flat[2 * i]!;
      b = flat[2 * i + 1]!;
    }
  }
  emit(a, b);
}

/**
 * Horizontal and vertical segments joined where they touch or overlap on one line; others as
 * they are (see `Pdf.batchLines`).
 */
export function joinSegments(segments: readonly Segment[]): Segment[] {
  const lines = new Lines();
  for (const s of segments) lines.add(s);
  return lines.joined();
}

/** A document from data: draws into a Pdf, returns what the caller reports (pages, students…). */
export function renderPdf<T>(setup: PdfSetup, sink: Sink, draw: (pdf: Pdf) => T): T & { pages: number } {
  const pdf = new Pdf(setup, sink);
  const result = draw(pdf);
  const pages = pdf.finish();
  return { ...result, pages };
}
