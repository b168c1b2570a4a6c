/** The signed-in person (session.get) and the role they are working in right now. */
import { createContext, useContext } from 'react';
import type { SessionView } from '../../src-shared/contract/methods';
import type { Role } from '../../src-shared/domain/school';

export interface SessionState {
  session: SessionView;
  role: Role;
  setRole: (r: Role) => void;
  logout: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionContext is missing');
  return s;
}

export interface Section { id: string; label: string }

/** What each role works with (R-ROLES); a person with several roles switches between them. */
export const SECTIONS: Record<Role, Section[]> = {
  teacher: [{ id: 'journal', label: 'Журнал' }, { id: 'substitutions', label: 'Замены' }, { id: 'corrections', label: 'Запросы на исправление' }],
  class_teacher: [{ id: 'class', label: 'Мой класс' }, { id: 'attendance', label: 'Пропуски' }, { id: 'journal', label: 'Журнал класса' }, { id: 'register', label: 'Список класса' }],
  deputy: [{ id: 'journal', label: 'Журнал' }, { id: 'class', label: 'Классы' }, { id: 'attendance', label: 'Пропуски' }, { id: 'corrections', label: 'Запросы на исправление' }, { id: 'register', label: 'Контингент' }, { id: 'year-close', label: 'Закрытие года' }],
  director: [{ id: 'journal', label: 'Журнал' }, { id: 'class', label: 'Классы' }, { id: 'attendance', label: 'Пропуски' }, { id: 'corrections', label: 'Запросы на исправление' }, { id: 'register', label: 'Контингент' }, { id: 'accounts', label: 'Учётные записи' }, { id: 'year-close', label: 'Закрытие года' }],
  parent: [{ id: 'diary', label: 'Дневник' }],
  student: [{ id: 'diary', label: 'Дневник' }],
  methodist: [{ id: 'timetable', label: 'Расписание' }, { id: 'changes', label: 'Изменения' }],
  admin: [
    { id: 'accounts', label: 'Учётные записи' }, { id: 'register', label: 'Контингент' }, { id: 'school', label: 'Учебный год' },
    { id: 'structure', label: 'Классы и предметы' }, { id: 'curriculum', label: 'Учебный план' }, { id: 'import', label: 'Загрузка списков' },
  ],
};

/** The order a person's roles are offered in: the everyday work first. */
const ROLE_ORDER: Role[] = ['teacher', 'class_teacher', 'deputy', 'director', 'methodist', 'admin', 'parent', 'student'];
export const orderedRoles = (roles: readonly Role[]) => ROLE_ORDER.filter((r) => roles.includes(r));
