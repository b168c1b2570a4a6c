/**
 * School-level settings of the rules. DEFAULT_RULE_SETTINGS holds the regulation's values
 * (regulation.ru.txt, п. 7.14, 9.5); where the regulation leaves a choice to the school (weights of
 * control works, rounding, time zone) the default is stated here and in docs/rules.md.
 * The administrator changes them through RuleSettingsSchema, which fills every missing field
 * from the defaults and explains a bad value in Russian.
 */
import { z } from 'zod';
import { ROLES, SUBJECT_CODES, WORK_TYPES, WORK_TYPE_CODES } from '../domain/school';
import type { Role, SubjectCode, WorkType } from '../domain/school';
import { isValidTimeZone } from './local-time';

/** `MM-DD`, a day of the school year's calendar. */
export type MonthDay = string;

export interface GradeRange {
  from: number;
  to: number;
}

export interface RuleSettings {
  /**
   * The school's time zone: IANA name or fixed offset `±HH:MM`. Decides which study day an
   * instant falls on. Default `Asia/Anadyr` (UTC+12): the regulation's school is in Chukotka.
   */
  timeZone: string;
  /** R-ADAPTATION (п. 7.14): no 2/1 for lessons dated `from`…`to` inclusive, in `grades`. */
  adaptation: { from: MonthDay; to: MonthDay; grades: number[] };
  /** R-DATE (п. 9.5): entry windows, in calendar days after the lesson's date. */
  entryWindows: {
    /** Creative works in Russian and literature, grades 5–9: «не позднее, чем через неделю». */
    creativeDays: number;
    creativeGrades: GradeRange;
    creativeSubjects: SubjectCode[];
    creativeWorkTypes: WorkType[];
    /** Essays in grades 10–11: «не позднее, чем через 10 дней». */
    essayDays: number;
    essayGrades: GradeRange;
    essayWorkTypes: WorkType[];
    /** Internal-monitoring control works: «в течение 3 дней со дня её проведения». */
    monitoringDays: number;
    monitoringWorkTypes: WorkType[];
  };
  /** R-SOFT-WARN (п. 7.14). */
  softWarn: {
    /** A run of this many (or more) consecutive missed lessons is a long absence. */
    missedLessons: number;
    /** How many first attended lessons after a long absence or holidays get the warning. */
    firstLessons: number;
    afterHolidays: boolean;
  };
  /** R-DENSITY (п. 7.14). */
  density: {
    /** Each student is assessed at least once in every `windowLessons` consecutive attended lessons. */
    windowLessons: number;
    /** Marks in a period ≥ this share of its lessons. */
    minShare: number;
  };
  /** R-ATTEST, R-NA (п. 7.14). */
  attestation: {
    /** Minimum marks for a period mark by weekly hours: < 2 h, 2 to < 3 h, 3 h and more. */
    minMarks: { oneHour: number; twoHours: number; threePlus: number; threePlusValidAbsence: number };
    /** Weight of each mark in the period mean, by work type. */
    weights: Record<WorkType, number>;
    /** Weight of a mark without a work type. */
    untypedWeight: number;
    /** The fractional part of the mean at which it rounds up: 0.5 → 3.5 gives 4; 0.6 → 3.5 gives 3. */
    roundingThreshold: number;
    /** Weight of the intermediate attestation mark in the annual mean (period marks weigh 1 each). */
    intermediateWeight: number;
    /** «Более половины»: missed share strictly above this → «н/а» proposed. */
    naMissedShare: number;
  };
  /** R-ATTEST-TIMING (п. 9.5): period marks in the last `lastWeekDays` days of the period. */
  attestationTiming: { lastWeekDays: number };
  /** R-HOMEWORK (п. 9.5): homework later than this after the students' last lesson is flagged. */
  homework: { graceMinutes: number };
  /** R-CORRECTION (п. 7.14, 9.2): roles that approve a correction request. */
  /**
   * `ownFixMinutes`: the author may change or annul their OWN mark within this many minutes of
   * entering it without a request (a typo, Ctrl+Z in the grid); 0 turns it off. Our reading of
   * п. 7.14 «в случае ошибочного выставления…»: a slip noticed at once is not yet a correction.
   */
  correction: { approvers: Role[]; ownFixMinutes: number };
  /**
   * R-ACCOUNTS (п. 9.6), docs/security.md: which roles may enrol a school computer for sync.
   * Staff roles only — a parent or a pupil never enrols, whatever is set. Default: every staff
   * role (a rural school's teacher sets up the computer in their own classroom).
   */
  sync: { enrolRoles: Role[] };
}

/** The defaults are shared by every caller: frozen, so no caller changes them for the others. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** R-ATTEST (п. 7.14): thematic control works (WORK_TYPES[…].thematic) weigh 2 by default, every other mark 1. */
export const DEFAULT_WEIGHTS: Record<WorkType, number> = deepFreeze(Object.fromEntries(
  WORK_TYPE_CODES.map((w) => [w, WORK_TYPES[w].thematic ? 2 : 1]),
) as Record<WorkType, number>);

export const DEFAULT_RULE_SETTINGS: RuleSettings = deepFreeze({
  timeZone: 'Asia/Anadyr',
  adaptation: { from: '09-01', to: '09-15', grades: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
  entryWindows: {
    creativeDays: 7,
    creativeGrades: { from: 5, to: 9 },
    creativeSubjects: ['russian', 'literature'],
    creativeWorkTypes: ['creative', 'essay', 'presentation'],
    essayDays: 10,
    essayGrades: { from: 10, to: 11 },
    essayWorkTypes: ['essay'],
    monitoringDays: 3,
    monitoringWorkTypes: ['monitoring'],
  },
  softWarn: { missedLessons: 3, firstLessons: 1, afterHolidays: true },
  density: { windowLessons: 4, minShare: 0.25 },
  attestation: {
    minMarks: { oneHour: 3, twoHours: 5, threePlus: 7, threePlusValidAbsence: 5 },
    weights: DEFAULT_WEIGHTS,
    untypedWeight: 1,
    roundingThreshold: 0.5,
    intermediateWeight: 1,
    naMissedShare: 0.5,
  },
  attestationTiming: { lastWeekDays: 7 },
  homework: { graceMinutes: 60 },
  correction: { approvers: ['deputy'], ownFixMinutes: 10 },
  sync: { enrolRoles: ['director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin'] },
});

// ── validation ─────────────────────────────────────────────────────────────────

const D = DEFAULT_RULE_SETTINGS;
const MONTH_DAY_RE = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const monthDay = z.string().refine((s) => {
  const m = MONTH_DAY_RE.exec(s);
  return m !== null && Number(m[2]) <= (DAYS_IN_MONTH[Number(m[1]) - 1] ?? 0);
}, 'дата должна быть в виде ММ-ДД, например 09-15');
const grade = z.number().int('класс — целое число').min(1, 'класс от 1 до 11').max(11, 'класс от 1 до 11');
const gradeRange = z.strictObject({ from: grade, to: grade }).refine((r) => r.from <= r.to, 'первый класс диапазона больше последнего');
const days = z.number().int('число дней — целое').min(0, 'срок не может быть отрицательным').max(60, 'срок не больше 60 дней');
const count = (max: number) => z.number().int('нужно целое число').min(1, 'не меньше 1').max(max, `не больше ${max}`);
const weight = z.number().positive('вес должен быть больше нуля').max(10, 'вес не больше 10');
const workTypes = z.array(z.enum(WORK_TYPE_CODES as [WorkType, ...WorkType[]]));

export const RuleSettingsSchema = z.strictObject({
  timeZone: z.string().refine(isValidTimeZone, 'неизвестный часовой пояс: укажите, например, Asia/Anadyr или +12:00').default(D.timeZone),
  adaptation: z.strictObject({
    from: monthDay.default(D.adaptation.from),
    to: monthDay.default(D.adaptation.to),
    grades: z.array(grade).default(D.adaptation.grades),
  }).refine((a) => a.from <= a.to, 'адаптационный период должен начинаться не позже, чем заканчивается').prefault({}),
  entryWindows: z.strictObject({
    creativeDays: days.default(D.entryWindows.creativeDays),
    creativeGrades: gradeRange.default(D.entryWindows.creativeGrades),
    creativeSubjects: z.array(z.enum(SUBJECT_CODES)).default(D.entryWindows.creativeSubjects),
    creativeWorkTypes: workTypes.default(D.entryWindows.creativeWorkTypes),
    essayDays: days.default(D.entryWindows.essayDays),
    essayGrades: gradeRange.default(D.entryWindows.essayGrades),
    essayWorkTypes: workTypes.default(D.entryWindows.essayWorkTypes),
    monitoringDays: days.default(D.entryWindows.monitoringDays),
    monitoringWorkTypes: workTypes.default(D.entryWindows.monitoringWorkTypes),
  }).prefault({}),
  softWarn: z.strictObject({
    missedLessons: count(20).default(D.softWarn.missedLessons),
    firstLessons: count(10).default(D.softWarn.firstLessons),
    afterHolidays: z.boolean().default(D.softWarn.afterHolidays),
  }).prefault({}),
  density: z.strictObject({
    windowLessons: count(20).default(D.density.windowLessons),
    minShare: z.number().min(0, 'доля от 0 до 1').max(1, 'доля от 0 до 1').default(D.density.minShare),
  }).prefault({}),
  attestation: z.strictObject({
    minMarks: z.strictObject({
      oneHour: count(30).default(D.attestation.minMarks.oneHour),
      twoHours: count(30).default(D.attestation.minMarks.twoHours),
      threePlus: count(30).default(D.attestation.minMarks.threePlus),
      threePlusValidAbsence: count(30).default(D.attestation.minMarks.threePlusValidAbsence),
    }).refine((m) => m.threePlusValidAbsence <= m.threePlus, 'при пропусках по уважительной причине минимум не может быть больше обычного').prefault({}),
    /** Only the work types the administrator changes; the others keep their default weight. */
    weights: z.partialRecord(z.enum(WORK_TYPE_CODES as [WorkType, ...WorkType[]]), weight)
      .transform((w): Record<WorkType, number> => ({ ...DEFAULT_WEIGHTS, ...w }))
      .prefault({}),
    untypedWeight: weight.default(D.attestation.untypedWeight),
    roundingThreshold: z.number().gt(0, 'порог округления больше 0').max(1, 'порог округления не больше 1').default(D.attestation.roundingThreshold),
    intermediateWeight: z.number().min(0, 'вес не может быть отрицательным').max(10, 'вес не больше 10').default(D.attestation.intermediateWeight),
    naMissedShare: z.number().min(0, 'доля от 0 до 1').max(1, 'доля от 0 до 1').default(D.attestation.naMissedShare),
  }).prefault({}),
  attestationTiming: z.strictObject({ lastWeekDays: count(31).default(D.attestationTiming.lastWeekDays) }).prefault({}),
  homework: z.strictObject({ graceMinutes: z.number().int().min(0, 'не меньше 0 минут').max(24 * 60, 'не больше суток').default(D.homework.graceMinutes) }).prefault({}),
  correction: z.strictObject({
    approvers: z.array(z.enum(ROLES)).min(1, 'хотя бы одна роль согласует исправления').default(D.correction.approvers)
      .refine((r) => !r.some((x) => x === 'parent' || x === 'student'), 'родители и обучающиеся не согласуют исправления'),
    ownFixMinutes: z.number().int().min(0, 'не меньше 0 минут').max(60, 'не больше 60 минут').default(D.correction.ownFixMinutes),
  }).prefault({}),
  sync: z.strictObject({
    enrolRoles: z.array(z.enum(ROLES)).default(D.sync.enrolRoles)
      .refine((r) => !r.some((x) => x === 'parent' || x === 'student'), 'родители и обучающиеся не регистрируют компьютеры школы (п. 9.6)'),
  }).prefault({}),
});

export type SettingsParse = { ok: true; value: RuleSettings } | { ok: false; message: string };

/**
 * Validates the administrator's settings (any subset; missing fields take the defaults).
 * Returns a Russian message naming each bad field.
 */
export function parseRuleSettings(raw: unknown): SettingsParse {
  const r = RuleSettingsSchema.safeParse(raw ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ') };
}
