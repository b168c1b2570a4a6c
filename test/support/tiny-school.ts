/**
 * A tiny school built only from ops, for tests: one year, trimesters, 5А with three students,
 * Russian taught by a teacher, a few lessons in September. Real SQLite (a temp file or :memory:).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal, type Journal } from '../../src-main/journal/open';
import { allowAll, submit, type CommandContext, type Guard } from '../../src-main/commands/execute';
import { draft } from '../../src-main/journal/log';

export const T = {
  year: 'y26', period1: 'y26-t1', cls: 'c5a', group: 'g5a', subject: 'ru', course: 'k-ru-5a',
  teacher: 'st-teacher', teacherAcc: 'acc-teacher', admin: 'acc-admin', deputy: 'acc-deputy',
  substitute: 'st-sub', substituteAcc: 'acc-sub', parent: 'acc-parent', otherParent: 'acc-parent2',
  otherCls: 'c6a', otherStudent: 's-6', methodist: 'acc-methodist',
  students: ['s-1', 's-2', 's-3'] as const,
  lessons: ['l-0910', 'l-0911', 'l-0916'] as const,
};

export function tempFile(name = 'journal.sqlite'): string {
  return join(mkdtempSync(join(tmpdir(), 'ejournal-')), name);
}

export interface TestClock { now(): number; set(iso: string): void }
export function fixedClock(iso = '2026-09-10T10:00:00.000Z'): TestClock {
  let ms = Date.parse(iso);
  return { now: () => ms, set: (s: string) => { ms = Date.parse(s); } };
}

export function context(journal: Journal, accountId: string = T.admin, clock: TestClock = fixedClock(), guard: Guard = allowAll): CommandContext & { clock: TestClock } {
  return { journal, actor: { accountId }, clock, guard };
}

export function tinySchool(file = ':memory:', opts: { device?: string } = {}): { j: Journal; admin: CommandContext & { clock: TestClock }; teacher: CommandContext & { clock: TestClock } } {
  const j = openJournal(file, { create: true, device: opts.device ?? 'dev1', durability: file === ':memory:' ? 'off' : 'full' });
  const admin = context(j, T.admin, fixedClock('2026-08-25T09:00:00.000Z'));
  submit(admin,
    draft('school.set', { name: 'МБОУ «Тестовая СОШ»', timezone: 'Asia/Yekaterinburg' }),
    draft('year.set', { id: T.year, name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' }),
    draft('levelScheme.set', { yearId: T.year, level: 'OOO', scheme: 'trimesters' }),
    draft('period.set', { id: T.period1, yearId: T.year, scheme: 'trimesters', number: 1, name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' }),
    draft('staff.set', { id: T.teacher, lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна', position: 'учитель русского языка' }),
    draft('staff.set', { id: 'st-admin', lastName: 'Смирнов', firstName: 'Олег', position: 'инженер' }),
    draft('account.set', { id: T.admin, login: 'admin', personKind: 'staff', personId: 'st-admin', roles: ['admin'] }),
    draft('account.set', { id: T.teacherAcc, login: 'teacher', personKind: 'staff', personId: T.teacher, roles: ['teacher', 'class_teacher'] }),
    draft('class.set', { id: T.cls, yearId: T.year, grade: 5, letter: 'А', classTeacherId: T.teacher }),
    draft('group.set', { id: T.group, yearId: T.year, name: '5А', kind: 'class', classId: T.cls }),
    draft('subject.set', { id: T.subject, name: 'Русский язык', short: 'Рус. яз.', code: 'russian' }),
    draft('course.set', { id: T.course, yearId: T.year, groupId: T.group, subjectId: T.subject, teacherId: T.teacher, hoursPerWeek: 5 }),
    draft('student.set', { id: T.students[0], lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич', classId: T.cls }),
    draft('student.set', { id: T.students[1], lastName: 'Вануйто', firstName: 'Анна', middleName: 'Сергеевна', classId: T.cls }),
    draft('student.set', { id: T.students[2], lastName: 'Ёлкина', firstName: 'Ольга', classId: T.cls }),
    draft('lesson.create', { id: T.lessons[0], courseId: T.course, date: '2026-09-10', number: 2 }),
    draft('lesson.create', { id: T.lessons[1], courseId: T.course, date: '2026-09-11', number: 1 }),
    draft('lesson.create', { id: T.lessons[2], courseId: T.course, date: '2026-09-16', number: 3 }),
    ...[['08:30', '09:10'], ['09:20', '10:00'], ['10:15', '10:55'], ['11:10', '11:50'], ['12:00', '12:40'], ['12:50', '13:30']]
      .map(([starts, ends], i) => draft('bell.set', { yearId: T.year, number: i + 1, starts: starts!, ends: ends! })),
    draft('staff.set', { id: 'st-deputy', lastName: 'Салиндер', firstName: 'Ирина', position: 'заместитель директора по УВР' }),
    draft('account.set', { id: T.deputy, login: 'deputy', personKind: 'staff', personId: 'st-deputy', roles: ['deputy'] }),
    draft('staff.set', { id: 'st-methodist', lastName: 'Ядне', firstName: 'Вера', position: 'методист' }),
    draft('account.set', { id: T.methodist, login: 'methodist', personKind: 'staff', personId: 'st-methodist', roles: ['methodist'] }),
    draft('staff.set', { id: T.substitute, lastName: 'Яптик', firstName: 'Антон', position: 'учитель' }),
    draft('account.set', { id: T.substituteAcc, login: 'sub', personKind: 'staff', personId: T.substitute, roles: ['teacher'] }),
    draft('parent.set', { id: 'p-1', lastName: 'Петрова', firstName: 'Елена' }),
    draft('parent.link', { parentId: 'p-1', studentId: T.students[0] }),
    draft('account.set', { id: T.parent, login: 'parent', personKind: 'parent', personId: 'p-1', roles: ['parent'] }),
    draft('class.set', { id: T.otherCls, yearId: T.year, grade: 6, letter: 'А' }),
    draft('student.set', { id: T.otherStudent, lastName: 'Худи', firstName: 'Нина', classId: T.otherCls }),
    draft('parent.set', { id: 'p-2', lastName: 'Худи', firstName: 'Олег' }),
    draft('parent.link', { parentId: 'p-2', studentId: T.otherStudent }),
    draft('account.set', { id: T.otherParent, login: 'parent2', personKind: 'parent', personId: 'p-2', roles: ['parent'] }),
  );
  const teacher = context(j, T.teacherAcc, fixedClock('2026-09-10T10:00:00.000Z'));
  return { j, admin, teacher };
}

/** The director's account (role `director`), which the tiny school does not have by itself. */
export const DIRECTOR = 'acc-director';

/** The tiny school with a director: Лаптандер Галина, login `director`. */
export function tinySchoolWithDirector(): ReturnType<typeof tinySchool> {
  const s = tinySchool();
  submit(s.admin,
    draft('staff.set', { id: 'st-director', lastName: 'Лаптандер', firstName: 'Галина', position: 'директор' }),
    draft('account.set', { id: DIRECTOR, login: 'director', personKind: 'staff', personId: 'st-director', roles: ['director'] }));
  return s;
}
