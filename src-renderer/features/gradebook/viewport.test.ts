import { describe, expect, it } from 'vitest';
import { visibleWindow } from './viewport';
import { NAME_W, ROW_H } from './grid-sizes';

// 200 lesson columns of 42 px, 35 rows; the view shows 10 rows and 10 columns past the names.
const starts = Array.from({ length: 200 }, (_, i) => i * 42);
const sizes = starts.map(() => 42);
const base = { rowCount: 35, cursorRow: 0, starts, sizes, centerW: 200 * 42, endW: 116 };
const view = (top: number, left: number) => ({ top, left, w: NAME_W + 116 + 10 * 42, h: 10 * ROW_H });

describe('the grid\'s visible window', () => {
  it('draws only the rows and columns in view on the first frame, with a margin afterwards', () => {
    const first = visibleWindow({ ...base, viewport: view(0, 0), overscan: false });
    expect([first.r0, first.r1, first.c0, first.c1]).toEqual([0, 10, 0, 11]);
    expect(first.leftPad).toBe(0);
    expect(first.rightPad).toBe((200 - 11) * 42);
    const later = visibleWindow({ ...base, viewport: view(10 * ROW_H, 50 * 42), overscan: true });
    expect([later.r0, later.r1, later.c0, later.c1]).toEqual([4, 26, 44, 67]);
    expect(later.leftPad).toBe(44 * 42);
    expect(later.colIdx).toHaveLength(67 - 44);
  });

  it('keeps the cursor\'s row in the DOM when it is scrolled away (aria-activedescendant)', () => {
    const w = visibleWindow({ ...base, cursorRow: 30, viewport: view(0, 0), overscan: false });
    expect(w.rowIdx.at(-1)).toBe(30);
    expect(w.rowIdx.filter((r) => r < w.r0 || r >= w.r1)).toEqual([30]);
  });

  it('a page without lessons has no column window', () => {
    const w = visibleWindow({ ...base, starts: [], sizes: [], centerW: 0, viewport: view(0, 0), overscan: true });
    expect([w.c0, w.c1, w.leftPad, w.rightPad, w.colIdx.length]).toEqual([0, 0, 0, 0, 0]);
  });
});
