/**
 * Flowing documents (the weekly report, the breach act): content is measured first as blocks of
 * known height, then cut into pages — so a page knows «Страница 2 из 3» before it is drawn, a
 * table row is never split, and a table's header row is repeated on the page it continues on.
 */
import { LINE, type FontStyle, type Pdf } from './pdf';

export interface Para { text: string; style?: FontStyle; size?: number; color?: string }
export interface Line { text: string; style: FontStyle; size: number; color?: string }

/** Paragraphs wrapped to a width: the lines and their height. */
export function layoutParas(pdf: Pdf, paras: readonly Para[], width: number, defaults: { style: FontStyle; size: number }): { lines: Line[]; height: number } {
  const lines: Line[] = [];
  let height = 0;
  for (const p of paras) {
    if (!p.text) continue;
    const style = p.style ?? defaults.style;
    const size = p.size ?? defaults.size;
    for (const text of pdf.wrap(p.text, width, style, size)) {
      lines.push({ text, style, size, ...(p.color ? { color: p.color } : {}) });
      height += size * LINE;
    }
  }
  return { lines, height };
}

export function drawLines(pdf: Pdf, lines: readonly Line[], x: number, y: number, o: { width?: number; align?: 'left' | 'center' | 'right' } = {}): void {
  let top = y;
  for (const l of lines) {
    pdf.text(l.text, x, top, l.style, l.size, l.color ? { ...o, color: l.color } : o);
    top += l.size * LINE;
  }
}

export interface Block {
  height: number;
  draw(pdf: Pdf, x: number, y: number): void;
  /** A table's header row: drawn first when this block opens a page. */
  header?: Block;
  /** Do not end a page with this block (a day's heading before its first lesson). */
  keepWithNext?: boolean;
}

/** Cuts blocks into pages of `room` points; a block taller than a page gets a page of its own. */
export function paginate(blocks: readonly Block[], room: number): Block[][] {
  const pages: Block[][] = [];
  let page: Block[] = [];
  let used = 0;
  const open = (b: Block) => {
    page = b.header ? [b.header] : [];
    used = b.header?.height ?? 0;
  };
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    const need = b.height + (b.keepWithNext && next ? next.height : 0);
    if (i === 0) open(b);
    else if (used + need > room) {
      pages.push(page);
      open(b);
    }
    page.push(b);
    used += b.height;
  });
  if (page.length) pages.push(page);
  return pages;
}

export function drawBlocks(pdf: Pdf, blocks: readonly Block[], x: number, y: number): number {
  let top = y;
  for (const b of blocks) {
    b.draw(pdf, x, top);
    top += b.height;
  }
  return top - y;
}

const LEFT = {};

/** A table row of wrapped cells with a border; its height is the tallest cell's. */
export function tableRow(pdf: Pdf, widths: readonly number[], cells: readonly (readonly Para[])[], o: { style?: FontStyle; size?: number; pad?: number; fill?: string; align?: ('left' | 'center' | 'right')[]; minHeight?: number } = {}): Block {
  const pad = o.pad ?? 2;
  const defaults = { style: o.style ?? 'regular', size: o.size ?? 12 };
  const laid = cells.map((c, i) => layoutParas(pdf, c, widths[i]! - 2 * pad, defaults));
  const height = Math.max(o.minHeight ?? 0, ...laid.map((l) => l.height + 2 * pad));
  const total = widths.reduce((a, b) => a + b, 0);
  const aligned = widths.map((w, i) => {
    const align = o.align?.[i] ?? 'left';
    return align === 'left' ? LEFT : { width: w - 2 * pad, align };
  });
  return {
    height,
    draw(p, x, y) {
      if (o.fill) p.fill(x, y, total, height, o.fill);
      let left = x;
      const segs: [number, number, number, number][] = [[x, y, x + total, y], [x, y + height, x + total, y + height]];
      for (let i = 0; i < laid.length; i++) {
        drawLines(p, laid[i]!.lines, left + pad, y + pad, aligned[i]);
        segs.push([left, y, left, y + height]);
        left += widths[i]!;
      }
      segs.push([left, y, left, y + height]);
      p.strokes(segs);
    },
  };
}

/** A block of paragraphs across the full width, with space below. */
export function textBlock(pdf: Pdf, paras: readonly Para[], width: number, o: { style?: FontStyle; size?: number; after?: number; align?: 'left' | 'center' | 'right' } = {}): Block {
  const l = layoutParas(pdf, paras, width, { style: o.style ?? 'regular', size: o.size ?? 12 });
  return {
    height: l.height + (o.after ?? 0),
    draw: (p, x, y) => drawLines(p, l.lines, x, y, o.align && o.align !== 'left' ? { width, align: o.align } : {}),
  };
}

export const gap = (height: number): Block => ({ height, draw: () => undefined });
