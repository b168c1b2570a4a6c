/**
 * The operators of the page being drawn, collected as strings and handed out when the page is
 * done (`take`): lines of text (glyphs already encoded), straight lines, rectangles and colours —
 * the same operators pdfkit's `text()`, `moveTo()`/`lineTo()`/`stroke()`, `rect()` and
 * `fillColor()` write, without a call into pdfkit per point. What pdfkit itself draws (`save`,
 * `rotate`, …) comes in through `raw`, in order.
 */
import { Lines, type Segment } from './pdf-lines';
import { num, pathNum } from './pdf-numbers';

/** Colour → the operators that set it for filling (see `PageContent.fillColor`). */
const fillOps = new Map<string, string[]>();

export class PageContent {
  /** The current page's operators. */
  private ops: string[] = [];
  /** Lines of the current page by width, when they are drawn at its end (`batchLines`). */
  private lineBatch: Map<number, Lines> | undefined;
  /** Lines of text share a text object (`compactText`); the open one: its font, size and last line's start in thousandths. */
  private compact = false;
  private textRun: { font: string; size: string; x: number; y: number } | undefined;

  /** `otherColor`: sets a fill colour that is neither black nor #rrggbb (pdfkit's `fillColor`, which comes back through `raw`). */
  constructor(private readonly otherColor: (color: string) => void) {}

  /** Operators written by pdfkit (its `addContent`). */
  raw(ops: string): void {
    this.endText();
    this.ops.push(ops);
  }

  /**
   * The page's operators, an operator a line, and an empty page begun; undefined when nothing was
   * drawn. Batched lines are drawn first, then the open text object is ended.
   */
  take(): string | undefined {
    this.endLines();
    this.endText();
    if (this.ops.length === 0) return undefined;
    this.ops.push('');
    const content = this.ops.join('\n');
    this.ops = [];
    return content;
  }

  /** What doc.fillColor() writes: for black and #rrggbb colours without a call into pdfkit. */
  fillColor(color: string): void {
    let ops = fillOps.get(color);
    if (!ops) {
      if (color !== 'black' && !/^#[0-9a-f]{6}$/i.test(color)) {
        this.otherColor(color);
        return;
      }
      const hex = color === 'black' ? 0 : parseInt(color.slice(1), 16);
      fillOps.set(color, (ops = ['/DeviceRGB cs', `${[hex >> 16, (hex >> 8) & 0xff, hex & 0xff].map((c) => c / 255).join(' ')} scn`]));
    }
    this.endText();
    this.ops.push(ops[0]!, ops[1]!);
  }

  /**
   * One line of text: `bytes` (a PDF string's content) in the font `font` of `size`, its baseline
   * starting at (`x`, `baseline`), condensed to `scale` per cent. The page's coordinates are
   * pdfkit's (y down), so the text matrix flips the glyphs upright; glyph advances are the widths
   * pdfkit embeds (no kerning), so one string per line suffices. Horizontal scaling is text state
   * that outlives ET: set back at once.
   */
  text(bytes: string, font: string, size: number, x: number, baseline: number, scale: number): void {
    if (this.compact && scale === 100) {
      this.textInRun(bytes, font, num(size), Math.round(x * 1000), Math.round(baseline * 1000));
      return;
    }
    this.endText();
    const tz = scale === 100 ? '' : ` ${num(scale)} Tz`;
    this.ops.push(`BT /${font} ${num(size)} Tf${tz} 1 0 0 -1 ${num(x)} ${num(baseline)} Tm (${bytes}) Tj${tz ? ' 100 Tz' : ''} ET`);
  }

  /**
   * Consecutive lines in one text object (`compactText`): the font set when it changes, each line
   * placed from the one before (Td moves the line matrix; coordinates in thousandths of a point,
   * so the moves add up to the very positions `text` would give).
   */
  private textInRun(bytes: string, font: string, size: string, x: number, y: number): void {
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

  /** Straight lines, stroked at once. `segments`: [x1, y1, x2, y2] each. */
  strokes(segments: readonly Segment[], width: number): void {
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

  private strokeNow(segments: readonly Segment[], width: number): void {
    // What doc.lineWidth(), moveTo(), lineTo() and stroke() write.
    this.endText();
    const ops = this.ops;
    ops.push(`${pathNum(width)} w`);
    for (const [x1, y1, x2, y2] of segments) ops.push(`${pathNum(x1)} ${pathNum(y1)} m`, `${pathNum(x2)} ${pathNum(y2)} l`);
    ops.push('S');
  }

  rect(x: number, y: number, w: number, h: number, width: number): void {
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
}
