/**
 * The popover next to a cell: what it shows — a hint, else the cursor cell's problem, else the
 * store's last notice (a refusal or warning that came back for another cell) — and where: beside
 * the grid when there is room (the marks stay visible), else beside the cell, within the grid's box.
 */
import type { Cursor } from './keyboard';
import { cellKey, parseCellKey, type GridColumn } from './model';
import type { CellProblem, GradebookStore } from './store';
import type { Hint } from './effects';
import type { Viewport } from './viewport';
import { COL_W, HEAD_H, NAME_W, PERIOD_W, ROW_H } from './grid-sizes';

export interface Pop { r: number; c: number; problem: CellProblem | null; text?: string }

const POP_W = 340;

export function popToShow(hint: Hint | null, store: GradebookStore, students: readonly { id: string }[], navCols: readonly GridColumn[], cursor: Cursor): Pop | null {
  if (hint) return { r: hint.r, c: hint.c, problem: null, text: hint.text };
  const s = students[cursor.row];
  const col = navCols[cursor.col];
  const curKey = s && col ? cellKey(s.id, col.key) : '';
  const curStatus = store.status(curKey);
  const shown = curStatus?.kind === 'problem' ? { key: curKey, problem: curStatus.problem } : store.notice;
  if (!shown) return null;
  const { studentId, colKey } = parseCellKey(shown.key);
  return { r: students.findIndex((x) => x.id === studentId), c: navCols.findIndex((x) => x.key === colKey), problem: shown.problem };
}

/**
 * Where the popover goes (relative to the grid's wrapper); null when its cell is not on the page.
 * `wrapWidth` and `gridWidth` read the wrapper's and the grid box's widths (only when there is a popover).
 */
export function popoverPosition(pop: Pop, o: {
  navCols: readonly GridColumn[]; starts: readonly number[]; sizes: readonly number[]; viewport: Viewport;
  wrapWidth: () => number | undefined; gridWidth: () => number | undefined;
}): { left: number; top: number } | null {
  if (pop.r < 0 || pop.c < 0) return null;
  const { viewport } = o;
  const isPeriod = o.navCols[pop.c]?.kind === 'period';
  const cellX = isPeriod ? viewport.w - PERIOD_W : NAME_W + (o.starts[pop.c] ?? 0) - viewport.left;
  const cellW = isPeriod ? PERIOD_W : o.sizes[pop.c] ?? COL_W;
  const cellY = HEAD_H + pop.r * ROW_H - viewport.top;
  const room = o.wrapWidth() ?? viewport.w;
  // Beside the grid when it leaves room (the marks stay visible), else beside the cell.
  const gridRight = o.gridWidth() ?? room;
  const left = gridRight + POP_W + 8 < room ? gridRight + 6 : cellX + cellW + POP_W + 8 < room ? cellX + cellW + 6 : Math.max(4, cellX - POP_W - 6);
  const top = Math.max(HEAD_H, Math.min(cellY, viewport.h - (pop.problem?.correctable ? 190 : 130)));
  return { left, top };
}
