import { describe, it, expect } from 'vitest';
import { checkCorrectionDecision, checkMarkChange, isOwnRecentEntry, requiredApproval } from './correction';
import type { CorrectionDecisionInput } from './correction';
import { DEFAULT_RULE_SETTINGS, parseRuleSettings } from './settings';
import type { RuleSettings } from './settings';
import { hasCode } from './verdict';

describe('R-CORRECTION: changing a mark needs a correction request', () => {
  it('accepts a first mark in an empty cell', () => {
    expect(checkMarkChange(null, '4').level).toBe('ok');
  });

  it('accepts writing the same value again (no change)', () => {
    expect(checkMarkChange('4', '4').level).toBe('ok');
  });

  it('refuses replacing a mark, asking for a correction request (п. 7.14)', () => {
    const v = checkMarkChange('4', '5');
    expect(v.level).toBe('refuse');
    expect(hasCode(v, 'needs_correction_request')).toBe(true);
    expect(v.findings[0]?.message).toContain('«4»');
  });

  it('refuses deleting a mark, asking for a correction request (п. 7.14)', () => {
    expect(hasCode(checkMarkChange('2', null), 'needs_correction_request')).toBe(true);
  });
});

describe('R-CORRECTION: who decides a correction request (п. 7.14, 9.2)', () => {
  const base: CorrectionDecisionInput = { target: { kind: 'mark' }, requesterId: 't1', decider: { personId: 'd1', roles: ['deputy'] }, approved: true };

  it('the deputy director approves a current-mark correction', () => {
    expect(checkCorrectionDecision(base).level).toBe('ok');
  });

  it('a teacher or a class teacher may not approve one', () => {
    expect(checkCorrectionDecision({ ...base, decider: { personId: 'x', roles: ['teacher', 'class_teacher'] } }).level).toBe('refuse');
  });

  it('nobody approves their own request, not even a deputy', () => {
    const v = checkCorrectionDecision({ ...base, requesterId: 'd1' });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]?.message).toContain('собственный');
  });

  it('the school may let the director approve as well', () => {
    const decider = { personId: 'dir', roles: ['director'] as const };
    expect(checkCorrectionDecision({ ...base, decider }).level).toBe('refuse');
    const s: RuleSettings = { ...DEFAULT_RULE_SETTINGS, correction: { ...DEFAULT_RULE_SETTINGS.correction, approvers: ['deputy', 'director'] } };
    expect(checkCorrectionDecision({ ...base, decider }, s).level).toBe('ok');
  });

  it('a period mark of grade 8 is approved by the deputy; an annual mark of grade 9 needs the director’s order (п. 7.14)', () => {
    expect(requiredApproval({ kind: 'periodMark', grade: 8, term: 'annual' })).toBe('deputy');
    expect(requiredApproval({ kind: 'periodMark', grade: 9, term: 'period' })).toBe('deputy');
    expect(requiredApproval({ kind: 'periodMark', grade: 9, term: 'annual' })).toBe('director_order');
    expect(requiredApproval({ kind: 'periodMark', grade: 11, term: 'final' })).toBe('director_order');
  });

  it('a final mark of grade 11 is corrected by the director with the order number and both written explanations (п. 7.14)', () => {
    const final: CorrectionDecisionInput = {
      target: { kind: 'periodMark', grade: 11, term: 'final' }, requesterId: 't1', decider: { personId: 'dir', roles: ['director'] }, approved: true,
      orderRef: '№ 45-р', explanations: { teacher: 'Ошибка при переносе', deputy: 'Проверено по ведомости' },
    };
    expect(checkCorrectionDecision(final).level).toBe('ok');
    expect(hasCode(checkCorrectionDecision({ ...final, decider: { personId: 'd1', roles: ['deputy'] } }), 'needs_director_order')).toBe(true);
    expect(checkCorrectionDecision({ ...final, orderRef: ' ' }).level).toBe('refuse');
    expect(checkCorrectionDecision({ ...final, explanations: { teacher: 'Ошибка' } }).level).toBe('refuse');
  });

  it('the director may reject such a request without an order', () => {
    expect(checkCorrectionDecision({ target: { kind: 'periodMark', grade: 9, term: 'annual' }, requesterId: 't1', decider: { personId: 'dir', roles: ['director'] }, approved: false }).level).toBe('ok');
  });
});

describe('own slip fixed at once (R-CORRECTION, п. 7.14)', () => {
  const base = { previousAuthor: 'acc-t', previousAt: '2026-09-16T10:00:00Z', actor: 'acc-t' };
  it('lets the author change their own mark within 10 minutes without a request (п. 7.14)', () => {
    expect(isOwnRecentEntry({ ...base, now: '2026-09-16T10:10:00Z' })).toBe(true);
  });
  it('needs a request one minute after the 10 minutes (п. 7.14)', () => {
    expect(isOwnRecentEntry({ ...base, now: '2026-09-16T10:11:00Z' })).toBe(false);
  });
  it('never waives the request for someone else\'s mark (п. 7.14)', () => {
    expect(isOwnRecentEntry({ ...base, actor: 'acc-other', now: '2026-09-16T10:01:00Z' })).toBe(false);
  });
  it('is off when the school sets 0 minutes', () => {
    const s = parseRuleSettings({ correction: { ownFixMinutes: 0 } });
    expect(s.ok).toBe(true);
    if (s.ok) expect(isOwnRecentEntry({ ...base, now: '2026-09-16T10:00:30Z' }, s.value)).toBe(false);
  });
});
