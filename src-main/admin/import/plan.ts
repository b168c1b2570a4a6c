/**
 * Import, all or nothing (R-IMPORT, п. 9.6): a file → a plan of what it adds, changes and leaves
 * alone, with every error at its row and column; then the plan's ops in ONE command (one
 * transaction through the regulation's guard). A preview writes nothing; a file with any error
 * changes nothing; the same file again is zero ops.
 */
import { CommandRefused, execute, type CommandContext, type CommandResult, type Notice, type ParsedDraft } from '../../commands/execute';
import type { OpDraft } from '../../journal/log';
import type { Journal } from '../../journal/open';
import { dataRows, layoutOf, locateHeader, type What } from './layouts';
import { Planner, type PlanItem, type PlanOptions } from './plan-kit';
import { planClasses } from './plan-classes';
import { planCurriculum } from './plan-curriculum';
import { planStaff } from './plan-staff';
import { planStudents } from './plan-students';
import { readSheet, type Sheet } from './read';
import { FileRefused, type RowError } from './refusal';
import { readSchool } from './school-state';

export interface Plan {
  what: What;
  /** Data rows of the file. */
  rows: number;
  add: number;
  change: number;
  same: number;
  errors: RowError[];
  items: PlanItem[];
  /** Headers of the file that are not the layout's: not loaded. */
  ignoredColumns: string[];
  drafts: OpDraft[];
}

const PLANNERS = { students: planStudents, staff: planStaff, classes: planClasses, curriculum: planCurriculum } as const;

export function planImport(j: Journal, sheet: Sheet, what: What, o: PlanOptions): Plan {
  const layout = layoutOf(what);
  const at = locateHeader(sheet, layout);
  const { rows, total, errors } = dataRows(sheet, layout, at);
  if (total === 0) throw new FileRefused(`Под строкой заголовков (строка ${at.headerRow}) нет ни одной заполненной строки`);
  const state = readSchool(j, o.nowMs);
  if (!state.year && what !== 'staff') throw new FileRefused('В журнале нет учебного года: сначала заведите учебный год, затем загружайте списки');
  const p = new Planner(what, state, layout, o);
  p.errors.push(...errors);
  PLANNERS[what](p, rows);
  const byRow = (a: { row: number | null }, b: { row: number | null }) => (a.row ?? Infinity) - (b.row ?? Infinity);
  const items = p.items.sort(byRow);
  const count = (a: PlanItem['action']) => items.filter((i) => i.action === a).length;
  return {
    what, rows: total, add: count('add'), change: count('change'), same: count('same'),
    errors: p.errors.sort(byRow), items, ignoredColumns: at.unknown, drafts: p.errors.length ? [] : p.drafts,
  };
}

export interface ImportFile { what: What; fileName: string; bytes: Uint8Array }
export type Preview = Omit<Plan, 'drafts'>;

/** What the file would do, writing nothing; a file that cannot be read is a preview with its one error. */
export function previewImport(j: Journal, f: ImportFile, o: { nowMs: number; judge?: (d: ParsedDraft) => Notice[]; actorAccountId?: string }): Preview {
  let n = 0;
  try {
    const { drafts: _drafts, ...preview } = planImport(j, readSheet(f.bytes, f.fileName), f.what, { ...o, newId: () => `preview-${++n}` });
    return preview;
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    return { what: f.what, rows: 0, add: 0, change: 0, same: 0, errors: [{ row: err.row, column: err.column, message: err.message }], items: [], ignoredColumns: [] };
  }
}

export interface Applied { result: CommandResult; added: number; changed: number; unchanged: number }

/** How many row errors a refusal spells out before «и ещё N». */
const SHOWN_ERRORS = 20;

export function rowErrorText(e: RowError): string {
  const where = [e.row !== null ? `строка ${e.row}` : null, e.column ? `столбец «${e.column}»` : null].filter(Boolean).join(', ');
  return where ? `${where}: ${e.message}` : e.message;
}

/**
 * The file's ops as one command. The plan is made inside the command's transaction from the
 * journal as it is then (ids from the command's builder); any error refuses the whole command.
 */
export function applyImport(ctx: CommandContext, f: ImportFile): Applied {
  const sheet = readSheet(f.bytes, f.fileName);
  let plan: Plan | undefined;
  const result = execute(ctx, (b) => {
    plan = planImport(ctx.journal, sheet, f.what, { nowMs: ctx.clock.now(), newId: b.newId, actorAccountId: ctx.actor.accountId });
    if (plan.errors.length) {
      const shown = plan.errors.slice(0, SHOWN_ERRORS).map(rowErrorText);
      if (plan.errors.length > SHOWN_ERRORS) shown.push(`и ещё ${plan.errors.length - SHOWN_ERRORS}`);
      throw new CommandRefused([{ level: 'refuse', code: 'import_errors', message: `В файле «${f.fileName}» ошибки, ничего не загружено: ${shown.join('; ')}`, requirement: 'R-IMPORT', clause: 'п. 9.6' }]);
    }
    return plan.drafts;
  });
  return { result, added: plan!.add, changed: plan!.change, unchanged: plan!.same };
}
