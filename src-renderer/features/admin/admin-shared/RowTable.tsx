/**
 * A table of records for the administration screens, on @tanstack/react-table v9: columns sort
 * by a click on their header (Russian alphabetical order), a filter box searches every column,
 * and the keyboard works the rows — ↑ ↓ Home End PageUp PageDown move, Enter opens the row's main
 * action, → ← show and hide the row's details (a family under a pupil). A row's buttons are
 * reached with Tab from the row. On a phone each row is a card of «label: value» lines.
 */
import { Fragment, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  columnFilteringFeature, createFilteredRowModel, createSortedRowModel, globalFilteringFeature, rowSortingFeature, tableFeatures, useTable,
  type ColumnDef, type FilterFn, type RowData, type SortFn, type SortingState,
} from '@tanstack/react-table';
import { matchesFilter, compareValues, type CellValue } from './row-order';

export interface RowColumn<T> {
  id: string;
  header: string;
  /** What the column sorts on: text, a number, an ISO date; null sorts last. */
  value: (row: T) => CellValue;
  /** What the filter box finds in the column (default: the value as text). */
  text?: (row: T) => string;
  /** What the cell shows (default: the text). */
  cell?: (row: T) => ReactNode;
  sortable?: boolean;
  className?: string;
}

type Any = Record<string, unknown>;
interface Meta { spec: RowColumn<Any> }
const features = tableFeatures({
  rowSortingFeature, sortedRowModel: createSortedRowModel(),
  columnFilteringFeature, globalFilteringFeature, filteredRowModel: createFilteredRowModel(),
  columnMeta: {} as Meta,
});
type F = typeof features;

const byValue: SortFn<F, Any> = (a, b, id) => compareValues(a.getValue<CellValue>(id), b.getValue<CellValue>(id));

const textOf = <T,>(spec: RowColumn<T>, row: T) => (spec.text ? spec.text(row) : String(spec.value(row) ?? ''));
/** The whole row is searched at once, so «Иванов 5А» finds a name in one column and a class in another. */
const anyColumn: FilterFn<F, Any> = (row, _columnId, q: string) => {
  const text = row.getAllCells().map((c) => { const spec = c.column.columnDef.meta?.spec; return spec ? textOf(spec, row.original) : ''; }).join(' ');
  return matchesFilter(text, q);
};

export interface RowTableProps<T extends RowData> {
  /** What the table lists, for screen readers and the filter's label: «Учётные записи». */
  label: string;
  rows: readonly T[];
  columns: readonly RowColumn<T>[];
  rowId: (row: T) => string;
  initialSort?: SortingState;
  /** The row's buttons (last column «Действия»). */
  actions?: (row: T) => ReactNode;
  /** Enter on a row. */
  onActivate?: (row: T) => void;
  /** Content shown under a row when it is opened (→ or its button); null: nothing to open. */
  detail?: (row: T) => ReactNode;
  /** Rows opened from outside (a new parent added: keep its pupil open). */
  expanded?: ReadonlySet<string>;
  onExpandedChange?: (ids: Set<string>) => void;
  rowClass?: (row: T) => string;
  /** Shown instead of the rows when there are none at all. */
  empty: ReactNode;
  /** Controls beside the filter box (a «Кто» selector, buttons). */
  toolbar?: ReactNode;
  filterPlaceholder?: string;
}

export function RowTable<T extends RowData>(props: RowTableProps<T>) {
  const { rows, columns, rowId, actions, onActivate, detail } = props;
  const uid = useId();
  const [query, setQuery] = useState('');
  const [ownExpanded, setOwnExpanded] = useState<Set<string>>(() => new Set());
  const expanded = props.expanded ?? ownExpanded;
  const setExpanded = (ids: Set<string>) => (props.onExpandedChange ? props.onExpandedChange(ids) : setOwnExpanded(ids));
  const defs = useMemo<ColumnDef<F, T>[]>(() => columns.map((c) => ({
    id: c.id, header: c.header, accessorFn: (row: T) => c.value(row), sortFn: byValue as unknown as SortFn<F, T>, enableSorting: c.sortable !== false,
    meta: { spec: c as unknown as RowColumn<Any> },
  })), [columns]);
  const table = useTable({
    features, columns: defs, data: rows as T[], getRowId: rowId,
    initialState: { sorting: props.initialSort ?? [] },
    state: { globalFilter: query }, onGlobalFilterChange: (u) => setQuery((q) => (typeof u === 'function' ? (u as (x: string) => string)(q) : u as string)),
    globalFilterFn: anyColumn as unknown as FilterFn<F, T>, getColumnCanGlobalFilter: () => true,
    enableSortingRemoval: false,
  });
  const visible = table.getRowModel().rows;
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const [active, setActive] = useState(0);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  const cur = Math.min(active, Math.max(visible.length - 1, 0));
  useEffect(() => { if (active !== cur) setActive(cur); }, [active, cur]);

  function focusRow(i: number) {
    const n = visible.length;
    if (n === 0) return;
    const k = Math.max(0, Math.min(n - 1, i));
    setActive(k);
    rowRefs.current.get(visible[k]!.id)?.focus();
  }

  function toggle(id: string, open?: boolean) {
    const next = new Set(expanded);
    if (open ?? !next.has(id)) next.add(id); else next.delete(id);
    setExpanded(next);
  }

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, i: number, row: T, id: string) {
    if (e.target !== e.currentTarget) return;
    const page = 10;
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: visible.length - 1, PageDown: i + page, PageUp: i - page };
    if (e.key in moves) { e.preventDefault(); focusRow(moves[e.key]!); return; }
    if (e.key === 'Enter' && onActivate) { e.preventDefault(); onActivate(row); return; }
    if (detail && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) { e.preventDefault(); toggle(id, e.key === 'ArrowRight'); }
  }

  const colCount = headers.length + (actions ? 1 : 0);
  return (
    <div className="rt">
      <div className="rt-bar">
        <label className="rt-filter">
          <span className="visually-hidden">Поиск: {props.label}</span>
          <input
            type="search" value={query} placeholder={props.filterPlaceholder ?? 'Поиск…'} aria-controls={`${uid}-t`}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(0); }
              if (e.key === 'Escape' && query) { e.preventDefault(); e.stopPropagation(); setQuery(''); }
            }}
          />
        </label>
        <span className="rt-count" aria-live="polite">{query ? `найдено ${visible.length} из ${rows.length}` : `всего ${rows.length}`}</span>
        {props.toolbar}
      </div>
      {rows.length === 0 ? <div className="rt-empty">{props.empty}</div> : (
        <div className="rt-scroll" role="region" aria-label={props.label} tabIndex={-1}>
          <table id={`${uid}-t`} className="table rt-table adm-cards" aria-rowcount={visible.length}>
            <caption className="visually-hidden">{props.label}. Стрелки вверх и вниз — по строкам{onActivate ? ', Enter — открыть' : ''}{detail ? ', стрелка вправо — подробности' : ''}; заголовок столбца — сортировка.</caption>
            <thead>
              <tr>
                {headers.map((h) => {
                  const spec = h.column.columnDef.meta?.spec;
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} scope="col" className={spec?.className} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                      {h.column.getCanSort() ? (
                        <button type="button" className="rt-sort" onClick={h.column.getToggleSortingHandler()}>
                          {spec?.header}<span className="rt-arrow" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                        </button>
                      ) : spec?.header}
                    </th>
                  );
                })}
                {actions && <th scope="col" className="rt-actions-h">Действия</th>}
              </tr>
            </thead>
            <tbody>
              {visible.length === 0 && <tr><td colSpan={colCount} className="rt-none">Ничего не найдено по запросу «{query}»</td></tr>}
              {visible.map((r, i) => {
                const open = detail ? expanded.has(r.id) : false;
                const more = open ? detail?.(r.original) : null;
                return (
                  <Fragment key={r.id}>
                    <tr
                      ref={(el) => { if (el) rowRefs.current.set(r.id, el); else rowRefs.current.delete(r.id); }}
                      tabIndex={i === cur ? 0 : -1} className={`rt-row ${props.rowClass?.(r.original) ?? ''}`.trim()}
                      aria-expanded={detail ? open : undefined}
                      onFocus={(e) => { if (e.target === e.currentTarget) setActive(i); }}
                      onKeyDown={(e) => onRowKey(e, i, r.original, r.id)}
                    >
                      {r.getAllCells().map((c) => {
                        const spec = c.column.columnDef.meta?.spec as unknown as RowColumn<T> | undefined;
                        return <td key={c.id} className={spec?.className} data-label={spec?.header}>{spec ? (spec.cell ? spec.cell(r.original) : textOf(spec, r.original)) : null}</td>;
                      })}
                      {actions && <td className="rt-actions" data-label="Действия">{actions(r.original)}</td>}
                    </tr>
                    {open && more && <tr className="rt-detail"><td colSpan={colCount}>{more}</td></tr>}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The button that opens a row's details (the same as → on the row). */
export function ExpandButton({ open, onClick, label }: { open: boolean; onClick: () => void; label: string }) {
  return <button type="button" className="btn btn-small" aria-expanded={open} onClick={onClick}>{open ? '▾' : '▸'} {label}</button>;
}
