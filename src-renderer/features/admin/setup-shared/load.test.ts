import { describe, expect, it } from 'vitest';
import { classWeeks, teacherLoads } from './load';

const classes = [
  { id: 'c5', name: '5А', grade: 5, letter: 'А' },
  { id: 'c10', name: '10А', grade: 10, letter: 'А' },
];
const groups = [
  { id: 'g5', kind: 'class' as const, classId: 'c5', name: '5А' },
  { id: 'g5-en1', kind: 'subgroup' as const, classId: 'c5', name: '5А англ. 1' },
  { id: 'g5-en2', kind: 'subgroup' as const, classId: 'c5', name: '5А англ. 2' },
  { id: 'g10', kind: 'class' as const, classId: 'c10', name: '10А' },
  { id: 'club', kind: 'club' as const, classId: null, name: 'Кружок' },
];
const k = (groupId: string, subjectId: string, hoursPerWeek: number, teacherId: string | null) => ({ groupId, subjectId, hoursPerWeek, teacherId });

describe('curriculum totals (п. 9.6)', () => {
  const courses = [
    k('g5', 'russian', 5, 't1'), k('g5', 'math', 5, 't2'),
    k('g5-en1', 'english', 3, 't3'), k('g5-en2', 'english', 3, 't4'),
    k('g10', 'math', 4.5, 't2'), k('club', 'club', 1, 't1'), k('g10', 'pe', 2, null),
  ];
  it("counts a class's week once per subject: the whole class, or one subgroup's hours", () => {
    expect(classWeeks(classes, groups, courses)).toEqual([
      { classId: 'c5', name: '5А', grade: 5, hours: 13, subjects: 3 },
      { classId: 'c10', name: '10А', grade: 10, hours: 6.5, subjects: 2 },
    ]);
  });
  it("adds every group a teacher teaches to the teacher's load, with the classes (a club by its name)", () => {
    const loads = new Map(teacherLoads(classes, groups, courses).map((l) => [l.teacherId, l]));
    expect(loads.get('t2')).toEqual({ teacherId: 't2', hours: 9.5, courses: 2, classes: ['5А', '10А'] });
    expect(loads.get('t1')).toEqual({ teacherId: 't1', hours: 6, courses: 2, classes: ['5А', 'Кружок'] });
    expect(loads.has('null')).toBe(false);
    expect([...loads.keys()].sort()).toEqual(['t1', 't2', 't3', 't4']);
  });
  it('changes when a course is added', () => {
    const before = classWeeks(classes, groups, courses)[1]!.hours;
    const after = classWeeks(classes, groups, [...courses, k('g10', 'physics', 2, 't2')])[1]!.hours;
    expect(after - before).toBe(2);
  });
});
