/**
 * The gradebook grid: students (pinned, alphabetical) × lesson columns, the average and the period
 * mark pinned at the end. ARIA grid (focus stays on the grid, the active cell is
 * `aria-activedescendant`), driven by the pure keyboard model (keyboard.ts) whose effects
 * effects.ts carries out, virtualised in both directions (viewport.ts) so 40 × 250 stays smooth:
 * only the rows and columns in view (plus a margin) exist in the DOM. The column model (sizes,
 * pinning, offsets) is @tanstack/react-table v9. Beside it: the header (GridHeader.tsx), the
 * popover next to a cell (popover.ts, CellPopover.tsx), the line under the grid (CursorInfo.tsx)
 * and what a screen reader hears (cell-labels.ts).
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore, type KeyboardEvent, type MouseEvent } from 'react';
import { columnPinningFeature, columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { dmy, listName } from '../../app/format';
import { weekStart } from '../../../src-shared/domain/values';
import { cellKey, cellText, type GridColumn, type LessonColumn } from './model';
import { initialKeyState, reduceKeys, type ColumnKind, type Cursor, type Effect, type KeyAction, type KeyState } from './keyboard';
import type { CellTarget, GradebookStore } from './store';
import { runEffects, type CorrectionDraft, type Hint } from './effects';
import { useCursorInView, useViewport, visibleWindow } from './viewport';
import { popoverPosition, popToShow } from './popover';
import { AVG_W, COL_W, HEAD_H, NAME_W, PERIOD_W, ROW_H } from './grid-sizes';
import { Cell, average, isLow, statusClass } from './GridCell';
import { GridHeader } from './GridHeader';
import { CellPopover } from './CellPopover';
import { CursorInfo } from './CursorInfo';
import { gridLabel, lessonCellLabel, periodCellLabel } from './cell-labels';

export type { CorrectionDraft } from './effects';

type Student = GradebookView['students'][number];
interface ColMeta { grid?: GridColumn }
const features = tableFeatures({ columnPinningFeature, columnSizingFeature, columnMeta: {} as ColMeta });
const helper = createColumnHelper<typeof features, Student>();

export interface GridProps {
  store: GradebookStore;
  view: GradebookView;
  columns: GridColumn[];
  readOnly: boolean;
  readOnlyReason: string;
  periodName: string | null;
  today: string;
  initialCursor: Cursor;
  onOpenLesson: (lessonId: string) => void;
  onCorrection: (d: CorrectionDraft) => void;
}

export function Grid(props: GridProps) {
  const { store, view, columns, readOnly, today } = props;
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const students = view.students;
  const lessonCols = useMemo(() => columns.filter((c): c is LessonColumn => c.kind === 'lesson'), [columns]);
  const hasPeriod = columns.some((c) => c.kind === 'period');
  const navCols = columns; // lessons, then the period column
  const kinds = useMemo<ColumnKind[]>(() => navCols.map((c) => (c.kind === 'period' ? 'period' : c.locked ? 'locked' : 'mark')), [navCols]);
  const lessonKeys = useMemo(() => lessonCols.map((c) => c.key), [lessonCols]);
  /** Per column, once: a new week starts here (a thicker line), it is today's, it is this week's. */
  const colFlags = useMemo(() => {
    const thisWeek = weekStart(today);
    let prevWeek = '';
    return lessonCols.map((c, i) => {
      const w = weekStart(c.lesson.date);
      const f = { weekstart: i > 0 && w !== prevWeek, today: c.lesson.date === today, thisWeek: w === thisWeek, future: c.lesson.date > today };
      prevWeek = w;
      return f;
    });
  }, [lessonCols, today]);

  // ── the column model ──
  const tableColumns = useMemo(() => [
    helper.display({ id: 'name', size: NAME_W }),
    ...lessonCols.map((c) => helper.display({ id: c.key, size: COL_W, meta: { grid: c } })),
    helper.display({ id: 'avg', size: AVG_W }),
    ...(hasPeriod ? [helper.display({ id: 'period', size: PERIOD_W, meta: { grid: { kind: 'period', key: 'period' } as GridColumn } })] : []),
  ], [lessonCols, hasPeriod]);
  const table = useTable({
    features, columns: tableColumns, data: students, getRowId: (s) => s.id,
    initialState: { columnPinning: { start: ['name'], end: hasPeriod ? ['avg', 'period'] : ['avg'] } },
  }, () => null);
  const center = table.getCenterLeafColumns();
  const starts = useMemo(() => center.map((c) => c.getStart('center')), [center]);
  const sizes = useMemo(() => center.map((c) => c.getSize()), [center]);
  const centerW = table.getCenterTotalSize();
  const endW = table.getEndTotalSize();
  const totalW = NAME_W + centerW + endW;
  const rows = table.getRowModel().rows;

  // ── keyboard state ──
  const [keys, setKeys] = useState<KeyState>(() => ({ ...initialKeyState(students.length, kinds, readOnly), cursor: props.initialCursor }));
  const keysRef = useRef(keys);
  keysRef.current = keys;
  const [hint, setHint] = useState<Hint | null>(null);
  const [, forceRender] = useReducer((x: number) => x + 1, 0);
  useEffect(() => {
    const s = reduceKeys(keysRef.current, { type: 'shape', rows: students.length, cols: kinds, readOnly });
    setKeys(s.state);
  }, [students.length, kinds, readOnly]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const { viewport, setViewport, onScroll, overscan } = useViewport(scrollRef, props.initialCursor, lessonCols.length);
  // Keyboard first: the grid has the focus as soon as the page is there (unless something else took it).
  useEffect(() => {
    const el = scrollRef.current;
    if (el && (document.activeElement === document.body || document.activeElement === null)) el.focus({ preventScroll: true });
    // For `npm run bench:grid`: the grid is drawn and takes keys from here on.
    performance.mark('ejournal:grid-interactive');
  }, []);

  const target = useCallback((r: number, c: number): CellTarget | null => {
    const s = students[r];
    const col = navCols[c];
    if (!s || !col) return null;
    return col.kind === 'period' ? { kind: 'period', studentId: s.id } : { kind: 'lesson', studentId: s.id, col };
  }, [students, navCols]);

  const textAt = useCallback((r: number, c: number): string => {
    const s = students[r];
    const col = navCols[c];
    if (!s || !col) return '';
    return col.kind === 'period' ? store.periodValue(s.id) ?? '' : cellText(store.cell(s.id, col.key));
  }, [students, navCols, store]);

  const run = useCallback((effects: Effect[]) => runEffects(effects, {
    store, target, students, navCols, cursor: () => keysRef.current.cursor, readOnlyReason: props.readOnlyReason,
    setHint, onOpenLesson: props.onOpenLesson, onCorrection: props.onCorrection,
  }), [store, target, students, navCols, props]);

  const act = useCallback((a: KeyAction): boolean => {
    const step = reduceKeys(keysRef.current, a);
    keysRef.current = step.state;
    setKeys(step.state);
    run(step.effects);
    return step.handled;
  }, [run]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing || e.key === 'Process' || e.key === 'Dead' || e.key === 'Unidentified') return;
    const { row, col } = keysRef.current.cursor;
    const handled = act({ type: 'key', input: { key: e.key, ctrl: e.ctrlKey, shift: e.shiftKey, alt: e.altKey, meta: e.metaKey }, current: textAt(row, col) });
    if (handled) e.preventDefault();
  };

  const cellFromEvent = (e: MouseEvent): { r: number; c: number } | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-r][data-c]');
    return el ? { r: Number(el.dataset.r), c: Number(el.dataset.c) } : null;
  };
  const onMouseDown = (e: MouseEvent<HTMLDivElement>) => {
    const hit = cellFromEvent(e);
    if (!hit) return;
    act({ type: 'click', row: hit.r, col: hit.c });
    scrollRef.current?.focus({ preventScroll: true });
    e.preventDefault();
  };
  const onDoubleClick = (e: MouseEvent<HTMLDivElement>) => {
    const hit = cellFromEvent(e);
    if (!hit) return;
    act({ type: 'key', input: { key: 'F2' }, current: textAt(hit.r, hit.c) });
  };

  // Paste and copy arrive as clipboard events on the document while the grid has focus.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (document.activeElement !== scrollRef.current) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text) { e.preventDefault(); act({ type: 'paste', text }); }
    };
    const onCopy = (e: ClipboardEvent) => {
      if (document.activeElement !== scrollRef.current) return;
      const { row, col } = keysRef.current.cursor;
      e.clipboardData?.setData('text/plain', textAt(row, col));
      e.preventDefault();
    };
    document.addEventListener('paste', onPaste);
    document.addEventListener('copy', onCopy);
    return () => { document.removeEventListener('paste', onPaste); document.removeEventListener('copy', onCopy); };
  }, [act, textAt]);

  const { row: cr, col: cc } = keys.cursor;
  useCursorInView(scrollRef, keys.cursor, navCols, starts, sizes, endW, setViewport);

  const { r0, r1, c0, c1, leftPad, rightPad, rowIdx, colIdx } = visibleWindow({ viewport, overscan, rowCount: rows.length, cursorRow: cr, starts, sizes, centerW, endW });

  const active = readOnly ? null : keys.edit;
  const idOf = (r: number, c: number) => `gb-${r}-${c}`;
  const periodIdx = navCols.findIndex((c) => c.kind === 'period');

  const lessonCell = (r: number, s: Student, ci: number) => {
    const col = lessonCols[ci]!;
    const isCur = r === cr && ci === cc;
    const cell = store.cell(s.id, col.key);
    const st = statusClass(store.status(cellKey(s.id, col.key)));
    const text = isCur && active ? active.text : cellText(cell);
    let cls = 'gb-cell';
    if (col.locked) cls += ' is-locked';
    const flags = colFlags[ci]!;
    if (flags.today) cls += ' is-today';
    if (flags.weekstart) cls += ' is-weekstart';
    if (flags.future) cls += ' is-future';
    if (!isCur || !active) {
      if (cell?.mark && isLow(cell.mark)) cls += ' is-low';
      if (!cell?.mark && cell?.absent) cls += ' is-absent';
      if (cell?.mark && cell.absent) cls += ' is-both';
    }
    if (isCur) cls += active ? ' is-active is-editing' : ' is-active';
    cls += st.cls;
    const label = isCur ? lessonCellLabel(s, col, text, cell, st.badge) : undefined;
    return <Cell key={col.key} id={idOf(r, ci)} r={r} c={ci} colIndex={ci + 2} text={text} cls={cls} badge={st.badge} label={label} width={sizes[ci]!} />;
  };

  const periodCell = (r: number, s: Student) => {
    const isCur = r === cr && cc === periodIdx;
    const value = store.periodValue(s.id);
    const p = store.proposal(s.id);
    const st = statusClass(store.status(cellKey(s.id, 'period')));
    const editing = isCur && active;
    let cls = 'gb-period gb-cell';
    if (isCur) cls += editing ? ' is-active is-editing' : ' is-active';
    cls += st.cls;
    const proposalText = p?.proposal ?? '';
    const label = isCur ? periodCellLabel(s, props.periodName, value, p) : undefined;
    return (
      <div id={idOf(r, periodIdx)} key="period" role="gridcell" aria-colindex={lessonCols.length + 3} aria-label={label} data-r={r} data-c={periodIdx} className={cls}
        style={{ width: PERIOD_W, right: 0 }}>
        {editing ? active.text : value ? <b>{value}</b> : proposalText ? <span className="gb-proposal" title="Предлагаемая отметка">{proposalText}</span>
          : p?.status === 'insufficient_marks' ? <span className="gb-few" title="Недостаточно отметок для аттестации">мало</span> : ''}
        {st.badge && <span className="gb-badge" aria-hidden="true">{st.badge}</span>}
      </div>
    );
  };

  const avgRight = hasPeriod ? PERIOD_W : 0;
  void version; // re-render on store changes

  // ── the problem or hint next to the active/last cell ──
  const pop = popToShow(hint, store, students, navCols, keys.cursor);
  const popStyle = pop && popoverPosition(pop, {
    navCols, starts, sizes, viewport, wrapWidth: () => wrapRef.current?.clientWidth, gridWidth: () => scrollRef.current?.offsetWidth,
  });

  return (
    <div className="gb-wrap" ref={wrapRef}>
      <div
        ref={scrollRef}
        className={`gb-scroll${readOnly ? ' is-readonly' : ''}`}
        role="grid"
        aria-label={gridLabel(view, props.periodName)}
        aria-rowcount={students.length + 1}
        aria-colcount={lessonCols.length + 2 + (hasPeriod ? 1 : 0)}
        aria-readonly={readOnly || undefined}
        aria-activedescendant={students.length ? idOf(cr, cc) : undefined}
        aria-describedby="gb-help"
        tabIndex={0}
        data-ready="true"
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        onMouseDown={onMouseDown}
        onDoubleClick={onDoubleClick}
      >
        <div className="gb-canvas" style={{ width: totalW, height: HEAD_H + rows.length * ROW_H }}>
          <GridHeader store={store} lessonCols={lessonCols} colFlags={colFlags} starts={starts} sizes={sizes} colIdx={colIdx} leftPad={leftPad} rightPad={rightPad}
            totalW={totalW} endW={endW} studentCount={students.length} hasPeriod={hasPeriod} periodIdx={periodIdx} periodName={props.periodName} cc={cc} onOpenLesson={props.onOpenLesson} />
          <div role="rowgroup" className="gb-body">
            <div aria-hidden="true" style={{ height: r0 * ROW_H }} />
            {rowIdx.map((r) => {
              const s = students[r]!;
              const outOfWindow = r < r0 || r >= r1;
              return (
                <div key={s.id} role="row" aria-rowindex={r + 2} className={`gb-row${r === cr ? ' is-currow' : ''}${outOfWindow ? ' is-offscreen' : ''}`} style={{ width: totalW }}>
                  <div role="rowheader" aria-colindex={1} className="gb-name" title={[s.lastName, s.firstName, s.middleName].filter(Boolean).join(' ')}>
                    <span className="gb-no">{r + 1}</span>
                    <span className="gb-sname">{listName(s)}</span>
                    {s.homeSchooling && <span className="gb-flag" title="Обучение на дому">дом.</span>}
                    {view.course.subjectCode === 'pe' && s.peExemptUntil && s.peExemptUntil >= today && <span className="gb-flag" title={`Освобождён от физкультуры до ${dmy(s.peExemptUntil)}`}>осв.</span>}
                  </div>
                  <div className="gb-pad" aria-hidden="true" style={{ width: leftPad }} />
                  {colIdx.map((ci) => lessonCell(r, s, ci))}
                  {cc < lessonCols.length && (cc < c0 || cc >= c1) && r === cr && lessonCell(r, s, cc)}
                  <div className="gb-pad" aria-hidden="true" style={{ width: rightPad }} />
                  <div role="gridcell" aria-colindex={lessonCols.length + 2} className="gb-avg" style={{ width: AVG_W, right: avgRight }}>{average(store.marksOf(s.id, lessonKeys))}</div>
                  {hasPeriod && periodCell(r, s)}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {pop && popStyle && (
        <CellPopover pop={pop} style={popStyle}
          onCorrection={() => {
            const t = target(pop.r, pop.c);
            if (t && pop.problem?.correctable) props.onCorrection({ target: t, value: pop.problem.correctable.value, problem: pop.problem });
          }}
          onClose={() => { store.dismissProblem(); setHint(null); forceRender(); scrollRef.current?.focus(); }} />
      )}
      <CursorInfo store={store} view={view} cursor={keys.cursor} navCols={navCols} periodName={props.periodName} editing={!!active}
        readOnly={readOnly} readOnlyReason={props.readOnlyReason} />
    </div>
  );
}
