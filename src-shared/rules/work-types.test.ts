import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleStudent } from './inputs';
import { checkThematicMarks, checkWorkTypeGiven, effectiveWorkType, isThematic, missingThematicMarks } from './work-types';
import type { RosterEntry } from './work-types';

const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({ date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'math', grade: 7, workType: 'control', ...p });
const student = (id: string, p: Partial<RuleStudent> = {}): RuleStudent => ({ id, medicalGroup: 'main', homeSchooling: false, ...p });
const roster: RosterEntry[] = [
  { student: student('a'), absent: false },
  { student: student('b'), absent: false },
  { student: student('c'), absent: true },
  { student: student('d'), absent: false },
];

describe('R-WORKTYPE', () => {
  it('a mark’s own work type wins over its lesson’s', () => {
    expect(effectiveWorkType(lesson(), { workType: 'oral' })).toBe('oral');
    expect(effectiveWorkType(lesson(), {})).toBe('control');
    expect(isThematic('control')).toBe(true);
    expect(isThematic('oral')).toBe(false);
    expect(isThematic(undefined)).toBe(false);
  });

  it('warns when a mark says no work type (п. 9.5)', () => {
    expect(checkWorkTypeGiven(lesson({ workType: undefined }), {}).level).toBe('warn');
    expect(checkWorkTypeGiven(lesson({ workType: undefined }), { workType: 'oral' }).level).toBe('ok');
  });

  it('lists the present students without a mark at a control work (п. 7.14)', () => {
    expect(missingThematicMarks(lesson(), roster, [{ studentId: 'a', column: 'main' }])).toEqual(['b', 'd']);
  });

  it('does not list absent students (п. 7.14)', () => {
    expect(missingThematicMarks(lesson(), roster, [{ studentId: 'a', column: 'main' }, { studentId: 'b', column: 'main' }, { studentId: 'd', column: 'main' }])).toEqual([]);
  });

  it('a mark in a separate column does not count for the main one', () => {
    expect(missingThematicMarks(lesson(), roster, [{ studentId: 'a', column: 'reading' }])).toEqual(['a', 'b', 'd']);
  });

  it('asks nothing of an ordinary lesson', () => {
    expect(missingThematicMarks(lesson({ workType: 'oral' }), roster, [])).toEqual([]);
    expect(missingThematicMarks(lesson({ workType: undefined }), roster, [])).toEqual([]);
  });

  it('does not bind individually assessed biology and geography laboratory works (п. 7.15)', () => {
    expect(missingThematicMarks(lesson({ subjectCode: 'biology', workType: 'laboratory' }), roster, [])).toEqual([]);
    expect(missingThematicMarks(lesson({ subjectCode: 'physics', workType: 'laboratory' }), roster, [])).toEqual(['a', 'b', 'd']);
  });

  it('skips PE-exempt students at PE and home-schooled students at a class lesson (п. 7.14, 8.2)', () => {
    const r: RosterEntry[] = [
      { student: student('x', { peExemptUntil: '2024-10-31' }), absent: false },
      { student: student('y', { homeSchooling: true }), absent: false },
      { student: student('z'), absent: false },
    ];
    expect(missingThematicMarks(lesson({ subjectCode: 'pe', workType: 'credit' }), r, [])).toEqual(['z']);
  });

  it('warns with the missing students (п. 7.14)', () => {
    const v = checkThematicMarks(lesson(), roster, []);
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.details?.missing).toEqual(['a', 'b', 'd']);
    expect(v.findings[0]?.message).toContain('Контрольная работа');
    expect(checkThematicMarks(lesson({ workType: 'oral' }), roster, []).level).toBe('ok');
  });
});
