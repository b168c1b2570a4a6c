import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleStudent, StudentLessonRecord } from './inputs';
import { checkMarkEntry, checkPeriodMarkEntry } from './mark-entry';
import type { MarkEntryInput } from './mark-entry';
import { hasCode } from './verdict';

const at = (local: string) => `${local}:00+12:00`;
const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({
  date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'math', grade: 7, workType: 'oral',
  startsAt: at(`${p.date ?? '2024-10-10'}T09:00`), ...p,
});
const student = (p: Partial<RuleStudent> = {}): RuleStudent => ({ id: 's', medicalGroup: 'main', homeSchooling: false, ...p });
const entry = (p: Partial<MarkEntryInput> = {}): MarkEntryInput => ({
  lesson: lesson(), student: student(), mark: { value: '4', column: 'main' }, previous: null, now: at('2024-10-10T09:30'), ...p,
});
const requirements = (v: { findings: readonly { requirement: string }[] }) => v.findings.map((f) => f.requirement);

describe('checkMarkEntry: every current-mark rule in one call', () => {
  it('accepts an ordinary mark during the lesson', () => {
    expect(checkMarkEntry(entry()).level).toBe('ok');
  });

  it('refuses a 2 entered on 15 September 23:59 for that day’s lesson (п. 7.14)', () => {
    const v = checkMarkEntry(entry({ lesson: lesson({ date: '2024-09-15' }), mark: { value: '2', column: 'main' }, now: at('2024-09-15T23:59') }));
    expect(v.level).toBe('refuse');
    expect(requirements(v)).toEqual(['R-ADAPTATION']);
  });

  it('accepts a 2 on 16 September (п. 7.14)', () => {
    expect(checkMarkEntry(entry({ lesson: lesson({ date: '2024-09-16' }), mark: { value: '2', column: 'main' }, now: at('2024-09-16T10:00') })).level).toBe('ok');
  });

  it('refuses a 2 entered on 16 September for a written work of 15 September: the lesson date decides (п. 7.14)', () => {
    const v = checkMarkEntry(entry({
      lesson: lesson({ date: '2024-09-15', workType: 'control' }), mark: { value: '2', column: 'main' }, now: at('2024-09-16T10:00'),
      nextLesson: { date: '2024-09-17', startsAt: at('2024-09-17T09:00') },
    }));
    expect(requirements(v)).toEqual(['R-ADAPTATION']);
  });

  it('refuses any mark in grade 1 (п. 9.5)', () => {
    expect(requirements(checkMarkEntry(entry({ lesson: lesson({ grade: 1 }), mark: { value: '5', column: 'main' } })))).toContain('R-MARKS');
  });

  it('refuses a mark one minute after its window and waives that with an approved correction (п. 7.14)', () => {
    const late = entry({ now: at('2024-10-11T00:00') });
    const v = checkMarkEntry(late);
    expect(hasCode(v, 'needs_correction_request')).toBe(true);
    expect(checkMarkEntry({ ...late, approval: 'deputy' }).level).toBe('ok');
  });

  it('needs a correction request to replace a mark even within the window (п. 7.14)', () => {
    const v = checkMarkEntry(entry({ previous: '3' }));
    expect(requirements(v)).toEqual(['R-CORRECTION']);
    expect(checkMarkEntry(entry({ previous: '3', approval: 'deputy' })).level).toBe('ok');
    expect(hasCode(checkMarkEntry(entry({ previous: '3', mark: null })), 'needs_correction_request')).toBe(true);
  });

  it('an approved correction does not waive adaptation', () => {
    const v = checkMarkEntry(entry({ lesson: lesson({ date: '2024-09-10' }), mark: { value: '2', column: 'main' }, previous: '3', now: at('2024-09-20T10:00'), approval: 'deputy' }));
    expect(requirements(v)).toEqual(['R-ADAPTATION']);
  });

  it('refuses a mark at an extracurricular lesson (п. 7.13)', () => {
    expect(requirements(checkMarkEntry(entry({ lesson: lesson({ kind: 'extracurricular' }) })))).toContain('R-EXTRA');
  });

  it('accepts online and self-study marks at a distance lesson (п. 8.1)', () => {
    expect(checkMarkEntry(entry({ lesson: lesson({ kind: 'distance', workType: 'online' }) })).level).toBe('ok');
    expect(checkMarkEntry(entry({ lesson: lesson({ kind: 'distance', workType: undefined }), mark: { value: '5', column: 'main', workType: 'self_study' } })).level).toBe('ok');
  });

  it('refuses a home-schooled student’s mark at a class lesson (п. 8.2)', () => {
    expect(requirements(checkMarkEntry(entry({ student: student({ homeSchooling: true }) })))).toEqual(['R-HOME']);
    expect(checkMarkEntry(entry({ student: student({ homeSchooling: true }), lesson: lesson({ kind: 'home' }) })).level).toBe('ok');
  });

  it('refuses an expressive reading mark outside its column (п. 7.15)', () => {
    expect(requirements(checkMarkEntry(entry({ lesson: lesson({ subjectCode: 'literature' }), mark: { value: '5', column: 'main', workType: 'reading' } })))).toEqual(['R-SEPARATE-COLUMN']);
  });

  it('warns about a 2 at the first lesson after 3 missed lessons and still allows it (п. 7.14)', () => {
    const history: StudentLessonRecord[] = ['2024-10-03', '2024-10-07', '2024-10-08'].map((date) => ({ date, number: 2, absent: true }));
    const v = checkMarkEntry(entry({ mark: { value: '2', column: 'main' }, history }));
    expect(v.level).toBe('warn');
    expect(requirements(v)).toEqual(['R-SOFT-WARN']);
  });

  it('warns about a 2 at the first lesson after holidays (п. 7.14)', () => {
    const v = checkMarkEntry(entry({ lesson: lesson({ date: '2024-11-05' }), mark: { value: '2', column: 'main' }, now: at('2024-11-05T10:00'), holidays: [{ starts: '2024-10-26', ends: '2024-11-04' }] }));
    expect(requirements(v)).toEqual(['R-SOFT-WARN']);
  });

  it('keeps every warning next to a refusal', () => {
    const v = checkMarkEntry(entry({ lesson: lesson({ workType: undefined }), mark: { value: '5/4', column: 'main' }, previous: '5' }));
    expect(v.level).toBe('refuse');
    expect(requirements(v)).toEqual(['R-FRACTION', 'R-WORKTYPE', 'R-CORRECTION']);
  });
});

describe('checkPeriodMarkEntry: every period-mark rule in one call', () => {
  const period = { starts: '2024-09-02', ends: '2024-10-25' };
  const now = at('2024-10-24T12:00');
  const attendance = (missed: number): StudentLessonRecord[] =>
    Array.from({ length: 20 }, (_, i) => ({ date: `2024-10-${String(i + 1).padStart(2, '0')}`, number: 1, absent: i < missed }));

  it('accepts a first quarter mark in the last week after the last lesson', () => {
    expect(checkPeriodMarkEntry({ grade: 7, term: 'period', value: '4', previous: null, now, period, lastLesson: { date: '2024-10-23' }, attendance: attendance(2) }).level).toBe('ok');
  });

  it('refuses a mark for 11 missed of 20 without the deputy’s decision; accepts exactly half (п. 7.14)', () => {
    expect(hasCode(checkPeriodMarkEntry({ grade: 7, term: 'period', value: '4', previous: null, now, attendance: attendance(11) }), 'needs_deputy_decision')).toBe(true);
    expect(checkPeriodMarkEntry({ grade: 7, term: 'period', value: '4', previous: null, now, attendance: attendance(10) }).level).toBe('ok');
    expect(checkPeriodMarkEntry({ grade: 7, term: 'period', value: 'н/а', previous: null, now, attendance: attendance(11) }).level).toBe('ok');
  });

  it('refuses a period mark in points in grade 1 (п. 9.5)', () => {
    expect(requirements(checkPeriodMarkEntry({ grade: 1, term: 'period', value: '5', previous: null, now }))).toEqual(['R-MARKS']);
  });

  it('a deputy’s approval corrects a quarter mark; a grade 11 final mark needs the director’s order (п. 7.14)', () => {
    expect(checkPeriodMarkEntry({ grade: 7, term: 'period', value: '4', previous: '3', now, approval: 'deputy' }).level).toBe('ok');
    const final = { grade: 11, term: 'final' as const, value: '5' as const, previous: '4' as const, now };
    expect(hasCode(checkPeriodMarkEntry({ ...final, approval: 'deputy' }), 'needs_director_order')).toBe(true);
    expect(checkPeriodMarkEntry({ ...final, approval: 'director_order' }).level).toBe('ok');
  });
});
