/**
 * What the policy answers (R-RBAC, п. 7.4): allow — with the scope a query's rows must be cut
 * to — or refuse with a code, the requirement, the clause and a Russian message that says why.
 */
import type { Role } from '../domain/school';

/** Requirement ids (requirements.md) a refusal can cite. */
export type Requirement =
  | 'R-RBAC' | 'R-ROLES' | 'R-PRIVACY' | 'R-SUBST' | 'R-CLASS-VIEW' | 'R-ACCOUNTS' | 'R-BREACH' | 'R-ACK'
  | 'R-CORRECTION' | 'R-NA' | 'R-SETUP' | 'R-IMPORT' | 'R-KTP' | 'R-CONSENT' | 'R-ABSENCE' | 'R-MESSAGES'
  | 'R-EXTRA' | 'R-FINAL-LOCK' | 'R-AUDIT' | 'R-SUMMARY' | 'R-WEEKLY-PAPER' | 'R-ANNUAL-PRINT'
  | 'R-YEAR-CLOSE' | 'R-ARCHIVE';

/**
 * How much of what a query names the actor may see. Ops are allowed whole or not at all and
 * carry no scope.
 * - `all`: everything the query names; `readOnly` when no role of the actor may change it
 *   (R-CLASS-VIEW, the deputy's and director's control, п. 9.2, 9.4) — a hint for the UI,
 *   every change is authorized again as an op.
 * - `classes`: only rows of students of these classes (a class teacher looking at a group that
 *   spans several classes) or only these classes (a family's timetable).
 * - `own`: only rows the account sent, received or requested (messages, own correction requests).
 * - `audience`: announcements addressed to the whole school, to these classes or to these roles.
 */
export type Scope =
  | { kind: 'all'; readOnly: boolean }
  | { kind: 'classes'; classIds: readonly string[]; readOnly: boolean }
  | { kind: 'own'; accountId: string }
  | { kind: 'audience'; classIds: readonly string[]; roles: readonly Role[] };

export interface Allow {
  allow: true;
  scope?: Scope;
}

export type RefusalCode = 'forbidden' | 'not_found' | 'blocked';

export interface Refusal {
  allow: false;
  code: RefusalCode;
  requirement: Requirement;
  /** «п. 7.12, 9.5» */
  clause: string;
  /** Russian, ends with the clause in brackets. */
  message: string;
}

export type Decision = Allow | Refusal;

export function allow(scope?: Scope): Allow {
  return scope ? { allow: true, scope } : { allow: true };
}

/** `text` says why, without the clause; the clause is appended in brackets. */
export function forbidden(requirement: Requirement, clause: string, text: string): Refusal {
  return { allow: false, code: 'forbidden', requirement, clause, message: `${text} (${clause})` };
}

/** What may be «not found». */
export type Entity = 'student' | 'parent' | 'lesson' | 'course' | 'account' | 'message' | 'correction' | 'announcement';

const NOT_FOUND_TEXT: Record<Entity, string> = {
  student: 'Обучающийся не найден или недоступен',
  parent: 'Родитель (законный представитель) не найден или недоступен',
  lesson: 'Урок не найден или недоступен',
  course: 'Предмет (курс) не найден или недоступен',
  account: 'Адресат не найден или недоступен',
  message: 'Сообщение не найдено или недоступно',
  correction: 'Запрос на исправление не найден или недоступен',
  announcement: 'Объявление не найдено или недоступно',
};

/**
 * R-PRIVACY (п. 5.11): a family asking for someone else's id gets exactly what a missing id
 * gets, so existence is not leaked. The journal answers a truly missing id with this same value.
 */
export function notFound(entity: Entity): Refusal {
  return { allow: false, code: 'not_found', requirement: 'R-PRIVACY', clause: 'п. 5.11', message: `${NOT_FOUND_TEXT[entity]} (п. 5.11)` };
}

export const BLOCKED: Refusal = {
  allow: false,
  code: 'blocked',
  requirement: 'R-ACCOUNTS',
  clause: 'п. 9.6, 10.1',
  message: 'Учётная запись заблокирована: обратитесь к ответственному за техподдержку электронного журнала (п. 9.6, 10.1)',
};
