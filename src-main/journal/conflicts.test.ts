import { describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { draft } from './log';
import { staleWrites } from './conflicts';
import { context, fixedClock, T, tinySchool } from '../../test/support/tiny-school';

const [s1] = T.students;
const [l1] = T.lessons;

describe('mark conflicts: a write over a value its author had not seen is flagged (docs/sync.md)', () => {
  it('execute records what the author saw as `base` (absent for an empty cell)', () => {
    const { teacher } = tinySchool();
    const first = submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '4' }] })).ops[0]!;
    expect((first.payload as { marks: { base?: string }[] }).marks[0]!.base).toBeUndefined();
    const second = submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5' }] })).ops[0]!;
    expect((second.payload as { marks: { base?: string }[] }).marks[0]!.base).toBe('4');
  });

  it('flags a write whose base differs from another author’s current value, not one that saw it', () => {
    const { j, teacher } = tinySchool();
    // The substitute's desktop saw an empty cell; meanwhile the teacher's «4» reached this replica.
    submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '4' }] }));
    const blind = { kind: 'mark.set', author: T.substituteAcc, payload: { lessonId: l1, marks: [{ studentId: s1, value: '3' }] } };
    expect(staleWrites(j, blind)).toEqual([{ lessonId: l1, studentId: s1, column: 'main', seen: null, replaced: '4', replacedBy: T.teacherAcc, replacedAt: Date.parse('2026-09-10T10:00:00.000Z') }]);
    const informed = { ...blind, payload: { lessonId: l1, marks: [{ studentId: s1, value: '3', base: '4' }] } };
    expect(staleWrites(j, informed)).toEqual([]);
    // One's own value entered on another computer and not seen here is flagged too.
    expect(staleWrites(j, { ...blind, author: T.teacherAcc })).toHaveLength(1);
    // The same write through execute on this replica saw the «4»: no flag.
    const sub = context(j, T.substituteAcc, fixedClock('2026-09-10T11:00:00.000Z'));
    const op = submit(sub, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '3' }] })).ops[0]!;
    expect((op.payload as { marks: { base?: string }[] }).marks[0]!.base).toBe('4');
  });
});
