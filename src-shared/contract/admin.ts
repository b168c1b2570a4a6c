/**
 * Setting a school up (R-SETUP, R-ACCOUNTS, R-BREACH, R-CONSENT; п. 9.1, 9.4, 9.6, 10): accounts,
 * the school year, classes and groups, subjects, the curriculum and teacher load, the pupils'
 * register. A method that does exactly what one op kind does has that kind's name and input
 * (the op's own schema: unknown fields and empty patches are refused here as in sync); the few
 * that do more — make a password, print slips — say so in their names.
 *
 * Ids of new records are chosen by the caller (the op's `id`): the UI makes them unique
 * (`newRecordId`), and a `.set` with an existing id edits that record, as the op does in sync.
 */
import { z } from 'zod';
import { payloads } from '../ops/kinds';
import { CONSENT_KINDS, GROUP_KINDS, LEVELS, MEDICAL_GROUPS, PERIOD_SCHEMES, PERSON_KINDS, ROLES, SUBJECT_CODES } from '../domain/school';
import { ChangeResult, CreatedResult, PrintedPdf } from './common';

const str = z.string();
const nstr = z.string().nullable();
const id = payloads['account.set'].shape.id;

/** How an account signs in: no password yet, a one-time password to be changed, or the owner's own. */
export const PASSWORD_STATES = ['none', 'one_time', 'own'] as const;

export const AccountList = z.object({
  accounts: z.array(z.object({
    id: str, login: str, personKind: z.enum(PERSON_KINDS), personId: str,
    /** «Фамилия Имя Отчество» of the person, or the login when the person is missing. */
    name: str,
    /** What the person is: a position, «родитель: Иванов Иван, 5А», «обучающийся 5А». */
    detail: nstr,
    roles: z.array(z.enum(ROLES)), blocked: z.boolean(), blockReason: nstr,
    password: z.enum(PASSWORD_STATES),
    /** R-BREACH: a breach is recorded; the account cannot sign in. */
    breach: z.boolean(),
  })),
  breaches: z.array(z.object({ id: str, accountId: str, from: str, reportedAt: str, note: nstr, recordedAt: str })),
});
export type AccountList = z.infer<typeof AccountList>;

const Year = z.object({ id: str, name: str, starts: str, ends: str, closed: z.boolean() });

/** The school as set up: the year and its calendar, the bell times, subjects, staff, classes, groups, courses. */
export const SetupView = z.object({
  school: z.object({ name: str, fullName: nstr, address: nstr, timezone: str }),
  years: z.array(Year),
  /** The year today falls in, or the latest one. */
  yearId: nstr,
  levelSchemes: z.array(z.object({ yearId: str, level: z.enum(LEVELS), scheme: z.enum(PERIOD_SCHEMES) })),
  periods: z.array(z.object({ id: str, yearId: str, scheme: z.enum(PERIOD_SCHEMES), number: z.number().int(), name: str, starts: str, ends: str })),
  holidays: z.array(z.object({ id: str, yearId: str, name: str, starts: str, ends: str, grades: z.array(z.number().int()).nullable() })),
  bells: z.array(z.object({ yearId: str, number: z.number().int(), starts: str, ends: str })),
  subjects: z.array(z.object({ id: str, name: str, short: str, code: z.enum(SUBJECT_CODES) })),
  staff: z.array(z.object({ id: str, lastName: str, firstName: str, middleName: nstr, position: nstr, left: z.boolean(), accountId: nstr, login: nstr, roles: z.array(z.enum(ROLES)) })),
  classes: z.array(z.object({ id: str, yearId: str, grade: z.number().int(), letter: str, name: str, classTeacherId: nstr, students: z.number().int() })),
  groups: z.array(z.object({ id: str, yearId: str, name: str, kind: z.enum(GROUP_KINDS), classId: nstr, memberIds: z.array(str) })),
  /** The curriculum and teacher load: a subject taught to a group, hours a week, by whom. */
  courses: z.array(z.object({ id: str, yearId: str, groupId: str, subjectId: str, teacherId: nstr, hoursPerWeek: z.number() })),
});
export type SetupView = z.infer<typeof SetupView>;

const Consent = z.object({ value: str, date: str }).nullable();

/** The pupils' register of one class (контингент): pupils, their groups and families (п. 9.4, 9.6; R-CONSENT). */
export const ClassRoster = z.object({
  class: z.object({ id: str, name: str, grade: z.number().int(), yearId: str, classTeacherName: nstr }),
  students: z.array(z.object({
    id: str, lastName: str, firstName: str, middleName: nstr, birthDate: nstr,
    individualPlan: z.boolean(), homeSchooling: z.boolean(), medicalGroup: z.enum(MEDICAL_GROUPS), peExemptUntil: nstr,
    /** The date the pupil left the school (history is kept), or null. */
    left: nstr,
    groups: z.array(z.object({ id: str, name: str })),
    accountId: nstr, login: nstr,
    parents: z.array(z.object({
      id: str, lastName: str, firstName: str, middleName: nstr, phone: nstr, email: nstr, relation: nstr,
      accountId: nstr, login: nstr,
      consents: z.object(Object.fromEntries(CONSENT_KINDS.map((k) => [k, Consent])) as Record<(typeof CONSENT_KINDS)[number], typeof Consent>),
    })),
  })),
  /** The scope's hint for the UI: every change is authorized again as an op. */
  readOnly: z.boolean(),
});
export type ClassRoster = z.infer<typeof ClassRoster>;

/**
 * Sign-in history of an account (R-ACCOUNTS, п. 10.3): a server's record, not the journal's, so
 * not a method of the contract — `GET /api/v1/accounts/:id/signins` on the web; a computer that
 * works alone keeps none.
 */
export const SigninHistory = z.object({
  logins: z.array(z.object({ at: str, kind: z.enum(['cookie', 'bearer', 'computer']), address: str, outcome: z.enum(['ok', 'wrong_password', 'blocked', 'breach']) })),
  computers: z.array(z.object({ at: str, deviceId: str, deviceName: nstr, method: z.enum(['online', 'offline']) })),
});
export type SigninHistory = z.infer<typeof SigninHistory>;

/** A new account's or a reset's one-time password: shown once, never stored in clear. */
const OneTimePassword = z.object({ login: str, password: str });

const op = <K extends keyof typeof payloads>(k: K) => ({ input: payloads[k], output: ChangeResult });

export const adminMethods = {
  // reads
  'accounts.list': { input: z.object({}).strict(), output: AccountList },
  'setup.get': { input: z.object({}).strict(), output: SetupView },
  'class.roster': { input: z.object({ classId: str }).strict(), output: ClassRoster },
  // the school and its year (п. 9.6)
  'school.set': op('school.set'),
  'year.set': op('year.set'),
  'levelScheme.set': op('levelScheme.set'),
  'period.set': op('period.set'),
  'period.remove': op('period.remove'),
  'holiday.set': op('holiday.set'),
  'holiday.remove': op('holiday.remove'),
  'bell.set': op('bell.set'),
  // subjects, staff, classes, groups, the curriculum and teacher load (п. 9.6)
  'subject.set': op('subject.set'),
  'staff.set': op('staff.set'),
  'class.set': op('class.set'),
  'group.set': op('group.set'),
  'group.members': op('group.members'),
  'course.set': op('course.set'),
  'course.remove': op('course.remove'),
  // the pupils' register and families (п. 9.4, 9.6; R-CONSENT п. 7.2)
  'student.set': op('student.set'),
  'parent.set': op('parent.set'),
  'parent.link': op('parent.link'),
  'parent.unlink': op('parent.unlink'),
  'consent.set': op('consent.set'),
  // accounts (п. 9.6, 10.1–10.4)
  'account.create': {
    input: z.strictObject({ personKind: z.enum(PERSON_KINDS), personId: id, roles: payloads['account.set'].shape.roles, login: payloads['account.set'].shape.login.optional() }),
    output: CreatedResult.extend(OneTimePassword.shape),
  },
  'account.set': op('account.set'),
  'account.block': op('account.block'),
  'account.reset': { input: z.strictObject({ id }), output: ChangeResult.extend(OneTimePassword.shape) },
  /** The owner's own password (п. 10.1): the current one, then the new one. */
  'account.password': { input: z.strictObject({ current: z.string().min(1, 'введите текущий пароль').max(200), next: z.string().min(1, 'введите новый пароль').max(200) }), output: ChangeResult },
  /** One-time passwords for a class's families that have no password yet (or all, `again`), as slips to cut (PDF). */
  'accounts.issue': {
    input: z.strictObject({
      classId: id, who: z.enum(['parents', 'students', 'families']).default('parents'), again: z.boolean().default(false),
      /** Where the diary opens, printed on each slip (the web UI sends its own address). */
      address: z.string().trim().max(200).regex(/^https?:\/\/[\x21-\x7e]+$/, 'адрес дневника: http:// или https:// и видимые знаки').optional(),
    }),
    output: PrintedPdf.extend({ accounts: z.number().int(), ops: z.number().int() }),
  },
  'breach.record': { input: payloads['breach.record'], output: ChangeResult },
} as const;
