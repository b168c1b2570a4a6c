/**
 * An in-memory `PolicyFacts` for tests (here and in the journal's tests, which check that the SQL
 * implementation answers like this one). Built from a plain description of a school.
 */
import type { Role } from '../domain/school';
import type { CourseFacts, PolicyFacts, SubstitutionFacts } from './facts';

export interface FakeSchool {
  courses: Record<string, CourseFacts & { yearId: string; subjectId: string }>;
  lessons: Record<string, { courseId: string }>;
  substitutions?: Record<string, SubstitutionFacts>;
  /** Group id → member student ids. */
  groups: Record<string, readonly string[]>;
  /** Class id → class teacher's staff id. */
  classTeachers: Record<string, string | undefined>;
  /** Student id → class id. */
  studentClass: Record<string, string | undefined>;
  /** Parent id → children's student ids. */
  children?: Record<string, readonly string[]>;
  accounts?: Record<string, readonly Role[]>;
  messages?: Record<string, { to: string }>;
  corrections?: Record<string, { requestedBy: string }>;
  announcements?: Record<string, { postedBy: string }>;
  /** Year id → closed (R-YEAR-CLOSE). */
  years?: Record<string, { closed: boolean }>;
}

export function fakeFacts(s: FakeSchool): PolicyFacts {
  const own = <T>(r: Record<string, T> | undefined, k: string): T | undefined => (r && Object.hasOwn(r, k) ? r[k] : undefined);
  const members = (groupId: string): readonly string[] => own(s.groups, groupId) ?? [];
  return {
    lesson: (id) => own(s.lessons, id),
    course: (id) => own(s.courses, id),
    substitution: (lessonId) => own(s.substitutions, lessonId),
    groupClasses: (groupId) => [...new Set(members(groupId).map((st) => own(s.studentClass, st)).filter((c) => c !== undefined))],
    classTeacherOf: (classId) => own(s.classTeachers, classId),
    classOfStudent: (studentId) => own(s.studentClass, studentId),
    studentInGroup: (studentId, groupId) => members(groupId).includes(studentId),
    teachesSubject: (staffId, yearId, subjectId, studentId) =>
      Object.values(s.courses).some((c) => c.teacherId === staffId && c.yearId === yearId && c.subjectId === subjectId && members(c.groupId).includes(studentId)),
    childrenOf: (parentId) => own(s.children, parentId) ?? [],
    accountRoles: (accountId) => own(s.accounts, accountId),
    message: (id) => own(s.messages, id),
    correction: (id) => own(s.corrections, id),
    announcement: (id) => own(s.announcements, id),
    yearClosed: (id) => own(s.years, id)?.closed,
  };
}
