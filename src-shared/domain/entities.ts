/**
 * The domain's entities (R-SETUP and the journal). Each is exactly what its upsert operation
 * carries — the op schemas in ops/kinds.ts are the single source of truth, so an entity and the
 * change that records it can never disagree.
 */
import type { Payload } from '../ops/kinds';

/** Школа. One school per journal file. */
export type School = Payload<'school.set'>;
/** Учебный год. */
export type SchoolYear = Payload<'year.set'>;
/** Which period scheme (четверти / триместры / полугодия) a level uses in a year. */
export type LevelScheme = Payload<'levelScheme.set'>;
/** Учебный период: четверть, триместр или полугодие. */
export type StudyPeriod = Payload<'period.set'>;
/** Каникулы (possibly for some grades only, e.g. extra holidays of grade 1). */
export type Holiday = Payload<'holiday.set'>;
/** Звонок: lesson number → start and end time. */
export type Bell = Payload<'bell.set'>;
/** Предмет. `code` selects subject-specific rules (п. 7.15). */
export type Subject = Payload<'subject.set'>;
/** Работник школы. */
export type Staff = Payload<'staff.set'>;
/** Обучающийся: class, individual plan, home schooling, medical group, PE exemption. */
export type Student = Payload<'student.set'>;
/** Родитель (законный представитель). */
export type Parent = Payload<'parent.set'>;
export type ParentLink = Payload<'parent.link'>;
/** Класс (5А). */
export type SchoolClass = Payload<'class.set'>;
/** Группа: the whole class, a subgroup, a profile group, an elective, a club, a project; may span classes. */
export type Group = Payload<'group.set'>;
/** A row of the curriculum with its teacher: group × subject × hours per week × teacher (учебный план + нагрузка). */
export type Course = Payload<'course.set'>;
/** A weekly timetable slot (main, extracurricular or additional timetable). */
export type TimetableSlot = Payload<'slot.set'>;
/** A КТП entry: lesson plan topic per subject and grade (R-KTP). */
export type LessonPlanEntry = Payload<'ktp.set'>;
/** Учётная запись with its roles (R-ROLES, R-ACCOUNTS). */
export type Account = Payload<'account.set'>;
/** R-BREACH: a reported password leak and the moment from which the account's ops are invalid. */
export type Breach = Payload<'breach.record'>;
/** Урок: a dated lesson of a course, with kind, topic, homework … (fields of lesson.create + lesson.update). */
export type Lesson = Payload<'lesson.create'> & Omit<Payload<'lesson.update'>, 'id'>;
/** Замена. */
export type Substitution = Payload<'substitution.set'>;
/** A current mark in one cell. */
export type Mark = Payload<'mark.set'>['marks'][number] & { lessonId: string };
/** An absence and, separately, its reason. */
export type Absence = Payload<'attendance.set'>['entries'][number] & { lessonId: string };
/** A period, annual, exam or final mark. */
export type PeriodMark = Payload<'periodMark.set'>['marks'][number] & Omit<Payload<'periodMark.set'>, 'marks'>;
/** R-CORRECTION. */
export type CorrectionRequest = Payload<'correction.request'>;
/** R-CONSENT: personal-data consent and the «paper instead of electronic diary» choice, with dates. */
export type Consent = Payload<'consent.set'>;
export type Announcement = Payload<'announcement.post'>;
export type Message = Payload<'message.send'>;
