/**
 * `ejournal import FILE --db DB --as LOGIN [--what students|staff|classes|curriculum] [--dry-run]
 * [--now ISO] [--key-file K]`: a list from an XLSX or CSV file (R-IMPORT, docs/import.md) through
 * the contract — the preview (what is added, changed, left alone; every error with its row and
 * column), then, unless --dry-run and only without errors, the apply: all or nothing.
 * `ejournal import --template students --out t.xlsx|t.csv`: an empty file of a layout.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { accountByLogin } from '../journal/facts';
import { ruleSettings } from '../journal/rule-inputs';
import { dispatch } from '../contract/dispatch';
import type { Out, Result } from '../../src-shared/contract/methods';
import { UserError } from '../errors/user-error';
import { KEY_OPTIONS } from '../auth/secrets';
import { buildTemplate, WHATS, type Format, type What } from '../admin/import/layouts';
import { MAX_FILE_BYTES } from '../admin/import/container';
import { rowErrorText } from '../admin/import/plan';
import { args, nowOption } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';

const USAGE = `Использование:
  ejournal import ФАЙЛ.xlsx|.csv --db ЖУРНАЛ --as ЛОГИН [--what ${WHATS.join('|')}] [--dry-run] [--now 2026-09-01T10:00] [--key-file КЛЮЧ]
  ejournal import --template ${WHATS.join('|')} --out ШАБЛОН.xlsx|.csv`;

export function whatOption(raw: string | undefined, def?: What): What {
  if (raw === undefined && def) return def;
  if (!WHATS.includes(raw as What)) throw new UserError(`--what: ${WHATS.join(', ')}${raw === undefined ? '' : `, получено «${raw}»`}`);
  return raw as What;
}

export function formatOf(out: string): Format {
  const ext = /\.(xlsx|csv)$/i.exec(out)?.[1]?.toLowerCase();
  if (!ext) throw new UserError(`--out: имя файла с расширением .xlsx или .csv, получено «${out}»`);
  return ext as Format;
}

/** A file written whole under a temporary name and renamed into place: a failure leaves nothing behind. */
export function writeOut(out: string, bytes: Uint8Array): void {
  const target = resolve(out);
  if (!existsSync(dirname(target))) throw new UserError(`Папки «${dirname(target)}» нет: укажите в --out существующую папку`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UserError(`«${out}» — папка: укажите в --out имя файла`);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 }); // personal data: the owner's only
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}

const WHAT_RU: Record<What, string> = { students: 'ученики и родители', staff: 'работники', classes: 'классы и группы', curriculum: 'учебный план и нагрузка' };

export function runImport(argv: string[], io: Io): number {
  const a = args(argv, { db: { type: 'string' }, as: { type: 'string' }, what: { type: 'string' }, 'dry-run': { type: 'boolean' }, now: { type: 'string' }, template: { type: 'string' }, out: { type: 'string' }, ...KEY_OPTIONS });
  const v = a.values as Record<string, string | undefined>;
  if (v.template !== undefined) {
    if (!v.out || a.positionals.length) throw new UserError(USAGE);
    const what = whatOption(v.template);
    writeOut(v.out, buildTemplate(what, formatOf(v.out)));
    io.out(`Шаблон «${WHAT_RU[what]}» записан в «${v.out}»`);
    return 0;
  }
  const [file, ...extra] = a.positionals;
  if (!file || extra.length || !v.db || !v.as) throw new UserError(USAGE);
  const what = whatOption(v.what, 'students');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UserError(`Файл «${file}» не найден`);
  }
  // Refused before it is read into memory.
  if (size > MAX_FILE_BYTES) throw new UserError(`Файл «${file}» слишком большой: не больше ${MAX_FILE_BYTES / 1024 / 1024} МБ`);
  const input = { what, fileName: file.split(/[\\/]/).pop()!, dataBase64: readFileSync(file).toString('base64') };
  return withJournal(v.db, a.values, (j) => {
    const now = nowOption(v.now, ruleSettings(j).timeZone);
    const account = accountByLogin(j, v.as!);
    if (!account) throw new UserError(`Учётная запись «${v.as}» не найдена`);
    const call = (m: 'import.preview' | 'import.apply') => dispatch({ journal: j, accountId: account.id, clock: { now: () => now } }, m, input);
    const preview = call('import.preview') as Result<Out<'import.preview'>>;
    if (!preview.ok) {
      io.err(preview.error.message);
      return 1;
    }
    const p = preview.value;
    io.out(`«${input.fileName}» — ${WHAT_RU[what]}: строк ${p.rows}; добавить ${p.add}, изменить ${p.change}, без изменений ${p.same}`);
    for (const i of p.items) {
      if (i.action === 'add') io.out(`  строка ${i.row}: + ${i.what}`);
      if (i.action === 'change') io.out(`  строка ${i.row}: ~ ${i.what}: ${(i.changes ?? []).join('; ')}`);
    }
    if (p.ignoredColumns.length) io.out(`Не загружаются столбцы не из шаблона: ${p.ignoredColumns.map((c) => `«${c}»`).join(', ')}`);
    if (p.errors.length) {
      io.err(`Ошибок: ${p.errors.length} — ничего не загружено:`);
      for (const e of p.errors) io.err(`  ${rowErrorText(e)}`);
      return 1;
    }
    if (v['dry-run'] !== undefined) {
      io.out('Проверка (--dry-run): ничего не записано');
      return 0;
    }
    const r = call('import.apply') as Result<Out<'import.apply'>>;
    if (!r.ok) {
      io.err(`Ничего не загружено: ${r.error.message}`);
      return 1;
    }
    io.out(`Загружено одной операцией журнала: операций ${r.value.ops}; добавлено ${r.value.added}, изменено ${r.value.changed}, без изменений ${r.value.unchanged}`);
    for (const w of r.value.warnings) io.out(`  предупреждение: ${w.message}`);
    return 0;
  });
}
