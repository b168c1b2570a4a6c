import { describe, it, expect } from 'vitest';
import { payloads, type OpKind, type PayloadInput } from '../ops/kinds';
import type { Actor } from './actor';
import { authorize, type PolicyRequest } from './authorize';
import { notFound, type Decision } from './decision';
import type { QueryName, QueryParams } from './queries';
import { actors, facts, NOW, SUBSTITUTION_RECORDED, YEAR } from './test-school';

function op<K extends OpKind>(kind: K, payload: PayloadInput<K>): PolicyRequest {
  return { type: 'op', kind, payload: payloads[kind].parse(payload) } as PolicyRequest;
}
function query<Q extends QueryName>(name: Q, params: QueryParams[Q]): PolicyRequest {
  return { type: 'query', name, params } as PolicyRequest;
}
function decide(actor: Actor, request: PolicyRequest, now = NOW): Decision {
  return authorize(actor, request, facts, now);
}
const mark = (lessonId: string, studentId = 's-anya') => op('mark.set', { lessonId, marks: [{ studentId, value: '5' }] });
const absent = (lessonId: string, studentId = 's-anya') => op('attendance.set', { lessonId, entries: [{ studentId, absent: true }] });
const reason = (lessonId: string, ...studentIds: string[]) =>
  op('absence.reason', { lessonId, entries: studentIds.map((studentId) => ({ studentId, reason: 'illness' as const })) });

function refusal(d: Decision) {
  if (d.allow) throw new Error('expected a refusal');
  return d;
}

describe('teacher: own lessons only (п. 7.4, 9.5)', () => {
  it('a teacher marks, records absences and writes the topic of a lesson of their own course (п. 9.5)', () => {
    expect(decide(actors.smirnov, mark('l-math-5a-2')).allow).toBe(true);
    expect(decide(actors.smirnov, absent('l-math-5b-1', 's-vera')).allow).toBe(true);
    expect(decide(actors.smirnov, op('lesson.update', { id: 'l-math-5a-2', topic: 'Дроби', homework: '№ 12' })).allow).toBe(true);
    expect(decide(actors.smirnov, op('homework.individual', { lessonId: 'l-math-5a-2', studentId: 's-boris', text: '№ 15' })).allow).toBe(true);
  });

  it('a teacher may not mark a lesson of another teacher\'s course (п. 7.4, 9.5)', () => {
    const d = refusal(decide(actors.kozlov, mark('l-math-5a-2')));
    expect(d.code).toBe('forbidden');
    expect(d.requirement).toBe('R-RBAC');
    expect(d.message).toBe('Отметки выставляет учитель, ведущий предмет, или заменяющий его учитель (п. 7.12, 9.5)');
  });

  it('a missing lesson is not_found for a teacher (п. 7.4)', () => {
    expect(decide(actors.smirnov, mark('l-nope'))).toEqual(notFound('lesson'));
  });

  it('a teacher reads and edits the gradebook of their own course, not of another course (п. 7.4)', () => {
    expect(decide(actors.smirnov, query('gradebook.get', { courseId: 'c-math-5a' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: false } });
    expect(refusal(decide(actors.kozlov, query('gradebook.get', { courseId: 'c-math-5a' }))).code).toBe('forbidden');
  });

  it('a teacher sets period marks for students of their subject only (п. 9.5)', () => {
    const pm = (studentId: string) => op('periodMark.set', { yearId: YEAR, subjectId: 'math', term: 'q1', marks: [{ studentId, value: '4' }] });
    expect(decide(actors.smirnov, pm('s-anya')).allow).toBe(true);
    expect(refusal(decide(actors.kozlov, pm('s-anya'))).code).toBe('forbidden');
  });

  it('a teacher creates an extracurricular lesson of their own course, but not a regular one (п. 7.13, 9.3)', () => {
    const create = (kind: 'regular' | 'extracurricular') => op('lesson.create', { id: 'l-new', courseId: 'c-math-5a', date: '2026-10-10', number: 7, kind });
    expect(decide(actors.smirnov, create('extracurricular')).allow).toBe(true);
    expect(refusal(decide(actors.smirnov, create('regular'))).requirement).toBe('R-EXTRA');
  });
});

describe('substitute (R-SUBST, п. 7.12)', () => {
  const before = '2026-10-05T10:59:00+03:00'; // 07:59 UTC — one minute before the record

  it('a substitute may not mark before the substitution is recorded (п. 7.12)', () => {
    const d = refusal(decide(actors.orlova, mark('l-math-5a-1'), before));
    expect(d.requirement).toBe('R-SUBST');
    expect(d.clause).toBe('п. 7.12');
    expect(d.message).toContain(SUBSTITUTION_RECORDED);
  });

  it('compares instants as times, not strings: 10:59+03:00 is before 08:00Z (п. 7.12)', () => {
    expect(before > SUBSTITUTION_RECORDED).toBe(true); // a string comparison would have let it through
    expect(decide(actors.orlova, absent('l-math-5a-1'), before).allow).toBe(false);
  });

  it('a substitute marks, records absences and writes the topic from the moment the substitution is recorded (п. 7.12)', () => {
    expect(decide(actors.orlova, mark('l-math-5a-1'), SUBSTITUTION_RECORDED).allow).toBe(true);
    expect(decide(actors.orlova, absent('l-math-5a-1')).allow).toBe(true);
    expect(decide(actors.orlova, op('lesson.update', { id: 'l-math-5a-1', topic: 'Дроби' })).allow).toBe(true);
    expect(decide(actors.orlova, query('lesson.get', { lessonId: 'l-math-5a-1' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: false } });
  });

  it('a substitute may not touch another lesson of the same course (п. 7.12)', () => {
    expect(refusal(decide(actors.orlova, mark('l-math-5a-2'))).code).toBe('forbidden');
    expect(refusal(decide(actors.orlova, query('lesson.get', { lessonId: 'l-math-5a-2' }))).code).toBe('forbidden');
  });

  it('a substitute does not open the whole course gradebook nor set period marks (п. 7.12)', () => {
    expect(decide(actors.orlova, query('gradebook.get', { courseId: 'c-math-5a' })).allow).toBe(false);
    expect(decide(actors.orlova, op('periodMark.set', { yearId: YEAR, subjectId: 'math', term: 'q1', marks: [{ studentId: 's-anya', value: '5' }] })).allow).toBe(false);
  });

  it('the course teacher keeps their lesson while it is substituted (п. 7.12)', () => {
    expect(decide(actors.smirnov, mark('l-math-5a-1')).allow).toBe(true);
  });
});

describe('class teacher (R-CLASS-VIEW, п. 9.4)', () => {
  it('a class teacher reads another subject of their own class, read-only (п. 9.4)', () => {
    expect(decide(actors.petrov, query('gradebook.get', { courseId: 'c-math-5b' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: true } });
    expect(decide(actors.petrov, query('lesson.get', { lessonId: 'l-math-5b-1' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: true } });
    expect(decide(actors.petrov, query('diary.week', { studentId: 's-vera', week: '2026-10-05' })).allow).toBe(true);
    expect(decide(actors.petrov, query('class.summary', { classId: '5b' })).allow).toBe(true);
  });

  it('a class teacher may not read a subject of another class (п. 7.4, 9.4)', () => {
    expect(refusal(decide(actors.petrov, query('gradebook.get', { courseId: 'c-math-5a' }))).code).toBe('forbidden');
    expect(refusal(decide(actors.petrov, query('diary.week', { studentId: 's-anya', week: '2026-10-05' }))).code).toBe('forbidden');
    expect(refusal(decide(actors.petrov, query('class.summary', { classId: '5a' }))).code).toBe('forbidden');
  });

  it('a class teacher sees only their own students in a group shared with another class (п. 9.4, 5.11)', () => {
    expect(decide(actors.petrov, query('gradebook.get', { courseId: 'c-eng' }))).toEqual({ allow: true, scope: { kind: 'classes', classIds: ['5b'], readOnly: true } });
  });

  it('a class teacher may not mark in another teacher\'s subject of their class (п. 9.4)', () => {
    const d = refusal(decide(actors.petrov, mark('l-math-5b-1', 's-vera')));
    expect(d.requirement).toBe('R-CLASS-VIEW');
    expect(d.message).toBe('Классный руководитель просматривает журнал своего класса по всем предметам без права редактирования (п. 9.4)');
  });

  it('a class teacher sets absence reasons for students of their own class only (п. 9.4)', () => {
    expect(decide(actors.petrov, reason('l-eng-1', 's-vera')).allow).toBe(true);
    expect(refusal(decide(actors.petrov, reason('l-eng-1', 's-vera', 's-anya'))).requirement).toBe('R-ABSENCE');
    expect(refusal(decide(actors.smirnov, reason('l-math-5a-2', 's-anya'))).requirement).toBe('R-ABSENCE');
  });

  it('a class teacher enters their class\'s student list but does not move a student to another class (п. 9.4, 9.6)', () => {
    const student = (id: string, classId: string) => op('student.set', { id, lastName: 'Новикова', firstName: 'Дарья', classId });
    expect(decide(actors.petrov, student('s-new', '5b')).allow).toBe(true);
    expect(decide(actors.petrov, student('s-vera', '5b')).allow).toBe(true);
    expect(decide(actors.petrov, student('s-vera', '5a')).allow).toBe(false);
    expect(decide(actors.petrov, student('s-anya', '5b')).allow).toBe(false);
    expect(decide(actors.petrov, op('parent.link', { parentId: 'p-new', studentId: 's-vera' })).allow).toBe(true);
    expect(decide(actors.petrov, op('parent.link', { parentId: 'p-new', studentId: 's-anya' })).allow).toBe(false);
    expect(decide(actors.petrov, op('parent.set', { id: 'p-olga', lastName: 'Смирнова', firstName: 'Ольга' })).allow).toBe(true);
    expect(decide(actors.petrov, op('parent.set', { id: 'p-anna', lastName: 'Кузнецова', firstName: 'Анна' })).allow).toBe(false);
  });
});

describe('a person with roles [teacher, class_teacher] (R-ROLES, п. 7.1)', () => {
  it('marks in their own subject, reads other subjects of their class read-only, may not mark them (п. 9.4, 9.5)', () => {
    expect(decide(actors.ivanova, mark('l-rus-5a-1')).allow).toBe(true);
    expect(decide(actors.ivanova, query('gradebook.get', { courseId: 'c-rus-5a' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: false } });
    expect(decide(actors.ivanova, query('gradebook.get', { courseId: 'c-math-5a' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: true } });
    expect(refusal(decide(actors.ivanova, mark('l-math-5a-2'))).requirement).toBe('R-CLASS-VIEW');
    expect(decide(actors.ivanova, reason('l-math-5a-2', 's-anya', 's-boris')).allow).toBe(true);
  });

  it('is refused in other classes as either role (п. 7.4)', () => {
    expect(decide(actors.ivanova, mark('l-math-5b-1', 's-vera')).allow).toBe(false);
    expect(decide(actors.ivanova, query('gradebook.get', { courseId: 'c-math-5b' })).allow).toBe(false);
  });
});

describe('families (R-PRIVACY, п. 5.11)', () => {
  const week = '2026-10-05';

  it('a parent reads their own child\'s diary and cell history (п. 5.11, 7.3)', () => {
    expect(decide(actors.anna, query('diary.week', { studentId: 's-anya', week }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: true } });
    expect(decide(actors.anna, query('cell.history', { kind: 'mark', lessonId: 'l-math-5a-1', studentId: 's-anya' })).allow).toBe(true);
    expect(decide(actors.anna, query('cell.history', { kind: 'periodMark', yearId: YEAR, subjectId: 'math', term: 'q1', studentId: 's-anya' })).allow).toBe(true);
  });

  it('a parent asking for another family\'s child by a guessed id gets exactly the answer for a missing id (п. 5.11)', () => {
    for (const make of [
      (studentId: string) => query('diary.week', { studentId, week }),
      (studentId: string) => query('student.get', { studentId }),
      (studentId: string) => query('cell.history', { kind: 'mark', lessonId: 'l-math-5b-1', studentId }),
      (studentId: string) => op('diary.ack', { studentId }),
    ]) {
      const other = decide(actors.anna, make('s-vera'));
      const missing = decide(actors.anna, make('s-does-not-exist'));
      expect(other).toEqual(missing);
      expect(other).toEqual(notFound('student'));
    }
  });

  it('a parent asking for their child\'s cell in a lesson of another class gets the missing-lesson answer (п. 5.11)', () => {
    const other = decide(actors.anna, query('cell.history', { kind: 'mark', lessonId: 'l-math-5b-1', studentId: 's-anya' }));
    const missing = decide(actors.anna, query('cell.history', { kind: 'mark', lessonId: 'l-nope', studentId: 's-anya' }));
    expect(other).toEqual(missing);
    expect(other).toEqual(notFound('lesson'));
  });

  it('a student reads their own diary, and a classmate\'s is not_found (п. 5.11)', () => {
    expect(decide(actors.anya, query('diary.week', { studentId: 's-anya', week })).allow).toBe(true);
    expect(decide(actors.anya, query('diary.week', { studentId: 's-boris', week }))).toEqual(notFound('student'));
    expect(decide(actors.anya, query('student.get', { studentId: 's-boris' }))).toEqual(decide(actors.anya, query('student.get', { studentId: 's-zzz' })));
  });

  it('lists, summaries, reports and journal pages are refused to parents and students (п. 5.11)', () => {
    for (const actor of [actors.anna, actors.anya]) {
      for (const req of [
        query('class.roster', { classId: '5a' }), query('class.summary', { classId: '5a' }),
        query('report.weekly', { classId: '5a', week }), query('report.annual', { classId: '5a' }), query('report.summary', {}),
        query('gradebook.get', { courseId: 'c-math-5a' }), query('lesson.get', { lessonId: 'l-math-5a-1' }),
        query('periodMark.proposal', { courseId: 'c-math-5a', periodId: 'q1' }), query('setup.get', {}), query('accounts.list', {}),
      ]) {
        const d = refusal(decide(actor, req));
        expect(d.code).toBe('forbidden');
        expect(d.requirement).toBe('R-PRIVACY');
      }
    }
  });

  it('a parent acknowledges their own child\'s diary; a student does not acknowledge their own (п. 9.2, 9.4)', () => {
    expect(decide(actors.anna, op('diary.ack', { studentId: 's-anya' })).allow).toBe(true);
    expect(refusal(decide(actors.anya, op('diary.ack', { studentId: 's-anya' }))).requirement).toBe('R-ACK');
  });

  it('a parent records their own consent, not another parent\'s (п. 5.11, 9.2)', () => {
    const consent = (parentId: string) => op('consent.set', { parentId, kind: 'diary_mode', value: 'paper', date: '2026-09-01' });
    expect(decide(actors.anna, consent('p-anna')).allow).toBe(true);
    expect(decide(actors.anna, consent('p-olga'))).toEqual(decide(actors.anna, consent('p-nobody')));
    expect(decide(actors.petrov, consent('p-olga')).allow).toBe(true);
    expect(decide(actors.petrov, consent('p-anna')).allow).toBe(false);
  });

  it('a family sees the timetable of its own class only, and announcements addressed to it (п. 7.3, 5.11)', () => {
    expect(decide(actors.anna, query('timetable.get', {}))).toEqual({ allow: true, scope: { kind: 'classes', classIds: ['5a'], readOnly: true } });
    expect(refusal(decide(actors.anna, query('timetable.get', { classId: '5b' }))).requirement).toBe('R-PRIVACY');
    expect(decide(actors.anya, query('announcements.list', {}))).toEqual({ allow: true, scope: { kind: 'audience', classIds: ['5a'], roles: ['student'] } });
  });
});

describe('messages (R-MESSAGES, п. 6)', () => {
  const send = (to: string) => op('message.send', { id: 'msg-x', to, body: 'Здравствуйте' });

  it('a parent writes to a teacher; another parent is answered like a missing account (п. 6, 5.11)', () => {
    expect(decide(actors.anna, send('a-smirnov')).allow).toBe(true);
    expect(decide(actors.anna, send('a-olga'))).toEqual(decide(actors.anna, send('a-nobody')));
    expect(decide(actors.anya, send('a-vera'))).toEqual(notFound('account'));
  });

  it('staff write to parents and students (п. 6)', () => {
    expect(decide(actors.smirnov, send('a-anna')).allow).toBe(true);
  });

  it('only the recipient marks a message read (п. 5.11)', () => {
    expect(decide(actors.anna, op('message.read', { id: 'm-1' })).allow).toBe(true);
    expect(decide(actors.olga, op('message.read', { id: 'm-1' }))).toEqual(notFound('message'));
    expect(decide(actors.anna, query('messages.list', {}))).toEqual({ allow: true, scope: { kind: 'own', accountId: 'a-anna' } });
  });
});

describe('technical administrator (п. 9.6)', () => {
  it('the administrator is refused marks, attendance, period marks and lesson content (п. 9.6)', () => {
    for (const req of [
      mark('l-math-5a-1'), absent('l-math-5a-1'), op('lesson.update', { id: 'l-math-5a-1', topic: 'x' }),
      op('periodMark.set', { yearId: YEAR, subjectId: 'math', term: 'q1', marks: [{ studentId: 's-anya', value: '5' }] }),
    ]) {
      const d = refusal(decide(actors.admin, req));
      expect(d.code).toBe('forbidden');
      expect(d.message).toContain('Ответственный за техподдержку настраивает электронный журнал, но не выставляет и не просматривает отметки');
    }
  });

  it('the administrator does not read gradebooks, diaries or cell history (п. 9.6)', () => {
    for (const req of [
      query('gradebook.get', { courseId: 'c-math-5a' }), query('diary.week', { studentId: 's-anya', week: '2026-10-05' }),
      query('cell.history', { kind: 'mark', lessonId: 'l-math-5a-1', studentId: 's-anya' }), query('class.summary', { classId: '5a' }),
    ]) {
      expect(refusal(decide(actors.admin, req)).clause).toBe('п. 7.4, 9.6');
    }
  });

  it('the administrator sets the school up, keeps accounts, reads rosters and exports (п. 9.6)', () => {
    expect(decide(actors.admin, op('setting.set', { key: 'diary.showRank', value: false })).allow).toBe(true);
    expect(decide(actors.admin, op('account.block', { id: 'a-smirnov', blocked: true })).allow).toBe(true);
    expect(decide(actors.admin, query('class.roster', { classId: '5a' })).allow).toBe(true);
    expect(decide(actors.admin, query('setup.export', {})).allow).toBe(true);
    expect(decide(actors.admin, query('student.get', { studentId: 's-anya' })).allow).toBe(true);
  });
});

describe('methodist (п. 7.12, 9.3)', () => {
  it('the methodist records substitutions, moves lessons and changes a lesson\'s status (п. 7.12, 9.3)', () => {
    expect(decide(actors.methodist, op('substitution.set', { lessonId: 'l-math-5a-2', teacherId: 'st-orlova' })).allow).toBe(true);
    expect(decide(actors.methodist, op('lesson.move', { id: 'l-math-5a-2', date: '2026-10-07', number: 3 })).allow).toBe(true);
    expect(decide(actors.methodist, op('lesson.update', { id: 'l-math-5a-2', status: 'cancelled' })).allow).toBe(true);
  });

  it('the methodist may not write a topic or marks (п. 9.3, 9.5)', () => {
    expect(decide(actors.methodist, op('lesson.update', { id: 'l-math-5a-2', status: 'held', topic: 'Дроби' })).allow).toBe(false);
    expect(decide(actors.methodist, mark('l-math-5a-2')).allow).toBe(false);
  });

  it('only the methodist records a substitution (п. 7.12)', () => {
    expect(refusal(decide(actors.deputy, op('substitution.set', { lessonId: 'l-math-5a-2', teacherId: 'st-orlova' }))).requirement).toBe('R-SUBST');
  });
});

describe('administration: corrections and control (п. 7.14, 9.1, 9.2)', () => {
  const decideCorr = (id: string, orderRef?: string) => op('correction.decide', orderRef ? { id, approved: true, orderRef } : { id, approved: true });

  it('the deputy approves a correction; a teacher cannot (п. 7.14, 9.2)', () => {
    expect(decide(actors.deputy, decideCorr('corr-1')).allow).toBe(true);
    const d = refusal(decide(actors.smirnov, decideCorr('corr-1')));
    expect(d.requirement).toBe('R-CORRECTION');
    expect(d.message).toMatch(/заместитель директора по УВР.*\(п\. 7\.14, 9\.2\)$/);
  });

  it('nobody approves their own correction request (п. 7.14, 9.2)', () => {
    expect(refusal(decide(actors.deputy, decideCorr('corr-deputy'))).requirement).toBe('R-CORRECTION');
  });

  it('the director decides a correction with an order reference (п. 7.14)', () => {
    expect(decide(actors.director, decideCorr('corr-1', '№ 12-о')).allow).toBe(true);
    expect(refusal(decide(actors.director, decideCorr('corr-1'))).requirement).toBe('R-FINAL-LOCK');
  });

  it('a teacher requests a correction of their own lesson\'s mark, and sees only their own requests (п. 7.14)', () => {
    const req = (lessonId: string) => op('correction.request', { id: 'corr-2', target: { kind: 'mark', lessonId, studentId: 's-anya' }, value: '4', reason: 'Ошибка ввода' });
    expect(decide(actors.smirnov, req('l-math-5a-2')).allow).toBe(true);
    expect(decide(actors.kozlov, req('l-math-5a-2')).allow).toBe(false);
    expect(decide(actors.smirnov, query('correction.inbox', {}))).toEqual({ allow: true, scope: { kind: 'own', accountId: 'a-smirnov' } });
  });

  it('the deputy reads everything of the school but enters no marks (п. 9.2)', () => {
    expect(decide(actors.deputy, query('gradebook.get', { courseId: 'c-math-5a' }))).toEqual({ allow: true, scope: { kind: 'all', readOnly: true } });
    expect(decide(actors.deputy, query('diary.week', { studentId: 's-vera', week: '2026-10-05' })).allow).toBe(true);
    expect(decide(actors.deputy, query('report.summary', {})).allow).toBe(true);
    expect(decide(actors.deputy, mark('l-math-5a-2')).allow).toBe(false);
    expect(decide(actors.deputy, op('attestation.decision', { yearId: YEAR, subjectId: 'math', term: 'q1', studentId: 's-anya', attest: true, note: 'По согласованию с родителями' })).allow).toBe(true);
  });

  it('only the director records a breach (п. 10.3, 10.4)', () => {
    const breach = op('breach.record', { id: 'b-1', accountId: 'a-smirnov', from: '2026-10-05T08:00:00Z', reportedAt: '2026-10-05T08:30:00Z' });
    expect(decide(actors.director, breach).allow).toBe(true);
    expect(refusal(decide(actors.admin, breach)).requirement).toBe('R-BREACH');
  });
});

describe('accounts (R-ACCOUNTS, п. 9.6, 10.1)', () => {
  it('a blocked account is refused everything, even its own diary (п. 9.6, 10.1)', () => {
    for (const actor of [{ ...actors.smirnov, blocked: true }, { ...actors.anna, blocked: true }, { ...actors.admin, blocked: true }]) {
      for (const req of [mark('l-math-5a-2'), query('diary.week', { studentId: 's-anya', week: '2026-10-05' }), query('messages.list', {}), op('setting.set', { key: 'x', value: 1 })]) {
        const d = refusal(decide(actor, req));
        expect(d.code).toBe('blocked');
        expect(d.requirement).toBe('R-ACCOUNTS');
      }
    }
  });

  it('an account with no roles is refused (п. 7.4)', () => {
    expect(refusal(decide({ accountId: 'a-x', roles: [], parentOf: [] }, query('messages.list', {}))).requirement).toBe('R-ROLES');
  });
});
