/**
 * A file that cannot be imported, and why, in Russian (R-IMPORT: «a bad row gets an error that
 * names the file, row and column»). `row` is the sheet's row number as Excel shows it; `column`
 * the column's header as the layout names it (or its letter when it has none). Thrown while
 * reading; the plan collects row errors instead of throwing (plan.ts).
 */
import { UserError } from '../../errors/user-error';

export interface RowError {
  row: number | null;
  column: string | null;
  message: string;
}

export class FileRefused extends UserError {
  constructor(message: string, readonly row: number | null = null, readonly column: string | null = null) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** «A», «B» … «Z», «AA»: a column's letter, for a cell outside the layout's columns. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
