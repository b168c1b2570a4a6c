/**
 * What a screen reader hears: the grid's name, and the active cell's label — the student, the
 * lesson or the period, the value (an absence with its reason) and whether it has a problem.
 * Only the active cell has a label (`aria-activedescendant` points at it).
 */
import type { GradebookView, PeriodMarkProposal } from '../../../src-shared/contract/methods';
import { MARK_COLUMN_LABELS } from '../../../src-shared/domain/school';
import { dm, listName } from '../../app/format';
import { reasonLabel } from '../../app/labels';
import type { LessonColumn, MarkCell } from './model';

type Student = GradebookView['students'][number];

export function gridLabel(view: GradebookView, periodName: string | null): string {
  return `Журнал: ${view.course.groupName}, ${view.course.subjectName}${periodName ? `, ${periodName}` : ''}`;
}

export function lessonCellLabel(s: Student, col: LessonColumn, text: string, cell: MarkCell | undefined, badge: string): string {
  return `${listName(s)}, ${dm(col.lesson.date)}${col.column !== 'main' ? `, ${MARK_COLUMN_LABELS[col.column]}` : ''}: ${text === 'н' ? `отсутствовал, ${reasonLabel(cell?.reason)}` : text || 'пусто'}${badge === '!' ? ', ошибка' : badge ? ', предупреждение' : ''}`;
}

export function periodCellLabel(s: Student, periodName: string | null, value: string | null, p: PeriodMarkProposal['students'][number] | undefined): string {
  return `${listName(s)}, ${periodName ?? 'период'}: ${value ?? 'не выставлена'}${p?.proposal ? `, предлагается ${p.proposal}` : ''}`;
}
