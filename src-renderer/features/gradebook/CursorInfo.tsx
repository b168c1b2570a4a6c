/**
 * The line under the grid (the grid's `aria-describedby`): what the cursor is on — the lesson with
 * its topic, homework and warnings, or the period mark's proposal and its reasons — and the keys
 * that work there.
 */
import { useSyncExternalStore } from 'react';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { MARK_COLUMN_LABELS } from '../../../src-shared/domain/school';
import { decimal, dmy, listName, weekdayShort } from '../../app/format';
import { lessonKindLabel, reasonLabel, workTypeLabel } from '../../app/labels';
import type { Cursor } from './keyboard';
import type { GridColumn } from './model';
import type { GradebookStore } from './store';

export interface CursorInfoProps {
  store: GradebookStore;
  view: GradebookView;
  cursor: Cursor;
  navCols: readonly GridColumn[];
  periodName: string | null;
  editing: boolean;
  readOnly: boolean;
  readOnlyReason: string;
}

export function CursorInfo({ store, view, cursor, navCols, periodName, editing, readOnly, readOnlyReason }: CursorInfoProps) {
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
