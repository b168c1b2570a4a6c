/**
 * R-ATTEST (п. 7.14): the system proposes period and annual marks; the teacher sets them.
 *
 * Period mark
 * - Minimum number of marks by weekly hours: under 2 h — 3; 2 h to under 3 h — 5; 3 h and more — 7,
 *   or 5 when the student missed lessons for a valid reason. A fraction counts as two marks.
 * - The mean is weighted: each counted point weighs `attestation.weights[workType]` (default:
 *   thematic control works 2, every other mark 1; untyped marks `untypedWeight`, default 1).
 * - Rounding: the fractional part ≥ `roundingThreshold` (default 0.5) rounds up, otherwise down:
 *   3.5 → 4, 3.49 → 3; with 0.6, 3.5 → 3 and 3.6 → 4.
 * - More than half of the lessons missed → «н/а» unless the deputy decided to attest (R-NA).
 * - Exempt from PE for the whole period and fewer marks than the minimum → «осв».
 * Annual mark: the mean of the period marks (weight 1 each) and of the intermediate attestation
 * mark (weight `intermediateWeight`, default 1), rounded the same way.
 *
 * Marks are put in one canonical order before anything is summed, so the proposal never depends
 * on the order in which they were entered.
 */
import { markPoints } from '../domain/marks';
import type { MarkValue, PeriodMarkValue, Point } from '../domain/marks';
import { WORK_TYPES } from '../domain/school';
import type { WorkType } from '../domain/school';
import { formatDateRu } from '../domain/values';
import type { LocalDate } from '../domain/values';
import type { DeputyDecision, StudentLessonRecord, StudentMark } from './inputs';
import { UNMARKED_GRADES } from './marks';
import { naStatus, summariseAttendance } from './not-attested';
import type { AttendanceSummary } from './not-attested';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, warn } from './verdict';
import type { Verdict } from './verdict';

const EPS = 1e-9;

function num(n: number, digits = 2): string {
  return n.toFixed(digits).replace('.', ',');
}

// ── minimum number of marks ─────────────────────────────────────────────────

export type MinimumRule = 'one_hour' | 'two_hours' | 'three_plus' | 'three_plus_valid_absence';

export interface MarksMinimum {
  minimum: number;
  rule: MinimumRule;
}

/**
 * R-ATTEST (п. 7.14): the minimum number of marks for a period mark: 3 below 2 hours a week,
 * 5 from 2 to below 3 hours, 7 from 3 hours — 5 then if the student missed lessons for a valid reason.
 */
export function minimumMarks(hoursPerWeek: number, missedForValidReason: boolean, settings: RuleSettings = DEFAULT_RULE_SETTINGS): MarksMinimum {
  const m = settings.attestation.minMarks;
  if (hoursPerWeek < 2) return { minimum: m.oneHour, rule: 'one_hour' };
  if (hoursPerWeek < 3) return { minimum: m.twoHours, rule: 'two_hours' };
  return missedForValidReason
    ? { minimum: m.threePlusValidAbsence, rule: 'three_plus_valid_absence' }
    : { minimum: m.threePlus, rule: 'three_plus' };
}

// ── rounding ─────────────────────────────────────────────────────────────────

export interface Rounding {
  mean: number;
  /** The fractional part of the mean. */
  fraction: number;
  threshold: number;
  result: Point;
}

/**
 * R-ATTEST: rounds a mean to a mark — up when the fractional part is at least `threshold`
 * (default 0.5: 3.5 → 4), down otherwise. Result within 1…5.
 */
export function roundMean(mean: number, threshold: number = DEFAULT_RULE_SETTINGS.attestation.roundingThreshold): Rounding {
  const floor = Math.floor(mean + EPS);
  const fraction = Math.max(0, mean - floor);
  const up = fraction >= threshold - EPS;
  const result = Math.min(5, Math.max(1, up ? floor + 1 : floor)) as Point;
  return { mean, fraction, threshold, result };
}

function roundingLine(r: Rounding): string {
  return r.fraction < EPS
    ? `Среднее ${num(r.mean)} — целое: ${r.result}`
    : `Округление: дробная часть ${num(r.fraction)} ${r.fraction >= r.threshold - EPS ? '≥' : '<'} ${num(r.threshold, 1)} (порог школы) → ${r.result}`;
}

// ── the weighted mean ────────────────────────────────────────────────────────

/** One counted point: a fraction gives two of them, each with the mark's weight (R-FRACTION). */
export interface UsedMark {
  value: MarkValue;
  points: Point;
  workType: WorkType | null;
  weight: number;
  date: LocalDate;
}

export interface WeightedMean {
  used: UsedMark[];
  weightedSum: number;
  totalWeight: number;
  /** null when no marks. */
  mean: number | null;
}

function canonical(a: StudentMark, b: StudentMark): number {
  const ka = [a.date, a.value, a.workType ?? '', a.column ?? 'main', a.lessonId ?? ''];
  const kb = [b.date, b.value, b.workType ?? '', b.column ?? 'main', b.lessonId ?? ''];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}

/** R-ATTEST, R-FRACTION (п. 7.14, 7.15): the weighted mean of current marks; a fraction's parts count separately. */
export function weightedMean(marks: readonly StudentMark[], settings: RuleSettings = DEFAULT_RULE_SETTINGS): WeightedMean {
  const a = settings.attestation;
  const used: UsedMark[] = [];
  for (const m of [...marks].sort(canonical)) {
    const weight = m.workType === undefined ? a.untypedWeight : a.weights[m.workType];
    for (const p of markPoints(m.value)) used.push({ value: m.value, points: p, workType: m.workType ?? null, weight, date: m.date });
  }
  let weightedSum = 0;
  let totalWeight = 0;
  for (const u of used) {
    weightedSum += u.points * u.weight;
    totalWeight += u.weight;
  }
  return { used, weightedSum, totalWeight, mean: totalWeight > 0 ? weightedSum / totalWeight : null };
}

// ── the period mark ──────────────────────────────────────────────────────────

export interface PeriodAttestationInput {
  grade: number;
  hoursPerWeek: number;
  /** The student's current marks of the course in the period (all columns). */
  marks: readonly StudentMark[];
  /** The student's attendance of the course's lessons held in the period. */
  attendance: readonly StudentLessonRecord[];
  /** R-NA: the deputy's recorded decision, if any. */
  deputyDecision?: DeputyDecision | null;
  /** R-PE: exempt from PE for the whole period (see isPeExemptForPeriod). */
  exemptWholePeriod?: boolean;
}

export type PeriodProposalStatus = 'proposed' | 'not_attested' | 'exempt' | 'insufficient_marks' | 'not_marked_grade_1';

export interface AttestationExplanation {
  /** Every counted point with its weight, in canonical order. */
  marks: UsedMark[];
  count: number;
  minimum: number;
  minimumRule: MinimumRule;
  hoursPerWeek: number;
  attendance: AttendanceSummary;
  weightedSum: number;
  totalWeight: number;
  mean: number | null;
  rounding: Rounding | null;
  /** The explanation in Russian, line by line, for the teacher. */
  lines: string[];
}

export interface PeriodProposal {
  /** The proposed mark; null when the system cannot propose one (see status). */
  value: PeriodMarkValue | null;
  status: PeriodProposalStatus;
  /** Warnings the teacher should see with the proposal (never a refusal: the teacher decides). */
  verdict: Verdict;
  explanation: AttestationExplanation;
}

const MINIMUM_TEXT: Record<MinimumRule, string> = {
  one_hour: 'при нагрузке 1 час в неделю',
  two_hours: 'при нагрузке 2 часа в неделю',
  three_plus: 'при нагрузке 3 часа в неделю и более',
  three_plus_valid_absence: 'при нагрузке 3 часа и более и пропусках по уважительной причине',
};

function markLine(u: UsedMark): string {
  const what = u.workType ? WORK_TYPES[u.workType].label : 'вид работы не указан';
  return `${u.points}${u.value.includes('/') ? ` (из дроби ${u.value})` : ''} — ${what}, ${formatDateRu(u.date)}, вес ${num(u.weight, u.weight % 1 === 0 ? 0 : 2)}`;
}

/**
 * R-ATTEST, R-NA (п. 7.14): proposes a period mark with its explanation — the marks used and
 * their weights, the count against the minimum, the share of missed lessons, the mean and the
 * rounding.
 */
export function proposePeriodMark(input: PeriodAttestationInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): PeriodProposal {
  const attendance = summariseAttendance(input.attendance);
  const wm = weightedMean(input.marks, settings);
  const count = wm.used.length;
  const min = minimumMarks(input.hoursPerWeek, attendance.missedValid > 0, settings);
  const lines: string[] = [];
  const explanation = (rounding: Rounding | null): AttestationExplanation => ({
    marks: wm.used, count, minimum: min.minimum, minimumRule: min.rule, hoursPerWeek: input.hoursPerWeek, attendance,
    weightedSum: wm.weightedSum, totalWeight: wm.totalWeight, mean: wm.mean, rounding, lines,
  });
  const result = (value: PeriodMarkValue | null, status: PeriodProposalStatus, verdict: Verdict, rounding: Rounding | null = null): PeriodProposal =>
    ({ value, status, verdict, explanation: explanation(rounding) });

  if (UNMARKED_GRADES.includes(input.grade)) {
    lines.push('В 1 классе отметки в баллах не выставляются (п. 9.5)');
    return result(null, 'not_marked_grade_1', ok());
  }

  lines.push(`Пропущено уроков: ${attendance.missed} из ${attendance.lessons} (${num(attendance.share * 100, 0)} %)${attendance.missedValid > 0 ? `, из них по уважительной причине: ${attendance.missedValid}` : ''}`);
  const na = naStatus(attendance, input.deputyDecision, settings);
  if (na === 'not_attested') {
    lines.push('Пропущено более половины уроков: обучающийся не аттестуется («н/а»), если заместитель директора не решит иначе (п. 7.14)');
    return result('н/а', 'not_attested', warn('R-NA', 'п. 7.14',
      `Пропущено более половины уроков (${attendance.missed} из ${attendance.lessons}): предлагается «н/а»; аттестовать можно только по решению заместителя директора`,
      { code: 'needs_deputy_decision', missed: attendance.missed, lessons: attendance.lessons }));
  }
  if (na === 'not_attested_by_decision') {
    lines.push(`Решение заместителя директора: не аттестовать (${input.deputyDecision?.note ?? ''})`);
    return result('н/а', 'not_attested', warn('R-NA', 'п. 7.14', 'По решению заместителя директора обучающийся не аттестуется'));
  }
  if (na === 'attest_by_decision') lines.push(`Пропущено более половины уроков; аттестуется по решению заместителя директора (${input.deputyDecision?.note ?? ''})`);

  lines.push(...wm.used.map(markLine));
  lines.push(`Отметок: ${count} (дробь считается за две), нужно не менее ${min.minimum} ${MINIMUM_TEXT[min.rule]}`);

  if (count < min.minimum && input.exemptWholePeriod) {
    lines.push('Освобождён от физической культуры на весь период: предлагается «осв»');
    return result('осв', 'exempt', ok());
  }
  if (count < min.minimum || wm.mean === null) {
    if (wm.mean !== null) lines.push(`Среднее (справочно): ${num(wm.mean)}`);
    return result(null, 'insufficient_marks', warn('R-ATTEST', 'п. 7.14',
      `Для отметки за период нужно не менее ${min.minimum} отметок ${MINIMUM_TEXT[min.rule]}; у обучающегося ${count}`,
      { count, minimum: min.minimum }));
  }
  const rounding = roundMean(wm.mean, settings.attestation.roundingThreshold);
  lines.push(`Средневзвешенное: ${num(wm.weightedSum)} / ${num(wm.totalWeight)} = ${num(wm.mean)}`);
  lines.push(roundingLine(rounding));
  return result(String(rounding.result) as PeriodMarkValue, 'proposed', ok(), rounding);
}

// ── the annual mark ──────────────────────────────────────────────────────────

export interface AnnualAttestationInput {
  grade: number;
  /** Period marks of the year in order; null where not set yet. */
  periodMarks: readonly (PeriodMarkValue | null)[];
  /** The intermediate attestation mark (промежуточная аттестация), if any. */
  intermediate?: PeriodMarkValue | null;
}

export type AnnualProposalStatus = 'proposed' | 'not_attested' | 'exempt' | 'incomplete' | 'needs_teacher' | 'not_marked_grade_1';

export interface AnnualProposal {
  value: PeriodMarkValue | null;
  status: AnnualProposalStatus;
  verdict: Verdict;
  explanation: { weightedSum: number; totalWeight: number; mean: number | null; rounding: Rounding | null; lines: string[] };
}

function isPoint(v: PeriodMarkValue | null | undefined): v is '1' | '2' | '3' | '4' | '5' {
  return v === '1' || v === '2' || v === '3' || v === '4' || v === '5';
}

/**
 * R-ATTEST (п. 7.14): proposes the annual mark — the mean of the period marks (weight 1 each)
 * with the intermediate attestation mark (weight `intermediateWeight`), rounded like a period
 * mark. «осв» periods are left out; with a «н/а» period or intermediate mark the teacher decides.
 */
export function proposeAnnualMark(input: AnnualAttestationInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): AnnualProposal {
  const lines: string[] = [];
  const done = (value: PeriodMarkValue | null, status: AnnualProposalStatus, verdict: Verdict, sums = { weightedSum: 0, totalWeight: 0, mean: null as number | null }, rounding: Rounding | null = null): AnnualProposal =>
    ({ value, status, verdict, explanation: { ...sums, rounding, lines } });

  if (UNMARKED_GRADES.includes(input.grade)) {
    lines.push('В 1 классе отметки в баллах не выставляются (п. 9.5)');
    return done(null, 'not_marked_grade_1', ok());
  }
  const pm = input.periodMarks;
  lines.push(`Отметки за периоды: ${pm.map((v) => v ?? '—').join(', ')}`);
  if (pm.length === 0 || pm.some((v) => v === null)) {
    return done(null, 'incomplete', warn('R-ATTEST', 'п. 7.14', 'Годовая отметка выводится, когда выставлены отметки за все периоды'));
  }
  if (pm.every((v) => v === 'н/а')) {
    lines.push('Не аттестован ни за один период: предлагается «н/а»');
    return done('н/а', 'not_attested', warn('R-NA', 'п. 7.14', 'Обучающийся не аттестован ни за один период: предлагается «н/а»'));
  }
  if (pm.some((v) => v === 'н/а') || input.intermediate === 'н/а') {
    lines.push('Есть «н/а» за период или за промежуточную аттестацию: годовую отметку определяет учитель');
    return done(null, 'needs_teacher', warn('R-ATTEST', 'п. 7.14', 'Обучающийся не аттестован за один из периодов или по промежуточной аттестации: годовую отметку система не предлагает'));
  }
  const points = pm.filter(isPoint).map(Number);
  if (points.length === 0) {
    lines.push('Освобождён во всех периодах: предлагается «осв»');
    return done('осв', 'exempt', ok());
  }
  let weightedSum = points.reduce((s, p) => s + p, 0);
  let totalWeight = points.length;
  const w = settings.attestation.intermediateWeight;
  if (isPoint(input.intermediate) && w > 0) {
    weightedSum += Number(input.intermediate) * w;
    totalWeight += w;
    lines.push(`Промежуточная аттестация: ${input.intermediate}, вес ${num(w, w % 1 === 0 ? 0 : 2)}`);
  } else {
    lines.push(input.intermediate === 'осв' ? 'Промежуточная аттестация: «осв», в среднем не учитывается' : 'Промежуточная аттестация не учтена: отметки нет');
  }
  const mean = weightedSum / totalWeight;
  const rounding = roundMean(mean, settings.attestation.roundingThreshold);
  lines.push(`Среднее: ${num(weightedSum)} / ${num(totalWeight)} = ${num(mean)}`);
  lines.push(roundingLine(rounding));
  return done(String(rounding.result) as PeriodMarkValue, 'proposed', ok(), { weightedSum, totalWeight, mean }, rounding);
}
