/**
 * Who may apply each operation kind (R-RBAC, п. 7.4). One rule per kind — the table is typed
 * `Record<OpKind, …>`, so a new kind does not compile until it is decided here.
 * A rule answers for all the actor's roles at once: allowed when any role (with its relation)
 * allows; otherwise one refusal that says who may.
 */
import type { OpKind, Payload } from '../ops/kinds';
import { classTeacherStaffId, hasRole, isFamilyOnly, isStaff, teacherStaffId } from './actor';
import { allow, forbidden, notFound, type Decision, type Refusal, type Requirement } from './decision';
import { isAdminOnlyForJournal, isOwnClass, isOwnClassStudent, lessonRelation, type Ctx } from './relations';
import { ADMIN_JOURNAL, CLASS_VIEW_READ_ONLY, LESSON_WORK, substitutionPending } from './refusals';

export type OpRule<K extends OpKind> = (c: Ctx, payload: Payload<K>) => Decision;

/** Set-up by role only (п. 9.6): no journal relation to check. */
function adminOnly(requirement: Requirement, clause: string, text: string) {
  const refusal = forbidden(requirement, clause, text);
  return (c: Ctx): Decision => (hasRole(c.actor, 'admin') ? allow() : refusal);
}

const SETTINGS = adminOnly('R-SETUP', 'п. 9.6', 'Системные параметры электронного журнала настраивает ответственный за техподдержку');
const CALENDAR = adminOnly('R-SETUP', 'п. 9.6', 'Учебный год, учебные периоды и каникулы настраивает ответственный за техподдержку');

const YEAR_CLOSE_REFUSAL = forbidden('R-YEAR-CLOSE', 'п. 12.1, 12.2', 'Учебный год закрывает (по проверке заместителя директора) и открывает вновь директор');
/**
 * R-YEAR-CLOSE (п. 12.1, 12.2): a `year.set` that changes `closed` — closing the year or opening
 * it again — is the director's; every other edit of a year stays the administrator's (R-SETUP).
 */
function yearSet(c: Ctx, p: Payload<'year.set'>): Decision {
  if (p.closed !== (c.facts.yearClosed(p.id) ?? false)) return hasRole(c.actor, 'director') ? allow() : YEAR_CLOSE_REFUSAL;
  return CALENDAR(c);
}
const SUBJECTS = adminOnly('R-SETUP', 'п. 9.6', 'Учебные предметы и учебный план ведёт ответственный за техподдержку');
const STAFF = adminOnly('R-SETUP', 'п. 9.6', 'Список педагогических работников ведёт ответственный за техподдержку');
const CLASSES = adminOnly('R-SETUP', 'п. 9.6', 'Классы и учебные группы ведёт ответственный за техподдержку');
const LOAD = adminOnly('R-SETUP', 'п. 9.6', 'Учебный план и нагрузку педагогических работников ведёт ответственный за техподдержку');
const ACCOUNTS = adminOnly('R-ACCOUNTS', 'п. 9.6', 'Учётные записи и профили пользователей ведёт ответственный за техподдержку');

/** R-ACCOUNTS (п. 10.1, 10.2): a person sets their own password; the administrator issues one-time ones. */
function ownPassword(c: Ctx, p: Payload<'account.password'>): Decision {
  return p.id === c.actor.accountId ? allow() : ACCOUNTS(c);
}

const TIMETABLE_REFUSAL = forbidden('R-SETUP', 'п. 7.12, 9.3, 9.6', 'Расписание ведут методист (ответственный за расписание) и ответственный за техподдержку');
function timetable(c: Ctx): Decision {
  return hasRole(c.actor, 'methodist', 'admin') ? allow() : TIMETABLE_REFUSAL;
}

const KTP_REFUSAL = forbidden('R-KTP', 'п. 6, 9.2, 9.6', 'Базу КТП ведут заместитель директора и ответственный за техподдержку');
function ktp(c: Ctx): Decision {
  return hasRole(c.actor, 'deputy', 'admin') ? allow() : KTP_REFUSAL;
}

const STUDENTS_REFUSAL = forbidden('R-SETUP', 'п. 9.4, 9.6', 'Список обучающихся класса вносят классный руководитель (своего класса) и ответственный за техподдержку');
const PARENTS_REFUSAL = forbidden('R-SETUP', 'п. 9.4, 9.6', 'Сведения о родителях обучающихся вносят классный руководитель (своего класса) и ответственный за техподдержку');

/**
 * R-CLASS-VIEW (п. 9.4): the class teacher enters the class's student list — a student who is
 * in their class (or in none yet) and stays in it. Moving a student to another class is the
 * administrator's (контингент, п. 9.6).
 */
function studentSet(c: Ctx, p: Payload<'student.set'>): Decision {
  if (hasRole(c.actor, 'admin')) return allow();
  if (classTeacherStaffId(c.actor) !== undefined && p.classId !== null && isOwnClass(c, p.classId)) {
    const current = c.facts.classOfStudent(p.id);
    if (current === undefined || isOwnClass(c, current)) return allow();
  }
  return STUDENTS_REFUSAL;
}

/** A parent with no linked children yet, or with a child in the class teacher's class. */
function parentSet(c: Ctx, p: Payload<'parent.set'>): Decision {
  if (hasRole(c.actor, 'admin')) return allow();
  if (classTeacherStaffId(c.actor) !== undefined) {
    const children = c.facts.childrenOf(p.id);
    if (children.length === 0 || children.some((s) => isOwnClassStudent(c, s))) return allow();
  }
  return PARENTS_REFUSAL;
}

function parentLink(c: Ctx, p: { studentId: string }): Decision {
  if (hasRole(c.actor, 'admin')) return allow();
  if (isOwnClassStudent(c, p.studentId)) return allow();
  return PARENTS_REFUSAL;
}

/**
 * Work on a lesson's page (marks, attendance, topic, homework): the course teacher, or the
 * substitute for this very lesson from the moment the substitution was recorded (R-SUBST).
 */
function lessonWork(c: Ctx, lessonId: string, refusal: Refusal): Decision {
  if (!hasRole(c.actor, 'teacher', 'class_teacher')) return isAdminOnlyForJournal(c.actor) ? ADMIN_JOURNAL : refusal;
  const rel = lessonRelation(c, lessonId);
  if (!rel) return notFound('lesson');
  if (rel.teacher || rel.substitute) return allow();
  if (rel.pendingSubstitution) return substitutionPending(rel.pendingSubstitution);
  if (rel.ownClasses.length > 0) return CLASS_VIEW_READ_ONLY;
  return refusal;
}

/** Only `status` (held / cancelled / moved) besides the id: the timetable side of a lesson. */
function onlyStatus(p: Payload<'lesson.update'>): boolean {
  return Object.entries(p).every(([k, v]) => k === 'id' || k === 'status' || v === undefined);
}

const LESSON_CREATE_REFUSAL = forbidden(
  'R-EXTRA', 'п. 7.12, 7.13, 9.3, 9.5',
  'Уроки в расписание вносит методист; учитель сам записывает только внеурочные занятия по своему предмету',
);
function lessonCreate(c: Ctx, p: Payload<'lesson.create'>): Decision {
  if (hasRole(c.actor, 'methodist')) return allow();
  const staff = teacherStaffId(c.actor);
  if (staff !== undefined && p.kind === 'extracurricular') {
    const course = c.facts.course(p.courseId);
    if (!course) return notFound('course');
    if (course.teacherId === staff) return allow();
  }
  return LESSON_CREATE_REFUSAL;
}

const SUBSTITUTION_REFUSAL = forbidden('R-SUBST', 'п. 7.12, 9.3', 'Замену уроков выставляет методист (ответственный за расписание)');
const MOVE_REFUSAL = forbidden('R-RBAC', 'п. 7.12, 9.3', 'Перенос уроков фиксирует методист (ответственный за расписание)');
const REMOVE_REFUSAL = forbidden('R-SETUP', 'п. 7.12, 9.3', 'Уроки, которых больше нет в расписании, убирает методист (ответственный за расписание)');

const ABSENCE_REFUSAL = forbidden('R-ABSENCE', 'п. 9.4', 'Причины пропусков отмечает классный руководитель — для обучающихся своего класса');
function absenceReason(c: Ctx, p: Payload<'absence.reason'>): Decision {
  if (!hasRole(c.actor, 'class_teacher')) return isAdminOnlyForJournal(c.actor) ? ADMIN_JOURNAL : ABSENCE_REFUSAL;
  if (!c.facts.lesson(p.lessonId)) return notFound('lesson');
  return p.entries.every((e) => isOwnClassStudent(c, e.studentId)) ? allow() : ABSENCE_REFUSAL;
}

const PERIOD_MARK_REFUSAL = forbidden(
  'R-RBAC', 'п. 7.12, 9.5',
  'Отметки за учебный период и год выставляет учитель, ведущий предмет у этих обучающихся; заменяющий учитель их не выставляет',
);
/** Period marks are per subject (no lesson): the course teacher of the subject for every student. */
function periodMark(c: Ctx, p: { yearId: string; subjectId: string }, studentIds: readonly string[]): Decision {
  const staff = teacherStaffId(c.actor);
  if (staff !== undefined && studentIds.every((s) => c.facts.teachesSubject(staff, p.yearId, p.subjectId, s))) return allow();
  if (isAdminOnlyForJournal(c.actor)) return ADMIN_JOURNAL;
  if (studentIds.some((s) => isOwnClassStudent(c, s))) return CLASS_VIEW_READ_ONLY;
  return PERIOD_MARK_REFUSAL;
}

const ATTESTATION_REFUSAL = forbidden(
  'R-NA', 'п. 7.14',
  'Об аттестации обучающегося, пропустившего более половины учебного времени, решает заместитель директора по УМР',
);

const PERIOD_CORRECTION_REFUSAL = forbidden(
  'R-CORRECTION', 'п. 7.14, 9.5',
  'Запрос на исправление отметки за период подаёт учитель, ведущий предмет у этого обучающегося',
);
function correctionRequest(c: Ctx, p: Payload<'correction.request'>): Decision {
  const t = p.target;
  if (t.kind === 'mark') return lessonWork(c, t.lessonId, LESSON_WORK.correction);
  const d = periodMark(c, t, [t.studentId]);
  return d === PERIOD_MARK_REFUSAL ? PERIOD_CORRECTION_REFUSAL : d;
}

const DECIDE_REFUSAL = forbidden(
  'R-CORRECTION', 'п. 7.14, 9.2',
  'Исправления согласует заместитель директора по УВР; итоговые отметки в 9 и 11 классах исправляются по распоряжению директора',
);
/**
 * R-CORRECTION: the deputy approves or declines; the director decides with an order reference
 * (R-FINAL-LOCK, grades 9 and 11 — which cells need the order is a rule, not policy). Nobody
 * approves their own request: the point of approval is a second person.
 */
function correctionDecide(c: Ctx, p: Payload<'correction.decide'>): Decision {
  const deputy = hasRole(c.actor, 'deputy');
  const director = hasRole(c.actor, 'director');
  if (!deputy && !director) return DECIDE_REFUSAL;
  const corr = c.facts.correction(p.id);
  if (!corr) return notFound('correction');
  if (corr.requestedBy === c.actor.accountId) {
    return forbidden('R-CORRECTION', 'п. 7.14, 9.2', 'Собственный запрос на исправление согласует другой сотрудник администрации');
  }
  if (deputy) return allow();
  if (p.orderRef !== undefined && p.orderRef !== '') return allow();
  return forbidden(
    'R-FINAL-LOCK', 'п. 7.14',
    'Директор решает исправление итоговой отметки по своему распоряжению — укажите номер распоряжения; остальные исправления согласует заместитель директора по УВР',
  );
}

const CONSENT_REFUSAL = forbidden(
  'R-CONSENT', 'п. 5.11, 9.2, 9.4, 9.6',
  'Согласие на обработку персональных данных и выбор формы дневника записывают сам родитель, классный руководитель его ребёнка, заместитель директора или ответственный за техподдержку (по заявлению семьи)',
);
function consentSet(c: Ctx, p: Payload<'consent.set'>): Decision {
  if (hasRole(c.actor, 'parent') && c.actor.parentId === p.parentId) return allow();
  // The administrator keeps the register (п. 9.6): a family's written choice, entered or loaded from a list.
  if (hasRole(c.actor, 'deputy', 'admin')) return allow();
  if (classTeacherStaffId(c.actor) !== undefined && c.facts.childrenOf(p.parentId).some((s) => isOwnClassStudent(c, s))) return allow();
  // Another parent's id is answered like a missing one (R-PRIVACY).
  return isFamilyOnly(c.actor) && hasRole(c.actor, 'parent') ? notFound('parent') : CONSENT_REFUSAL;
}

const ACK_REFUSAL = forbidden('R-ACK', 'п. 9.2, 9.4', 'Ознакомление с электронным дневником отмечает родитель (законный представитель) обучающегося');
/** R-ACK: the parent's act; a student does not acknowledge their own diary. */
function diaryAck(c: Ctx, p: Payload<'diary.ack'>): Decision {
  if (!hasRole(c.actor, 'parent')) return ACK_REFUSAL;
  if (c.actor.parentOf.includes(p.studentId)) return allow();
  return isFamilyOnly(c.actor) ? notFound('student') : ACK_REFUSAL;
}

const ANNOUNCE_REFUSAL = forbidden(
  'R-MESSAGES', 'п. 6, 9.2, 9.4',
  'Объявления публикуют директор и заместитель директора, классный руководитель — для своего класса',
);
function announcementPost(c: Ctx, p: Payload<'announcement.post'>): Decision {
  if (hasRole(c.actor, 'director', 'deputy')) return allow();
  if (p.audience.kind === 'class' && isOwnClass(c, p.audience.classId)) return allow();
  return ANNOUNCE_REFUSAL;
}

const ANNUL_REFUSAL = forbidden('R-MESSAGES', 'п. 6, 9.2', 'Снять объявление могут его автор, директор и заместитель директора');
function announcementAnnul(c: Ctx, p: Payload<'announcement.annul'>): Decision {
  if (hasRole(c.actor, 'director', 'deputy')) return allow();
  if (!isStaff(c.actor)) return ANNUL_REFUSAL;
  const a = c.facts.announcement(p.id);
  if (!a) return notFound('announcement');
  return a.postedBy === c.actor.accountId ? allow() : ANNUL_REFUSAL;
}

/**
 * R-MESSAGES (п. 6): staff write to anyone; a parent or a student writes to staff only. Another
 * family's account is answered like a missing one (R-PRIVACY).
 */
function messageSend(c: Ctx, p: Payload<'message.send'>): Decision {
  const roles = c.facts.accountRoles(p.to);
  if (!roles) return notFound('account');
  if (isStaff(c.actor)) return allow();
  return roles.some((r) => r !== 'parent' && r !== 'student') ? allow() : notFound('account');
}

function messageRead(c: Ctx, p: Payload<'message.read'>): Decision {
  return c.facts.message(p.id)?.to === c.actor.accountId ? allow() : notFound('message');
}

export const OP_RULES: { [K in OpKind]: OpRule<K> } = {
  // ── set-up (R-SETUP, п. 9.6) ──
  'school.set': SETTINGS,
  'setting.set': SETTINGS,
  'year.set': yearSet,
  'levelScheme.set': CALENDAR,
  'period.set': CALENDAR,
  'period.remove': CALENDAR,
  'holiday.set': CALENDAR,
  'holiday.remove': CALENDAR,
  'bell.set': timetable,
  'subject.set': SUBJECTS,
  'staff.set': STAFF,
  'student.set': studentSet,
  'parent.set': parentSet,
  'parent.link': parentLink,
  'parent.unlink': parentLink,
  'class.set': CLASSES,
  'group.set': CLASSES,
  'group.members': CLASSES,
  'course.set': LOAD,
  'course.remove': LOAD,
  'slot.set': timetable,
  'slot.remove': timetable,
  'ktp.set': ktp,
  'ktp.remove': ktp,
  // ── accounts (R-ACCOUNTS, R-BREACH) ──
  'account.set': ACCOUNTS,
  'account.password': ownPassword,
  'account.reset': ACCOUNTS,
  'account.block': ACCOUNTS,
  'breach.record': (c) => (hasRole(c.actor, 'director') ? allow() : forbidden('R-BREACH', 'п. 10.3, 10.4', 'Нарушение конфиденциальности учётной записи фиксирует директор')),
  // ── the journal ──
  'lesson.create': lessonCreate,
  'lesson.move': (c) => (hasRole(c.actor, 'methodist') ? allow() : MOVE_REFUSAL),
  'lesson.remove': (c) => (hasRole(c.actor, 'methodist') ? allow() : REMOVE_REFUSAL),
  'lesson.update': (c, p) => (hasRole(c.actor, 'methodist') && onlyStatus(p) ? allow() : lessonWork(c, p.id, LESSON_WORK.content)),
  'substitution.set': (c) => (hasRole(c.actor, 'methodist') ? allow() : SUBSTITUTION_REFUSAL),
  'substitution.remove': (c) => (hasRole(c.actor, 'methodist') ? allow() : SUBSTITUTION_REFUSAL),
  'homework.individual': (c, p) => lessonWork(c, p.lessonId, LESSON_WORK.homework),
  'mark.set': (c, p) => lessonWork(c, p.lessonId, LESSON_WORK.marks),
  'mark.annul': (c, p) => lessonWork(c, p.lessonId, LESSON_WORK.marks),
  'attendance.set': (c, p) => lessonWork(c, p.lessonId, LESSON_WORK.attendance),
  'absence.reason': absenceReason,
  'periodMark.set': (c, p) => periodMark(c, p, p.marks.map((m) => m.studentId)),
  'periodMark.annul': (c, p) => periodMark(c, p, p.studentIds),
  'attestation.decision': (c) => (hasRole(c.actor, 'deputy') ? allow() : ATTESTATION_REFUSAL),
  'correction.request': correctionRequest,
  'correction.decide': correctionDecide,
  // ── families and communication ──
  'consent.set': consentSet,
  'diary.ack': diaryAck,
  'announcement.post': announcementPost,
  'announcement.annul': announcementAnnul,
  'message.send': messageSend,
  'message.read': messageRead,
};
