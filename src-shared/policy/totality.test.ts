import { describe, it, expect } from 'vitest';
import { ROLES } from '../domain/school';
import { OP_KINDS, payloads, type OpKind } from '../ops/kinds';
import { authorize, type PolicyRequest } from './authorize';
import type { Decision } from './decision';
import { QUERY_NAMES, type QueryName, type QueryParams } from './queries';
import { ACTOR_OF_ROLE, facts, NOW, YEAR } from './test-school';

/** A valid payload of every kind, about the test school. */
const SAMPLE: Record<OpKind, unknown> = {
  'school.set': { name: 'МБОУ «Центр образования с. Усть-Белая»' },
  'setting.set': { key: 'diary.mode', value: 'electronic' },
  'year.set': { id: YEAR, name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' },
  'levelScheme.set': { yearId: YEAR, level: 'OOO', scheme: 'trimesters' },
  'period.set': { id: 'q1', yearId: YEAR, scheme: 'trimesters', number: 1, name: '1 триместр', starts: '2026-09-01', ends: '2026-11-30' },
  'period.remove': { id: 'q1' },
  'holiday.set': { id: 'h1', yearId: YEAR, name: 'Осенние каникулы', starts: '2026-10-26', ends: '2026-11-03' },
  'holiday.remove': { id: 'h1' },
  'bell.set': { yearId: YEAR, number: 1, starts: '08:30', ends: '09:10' },
  'subject.set': { id: 'math', name: 'Математика', short: 'Мат.', code: 'math' },
  'staff.set': { id: 'st-new', lastName: 'Соколова', firstName: 'Мария' },
  'student.set': { id: 's-vera', lastName: 'Лебедева', firstName: 'Вера', classId: '5b' },
  'parent.set': { id: 'p-olga', lastName: 'Лебедева', firstName: 'Ольга' },
  'parent.link': { parentId: 'p-olga', studentId: 's-vera' },
  'parent.unlink': { parentId: 'p-olga', studentId: 's-vera' },
  'class.set': { id: '5b', yearId: YEAR, grade: 5, letter: 'Б', classTeacherId: 'st-petrov' },
  'group.set': { id: 'g-5b', yearId: YEAR, name: '5Б', kind: 'class', classId: '5b' },
  'group.members': { groupId: 'g-5b', add: ['s-vera'] },
  'course.set': { id: 'c-math-5b', yearId: YEAR, groupId: 'g-5b', subjectId: 'math', teacherId: 'st-smirnov', hoursPerWeek: 5 },
  'course.remove': { id: 'c-math-5b' },
  'slot.set': { id: 'slot-1', courseId: 'c-math-5b', weekday: 1, number: 1, validFrom: '2026-09-01' },
  'slot.remove': { id: 'slot-1' },
  'ktp.set': { id: 'ktp-1', yearId: YEAR, subjectId: 'math', grade: 5, number: 1, topic: 'Натуральные числа' },
  'ktp.remove': { id: 'ktp-1' },
  'account.set': { id: 'a-new', login: 'sokolova', personKind: 'staff', personId: 'st-new', roles: ['teacher'] },
  'account.password': { id: 'a-new', verifier: 'scrypt$abc' },
  'account.reset': { id: 'a-new', verifier: 'scrypt$abc' },
  'account.block': { id: 'a-new', blocked: true },
  'breach.record': { id: 'b-1', accountId: 'a-smirnov', from: '2026-10-05T08:00:00Z', reportedAt: '2026-10-05T08:20:00Z' },
  'lesson.create': { id: 'l-new', courseId: 'c-math-5b', date: '2026-10-06', number: 2 },
  'lesson.move': { id: 'l-math-5b-1', date: '2026-10-07', number: 3 },
  'lesson.remove': { id: 'l-math-5b-1' },
  'lesson.update': { id: 'l-math-5b-1', topic: 'Дроби', homework: '№ 12' },
  'substitution.set': { lessonId: 'l-math-5b-1', teacherId: 'st-orlova' },
  'substitution.remove': { lessonId: 'l-math-5b-1' },
  'homework.individual': { lessonId: 'l-math-5b-1', studentId: 's-vera', text: '№ 15' },
  'mark.set': { lessonId: 'l-math-5b-1', marks: [{ studentId: 's-vera', value: '5' }] },
  'mark.annul': { lessonId: 'l-math-5b-1', marks: [{ studentId: 's-vera' }] },
  'attendance.set': { lessonId: 'l-math-5b-1', entries: [{ studentId: 's-vera', absent: true }] },
  'absence.reason': { lessonId: 'l-math-5b-1', entries: [{ studentId: 's-vera', reason: 'illness' }] },
  'periodMark.set': { yearId: YEAR, subjectId: 'math', term: 'q1', marks: [{ studentId: 's-vera', value: '4' }] },
  'periodMark.annul': { yearId: YEAR, subjectId: 'math', term: 'q1', studentIds: ['s-vera'] },
  'attestation.decision': { yearId: YEAR, subjectId: 'math', term: 'q1', studentId: 's-vera', attest: true, note: 'Решение' },
  'correction.request': { id: 'corr-9', target: { kind: 'mark', lessonId: 'l-math-5b-1', studentId: 's-vera' }, value: '4', reason: 'Ошибка' },
  'correction.decide': { id: 'corr-1', approved: true },
  'consent.set': { parentId: 'p-anna', kind: 'personal_data', value: 'given', date: '2026-09-01' },
  'diary.ack': { studentId: 's-anya' },
  'announcement.post': { id: 'ann-1', title: 'Собрание', body: 'В пятницу', audience: { kind: 'school' } },
  'announcement.annul': { id: 'ann-5a' },
  'message.send': { id: 'msg-1', to: 'a-smirnov', body: 'Здравствуйте' },
  'message.read': { id: 'm-1' },
};

const QUERY_SAMPLE: { [Q in QueryName]: QueryParams[Q] } = {
  'gradebook.get': { courseId: 'c-math-5b' },
  'lesson.get': { lessonId: 'l-math-5b-1' },
  'cell.history': { kind: 'mark', lessonId: 'l-math-5b-1', studentId: 's-vera' },
  'diary.week': { studentId: 's-vera', week: '2026-10-05' },
  'student.get': { studentId: 's-vera' },
  'class.roster': { classId: '5b' },
  'class.summary': { classId: '5b' },
  'periodMark.proposal': { courseId: 'c-math-5b', periodId: 'q1' },
  'correction.inbox': {},
  'report.weekly': { classId: '5b', week: '2026-10-05' },
  'report.annual': { classId: '5b' },
  'report.summary': {},
  'breach.act': { breachId: 'b-1' },
  'accounts.list': {},
  'messages.list': {},
  'announcements.list': {},
  'setup.get': {},
  'setup.export': {},
  'timetable.get': {},
  'session.get': {},
  'status.get': {},
  'courses.list': {},
  'ktp.list': { courseId: 'c-math-5b' },
  'attendance.week': { classId: '5b', week: '2026-10-05' },
  'import.preview': {},
  'import.template': {},
  'accounts.manage': {},
  'timetable.manage': {},
  'substitutions.mine': {},
  'timetable.week': { classId: '5b', week: '2026-10-05' },
  'year.checklist': { yearId: 'y26' },
  'year.manage': {},
  'year.status': { courseId: 'c-math-5b' },
};

const opRequest = (kind: OpKind): PolicyRequest => ({ type: 'op', kind, payload: payloads[kind].parse(SAMPLE[kind]) }) as PolicyRequest;
const queryRequest = (name: QueryName): PolicyRequest => ({ type: 'query', name, params: QUERY_SAMPLE[name] }) as PolicyRequest;

/** A refusal is Russian and ends with the clause it cites. */
function expectWellFormed(d: Decision): void {
  if (d.allow) return;
  expect(['forbidden', 'not_found', 'blocked']).toContain(d.code);
  expect(d.requirement).toMatch(/^R-[A-Z-]+$/);
  expect(d.clause).toMatch(/^п\. \d/);
  expect(d.message.endsWith(`(${d.clause})`)).toBe(true);
  expect(d.message).toMatch(/[А-Яа-яЁё]{3}/);
}

const SETUP_KINDS: OpKind[] = [
  'school.set', 'setting.set', 'year.set', 'levelScheme.set', 'period.set', 'period.remove', 'holiday.set', 'holiday.remove',
  'bell.set', 'subject.set', 'staff.set', 'student.set', 'parent.set', 'parent.link', 'parent.unlink', 'class.set', 'group.set',
  'group.members', 'course.set', 'course.remove', 'slot.set', 'slot.remove', 'ktp.set', 'ktp.remove',
  'account.set', 'account.password', 'account.reset', 'account.block', 'breach.record',
];

describe('authorize is total (R-RBAC, п. 7.4)', () => {
  it('decides every op kind for every role without throwing, with well-formed refusals (п. 7.4)', () => {
    for (const kind of OP_KINDS) {
      const req = opRequest(kind);
      for (const role of ROLES) {
        const d = authorize(ACTOR_OF_ROLE[role], req, facts, NOW);
        expect(typeof d.allow, `${kind} × ${role}`).toBe('boolean');
        expectWellFormed(d);
      }
    }
  });

  it('decides every query for every role without throwing, with well-formed refusals (п. 7.4)', () => {
    for (const name of QUERY_NAMES) {
      for (const role of ROLES) {
        const d = authorize(ACTOR_OF_ROLE[role], queryRequest(name), facts, NOW);
        expect(typeof d.allow, `${name} × ${role}`).toBe('boolean');
        expectWellFormed(d);
        if (d.allow) expect(d.scope, `${name} × ${role} carries a scope`).toBeDefined();
      }
    }
  });

  it('the administrator gets forbidden for marks, attendance, period marks and lesson content (п. 9.6)', () => {
    for (const kind of ['mark.set', 'mark.annul', 'attendance.set', 'periodMark.set', 'periodMark.annul', 'lesson.update', 'homework.individual', 'absence.reason'] as const) {
      const d = authorize(ACTOR_OF_ROLE.admin, opRequest(kind), facts, NOW);
      expect(d.allow ? 'allowed' : d.code, kind).toBe('forbidden');
    }
  });

  it('a parent is refused every set-up and account op (п. 9.6)', () => {
    for (const kind of SETUP_KINDS) {
      expect(authorize(ACTOR_OF_ROLE.parent, opRequest(kind), facts, NOW).allow, kind).toBe(false);
      expect(authorize(ACTOR_OF_ROLE.student, opRequest(kind), facts, NOW).allow, kind).toBe(false);
    }
  });

  it('a person sets their own password, nobody else\'s but the administrator (п. 10.1, 10.2)', () => {
    for (const role of ROLES) {
      const actor = ACTOR_OF_ROLE[role];
      const own = authorize(actor, { type: 'op', kind: 'account.password', payload: { id: actor.accountId, verifier: 'scrypt$abc' } } as never, facts, NOW);
      expect(own.allow, role).toBe(true);
      expect(authorize(actor, opRequest('account.reset'), facts, NOW).allow, role).toBe(role === 'admin');
    }
  });

  it('the administrator may do every set-up op except record a breach (п. 9.6, 10.4)', () => {
    for (const kind of SETUP_KINDS) {
      expect(authorize(ACTOR_OF_ROLE.admin, opRequest(kind), facts, NOW).allow, kind).toBe(kind !== 'breach.record');
    }
  });
});
