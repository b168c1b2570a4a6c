/**
 * Refusals that several rules share. Each says who may do the thing and cites the clause, so the
 * teacher, the server log and a printed act all explain the same way.
 */
import { forbidden, type Refusal } from './decision';
import type { SubstitutionFacts } from './facts';

export const NO_ROLES: Refusal = forbidden('R-ROLES', 'п. 7.4', 'У учётной записи нет ни одной роли: права назначает ответственный за техподдержку');

/** п. 9.6: the technical administrator sets the journal up; he does not keep or read it. */
export const ADMIN_JOURNAL: Refusal = forbidden(
  'R-RBAC', 'п. 7.4, 9.6',
  'Ответственный за техподдержку настраивает электронный журнал, но не выставляет и не просматривает отметки, пропуски, записи уроков и дневники обучающихся',
);

/** R-CLASS-VIEW: a class teacher reads every subject of the class, without editing. */
export const CLASS_VIEW_READ_ONLY: Refusal = forbidden(
  'R-CLASS-VIEW', 'п. 9.4',
  'Классный руководитель просматривает журнал своего класса по всем предметам без права редактирования',
);

/** R-PRIVACY: lists and journal pages carry other students' personal data. */
export const PRIVACY_LISTS: Refusal = forbidden(
  'R-PRIVACY', 'п. 5.11',
  'Родителям и обучающимся не показываются списки, сводки, отчёты и страницы журнала: в них персональные данные других обучающихся; сведения о своём ребёнке — в электронном дневнике',
);

export const PRIVACY_TIMETABLE: Refusal = forbidden(
  'R-PRIVACY', 'п. 5.11, 7.3',
  'Родителям и обучающимся доступно расписание только своего класса (класса своего ребёнка)',
);

export function substitutionPending(sub: SubstitutionFacts): Refusal {
  return forbidden(
    'R-SUBST', 'п. 7.12',
    `Доступ заменяющего учителя к уроку открывается с момента записи замены методистом (замена записана ${sub.recordedAt})`,
  );
}

/** The who-may texts of lesson work (п. 7.12, 9.5). */
export const LESSON_WORK = {
  marks: forbidden('R-RBAC', 'п. 7.12, 9.5', 'Отметки выставляет учитель, ведущий предмет, или заменяющий его учитель'),
  attendance: forbidden('R-RBAC', 'п. 7.12, 9.5', 'Отсутствующих на уроке отмечает учитель, ведущий предмет, или заменяющий его учитель'),
  content: forbidden(
    'R-RBAC', 'п. 7.12, 9.3, 9.5',
    'Тему, домашнее задание и вид работы на уроке записывает учитель, ведущий предмет, или заменяющий его учитель; методист меняет только состояние урока в расписании',
  ),
  homework: forbidden('R-RBAC', 'п. 7.12, 9.5', 'Индивидуальное домашнее задание задаёт учитель, ведущий предмет, или заменяющий его учитель'),
  correction: forbidden('R-CORRECTION', 'п. 7.12, 7.14, 9.5', 'Запрос на исправление отметки подаёт учитель, ведущий предмет, или заменяющий его учитель'),
} as const;
