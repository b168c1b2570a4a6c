import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleStudent } from './inputs';
import { checkPeAbsence, checkPeMark, isPeExempt, isPeExemptForPeriod, peExemptionNote, specialGroupNote } from './pe';

const pe = (date: string): Pick<RuleLesson, 'subjectCode' | 'date'> => ({ subjectCode: 'pe', date });
const student = (p: Partial<RuleStudent> = {}): RuleStudent => ({ id: 's', medicalGroup: 'main', homeSchooling: false, ...p });

describe('R-PE', () => {
  it('refuses «н» at PE for a student exempt until that date, the last day included (п. 7.14)', () => {
    const s = student({ peExemptUntil: '2024-10-20' });
    const v = checkPeAbsence(pe('2024-10-20'), s);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-PE', clause: 'п. 7.14' });
    expect(v.findings[0]?.message).toContain('20.10.2024');
  });

  it('accepts «н» at PE the day after the exemption ends (п. 7.14)', () => {
    expect(checkPeAbsence(pe('2024-10-21'), student({ peExemptUntil: '2024-10-20' })).level).toBe('ok');
  });

  it('accepts «н» for an exempt student at other subjects', () => {
    expect(checkPeAbsence({ subjectCode: 'math', date: '2024-10-10' }, student({ peExemptUntil: '2024-10-20' })).level).toBe('ok');
  });

  it('writes the exemption date for the journal (п. 7.14)', () => {
    expect(peExemptionNote(student({ peExemptUntil: '2024-10-20' }))).toBe('Освобождён(а) от уроков физической культуры по 20.10.2024');
    expect(peExemptionNote(student())).toBeNull();
    expect(isPeExempt(student(), '2024-10-10')).toBe(false);
  });

  it('knows a whole-period exemption', () => {
    expect(isPeExemptForPeriod(student({ peExemptUntil: '2024-10-27' }), { starts: '2024-09-02', ends: '2024-10-27' })).toBe(true);
    expect(isPeExemptForPeriod(student({ peExemptUntil: '2024-10-26' }), { starts: '2024-09-02', ends: '2024-10-27' })).toBe(false);
  });

  it('warns with the regulation’s note about a 2 for a special-medical-group student (п. 7.14)', () => {
    const v = checkPeMark({ subjectCode: 'pe' }, student({ medicalGroup: 'special' }), '2');
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.message).toContain('регулярном посещении');
    expect(specialGroupNote(student({ medicalGroup: 'special' }))).toContain('мотивации');
    expect(specialGroupNote(student())).toBeNull();
  });

  it('says nothing about a positive mark or a main-group student', () => {
    expect(checkPeMark({ subjectCode: 'pe' }, student({ medicalGroup: 'special' }), '4').level).toBe('ok');
    expect(checkPeMark({ subjectCode: 'pe' }, student(), '2').level).toBe('ok');
  });
});
