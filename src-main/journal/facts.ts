/**
 * The policy's view of the replica (src-shared/policy/facts.ts) in SQL, and the actor behind an
 * account. Cheap indexed lookups: the policy asks them for every op and every query.
 */
import { isOneTimeVerifier } from './one-time';
import type { PolicyFacts } from '../../src-shared/policy/facts';
import type { Actor } from '../../src-shared/policy/actor';
import type { Role } from '../../src-shared/domain/school';
import type { Journal } from './open';

export function policyFacts(j: Journal): PolicyFacts {
  return {
    lesson: (id) => j.stmt('SELECT course_id AS courseId FROM lesson WHERE id = ?').get(id) as { courseId: string } | undefined,
    course: (id) => {
      const r = j.stmt('SELECT group_id AS groupId, teacher_id AS teacherId FROM course WHERE id = ?').get(id) as { groupId: string; teacherId: string | null } | undefined;
      return r ? { groupId: r.groupId, ...(r.teacherId ? { teacherId: r.teacherId } : {}) } : undefined;
    },
    substitution: (lessonId) => j.stmt('SELECT teacher_id AS teacherId, recorded_at AS recordedAt FROM substitution WHERE lesson_id = ?').get(lessonId) as { teacherId: string; recordedAt: string } | undefined,
    groupClasses: (groupId) => j.stmt(`SELECT class_id FROM grp WHERE id = ? AND kind = 'class' AND class_id IS NOT NULL
      UNION SELECT DISTINCT s.class_id FROM group_member m JOIN student s ON s.id = m.student_id WHERE m.group_id = ? AND s.class_id IS NOT NULL`).pluck().all(groupId, groupId) as string[],
    classTeacherOf: (classId) => (j.stmt('SELECT class_teacher_id FROM class WHERE id = ?').pluck().get(classId) as string | null | undefined) ?? undefined,
    classOfStudent: (studentId) => (j.stmt('SELECT class_id FROM student WHERE id = ?').pluck().get(studentId) as string | null | undefined) ?? undefined,
    studentInGroup: (studentId, groupId) => !!j.stmt(`SELECT 1 FROM grp g WHERE g.id = ? AND (
        (g.kind = 'class' AND g.class_id = (SELECT class_id FROM student WHERE id = ?))
        OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = ?))`).get(groupId, studentId, studentId),
    teachesSubject: (staffId, yearId, subjectId, studentId) => !!j.stmt(`SELECT 1 FROM course c JOIN grp g ON g.id = c.group_id
      WHERE c.teacher_id = ? AND c.year_id = ? AND c.subject_id = ? AND (
        (g.kind = 'class' AND g.class_id = (SELECT class_id FROM student WHERE id = ?))
        OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = ?)) LIMIT 1`).get(staffId, yearId, subjectId, studentId, studentId),
    childrenOf: (parentId) => j.stmt('SELECT student_id FROM parent_student WHERE parent_id = ? ORDER BY student_id').pluck().all(parentId) as string[],
    accountRoles: (accountId) => {
      const r = j.stmt('SELECT roles FROM account WHERE id = ?').pluck().get(accountId) as string | undefined;
      return r === undefined ? undefined : (JSON.parse(r) as Role[]);
    },
    message: (id) => j.stmt('SELECT to_account AS "to" FROM message WHERE id = ?').get(id) as { to: string } | undefined,
    correction: (id) => j.stmt('SELECT requested_by AS requestedBy FROM correction WHERE id = ?').get(id) as { requestedBy: string } | undefined,
    announcement: (id) => j.stmt('SELECT author AS postedBy FROM announcement WHERE id = ?').get(id) as { postedBy: string } | undefined,
  };
}

/** The actor behind an account, or undefined when there is no such account. */
export function actorOf(j: Journal, accountId: string): Actor | undefined {
  const a = j.stmt('SELECT id, person_kind AS personKind, person_id AS personId, roles, blocked FROM account WHERE id = ?').get(accountId) as
    { id: string; personKind: string; personId: string; roles: string; blocked: number } | undefined;
  if (!a) return undefined;
  const roles = JSON.parse(a.roles) as Role[];
  return {
    accountId: a.id,
    roles,
    ...(a.personKind === 'staff' ? { staffId: a.personId } : {}),
    ...(a.personKind === 'student' ? { studentId: a.personId } : {}),
    ...(a.personKind === 'parent' ? { parentId: a.personId } : {}),
    parentOf: a.personKind === 'parent' ? (j.stmt('SELECT student_id FROM parent_student WHERE parent_id = ? ORDER BY student_id').pluck().all(a.personId) as string[]) : [],
    blocked: !!a.blocked,
  };
}

export function accountByLogin(j: Journal, login: string): { id: string; verifier: string | null; blocked: boolean } | undefined {
  const r = j.stmt('SELECT id, verifier, blocked FROM account WHERE login = ?').get(login) as { id: string; verifier: string | null; blocked: number } | undefined;
  return r ? { id: r.id, verifier: r.verifier, blocked: !!r.blocked } : undefined;
}

/** R-ACCOUNTS: the account signed in with a one-time password and has not chosen its own yet. */
export function mustChangePassword(j: Journal, accountId: string): boolean {
  return isOneTimeVerifier(j.stmt('SELECT verifier FROM account WHERE id = ?').pluck().get(accountId) as string | null | undefined);
}
