/**
 * The journal on screen: the UI's read views through the contract — outputs checked
 * against their zod schemas, rows cut by the policy (R-CLASS-VIEW, R-PRIVACY, R-ACK).
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../contract/dispatch';
import { submit } from '../commands/execute';
import { draft } from './log';
import { T, context, fixedClock, tinySchool } from '../../test/support/tiny-school';
import type { Journal } from './open';

const AT = '2026-09-10T05:00:00Z'; // 10:00 in Asia/Yekaterinburg, lesson 2 of 10 Sept is over
const call = (j: Journal, accountId: string, method: string, input: unknown, at = AT) =>
  dispatch({ journal: j, accountId, clock: fixedClock(at), checkOutput: true }, method, input);
const value = <V>(r: ReturnType<typeof call>): V => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as V;
};

describe('session.get', () => {
  it('names the teacher, their roles, own class and the school day by the server clock', () => {
    const { j } = tinySchool();
    const s = value<{ person: { shortName: string }; roles: string[]; today: string; classes: { id: string; own: boolean }[]; children: unknown[] }>(call(j, T.teacherAcc, 'session.get', {}));
    expect(s.person.shortName).toBe('Иванова М. П.');
    expect([...s.roles].sort()).toEqual(['class_teacher', 'teacher']);
    expect(s.today).toBe('2026-09-10');
    expect(s.classes).toEqual([{ id: T.cls, name: '5А', grade: 5, own: true }]);
    expect(s.children).toEqual([]);
  });

  it('gives a parent their own child only (R-PRIVACY, п. 5.11)', () => {
    const { j } = tinySchool();
    const s = value<{ children: { id: string; className: string }[] }>(call(j, T.parent, 'session.get', {}));
    expect(s.children.map((c) => [c.id, c.className])).toEqual([[T.students[0], '5А']]);
  });
});

describe('courses.list', () => {
  it('lists the teacher\'s course as writable and the periods of the year', () => {
    const { j } = tinySchool();
    const l = value<{ courses: { id: string; readOnly: boolean; scheme: string }[]; periods: { id: string }[] }>(call(j, T.teacherAcc, 'courses.list', {}));
    expect(l.courses).toMatchObject([{ id: T.course, readOnly: false, scheme: 'trimesters' }]);
    expect(l.periods.map((p) => p.id)).toEqual([T.period1]);
  });

  it('is refused to a parent (R-PRIVACY, п. 5.11)', () => {
    const { j } = tinySchool();
    const r = call(j, T.parent, 'courses.list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
  });

  it('shows the deputy every course, read-only', () => {
    const { j } = tinySchool();
    const l = value<{ courses: { id: string; readOnly: boolean }[] }>(call(j, T.deputy, 'courses.list', {}));
    expect(l.courses).toMatchObject([{ id: T.course, readOnly: true }]);
  });
});

describe('lesson.get and ktp.list (R-TOPICS, R-KTP)', () => {
  it('shows a lesson with its bell, individual homework and the КТП with the dates topics were used on', () => {
    const { j, admin } = tinySchool();
    submit(admin, draft('ktp.set', { id: 'ktp-1', yearId: T.year, subjectId: T.subject, grade: 5, number: 1, topic: 'Повторение изученного в 4 классе' }));
    submit(context(j, T.teacherAcc, fixedClock(AT)), draft('lesson.update', { id: T.lessons[0], ktpId: 'ktp-1', topic: 'Повторение изученного в 4 классе' }),
      draft('homework.individual', { lessonId: T.lessons[0], studentId: T.students[1], text: 'Упр. 12' }));
    const l = value<{ bell: unknown; topic: string; individualHomework: unknown[]; readOnly: boolean }>(call(j, T.teacherAcc, 'lesson.get', { lessonId: T.lessons[0] }));
    expect(l).toMatchObject({ bell: { starts: '09:20', ends: '10:00' }, topic: 'Повторение изученного в 4 классе', readOnly: false });
    expect(l.individualHomework).toEqual([{ studentId: T.students[1], text: 'Упр. 12' }]);
    const k = value<{ items: { id: string; usedOn: string[] }[] }>(call(j, T.teacherAcc, 'ktp.list', { courseId: T.course }));
    expect(k.items).toMatchObject([{ id: 'ktp-1', usedOn: ['2026-09-10'] }]);
  });

  it('answers a family «not found»-like refusal for a lesson page (R-PRIVACY)', () => {
    const { j } = tinySchool();
    expect(call(j, T.parent, 'lesson.get', { lessonId: T.lessons[0] }).ok).toBe(false);
  });
});

describe('class.summary and attendance.week (R-CLASS-VIEW, R-ABSENCE, R-ACK)', () => {
  it('gives the class teacher averages (a fraction counts both parts), absences, reasons and the last diary view', () => {
    const { j } = tinySchool();
    expect(call(j, T.teacherAcc, 'mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5/4' }, { studentId: T.students[1], value: '3' }] }).ok).toBe(true);
    expect(call(j, T.teacherAcc, 'attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], absent: true }] }).ok).toBe(true);
    expect(call(j, T.parent, 'diary.ack', { studentId: T.students[0] }).ok).toBe(true);
    const s = value<{ cells: { studentId: string; average: number | null; absences: number }[]; students: { id: string; lastAck: string | null }[]; period: { id: string } }>(call(j, T.teacherAcc, 'class.summary', { classId: T.cls }));
    expect(s.period.id).toBe(T.period1);
    const cell = (id: string) => s.cells.find((c) => c.studentId === id)!;
    expect(cell(T.students[0]).average).toBe(4.5);
    expect(cell(T.students[1]).average).toBe(3);
    expect(cell(T.students[2])).toMatchObject({ average: null, absences: 1 });
    expect(s.students.find((x) => x.id === T.students[0])!.lastAck).not.toBeNull();
    expect(s.students.find((x) => x.id === T.students[1])!.lastAck).toBeNull();
    const w = value<{ lessons: { id: string }[]; absences: unknown[]; readOnly: boolean; days: string[] }>(call(j, T.teacherAcc, 'attendance.week', { classId: T.cls, week: '2026-09-10' }));
    expect(w.days[0]).toBe('2026-09-07');
    expect(w.lessons.map((l) => l.id)).toEqual([T.lessons[0], T.lessons[1]]);
    expect(w.absences).toEqual([{ lessonId: T.lessons[0], studentId: T.students[2], reason: null }]);
    expect(w.readOnly).toBe(false);
  });

  it('refuses another class\'s summary to a parent and the class teacher\'s week view to a plain teacher', () => {
    const { j } = tinySchool();
    expect(call(j, T.parent, 'class.summary', { classId: T.cls }).ok).toBe(false);
    const r = call(j, T.substituteAcc, 'attendance.week', { classId: T.cls, week: '2026-09-10' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.clause).toBe('п. 9.4');
  });

  it('records the parent\'s acknowledgement only for their own child (R-ACK, п. 9.2)', () => {
    const { j } = tinySchool();
    const r = call(j, T.parent, 'diary.ack', { studentId: T.otherStudent });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('not_found');
  });
});

describe('status.get', () => {
  it('reports the clock, the school day and the pending changes of this replica', () => {
    const { j } = tinySchool();
    const s = value<{ today: string; pending: number; lastSyncAt: string | null }>(call(j, T.teacherAcc, 'status.get', {}));
    expect(s.today).toBe('2026-09-10');
    expect(s.pending).toBeGreaterThan(0);
    expect(s.lastSyncAt).toBeNull();
  });
});
