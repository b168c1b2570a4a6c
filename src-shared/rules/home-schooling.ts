/**
 * R-HOME (п. 8.2): a home-schooled student's journal pages are in the «Обучение на дому» tab:
 * their marks (and absences) go only to home-schooling lessons, and a home-schooling lesson takes
 * entries only for home-schooled students.
 */
import type { RuleLesson, RuleStudent } from './inputs';
import { ok, refuse } from './verdict';
import type { Verdict } from './verdict';

/** R-HOME (п. 8.2): the student's kind of schooling matches the lesson's (`home` ↔ home-schooled). */
export function checkHomeSchooling(lesson: Pick<RuleLesson, 'kind'>, student: Pick<RuleStudent, 'homeSchooling'>, entry: 'mark' | 'absence' = 'mark'): Verdict {
  const what = entry === 'mark' ? 'Отметки' : 'Пропуски';
  if (student.homeSchooling && lesson.kind !== 'home') {
    return refuse('R-HOME', 'п. 8.2', `${what} обучающегося на дому вносятся во вкладке «Обучение на дому»`);
  }
  if (!student.homeSchooling && lesson.kind === 'home') {
    return refuse('R-HOME', 'п. 8.2', 'Во вкладке «Обучение на дому» ведутся страницы только обучающихся на дому');
  }
  return ok();
}
