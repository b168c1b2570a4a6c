/**
 * Every place where the PDF engine reaches into pdfkit's or fontkit's internals, and nowhere
 * else: the rest of the engine calls pdfkit's public API or the functions here. The patches were
 * written against the versions in `PATCHED_FOR` (pdfkit is pinned in package.json);
 * `pdfkit-patches.test.ts` fails on any other version and checks that every internal used here
 * still exists with the shape it has here. On an upgrade: read each patch against the new
 * sources, adjust it, then the version here — the golden hashes of the printed documents tell
 * whether the bytes moved.
 *
 * Why patch at all: pdfkit and fontkit do per character and per word what journal printing does
 * hundreds of thousands of times (OpenType shaping, glyph decoding, operator encoding, deflating at
 * zlib's default level). Each patch gives the same bytes for the text the journal prints, faster.
 */
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';

/** The versions whose internals the patches below were written against and checked with. */
export const PATCHED_FOR = { pdfkit: '0.20.2', fontkit: '2.0.4' } as const;

// ── the internals, as the patches see them ───────────────────────────────

/** A parsed font as fontkit gives it: what pdfkit reads of it, plus the plain glyph mapping. */
export interface FontkitFont {
  postscriptName: string; unitsPerEm: number;
  glyphForCodePoint(cp: number): { id: number; advanceWidth: number };
  getGlyph(gid: number): { advanceWidth: number; _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null; _getMetrics(): { leftBearing: number } };
  loca: { offsets: number[] };
  _getTableStream(tag: 'glyf'): { pos: number; readBuffer(n: number): Uint8Array };
  createSubset(): TTFSubset;
}

/** fontkit's TrueType subset, the parts `fasterSubset` replaces: what its `encode` fills glyph by glyph. */
export interface TTFSubset {
  glyphs: number[];
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
  glyf: Uint8Array[]; offset: number; loca: { offsets: number[] }; hmtx: { metrics: { advance: number; bearing: number }[] };
}

/** pdfkit's font of a document (`EmbeddedFont`): the parts text is written with (see `includeGlyph`). */
export interface PdfkitFont {
  id: string; ascender: number; scale: number; widths: number[]; unicode: number[][];
  subset: { includeGlyph(id: number): number };
  ref(): unknown;
}

/** A pdfkit stream object (a page's content, a font file): its dictionary, and whether pdfkit will deflate it. */
export interface PdfkitStream { data: { Filter?: string }; compress: boolean; write(chunk: Uint8Array): void }

/** The parts of a pdfkit document the patches read or replace. */
interface PdfkitInternals {
  _font: PdfkitFont & { font: FontkitFont };
  page: { fonts: Record<string, unknown>; content: PdfkitStream };
  addContent(ops: string): unknown;
  _write(data: string | Uint8Array): void;
  _offset: number;
  ref(data?: object): PdfkitStream;
}

const internals = (doc: PDFKit.PDFDocument) => doc as unknown as PdfkitInternals;

/** A glyph as the plain layout gives it to pdfkit: its id, its advance, the code point it was asked for. */
export interface PlainGlyph { id: number; advanceWidth: number; codePoints: number[] }

// ── fonts ────────────────────────────────────────────────────────────────

/**
 * Patch: a font file parsed by fontkit, taken from a throw-away pdfkit document (`_font.font`),
 * so that the font is fontkit's own object, parsed the way pdfkit parses it — without a second
 * copy of fontkit to import.
 */
export function parseFont(path: string): FontkitFont {
  const probe = new PDFDocument({ autoFirstPage: false, font: path });
  return internals(probe)._font.font;
}

/**
 * Patch: the fontkit font pdfkit is given, with two methods replaced (a Proxy; the font itself
 * stays untouched and shared):
 * - `layout`, which pdfkit's own measuring and drawing call (`EmbeddedFont.layoutRun`): instead of
 *   fontkit's OpenType shaping (a new layout engine per word, GSUB and GPOS) the glyphs of the code
 *   points one by one, no kerning, no ligatures — what journal text needs (Cyrillic; Word does not
 *   kern 12 pt text either). pdfkit scales the positions in place, then reads the run's advance.
 * - `createSubset`: fontkit's subset with `fasterSubset`'s glyph copying and file cache.
 * `glyph` gives the glyph of a code point (see `PlainGlyph`); the engine's own text writing
 * (`Pdf.put`) uses the same glyphs and never calls `layout`.
 */
export function plainLayoutFont(real: FontkitFont, glyph: (cp: number) => PlainGlyph): FontkitFont {
  const layout = (text: string) => {
    const run = Array.from(text, (ch) => glyph(ch.codePointAt(0)!));
    const positions = run.map((g) => ({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 }));
    return { glyphs: run, positions, get advanceWidth() { return positions.reduce((w, p) => w + p.xAdvance, 0); } };
  };
  const files = new Map<string, FontFile>();
  const createSubset = function (this: FontkitFont) { return fasterSubset(real.createSubset.call(this), glyphData(real), files); };
  return new Proxy(real, { get: (t, p, r) => (p === 'layout' ? layout : p === 'createSubset' ? createSubset : Reflect.get(t, p, r)) as unknown });
}

/**
 * Patch: a new document whose default font is a fontkit font object rather than a file name
 * (pdfkit's `PDFFontFactory.open` takes any object with a `layout` method as a parsed font).
 */
export function documentWithFont(options: Omit<PDFKit.PDFDocumentOptions, 'font'>, font: FontkitFont): PDFKit.PDFDocument {
  return new PDFDocument({ ...options, font: font as unknown as string });
}

/**
 * Patch: makes `font` (a fontkit font object, see `documentWithFont`) the document's current font,
 * filed under `name` — the key pdfkit files a font under, so that later calls find it at once —
 * and returns pdfkit's font object for it (`_font`).
 */
export function useFont(doc: PDFKit.PDFDocument, font: FontkitFont, name: string): PdfkitFont {
  doc.font(font as unknown as PDFKit.Mixins.PDFFontSource, name);
  return internals(doc)._font;
}

/** The document's current pdfkit font (`_font`). */
export function currentFont(doc: PDFKit.PDFDocument): PdfkitFont {
  return internals(doc)._font;
}

/**
 * Patch: what pdfkit's `EmbeddedFont.encode` does for one glyph, without its layout: the glyph
 * into the font's subset, its width and its text (ToUnicode) into the font's tables. The id of
 * the glyph in the subset.
 */
export function includeGlyph(font: PdfkitFont, g: PlainGlyph): number {
  const gid = font.subset.includeGlyph(g.id);
  font.widths[gid] ??= g.advanceWidth * font.scale;
  font.unicode[gid] ??= g.codePoints;
  return gid;
}

/** Patch: the font among the current page's resources (what pdfkit's `_fragment` does before writing text). */
export function fontOnPage(doc: PDFKit.PDFDocument, font: PdfkitFont): void {
  internals(doc).page.fonts[font.id] ??= font.ref();
}

// ── font subsets ─────────────────────────────────────────────────────────

/** A font subset's file, and the same deflated. */
interface FontFile { bytes: Uint8Array; deflated?: Uint8Array }

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
 * While a document writes its fonts (`endDocument`): the object pdfkit made last, which is the font
 * file when a subset is encoded (pdfkit 0.20 `EmbeddedFont.embed`: `ref()`, then `end(subset.encode())`).
 */
let embedding: { lastRef: PdfkitStream | undefined } | undefined;

/**
 * Patch: fontkit's TrueType subset (`TTFSubset`) with `_addGlyph` and `encode` replaced. fontkit
 * decodes every glyph of every subset from the font file again; here its glyphs are read once per
 * process, and its file made once per set of glyphs and deflated once. The same bytes.
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

// ── the document's output ────────────────────────────────────────────────

/** Where `collectOutput` sends what pdfkit writes. */
export interface OutputHooks {
  /** Operators of the current page (what pdfkit's drawing methods add to it). */
  content(ops: string): void;
  /** A piece of the file as pdfkit writes it: a string (to be followed by a newline), or bytes. */
  file(data: string | Uint8Array): void;
}

/**
 * Patch: `addContent` and `_write` replaced. pdfkit turns every operator into bytes on its own (a
 * JavaScript loop per character) and keeps them in a list per page; its objects go one by one
 * through a Readable stream. The hooks take them as strings, to be made bytes once per page.
 * `_offset` is what pdfkit counts its cross-reference table with: kept as pdfkit keeps it (a
 * string is written with a newline after it). What pdfkit wrote before (the header) stays in its
 * Readable buffer (`doc.read()`).
 */
export function collectOutput(doc: PDFKit.PDFDocument, hooks: OutputHooks): void {
  const d = internals(doc);
  d.addContent = (ops: string) => {
    hooks.content(ops);
    return doc;
  };
  d._write = (data) => {
    hooks.file(data);
    d._offset += typeof data === 'string' ? data.length + 1 : data.length;
  };
}

/**
 * Patch: the current page's operators (one string, an operator a line) into its content stream,
 * deflated by `deflate` when pdfkit would deflate it — pdfkit's default level is most of its time.
 */
export function writePageContent(doc: PDFKit.PDFDocument, content: string, deflate: (bytes: Uint8Array) => Uint8Array): void {
  const stream = internals(doc).page.content;
  let bytes: Uint8Array = Buffer.from(content, 'latin1');
  if (stream.compress) {
    bytes = deflate(bytes);
    stream.compress = false;
    stream.data.Filter = 'FlateDecode';
  }
  stream.write(bytes);
}

/**
 * Patch: `doc.end()` with `ref` watched while it runs, so that a font subset's `encode` knows the
 * stream its file goes into (see `fasterSubset`); `ref` is pdfkit's own again afterwards.
 */
export function endDocument(doc: PDFKit.PDFDocument): void {
  const d = internals(doc);
  const state: NonNullable<typeof embedding> = { lastRef: undefined };
  const ref = d.ref;
  d.ref = (data) => (state.lastRef = ref.call(d, data));
  embedding = state;
  try {
    doc.end();
  } finally {
    embedding = undefined;
    delete (d as Partial<PdfkitInternals>).ref;
  }
}
