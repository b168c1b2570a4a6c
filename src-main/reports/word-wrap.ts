/** Paragraphs broken into lines of a given width, by the widths of their words. */

/**
 * Greedy word wrap to `width`, `measure` giving the width of a piece of text. A line may also
 * break after a hyphen («духовно-|нравственной»); a word longer than a whole line is split. Never
 * returns no lines. Widths add up exactly (glyph advances, no kerning), so only words are
 * measured, never candidate lines.
 */
export function wrapWords(text: string, width: number, measure: (text: string) => number): string[] {
  const room = width * 0.995;
  const space = measure(' ');
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let lineW = 0;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      // Pieces of a word: «духовно-», «нравственной» — glued to each other without a space.
      word.split(/(?<=\p{L}[-–])(?=\p{L})/u).forEach((piece0, k) => {
        let piece = piece0;
        let w = measure(piece);
        const glue = line === '' ? 0 : k > 0 ? 0 : space;
        if (lineW + glue + w <= room) {
          line = glue ? `${line} ${piece}` : line + piece;
          lineW += glue + w;
          return;
        }
        if (line) out.push(line);
        while (w > room && piece.length > 1) {
          let n = piece.length - 1;
          while (n > 1 && measure(piece.slice(0, n)) > room) n--;
          out.push(piece.slice(0, n));
          piece = piece.slice(n);
          w = measure(piece);
        }
        line = piece;
        lineW = w;
      });
    }
    if (line || out.length === 0) out.push(line);
  }
  return out;
}
