/**
 * The gradebook grid: students (pinned, alphabetical) × lesson columns, the average and the period
 * mark pinned at the end. ARIA grid (focus stays on the grid, the active cell is
 * `aria-activedescendant`), driven by the pure keyboard model (keyboard.ts), virtualised in both
 * directions so 40 × 250 stays smooth: only the rows and columns in view (plus a margin) exist in
 * the DOM. The column model (sizes, pinning, offsets) is @tanstack/react-table v9.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore, type KeyboardEvent, type MouseEvent } from 'react';
import { columnPinningFeature, columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { markPoints } from '../../../src-shared/domain/marks';
import { MARK_COLUMN_LABELS } from '../../../src-shared/domain/school';
import { decimal, dm, dmy, listName, monthName, weekdayShort, weekRange } from '../../app/format';
import { isThematic, lessonKindLabel, reasonLabel, workTypeLabel, workTypeShort } from '../../app/labels';
import { weekStart } from '../../../src-shared/domain/values';
import { cellText, type GridColumn, type LessonColumn } from './model';
import { initialKeyState, reduceKeys, type ColumnKind, type Cursor, type Effect, type KeyAction, type KeyState } from './keyboard';
import type { CellProblem, CellStatus, CellTarget, GradebookStore } from './store';

export const ROW_H = 28;
export const MONTH_H = 18;
export const HEAD_H = MONTH_H + 40;
export const NAME_W = 232;
export const COL_W = 42;
export const AVG_W = 46;
export const PERIOD_W = 70;
/** Rows and columns drawn beyond the view; the first frame draws only the view (it comes sooner). */
const OVERSCAN_ROWS = 6;
const OVERSCAN_COLS = 6;

type Student = GradebookView['students'][number];
interface ColMeta { grid?: GridColumn }
const features = tableFeatures({ columnPinningFeature, columnSizingFeature, columnMeta: {} as ColMeta });
const helper = createColumnHelper<typeof features, Student>();

export interface CorrectionDraft { target: CellTarget; value: string | null; problem: CellProblem }

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

const HINTS: Record<'readOnly' | 'locked' | 'badKey', string> = {
  readOnly: 'Страница открыта только для просмотра',
  locked: 'На внеурочном занятии отметки и «н» не ставятся (п. 7.13, 8.3)',
  badKey: 'Допустимы отметки 5, 4, 3, 2, 1, дробь вида 5/4 и «н» — отсутствие',
};

function isLow(text: string): boolean {
  if (!/^[1-5](\/[1-5])?$/.test(text)) return false;
  return markPoints(text).some((p) => p <= 2);
}

/** The mean of the page's marks (a fraction counts both parts, R-FRACTION). */
function average(marks: string[]): string {
  const pts = marks.flatMap((m) => (/^[1-5](\/[1-5])?$/.test(m) ? markPoints(m) : []));
  if (pts.length === 0) return '';
  return decimal(pts.reduce((a, b) => a + b, 0) / pts.length, 2);
}

function headerTitle(c: LessonColumn): string {
  const l = c.lesson;
  const parts = [`${dmy(l.date)}, ${weekdayShort(l.date)}, урок ${l.number}${c.ofDay > 1 ? ` (${c.nthOfDay}-й из ${c.ofDay} в этот день)` : ''}`];
  if (c.column !== 'main') parts.push(`отдельная колонка «${MARK_COLUMN_LABELS[c.column]}»`);
  if (l.kind !== 'regular') parts.push(lessonKindLabel(l.kind));
  if (l.status === 'cancelled') parts.push('урок отменён');
  if (l.movedFrom) parts.push(`перенесён с ${dm(l.movedFrom)}`);
  parts.push(workTypeLabel(c.column === 'reading' ? 'reading' : l.workType));
  if (l.topic) parts.push(`Тема: ${l.topic}`);
  return parts.join(' · ');
}

/** The short second line of a column header: the separate column, the lesson kind, or the work type. */
function headerTag(c: LessonColumn): string {
  if (c.column === 'reading') return 'Выр.чт.';
  if (c.column === 'literacy') return 'Грам.';
  if (c.lesson.status === 'cancelled') return 'Отм.';
  if (c.lesson.kind === 'extracurricular') return 'Внеур.';
  if (c.lesson.kind === 'distance') return 'Дист.';
  if (c.lesson.kind === 'home') return 'Дом.';
  return workTypeShort(c.lesson.workType);
}

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

interface CellProps {
  id: string;
  r: number;
  c: number;
  colIndex: number;
  text: string;
  cls: string;
  badge: string;
  label: string | undefined;
  width: number;
}
const Cell = memo(function Cell({ id, r, c, colIndex, text, cls, badge, label, width }: CellProps) {
  return (
    <div id={id} role="gridcell" aria-colindex={colIndex} aria-label={label} data-r={r} data-c={c} className={cls} style={{ width }}>
      {text}{badge && <span className="gb-badge" aria-hidden="true">{badge}</span>}
    </div>
  );
});

function statusClass(s: CellStatus | undefined): { cls: string; badge: string } {
  if (!s) return { cls: '', badge: '' };
  if (s.kind === 'saving') return { cls: ' is-saving', badge: '' };
  if (s.problem.level === 'warn') return { cls: ' is-warn', badge: '⚠' };
  return { cls: ' is-error', badge: '!' };
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
      const f = { weekstart: i > 0 && w !== prevWeek, today: c.lesson.date === today, thisWeek: w === thisWeek };
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
  const [hint, setHint] = useState<{ r: number; c: number; text: string } | null>(null);
  const [, forceRender] = useReducer((x: number) => x + 1, 0);
  useEffect(() => {
    const s = reduceKeys(keysRef.current, { type: 'shape', rows: students.length, cols: kinds, readOnly });
    setKeys(s.state);
  }, [students.length, kinds, readOnly]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [overscan, setOverscan] = useState(false);
  const oRows = overscan ? OVERSCAN_ROWS : 0;
  const oCols = overscan ? OVERSCAN_COLS : 0;
  // The first frame already shows the cursor's column (no draw at the left edge, then a jump).
  const [viewport, setViewport] = useState(() => {
    const w = Math.max(400, window.innerWidth - 24);
    const h = Math.max(300, window.innerHeight - 260);
    const ci = props.initialCursor.col;
    const x = ci < lessonCols.length ? ci * COL_W : 0;
    const visW = w - NAME_W - AVG_W - PERIOD_W;
    return { top: Math.max(0, (props.initialCursor.row + 1) * ROW_H - (h - HEAD_H)), left: Math.max(0, x + COL_W - visW), w, h };
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
  }, []);
  // Keyboard first: the grid has the focus as soon as the page is there (unless something else took it).
  useEffect(() => {
    const el = scrollRef.current;
    if (el && (document.activeElement === document.body || document.activeElement === null)) el.focus({ preventScroll: true });
    // For `npm run bench:grid`: the grid is drawn and takes keys from here on.
    performance.mark('ejournal:grid-interactive');
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

  const run = useCallback((effects: Effect[]) => {
    for (const e of effects) {
      switch (e.type) {
        case 'commit': { const t = target(e.row, e.col); if (t) store.input(t, e.text); setHint(null); break; }
        case 'clear': { const t = target(e.row, e.col); if (t) store.clear(t); setHint(null); break; }
        case 'undo': if (!store.undo()) setHint({ r: keysRef.current.cursor.row, c: keysRef.current.cursor.col, text: 'Отменять нечего: изменений на этой странице ещё не было' }); break;
        case 'acceptProposal': store.acceptProposal(students[e.row]!.id); break;
        case 'openLesson': { const col = navCols[e.col]; if (col?.kind === 'lesson') props.onOpenLesson(col.lesson.id); break; }
        case 'requestCorrection': {
          const t = target(e.row, e.col);
          const st = t ? store.status(`${t.studentId}|${navCols[e.col]!.key}`) : undefined;
          if (t && st?.kind === 'problem' && st.problem.correctable) props.onCorrection({ target: t, value: st.problem.correctable.value, problem: st.problem });
          else setHint({ r: e.row, c: e.col, text: 'Запрос на исправление нужен, когда журнал отказал в изменении по сроку (п. 7.14): введите отметку, и если срок истёк, здесь появится кнопка запроса' });
          break;
        }
        case 'dismiss': store.dismissProblem(); setHint(null); break;
        case 'hint': {
          const col = navCols[e.col];
          const text = e.reason === 'readOnly' ? `${HINTS.readOnly}: ${props.readOnlyReason}`
            : e.reason === 'locked' && col?.kind === 'lesson' && col.locked === 'cancelled' ? 'Урок отменён: отметки и «н» не ставятся'
              : e.reason === 'badKey' && col?.kind === 'period' ? `«${e.key}»: за период выставляется 5, 4, 3, 2, 1, «осв» или «н/а»`
                : e.reason === 'badKey' ? `«${e.key}» — ${HINTS.badKey}` : HINTS[e.reason];
          setHint({ r: e.row, c: e.col, text });
          break;
        }
        case 'paste': {
          const entries: { target: CellTarget; text: string }[] = [];
          e.block.forEach((line, dr) => line.forEach((text, dc) => {
            const t = target(e.row + dr, e.col + dc);
            if (t) entries.push({ target: t, text });
          }));
          const res = store.paste(entries);
          if (res.rejected > 0) setHint({ r: e.row, c: e.col, text: `Вставлено: ${res.accepted}; не вставлено: ${res.rejected} (не отметки или колонка без отметок)` });
          break;
        }
      }
    }
  }, [store, target, students, navCols, props]);

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

  // Keep the cursor's cell in view (the sticky name column and the pinned end are not "view").
  const { row: cr, col: cc } = keys.cursor;
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
  }, [cr, cc, navCols, starts, sizes, endW]);

  // ── the window of rows and columns to render ──
  const r0 = Math.max(0, Math.floor(viewport.top / ROW_H) - oRows);
  const r1 = Math.min(rows.length, Math.ceil((viewport.top + viewport.h) / ROW_H) + oRows);
  const c0 = center.length ? Math.max(0, firstVisible(starts, sizes, viewport.left) - oCols) : 0;
  const c1 = center.length ? Math.min(center.length, firstVisible(starts, sizes, viewport.left + Math.max(0, viewport.w - NAME_W - endW)) + 1 + oCols) : 0;
  const leftPad = c0 < center.length ? starts[c0] ?? 0 : centerW;
  const rightPad = c1 > 0 && c1 <= center.length ? centerW - ((starts[c1 - 1] ?? 0) + (sizes[c1 - 1] ?? 0)) : 0;
  const rowIdx: number[] = [];
  for (let r = r0; r < r1; r++) rowIdx.push(r);
  // The cursor's row and column always exist in the DOM (aria-activedescendant must point at something).
  if (cr < r0 || cr >= r1) rowIdx.push(cr);
  const colIdx: number[] = [];
  for (let c = c0; c < c1; c++) colIdx.push(c);

  const active = readOnly ? null : keys.edit;
  const idOf = (r: number, c: number) => `gb-${r}-${c}`;
  const periodIdx = navCols.findIndex((c) => c.kind === 'period');

  const lessonCell = (r: number, s: Student, ci: number) => {
    const col = lessonCols[ci]!;
    const isCur = r === cr && ci === cc;
    const cell = store.cell(s.id, col.key);
    const st = statusClass(store.status(`${s.id}|${col.key}`));
    const text = isCur && active ? active.text : cellText(cell);
    let cls = 'gb-cell';
    if (col.locked) cls += ' is-locked';
    const flags = colFlags[ci]!;
    if (flags.today) cls += ' is-today';
    if (flags.weekstart) cls += ' is-weekstart';
    if (!isCur || !active) {
      if (cell?.mark && isLow(cell.mark)) cls += ' is-low';
      if (!cell?.mark && cell?.absent) cls += ' is-absent';
      if (cell?.mark && cell.absent) cls += ' is-both';
    }
    if (isCur) cls += active ? ' is-active is-editing' : ' is-active';
    cls += st.cls;
    const label = isCur ? `${listName(s)}, ${dm(col.lesson.date)}${col.column !== 'main' ? `, ${MARK_COLUMN_LABELS[col.column]}` : ''}: ${text === 'н' ? `отсутствовал, ${reasonLabel(cell?.reason)}` : text || 'пусто'}${st.badge === '!' ? ', ошибка' : st.badge ? ', предупреждение' : ''}` : undefined;
    return <Cell key={col.key} id={idOf(r, ci)} r={r} c={ci} colIndex={ci + 2} text={text} cls={cls} badge={st.badge} label={label} width={sizes[ci]!} />;
  };

  const periodCell = (r: number, s: Student) => {
    const isCur = r === cr && cc === periodIdx;
    const value = store.periodValue(s.id);
    const p = store.proposal(s.id);
    const st = statusClass(store.status(`${s.id}|period`));
    const editing = isCur && active;
    let cls = 'gb-period gb-cell';
    if (isCur) cls += editing ? ' is-active is-editing' : ' is-active';
    cls += st.cls;
    const proposalText = p?.proposal ?? '';
    const label = isCur ? `${listName(s)}, ${props.periodName ?? 'период'}: ${value ?? 'не выставлена'}${p?.proposal ? `, предлагается ${p.proposal}` : ''}` : undefined;
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

  // Month segments over the visible columns.
  const months: { key: string; left: number; width: number; label: string }[] = [];
  for (const ci of colIdx) {
    const col = lessonCols[ci]!;
    const m = col.lesson.date.slice(0, 7);
    const last = months[months.length - 1];
    if (last && last.key === m) last.width += sizes[ci]!;
    else months.push({ key: m, left: NAME_W + starts[ci]!, width: sizes[ci]!, label: monthName(col.lesson.date) });
  }

  // ── the problem or hint next to the active/last cell ──
  let pop: { r: number; c: number; problem: CellProblem | null; text?: string } | null = null;
  if (hint) pop = { r: hint.r, c: hint.c, problem: null, text: hint.text };
  else {
    const curKey = students[cr] && navCols[cc] ? `${students[cr].id}|${navCols[cc].key}` : '';
    const curStatus = store.status(curKey);
    const shown = curStatus?.kind === 'problem' ? { key: curKey, problem: curStatus.problem } : store.notice;
    if (shown) {
      const [sid, colKey] = shown.key.split('|') as [string, string];
      pop = { r: students.findIndex((x) => x.id === sid), c: navCols.findIndex((x) => x.key === colKey), problem: shown.problem };
    }
  }
  let popStyle: { left: number; top: number } | null = null;
  if (pop && pop.r >= 0 && pop.c >= 0) {
    const isPeriod = navCols[pop.c]?.kind === 'period';
    const cellX = isPeriod ? viewport.w - PERIOD_W : NAME_W + (starts[pop.c] ?? 0) - viewport.left;
    const cellW = isPeriod ? PERIOD_W : sizes[pop.c] ?? COL_W;
    const cellY = HEAD_H + pop.r * ROW_H - viewport.top;
    const popW = 340;
    const room = wrapRef.current?.clientWidth ?? viewport.w;
    // Beside the grid when it leaves room (the marks stay visible), else beside the cell.
    const gridRight = scrollRef.current?.offsetWidth ?? room;
    const left = gridRight + popW + 8 < room ? gridRight + 6 : cellX + cellW + popW + 8 < room ? cellX + cellW + 6 : Math.max(4, cellX - popW - 6);
    const top = Math.max(HEAD_H, Math.min(cellY, viewport.h - (pop.problem?.correctable ? 190 : 130)));
    popStyle = { left, top };
  }

  return (
    <div className="gb-wrap" ref={wrapRef}>
      <div
        ref={scrollRef}
        className={`gb-scroll${readOnly ? ' is-readonly' : ''}`}
        role="grid"
        aria-label={`Журнал: ${view.course.groupName}, ${view.course.subjectName}${props.periodName ? `, ${props.periodName}` : ''}`}
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
          <div className="gb-head" style={{ width: totalW }}>
            <div className="gb-months" aria-hidden="true" style={{ width: totalW }}>
              {months.map((m) => <div key={m.key} className="gb-month" style={{ left: m.left, width: m.width }}><span>{m.label}</span></div>)}
              <div className="gb-months-corner" />
              <div className="gb-months-end" style={{ width: endW }} />
            </div>
            <div role="row" aria-rowindex={1} className="gb-row gb-headrow" style={{ width: totalW }}>
              <div role="columnheader" aria-colindex={1} className="gb-name gb-hname">
                <span>Обучающийся</span><span className="gb-count">{students.length} чел.</span>
              </div>
              <div className="gb-pad" aria-hidden="true" style={{ width: leftPad }} />
              {colIdx.map((ci) => {
                const col = lessonCols[ci]!;
                const l = col.lesson;
                const tag = headerTag(col);
                let cls = 'gb-hcell';
                const flags = colFlags[ci]!;
                if (flags.today) cls += ' is-today';
                if (flags.weekstart) cls += ' is-weekstart';
                if (col.locked) cls += ' is-locked';
                if (col.column !== 'main') cls += ' is-extra';
                if (ci === cc) cls += ' is-curcol';
                if (flags.thisWeek) cls += ' is-thisweek';
                return (
                  <div key={col.key} role="columnheader" aria-colindex={ci + 2} className={cls} style={{ width: sizes[ci] }} title={headerTitle(col)}
                    onClick={() => props.onOpenLesson(l.id)}>
                    <span className="gb-date">{dm(l.date)}{col.ofDay > 1 && col.column === 'main' && <sup className="gb-nth">{col.nthOfDay}</sup>}</span>
                    <span className={`gb-tag${isThematic(l.workType) && col.column === 'main' ? ' is-thematic' : ''}`}>{tag || '\u00a0'}</span>
                    {col.column === 'main' && store.lessonWarnings(l.id).length > 0 && <span className="gb-hwarn" aria-label="есть предупреждение">⚠</span>}
                  </div>
                );
              })}
              <div className="gb-pad" aria-hidden="true" style={{ width: rightPad }} />
              <div role="columnheader" aria-colindex={lessonCols.length + 2} className="gb-avg gb-havg" style={{ width: AVG_W, right: avgRight }} title="Средний балл на этой странице (дробь — обе части)">Ср.<br />балл</div>
              {hasPeriod && (
                <div role="columnheader" aria-colindex={lessonCols.length + 3} className={`gb-period gb-hperiod${cc === periodIdx ? ' is-curcol' : ''}`} style={{ width: PERIOD_W, right: 0 }} title={`Отметка за период: ${props.periodName ?? ''}`}>
                  {props.periodName?.replace(' триместр', ' трим.').replace(' полугодие', ' полуг.').replace(' четверть', ' чет.') ?? 'Итог'}<br /><span className="gb-tag">итог</span>
                </div>
              )}
            </div>
          </div>
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
        <div className={`gb-pop${pop.problem ? ` is-${pop.problem.level}` : ' is-hint'}`} style={popStyle} role={pop.problem?.level === 'warn' || !pop.problem ? 'status' : 'alert'}>
          {pop.problem ? <ProblemBody problem={pop.problem} onCorrection={() => {
            const t = target(pop.r, pop.c);
            if (t && pop.problem?.correctable) props.onCorrection({ target: t, value: pop.problem.correctable.value, problem: pop.problem });
          }} /> : <p className="gb-pop-text">{pop.text}</p>}
          <button type="button" className="gb-pop-close" aria-label="Закрыть" onClick={() => { store.dismissProblem(); setHint(null); forceRender(); scrollRef.current?.focus(); }}>×</button>
        </div>
      )}
      <CursorInfo {...props} cursor={keys.cursor} editing={!!active} lessonCols={lessonCols} navCols={navCols} weekLabel={lessonCols[cc] ? weekRange(weekStart(lessonCols[cc].lesson.date)) : ''} />
    </div>
  );
}

function ProblemBody({ problem, onCorrection }: { problem: CellProblem; onCorrection: () => void }) {
  const title = problem.level === 'warn' ? '⚠ Предупреждение' : problem.level === 'input' ? '! Не отметка' : '! Не сохранено';
  const clauses = [problem.requirement, problem.clause].filter(Boolean).join(' · ');
  return (
    <>
      <p className="gb-pop-title">{title}</p>
      <p className="gb-pop-text">{problem.message}</p>
      {clauses && <p className="gb-pop-cite">{clauses}</p>}
      {problem.correctable && (
        <button type="button" className="btn btn-small" onMouseDown={(e) => e.preventDefault()} onClick={onCorrection}>
          Запросить исправление у заместителя директора… <kbd>Alt+Enter</kbd>
        </button>
      )}
    </>
  );
}

/** The line under the grid: what the cursor is on — the lesson, or the period mark's proposal and its reasons. */
function CursorInfo({ store, view, cursor, navCols, periodName, editing, readOnly, readOnlyReason }: GridProps & { cursor: Cursor; editing: boolean; lessonCols: LessonColumn[]; navCols: GridColumn[]; weekLabel: string }) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const s = view.students[cursor.row];
  const col = navCols[cursor.col];
  if (!s || !col) return <div className="gb-info" id="gb-help" />;
  if (col.kind === 'period') {
    const p = store.proposal(s.id);
    // The proposal's reasoning: the summary lines, then the marks it used (weight ×2 for control works).
    const perMark = /^[1-5]( \(из дроби [^)]*\))? — /;
    const order = (t: string) => ['Средневзвешенное', 'Округление', 'Отметок', 'Пропущено'].findIndex((w) => t.startsWith(w)) >>> 0;
    const summary = p ? p.explanation.text.filter((t) => !perMark.test(t)).sort((a, b) => order(a) - order(b)) : [];
    const used = p ? p.explanation.marksUsed.map((m) => (m.weight !== 1 ? `${m.points}×${decimal(m.weight)}` : String(m.points))).join(', ') : '';
    return (
      <div className="gb-info" id="gb-help" aria-live="polite">
        <p className="gb-info-main"><b>{listName(s)}</b> · отметка за {periodName ?? 'период'}: <b>{store.periodValue(s.id) ?? 'не выставлена'}</b>
          {p && <> · предлагается: <b>{p.proposal ?? '—'}</b>{p.status === 'insufficient_marks' ? ' (недостаточно отметок)' : p.status === 'not_attested' ? ' (пропущено больше половины уроков)' : ''}</>}</p>
        {p ? (
          <>
            <p className="gb-info-sub" title={summary.join('\n')}>
              {summary.join(' · ')}
              {p.findings.map((f, i) => <span key={i} className="gb-info-warn"> · ⚠ {f.message}{f.clause ? ` (${f.clause})` : ''}</span>)}
            </p>
            <p className="gb-info-sub" title={p.explanation.text.filter((t) => perMark.test(t)).join('\n')}>Учтены отметки ({p.explanation.marksUsed.length}): {used || 'нет'}</p>
          </>
        ) : <p className="gb-info-sub">Предложение загружается…</p>}
        <p className="gb-info-keys">{readOnly ? `Только просмотр: ${readOnlyReason}` : 'Пробел — выставить предложенную · 5 4 3 2 1, «осв», «н/а» — выставить вручную · Enter — дальше'}</p>
      </div>
    );
  }
  const l = col.lesson;
  const cell = store.cell(s.id, col.key);
  return (
    <div className="gb-info" id="gb-help">
      <p className="gb-info-main">
        <b>{listName(s)}</b> · {weekdayShort(l.date)}, {dmy(l.date)}, урок {l.number}
        {col.column !== 'main' && <> · колонка «{MARK_COLUMN_LABELS[col.column]}»</>}
        {' · '}{workTypeLabel(col.column === 'reading' ? 'reading' : l.workType)}
        {l.kind !== 'regular' && <> · {lessonKindLabel(l.kind)}</>}
        {cell?.absent && <> · отсутствовал ({reasonLabel(cell.reason)})</>}
      </p>
      <p className="gb-info-sub">{l.topic ? <>Тема: {l.topic}</> : <span className="muted">Тема не записана</span>}</p>
      <p className="gb-info-sub">{l.homework ? <>Домашнее задание: {l.homework}</> : <span className="muted">Домашнее задание не записано</span>}
        {store.lessonWarnings(l.id).map((n, i) => <span key={i} className="gb-info-warn"> · ⚠ {n.message}{n.clause ? ` (${n.clause})` : ''}</span>)}</p>
      <p className="gb-info-keys">{readOnly ? `Только просмотр: ${readOnlyReason} · стрелки — перемещение · Ctrl+Enter — страница урока`
        : editing ? 'Enter — сохранить и вниз · Tab — вправо · Esc — отменить' : '5 4 3 2 1 н, 5/4 — отметка · Enter — вниз · Delete — удалить · Ctrl+Z — отменить · Ctrl+Enter — урок · Ctrl+V — вставить столбец'}</p>
    </div>
  );
}
