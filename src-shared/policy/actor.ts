/** Who is asking (R-ROLES, п. 7.1, 9): one account, one person, possibly several roles. */
import type { Role } from '../domain/school';

export interface Actor {
  accountId: string;
  /** One person may hold several roles; a request is allowed when any of them allows it. */
  roles: readonly Role[];
  /** The person behind a staff account (course teacher, class teacher, substitute). */
  staffId?: string;
  /** The person behind a student account. */
  studentId?: string;
  /** The person behind a parent account (consent is recorded per parent, R-CONSENT). */
  parentId?: string;
  /** Students this parent represents (parent.link). Only read when the actor has the `parent` role. */
  parentOf: readonly string[];
  /** R-ACCOUNTS: a blocked account is refused everything. */
  blocked?: boolean;
}

/** Roles that work for the school. Everyone else is family (parent, student). */
export const STAFF_ROLES: readonly Role[] = ['director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin'];

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

export function isStaff(actor: Actor): boolean {
  return actor.roles.some((r) => STAFF_ROLES.includes(r));
}

/** Parent or student and nothing else: R-PRIVACY answers apply in full. */
export function isFamilyOnly(actor: Actor): boolean {
  return !isStaff(actor) && hasRole(actor, 'parent', 'student');
}

/** The students whose data the actor reaches as family: own children, and oneself as a student. */
export function familyStudents(actor: Actor): string[] {
  const ids: string[] = [];
  if (hasRole(actor, 'parent')) ids.push(...actor.parentOf);
  if (hasRole(actor, 'student') && actor.studentId !== undefined) ids.push(actor.studentId);
  return ids;
}

export function isOwnFamily(actor: Actor, studentId: string): boolean {
  return familyStudents(actor).includes(studentId);
}

/** The teacher acting on a lesson or a course: role `teacher` and a staff person. */
export function teacherStaffId(actor: Actor): string | undefined {
  return hasRole(actor, 'teacher') ? actor.staffId : undefined;
}

export function classTeacherStaffId(actor: Actor): string | undefined {
  return hasRole(actor, 'class_teacher') ? actor.staffId : undefined;
}
