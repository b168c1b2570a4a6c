/**
 * Operation kinds: every change the journal allows is one of these (architecture.md: "every
 * change to the journal is an operation"). One zod schema per kind; `version` lets a payload
 * shape evolve (an op of an unknown kind/version is kept pending, never dropped).
 *
 * Payloads are compact on purpose (sync over 256 kbit/s links, a 1500-student year in ≤ 50 MB):
 * optional fields are omitted, batches share their lesson.
 */
import { z } from 'zod';
import {
  ABSENCE_REASONS, CONSENT_KINDS, FINAL_TERMS, GROUP_KINDS, LESSON_KINDS, LESSON_STATUSES, LEVELS, MARK_COLUMNS,
  MEDICAL_GROUPS, PERIOD_SCHEMES, PERSON_KINDS, ROLES, SUBJECT_CODES, TIMETABLE_KINDS, WORK_TYPE_CODES,
} from '../domain/school';
import { isLocalDate } from '../domain/values';
import { isMarkValue, isPeriodMarkValue } from '../domain/marks';

const id = z.string().min(1, 'пустой идентификатор').max(64).regex(/^[A-Za-z0-9._:-]+$/, 'недопустимые символы в идентификаторе');
const date = z.string().refine(isLocalDate, 'дата должна быть в виде ГГГГ-ММ-ДД');
const instant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'момент времени должен быть в формате ISO 8601');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'время должно быть в виде ЧЧ:ММ');
const text = (max: number) => z.string().trim().max(max, `не длиннее ${max} символов`);
const name = z.string().trim().min(1, 'пустое имя').max(80);
const markValue = z.string().refine(isMarkValue, 'отметка должна быть 5, 4, 3, 2, 1 или дробью вида 5/4');
const periodMarkValue = z.string().refine(isPeriodMarkValue, 'итоговая отметка: 5, 4, 3, 2, 1, «осв» или «н/а»');
const term = z.union([id, z.enum(FINAL_TERMS)]);
const workType = z.enum(WORK_TYPE_CODES as [string, ...string[]]);
const column = z.enum(MARK_COLUMNS);

/** A cell of the journal a correction may target (R-CORRECTION). */
export const CellRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mark'), lessonId: id, studentId: id, column: column.default('main') }),
  z.object({ kind: z.literal('periodMark'), yearId: id, subjectId: id, term, studentId: id }),
]);

const Audience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('school') }),
  z.object({ kind: z.literal('class'), classId: id }),
  z.object({ kind: z.literal('role'), role: z.enum(ROLES) }),
]);

export const payloads = {
  // ── set-up (R-SETUP) ──────────────────────────────────────────────────────────
  'school.set': z.object({ name: name, fullName: text(300).optional(), address: text(300).optional(), timezone: text(64).default('Europe/Moscow') }),
  'setting.set': z.object({ key: z.string().regex(/^[a-z][A-Za-z0-9_.]{0,63}$/), value: z.json() }),
  'year.set': z.object({ id, name: text(40).min(1), starts: date, ends: date, closed: z.boolean().default(false) })
    .refine((y) => y.starts < y.ends, 'учебный год должен начинаться раньше, чем заканчивается'),
  'levelScheme.set': z.object({ yearId: id, level: z.enum(LEVELS), scheme: z.enum(PERIOD_SCHEMES) }),
  'period.set': z.object({ id, yearId: id, scheme: z.enum(PERIOD_SCHEMES), number: z.number().int().min(1).max(4), name: text(40).min(1), starts: date, ends: date })
    .refine((p) => p.starts <= p.ends, 'период должен начинаться не позже, чем заканчивается'),
  'period.remove': z.object({ id }),
  'holiday.set': z.object({ id, yearId: id, name: text(80).min(1), starts: date, ends: date, grades: z.array(z.number().int().min(1).max(11)).optional() })
    .refine((h) => h.starts <= h.ends, 'каникулы должны начинаться не позже, чем заканчиваются'),
  'holiday.remove': z.object({ id }),
  'bell.set': z.object({ yearId: id, number: z.number().int().min(0).max(12), starts: hhmm, ends: hhmm }),
  'subject.set': z.object({ id, name: text(120).min(1), short: text(24).min(1), code: z.enum(SUBJECT_CODES) }),
  'staff.set': z.object({ id, lastName: name, firstName: name, middleName: text(80).optional(), position: text(120).optional(), left: z.boolean().default(false) }),
  'student.set': z.object({
    id, lastName: name, firstName: name, middleName: text(80).optional(), birthDate: date.optional(), classId: id.nullable(),
    individualPlan: z.boolean().default(false), homeSchooling: z.boolean().default(false),
    medicalGroup: z.enum(MEDICAL_GROUPS).default('main'), peExemptUntil: date.optional(), left: date.optional(),
  }),
  'parent.set': z.object({ id, lastName: name, firstName: name, middleName: text(80).optional(), phone: text(32).optional(), email: text(120).optional() }),
  'parent.link': z.object({ parentId: id, studentId: id, relation: text(40).optional() }),
  'parent.unlink': z.object({ parentId: id, studentId: id }),
  'class.set': z.object({ id, yearId: id, grade: z.number().int().min(1).max(11), letter: z.string().trim().min(1).max(4), classTeacherId: id.optional() }),
  'group.set': z.object({ id, yearId: id, name: text(80).min(1), kind: z.enum(GROUP_KINDS), classId: id.optional() })
    .refine((g) => g.kind !== 'class' || g.classId !== undefined, 'группа «класс» должна ссылаться на класс'),
  'group.members': z.object({ groupId: id, add: z.array(id).default([]), remove: z.array(id).default([]) }),
  'course.set': z.object({ id, yearId: id, groupId: id, subjectId: id, teacherId: id.optional(), hoursPerWeek: z.number().min(0.5).max(12) }),
  'course.remove': z.object({ id }),
  'slot.set': z.object({ id, courseId: id, weekday: z.number().int().min(1).max(6), number: z.number().int().min(0).max(12), room: text(20).optional(), validFrom: date, validTo: date.optional(), kind: z.enum(TIMETABLE_KINDS).default('main') }),
  'slot.remove': z.object({ id }),
  'ktp.set': z.object({ id, yearId: id, subjectId: id, grade: z.number().int().min(1).max(11), number: z.number().int().min(1).max(400), topic: text(500).min(1), hours: z.number().int().min(1).max(20).default(1) }),
  'ktp.remove': z.object({ id }),
  // ── accounts (R-ACCOUNTS, R-BREACH) ─────────────────────────────────────────
  'account.set': z.object({ id, login: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'логин: латинские буквы, цифры, точка, дефис'), personKind: z.enum(PERSON_KINDS), personId: id, roles: z.array(z.enum(ROLES)).min(1, 'у учётной записи должна быть хотя бы одна роль') }),
  'account.password': z.object({ id, verifier: z.string().regex(/^scrypt\$/, 'пароль хранится только как проверочное значение scrypt') }),
  'account.block': z.object({ id, blocked: z.boolean(), reason: text(300).optional() }),
  'breach.record': z.object({ id, accountId: id, from: instant, reportedAt: instant, note: text(1000).optional() }),
  // ── the journal (п. 7.14, 9.5) ─────────────────────────────────────────────────
  'lesson.create': z.object({ id, courseId: id, date, number: z.number().int().min(0).max(12), kind: z.enum(LESSON_KINDS).default('regular'), topic: text(500).optional(), workType: workType.optional() }),
  'lesson.move': z.object({ id, date, number: z.number().int().min(0).max(12), reason: text(300).optional() }),
  'lesson.update': z.object({
    id,
    topic: text(500).nullable().optional(), ktpId: id.nullable().optional(), homework: text(2000).nullable().optional(),
    kind: z.enum(LESSON_KINDS).optional(), workType: workType.nullable().optional(), orderNo: text(40).nullable().optional(),
    form: text(120).nullable().optional(), status: z.enum(LESSON_STATUSES).optional(), note: text(500).nullable().optional(),
  }),
  'substitution.set': z.object({ lessonId: id, teacherId: id, reason: text(300).optional() }),
  'substitution.remove': z.object({ lessonId: id }),
  'homework.individual': z.object({ lessonId: id, studentId: id, text: text(2000).nullable() }),
  'mark.set': z.object({
    lessonId: id,
    marks: z.array(z.object({ studentId: id, value: markValue, column: column.optional(), workType: workType.optional(), comment: text(300).optional(), base: z.string().max(40).optional() })).min(1).max(200),
  }),
  'mark.annul': z.object({ lessonId: id, marks: z.array(z.object({ studentId: id, column: column.optional() })).min(1).max(200), reason: text(300).optional() }),
  'attendance.set': z.object({ lessonId: id, entries: z.array(z.object({ studentId: id, absent: z.boolean() })).min(1).max(200) }),
  'absence.reason': z.object({ lessonId: id, entries: z.array(z.object({ studentId: id, reason: z.enum(ABSENCE_REASONS).nullable() })).min(1).max(200) }),
  'periodMark.set': z.object({ yearId: id, subjectId: id, term, marks: z.array(z.object({ studentId: id, value: periodMarkValue })).min(1).max(200) }),
  'periodMark.annul': z.object({ yearId: id, subjectId: id, term, studentIds: z.array(id).min(1).max(200) }),
  'attestation.decision': z.object({ yearId: id, subjectId: id, term, studentId: id, attest: z.boolean(), note: text(1000).min(1) }),
  'correction.request': z.object({ id, target: CellRef, value: z.string().max(8).nullable(), reason: text(1000).min(1, 'укажите причину исправления') }),
  'correction.decide': z.object({
    id, approved: z.boolean(), note: text(1000).optional(), orderRef: text(80).optional(),
    /** R-FINAL-LOCK: the written explanations the director's order is based on (grades 9 and 11). */
    teacherExplanation: text(4000).optional(), deputyExplanation: text(4000).optional(),
  }),
  // ── families and communication (R-CONSENT, R-ACK, R-MESSAGES) ─────────────────
  'consent.set': z.object({ parentId: id, kind: z.enum(CONSENT_KINDS), value: z.enum(['given', 'refused', 'electronic', 'paper']), date }),
  'diary.ack': z.object({ studentId: id }),
  'announcement.post': z.object({ id, title: text(200).min(1), body: text(5000), audience: Audience }),
  'announcement.annul': z.object({ id }),
  'message.send': z.object({ id, to: id, body: text(5000).min(1) }),
  'message.read': z.object({ id }),
} as const;

export type OpKind = keyof typeof payloads;
export type Payload<K extends OpKind> = z.output<(typeof payloads)[K]>;
export type PayloadInput<K extends OpKind> = z.input<(typeof payloads)[K]>;
export const OP_KINDS = Object.keys(payloads) as OpKind[];

/** The current version of every kind. A new payload shape bumps it (and keeps an upgrader). */
export const OP_VERSION: Record<OpKind, number> = Object.fromEntries(OP_KINDS.map((k) => [k, 1])) as Record<OpKind, number>;

export function isOpKind(k: string): k is OpKind {
  return Object.hasOwn(payloads, k);
}

/**
 * The journal scope an op touches, for a cell's history (R-AUDIT) and for conflict checks:
 * the lesson for lesson-level ops, `pm:year:subject:term` for period marks, the entity id for
 * set-up. `null` for school-wide settings.
 */
export function scopeOf(kind: OpKind, p: Record<string, unknown>): string | null {
  switch (kind) {
    case 'mark.set': case 'mark.annul': case 'attendance.set': case 'absence.reason':
    case 'homework.individual': case 'substitution.set': case 'substitution.remove':
      return p.lessonId as string;
    case 'lesson.create': case 'lesson.move': case 'lesson.update':
      return p.id as string;
    case 'periodMark.set': case 'periodMark.annul': case 'attestation.decision':
      return `pm:${p.yearId as string}:${p.subjectId as string}:${p.term as string}`;
    case 'correction.request': {
      const t = p.target as z.output<typeof CellRef>;
      return t.kind === 'mark' ? t.lessonId : `pm:${t.yearId}:${t.subjectId}:${t.term}`;
    }
    case 'school.set': case 'setting.set': case 'diary.ack':
      return null;
    case 'levelScheme.set': case 'bell.set':
      return p.yearId as string;
    case 'parent.link': case 'parent.unlink': case 'consent.set':
      return p.parentId as string;
    case 'group.members':
      return p.groupId as string;
    default:
      return (p.id as string | undefined) ?? null;
  }
}
