/**
 * The gradebook's keyboard model — a pure state machine, testable without a DOM. The grid feeds it
 * key presses, clicks and pastes; it answers the new cursor / edit state and the effects the page
 * carries out (save a mark, clear a cell, undo, paste a block …). Spreadsheet conventions:
 *
 * - arrows, Home/End, Ctrl+Home/End, PageUp/PageDown move; Enter / Shift+Enter move down / up;
 *   Tab / Shift+Tab move right / left (at the row's edge Tab leaves the grid: no keyboard trap);
 * - typing 5 4 3 2 1 н (or «/» for a fraction «5/4») starts editing; Enter, Tab or an arrow saves
 *   and moves on; Esc cancels; F2 edits the value already there;
 * - Delete / Backspace clears; Ctrl+Z undoes the last change; Ctrl+V pastes a block (tab/newline
 *   separated, as spreadsheets copy it); Ctrl+Enter opens the lesson; Space in the period-mark
 *   column sets the proposed mark; Alt+Enter asks the deputy for a correction of a refused cell.
 *
 * A teacher with the Latin layout on gets the key where «н» is: `y` is read as «н» (and the
 * other ЙЦУКЕН letters likewise in the period-mark column: «осв», «н/а»).
 */

/** What a column holds: current marks of a lesson, the period mark, or nothing editable. */
export type ColumnKind = 'mark' | 'period' | 'locked';

export interface Cursor {
  row: number;
  col: number;
}

export interface KeyState {
  rows: number;
  /** One entry per navigable column, left to right. */
  cols: readonly ColumnKind[];
  /** Nothing in the grid may be changed (class teacher's or deputy's view). */
  readOnly: boolean;
  cursor: Cursor;
  /** The edit in progress: `fresh` when started by typing (replaces), not by F2 (appends). */
  edit: { text: string; fresh: boolean } | null;
}

export interface KeyInput {
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
  meta?: boolean;
}

export type KeyAction =
  | { type: 'key'; input: KeyInput; /** the cursor cell's current text, for F2 */ current?: string }
  | { type: 'click'; row: number; col: number }
  | { type: 'paste'; text: string }
  | { type: 'shape'; rows: number; cols: readonly ColumnKind[]; readOnly: boolean };

export type Effect =
  | { type: 'commit'; row: number; col: number; text: string }
  | { type: 'clear'; row: number; col: number }
  | { type: 'undo' }
  | { type: 'paste'; row: number; col: number; block: string[][] }
  | { type: 'acceptProposal'; row: number; col: number }
  | { type: 'openLesson'; col: number }
  | { type: 'requestCorrection'; row: number; col: number }
  | { type: 'dismiss' }
  | { type: 'hint'; row: number; col: number; reason: 'readOnly' | 'locked' | 'badKey'; key?: string };

export interface Step {
  state: KeyState;
  effects: Effect[];
  /** The key was the grid's: the caller should preventDefault. */
  handled: boolean;
}

export const PAGE_ROWS = 10;
const MAX_EDIT = 5;

export function initialKeyState(rows: number, cols: readonly ColumnKind[], readOnly: boolean): KeyState {
  return { rows, cols, readOnly, cursor: { row: 0, col: 0 }, edit: null };
}

/** QWERTY → ЙЦУКЕН for the letters a mark or a period mark can contain. */
const LAYOUT: Record<string, string> = {
  y: 'н', Y: 'Н', j: 'о', J: 'О', c: 'с', C: 'С', d: 'в', D: 'В', f: 'а', F: 'А', '.': '/',
};

/** The character a key stands for in a column of this kind, or null when it cannot occur there. */
export function cellChar(key: string, kind: ColumnKind): string | null {
  if (key.length !== 1) return null;
  const ch = LAYOUT[key] ?? key;
  if (kind === 'mark') return /^[1-5/нН]$/.test(ch) ? ch : null;
  if (kind === 'period') return /^[1-5/оОсСвВнНаА.]$/.test(ch) ? ch.toLowerCase() : null;
  return null;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function moveTo(s: KeyState, row: number, col: number): KeyState {
  const r = clamp(row, 0, Math.max(0, s.rows - 1));
  const c = clamp(col, 0, Math.max(0, s.cols.length - 1));
  if (r === s.cursor.row && c === s.cursor.col) return s;
  return { ...s, cursor: { row: r, col: c } };
}

const step = (state: KeyState, effects: Effect[] = [], handled = true): Step => ({ state, effects, handled });

/** Saves the edit in progress (if any) and returns the state without it. */
function finishEdit(s: KeyState): { state: KeyState; effects: Effect[] } {
  if (!s.edit) return { state: s, effects: [] };
  const { row, col } = s.cursor;
  const text = s.edit.text.trim();
  const state = { ...s, edit: null };
  if (text === '') return { state, effects: s.edit.fresh ? [] : [{ type: 'clear', row, col }] };
  return { state, effects: [{ type: 'commit', row, col, text }] };
}

function navigation(s: KeyState, input: KeyInput): KeyState | null {
  const { row, col } = s.cursor;
  const ctrl = !!(input.ctrl || input.meta);
  switch (input.key) {
    case 'ArrowUp': return moveTo(s, ctrl ? 0 : row - 1, col);
    case 'ArrowDown': return moveTo(s, ctrl ? s.rows - 1 : row + 1, col);
    case 'ArrowLeft': return moveTo(s, row, ctrl ? 0 : col - 1);
    case 'ArrowRight': return moveTo(s, row, ctrl ? s.cols.length - 1 : col + 1);
    case 'Home': return ctrl ? moveTo(s, 0, 0) : moveTo(s, row, 0);
    case 'End': return ctrl ? moveTo(s, s.rows - 1, s.cols.length - 1) : moveTo(s, row, s.cols.length - 1);
    case 'PageUp': return moveTo(s, row - PAGE_ROWS, col);
    case 'PageDown': return moveTo(s, row + PAGE_ROWS, col);
    default: return null;
  }
}

/** Why the cursor cell cannot be changed, or null when it can. */
function editableHint(s: KeyState): Effect | null {
  const { row, col } = s.cursor;
  if (s.readOnly) return { type: 'hint', row, col, reason: 'readOnly' };
  if (s.cols[col] === 'locked') return { type: 'hint', row, col, reason: 'locked' };
  return null;
}

function onKey(s: KeyState, input: KeyInput, current: string | undefined): Step {
  const ctrl = !!(input.ctrl || input.meta);
  const { row, col } = s.cursor;
  const kind = s.cols[col] ?? 'locked';
  if (s.rows === 0 || s.cols.length === 0) return step(s, [], false);

  // ── editing ──
  if (s.edit) {
    if (input.key === 'Escape') return step({ ...s, edit: null });
    if (ctrl && (input.key === 'z' || input.key === 'я' || input.key === 'Z')) return step({ ...s, edit: null });
    if (input.key === 'Backspace') return step({ ...s, edit: { ...s.edit, text: s.edit.text.slice(0, -1) } });
    if (input.key === 'Delete') return step({ ...s, edit: { ...s.edit, text: '' } });
    const moves: Record<string, [number, number]> = {
      Enter: input.shift ? [-1, 0] : [1, 0], Tab: input.shift ? [0, -1] : [0, 1],
      ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
    };
    const mv = moves[input.key];
    if (mv && !input.alt) {
      const done = finishEdit(s);
      return step(moveTo(done.state, row + mv[0], col + mv[1]), done.effects);
    }
    if (!ctrl && !input.alt) {
      const ch = cellChar(input.key, kind);
      if (ch !== null) {
        if (s.edit.text.length >= MAX_EDIT) return step(s);
        return step({ ...s, edit: { ...s.edit, text: s.edit.text + ch } });
      }
      if (input.key.length === 1) return step(s, [{ type: 'hint', row, col, reason: 'badKey', key: input.key }]);
    }
    return step(s, [], input.key.length === 1);
  }

  // ── navigating ──
  const nav = navigation(s, input);
  if (nav) return step(nav, [{ type: 'dismiss' }]);
  switch (input.key) {
    case 'Enter': {
      if (input.alt && !ctrl) return step(s, s.readOnly ? [] : [{ type: 'requestCorrection', row, col }]);
      if (ctrl) return kind === 'mark' || kind === 'locked' ? step(s, [{ type: 'openLesson', col }]) : step(s);
      return step(moveTo(s, row + (input.shift ? -1 : 1), col), [{ type: 'dismiss' }]);
    }
    case 'Tab': {
      const next = col + (input.shift ? -1 : 1);
      if (next < 0 || next >= s.cols.length) return step(s, [], false); // leave the grid
      return step(moveTo(s, row, next), [{ type: 'dismiss' }]);
    }
    case 'Escape':
      return step(s, [{ type: 'dismiss' }]);
    case 'F2': {
      const hint = editableHint(s);
      if (hint) return step(s, [hint]);
      return step({ ...s, edit: { text: (current ?? '').slice(0, MAX_EDIT), fresh: false } });
    }
    case 'Delete':
    case 'Backspace': {
      const hint = editableHint(s);
      if (hint) return step(s, [hint]);
      return step(s, [{ type: 'clear', row, col }]);
    }
    case ' ': {
      if (kind !== 'period') return step(s);
      const hint = editableHint(s);
      return step(s, [hint ?? { type: 'acceptProposal', row, col }]);
    }
    default:
      break;
  }
  if (ctrl && !input.alt) {
    if (input.key === 'z' || input.key === 'Z' || input.key === 'я' || input.key === 'Я') return step(s, s.readOnly ? [] : [{ type: 'undo' }]);
    return step(s, [], false); // Ctrl+C, Ctrl+V, Ctrl+R …: the browser's
  }
  if (input.alt || input.key.length !== 1) return step(s, [], false);
  const ch = cellChar(input.key, kind);
  const hint = editableHint(s);
  if (hint) return step(s, [hint]);
  if (ch === null) return step(s, [{ type: 'hint', row, col, reason: 'badKey', key: input.key }]);
  return step({ ...s, edit: { text: ch, fresh: true } });
}

/** Splits what a spreadsheet put on the clipboard into rows of cells. */
export function parseClipboard(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.split('\t').map((c) => c.trim()));
}

export function reduceKeys(s: KeyState, a: KeyAction): Step {
  switch (a.type) {
    case 'shape': {
      const next: KeyState = { ...s, rows: a.rows, cols: a.cols, readOnly: a.readOnly };
      const moved = moveTo(next, s.cursor.row, s.cursor.col);
      return step({ ...moved, edit: null });
    }
    case 'click': {
      const done = finishEdit(s);
      return step(moveTo(done.state, a.row, a.col), done.effects);
    }
    case 'paste': {
      if (s.edit) return step(s, [], false);
      const hint = editableHint(s);
      if (hint) return step(s, [hint]);
      const block = parseClipboard(a.text);
      if (block.length === 0) return step(s);
      return step(s, [{ type: 'paste', row: s.cursor.row, col: s.cursor.col, block }]);
    }
    case 'key':
      return onKey(s, a.input, a.current);
  }
}
