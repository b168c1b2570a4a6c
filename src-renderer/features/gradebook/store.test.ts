import { describe, expect, it } from 'vitest';
import type { GradebookView, Result, Transport } from '../../../src-shared/contract/methods';
import { buildColumns, cellText, type LessonColumn } from './model';
import { GradebookStore } from './store';

const view: GradebookView = {
  course: { id: 'k', groupId: 'g', groupName: '5А', subjectId: 'ru', subjectName: 'Русский язык', subjectCode: 'russian', teacherId: 't', teacherName: 'Иванова М. П.', hoursPerWeek: 5, yearId: 'y', grade: 5 },
  period: { id: 'p1', name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' },
  students: [
    { id: 's1', lastName: 'Вануйто', firstName: 'Анна', middleName: null, homeSchooling: false, medicalGroup: 'main', peExemptUntil: null },
    { id: 's2', lastName: 'Петров', firstName: 'Пётр', middleName: null, homeSchooling: false, medicalGroup: 'main', peExemptUntil: null },
  ],
  lessons: [
    { id: 'l1', date: '2026-09-10', number: 2, kind: 'regular', status: 'held', topic: null, homework: null, workType: 'dictation', movedFrom: null, substituteId: null },
    { id: 'l2', date: '2026-09-10', number: 3, kind: 'regular', status: 'held', topic: null, homework: null, workType: null, movedFrom: null, substituteId: null },
  ],
  marks: [{ lessonId: 'l2', studentId: 's2', column: 'main', value: '4', workType: 'lesson', comment: null }],
  absences: [],
  periodMarks: [],
};

type Call = { method: string; input: unknown };
/** A transport that records calls and answers from a script (default: accepted, no warnings). */
function fakeTransport(answer: (c: Call) => Result<unknown> = () => ({ ok: true, value: { ops: 1, warnings: [] } })) {
  const calls: Call[] = [];
  const t: Transport = { call: (method, input) => { const c = { method, input }; calls.push(c); return Promise.resolve(answer(c) as never); } };
  return { t, calls };
}

const cols = buildColumns(view) as LessonColumn[];
const at = (studentId: string, i: number) => ({ kind: 'lesson' as const, studentId, col: cols[i]! });

describe('the gradebook store', () => {
  it('shows a typed mark at once (local echo), before the server answers', async () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s1', 0), '5/4');
    expect(cellText(s.cell('s1', 'l1:main'))).toBe('5/4');
    expect(s.status('s1|l1:main')).toEqual({ kind: 'saving' });
    await s.settled();
    expect(calls).toEqual([{ method: 'cell.set', input: { lessonId: 'l1', studentId: 's1', mark: { value: '5/4' } } }]);
    expect(s.status('s1|l1:main')).toBeUndefined();
  });

  it('«н» records an absence, not a mark', async () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s1', 0), 'н');
    await s.settled();
    expect(cellText(s.cell('s1', 'l1:main'))).toBe('н');
    expect(calls).toEqual([{ method: 'cell.set', input: { lessonId: 'l1', studentId: 's1', absent: true } }]);
  });

  it('takes the mark back and shows the clause when the rules refuse it (п. 7.14)', async () => {
    const { t } = fakeTransport(() => ({ ok: false, error: { code: 'refused', message: 'С 1 по 15 сентября неудовлетворительные отметки не выставляются (п. 7.14)', requirement: 'R-ADAPTATION', clause: 'п. 7.14' } }));
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s1', 0), '2');
    expect(cellText(s.cell('s1', 'l1:main'))).toBe('2');
    await s.settled();
    expect(cellText(s.cell('s1', 'l1:main'))).toBe('');
    const st = s.status('s1|l1:main');
    expect(st?.kind === 'problem' && st.problem).toMatchObject({ level: 'refuse', clause: 'п. 7.14', requirement: 'R-ADAPTATION' });
    expect(s.notice?.key).toBe('s1|l1:main');
    expect(s.canUndo).toBe(false);
  });

  it('offers a correction request when the change is outside its window (R-CORRECTION)', async () => {
    const { t } = fakeTransport(() => ({ ok: false, error: { code: 'refused', message: 'Исправление — через запрос (п. 7.14)', requirement: 'R-CORRECTION', clause: 'п. 7.14' } }));
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s2', 1), '5');
    await s.settled();
    const st = s.status('s2|l2:main');
    expect(st?.kind === 'problem' && st.problem.correctable).toEqual({ value: '5' });
    expect(cellText(s.cell('s2', 'l2:main'))).toBe('4');
  });

  it('does not call the server for what is not a mark, and says why', () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    expect(s.input(at('s1', 0), '55')).toBe(false);
    expect(calls).toEqual([]);
    const st = s.status('s1|l1:main');
    expect(st?.kind === 'problem' && st.problem.level).toBe('input');
  });

  it('Delete annuls the mark; Ctrl+Z puts it back', async () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    s.clear(at('s2', 1));
    await s.settled();
    expect(cellText(s.cell('s2', 'l2:main'))).toBe('');
    expect(s.undo()).toBe(true);
    await s.settled();
    expect(cellText(s.cell('s2', 'l2:main'))).toBe('4');
    expect(calls).toEqual([
      { method: 'cell.set', input: { lessonId: 'l2', studentId: 's2', mark: null } },
      { method: 'cell.set', input: { lessonId: 'l2', studentId: 's2', mark: { value: '4' } } },
    ]);
  });

  it('a mark typed over «н» sets the mark and lifts the absence in one change (one call, one transaction)', async () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s1', 0), 'н');
    s.input(at('s1', 0), '4');
    await s.settled();
    expect(calls).toEqual([
      { method: 'cell.set', input: { lessonId: 'l1', studentId: 's1', absent: true } },
      { method: 'cell.set', input: { lessonId: 'l1', studentId: 's1', mark: { value: '4' }, absent: false } },
    ]);
    expect(s.cell('s1', 'l1:main')).toMatchObject({ mark: '4', absent: false });
  });

  it('pastes a column: one call per lesson; refused as a whole, cell by cell, so only the refused cell says so', async () => {
    // A lesson's column goes as one mark.set; a cell on its own as cell.set.
    const valuesOf = (c: { method: string; input: unknown }) => (c.method === 'cell.set'
      ? [(c.input as { mark: { value: string } }).mark.value]
      : (c.input as { marks: { value: string }[] }).marks.map((m) => m.value));
    const { t, calls } = fakeTransport((c) => (valuesOf(c).includes('2')
      ? { ok: false, error: { code: 'refused', message: 'нельзя (п. 7.14)', clause: 'п. 7.14' } } : { ok: true, value: { ops: 1, warnings: [] } }));
    const s = new GradebookStore(t, view, 'p1');
    s.paste([{ target: at('s1', 0), text: '5' }, { target: at('s2', 0), text: '4' }]);
    await s.settled();
    expect(calls).toHaveLength(1);
    s.paste([{ target: at('s1', 1), text: '3' }, { target: at('s2', 1), text: '2' }]);
    await s.settled();
    expect(calls.slice(1).map((c) => [c.method, valuesOf(c).length])).toEqual([['mark.set', 2], ['cell.set', 1], ['cell.set', 1]]);
    expect(cellText(s.cell('s1', 'l2:main'))).toBe('3');
    expect(cellText(s.cell('s2', 'l2:main'))).toBe('4');
    expect(s.status('s2|l2:main')?.kind).toBe('problem');
  });

  it('says a lesson-level warning (no work type, R-WORKTYPE) once, not on every cell', async () => {
    const warn = { level: 'warn' as const, code: 'warn', message: 'Укажите вид работы, за которую выставлена отметка', requirement: 'R-WORKTYPE', clause: 'п. 9.5' };
    const { t } = fakeTransport(() => ({ ok: true, value: { ops: 1, warnings: [warn] } }));
    const s = new GradebookStore(t, view, 'p1');
    s.input(at('s1', 1), '5');
    await s.settled();
    expect(s.status('s1|l2:main')).toBeUndefined();
    expect(s.notice?.problem.level).toBe('warn');
    expect(s.lessonWarnings('l2')).toEqual([warn]);
    s.dismissProblem();
    s.input(at('s2', 1), '3');
    await s.settled();
    expect(s.notice).toBeNull();
    // A pasted batch gets the warning once per mark: it is still said once.
    const s2 = new GradebookStore(fakeTransport(() => ({ ok: true, value: { ops: 1, warnings: [warn, warn, warn] } })).t, view, 'p1');
    s2.paste([{ target: at('s1', 1), text: '5' }, { target: at('s2', 0), text: '4' }]);
    await s2.settled();
    expect(s2.lessonWarnings('l2')).toEqual([warn]);
    expect(s2.notice?.problem.message.match(/Укажите вид работы/g)).toHaveLength(1);
  });

  it('sets a period mark from the proposal, and refuses to clear one (R-FINAL-LOCK)', async () => {
    const { t, calls } = fakeTransport();
    const s = new GradebookStore(t, view, 'p1');
    s.setProposals({ courseId: 'k', periodId: 'p1', subjectId: 'ru', yearId: 'y', hoursPerWeek: 5, lessonsHeld: 2, students: [{
      studentId: 's2', name: 'Петров Пётр', proposal: '4', status: 'proposed', current: null,
      explanation: { marksUsed: [], count: 5, minimum: 5, mean: 4.2, rounding: '4.20 → 4', lessons: 2, missed: 0, missedShare: 0, text: [] }, findings: [],
    }] });
    s.acceptProposal('s2');
    await s.settled();
    expect(calls).toEqual([{ method: 'periodMark.set', input: { yearId: 'y', subjectId: 'ru', term: 'p1', marks: [{ studentId: 's2', value: '4' }] } }]);
    expect(s.periodValue('s2')).toBe('4');
    s.clear({ kind: 'period', studentId: 's2' });
    const st = s.status('s2|period');
    expect(st?.kind === 'problem' && st.problem.clause).toBe('п. 7.14');
    expect(s.periodValue('s2')).toBe('4');
  });
});
