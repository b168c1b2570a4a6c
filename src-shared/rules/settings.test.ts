import { describe, it, expect } from 'vitest';
import { DEFAULT_RULE_SETTINGS, DEFAULT_WEIGHTS, parseRuleSettings, RuleSettingsSchema } from './settings';

describe('rule settings', () => {
  it('the defaults are the regulation’s values', () => {
    const d = DEFAULT_RULE_SETTINGS;
    expect(d.adaptation).toMatchObject({ from: '09-01', to: '09-15' });
    expect(d.entryWindows).toMatchObject({ creativeDays: 7, essayDays: 10, monitoringDays: 3, creativeGrades: { from: 5, to: 9 }, essayGrades: { from: 10, to: 11 } });
    expect(d.attestation.minMarks).toEqual({ oneHour: 3, twoHours: 5, threePlus: 7, threePlusValidAbsence: 5 });
    expect(d.attestation.roundingThreshold).toBe(0.5);
    expect(d.attestation.naMissedShare).toBe(0.5);
    expect(d.density).toEqual({ windowLessons: 4, minShare: 0.25 });
    expect(d.homework.graceMinutes).toBe(60);
    expect(d.correction.approvers).toEqual(['deputy']);
  });

  it('thematic control works weigh 2 and other marks 1 by default', () => {
    expect(DEFAULT_WEIGHTS.control).toBe(2);
    expect(DEFAULT_WEIGHTS.monitoring).toBe(2);
    expect(DEFAULT_WEIGHTS.control_dictation).toBe(2);
    expect(DEFAULT_WEIGHTS.laboratory).toBe(2);
    expect(DEFAULT_WEIGHTS.oral).toBe(1);
    expect(DEFAULT_WEIGHTS.test).toBe(1);
    expect(DEFAULT_WEIGHTS.homework).toBe(1);
  });

  it('the defaults cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_RULE_SETTINGS.adaptation.grades)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULE_SETTINGS.attestation.weights)).toBe(true);
  });

  it('an empty object parses to exactly the defaults', () => {
    expect(RuleSettingsSchema.parse({})).toEqual(DEFAULT_RULE_SETTINGS);
    expect(parseRuleSettings(undefined)).toEqual({ ok: true, value: DEFAULT_RULE_SETTINGS });
  });

  it('a partial change keeps every other default, weights included', () => {
    const r = parseRuleSettings({ attestation: { roundingThreshold: 0.6, weights: { test: 1.5 } }, timeZone: '+03:00' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.attestation.roundingThreshold).toBe(0.6);
    expect(r.value.attestation.weights.test).toBe(1.5);
    expect(r.value.attestation.weights.control).toBe(2);
    expect(r.value.attestation.minMarks.threePlus).toBe(7);
    expect(r.value.timeZone).toBe('+03:00');
    expect(r.value.adaptation).toEqual(DEFAULT_RULE_SETTINGS.adaptation);
  });

  it.each([
    [{ adaptation: { from: '09-16', to: '09-15' } }, 'адаптационный период'],
    [{ adaptation: { to: '02-30' } }, 'ММ-ДД'],
    [{ attestation: { roundingThreshold: 0 } }, 'порог округления'],
    [{ attestation: { weights: { control: -1 } } }, 'вес'],
    [{ attestation: { weights: { essay_typo: 2 } } }, 'attestation.weights'],
    [{ timeZone: 'Mars/Olympus' }, 'часовой пояс'],
    [{ correction: { approvers: ['parent'] } }, 'родители'],
    [{ correction: { approvers: [] } }, 'хотя бы одна роль'],
    [{ attestation: { minMarks: { threePlusValidAbsence: 8 } } }, 'уважительной'],
    [{ adaptaton: {} }, ''],
  ])('refuses a bad value %j with a Russian message', (raw, text) => {
    const r = parseRuleSettings(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(text);
  });
});
