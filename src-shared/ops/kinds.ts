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
import { BirthDate, Instant, LocalDate } from './dates';
import { lineText, multilineText } from './text';
import { isMarkValue, isPeriodMarkValue } from '../domain/marks';

const id = z.string().min(1, 'пустой идентификатор').max(64).regex(/^[A-Za-z0-9._:-]+$/, 'недопустимые символы в идентификаторе');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'время должно быть в виде ЧЧ:ММ');
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

/** «Нечего изменять»: a patch must carry at least one field besides the keys that name its target. */
function changesSomething(keys: readonly string[]) {
  return (p: Record<string, unknown>) => Object.keys(p).some((k) => !keys.includes(k) && p[k] !== undefined);
}
/** The empty-patch refusal of `lesson.update`, shared with the contract's input of the same name. */
export const lessonUpdateChanges = changesSomething(['id']);
export const LESSON_UPDATE_EMPTY = 'Нечего изменять: укажите хотя бы одно поле урока (тема, домашнее задание, вид урока, вид работы, КТП, № приказа, форма, статус, примечание)';

/**
 * How strictly a payload is judged.
 *
 * `new` — an op entering a log: a command on this computer, a contract call, a sync push. It must
 * pass today's input hygiene: clean text (`text.ts`), real calendar dates (`dates.ts`), a patch
 * that changes something, and no field its kind and version do not define (see below).
 *
 * `logged` — an op read back from a log that already accepted it (re-fold, the server's replica
 * catch-up, a pull): judged by the rules it was accepted under, so an op stored before the
 * hygiene rules existed still replays. A log that no longer replays is a school that cannot open
 * its journal; a refused op from then on is the fix, not rewriting history.
 *
 * Unknown fields: refused for a `new` op (`strictObject`), stripped for a `logged` one. Refusing
 * is safe for sync's forward compatibility because a payload's shape is fixed per `version`: a new
 * field needs a version bump (an older program would otherwise fold the op without the field and
 * its replica would drift), and an op of a newer version is refused as `unsupported_version`
 * before its payload is looked at (`parseOp`, `fromWire`) — kept pending on a school computer,
 * «обновите программу» from the server. So an unknown field in a known version is a client's
 * mistake (a misspelt `homeWork` would otherwise vanish silently), never a newer program's data.
 */
export type PayloadStrictness = 'new' | 'logged';

function opPayloads(strictness: PayloadStrictness) {
  const admit = strictness === 'new';
  const obj = <S extends z.ZodRawShape>(shape: S) => (admit
    ? z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `неизвестн${iss.keys.length > 1 ? 'ые поля' : 'ое поле'} ${iss.keys.map((k) => `«${k}»`).join(', ')}: у этой версии операции ${iss.keys.length > 1 ? 'их' : 'его'} нет` : iss.code === 'invalid_type' ? 'ожидается объект' : undefined) })
    : z.object(shape));
  // Before hygiene, text was only trimmed and cut to length; a logged op keeps exactly that.
  const legacy = (max: number, min = 0) => z.string().trim().max(max, `не длиннее ${max} символов`).min(min);
  const line = (label: string, max: number, min = 0) => (admit ? lineText(label, max, { min }) : legacy(max, min));
  const lines = (label: string, max: number, min = 0) => (admit ? multilineText(label, max, { min }) : legacy(max, min));
  const name = (label: string) => line(label, 80, 1);
  const date = admit ? LocalDate : z.string().refine(isLocalDate, 'дата должна быть в виде ГГГГ-ММ-ДД');
  const birthDate = admit ? BirthDate : date;
  const instant = admit ? Instant : z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'момент времени должен быть в формате ISO 8601');
  const patch = <T extends { refine: (check: (p: Record<string, unknown>) => boolean, message: string) => T }>(schema: T, check: (p: Record<string, unknown>) => boolean, message: string): T => (admit ? schema.refine(check, message) : schema);
  const verifier = admit
    ? z.string().max(300).regex(/^scrypt\$[\x21-\x7e]+$/, 'пароль хранится только как проверочное значение scrypt (видимые знаки ASCII)')
    : z.string().regex(/^scrypt\$/, 'пароль хранится только как проверочное значение scrypt');

  return {
    // ── set-up (R-SETUP) ──────────────────────────────────────────────────────────
    'school.set': obj({ name: name('Название школы'), fullName: line('Полное название школы', 300).optional(), address: line('Адрес школы', 300).optional(), timezone: line('Часовой пояс', 64).default('Europe/Moscow') }),
    'setting.set': obj({ key: z.string().regex(/^[a-z][A-Za-z0-9_.]{0,63}$/), value: z.json() }),
    'year.set': obj({ id, name: line('Название учебного года', 40, 1), starts: date, ends: date, closed: z.boolean().default(false) })
      .refine((y) => y.starts < y.ends, 'учебный год должен начинаться раньше, чем заканчивается'),
    'levelScheme.set': obj({ yearId: id, level: z.enum(LEVELS), scheme: z.enum(PERIOD_SCHEMES) }),
    'period.set': obj({ id, yearId: id, scheme: z.enum(PERIOD_SCHEMES), number: z.number().int().min(1).max(4), name: line('Название учебного периода', 40, 1), starts: date, ends: date })
      .refine((p) => p.starts <= p.ends, 'период должен начинаться не позже, чем заканчивается'),
    'period.remove': obj({ id }),
    'holiday.set': obj({ id, yearId: id, name: line('Название каникул', 80, 1), starts: date, ends: date, grades: z.array(z.number().int().min(1).max(11)).max(11).optional() })
      .refine((h) => h.starts <= h.ends, 'каникулы должны начинаться не позже, чем заканчиваются'),
    'holiday.remove': obj({ id }),
    'bell.set': obj({ yearId: id, number: z.number().int().min(0).max(12), starts: hhmm, ends: hhmm }),
    'subject.set': obj({ id, name: line('Название предмета', 120, 1), short: line('Краткое название предмета', 24, 1), code: z.enum(SUBJECT_CODES) }),
    'staff.set': obj({ id, lastName: name('Фамилия'), firstName: name('Имя'), middleName: line('Отчество', 80).optional(), position: line('Должность', 120).optional(), left: z.boolean().default(false) }),
    'student.set': obj({
      id, lastName: name('Фамилия'), firstName: name('Имя'), middleName: line('Отчество', 80).optional(), birthDate: birthDate.optional(), classId: id.nullable(),
      individualPlan: z.boolean().default(false), homeSchooling: z.boolean().default(false),
      medicalGroup: z.enum(MEDICAL_GROUPS).default('main'), peExemptUntil: date.optional(), left: date.optional(),
    }),
    'parent.set': obj({ id, lastName: name('Фамилия'), firstName: name('Имя'), middleName: line('Отчество', 80).optional(), phone: line('Телефон', 32).optional(), email: line('Электронная почта', 120).optional() }),
    'parent.link': obj({ parentId: id, studentId: id, relation: line('Степень родства', 40).optional() }),
    'parent.unlink': obj({ parentId: id, studentId: id }),
    'class.set': obj({ id, yearId: id, grade: z.number().int().min(1).max(11), letter: line('Буква класса', 4, 1), classTeacherId: id.optional() }),
    'group.set': obj({ id, yearId: id, name: line('Название группы', 80, 1), kind: z.enum(GROUP_KINDS), classId: id.optional() })
      .refine((g) => g.kind !== 'class' || g.classId !== undefined, 'группа «класс» должна ссылаться на класс'),
    'group.members': patch(obj({ groupId: id, add: z.array(id).default([]), remove: z.array(id).default([]) }),
      (g) => (g.add as unknown[]).length + (g.remove as unknown[]).length > 0, 'Нечего изменять: укажите, кого добавить в группу или исключить из неё'),
    'course.set': obj({ id, yearId: id, groupId: id, subjectId: id, teacherId: id.optional(), hoursPerWeek: z.number().min(0.5).max(12) }),
    'course.remove': obj({ id }),
    'slot.set': obj({ id, courseId: id, weekday: z.number().int().min(1).max(6), number: z.number().int().min(0).max(12), room: line('Кабинет', 20).optional(), validFrom: date, validTo: date.optional(), kind: z.enum(TIMETABLE_KINDS).default('main') }),
    'slot.remove': obj({ id }),
    'ktp.set': obj({ id, yearId: id, subjectId: id, grade: z.number().int().min(1).max(11), number: z.number().int().min(1).max(400), topic: line('Тема по КТП', 500, 1), hours: z.number().int().min(1).max(20).default(1) }),
    'ktp.remove': obj({ id }),
    // ── accounts (R-ACCOUNTS, R-BREACH) ─────────────────────────────────────────
    'account.set': obj({ id, login: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'логин: латинские буквы, цифры, точка, дефис'), personKind: z.enum(PERSON_KINDS), personId: id, roles: z.array(z.enum(ROLES)).min(1, 'у учётной записи должна быть хотя бы одна роль') }),
    'account.password': obj({ id, verifier }),
    /** A one-time password the administrator issued (R-ACCOUNTS): its owner must change it at the first sign-in. */
    'account.reset': obj({ id, verifier }),
    'account.block': obj({ id, blocked: z.boolean(), reason: line('Причина блокировки', 300).optional() }),
    'breach.record': obj({ id, accountId: id, from: instant, reportedAt: instant, note: lines('Примечание к нарушению', 1000).optional() }),
    // ── the journal (п. 7.14, 9.5) ─────────────────────────────────────────────────
    'lesson.create': obj({ id, courseId: id, date, number: z.number().int().min(0).max(12), kind: z.enum(LESSON_KINDS).default('regular'), topic: line('Тема урока', 500).optional(), workType: workType.optional() }),
    'lesson.move': obj({ id, date, number: z.number().int().min(0).max(12), reason: line('Причина переноса', 300).optional() }),
    /** R-SETUP (п. 7.12, 9.3): a planned lesson the timetable no longer has, removed while it is untouched (no entry of any kind). */
    'lesson.remove': obj({ id }),
    'lesson.update': patch(obj({
      id,
      topic: line('Тема урока', 500).nullable().optional(), ktpId: id.nullable().optional(), homework: lines('Домашнее задание', 2000).nullable().optional(),
      kind: z.enum(LESSON_KINDS).optional(), workType: workType.nullable().optional(), orderNo: line('Номер приказа', 40).nullable().optional(),
      form: line('Форма занятия', 120).nullable().optional(), status: z.enum(LESSON_STATUSES).optional(), note: lines('Примечание к уроку', 500).nullable().optional(),
    }), lessonUpdateChanges, LESSON_UPDATE_EMPTY),
    'substitution.set': obj({ lessonId: id, teacherId: id, reason: line('Причина замены', 300).optional() }),
    'substitution.remove': obj({ lessonId: id }),
    'homework.individual': obj({ lessonId: id, studentId: id, text: lines('Индивидуальное задание', 2000).nullable() }),
    'mark.set': obj({
      lessonId: id,
      marks: z.array(obj({ studentId: id, value: markValue, column: column.optional(), workType: workType.optional(), comment: line('Комментарий к отметке', 300).optional(), base: (admit ? lineText('Отметка, которую видел автор', 40) : z.string().max(40)).optional() })).min(1).max(200),
    }),
    'mark.annul': obj({ lessonId: id, marks: z.array(obj({ studentId: id, column: column.optional() })).min(1).max(200), reason: line('Причина аннулирования', 300).optional() }),
    'attendance.set': obj({ lessonId: id, entries: z.array(obj({ studentId: id, absent: z.boolean() })).min(1).max(200) }),
    'absence.reason': obj({ lessonId: id, entries: z.array(obj({ studentId: id, reason: z.enum(ABSENCE_REASONS).nullable() })).min(1).max(200) }),
    'periodMark.set': obj({ yearId: id, subjectId: id, term, marks: z.array(obj({ studentId: id, value: periodMarkValue })).min(1).max(200) }),
    'periodMark.annul': obj({ yearId: id, subjectId: id, term, studentIds: z.array(id).min(1).max(200) }),
    'attestation.decision': obj({ yearId: id, subjectId: id, term, studentId: id, attest: z.boolean(), note: lines('Обоснование решения об аттестации', 1000, 1) }),
    'correction.request': obj({ id, target: CellRef, value: (admit ? lineText('Новое значение', 8) : z.string().max(8)).nullable(), reason: admit ? multilineText('Причина исправления', 1000, { min: 1 }) : legacy(1000).min(1, 'укажите причину исправления') }),
    'correction.decide': obj({
      id, approved: z.boolean(), note: lines('Примечание к решению', 1000).optional(), orderRef: line('Реквизиты приказа', 80).optional(),
      /** R-FINAL-LOCK: the written explanations the director's order is based on (grades 9 and 11). */
      teacherExplanation: lines('Объяснение учителя', 4000).optional(), deputyExplanation: lines('Объяснение заместителя директора', 4000).optional(),
    }),
    // ── families and communication (R-CONSENT, R-ACK, R-MESSAGES) ─────────────────
    'consent.set': obj({ parentId: id, kind: z.enum(CONSENT_KINDS), value: z.enum(['given', 'refused', 'electronic', 'paper']), date }),
    'diary.ack': obj({ studentId: id }),
    'announcement.post': obj({ id, title: line('Заголовок объявления', 200, 1), body: lines('Текст объявления', 5000), audience: Audience }),
    'announcement.annul': obj({ id }),
    'message.send': obj({ id, to: id, body: lines('Текст сообщения', 5000, 1) }),
    'message.read': obj({ id }),
  } as const;
}

/** The payload of every kind, as a new op must be (`PayloadStrictness`). */
export const payloads = opPayloads('new');
/** The same kinds as a log that already accepted them is read back (`PayloadStrictness`). */
export const loggedPayloads: typeof payloads = opPayloads('logged');

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
    case 'lesson.create': case 'lesson.move': case 'lesson.update': case 'lesson.remove':
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
