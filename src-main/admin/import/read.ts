/**
 * A file's bytes and name → a sheet: rows of text cells, as Excel numbers them (R-IMPORT).
 * XLSX through exceljs (excel-bridge.ts) after the container checks (container.ts); CSV in UTF-8
 * or Windows-1251 (csv.ts). What the reader cannot turn into text — a formula, an error value, a
 * merged range — is kept as a problem at its cell, reported once the header names the columns
 * (layouts.ts): a title merged above the header is fine, a merged cell among the data is not.
 */
import { checkXlsxZip, refuseCompoundFile, sniff } from './container';
import { decodeText, parseCsv, type CsvEncoding } from './csv';
import { ExcelError, readFirstSheet, type RawCell } from './excel-bridge';
import { FileRefused } from './refusal';

export interface CellProblem { row: number; col: number; message: string }
export interface MergedRange { range: string; top: number; left: number; bottom: number }

export interface Sheet {
  format: 'xlsx' | 'csv';
  /** The CSV's encoding as detected. */
  encoding?: CsvEncoding;
  /** rows[i][j] is the cell at row i + 1, column j + 1; trailing empty cells may be missing. */
  rows: string[][];
  problems: CellProblem[];
  merges: MergedRange[];
}

export function readSheet(bytes: Uint8Array, fileName: string): Sheet {
  const kind = sniff(bytes, fileName);
  if (kind === 'cfb') refuseCompoundFile(bytes);
  if (kind === 'zip') return readXlsx(bytes);
  const { text, encoding } = decodeText(bytes);
  const rows = parseCsv(text);
  if (!rows.some((r) => r.some((c) => c.trim() !== ''))) throw new FileRefused('Файл пустой: в нём нет ни одной строки');
  return { format: 'csv', encoding, rows, problems: [], merges: [] };
}

function readXlsx(bytes: Uint8Array): Sheet {
  checkXlsxZip(bytes);
  let raw;
  try {
    raw = readFirstSheet(bytes);
  } catch (err) {
    if (err instanceof ExcelError) throw new FileRefused('Книгу Excel не удалось прочитать — она повреждена или сохранена не в формате .xlsx: откройте её в Excel и сохраните заново');
    throw err;
  }
  if (!raw || raw.rows.length === 0) throw new FileRefused('Файл пустой: на первом листе книги нет ни одной строки');
  const rows: string[][] = [];
  const problems: CellProblem[] = [];
  for (const [r, cells] of raw.rows) {
    const row: string[] = [];
    for (const [c, cell] of cells) {
      const v = cellText(cell);
      if (typeof v === 'string') row[c - 1] = v;
      else problems.push({ row: r, col: c, message: v.problem });
    }
    rows[r - 1] = Array.from(row, (v) => v ?? '');
  }
  return { format: 'xlsx', rows: Array.from(rows, (r) => r ?? []), problems, merges: raw.merges.map(mergedRange) };
}

function cellText(cell: RawCell): string | { problem: string } {
  switch (cell[0]) {
    case 's': return cell[1];
    // Excel keeps 0.1 + 0.2 as 0.30000000000000004: 15 significant digits is what it shows.
    case 'n': return Number.isInteger(cell[1]) ? String(cell[1]) : String(Number(cell[1].toPrecision(15)));
    case 'b': return cell[1] ? 'да' : 'нет';
    // exceljs gives a date cell as midnight UTC of its calendar day.
    case 'd': return new Date(cell[1]).toISOString().slice(0, 10);
    case 'f': return { problem: 'формулы не допускаются: вставьте значения (Специальная вставка → Значения)' };
    case 'e': return { problem: `в ячейке ошибка Excel ${cell[1]}: исправьте значение` };
  }
}

function mergedRange(range: string): MergedRange {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(range);
  if (!m) return { range, top: 1, left: 1, bottom: Number.MAX_SAFE_INTEGER };
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { range, top: Number(m[2]), left: col(m[1]!), bottom: Number(m[4] ?? m[2]) };
}
