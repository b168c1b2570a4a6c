/**
 * The relations of R-RBAC (п. 7.4): own lesson or course (course teacher), substituted lesson
 * (R-SUBST, п. 7.12), own class (class teacher, R-CLASS-VIEW, п. 9.4), own child (R-PRIVACY).
 */
import type { Instant } from '../domain/values';
import { classTeacherStaffId, familyStudents, hasRole, teacherStaffId, type Actor } from './actor';
import type { CourseFacts, PolicyFacts, SubstitutionFacts } from './facts';

export interface Ctx {
  actor: Actor;
  facts: PolicyFacts;
  /** ISO instant the request is decided at; the policy never reads a clock. */
  now: Instant;
}

/**
 * R-SUBST: access starts at the moment the substitution was recorded. Instants are compared as
 * times, not strings (offsets differ between devices); an unreadable instant opens nothing.
 */
export function reached(at: Instant, now: Instant): boolean {
  const a = Date.parse(at);
  const n = Date.parse(now);
  return Number.isFinite(a) && Number.isFinite(n) && a <= n;
}

export interface LessonRelation {
  course: CourseFacts;
  /** The actor teaches the course (role teacher, course.teacherId). */
  teacher: boolean;
  /** The actor substitutes on this very lesson and the substitution is recorded by `now`. */
  substitute: boolean;
  /** The actor is named substitute, but the substitution is not recorded yet at `now`. */
  pendingSubstitution?: SubstitutionFacts;
  /** Classes of the lesson's group whose class teacher the actor is. */
  ownClasses: string[];
}

/** Undefined when the lesson (or its course) does not exist. */
export function lessonRelation(c: Ctx, lessonId: string): LessonRelation | undefined {
  const lesson = c.facts.lesson(lessonId);
  if (!lesson) return undefined;
  const course = c.facts.course(lesson.courseId);
  if (!course) return undefined;
  const staff = teacherStaffId(c.actor);
  const teacher = staff !== undefined && course.teacherId === staff;
  let substitute = false;
  let pendingSubstitution: SubstitutionFacts | undefined;
  if (staff !== undefined && !teacher) {
    const sub = c.facts.substitution(lessonId);
    if (sub && sub.teacherId === staff) {
      if (reached(sub.recordedAt, c.now)) substitute = true;
      else pendingSubstitution = sub;
    }
  }
  const rel: LessonRelation = { course, teacher, substitute, ownClasses: ownClassesOfGroup(c, course.groupId) };
  if (pendingSubstitution) rel.pendingSubstitution = pendingSubstitution;
  return rel;
}

/** Classes of the group whose class teacher the actor is (empty for non-class-teachers). */
export function ownClassesOfGroup(c: Ctx, groupId: string): string[] {
  const staff = classTeacherStaffId(c.actor);
  if (staff === undefined) return [];
  return c.facts.groupClasses(groupId).filter((cls) => c.facts.classTeacherOf(cls) === staff);
}

export function isOwnClass(c: Ctx, classId: string): boolean {
  const staff = classTeacherStaffId(c.actor);
  return staff !== undefined && c.facts.classTeacherOf(classId) === staff;
}

/** The student is in a class the actor is class teacher of. */
export function isOwnClassStudent(c: Ctx, studentId: string): boolean {
  if (classTeacherStaffId(c.actor) === undefined) return false;
  const cls = c.facts.classOfStudent(studentId);
  return cls !== undefined && isOwnClass(c, cls);
}

/** Classes of the actor's own children (and of the actor as a student). */
export function familyClasses(c: Ctx): string[] {
  const out = new Set<string>();
  for (const s of familyStudents(c.actor)) {
    const cls = c.facts.classOfStudent(s);
    if (cls !== undefined) out.add(cls);
  }
  return [...out];
}

/** School-wide readers: the deputy's and the director's control (п. 9.1, 9.2). */
export function isSchoolReader(actor: Actor): boolean {
  return hasRole(actor, 'director', 'deputy');
}

/**
 * An administrator with no teaching or administration role besides: gets the explicit
 * «настраивает, но не читает отметки» refusal (п. 9.6) instead of the generic one.
 */
export function isAdminOnlyForJournal(actor: Actor): boolean {
  return hasRole(actor, 'admin') && !hasRole(actor, 'director', 'deputy', 'class_teacher', 'teacher');
}
