/** How the administration tables order and search their cells: Russian alphabetical order, «ё» as «е». */
export type CellValue = string | number | boolean | null;

const collator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

/** Ascending order of two cells: numbers by size, text alphabetically (5А before 10А), empty cells last. */
export function compareValues(a: CellValue, b: CellValue): number {
  const ea = a === null || a === '';
  const eb = b === null || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(b) - Number(a);
  return collator.compare(String(a), String(b));
}

const fold = (s: string) => s.toLocaleLowerCase('ru').replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

/** Does the cell's text hold every word of the query (any case, «ё» = «е»)? */
export function matchesFilter(text: string, query: string): boolean {
  const words = fold(query).split(' ').filter(Boolean);
  const hay = fold(text);
  return words.every((w) => hay.includes(w));
}
