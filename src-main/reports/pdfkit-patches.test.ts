/**
 * The patches of pdfkit's and fontkit's internals (pdfkit-patches.ts) hold for the versions they
 * were written for, and only for them: another version fails here first, then each internal the
 * patches use is checked for the shape they expect — the list of what to review on an upgrade.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { bufferSink, renderPdf } from './pdf';
import { DEFAULT_FONTS_DIR, fontSet, plainFont } from './pdf-fonts';
import {
  collectOutput, currentFont, endDocument, includeGlyph, parseFont, PATCHED_FOR, plainLayoutFont, useFont, writePageContent,
  type FontkitFont, type PlainGlyph, type TTFSubset,
} from './pdfkit-patches';

type Loose = Record<string, unknown>;
const loose = (x: unknown) => x as Loose;

/** The version in the package.json of the package `entry` (a resolved file of it) belongs to. */
function installedVersion(entry: string, name: string): string {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${entry}`);
  }
}

const pdfkitEntry = createRequire(import.meta.url).resolve('pdfkit');
/** fontkit as pdfkit resolves it: the copy whose fonts the patches see. */
const fontkitEntry = createRequire(pdfkitEntry).resolve('fontkit');
const FONT = fontSet(DEFAULT_FONTS_DIR).regular;
const UPGRADE = 'pdfkit-patches.ts was written for other versions: review each patch against the installed sources, then update PATCHED_FOR';

/** A document with the raw font, nothing patched. */
const plainDoc = (o: PDFKit.PDFDocumentOptions = {}) => new PDFDocument({ autoFirstPage: false, font: FONT, ...o });
const fontOf = (doc: PDFKit.PDFDocument) => loose(loose(doc)._font);

/** Text that needs composite glyphs (ё, й: a letter and a mark) as well as simple ones. */
const SAMPLE = 'Журнал: ёлка, йод, «Щ» 5/4 н/а';

const glyphsOf = (real: FontkitFont) => {
  const glyphs = new Map<number, PlainGlyph>();
  return (cp: number) => {
    let g = glyphs.get(cp);
    if (!g) {
      const f = real.glyphForCodePoint(cp);
      glyphs.set(cp, (g = { id: f.id, advanceWidth: f.advanceWidth, codePoints: [cp] }));
    }
    return g;
  };
};

describe('the pdfkit and fontkit the patches were written for', () => {
  it(`is pdfkit ${PATCHED_FOR.pdfkit}`, () => {
    expect(installedVersion(pdfkitEntry, 'pdfkit'), UPGRADE).toBe(PATCHED_FOR.pdfkit);
  });

  it(`is fontkit ${PATCHED_FOR.fontkit}, as pdfkit resolves it`, () => {
    expect(installedVersion(fontkitEntry, 'fontkit'), UPGRADE).toBe(PATCHED_FOR.fontkit);
  });
});

describe('the internals the patches use still have their shape', () => {
  it('parseFont: a pdfkit document keeps its fontkit font as `_font.font`, with what the plain layout and the subsets read', () => {
    const font = fontOf(plainDoc()).font as FontkitFont;
    expect(font).toBeTypeOf('object');
    expect(parseFont(FONT).postscriptName).toBe(font.postscriptName);
    expect(font.postscriptName).toBe('LiberationSerif');
    expect(font.unitsPerEm).toBeTypeOf('number');
    for (const m of ['glyphForCodePoint', 'getGlyph', '_getTableStream', 'createSubset', 'layout'] as const) expect(loose(font)[m], m).toBeTypeOf('function');
    expect(Array.isArray(font.loca.offsets)).toBe(true);
    const glyph = font.getGlyph(font.glyphForCodePoint('ё'.codePointAt(0)!).id);
    expect(glyph.advanceWidth).toBeTypeOf('number');
    expect(glyph._getMetrics().leftBearing).toBeTypeOf('number');
    const decoded = glyph._decode()!;
    expect(decoded.numberOfContours).toBeLessThan(0);
    for (const c of decoded.components!) {
      expect(c.glyphID).toBeTypeOf('number');
      expect(c.pos).toBeTypeOf('number');
    }
    const stream = font._getTableStream('glyf');
    expect(stream.pos).toBeTypeOf('number');
    expect(stream.readBuffer).toBeTypeOf('function');
  });

  it('documentWithFont and useFont: pdfkit takes a fontkit font object as a font, files it under the given name and measures with its `layout`', () => {
    const real = parseFont(FONT);
    const patched = plainLayoutFont(real, glyphsOf(real));
    const doc = new PDFDocument({ autoFirstPage: false, font: patched as unknown as string });
    expect(fontOf(doc).font).toBe(patched);
    // Filed under the font's own name, the key pdfkit files it under: found at once later.
    const first = useFont(doc, patched, patched.postscriptName);
    expect(fontOf(doc)).toBe(first);
    expect(loose(loose(doc)._fontFamilies)[patched.postscriptName]).toBe(first);
    const count = loose(doc)._fontCount;
    expect(useFont(doc, patched, patched.postscriptName)).toBe(first);
    expect(loose(doc)._fontCount).toBe(count);
    expect(currentFont(doc)).toBe(first);
    // pdfkit's own measuring goes through the font's `layout`: the plain widths, no kerning.
    doc.fontSize(10);
    expect(doc.widthOfString(SAMPLE)).toBeCloseTo(plainFont(FONT).width(SAMPLE) * 10, 9);
  });

  it('includeGlyph: pdfkit\'s font keeps its subset, widths and ToUnicode as `EmbeddedFont.encode` fills them', () => {
    const font = fontOf(plainDoc());
    expect(font.id).toBeTypeOf('string');
    for (const k of ['ascender', 'scale'] as const) expect(font[k], k).toBeTypeOf('number');
    for (const k of ['widths', 'unicode'] as const) expect(Array.isArray(font[k]), k).toBe(true);
    expect(loose(font.subset).includeGlyph).toBeTypeOf('function');
    expect(font.ref).toBeTypeOf('function');
    // pdfkit's own encoding of the sample and ours give the same subset and tables.
    const theirs = fontOf(plainDoc());
    (theirs.encode as (t: string) => unknown).call(theirs, SAMPLE);
    const ours = fontOf(plainDoc());
    const glyph = glyphsOf(parseFont(FONT));
    for (const ch of SAMPLE) includeGlyph(ours as never, glyph(ch.codePointAt(0)!));
    expect(loose(ours.subset).glyphs).toEqual(loose(theirs.subset).glyphs);
    expect(ours.widths).toEqual(theirs.widths);
    expect(ours.unicode).toEqual(theirs.unicode);
  });

  it('fontOnPage and writePageContent: a page keeps its fonts and its content stream (dictionary, deflate flag, write)', () => {
    for (const compress of [true, false]) {
      const doc = plainDoc({ compress });
      doc.addPage();
      const page = loose(loose(doc).page);
      expect(page.fonts).toEqual({});
      const content = loose(page.content);
      expect(content.data).toBeTypeOf('object');
      expect(content.compress).toBe(compress);
      expect(content.write).toBeTypeOf('function');
      const d = loose(doc);
      expect(d._offset).toBeTypeOf('number');
      for (const m of ['addContent', '_write', 'ref', 'read', 'end'] as const) expect(d[m], m).toBeTypeOf('function');
    }
  });

  it('collectOutput: drawing goes through `addContent`, the file through `_write`, and `_offset` counts it', () => {
    const doc = plainDoc({ compress: false });
    const ops: string[] = [];
    const chunks: Buffer[] = [];
    collectOutput(doc, { content: (o) => ops.push(o), file: (data) => chunks.push(typeof data === 'string' ? Buffer.from(`${data}\n`, 'latin1') : Buffer.from(data)) });
    doc.addPage();
    doc.save().rect(10, 10, 20, 20).stroke().restore();
    expect(ops.join(' ')).toMatch(/ q 10 10 20 20 re S Q$/);
    writePageContent(doc, ops.join('\n'), (b) => b);
    endDocument(doc);
    const head: Buffer[] = [];
    for (let c = doc.read() as Buffer | null; c !== null; c = doc.read() as Buffer | null) head.push(c);
    const file = Buffer.concat([...head, ...chunks]).toString('latin1');
    // Every object starts where the cross-reference table says: the offsets were counted right.
    const at = file.lastIndexOf('\nxref\n') + 1;
    const xref = file.slice(at);
    const offsets = [...xref.matchAll(/^(\d{10}) 00000 n ?$/gm)].map((m) => Number(m[1]));
    expect(offsets.length).toBeGreaterThan(5);
    offsets.forEach((o, i) => expect(file.slice(o, o + 12)).toMatch(new RegExp(`^${i + 1} 0 obj`)));
    expect(Number(/startxref\n(\d+)/.exec(file)![1])).toBe(at);
  });

  it('endDocument: `EmbeddedFont.embed` makes the font file with `ref()` and ends it with the subset\'s file, nothing between', () => {
    const embed = String(loose(Object.getPrototypeOf(fontOf(plainDoc()))).embed);
    expect(embed).toMatch(/const fontFile = this\.document\.ref\(\);(?:(?!ref\()[\s\S])*fontFile\.end\(this\.subset\.encode\(\)\)/);
    // A new object is a stream pdfkit will deflate, its dictionary empty until written.
    const d = loose(plainDoc({ compress: true }));
    const made = loose((d.ref as () => unknown).call(d));
    expect(made.compress).toBe(true);
    expect(made.data).toEqual({});
    // With the patches, the font file is handed over deflated and flagged: a TrueType file inside.
    const sink = bufferSink();
    renderPdf({ fonts: fontSet(DEFAULT_FONTS_DIR), createdAt: '2027-06-20T05:00:00Z', title: 't', layout: 'portrait' }, sink, (pdf) => {
      pdf.newPage();
      pdf.text(SAMPLE, 50, 50, 'regular', 12);
      return {};
    });
    const file = sink.bytes().toString('latin1');
    const id = /\/FontFile2 (\d+) 0 R/.exec(file)![1]!;
    const obj = file.slice(file.indexOf(`\n${id} 0 obj`));
    expect(obj.slice(0, obj.indexOf('stream'))).toContain('/Filter /FlateDecode');
    const start = obj.indexOf('stream\n') + 'stream\n'.length;
    const ttf = inflateSync(Buffer.from(obj.slice(start, obj.indexOf('\nendstream')), 'latin1'));
    expect(['true', '\0\x01\0\0']).toContain(ttf.subarray(0, 4).toString('latin1'));
  });

  it('the faster subset: fontkit\'s TrueType subset has the fields its `encode` fills, and the patched one makes the same file', () => {
    const real = parseFont(FONT);
    const theirs = real.createSubset();
    for (const m of ['includeGlyph', '_addGlyph', 'encode'] as const) expect(loose(theirs)[m], m).toBeTypeOf('function');
    expect(Array.isArray(theirs.glyphs)).toBe(true);
    const ours = (plainLayoutFont(real, glyphsOf(real)) as FontkitFont).createSubset();
    for (const s of [theirs, ours] as TTFSubset[]) for (const ch of SAMPLE) s.includeGlyph(real.glyphForCodePoint(ch.codePointAt(0)!).id);
    const file = Buffer.from(theirs.encode());
    expect(Array.isArray(theirs.glyf) && typeof theirs.offset === 'number' && Array.isArray(theirs.loca.offsets) && Array.isArray(theirs.hmtx.metrics)).toBe(true);
    // Composite glyphs (ё, й) pulled their components in, renumbered, in both.
    expect(theirs.glyphs.length).toBeGreaterThan(new Set(SAMPLE).size + 1);
    expect(Buffer.from(ours.encode()).equals(file)).toBe(true);
    expect(ours.glyphs).toEqual(theirs.glyphs);
  });

  it('writePageContent: the page\'s content is deflated once and flagged, where pdfkit would deflate it', () => {
    for (const compress of [true, false]) {
      const doc = plainDoc({ compress });
      doc.addPage();
      const content = loose(loose(doc).page).content as Loose;
      let deflated = 0;
      writePageContent(doc, '0 0 m\n10 10 l\nS\n', (b) => (deflated++, deflateSync(b)));
      expect(deflated).toBe(compress ? 1 : 0);
      expect(content.compress).toBe(false);
      expect(loose(content.data).Filter).toBe(compress ? 'FlateDecode' : undefined);
    }
  });
});
