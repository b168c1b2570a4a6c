/**
 * The regulation enforced where data is stored: contract → dispatch → policy + rules → commands,
 * against a real SQLite journal. Lessons of the tiny school (Asia/Yekaterinburg, UTC+5):
 * 10 Sept lesson 2 (09:20–10:00 local), 11 Sept lesson 1, 16 Sept lesson 3 (10:15–10:55 local).
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import { submit, CommandRefused } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { draft } from '../journal/log';
import { T, tinySchool, fixedClock } from '../../test/support/tiny-school';
import type { Journal } from '../journal/open';

const [s1, s2] = T.students;
const [l0910, l0911, l0916] = T.lessons;

function call(j: Journal, accountId: string, at: string, method: string, input: unknown) {
  return dispatch({ journal: j, accountId, clock: fixedClock(at), checkOutput: true }, method, input);
}
const mark = (lessonId: string, studentId: string, value: string) => ({ lessonId, marks: [{ studentId, value }] });

describe('one gradebook cell is one change: cell.set writes its mark and its absence in one transaction', () => {
  const absent = (j: Journal) => j.sqlite.prepare('SELECT count(*) FROM attendance WHERE lesson_id = ? AND student_id = ?').pluck().get(l0910, s1);
  const markOf = (j: Journal) => j.sqlite.prepare('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(l0910, s1);

  it('«н» → «4»: the absence lifted and the mark set, two ops of one command', () => {
    const { j } = tinySchool();
    expect(call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'cell.set', { lessonId: l0910, studentId: s1, absent: true })).toMatchObject({ ok: true, value: { ops: 1 } });
    expect(absent(j)).toBe(1);
    expect(call(j, T.teacherAcc, '2026-09-10T04:31:00Z', 'cell.set', { lessonId: l0910, studentId: s1, mark: { value: '4' }, absent: false })).toMatchObject({ ok: true, value: { ops: 2 } });
    expect([absent(j), markOf(j)]).toEqual([0, '4']);
  });

  it('«н» → a refused «2» (п. 7.14): neither half is applied — the pupil stays absent, no mark', () => {
    const { j } = tinySchool();
    call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'cell.set', { lessonId: l0910, studentId: s1, absent: true });
    const before = j.sqlite.prepare('SELECT count(*) FROM op_log').pluck().get();
    const r = call(j, T.teacherAcc, '2026-09-10T04:31:00Z', 'cell.set', { lessonId: l0910, studentId: s1, mark: { value: '2' }, absent: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused', requirement: 'R-ADAPTATION', clause: 'п. 7.14' } });
    expect([absent(j), markOf(j), j.sqlite.prepare('SELECT count(*) FROM op_log').pluck().get()]).toEqual([1, undefined, before]);
  });

  it('«4» → «н»: the mark annulled and the pupil marked absent together; nothing to change is refused', () => {
    const { j } = tinySchool();
    call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'cell.set', { lessonId: l0910, studentId: s1, mark: { value: '4' } });
    expect(call(j, T.teacherAcc, '2026-09-10T04:32:00Z', 'cell.set', { lessonId: l0910, studentId: s1, mark: null, absent: true })).toMatchObject({ ok: true, value: { ops: 2 } });
    expect([absent(j), markOf(j)]).toEqual([1, undefined]);
    expect(call(j, T.teacherAcc, '2026-09-10T04:33:00Z', 'cell.set', { lessonId: l0910, studentId: s1 })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('the names before 0.2 still answer, as the methods named for their op kinds', () => {
    const a = tinySchool();
    const b = tinySchool();
    expect(call(a.j, T.teacherAcc, '2026-09-10T04:30:00Z', 'marks.set', mark(l0910, s1, '5'))).toEqual(call(b.j, T.teacherAcc, '2026-09-10T04:30:00Z', 'mark.set', mark(l0910, s1, '5')));
    expect(markOf(a.j)).toBe(markOf(b.j));
  });
});

describe('marks through the contract (R-ADAPTATION, R-DATE, п. 7.14)', () => {
  it('refuses a «2» on 10 September with the clause in the message (п. 7.14)', () => {
    const { j } = tinySchool();
    const r = call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'mark.set', mark(l0910, s1, '2'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'refused', requirement: 'R-ADAPTATION', clause: 'п. 7.14' });
      expect(r.error.message).toMatch(/п\. 7\.14/);
    }
    expect(j.sqlite.prepare('SELECT count(*) FROM mark').pluck().get()).toBe(0);
  });

  it('accepts the same «2» on 16 September during the lesson (п. 7.14)', () => {
    const { j } = tinySchool();
    const r = call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '2'));
    expect(r).toMatchObject({ ok: true, value: { ops: 1 } });
  });

  it('accepts a «5/4» on 10 September and shows it in the gradebook', () => {
    const { j } = tinySchool();
    expect(call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'mark.set', mark(l0910, s1, '5/4')).ok).toBe(true);
    const g = call(j, T.teacherAcc, '2026-09-10T04:31:00Z', 'gradebook.get', { courseId: T.course, periodId: T.period1 });
    expect(g.ok && (g.value as { marks: unknown[] }).marks).toEqual([{ lessonId: l0910, studentId: s1, column: 'main', value: '5/4', workType: 'lesson', comment: null }]);
  });

  it('refuses a current mark one minute after its study day ended (п. 7.14, 9.5)', () => {
    const { j } = tinySchool();
    // The study day of 10 Sept ends at 24:00 local = 19:00Z.
    expect(call(j, T.teacherAcc, '2026-09-10T18:59:00Z', 'mark.set', mark(l0910, s1, '4')).ok).toBe(true);
    const late = call(j, T.teacherAcc, '2026-09-10T19:00:00Z', 'mark.set', mark(l0910, s2, '4'));
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.requirement).toBe('R-DATE');
  });

  it('refuses a mark before the lesson has begun (no back-dating into the future)', () => {
    const { j } = tinySchool();
    const r = call(j, T.teacherAcc, '2026-09-15T05:00:00Z', 'mark.set', mark(l0916, s1, '5'));
    expect(r.ok).toBe(false);
  });

  it('refuses a mark for a student of another class', () => {
    const { j } = tinySchool();
    const r = call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, T.otherStudent, '5'));
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('who may write (R-RBAC, R-SUBST; п. 7.4, 7.12, 9.6)', () => {
  it('refuses marks to the technical administrator (п. 9.6)', () => {
    const { j } = tinySchool();
    const r = call(j, T.admin, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '5'));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses marks to a parent, and to a teacher of another subject', () => {
    const { j } = tinySchool();
    expect(call(j, T.parent, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '5'))).toMatchObject({ ok: false });
    expect(call(j, T.substituteAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '5'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets a substitute mark the substituted lesson only after the substitution is recorded (п. 7.12)', () => {
    const { j } = tinySchool();
    const before = call(j, T.substituteAcc, '2026-09-11T03:35:00Z', 'mark.set', mark(l0911, s1, '5'));
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const rec = dispatchAs(j, T.methodist, '2026-09-11T03:36:00Z', 'substitution.set', { lessonId: l0911, teacherId: T.substitute });
    expect(rec).toBe(true);
    expect(call(j, T.substituteAcc, '2026-09-11T03:40:00Z', 'mark.set', mark(l0911, s1, '5')).ok).toBe(true);
    // …and only that lesson: the same course's lesson of 16 Sept stays the teacher's.
    expect(call(j, T.substituteAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '5'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

function dispatchAs(j: Journal, accountId: string, at: string, kind: 'substitution.set', payload: { lessonId: string; teacherId: string }): boolean {
  try {
    submit({ journal: j, actor: { accountId }, clock: fixedClock(at), guard: regulationGuard }, draft(kind, payload));
    return true;
  } catch (e) {
    if (e instanceof CommandRefused) return false;
    throw e;
  }
}

describe('families see only their own (R-PRIVACY, п. 5.11)', () => {
  it('shows a parent their child’s week', () => {
    const { j } = tinySchool();
    call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '4'));
    const r = call(j, T.parent, '2026-09-16T12:00:00Z', 'diary.week', { studentId: s1, week: '2026-09-16' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      const days = (r.value as { days: { date: string; lessons: { marks: { value: string }[] }[] }[] }).days;
      expect(days.find((d) => d.date === '2026-09-16')?.lessons[0]?.marks).toEqual([{ value: '4', column: 'main', workType: 'lesson', comment: null }]);
    }
  });

  it('answers another family’s child exactly like an id that does not exist', () => {
    const { j } = tinySchool();
    const other = call(j, T.parent, '2026-09-16T12:00:00Z', 'diary.week', { studentId: T.otherStudent, week: '2026-09-14' });
    const guessed = call(j, T.parent, '2026-09-16T12:00:00Z', 'diary.week', { studentId: 's-999', week: '2026-09-14' });
    const classmate = call(j, T.parent, '2026-09-16T12:00:00Z', 'diary.week', { studentId: s2, week: '2026-09-14' });
    expect(other.ok).toBe(false);
    expect(other).toEqual(guessed);
    expect(classmate).toEqual(guessed);
  });

  it('refuses a parent the class gradebook', () => {
    const { j } = tinySchool();
    expect(call(j, T.parent, '2026-09-16T12:00:00Z', 'gradebook.get', { courseId: T.course })).toMatchObject({ ok: false });
  });
});

describe('corrections (R-CORRECTION, п. 7.14, 9.2)', () => {
  it('needs a request to change a mark later; the deputy approves; both values and the decision are kept', () => {
    const { j } = tinySchool();
    expect(call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'mark.set', mark(l0916, s1, '3')).ok).toBe(true);
    // Within 10 minutes the author fixes a slip without a request.
    expect(call(j, T.teacherAcc, '2026-09-16T05:35:00Z', 'mark.set', mark(l0916, s1, '4')).ok).toBe(true);
    const late = call(j, T.teacherAcc, '2026-09-16T07:00:00Z', 'mark.set', mark(l0916, s1, '5'));
    expect(late).toMatchObject({ ok: false, error: { requirement: 'R-CORRECTION' } });
    const req = call(j, T.teacherAcc, '2026-09-16T07:01:00Z', 'correction.request', { target: { kind: 'mark', lessonId: l0916, studentId: s1 }, value: '5', reason: 'ошибка при вводе' });
    expect(req.ok).toBe(true);
    const id = req.ok ? (req.value as { id: string }).id : '';
    expect(call(j, T.teacherAcc, '2026-09-16T07:02:00Z', 'correction.decide', { id, approved: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const inbox = call(j, T.deputy, '2026-09-16T08:00:00Z', 'correction.inbox', {});
    expect(inbox.ok && (inbox.value as { id: string; oldValue: string; newValue: string; status: string }[])[0]).toMatchObject({ id, oldValue: '4', newValue: '5', status: 'pending' });
    expect(call(j, T.deputy, '2026-09-16T08:01:00Z', 'correction.decide', { id, approved: true, note: 'согласовано' }).ok).toBe(true);
    expect(j.sqlite.prepare('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ?').pluck().get(l0916, s1)).toBe('5');
    const h = call(j, T.deputy, '2026-09-16T08:02:00Z', 'cell.history', { kind: 'mark', lessonId: l0916, studentId: s1 });
    expect(h.ok && (h.value as { value: string | null }[]).map((e) => e.value)).toEqual(['3', '4', '4', '5']);
  });

  it('does not let an approval put a «2» into the adaptation period (п. 7.14)', () => {
    const { j } = tinySchool();
    call(j, T.teacherAcc, '2026-09-10T04:30:00Z', 'mark.set', mark(l0910, s1, '3'));
    const req = call(j, T.teacherAcc, '2026-09-12T07:01:00Z', 'correction.request', { target: { kind: 'mark', lessonId: l0910, studentId: s1 }, value: '2', reason: 'пересмотр' });
    expect(req).toMatchObject({ ok: false, error: { requirement: 'R-ADAPTATION' } });
  });
});

describe('the envelope', () => {
  it('answers an unknown method and a malformed input without a throw', () => {
    const { j } = tinySchool();
    expect(call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'marks.explode', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = call(j, T.teacherAcc, '2026-09-16T05:30:00Z', 'marks.set', { lessonId: l0916, marks: [{ studentId: s1, value: '6' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/отметка должна быть/);
  });
});

describe('school settings of the rules (R-SETUP)', () => {
  it('takes the administrator\'s valid settings and refuses invalid ones without storing them', () => {
    const { j } = tinySchool();
    const ctx = (accountId: string) => ({ journal: j, actor: { accountId }, clock: fixedClock('2026-08-26T09:00:00Z'), guard: regulationGuard });
    submit(ctx(T.admin), draft('setting.set', { key: 'rules', value: { correction: { ownFixMinutes: 0 } } }));
    expect(JSON.parse(j.sqlite.prepare("SELECT value FROM setting WHERE key = 'rules'").pluck().get() as string)).toEqual({ correction: { ownFixMinutes: 0 } });
    expect(() => submit(ctx(T.admin), draft('setting.set', { key: 'rules', value: { attestation: { roundingThreshold: 7 } } }))).toThrow(/Настройки правил не приняты: attestation\.roundingThreshold/);
    expect(() => submit(ctx(T.teacherAcc), draft('setting.set', { key: 'rules', value: {} }))).toThrow(CommandRefused);
    expect(JSON.parse(j.sqlite.prepare("SELECT value FROM setting WHERE key = 'rules'").pluck().get() as string)).toEqual({ correction: { ownFixMinutes: 0 } });
  });
});
