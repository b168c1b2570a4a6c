/**
 * The curriculum's totals (п. 9.6): hours a week per class and each teacher's load. A class's week
 * counts its whole-class courses, and for a subject taught only in parts of the class (subgroups,
 * profile groups) the largest part's hours — a pupil sits in one of them. A teacher's load counts
 * every group taught (two subgroups are two lots of hours).
 */
import type { SetupView } from '../../../../src-shared/contract/admin';

type Course = Pick<SetupView['courses'][number], 'groupId' | 'subjectId' | 'teacherId' | 'hoursPerWeek'>;
type Group = Pick<SetupView['groups'][number], 'id' | 'kind' | 'classId' | 'name'>;
type Class = Pick<SetupView['classes'][number], 'id' | 'name' | 'grade' | 'letter'>;

interface ClassWeek { classId: string; name: string; grade: number; hours: number; subjects: number }
export interface TeacherLoad { teacherId: string; hours: number; courses: number; classes: string[] }

/** Classes by grade, then letter, as a school lists them. */
export const byGradeLetter = <C extends { grade: number; letter: string }>(a: C, b: C) => a.grade - b.grade || a.letter.localeCompare(b.letter, 'ru');

export function classWeeks(classes: readonly Class[], groups: readonly Group[], courses: readonly Course[]): ClassWeek[] {
  const groupOf = new Map(groups.map((g) => [g.id, g]));
  return [...classes].sort(byGradeLetter).map((c) => {
    const whole = new Map<string, number>();
    const parts = new Map<string, number>();
    for (const k of courses) {
      const g = groupOf.get(k.groupId);
      if (!g || g.classId !== c.id) continue;
      if (g.kind === 'class') whole.set(k.subjectId, (whole.get(k.subjectId) ?? 0) + k.hoursPerWeek);
      else if (g.kind === 'subgroup' || g.kind === 'profile') parts.set(k.subjectId, Math.max(parts.get(k.subjectId) ?? 0, k.hoursPerWeek));
    }
    for (const [s, h] of parts) if (!whole.has(s)) whole.set(s, h);
    const hours = [...whole.values()].reduce((a, b) => a + b, 0);
    return { classId: c.id, name: c.name, grade: c.grade, hours, subjects: whole.size };
  });
}

export function teacherLoads(classes: readonly Class[], groups: readonly Group[], courses: readonly Course[]): TeacherLoad[] {
  const groupOf = new Map(groups.map((g) => [g.id, g]));
  const classOf = new Map(classes.map((c) => [c.id, c]));
  const loads = new Map<string, { hours: number; courses: number; classes: Set<string> }>();
  for (const k of courses) {
    if (!k.teacherId) continue;
    const l = loads.get(k.teacherId) ?? { hours: 0, courses: 0, classes: new Set<string>() };
    l.hours += k.hoursPerWeek;
    l.courses += 1;
    const g = groupOf.get(k.groupId);
    const c = g?.classId ? classOf.get(g.classId) : undefined;
    l.classes.add(c ? c.name : g?.name ?? k.groupId);
    loads.set(k.teacherId, l);
  }
  return [...loads.entries()].map(([teacherId, l]) => ({ teacherId, hours: l.hours, courses: l.courses, classes: sortNames([...l.classes]) }));
}

/** «5А» before «10А»: the leading grade number first. */
function sortNames(names: string[]): string[] {
  const grade = (n: string) => Number(/^\d+/.exec(n)?.[0] ?? 99);
  return names.sort((a, b) => grade(a) - grade(b) || a.localeCompare(b, 'ru'));
}

/** «4,5 ч» */
export const hoursText = (h: number) => `${String(Math.round(h * 10) / 10).replace('.', ',')} ч`;
