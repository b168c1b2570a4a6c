/**
 * CSV as Russian Excel reads and writes it: `;` between fields (`,` or tab accepted when the
 * header has no `;`), fields in double quotes with `""` inside, CRLF or LF; UTF-8 with or without
 * a BOM, or Windows-1251 (what «CSV (разделители — запятые)» saves on a Russian Windows).
 */
import { FileRefused } from './refusal';

export type CsvEncoding = 'utf-8' | 'windows-1251';

/** Valid UTF-8 is UTF-8; anything else is read as Windows-1251 (every byte is a letter there). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(body), encoding: 'windows-1251' };
  }
}

/**
 * The separator: `;` if any of the first lines has one outside quotes, else tab, else `,`.
 * (The header row may sit below a title line, so more than the first line is looked at.)
 */
function separatorOf(text: string): string {
  const head = text.split(/\r?\n/, 10).map((l) => l.replace(/"[^"]*"/g, ''));
  if (head.some((l) => l.includes(';'))) return ';';
  if (head.some((l) => l.includes('\t'))) return '\t';
  return ',';
}

/** Rows of fields (a row is a record, as Excel numbers them). A quote left open to the end is an error at its row. */
export function parseCsv(text: string): string[][] {
  const sep = separatorOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let openedAt = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field.trim() === '') { quoted = true; field = ''; openedAt = rows.length + 1; continue; }
    if (ch === sep) { row.push(field); field = ''; continue; }
    if (ch === '\r' && text[i + 1] === '\n') continue;
    if (ch === '\n' || ch === '\r') { row.push(field); rows.push(row); row = []; field = ''; continue; }
    field += ch;
  }
  if (quoted) throw new FileRefused('Кавычка открыта и не закрыта до конца файла: проверьте кавычки в этой строке', openedAt);
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const quote = (v: string) => (/[";\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** CSV for Excel: UTF-8 with a BOM (so Excel knows the encoding), `;`, CRLF. */
export function writeCsv(rows: string[][]): Uint8Array {
  const text = rows.map((r) => r.map(quote).join(';')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
