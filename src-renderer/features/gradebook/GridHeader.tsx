/**
 * The grid's header: a strip of months over the lesson columns in view, then the header row —
 * «Обучающийся», one column per lesson (date, the work type or the separate column, today, a new
 * week, warnings; a click opens the lesson), the average and the period mark.
 */
import { MARK_COLUMN_LABELS } from '../../../src-shared/domain/school';
import { dm, dmy, monthName, weekdayShort } from '../../app/format';
import { isThematic, lessonKindLabel, workTypeLabel, workTypeShort } from '../../app/labels';
import type { LessonColumn } from './model';
import type { GradebookStore } from './store';
import { AVG_W, NAME_W, PERIOD_W } from './grid-sizes';

/** Per lesson column: a new week starts here (a thicker line), it is today's, this week's, still ahead (planned from the timetable). */
export interface ColumnFlags { weekstart: boolean; today: boolean; thisWeek: boolean; future: boolean }

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

export interface GridHeaderProps {
  store: GradebookStore;
  lessonCols: readonly LessonColumn[];
  colFlags: readonly ColumnFlags[];
  starts: readonly number[];
  sizes: readonly number[];
  /** The lesson columns in view and the pads standing in for the others (viewport.ts). */
  colIdx: readonly number[];
  leftPad: number;
  rightPad: number;
  totalW: number;
  endW: number;
  studentCount: number;
  hasPeriod: boolean;
  periodIdx: number;
  periodName: string | null;
  /** The cursor's column. */
  cc: number;
  onOpenLesson: (lessonId: string) => void;
}

export function GridHeader({ store, lessonCols, colFlags, starts, sizes, colIdx, leftPad, rightPad, totalW, endW, studentCount, hasPeriod, periodIdx, periodName, cc, onOpenLesson }: GridHeaderProps) {
  // Month segments over the visible columns.
  const months: { key: string; left: number; width: number; label: string }[] = [];
  for (const ci of colIdx) {
    const col = lessonCols[ci]!;
    const m = col.lesson.date.slice(0, 7);
    const last = months[months.length - 1];
    if (last && last.key === m) last.width += sizes[ci]!;
    else months.push({ key: m, left: NAME_W + starts[ci]!, width: sizes[ci]!, label: monthName(col.lesson.date) });
  }
  const avgRight = hasPeriod ? PERIOD_W : 0;
  return (
    <div className="gb-head" style={{ width: totalW }}>
      <div className="gb-months" aria-hidden="true" style={{ width: totalW }}>
        {months.map((m) => <div key={m.key} className="gb-month" style={{ left: m.left, width: m.width }}><span>{m.label}</span></div>)}
        <div className="gb-months-corner" />
        <div className="gb-months-end" style={{ width: endW }} />
      </div>
      <div role="row" aria-rowindex={1} className="gb-row gb-headrow" style={{ width: totalW }}>
        <div role="columnheader" aria-colindex={1} className="gb-name gb-hname">
          <span>Обучающийся</span><span className="gb-count">{studentCount} чел.</span>
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
          if (flags.future) cls += ' is-future';
          return (
            <div key={col.key} role="columnheader" aria-colindex={ci + 2} className={cls} style={{ width: sizes[ci] }} title={headerTitle(col)}
              onClick={() => onOpenLesson(l.id)}>
              <span className="gb-date">{dm(l.date)}{col.ofDay > 1 && col.column === 'main' && <sup className="gb-nth">{col.nthOfDay}</sup>}</span>
              <span className={`gb-tag${isThematic(l.workType) && col.column === 'main' ? ' is-thematic' : ''}`}>{tag || '\u00a0'}</span>
              {col.column === 'main' && store.lessonWarnings(l.id).length > 0 && <span className="gb-hwarn" aria-label="есть предупреждение">⚠</span>}
            </div>
          );
        })}
        <div className="gb-pad" aria-hidden="true" style={{ width: rightPad }} />
        <div role="columnheader" aria-colindex={lessonCols.length + 2} className="gb-avg gb-havg" style={{ width: AVG_W, right: avgRight }} title="Средний балл на этой странице (дробь — обе части)">Ср.<br />балл</div>
        {hasPeriod && (
          <div role="columnheader" aria-colindex={lessonCols.length + 3} className={`gb-period gb-hperiod${cc === periodIdx ? ' is-curcol' : ''}`} style={{ width: PERIOD_W, right: 0 }} title={`Отметка за период: ${periodName ?? ''}`}>
            {periodName?.replace(' триместр', ' трим.').replace(' полугодие', ' полуг.').replace(' четверть', ' чет.') ?? 'Итог'}<br /><span className="gb-tag">итог</span>
          </div>
        )}
      </div>
    </div>
  );
}
