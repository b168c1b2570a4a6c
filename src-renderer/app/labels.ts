/** Short labels for the gradebook's narrow column headers; the full names come from src-shared/domain. */
import { WORK_TYPES, LESSON_KIND_LABELS, ABSENCE_REASON_LABELS, FINAL_TERM_LABELS, type WorkType, type LessonKind, type AbsenceReason, type FinalTerm } from '../../src-shared/domain/school';

export const WORK_TYPE_SHORT: Record<WorkType, string> = {
  lesson: '', oral: 'Уст.', homework: 'Д/з', independent: 'С/р', test: 'Пр.р.', control: 'К/р', monitoring: 'К/р вм', dictation: 'Дикт.',
  control_dictation: 'К/д', essay: 'Соч.', presentation: 'Изл.', creative: 'Твор.', credit: 'Зач.', practical: 'Пр/р', laboratory: 'Л/р',
  reading: 'Выр.чт.', project: 'Проект', online: 'Онл.', self_study: 'Сам.',
};

export const workTypeLabel = (wt: string | null | undefined) => (wt && wt in WORK_TYPES ? WORK_TYPES[wt as WorkType].label : 'Работа на уроке');
export const workTypeShort = (wt: string | null | undefined) => (wt && wt in WORK_TYPE_SHORT ? WORK_TYPE_SHORT[wt as WorkType] : '');
export const isThematic = (wt: string | null | undefined) => !!wt && wt in WORK_TYPES && WORK_TYPES[wt as WorkType].thematic;
export const lessonKindLabel = (k: string) => LESSON_KIND_LABELS[k as LessonKind] ?? k;
export const reasonLabel = (r: string | null | undefined) => (r ? ABSENCE_REASON_LABELS[r as AbsenceReason] ?? r : 'причина не указана');
export const REASON_SHORT: Record<AbsenceReason, string> = { illness: 'по болезни', valid: 'уважительная', unexcused: 'неуважительная' };

export function termLabel(term: string, periods: readonly { id: string; name: string }[]): string {
  if (term in FINAL_TERM_LABELS) return FINAL_TERM_LABELS[term as FinalTerm];
  return periods.find((p) => p.id === term)?.name ?? term;
}
