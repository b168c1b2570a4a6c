import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { WORK_TYPE_CODES } from '../domain/school';
import type { WorkType } from '../domain/school';
import { minimumMarks, proposeAnnualMark, proposePeriodMark, roundMean, weightedMean } from './attestation';
import type { PeriodAttestationInput } from './attestation';
import type { StudentLessonRecord, StudentMark } from './inputs';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { hasCode } from './verdict';

const m = (value: string, workType?: WorkType, date = '2024-10-10'): StudentMark => ({ value, date, ...(workType ? { workType } : {}) });
const oral = (...values: string[]) => values.map((v, i) => m(v, 'oral', `2024-10-${String(i + 1).padStart(2, '0')}`));
/** `lessons` lessons of which the first `missed` missed, the first `valid` of those for a valid reason. */
function attendance(lessons: number, missed = 0, valid = 0): StudentLessonRecord[] {
  return Array.from({ length: lessons }, (_, i) => ({
    date: `2024-11-${String(i + 1).padStart(2, '0')}`, number: 1, absent: i < missed, reason: i < valid ? 'valid' as const : i < missed ? 'unexcused' as const : null,
  }));
}
const input = (p: Partial<PeriodAttestationInput>): PeriodAttestationInput => ({ grade: 7, hoursPerWeek: 1, marks: [], attendance: attendance(9), ...p });
const withSettings = (a: Partial<RuleSettings['attestation']>): RuleSettings => ({ ...DEFAULT_RULE_SETTINGS, attestation: { ...DEFAULT_RULE_SETTINGS.attestation, ...a } });

describe('R-ATTEST: the minimum number of marks (п. 7.14)', () => {
  it.each([
    [0.5, false, 3], [1, false, 3], [1.5, false, 3], [2, false, 5], [2.5, false, 5], [3, false, 7], [4, false, 7], [6, false, 7],
    [1, true, 3], [2, true, 5], [3, true, 5], [4, true, 5],
  ])('at %s hours a week (valid absence: %s) needs %i marks', (hours, valid, min) => {
    expect(minimumMarks(hours, valid).minimum).toBe(min);
  });

  it('proposes a mark at 1 hour a week with 3 marks, not with 2', () => {
    expect(proposePeriodMark(input({ hoursPerWeek: 1, marks: oral('4', '4', '5') })).value).toBe('4');
    const two = proposePeriodMark(input({ hoursPerWeek: 1, marks: oral('4', '5') }));
    expect(two).toMatchObject({ value: null, status: 'insufficient_marks' });
    expect(two.verdict.findings[0]).toMatchObject({ requirement: 'R-ATTEST', clause: 'п. 7.14', severity: 'warn' });
  });

  it('proposes a mark at 2 hours a week with 5 marks, not with 4', () => {
    expect(proposePeriodMark(input({ hoursPerWeek: 2, marks: oral('4', '4', '5', '3', '4') })).value).toBe('4');
    expect(proposePeriodMark(input({ hoursPerWeek: 2, marks: oral('4', '4', '5', '3') })).status).toBe('insufficient_marks');
  });

  it('proposes a mark at 3 hours a week with 7 marks, not with 6', () => {
    expect(proposePeriodMark(input({ hoursPerWeek: 3, marks: oral('4', '4', '5', '3', '4', '5', '5') })).value).toBe('4');
    expect(proposePeriodMark(input({ hoursPerWeek: 3, marks: oral('4', '4', '5', '3', '4', '5') })).status).toBe('insufficient_marks');
  });

  it('at 4 hours a week 5 marks suffice after lessons missed for a valid reason, not after unexcused ones', () => {
    const five = oral('5', '4', '5', '4', '5');
    const valid = proposePeriodMark(input({ hoursPerWeek: 4, marks: five, attendance: attendance(40, 6, 6) }));
    expect(valid).toMatchObject({ value: '5', status: 'proposed' });
    expect(valid.explanation).toMatchObject({ minimum: 5, minimumRule: 'three_plus_valid_absence' });
    const unexcused = proposePeriodMark(input({ hoursPerWeek: 4, marks: five, attendance: attendance(40, 6, 0) }));
    expect(unexcused.status).toBe('insufficient_marks');
    expect(unexcused.explanation.minimum).toBe(7);
  });

  it('counts a fraction as two marks towards the minimum (п. 7.15)', () => {
    expect(proposePeriodMark(input({ hoursPerWeek: 1, marks: [m('5/4', 'control_dictation'), m('4', 'oral')] })).explanation.count).toBe(3);
  });
});

describe('R-ATTEST: the weighted mean (п. 7.14)', () => {
  it('counts a fraction in an average as two separate marks: 5/2, 5, 5 → 17/4 = 4.25 → 4 (п. 7.15)', () => {
    const p = proposePeriodMark(input({ marks: [m('5/2', 'oral', '2024-09-30'), ...oral('5', '5')] }));
    expect(p.explanation.mean).toBeCloseTo(4.25, 12);
    expect(p.explanation.marks.map((u) => u.points)).toEqual([5, 2, 5, 5]);
    expect(p.value).toBe('4');
  });

  it('weighs a control work twice: 5, 5, 5 and a control 3 → 21/5 = 4.2 → 4 (unweighted it would be 4.5 → 5)', () => {
    const p = proposePeriodMark(input({ marks: [...oral('5', '5', '5'), m('3', 'control', '2024-10-20')] }));
    expect(p.explanation.weightedSum).toBe(21);
    expect(p.explanation.totalWeight).toBe(5);
    expect(p.value).toBe('4');
  });

  it('uses the school’s weights and the weight of untyped marks', () => {
    const w = weightedMean([m('5'), m('3', 'test')], withSettings({ untypedWeight: 3, weights: { ...DEFAULT_RULE_SETTINGS.attestation.weights, test: 1 } }));
    expect(w.mean).toBe(4.5);
    expect(w.used.map((u) => u.weight)).toEqual([1, 3]);
  });
});

describe('R-ATTEST: rounding', () => {
  it('rounds 3.5 up to 4 by default', () => {
    expect(roundMean(3.5).result).toBe(4);
    expect(roundMean(3.49).result).toBe(3);
    expect(roundMean(4.5).result).toBe(5);
    expect(roundMean(5).result).toBe(5);
    expect(roundMean(1).result).toBe(1);
  });

  it('with the threshold 0.6 rounds 3.5 down and 3.6 up', () => {
    expect(roundMean(3.5, 0.6).result).toBe(3);
    expect(roundMean(3.6, 0.6).result).toBe(4);
    expect(roundMean(3.59, 0.6).result).toBe(3);
  });

  it('is not fooled by floating point: 0.1-weights summing to x.5 still round up', () => {
    const s = withSettings({ weights: { ...DEFAULT_RULE_SETTINGS.attestation.weights, oral: 0.1 } });
    const p = proposePeriodMark(input({ marks: oral('3', '4', '3', '4') }), s);
    expect(p.explanation.mean).toBeCloseTo(3.5, 12);
    expect(p.value).toBe('4');
  });

  it('a proposal of 3, 4, 3, 4 is 4 by default and 3 with the threshold 0.6', () => {
    expect(proposePeriodMark(input({ marks: oral('3', '4', '3', '4') })).value).toBe('4');
    expect(proposePeriodMark(input({ marks: oral('3', '4', '3', '4') }), withSettings({ roundingThreshold: 0.6 })).value).toBe('3');
  });
});

describe('R-ATTEST with R-NA, R-PE and grade 1', () => {
  const enough = oral('4', '4', '5');

  it('proposes «н/а» when more than half of the lessons were missed (11 of 20) (п. 7.14)', () => {
    const p = proposePeriodMark(input({ marks: enough, attendance: attendance(20, 11) }));
    expect(p).toMatchObject({ value: 'н/а', status: 'not_attested' });
    expect(hasCode(p.verdict, 'needs_deputy_decision')).toBe(false); // a warning, not a refusal
    expect(p.verdict.findings[0]).toMatchObject({ requirement: 'R-NA', severity: 'warn', code: 'needs_deputy_decision' });
  });

  it('proposes a mark when exactly half of the lessons were missed (10 of 20) (п. 7.14)', () => {
    expect(proposePeriodMark(input({ marks: enough, attendance: attendance(20, 10) })).value).toBe('4');
  });

  it('proposes a mark after the deputy decided to attest, «н/а» after a decision not to (п. 7.14)', () => {
    expect(proposePeriodMark(input({ marks: enough, attendance: attendance(20, 15), deputyDecision: { attest: true, note: 'по заявлению родителей' } })).value).toBe('4');
    expect(proposePeriodMark(input({ marks: enough, attendance: attendance(20, 15), deputyDecision: { attest: false, note: 'нет' } })).value).toBe('н/а');
  });

  it('proposes «осв» for a student exempt for the whole period with too few marks, a mark with enough (п. 7.14)', () => {
    expect(proposePeriodMark(input({ exemptWholePeriod: true, marks: oral('5') }))).toMatchObject({ value: 'осв', status: 'exempt' });
    expect(proposePeriodMark(input({ exemptWholePeriod: true, marks: enough })).value).toBe('4');
  });

  it('proposes nothing in grade 1 (п. 9.5)', () => {
    expect(proposePeriodMark(input({ grade: 1, marks: enough }))).toMatchObject({ value: null, status: 'not_marked_grade_1' });
  });
});

describe('R-ATTEST: the explanation', () => {
  it('names the marks used and their weights, count vs minimum, missed share, mean and rounding', () => {
    const p = proposePeriodMark(input({ hoursPerWeek: 1, marks: [m('5/4', 'control_dictation', '2024-10-03'), m('3', 'oral', '2024-10-01')], attendance: attendance(10, 2, 1) }));
    const e = p.explanation;
    expect(e.marks).toEqual([
      { value: '3', points: 3, workType: 'oral', weight: 1, date: '2024-10-01' },
      { value: '5/4', points: 5, workType: 'control_dictation', weight: 2, date: '2024-10-03' },
      { value: '5/4', points: 4, workType: 'control_dictation', weight: 2, date: '2024-10-03' },
    ]);
    expect(e).toMatchObject({ count: 3, minimum: 3, minimumRule: 'one_hour', weightedSum: 21, totalWeight: 5 });
    expect(e.attendance).toEqual({ lessons: 10, missed: 2, missedValid: 1, share: 0.2 });
    expect(e.mean).toBeCloseTo(4.2, 12);
    expect(e.rounding).toMatchObject({ threshold: 0.5, result: 4 });
    expect(e.lines.join('\n')).toMatch(/Пропущено уроков: 2 из 10 \(20 %\)/);
    expect(e.lines.join('\n')).toMatch(/Контрольный диктант с грамматическим заданием, 03\.10\.2024, вес 2/);
    expect(e.lines.join('\n')).toMatch(/Отметок: 3 .*не менее 3/);
    expect(e.lines.join('\n')).toMatch(/= 4,20/);
    expect(e.lines.join('\n')).toMatch(/0,20 < 0,5 .* → 4/);
    expect(p.value).toBe('4');
  });
});

describe('R-ATTEST: the annual mark (п. 7.14)', () => {
  it('is the mean of the period marks: 4, 5, 4 → 4.33 → 4', () => {
    const p = proposeAnnualMark({ grade: 7, periodMarks: ['4', '5', '4'] });
    expect(p).toMatchObject({ value: '4', status: 'proposed' });
    expect(p.explanation.mean).toBeCloseTo(13 / 3, 12);
  });

  it('takes the intermediate attestation into account: 4, 5, 4 and 5 → 4.5 → 5', () => {
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['4', '5', '4'], intermediate: '5' }).value).toBe('5');
  });

  it('uses the school’s weight of the intermediate attestation: 3, 3, 4 and 5 ×2 → 4', () => {
    const p = proposeAnnualMark({ grade: 7, periodMarks: ['3', '3', '4'], intermediate: '5' }, withSettings({ intermediateWeight: 2 }));
    expect(p.explanation).toMatchObject({ weightedSum: 20, totalWeight: 5 });
    expect(p.value).toBe('4');
  });

  it('waits for every period mark', () => {
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['4', null, null] })).toMatchObject({ value: null, status: 'incomplete' });
  });

  it('leaves a year with a «н/а» period to the teacher, and proposes «н/а» when no period was attested', () => {
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['4', 'н/а', '4'] })).toMatchObject({ value: null, status: 'needs_teacher' });
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['4', '4', '4'], intermediate: 'н/а' }).status).toBe('needs_teacher');
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['н/а', 'н/а'] }).value).toBe('н/а');
  });

  it('skips «осв» periods and proposes «осв» when exempt all year', () => {
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['осв', '5', '4'] }).value).toBe('5');
    expect(proposeAnnualMark({ grade: 7, periodMarks: ['осв', 'осв', 'осв'] }).value).toBe('осв');
  });

  it('proposes nothing in grade 1 (п. 9.5)', () => {
    expect(proposeAnnualMark({ grade: 1, periodMarks: ['5', '5'] }).status).toBe('not_marked_grade_1');
  });
});

// ── properties ─────────────────────────────────────────────────────────────────

const point = fc.constantFrom('1', '2', '3', '4', '5');
const markValue = fc.oneof({ weight: 4, arbitrary: point }, { weight: 1, arbitrary: fc.tuple(point, point).map(([a, b]) => `${a}/${b}`) });
const studentMark: fc.Arbitrary<StudentMark> = fc.record({
  value: markValue,
  workType: fc.option(fc.constantFrom(...WORK_TYPE_CODES), { nil: undefined }),
  date: fc.integer({ min: 1, max: 28 }).map((d) => `2024-10-${String(d).padStart(2, '0')}`),
}).map((r) => (r.workType === undefined ? { value: r.value, date: r.date } : r));
const record: fc.Arbitrary<StudentLessonRecord> = fc.record({
  date: fc.integer({ min: 1, max: 28 }).map((d) => `2024-11-${String(d).padStart(2, '0')}`),
  number: fc.integer({ min: 1, max: 7 }),
  absent: fc.boolean(),
  reason: fc.constantFrom('illness', 'valid', 'unexcused', null),
});
const settingsArb: fc.Arbitrary<RuleSettings> = fc.record({
  roundingThreshold: fc.double({ min: 0.05, max: 1, noNaN: true }),
  control: fc.double({ min: 0.1, max: 5, noNaN: true }),
  oral: fc.double({ min: 0.1, max: 5, noNaN: true }),
  untypedWeight: fc.double({ min: 0.1, max: 5, noNaN: true }),
}).map((s) => withSettings({
  roundingThreshold: s.roundingThreshold, untypedWeight: s.untypedWeight,
  weights: { ...DEFAULT_RULE_SETTINGS.attestation.weights, control: s.control, oral: s.oral },
}));
const periodInput: fc.Arbitrary<PeriodAttestationInput> = fc.record({
  grade: fc.integer({ min: 2, max: 11 }),
  hoursPerWeek: fc.constantFrom(1, 2, 3, 4, 5),
  marks: fc.array(studentMark, { maxLength: 25 }),
  attendance: fc.array(record, { maxLength: 30 }),
  exemptWholePeriod: fc.boolean(),
});
const asNumber = (v: string | null): number | null => (v !== null && /^[1-5]$/.test(v) ? Number(v) : null);

describe('R-ATTEST properties (fast-check, seeded)', () => {
  it('the proposal does not depend on the order the marks and absences were entered', () => {
    const arb = fc.tuple(periodInput, settingsArb).chain(([inp, s]) => fc.tuple(
      fc.constant(inp), fc.constant(s),
      fc.shuffledSubarray([...inp.marks], { minLength: inp.marks.length, maxLength: inp.marks.length }),
      fc.shuffledSubarray([...inp.attendance], { minLength: inp.attendance.length, maxLength: inp.attendance.length }),
    ));
    fc.assert(fc.property(arb, ([inp, s, marks, att]) => {
      expect(proposePeriodMark({ ...inp, marks, attendance: att }, s)).toEqual(proposePeriodMark(inp, s));
    }), { seed: 42, numRuns: 200 });
  });

  it('adding a 5 never lowers the proposal (nor takes it away)', () => {
    fc.assert(fc.property(periodInput, settingsArb, fc.option(fc.constantFrom(...WORK_TYPE_CODES), { nil: undefined }), (inp, s, wt) => {
      const before = proposePeriodMark(inp, s);
      const after = proposePeriodMark({ ...inp, marks: [...inp.marks, m('5', wt, '2024-10-15')] }, s);
      const b = asNumber(before.value);
      if (b !== null) {
        expect(asNumber(after.value)).not.toBeNull();
        expect(asNumber(after.value)!).toBeGreaterThanOrEqual(b);
      }
      if (before.explanation.mean !== null) expect(after.explanation.mean!).toBeGreaterThanOrEqual(before.explanation.mean - 1e-9);
    }), { seed: 42, numRuns: 200 });
  });

  // A 2 can raise a mean below 2 (a student with only 1s): the claim holds for proposals of 2 and above.
  it('adding a 2 never raises a proposal of 2 or above (nor takes it away)', () => {
    fc.assert(fc.property(periodInput, settingsArb, fc.option(fc.constantFrom(...WORK_TYPE_CODES), { nil: undefined }), (inp, s, wt) => {
      const before = proposePeriodMark(inp, s);
      const after = proposePeriodMark({ ...inp, marks: [...inp.marks, m('2', wt, '2024-10-15')] }, s);
      const b = asNumber(before.value);
      if (b !== null) expect(asNumber(after.value)).not.toBeNull();
      if (b !== null && b >= 2) expect(asNumber(after.value)!).toBeLessThanOrEqual(b);
      if (before.explanation.mean !== null && before.explanation.mean >= 2) expect(after.explanation.mean!).toBeLessThanOrEqual(before.explanation.mean + 1e-9);
    }), { seed: 42, numRuns: 200 });
  });

  it('adding a 1 never raises the proposal', () => {
    fc.assert(fc.property(periodInput, settingsArb, fc.option(fc.constantFrom(...WORK_TYPE_CODES), { nil: undefined }), (inp, s, wt) => {
      const b = asNumber(proposePeriodMark(inp, s).value);
      const a = asNumber(proposePeriodMark({ ...inp, marks: [...inp.marks, m('1', wt, '2024-10-15')] }, s).value);
      if (b !== null) expect(a!).toBeLessThanOrEqual(b);
    }), { seed: 42, numRuns: 200 });
  });

  it('adding a 2 to marks that are all 1 may raise the proposal (why the property above needs 2 or more)', () => {
    expect(proposePeriodMark(input({ marks: oral('1', '1', '1') })).value).toBe('1');
    expect(proposePeriodMark(input({ marks: oral('1', '1', '1', '2', '2', '2') })).value).toBe('2');
  });

  it('a proposed mark lies between the lowest and the highest counted point', () => {
    fc.assert(fc.property(periodInput, settingsArb, (inp, s) => {
      const p = proposePeriodMark(inp, s);
      const v = asNumber(p.value);
      if (v === null) return;
      const pts = p.explanation.marks.map((u) => u.points);
      expect(v).toBeGreaterThanOrEqual(Math.min(...pts));
      expect(v).toBeLessThanOrEqual(Math.max(...pts));
    }), { seed: 42, numRuns: 200 });
  });
});
