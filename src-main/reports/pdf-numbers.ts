/**
 * Numbers as a PDF page's operators print them: a page has a thousand, and printing a fraction
 * (shortest round trip) is dear — so they are made from integers, to the same text.
 */

/**
 * A number as text with at most `digits` decimals: the same text as `String(Math.round(v * 10 ** digits) / 10 ** digits)`,
 * made from integers.
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

/** A number as lines of text are written with: at most three decimals. */
export const num = decimals(3);
/** A number as pdfkit's path operators print it (PDFObject.number): the same bytes as `doc.moveTo()` and the like. */
export const pathNum = decimals(6);
