import { describe, expect, it } from 'vitest';
import { cellChar, initialKeyState, parseClipboard, reduceKeys, type ColumnKind, type Effect, type KeyInput, type KeyState } from './keyboard';

const COLS: ColumnKind[] = ['mark', 'mark', 'locked', 'mark', 'period'];
const start = (over: Partial<KeyState> = {}): KeyState => ({ ...initialKeyState(4, COLS, false), ...over });

/** Presses keys in order; `"Enter"`-style names or single characters. */
function press(s: KeyState, ...keys: (string | KeyInput)[]): { state: KeyState; effects: Effect[]; handled: boolean[] } {
  const effects: Effect[] = [];
  const handled: boolean[] = [];
  let state = s;
  for (const k of keys) {
    const r = reduceKeys(state, { type: 'key', input: typeof k === 'string' ? { key: k } : k });
    state = r.state;
    effects.push(...r.effects.filter((e) => e.type !== 'dismiss'));
    handled.push(r.handled);
  }
  return { state, effects, handled };
}

describe('moving like a spreadsheet', () => {
  it('arrows move and stop at the edges', () => {
    const r = press(start(), 'ArrowUp', 'ArrowLeft', 'ArrowDown', 'ArrowDown', 'ArrowRight');
    expect(r.state.cursor).toEqual({ row: 2, col: 1 });
    expect(press(start(), ...Array(10).fill('ArrowDown')).state.cursor.row).toBe(3);
  });

  it('Home/End go to the row\'s ends, Ctrl+Home/End to the grid\'s corners, PageDown jumps and clamps', () => {
    const s = start({ cursor: { row: 1, col: 2 } });
    expect(press(s, 'End').state.cursor).toEqual({ row: 1, col: 4 });
    expect(press(s, 'Home').state.cursor).toEqual({ row: 1, col: 0 });
    expect(press(s, { key: 'End', ctrl: true }).state.cursor).toEqual({ row: 3, col: 4 });
    expect(press(s, { key: 'Home', ctrl: true }).state.cursor).toEqual({ row: 0, col: 0 });
    expect(press(s, 'PageDown').state.cursor.row).toBe(3);
  });

  it('Enter moves down, Shift+Enter up; Tab right and leaves the grid at the row\'s end', () => {
    expect(press(start(), 'Enter', 'Enter', { key: 'Enter', shift: true }).state.cursor).toEqual({ row: 1, col: 0 });
    const atEnd = start({ cursor: { row: 0, col: 4 } });
    const tab = reduceKeys(atEnd, { type: 'key', input: { key: 'Tab' } });
    expect(tab.handled).toBe(false);
    expect(press(start(), 'Tab').state.cursor.col).toBe(1);
  });

  it('a click moves the cursor and saves an edit in progress in the cell it left', () => {
    const typing = press(start(), '4').state;
    const r = reduceKeys(typing, { type: 'click', row: 2, col: 3 });
    expect(r.effects).toEqual([{ type: 'commit', row: 0, col: 0, text: '4' }]);
    expect(r.state.cursor).toEqual({ row: 2, col: 3 });
    expect(r.state.edit).toBeNull();
  });
});

describe('entering marks', () => {
  it('typing 5 then Enter saves «5» and moves down', () => {
    const r = press(start(), '5', 'Enter');
    expect(r.effects).toEqual([{ type: 'commit', row: 0, col: 0, text: '5' }]);
    expect(r.state.cursor).toEqual({ row: 1, col: 0 });
  });

  it('a column of marks by keyboard only: 5 Enter 4 Enter н Enter 5/4 Enter', () => {
    const r = press(start(), '5', 'Enter', '4', 'Enter', 'н', 'Enter', '5', '/', '4', 'Enter');
    expect(r.effects.map((e) => e.type === 'commit' && [e.row, e.text])).toEqual([[0, '5'], [1, '4'], [2, 'н'], [3, '5/4']]);
  });

  it('reads the Latin «y» (where «н» is on the Russian layout) as «н»', () => {
    expect(press(start(), 'y', 'Tab').effects).toEqual([{ type: 'commit', row: 0, col: 0, text: 'н' }]);
    expect(cellChar('Y', 'mark')).toBe('Н');
  });

  it('Tab and arrows save and move; Esc cancels without saving', () => {
    expect(press(start(), '3', 'Tab').state.cursor).toEqual({ row: 0, col: 1 });
    expect(press(start(), '3', 'ArrowRight').effects).toEqual([{ type: 'commit', row: 0, col: 0, text: '3' }]);
    const esc = press(start(), '3', 'Escape');
    expect(esc.effects).toEqual([]);
    expect(esc.state.edit).toBeNull();
    expect(esc.state.cursor).toEqual({ row: 0, col: 0 });
  });

  it('refuses keys that are not marks, with a hint, and does not start an edit', () => {
    const r = press(start(), '7');
    expect(r.state.edit).toBeNull();
    expect(r.effects).toEqual([{ type: 'hint', row: 0, col: 0, reason: 'badKey', key: '7' }]);
  });

  it('Backspace while editing removes the last character; an emptied fresh edit saves nothing', () => {
    expect(press(start(), '5', '/', 'Backspace', 'Enter').effects).toEqual([{ type: 'commit', row: 0, col: 0, text: '5' }]);
    expect(press(start(), '5', 'Backspace', 'Enter').effects).toEqual([]);
  });

  it('F2 edits the value already in the cell; emptying it clears the cell', () => {
    const s = reduceKeys(start(), { type: 'key', input: { key: 'F2' }, current: '5' }).state;
    expect(s.edit).toEqual({ text: '5', fresh: false });
    expect(press(s, '/', '4', 'Enter').effects).toEqual([{ type: 'commit', row: 0, col: 0, text: '5/4' }]);
    expect(press(s, 'Backspace', 'Enter').effects).toEqual([{ type: 'clear', row: 0, col: 0 }]);
  });

  it('Delete clears the cell; Ctrl+Z undoes; Ctrl+Z while typing only drops the typing', () => {
    expect(press(start(), 'Delete').effects).toEqual([{ type: 'clear', row: 0, col: 0 }]);
    expect(press(start(), { key: 'z', ctrl: true }).effects).toEqual([{ type: 'undo' }]);
    expect(press(start(), { key: 'я', ctrl: true }).effects).toEqual([{ type: 'undo' }]);
    const r = press(start(), '4', { key: 'z', ctrl: true });
    expect(r.effects).toEqual([]);
    expect(r.state.edit).toBeNull();
  });

  it('leaves Ctrl+C / Ctrl+V to the browser (paste arrives as a paste action)', () => {
    expect(reduceKeys(start(), { type: 'key', input: { key: 'v', ctrl: true } }).handled).toBe(false);
  });
});

describe('columns that cannot take marks, and read-only pages', () => {
  it('a locked column (extracurricular lesson) explains itself instead of editing', () => {
    const s = start({ cursor: { row: 0, col: 2 } });
    expect(press(s, '5').effects).toEqual([{ type: 'hint', row: 0, col: 2, reason: 'locked' }]);
    expect(press(s, 'Delete').effects).toEqual([{ type: 'hint', row: 0, col: 2, reason: 'locked' }]);
  });

  it('a read-only page moves but never edits, clears or undoes', () => {
    const s = start({ readOnly: true });
    const r = press(s, '5', 'Delete', { key: 'z', ctrl: true }, 'ArrowRight');
    expect(r.effects.map((e) => e.type)).toEqual(['hint', 'hint']);
    expect(r.state.cursor).toEqual({ row: 0, col: 1 });
    expect(r.state.edit).toBeNull();
  });
});

describe('the period-mark column', () => {
  const atPeriod = () => start({ cursor: { row: 1, col: 4 } });

  it('takes «осв» and «н/а», also typed on the Latin layout', () => {
    expect(press(atPeriod(), 'о', 'с', 'в', 'Enter').effects).toEqual([{ type: 'commit', row: 1, col: 4, text: 'осв' }]);
    expect(press(atPeriod(), 'y', '/', 'f', 'Enter').effects).toEqual([{ type: 'commit', row: 1, col: 4, text: 'н/а' }]);
  });

  it('Space sets the proposed mark', () => {
    expect(press(atPeriod(), ' ').effects).toEqual([{ type: 'acceptProposal', row: 1, col: 4 }]);
    expect(press(start(), ' ').effects).toEqual([]);
  });

  it('Alt+Enter asks for a correction of the cell (R-CORRECTION)', () => {
    expect(press(atPeriod(), { key: 'Enter', alt: true }).effects).toEqual([{ type: 'requestCorrection', row: 1, col: 4 }]);
    expect(press(start({ readOnly: true }), { key: 'Enter', alt: true }).effects).toEqual([]);
  });

  it('Ctrl+Enter opens the lesson of a lesson column only', () => {
    expect(press(start({ cursor: { row: 0, col: 3 } }), { key: 'Enter', ctrl: true }).effects).toEqual([{ type: 'openLesson', col: 3 }]);
    expect(press(atPeriod(), { key: 'Enter', ctrl: true }).effects).toEqual([]);
  });
});

describe('pasting a column from a spreadsheet', () => {
  it('splits rows and cells and drops the trailing newline', () => {
    expect(parseClipboard('5\r\n4\r\nн\r\n5/4\r\n')).toEqual([['5'], ['4'], ['н'], ['5/4']]);
    expect(parseClipboard('5\t4\n3\t\n')).toEqual([['5', '4'], ['3', '']]);
  });

  it('pastes at the cursor, not while typing, and not on a read-only page', () => {
    const s = start({ cursor: { row: 1, col: 0 } });
    expect(reduceKeys(s, { type: 'paste', text: '5\n4\n' }).effects).toEqual([{ type: 'paste', row: 1, col: 0, block: [['5'], ['4']] }]);
    expect(reduceKeys(press(s, '3').state, { type: 'paste', text: '5' }).effects).toEqual([]);
    expect(reduceKeys(start({ readOnly: true }), { type: 'paste', text: '5' }).effects[0]).toMatchObject({ type: 'hint', reason: 'readOnly' });
  });
});

describe('the page changes under the cursor', () => {
  it('keeps the cursor inside when the grid shrinks, and drops an edit', () => {
    const s = press(start({ cursor: { row: 3, col: 4 } }), '4').state;
    const r = reduceKeys(s, { type: 'shape', rows: 2, cols: ['mark', 'period'], readOnly: false });
    expect(r.state.cursor).toEqual({ row: 1, col: 1 });
    expect(r.state.edit).toBeNull();
  });
});
