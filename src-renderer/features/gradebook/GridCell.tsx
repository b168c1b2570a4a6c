/** One lesson cell of the grid (memoised: a keypress redraws only what changed) and the looks of a cell. */
import { memo } from 'react';
import { markPoints } from '../../../src-shared/domain/marks';
import { decimal } from '../../app/format';
import type { CellStatus } from './store';

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
export const Cell = memo(function Cell({ id, r, c, colIndex, text, cls, badge, label, width }: CellProps) {
  return (
    <div id={id} role="gridcell" aria-colindex={colIndex} aria-label={label} data-r={r} data-c={c} className={cls} style={{ width }}>
      {text}{badge && <span className="gb-badge" aria-hidden="true">{badge}</span>}
    </div>
  );
});

/** A cell being saved, or with a warning (⚠) or an error (!). */
export function statusClass(s: CellStatus | undefined): { cls: string; badge: string } {
  if (!s) return { cls: '', badge: '' };
  if (s.kind === 'saving') return { cls: ' is-saving', badge: '' };
  if (s.problem.level === 'warn') return { cls: ' is-warn', badge: '⚠' };
  return { cls: ' is-error', badge: '!' };
}

/** A 2 or a 1, or a fraction with one (shown in red). */
export function isLow(text: string): boolean {
  if (!/^[1-5](\/[1-5])?$/.test(text)) return false;
  return markPoints(text).some((p) => p <= 2);
}

/** The mean of the page's marks (a fraction counts both parts, R-FRACTION). */
export function average(marks: string[]): string {
  const pts = marks.flatMap((m) => (/^[1-5](\/[1-5])?$/.test(m) ? markPoints(m) : []));
  if (pts.length === 0) return '';
  return decimal(pts.reduce((a, b) => a + b, 0) / pts.length, 2);
}
