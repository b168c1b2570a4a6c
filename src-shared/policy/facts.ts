/**
 * The relations the policy needs, read synchronously from the replica (the journal implements
 * this with SQL; tests use an in-memory fake). Every method answers for the current state of
 * the replica; `undefined` means "no such row". Ids are the journal's ids; account ids are
 * `account.set` ids, staff / student / parent ids are person ids.
 */
import type { Role } from '../domain/school';
import type { Instant } from '../domain/values';

export interface CourseFacts {
  /** The group the course is taught to (a class group, a subgroup, a profile group …). */
  groupId: string;
  /** The course teacher (course.set teacherId); undefined while unassigned. */
  teacherId?: string;
}

export interface SubstitutionFacts {
  /** Staff id of the substitute. */
  teacherId: string;
  /** When the methodist recorded the substitution (the op's accepted time, R-SUBST п. 7.12). */
  recordedAt: Instant;
}

export interface PolicyFacts {
  /** The lesson's course. */
  lesson(lessonId: string): { courseId: string } | undefined;
  course(courseId: string): CourseFacts | undefined;
  /** The substitution recorded for the lesson, if any (substitution.set, not removed). */
  substitution(lessonId: string): SubstitutionFacts | undefined;
  /** Classes whose students are members of the group (one for a class group or a subgroup). */
  groupClasses(groupId: string): readonly string[];
  /** Staff id of the class teacher (class.set classTeacherId). */
  classTeacherOf(classId: string): string | undefined;
  /** The student's current class; undefined when unknown or not in a class. */
  classOfStudent(studentId: string): string | undefined;
  studentInGroup(studentId: string, groupId: string): boolean;
  /**
   * Whether `staffId` is the teacher of a course of that year and subject whose group has the
   * student — the relation for period marks (R-ATTEST, п. 9.5), which are kept per subject.
   */
  teachesSubject(staffId: string, yearId: string, subjectId: string, studentId: string): boolean;
  /** Students linked to the parent (parent.link). */
  childrenOf(parentId: string): readonly string[];
  /** Roles of an account; undefined when there is no such account. */
  accountRoles(accountId: string): readonly Role[] | undefined;
  /** Recipient account of a direct message. */
  message(messageId: string): { to: string } | undefined;
  /** Account that requested the correction (correction.request author). */
  correction(correctionId: string): { requestedBy: string } | undefined;
  /** Account that posted the announcement. */
  announcement(announcementId: string): { postedBy: string } | undefined;
  /** Whether the school year is closed (R-YEAR-CLOSE, п. 12.1); undefined when there is no such year. */
  yearClosed(yearId: string): boolean | undefined;
}
