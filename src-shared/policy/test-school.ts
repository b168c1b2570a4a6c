/**
 * The small school the policy tests run against: two fifth classes, a group that spans both,
 * a substitution, two families.
 *
 *   5А (class teacher Иванова, who also teaches Russian there): Аня, Борис
 *   5Б (class teacher Петров): Вера
 *   Maths 5А and 5Б: Смирнов; English (group of Аня and Вера): Козлов
 *   Substitution: Орлова on maths 5А lesson 1, recorded 2026-10-05 08:00 UTC
 *   Анна is Аня's mother; Ольга is Вера's mother
 */
import type { Role } from '../domain/school';
import type { Actor } from './actor';
import { fakeFacts } from './fake-facts';

export const YEAR = 'y2026';
export const SUBSTITUTION_RECORDED = '2026-10-05T08:00:00Z';

export const facts = fakeFacts({
  courses: {
    'c-math-5a': { groupId: 'g-5a', teacherId: 'st-smirnov', yearId: YEAR, subjectId: 'math' },
    'c-rus-5a': { groupId: 'g-5a', teacherId: 'st-ivanova', yearId: YEAR, subjectId: 'russian' },
    'c-math-5b': { groupId: 'g-5b', teacherId: 'st-smirnov', yearId: YEAR, subjectId: 'math' },
    'c-eng': { groupId: 'g-eng', teacherId: 'st-kozlov', yearId: YEAR, subjectId: 'english' },
  },
  lessons: {
    'l-math-5a-1': { courseId: 'c-math-5a' },
    'l-math-5a-2': { courseId: 'c-math-5a' },
    'l-rus-5a-1': { courseId: 'c-rus-5a' },
    'l-math-5b-1': { courseId: 'c-math-5b' },
    'l-eng-1': { courseId: 'c-eng' },
  },
  substitutions: { 'l-math-5a-1': { teacherId: 'st-orlova', recordedAt: SUBSTITUTION_RECORDED } },
  groups: { 'g-5a': ['s-anya', 's-boris'], 'g-5b': ['s-vera'], 'g-eng': ['s-anya', 's-vera'] },
  classTeachers: { '5a': 'st-ivanova', '5b': 'st-petrov' },
  studentClass: { 's-anya': '5a', 's-boris': '5a', 's-vera': '5b' },
  children: { 'p-anna': ['s-anya'], 'p-olga': ['s-vera'] },
  accounts: {
    'a-smirnov': ['teacher'], 'a-ivanova': ['teacher', 'class_teacher'], 'a-petrov': ['class_teacher'], 'a-orlova': ['teacher'],
    'a-kozlov': ['teacher'], 'a-deputy': ['deputy'], 'a-director': ['director'], 'a-admin': ['admin'], 'a-methodist': ['methodist'],
    'a-anna': ['parent'], 'a-olga': ['parent'], 'a-anya': ['student'], 'a-vera': ['student'],
  },
  messages: { 'm-1': { to: 'a-anna' } },
  corrections: { 'corr-1': { requestedBy: 'a-smirnov' }, 'corr-deputy': { requestedBy: 'a-deputy' } },
  announcements: { 'ann-5a': { postedBy: 'a-ivanova' } },
});

function staff(accountId: string, staffId: string, ...roles: Role[]): Actor {
  return { accountId, roles, staffId, parentOf: [] };
}

export const actors = {
  smirnov: staff('a-smirnov', 'st-smirnov', 'teacher'),
  ivanova: staff('a-ivanova', 'st-ivanova', 'teacher', 'class_teacher'),
  petrov: staff('a-petrov', 'st-petrov', 'class_teacher'),
  orlova: staff('a-orlova', 'st-orlova', 'teacher'),
  kozlov: staff('a-kozlov', 'st-kozlov', 'teacher'),
  deputy: staff('a-deputy', 'st-deputy', 'deputy'),
  director: staff('a-director', 'st-director', 'director'),
  admin: staff('a-admin', 'st-admin', 'admin'),
  methodist: staff('a-methodist', 'st-methodist', 'methodist'),
  anna: { accountId: 'a-anna', roles: ['parent'], parentId: 'p-anna', parentOf: ['s-anya'] } satisfies Actor,
  olga: { accountId: 'a-olga', roles: ['parent'], parentId: 'p-olga', parentOf: ['s-vera'] } satisfies Actor,
  anya: { accountId: 'a-anya', roles: ['student'], studentId: 's-anya', parentOf: [] } satisfies Actor,
  vera: { accountId: 'a-vera', roles: ['student'], studentId: 's-vera', parentOf: [] } satisfies Actor,
} as const;

/** One actor per role, for the all-kinds × all-roles sweep. */
export const ACTOR_OF_ROLE: Record<Role, Actor> = {
  director: actors.director,
  deputy: actors.deputy,
  methodist: actors.methodist,
  class_teacher: actors.petrov,
  teacher: actors.smirnov,
  admin: actors.admin,
  parent: actors.anna,
  student: actors.anya,
};

/** 09:30 UTC: after the substitution was recorded. */
export const NOW = '2026-10-05T12:30:00+03:00';
