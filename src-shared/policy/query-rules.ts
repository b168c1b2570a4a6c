/**
 * Who may read what (R-RBAC, п. 7.4; R-PRIVACY, п. 5.11). One rule per query name, typed
 * `Record<QueryName, …>`. An allowed query carries the scope its rows must be cut to.
 */
import type { Role } from '../domain/school';
import { hasRole, isFamilyOnly, isOwnFamily, isStaff, teacherStaffId } from './actor';
import { allow, forbidden, notFound, type Decision, type Refusal } from './decision';
import {
  familyClasses, isAdminOnlyForJournal, isOwnClass, isOwnClassStudent, isSchoolReader, lessonRelation, ownClassesOfGroup,
  type Ctx,
} from './relations';
import { ADMIN_JOURNAL, PRIVACY_LISTS, PRIVACY_TIMETABLE, substitutionPending } from './refusals';
import type { QueryName, QueryParams } from './queries';

export type QueryRule<Q extends QueryName> = (c: Ctx, params: QueryParams[Q]) => Decision;

const RW = allow({ kind: 'all', readOnly: false });
const RO = allow({ kind: 'all', readOnly: true });

/**
 * A class teacher reads a group of their class read-only (R-CLASS-VIEW); when the group spans
 * several classes, only the rows of their own class's students.
 */
function classView(c: Ctx, groupId: string): Decision | undefined {
  const own = ownClassesOfGroup(c, groupId);
  if (own.length === 0) return undefined;
  return own.length === c.facts.groupClasses(groupId).length ? RO : allow({ kind: 'classes', classIds: own, readOnly: true });
}

/** Journal pages (refused to families and to the administrator before anything is looked up). */
function journalGate(c: Ctx, refusal: Refusal): Refusal | undefined {
  if (isFamilyOnly(c.actor)) return PRIVACY_LISTS;
  if (isAdminOnlyForJournal(c.actor)) return ADMIN_JOURNAL;
  if (!hasRole(c.actor, 'teacher', 'class_teacher', 'deputy', 'director')) return refusal;
  return undefined;
}

const COURSE_READ_REFUSAL = forbidden(
  'R-RBAC', 'п. 7.4, 7.12, 9.4, 9.5',
  'Журнал предмета видят учитель, ведущий предмет, классный руководитель класса (без права редактирования), заместитель директора и директор; заменяющий учитель работает на странице замещаемого урока',
);
function courseRead(c: Ctx, courseId: string): Decision {
  const gate = journalGate(c, COURSE_READ_REFUSAL);
  if (gate) return gate;
  const course = c.facts.course(courseId);
  if (!course) return notFound('course');
  const staff = teacherStaffId(c.actor);
  if (staff !== undefined && course.teacherId === staff) return RW;
  if (isSchoolReader(c.actor)) return RO;
  return classView(c, course.groupId) ?? COURSE_READ_REFUSAL;
}

const LESSON_READ_REFUSAL = forbidden(
  'R-RBAC', 'п. 7.4, 7.12, 9.4, 9.5',
  'Страницу урока видят учитель, ведущий предмет, заменяющий его на этом уроке учитель, классный руководитель класса, заместитель директора и директор',
);
function lessonGet(c: Ctx, p: QueryParams['lesson.get']): Decision {
  const gate = journalGate(c, LESSON_READ_REFUSAL);
  if (gate) return gate;
  const rel = lessonRelation(c, p.lessonId);
  if (!rel) return notFound('lesson');
  if (rel.teacher || rel.substitute) return RW;
  if (isSchoolReader(c.actor)) return RO;
  const view = classView(c, rel.course.groupId);
  if (view) return view;
  if (rel.pendingSubstitution) return substitutionPending(rel.pendingSubstitution);
  return LESSON_READ_REFUSAL;
}

const HISTORY_REFUSAL = forbidden(
  'R-AUDIT', 'п. 5.11, 9.2, 9.4, 9.5',
  'Историю отметки видят учитель предмета, классный руководитель, администрация школы, сам обучающийся и его родители',
);
/**
 * R-AUDIT: the history of one cell. A family reaches only cells of its own students, and a
 * lesson cell only of a lesson the student belongs to; anything else — `not_found`, the same
 * answer as for a missing id.
 */
function cellHistory(c: Ctx, p: QueryParams['cell.history']): Decision {
  const staffDecision = isStaff(c.actor) ? cellHistoryForStaff(c, p) : undefined;
  if (staffDecision?.allow) return staffDecision;
  if (isOwnFamily(c.actor, p.studentId)) {
    if (p.kind === 'periodMark') return RO;
    const lesson = c.facts.lesson(p.lessonId);
    const course = lesson && c.facts.course(lesson.courseId);
    if (course && c.facts.studentInGroup(p.studentId, course.groupId)) return RO;
    if (!staffDecision) return notFound('lesson');
  }
  return staffDecision ?? notFound('student');
}

function cellHistoryForStaff(c: Ctx, p: QueryParams['cell.history']): Decision {
  if (isAdminOnlyForJournal(c.actor)) return ADMIN_JOURNAL;
  if (!hasRole(c.actor, 'teacher', 'class_teacher', 'deputy', 'director')) return HISTORY_REFUSAL;
  if (p.kind === 'mark') {
    const rel = lessonRelation(c, p.lessonId);
    if (!rel) return notFound('lesson');
    if (rel.teacher || rel.substitute) return RW;
    if (isSchoolReader(c.actor) || isOwnClassStudent(c, p.studentId)) return RO;
    if (rel.pendingSubstitution) return substitutionPending(rel.pendingSubstitution);
    return HISTORY_REFUSAL;
  }
  const staff = teacherStaffId(c.actor);
  if (staff !== undefined && c.facts.teachesSubject(staff, p.yearId, p.subjectId, p.studentId)) return RW;
  if (isSchoolReader(c.actor) || isOwnClassStudent(c, p.studentId)) return RO;
  return HISTORY_REFUSAL;
}

/**
 * A student's own data (diary, profile): school readers, the class teacher of the student's
 * class, the family. A family asking for anyone else gets `not_found` (R-PRIVACY).
 */
function studentRead(c: Ctx, studentId: string, refusal: Refusal, opts: { admin: boolean }): Decision {
  if (opts.admin && hasRole(c.actor, 'admin')) return RW;
  if (isSchoolReader(c.actor)) return RO;
  // The class teacher enters the class list (п. 9.4), so the profile is editable; the diary is not.
  if (isOwnClassStudent(c, studentId)) return opts.admin ? RW : RO;
  if (isOwnFamily(c.actor, studentId)) return RO;
  if (isFamilyOnly(c.actor)) return notFound('student');
  if (!opts.admin && isAdminOnlyForJournal(c.actor)) return ADMIN_JOURNAL;
  return refusal;
}

const DIARY_REFUSAL = forbidden(
  'R-RBAC', 'п. 5.11, 9.2, 9.4',
  'Дневник обучающегося видят сам обучающийся, его родители, классный руководитель, заместитель директора и директор',
);
const STUDENT_REFUSAL = forbidden(
  'R-RBAC', 'п. 5.11, 9.4, 9.6',
  'Сведения об обучающемся видят он сам, его родители, классный руководитель, администрация школы и ответственный за техподдержку',
);

/** Queries about one class: the class teacher of that class, the school readers, maybe the admin. */
function classRead(c: Ctx, classId: string | undefined, refusal: Refusal, opts: { admin: boolean; classTeacher: boolean }): Decision {
  if (isFamilyOnly(c.actor)) return PRIVACY_LISTS;
  if (opts.admin && hasRole(c.actor, 'admin')) return RW;
  if (opts.classTeacher && classId !== undefined && isOwnClass(c, classId)) return opts.admin ? RW : RO;
  if (isSchoolReader(c.actor)) return RO;
  if (!opts.admin && isAdminOnlyForJournal(c.actor)) return ADMIN_JOURNAL;
  return refusal;
}

const ROSTER_REFUSAL = forbidden('R-RBAC', 'п. 9.4, 9.6', 'Список класса видят классный руководитель этого класса, заместитель директора, директор и ответственный за техподдержку');
const SUMMARY_REFUSAL = forbidden('R-CLASS-VIEW', 'п. 7.9, 9.2, 9.4', 'Сводку успеваемости класса видят классный руководитель этого класса, заместитель директора и директор');
const WEEKLY_REFUSAL = forbidden('R-WEEKLY-PAPER', 'п. 7.2, 9.2, 9.4', 'Еженедельный отчёт для родителей печатают классный руководитель своего класса, заместитель директора и директор');
const ANNUAL_REFUSAL = forbidden('R-ANNUAL-PRINT', 'п. 9.2, 12.2', 'Журнал для ежегодной печати выводят заместитель директора и директор');
const SCHOOL_SUMMARY_REFUSAL = forbidden('R-SUMMARY', 'п. 7.9, 9.2, 9.4', 'Сводную ведомость школы видят заместитель директора и директор, классный руководитель — по своему классу');

const INBOX_REFUSAL = forbidden('R-CORRECTION', 'п. 7.14, 9.2', 'Запросы на исправление видят подавшие их учителя, заместитель директора и директор');
function correctionInbox(c: Ctx): Decision {
  if (isSchoolReader(c.actor)) return RW;
  if (hasRole(c.actor, 'teacher')) return allow({ kind: 'own', accountId: c.actor.accountId });
  return isFamilyOnly(c.actor) ? PRIVACY_LISTS : INBOX_REFUSAL;
}

/** Staff see every announcement; a family those for the school, its classes and its roles. */
function announcementsList(c: Ctx): Decision {
  if (isStaff(c.actor)) return RO;
  const roles: Role[] = c.actor.roles.filter((r) => r === 'parent' || r === 'student');
  return allow({ kind: 'audience', classIds: familyClasses(c), roles });
}

function timetableGet(c: Ctx, p: QueryParams['timetable.get']): Decision {
  if (isStaff(c.actor)) return hasRole(c.actor, 'methodist', 'admin') ? RW : RO;
  if (p.teacherId !== undefined) return PRIVACY_TIMETABLE;
  const classes = familyClasses(c);
  if (p.classId === undefined) return allow({ kind: 'classes', classIds: classes, readOnly: true });
  return classes.includes(p.classId) ? allow({ kind: 'classes', classIds: [p.classId], readOnly: true }) : PRIVACY_TIMETABLE;
}

function roleRead(roles: Role[], refusal: Refusal, writers: Role[] = []) {
  return (c: Ctx): Decision => {
    if (writers.some((r) => hasRole(c.actor, r))) return RW;
    if (roles.some((r) => hasRole(c.actor, r))) return RO;
    return isFamilyOnly(c.actor) ? PRIVACY_LISTS : refusal;
  };
}

// ── the journal on screen ──────────────────────────────────────────────────
const OWN = (c: Ctx): Decision => allow({ kind: 'own', accountId: c.actor.accountId });

const COURSES_REFUSAL = forbidden('R-RBAC', 'п. 7.4, 9.4, 9.5', 'Список предметов и классов журнала видят учителя, классные руководители, методист, заместитель директора и директор');
/** The course picker: school readers and the methodist see all; a teacher their own and their class's (`own`). */
function coursesList(c: Ctx): Decision {
  if (isFamilyOnly(c.actor)) return PRIVACY_LISTS;
  if (isSchoolReader(c.actor)) return RO;
  if (hasRole(c.actor, 'teacher', 'class_teacher')) return allow({ kind: 'own', accountId: c.actor.accountId });
  if (hasRole(c.actor, 'methodist')) return RO;
  return isAdminOnlyForJournal(c.actor) ? ADMIN_JOURNAL : COURSES_REFUSAL;
}

const ATTENDANCE_REFUSAL = forbidden('R-ABSENCE', 'п. 9.4', 'Пропуски класса за неделю видят и размечают классный руководитель этого класса; заместитель директора и директор — для контроля');
/** R-ABSENCE: the class teacher of this class relabels absences; school readers look. */
function attendanceWeek(c: Ctx, p: QueryParams['attendance.week']): Decision {
  if (isFamilyOnly(c.actor)) return PRIVACY_LISTS;
  if (isOwnClass(c, p.classId)) return RW;
  if (isSchoolReader(c.actor)) return RO;
  return isAdminOnlyForJournal(c.actor) ? ADMIN_JOURNAL : ATTENDANCE_REFUSAL;
}
// ── end of the journal on screen ──

export const QUERY_RULES: { [Q in QueryName]: QueryRule<Q> } = {
  'gradebook.get': (c, p) => courseRead(c, p.courseId),
  'periodMark.proposal': (c, p) => courseRead(c, p.courseId),
  'lesson.get': lessonGet,
  'cell.history': cellHistory,
  'diary.week': (c, p) => studentRead(c, p.studentId, DIARY_REFUSAL, { admin: false }),
  'student.get': (c, p) => studentRead(c, p.studentId, STUDENT_REFUSAL, { admin: true }),
  'class.roster': (c, p) => classRead(c, p.classId, ROSTER_REFUSAL, { admin: true, classTeacher: true }),
  'class.summary': (c, p) => classRead(c, p.classId, SUMMARY_REFUSAL, { admin: false, classTeacher: true }),
  'report.weekly': (c, p) => classRead(c, p.classId, WEEKLY_REFUSAL, { admin: false, classTeacher: true }),
  'report.annual': (c, p) => classRead(c, p.classId, ANNUAL_REFUSAL, { admin: false, classTeacher: false }),
  'report.summary': (c, p) => classRead(c, p.classId, SCHOOL_SUMMARY_REFUSAL, { admin: false, classTeacher: true }),
  'correction.inbox': correctionInbox,
  'breach.act': roleRead(['director'], forbidden('R-BREACH', 'п. 10.4', 'Акт о нарушении конфиденциальности составляют директор и ответственный за техподдержку'), ['admin']),
  'accounts.list': roleRead(['director'], forbidden('R-ACCOUNTS', 'п. 9.1, 9.6', 'Список учётных записей видят ответственный за техподдержку и директор'), ['admin']),
  'messages.list': (c) => allow({ kind: 'own', accountId: c.actor.accountId }),
  'announcements.list': announcementsList,
  'setup.get': roleRead(['director', 'deputy', 'methodist', 'class_teacher', 'teacher'], forbidden('R-SETUP', 'п. 9.6', 'Настройки школы видят работники школы'), ['admin']),
  'setup.export': roleRead([], forbidden('R-IMPORT', 'п. 9.6', 'Экспорт данных выполняет ответственный за техподдержку'), ['admin']),
  'timetable.get': timetableGet,
  // the journal on screen
  'session.get': OWN,
  'status.get': OWN,
  'courses.list': coursesList,
  'ktp.list': (c, p) => courseRead(c, p.courseId),
  'attendance.week': attendanceWeek,
  // setting a school up
  'accounts.manage': roleRead([], forbidden('R-ACCOUNTS', 'п. 9.6', 'Учётные записи и пароли выдаёт ответственный за техподдержку'), ['admin']),
  'import.template': (c) => QUERY_RULES['import.preview'](c, {}),
  // ── the timetable and the lessons ahead ──
  'timetable.manage': roleRead([], forbidden('R-SETUP', 'п. 7.12, 9.3', 'Уроки по расписанию формирует методист (ответственный за расписание)'), ['methodist']),
  'timetable.week': (c, p) => timetableGet(c, p),
  'substitutions.mine': (c) => (hasRole(c.actor, 'teacher', 'class_teacher') ? OWN(c) : isFamilyOnly(c.actor) ? PRIVACY_LISTS
    : forbidden('R-SUBST', 'п. 7.12', 'Замещаемые уроки видит заменяющий их учитель')),
  // ── closing the year and the archive ──
  'year.checklist': roleRead(['director', 'deputy'], forbidden('R-YEAR-CLOSE', 'п. 12.1', 'Готовность учебного года к закрытию проверяют заместитель директора и директор')),
  'year.manage': roleRead([], forbidden('R-YEAR-CLOSE', 'п. 12.1, 12.2', 'Учебный год закрывает (по проверке заместителя директора) и открывает вновь директор'), ['director']),
  'year.status': (c) => (isStaff(c.actor) ? RO : PRIVACY_LISTS),
  'import.preview': roleRead([], forbidden('R-IMPORT', 'п. 9.6', 'Загрузку списков из файлов выполняет ответственный за техподдержку'), ['admin']),
};
