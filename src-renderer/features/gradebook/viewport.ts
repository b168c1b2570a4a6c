/**
 * Virtualisation of the gradebook grid in both directions: which rows and lesson columns are in
 * view (plus a margin), so that 40 × 250 stays smooth with only those in the DOM. The scroll
 * position and size of the grid's box are React state (`useViewport`), updated once per frame on
 * scroll and on resize; the cursor's cell is kept in view (the sticky name column and the pinned
 * end are not "view").
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { Cursor } from './keyboard';
import type { GridColumn } from './model';
import { AVG_W, COL_W, HEAD_H, NAME_W, PERIOD_W, ROW_H } from './grid-sizes';

/** Rows and columns drawn beyond the view; the first frame draws only the view (it comes sooner). */
const OVERSCAN_ROWS = 6;
const OVERSCAN_COLS = 6;

export interface Viewport { top: number; left: number; w: number; h: number }

/** Binary search: the first index whose [start, start+size) reaches past `x`. */
function firstVisible(starts: readonly number[], sizes: readonly number[], x: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! + sizes[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The grid's scroll box as state. The first frame already shows the cursor's column (no draw at
 * the left edge, then a jump); the margin beyond the view comes from the second frame on.
 */
export function useViewport(scrollRef: RefObject<HTMLDivElement | null>, initialCursor: Cursor, lessonCount: number) {
  const [overscan, setOverscan] = useState(false);
  const [viewport, setViewport] = useState<Viewport>(() => {
    const w = Math.max(400, window.innerWidth - 24);
    const h = Math.max(300, window.innerHeight - 260);
    const ci = initialCursor.col;
    const x = ci < lessonCount ? ci * COL_W : 0;
    const visW = w - NAME_W - AVG_W - PERIOD_W;
    return { top: Math.max(0, (initialCursor.row + 1) * ROW_H - (h - HEAD_H)), left: Math.max(0, x + COL_W - visW), w, h };
  });
  const firstMeasure = useRef(true);
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scrollRef.current;
      if (el) setViewport({ top: el.scrollTop, left: el.scrollLeft, w: el.clientWidth, h: el.clientHeight });
    });
  }, [scrollRef]);
  useEffect(() => {
    const id = window.setTimeout(() => setOverscan(true), 0);
    return () => window.clearTimeout(id);
  }, []);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport((v) => {
      if (firstMeasure.current) {
        firstMeasure.current = false;
        el.scrollLeft = v.left;
        el.scrollTop = v.top;
      }
      const n = { top: el.scrollTop, left: el.scrollLeft, w: el.clientWidth, h: el.clientHeight };
      return n.top === v.top && n.left === v.left && n.w === v.w && n.h === v.h ? v : n;
    });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef]);
  return { viewport, setViewport, onScroll, overscan };
}

/**
 * Scrolls the grid so that the cursor's cell is in view: its row below the header, its lesson
 * column between the names and the pinned end (the period column is pinned: always in view).
 */
export function useCursorInView(scrollRef: RefObject<HTMLDivElement | null>, cursor: Cursor, navCols: readonly GridColumn[], starts: readonly number[], sizes: readonly number[], endW: number, setViewport: (v: Viewport) => void): void {
  const { row: cr, col: cc } = cursor;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const top = cr * ROW_H;
    const bodyH = el.clientHeight - HEAD_H;
    let st = el.scrollTop;
    if (top < st) st = top;
    else if (top + ROW_H > st + bodyH) st = top + ROW_H - bodyH;
    let sl = el.scrollLeft;
    const ci = navCols[cc]?.kind === 'lesson' ? cc : -1;
    if (ci >= 0 && starts[ci] !== undefined) {
      const x = starts[ci]!;
      const w = sizes[ci]!;
      const visW = el.clientWidth - NAME_W - endW;
      if (x < sl) sl = x;
      else if (x + w > sl + visW) sl = x + w - visW;
    }
    if (st !== el.scrollTop || sl !== el.scrollLeft) {
      el.scrollTop = st;
      el.scrollLeft = sl;
      setViewport({ top: el.scrollTop, left: el.scrollLeft, w: el.clientWidth, h: el.clientHeight });
    }
  }, [scrollRef, cr, cc, navCols, starts, sizes, endW, setViewport]);
}

export interface VisibleWindow {
  /** Rows [r0, r1) and lesson columns [c0, c1) in view (with the margin). */
  r0: number; r1: number; c0: number; c1: number;
  /** Widths standing in for the lesson columns left and right of the window. */
  leftPad: number; rightPad: number;
  /** The rows to draw: the window, and the cursor's row when it is outside. */
  rowIdx: number[];
  colIdx: number[];
}

/** The window of rows and columns to render. */
export function visibleWindow(o: {
  viewport: Viewport; overscan: boolean; rowCount: number; cursorRow: number;
  starts: readonly number[]; sizes: readonly number[]; centerW: number; endW: number;
}): VisibleWindow {
  const { viewport, rowCount, starts, sizes, centerW, endW } = o;
  const oRows = o.overscan ? OVERSCAN_ROWS : 0;
  const oCols = o.overscan ? OVERSCAN_COLS : 0;
  const n = starts.length;
  const r0 = Math.max(0, Math.floor(viewport.top / ROW_H) - oRows);
  const r1 = Math.min(rowCount, Math.ceil((viewport.top + viewport.h) / ROW_H) + oRows);
  const c0 = n ? Math.max(0, firstVisible(starts, sizes, viewport.left) - oCols) : 0;
  const c1 = n ? Math.min(n, firstVisible(starts, sizes, viewport.left + Math.max(0, viewport.w - NAME_W - endW)) + 1 + oCols) : 0;
  const leftPad = c0 < n ? starts[c0] ?? 0 : centerW;
  const rightPad = c1 > 0 && c1 <= n ? centerW - ((starts[c1 - 1] ?? 0) + (sizes[c1 - 1] ?? 0)) : 0;
  const rowIdx: number[] = [];
  for (let r = r0; r < r1; r++) rowIdx.push(r);
  // The cursor's row and column always exist in the DOM (aria-activedescendant must point at something).
  if (o.cursorRow < r0 || o.cursorRow >= r1) rowIdx.push(o.cursorRow);
  const colIdx: number[] = [];
  for (let c = c0; c < c1; c++) colIdx.push(c);
  return { r0, r1, c0, c1, leftPad, rightPad, rowIdx, colIdx };
}
