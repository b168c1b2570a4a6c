/**
 * Import and export of the school's lists (R-IMPORT, п. 9.6): XLSX and CSV files of pupils with
 * parents, staff, classes and groups, the curriculum and teacher load. Preview first, then apply
 * all or nothing (src-main/admin/import). Files cross as base64 (JSON-safe).
 */
import { z } from 'zod';
import { ChangeResult } from './common';

const str = z.string();

/** What a file lists: pupils with parents, staff with accounts, classes and groups, the curriculum with teacher load. */
const ImportWhat = z.enum(['students', 'staff', 'classes', 'curriculum']);
const Format = z.enum(['xlsx', 'csv']);

/** A 50 MB file is ≈ 70 MB of base64; anything longer is refused before it is decoded. */
const MAX_IMPORT_BASE64 = 70 * 1024 * 1024;

const ImportFile = z.object({
  what: ImportWhat,
  fileName: str.min(1).max(255),
  dataBase64: str.max(MAX_IMPORT_BASE64, 'Файл слишком большой: не больше 50 МБ').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Файл должен быть передан в base64'),
});

/** What an uploaded file would add, change and leave alone; `errors` non-empty → apply is refused. */
const ImportPreview = z.object({
  what: ImportWhat,
  rows: z.number().int(),
  add: z.number().int(),
  change: z.number().int(),
  same: z.number().int(),
  /** `row`: the sheet's row number as Excel shows it; `column`: the column's header. Null where the error is the whole file's. */
  errors: z.array(z.object({ row: z.number().int().nullable(), column: str.nullable(), message: str })),
  items: z.array(z.object({ row: z.number().int(), action: z.enum(['add', 'change', 'same']), what: str, changes: z.array(str).optional() })),
  /** Headers that are not the layout's: not loaded. */
  ignoredColumns: z.array(str),
});

const FileOut = z.object({ fileName: str, dataBase64: str });

export const importMethods = {
  'import.preview': { input: ImportFile, output: ImportPreview },
  'import.apply': { input: ImportFile, output: ChangeResult.extend({ added: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }) },
  'import.template': { input: z.object({ what: ImportWhat, format: Format }), output: FileOut },
  'setup.export': { input: z.object({ what: ImportWhat, format: Format }), output: FileOut.extend({ rows: z.number().int() }) },
} as const;
