/**
 * A set-up table edited from the keyboard (R-SETUP, п. 9.6): the rows are one list on TanStack
 * Table (its filtered row model answers the filter box); ↑/↓ move between rows, Enter opens the
 * row for editing, Tab goes through its fields, Enter saves (one contract call), Escape cancels,
 * Delete removes. A refusal stays under the row it belongs to, with its clause.
 */
import { Fragment, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { columnFilteringFeature, createColumnHelper, createFilteredRowModel, filterFn_includesString, globalFilteringFeature, tableFeatures, useTable } from '@tanstack/react-table';
import { NoticeLine } from '../../../components/States';
import { Feedback, type Said } from './Feedback';
import type { Outcome, Problem } from './data';

export type Draft = Record<string, string>;

export type Editor =
  | { kind: 'text'; maxLength?: number; placeholder?: string; width?: number }
  | { kind: 'date' }
  | { kind: 'time' }
  | { kind: 'number'; min: number; max: number; step?: number }
  | { kind: 'select'; options: readonly { value: string; label: string }[] };

export interface EditColumn<R> {
  id: string;
  header: string;
  view: (r: R) => ReactNode;
  /** What the filter box finds in this column. */
  text: (r: R) => string;
  /** No editor: shown, never edited. `newOnly`: chosen when the row is made, fixed after. */
  editor?: Editor;
  newOnly?: boolean;
  className?: string;
}

export interface EditTableProps<R> {
  caption: string;
  rows: readonly R[];
  rowId: (r: R) => string;
  columns: readonly EditColumn<R>[];
  /** Without `toDraft` and `save` the table is read-only (filter and arrows only). */
  toDraft?: (r: R) => Draft;
  /** A new row's draft; without it the table cannot add rows. */
  blank?: () => Draft;
  addLabel?: string;
  save?: (d: Draft, original: R | null) => Promise<Outcome>;
  remove?: (r: R) => Promise<Outcome>;
  removeQuestion?: (r: R) => string;
  /** Buttons of a row beside «Изменить»; `tabIndex` keeps Tab on the current row only. */
  actions?: (r: R, tabIndex: 0 | -1) => ReactNode;
  savedText?: (d: Draft, original: R | null) => string;
  /** Called after a successful save (a page may offer the next step). */
  onSaved?: (d: Draft, original: R | null) => void;
  rowClass?: (r: R, prev: R | undefined) => string;
  empty: string;
  /** Extra controls beside the filter box. */
  tools?: ReactNode;
}

const features = tableFeatures({
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { includesString: filterFn_includesString },
});

type Editing = { id: string | null; draft: Draft; problem: Problem | null; busy: boolean };

export function EditTable<R extends object>(props: EditTableProps<R>) {
  const { caption, rows, rowId, columns } = props;
  const helpId = useId();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [said, setSaid] = useState<Said>(null);
  const [active, setActive] = useState(0);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const focusAfter = useRef<string | 'add' | null>(null);

  const helper = useMemo(() => createColumnHelper<typeof features, R>(), []);
  const tableColumns = useMemo(() => helper.columns(columns.map((c) => helper.accessor((r: R) => c.text(r), { id: c.id, header: c.header }))), [columns, helper]);
  const data = useMemo(() => [...rows], [rows]);
  const table = useTable({
    features, columns: tableColumns, data, getRowId: (r: R) => rowId(r),
    state: { globalFilter: filter }, onGlobalFilterChange: setFilter,
    globalFilterFn: 'includesString', getColumnCanGlobalFilter: () => true,
  }, (s) => ({ globalFilter: s.globalFilter }));
  const shown = table.getRowModel().rows.map((r) => r.original);
  const cur = Math.min(active, Math.max(0, shown.length - 1));

  // Focus follows the row a save or a cancel came back to.
  useEffect(() => {
    const target = focusAfter.current;
    if (editing || target === null) return;
    focusAfter.current = null;
    if (target === 'add') { addRef.current?.focus(); return; }
    const tr = bodyRef.current?.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(target)}"]`);
    tr?.focus();
  }, [editing, shown]);

  function focusRow(i: number) {
    const n = Math.max(0, Math.min(shown.length - 1, i));
    setActive(n);
    bodyRef.current?.querySelectorAll<HTMLElement>('tr[data-row]')[n]?.focus();
  }

  function start(r: R | null) {
    if (editing?.busy) return;
    setSaid(null);
    setEditing({ id: r ? rowId(r) : null, draft: r ? props.toDraft!(r) : props.blank!(), problem: null, busy: false });
  }

  function cancel() {
    if (!editing || editing.busy) return;
    focusAfter.current = editing.id ?? 'add';
    setEditing(null);
  }

  async function commit() {
    if (!editing || editing.busy) return;
    const original = editing.id === null ? null : rows.find((r) => rowId(r) === editing.id) ?? null;
    setEditing({ ...editing, busy: true, problem: null });
    const o = await props.save!(editing.draft, original);
    if (!o.ok) { setEditing({ ...editing, busy: false, problem: o.problem }); return; }
    focusAfter.current = editing.id ?? 'add';
    setEditing(null);
    setSaid({ kind: 'saved', text: props.savedText?.(editing.draft, original) ?? 'Сохранено', warnings: o.warnings });
    props.onSaved?.(editing.draft, original);
  }

  async function removeRow(r: R) {
    if (!props.remove || editing?.busy) return;
    if (!window.confirm(props.removeQuestion?.(r) ?? 'Удалить запись?')) return;
    const o = await props.remove(r);
    if (!o.ok) { setSaid({ kind: 'problem', problem: o.problem }); return; }
    setEditing(null);
    setSaid({ kind: 'saved', text: 'Удалено', warnings: o.warnings });
    focusRow(cur);
  }

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, r: R, i: number) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(i + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); focusRow(i - 1); }
    else if (e.key === 'Home') { e.preventDefault(); focusRow(0); }
    else if (e.key === 'End') { e.preventDefault(); focusRow(shown.length - 1); }
    else if ((e.key === 'Enter' || e.key === 'F2') && hasEditors) { e.preventDefault(); start(r); }
    else if (e.key === 'Delete' && props.remove) { e.preventDefault(); void removeRow(r); }
  }

  function onEditKey(e: KeyboardEvent<HTMLTableRowElement>) {
    if (e.key === 'Escape') { e.preventDefault(); cancel(); }
    else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) { e.preventDefault(); void commit(); }
  }

  const hasEditors = !!props.save && !!props.toDraft && columns.some((c) => c.editor && !c.newOnly);
  const hasActions = hasEditors || !!props.actions || !!props.remove;
  const ncols = columns.length + (hasActions ? 1 : 0);

  function editRow(r: R | null) {
    const ed = editing!;
    const isNew = r === null;
    let first = true;
    return (
      <Fragment key={ed.id ?? 'new'}>
        <tr className="st-editing" onKeyDown={onEditKey} aria-busy={ed.busy || undefined}>
          {columns.map((c) => {
            const editable = c.editor && (isNew || !c.newOnly);
            const autoFocus = editable && first;
            if (autoFocus) first = false;
            return (
              <td key={c.id} className={c.className}>
                {editable ? (
                  <Field editor={c.editor!} label={c.header} value={ed.draft[c.id] ?? ''} autoFocus={!!autoFocus} disabled={ed.busy}
                    onChange={(v) => setEditing((x) => (x ? { ...x, draft: { ...x.draft, [c.id]: v } } : x))} />
                ) : r ? c.view(r) : ''}
              </td>
            );
          })}
          <td className="st-actions">
            <button type="button" className="btn btn-small btn-primary" onClick={() => void commit()} disabled={ed.busy}>{ed.busy ? 'Сохраняем…' : 'Сохранить'}</button>
            <button type="button" className="btn btn-small" onClick={cancel} disabled={ed.busy}>Отмена</button>
            {r && props.remove && <button type="button" className="btn btn-small btn-quiet st-danger" onClick={() => void removeRow(r)} disabled={ed.busy}>Удалить</button>}
          </td>
        </tr>
        {ed.problem && (
          <tr className="st-problem-row">
            <td colSpan={ncols} role="alert">
              <NoticeLine level={ed.problem.level} message={ed.problem.message} requirement={ed.problem.requirement} clause={ed.problem.clause} />
            </td>
          </tr>
        )}
      </Fragment>
    );
  }

  return (
    <div className="st-block">
      <div className="st-tools">
        <label className="st-filter">
          <span className="visually-hidden">Поиск: {caption}</span>
          <input type="search" placeholder="Найти…" value={filter} aria-label={`Поиск: ${caption}`}
            onChange={(e) => { setFilter(e.target.value); setActive(0); }}
            onKeyDown={(e) => { if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(0); } }} />
        </label>
        {props.tools}
        {props.blank && props.save && (
          <button ref={addRef} type="button" className="btn btn-small" onClick={() => start(null)} disabled={editing?.busy}>
            + {props.addLabel ?? 'Добавить'}
          </button>
        )}
      </div>
      <div className="st-scroll">
        <table className="table st-table" aria-label={caption} aria-describedby={helpId}>
          <thead>
            <tr>
              {columns.map((c) => <th key={c.id} scope="col" className={c.className}>{c.header}</th>)}
              {hasActions && <th scope="col" className="st-actions"><span className="visually-hidden">Действия</span></th>}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {editing?.id === null && editRow(null)}
            {shown.map((r, i) => {
              const id = rowId(r);
              if (editing?.id === id) return editRow(r);
              const tab = i === cur && !editing ? 0 : -1;
              return (
                <tr key={id} data-id={id} data-row={i} tabIndex={tab} className={props.rowClass?.(r, shown[i - 1]) ?? undefined}
                  onFocus={() => setActive(i)} onKeyDown={(e) => onRowKey(e, r, i)} onDoubleClick={() => hasEditors && start(r)}>
                  {columns.map((c) => <td key={c.id} className={c.className}>{c.view(r)}</td>)}
                  {hasActions && (
                    <td className="st-actions">
                      {hasEditors && <button type="button" className="btn btn-small btn-quiet" tabIndex={-1} onClick={() => start(r)}>Изменить</button>}
                      {props.actions?.(r, tab)}
                    </td>
                  )}
                </tr>
              );
            })}
            {shown.length === 0 && editing?.id !== null && (
              <tr><td colSpan={ncols} className="st-empty">{filter ? `Ничего не найдено по запросу «${filter}»` : props.empty}</td></tr>
            )}
          </tbody>
        </table>
      </div>
      <p id={helpId} className="st-help">
        <kbd>↑</kbd> <kbd>↓</kbd> — строка, {hasEditors && <><kbd>Enter</kbd> — изменить и сохранить, <kbd>Esc</kbd> — отменить, </>}{props.remove && <><kbd>Delete</kbd> — удалить, </>}<kbd>Tab</kbd> — следующее поле
      </p>
      <Feedback said={said} />
    </div>
  );
}

function Field({ editor, label, value, autoFocus, disabled, onChange }: { editor: Editor; label: string; value: string; autoFocus: boolean; disabled: boolean; onChange: (v: string) => void }) {
  const common = { 'aria-label': label, autoFocus, disabled, className: `st-input st-input-${editor.kind}` };
  switch (editor.kind) {
    case 'select':
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          {editor.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
    case 'number':
      return <input {...common} type="number" inputMode="decimal" min={editor.min} max={editor.max} step={editor.step ?? 1} value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'date':
      return <input {...common} type="date" value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'time':
      return <input {...common} type="text" inputMode="numeric" placeholder="ЧЧ:ММ" maxLength={5} value={value} onChange={(e) => onChange(e.target.value)} />;
    default:
      return <input {...common} type="text" maxLength={editor.maxLength} placeholder={editor.placeholder} value={value} onChange={(e) => onChange(e.target.value)} style={editor.width ? { width: editor.width } : undefined} />;
  }
}
