/**
 * The contract's rows for import and export of the school's lists (src-main/admin/import,
 * R-IMPORT, п. 9.6). The preview, the template and the export are reads (the administrator's
 * only); the apply is a change — refused to anyone else up front (authorized as the preview's
 * query) and then every op of it through the regulation's guard, in one transaction.
 */
import { applyImport, previewImport, rowErrorText } from '../admin/import/plan';
import { exportList } from '../admin/import/export';
import { buildTemplate, fileNameOf } from '../admin/import/layouts';
import { FileRefused } from '../admin/import/refusal';
import { CommandRefused } from '../commands/execute';
import { checkDraft } from '../commands/guard';
import { cmd, type DispatchContext, type Handlers, type Reads } from './context';

const bytesOf = (base64: string) => Buffer.from(base64, 'base64');
const base64Of = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** A file the reader refuses is the command's refusal (dispatch answers `refused` with its message). */
function refusingFiles<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof FileRefused) throw new CommandRefused([{ level: 'refuse', code: 'bad_file', message: rowErrorText({ row: err.row, column: err.column, message: err.message }), requirement: 'R-IMPORT', clause: 'п. 9.6' }]);
    throw err;
  }
}

/** The preview asks the guard about every draft, as the apply will (the journal before the import). */
const judge = (ctx: DispatchContext) => (d: Parameters<typeof checkDraft>[3]) => (ctx.guard ? ctx.guard.check(cmd(ctx), d) : checkDraft(ctx.journal, ctx.accountId, ctx.clock.now(), d));

export const importHandlers = {
  'import.preview': (ctx, i) => previewImport(ctx.journal, { what: i.what, fileName: i.fileName, bytes: bytesOf(i.dataBase64) }, { nowMs: ctx.clock.now(), judge: judge(ctx), actorAccountId: ctx.accountId }),
  'import.apply': (ctx, i) => refusingFiles(() => {
    const r = applyImport(cmd(ctx), { what: i.what, fileName: i.fileName, bytes: bytesOf(i.dataBase64) });
    return { ops: r.result.ops.length, warnings: r.result.warnings, added: r.added, changed: r.changed, unchanged: r.unchanged };
  }),
  'import.template': (_ctx, i) => ({ fileName: fileNameOf(i.what, i.format, ' (шаблон)'), dataBase64: base64Of(buildTemplate(i.what, i.format)) }),
  'setup.export': (ctx, i) => {
    const e = exportList(ctx.journal, i.what, i.format, ctx.clock.now());
    return { fileName: e.fileName, dataBase64: base64Of(e.bytes), rows: e.rows };
  },
} satisfies Handlers;

export const importReads = {
  'import.preview': 'import.preview', 'import.template': 'import.template', 'import.apply': 'import.preview', 'setup.export': 'setup.export',
} satisfies Reads;
