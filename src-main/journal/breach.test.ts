import { breachData } from '../reports/breach-data';
import { describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { checkDraft } from '../commands/guard';
import { draft, replay } from './log';
import { stateChecksum } from './checksum';
import { refoldState } from './refold';
import { cellHistory } from './queries';
import type { Journal } from './open';
import { T, context, fixedClock, tinySchool } from '../../test/support/tiny-school';

const [s1, s2] = T.students;
const [l1] = T.lessons;
const markOf = (j: Journal, student: string) => j.sqlite.prepare('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(l1, student) as string | undefined;
const absent = (j: Journal, student: string) => j.sqlite.prepare('SELECT count(*) FROM attendance WHERE lesson_id = ? AND student_id = ?').pluck().get(l1, student) as number;

/** The teacher marks at 10 Sept 10:00 (valid); their password leaks; at 11 Sept 12:00 "they" change marks. */
function leakedTeacher() {
  const { j, admin, teacher } = tinySchool();
  submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5' }] }));
  teacher.clock.set('2026-09-11T12:00:00.000Z');
  submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '2' }, { studentId: s2, value: '2' }] }));
  submit(teacher, draft('attendance.set', { lessonId: l1, entries: [{ studentId: s2, absent: true }] }));
  // Later valid work of another author on the same lesson.
  const sub = context(j, T.substituteAcc, fixedClock('2026-09-12T09:00:00.000Z'));
  submit(sub, draft('mark.set', { lessonId: l1, marks: [{ studentId: s2, value: '4' }] }));
  return { j, admin, teacher };
}

/** T is the moment the director received the report (п. 10.4); the suspected onset is earlier. */
const record = (reportedAt: string, from = '2026-09-01T00:00:00Z') => draft('breach.record', { id: 'br-1', accountId: T.teacherAcc, from, reportedAt });

describe('R-BREACH: ops of a leaked account from T on are void (п. 10.4)', () => {
  it('voids from the moment the director received the report, not from the suspected onset: earlier ops stay, for review (п. 10.4)', () => {
    const { j, admin } = leakedTeacher();
    submit(admin, record('2026-09-11T12:30:00.000Z', '2026-09-11T09:00:00Z'));
    expect(markOf(j, s1)).toBe('2'); // made at 12:00, after the onset but before the report: stands
    expect(absent(j, s2)).toBe(1);
    const later = leakedTeacher();
    submit(later.admin, record('2026-09-11T11:59:59.999Z', '2026-09-11T09:00:00Z'));
    expect(markOf(later.j, s1)).toBe('5');
  });

  it('the act lists the ops between the onset and the report for review, and the void ones apart (п. 10.4, приложение)', () => {
    const { j, admin } = leakedTeacher();
    submit(admin, record('2026-09-11T12:30:00.000Z', '2026-09-11T09:00:00Z'));
    const act = breachData(j, 'br-1');
    expect(act.review.total).toBe(2); // the «2»s and the absence of 11 Sept 12:00
    expect(act.ops.total).toBe(0);
    const late = leakedTeacher();
    submit(late.admin, record('2026-09-11T10:00:00.000Z', '2026-09-11T09:00:00Z'));
    expect([breachData(late.j, 'br-1').review.total, breachData(late.j, 'br-1').ops.total]).toEqual([0, 2]);
  });

  it('a breach record undoes the account’s ops from T, keeps earlier ones and later valid work of others', () => {
    const { j, admin } = leakedTeacher();
    expect([markOf(j, s1), markOf(j, s2), absent(j, s2)]).toEqual(['2', '4', 1]);
    admin.clock.set('2026-09-12T10:05:00.000Z');
    submit(admin, record('2026-09-11T09:00:00Z'));
    expect(markOf(j, s1)).toBe('5'); // the valid mark of 10 Sept is back
    expect(markOf(j, s2)).toBe('4'); // the substitute's later mark stays
    expect(absent(j, s2)).toBe(0); // the forged absence is gone
    // Nothing is deleted from the log (R-AUDIT) and the state is still a pure fold of it.
    expect(j.sqlite.prepare("SELECT count(*) FROM op_log WHERE author = ?").pluck().get(T.teacherAcc)).toBe(3);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    const before = stateChecksum(j.sqlite);
    refoldState(j);
    expect(stateChecksum(j.sqlite)).toBe(before);
  });

  it('T is inclusive: an op made exactly at T is void, one made a millisecond before stays', () => {
    const exact = leakedTeacher();
    submit(exact.admin, record('2026-09-11T12:00:00.000Z'));
    expect(markOf(exact.j, s1)).toBe('5');
    const later = leakedTeacher();
    submit(later.admin, record('2026-09-11T12:00:00.001Z'));
    expect(markOf(later.j, s1)).toBe('2');
  });

  it('a void op that reaches the replica after the record (a late sync) changes nothing', () => {
    const { j, admin, teacher } = tinySchool();
    submit(admin, record('2026-09-11T09:00:00Z'));
    teacher.clock.set('2026-09-11T12:00:00.000Z');
    const r = submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '2' }] }));
    expect(r.ops).toHaveLength(1);
    expect(markOf(j, s1)).toBeUndefined();
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
  });

  it('the cell history still shows the void op, marked as such, with the value unchanged', () => {
    const { j, admin } = leakedTeacher();
    submit(admin, record('2026-09-11T09:00:00Z'));
    const h = cellHistory(j, { lessonId: l1, studentId: s1 });
    expect(h.map((e) => [e.value, e.note ?? ''])).toEqual([
      ['5', ''],
      ['5', 'недействительна: пароль автора был скомпрометирован (R-BREACH, п. 10.4)'],
    ]);
  });

  it('the guard refuses new ops of the account once T has passed', () => {
    const { j, admin } = tinySchool();
    submit(admin, record('2026-09-11T09:00:00Z'));
    const draftMark = { kind: 'mark.set' as const, payload: { lessonId: l1, marks: [{ studentId: s1, value: '5' }] } };
    const after = checkDraft(j, T.teacherAcc, Date.parse('2026-09-11T09:00:00Z'), draftMark).find((n) => n.level === 'refuse');
    expect(after).toMatchObject({ code: 'breach', requirement: 'R-BREACH', clause: 'п. 10.4' });
    const before = checkDraft(j, T.teacherAcc, Date.parse('2026-09-10T10:00:00Z'), draftMark).find((n) => n.level === 'refuse');
    expect(before?.code).not.toBe('breach');
  });
});
