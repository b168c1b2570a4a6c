import { describe, it, expect } from 'vitest';
import { assessmentGaps, checkDensity, markShare } from './density';
import type { DensityInput, DensityLesson } from './density';

const lessons: DensityLesson[] = Array.from({ length: 8 }, (_, i) => ({ id: `L${i + 1}`, date: `2024-10-${String(i + 1).padStart(2, '0')}`, number: 2 }));
const base = (p: Partial<DensityInput>): DensityInput => ({ grade: 6, lessons, studentIds: ['a'], marks: [], absences: [], ...p });

describe('R-DENSITY: assessed at least once in 3–4 lessons', () => {
  it('reports a student with 4 attended lessons in a row without a mark (п. 7.14)', () => {
    const r = assessmentGaps(base({ marks: [{ studentId: 'a', lessonId: 'L1' }, { studentId: 'a', lessonId: 'L6' }, { studentId: 'a', lessonId: 'L8' }] }));
    expect(r.gaps).toEqual([{ studentId: 'a', lessons: 4, from: '2024-10-02', to: '2024-10-05', open: false }]);
  });

  it('does not report 3 lessons without a mark (п. 7.14)', () => {
    const r = assessmentGaps(base({ marks: ['L1', 'L5', 'L8'].map((lessonId) => ({ studentId: 'a', lessonId })) }));
    expect(r.gaps).toEqual([]);
  });

  it('missed lessons neither count nor break the run', () => {
    const marks = ['L1', 'L8'].map((lessonId) => ({ studentId: 'a', lessonId }));
    expect(assessmentGaps(base({ marks, absences: ['L2', 'L3', 'L4'].map((lessonId) => ({ studentId: 'a', lessonId })) })).gaps).toEqual([]);
    expect(assessmentGaps(base({ marks, absences: ['L3'].map((lessonId) => ({ studentId: 'a', lessonId })) })).gaps[0]).toMatchObject({ lessons: 5, from: '2024-10-02', to: '2024-10-07' });
  });

  it('marks an open run and lists students due at the next lesson', () => {
    const r = assessmentGaps(base({ studentIds: ['a', 'b', 'c'], marks: [
      { studentId: 'a', lessonId: 'L4' },
      { studentId: 'b', lessonId: 'L5' },
      { studentId: 'c', lessonId: 'L8' },
    ] }));
    expect(r.gaps).toEqual([
      { studentId: 'a', lessons: 4, from: '2024-10-05', to: '2024-10-08', open: true },
      { studentId: 'b', lessons: 4, from: '2024-10-01', to: '2024-10-04', open: false },
      { studentId: 'c', lessons: 7, from: '2024-10-01', to: '2024-10-07', open: false },
    ]);
    expect(r.dueNext).toEqual(['b']);
  });

  it('orders lessons by date and number whatever the input order, and skips extracurricular lessons', () => {
    const shuffled = [...lessons].reverse().concat({ id: 'X', date: '2024-10-03', number: 8, kind: 'extracurricular' });
    const r = assessmentGaps(base({ lessons: shuffled, marks: ['L1', 'L5'].map((lessonId) => ({ studentId: 'a', lessonId })) }));
    expect(r.gaps).toEqual([]);
    expect(r.dueNext).toEqual(['a']);
  });

  it('a lesson whose study day is not over ends a run with a mark and is not counted without one (п. 9.5)', () => {
    const marks = [{ studentId: 'a', lessonId: 'L1' }, { studentId: 'b', lessonId: 'L1' }, { studentId: 'b', lessonId: 'L5' }];
    // L2–L4 attended without a mark; L5 is today: not yet a fourth lesson for «a», and its mark closes «b»'s run.
    const r = assessmentGaps(base({ lessons: lessons.slice(0, 5), studentIds: ['a', 'b'], marks, pending: ['L5'] }));
    expect(r).toEqual({ gaps: [], dueNext: ['a'] });
    expect(assessmentGaps(base({ lessons: lessons.slice(0, 5), studentIds: ['a'], marks })).gaps).toEqual([{ studentId: 'a', lessons: 4, from: '2024-10-02', to: '2024-10-05', open: true }]);
  });

  it('asks nothing in grade 1 (п. 9.5)', () => {
    expect(assessmentGaps(base({ grade: 1 }))).toEqual({ gaps: [], dueNext: [] });
  });
});

describe('R-DENSITY: marks in a quarter ≥ 25 % of its lessons', () => {
  it('needs ⌈25 % × 18⌉ = 5 marks for 18 lessons, a fraction counting as two (п. 7.14, 7.15)', () => {
    const r = markShare({ grade: 6, lessons: 18, studentIds: ['a', 'b'], marks: [
      { studentId: 'a', value: '5/4' }, { studentId: 'a', value: '4' }, { studentId: 'a', value: '3' }, { studentId: 'a', value: '5' },
      { studentId: 'b', value: '4' }, { studentId: 'b', value: '4' }, { studentId: 'b', value: '4' }, { studentId: 'b', value: '4' },
    ] });
    expect(r).toEqual([
      { studentId: 'a', marks: 5, lessons: 18, required: 5, ok: true },
      { studentId: 'b', marks: 4, lessons: 18, required: 5, ok: false },
    ]);
  });

  it('needs exactly 25 % when it is a whole number: 2 marks for 8 lessons', () => {
    expect(markShare({ grade: 6, lessons: 8, studentIds: ['a'], marks: [{ studentId: 'a', value: '4' }, { studentId: 'a', value: '5' }] })[0]?.ok).toBe(true);
  });

  it('warns the teacher about gaps and too few marks (п. 7.14)', () => {
    const gaps = assessmentGaps(base({}));
    const shares = markShare({ grade: 6, lessons: 8, studentIds: ['a'], marks: [] });
    const v = checkDensity(gaps, shares);
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-DENSITY', clause: 'п. 7.14', details: { gapStudents: ['a'], fewMarks: ['a'] } });
    expect(v.findings[0]?.message).toContain('3–4 урока');
    expect(checkDensity({ gaps: [], dueNext: [] }, []).level).toBe('ok');
  });
});
