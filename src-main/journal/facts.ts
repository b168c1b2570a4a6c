/**
 * The policy's view of the replica (src-shared/policy/facts.ts), and the actor behind an account.
 * Cheap indexed lookups (tables/, prepared once per journal): the policy asks them for every op
 * and every query.
 */
import { isOneTimeVerifier } from './one-time';
import type { PolicyFacts } from '../../src-shared/policy/facts';
import type { Actor } from '../../src-shared/policy/actor';
import type { Role } from '../../src-shared/domain/school';
import type { Journal } from './open';
import { accountActor, accountByLogin as accountRow, accountRoles, accountVerifier } from './tables/accounts';
import { announcementPoster, messageRecipient } from './tables/families';
import { lessonCourseId, substitutionOf } from './tables/lessons';
import { correctionRequester } from './tables/marks';
import { childIdsOfParent, studentClassId } from './tables/people';
import { classesOfGroup, classTeacherOf, courseGroupAndTeacher, studentInGroup, teachesSubject } from './tables/structure';

const parseRoles = (json: string) => JSON.parse(json) as Role[];

export function policyFacts(j: Journal): PolicyFacts {
  return {
    lesson: (id) => {
      const courseId = lessonCourseId(j, id);
      return courseId === undefined ? undefined : { courseId };
    },
    course: (id) => {
      const r = courseGroupAndTeacher(j, id);
      return r ? { groupId: r.groupId, ...(r.teacherId ? { teacherId: r.teacherId } : {}) } : undefined;
    },
    substitution: (lessonId) => substitutionOf(j, lessonId),
    groupClasses: (groupId) => classesOfGroup(j, groupId),
    classTeacherOf: (classId) => classTeacherOf(j, classId) ?? undefined,
    classOfStudent: (studentId) => studentClassId(j, studentId) ?? undefined,
    studentInGroup: (studentId, groupId) => studentInGroup(j, studentId, groupId),
    teachesSubject: (staffId, yearId, subjectId, studentId) => teachesSubject(j, staffId, yearId, subjectId, studentId),
    childrenOf: (parentId) => childIdsOfParent(j, parentId),
    accountRoles: (accountId) => {
      const r = accountRoles(j, accountId);
      return r === undefined ? undefined : parseRoles(r);
    },
    message: (id) => {
      const to = messageRecipient(j, id);
      return to === undefined ? undefined : { to };
    },
    correction: (id) => {
      const requestedBy = correctionRequester(j, id);
      return requestedBy === undefined ? undefined : { requestedBy };
    },
    announcement: (id) => {
      const postedBy = announcementPoster(j, id);
      return postedBy === undefined ? undefined : { postedBy };
    },
    yearClosed: (id) => {
      const closed = j.stmt('SELECT closed FROM year WHERE id = ?').pluck().get(id) as number | undefined;
      return closed === undefined ? undefined : closed !== 0;
    },
  };
}

/** The actor behind an account, or undefined when there is no such account. */
export function actorOf(j: Journal, accountId: string): Actor | undefined {
  const a = accountActor(j, accountId);
  if (!a) return undefined;
  return {
    accountId: a.id,
    roles: parseRoles(a.roles),
    ...(a.personKind === 'staff' ? { staffId: a.personId } : {}),
    ...(a.personKind === 'student' ? { studentId: a.personId } : {}),
    ...(a.personKind === 'parent' ? { parentId: a.personId } : {}),
    parentOf: a.personKind === 'parent' ? childIdsOfParent(j, a.personId) : [],
    blocked: a.blocked,
  };
}

export function accountByLogin(j: Journal, login: string): { id: string; verifier: string | null; blocked: boolean } | undefined {
  const r = accountRow(j, login);
  return r ? { id: r.id, verifier: r.verifier, blocked: r.blocked } : undefined;
}

/** R-ACCOUNTS: the account signed in with a one-time password and has not chosen its own yet. */
export function mustChangePassword(j: Journal, accountId: string): boolean {
  return isOneTimeVerifier(accountVerifier(j, accountId));
}
