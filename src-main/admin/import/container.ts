/**
 * What a file is, judged by its bytes before any parser sees it (R-IMPORT): an XLSX is a ZIP
 * whose central directory this module reads itself — sizes, compression, encryption flags — and
 * whose entries it inflates with a cap, so a zip bomb is refused before exceljs unpacks anything;
 * an OLE compound file is a password-protected XLSX or an old .xls; a picture or a PDF is not a
 * table at all.
 */
import { inflateRawSync } from 'node:zlib';
import { FileRefused } from './refusal';

/** The largest file accepted (R-IMPORT: 1 500 pupils with parents are well under 1 MB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** The most an XLSX may unpack to. */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
/** An entry that unpacks more than this many times its packed size is a bomb (XML packs ~10–30×). */
const MAX_RATIO = 1000;

export type Container = 'zip' | 'cfb' | 'text';

const starts = (b: Uint8Array, ...sig: number[]) => sig.every((x, i) => b[i] === x);

const FOREIGN: { sig: number[]; what: string }[] = [
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'картинка PNG' },
  { sig: [0xff, 0xd8, 0xff], what: 'картинка JPEG' },
  { sig: [0x47, 0x49, 0x46, 0x38], what: 'картинка GIF' },
  { sig: [0x25, 0x50, 0x44, 0x46], what: 'документ PDF' },
  { sig: [0x52, 0x61, 0x72, 0x21], what: 'архив RAR' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf], what: 'архив 7z' },
  { sig: [0x1f, 0x8b], what: 'архив gzip' },
  { sig: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'документ RTF' },
];

const NOT_A_TABLE = 'ожидается таблица Excel (.xlsx) или CSV (.csv): сохраните список в одном из этих форматов';

/** The kind of container, or a refusal that says what the file is instead. */
export function sniff(bytes: Uint8Array, fileName: string): Container {
  if (bytes.length === 0) throw new FileRefused('Файл пустой: в нём нет ни одной строки');
  if (bytes.length > MAX_FILE_BYTES) throw new FileRefused(`Файл слишком большой (${mb(bytes.length)}): не больше ${mb(MAX_FILE_BYTES)}`);
  if (starts(bytes, 0x50, 0x4b, 0x03, 0x04) || starts(bytes, 0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (starts(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'cfb';
  const foreign = FOREIGN.find((f) => starts(bytes, ...f.sig));
  if (foreign) throw new FileRefused(`Это ${foreign.what}, а не таблица: ${NOT_A_TABLE}`);
  // Text has no NUL bytes (UTF-16 is not accepted: Excel's «CSV UTF-8» and Windows-1251 are).
  if (bytes.subarray(0, 8192).includes(0)) throw new FileRefused(`Файл «${fileName}» — не текст и не книга Excel: ${NOT_A_TABLE}`);
  if (/\.xlsx?$/i.test(fileName)) throw new FileRefused(`Файл «${fileName}» назван как книга Excel, но это текст: сохраните его в Excel как «Книга Excel (.xlsx)» или назовите .csv`);
  return 'text';
}

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} МБ`;

/** An OLE compound file: a workbook protected with a password, or the old .xls format. */
export function refuseCompoundFile(bytes: Uint8Array): never {
  if (utf16Includes(bytes, 'EncryptedPackage') || utf16Includes(bytes, 'EncryptionInfo')) {
    throw new FileRefused('Файл защищён паролем: снимите пароль в Excel и сохраните заново (Файл → Сведения → Защитить книгу → Зашифровать с паролем → пустой пароль)');
  }
  throw new FileRefused('Это книга старого формата Excel 97–2003 (.xls): откройте её в Excel и сохраните как «Книга Excel (.xlsx)» или «CSV UTF-8»');
}

function utf16Includes(bytes: Uint8Array, s: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(s, 'utf16le'));
}

interface Entry { name: string; method: number; flags: number; packed: number; unpacked: number; localOffset: number }

/**
 * Checks a ZIP that should be an XLSX: a whole central directory, no encryption, known
 * compression, declared sizes within the caps — and then the real sizes: every entry is inflated
 * with its declared size as the limit, so a directory that lies about its sizes is caught too.
 */
export function checkXlsxZip(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = centralDirectory(buf);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    throw new FileRefused(`Это ZIP-архив, но не книга Excel (.xlsx)${entries.some((e) => e.name.startsWith('word/')) ? ' — похоже на документ Word' : ''}: ${NOT_A_TABLE}`);
  }
  let total = 0;
  for (const e of entries) {
    if (e.flags & 1) throw new FileRefused('Файл защищён паролем: снимите пароль в Excel и сохраните заново');
    total += e.unpacked;
    if (total > MAX_UNPACKED_BYTES) throw bomb(`после распаковки больше ${mb(MAX_UNPACKED_BYTES)}`);
    if (e.unpacked > 1024 * 1024 && e.unpacked > e.packed * MAX_RATIO) throw bomb(`часть «${e.name}» сжата в ${Math.round(e.unpacked / Math.max(1, e.packed))} раз`);
  }
  for (const e of entries) checkEntryData(buf, e);
}

const bomb = (why: string) => new FileRefused(`Файл отклонён как опасный архив (${why}): сохраните список заново в Excel`);
const damaged = () => new FileRefused('Книга Excel повреждена (неполный ZIP-архив): сохраните её в Excel заново');

function centralDirectory(buf: Buffer): Entry[] {
  // The end-of-central-directory record is in the last 22 + 65 535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw damaged();
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw bomb('формат ZIP64 для файлов больше 4 ГБ');
  if (offset + size > eocd) throw damaged();
  const out: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw damaged();
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: Entry = {
      flags: buf.readUInt16LE(p + 8), method: buf.readUInt16LE(p + 10),
      packed: buf.readUInt32LE(p + 20), unpacked: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42), name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    if (entry.packed === 0xffffffff || entry.unpacked === 0xffffffff) throw bomb('формат ZIP64 для файлов больше 4 ГБ');
    out.push(entry);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

function checkEntryData(buf: Buffer, e: Entry): void {
  const h = e.localOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) throw damaged();
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  if (start + e.packed > buf.length) throw damaged();
  if (e.method === 0) {
    if (e.packed !== e.unpacked) throw damaged();
    return;
  }
  if (e.method !== 8) throw new FileRefused(`Книга Excel сжата неизвестным способом (${e.method}): сохраните её в Excel заново`);
  let out: Buffer;
  try {
    out = inflateRawSync(buf.subarray(start, start + e.packed), { maxOutputLength: Math.max(1, e.unpacked) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw bomb(`часть «${e.name}» распаковывается больше заявленного размера`);
    throw damaged();
  }
  if (out.length !== e.unpacked) throw damaged();
}
