/**
 * Straight lines of a page joined where one continues another: the rows of a table share their
 * borders and columns, and a page draws each once (see `PageContent.batchLines`).
 */

/** A straight line: [x1, y1, x2, y2]. */
export type Segment = readonly [number, number, number, number];

/**
 * Segments collected to be joined: horizontal ones by their y, vertical ones by their x (as flat
 * lists of spans), any other as it is.
 */
export class Lines {
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
