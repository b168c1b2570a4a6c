import { describe, it, expect } from 'vitest';
import { checkAdaptation, inAdaptation } from './adaptation';
import { DEFAULT_RULE_SETTINGS } from './settings';

const on = (date: string, grade = 5) => ({ date, grade });

describe('R-ADAPTATION: no 2 or 1 from 1 to 15 September inclusive', () => {
  it('allows a 2 on 31 August (п. 7.14)', () => {
    expect(checkAdaptation('2', on('2024-08-31')).level).toBe('ok');
  });

  it('refuses a 2 on 1 September (п. 7.14)', () => {
    const v = checkAdaptation('2', on('2024-09-01'));
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-ADAPTATION', clause: 'п. 7.14' });
    expect(v.findings[0]?.message).toContain('С 01.09 по 15.09 включительно');
  });

  it('refuses a 1 at a lesson of 15 September (п. 7.14)', () => {
    expect(checkAdaptation('1', on('2024-09-15')).level).toBe('refuse');
  });

  it('allows a 2 on 16 September (п. 7.14)', () => {
    expect(checkAdaptation('2', on('2024-09-16')).level).toBe('ok');
  });

  it('refuses a fraction with an unsatisfactory part during adaptation (п. 7.14)', () => {
    expect(checkAdaptation('5/2', on('2024-09-10')).level).toBe('refuse');
  });

  it('allows satisfactory marks during adaptation (п. 7.14)', () => {
    for (const m of ['3', '4', '5', '5/3']) expect(checkAdaptation(m, on('2024-09-05')).level).toBe('ok');
  });

  it('applies to every grade by default, and only to the grades the school sets', () => {
    expect(inAdaptation('2024-09-05', 1)).toBe(true);
    expect(inAdaptation('2024-09-05', 11)).toBe(true);
    const s = { ...DEFAULT_RULE_SETTINGS, adaptation: { ...DEFAULT_RULE_SETTINGS.adaptation, grades: [1, 5, 10] } };
    expect(inAdaptation('2024-09-05', 6, s)).toBe(false);
    expect(inAdaptation('2024-09-05', 5, s)).toBe(true);
  });
});
