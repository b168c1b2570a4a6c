/** The contract's rows for the gradebook: its reads (journal/queries.ts) and its changes (commands). */
import { weekStart } from '../../src-shared/domain/values';
import { cellHistory, gradebook, periodCellHistory, studentWeek, correctionInbox } from '../journal/queries';
import { periodMarkProposal } from '../journal/attestation';
import { draft, type OpDraft } from '../journal/log';
import type { CellSet } from '../../src-shared/contract/methods';
import { execute } from '../commands/execute';
import { change, cmd, inScope, type Handlers, type Reads } from './context';

export const journalHandlers = {
  'gradebook.get': (ctx, i, scope) => {
    const view = gradebook(ctx.journal, { courseId: i.courseId, ...(i.periodId ? { periodId: i.periodId } : {}) });
    const keep = inScope(ctx.journal, scope);
    if (!keep) return view;
    return { ...view, students: view.students.filter((s) => keep(s.id)), marks: view.marks.filter((m) => keep(m.studentId)), absences: view.absences.filter((a) => keep(a.studentId)), periodMarks: view.periodMarks.filter((p) => keep(p.studentId)) };
  },
  'diary.week': (ctx, i) => studentWeek(ctx.journal, i.studentId, weekStart(i.week)),
  'cell.history': (ctx, i) => (i.kind === 'mark' ? cellHistory(ctx.journal, i) : periodCellHistory(ctx.journal, i)),
  'periodMark.proposal': (ctx, i, scope) => periodMarkProposal(ctx.journal, i.courseId, i.periodId, inScope(ctx.journal, scope)),
  'correction.inbox': (ctx, _i, scope) => correctionInbox(ctx.journal, scope?.kind === 'own' ? scope.accountId : undefined),
  'mark.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.set', i)])),
  'mark.annul': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.annul', i)])),
  'attendance.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('attendance.set', i)])),
  'absence.reason': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('absence.reason', i)])),
  'cell.set': (ctx, i) => change(() => execute(cmd(ctx), () => cellDrafts(i))),
  // The names before 0.2 (DEPRECATED_METHODS).
  'marks.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.set', i)])),
  'marks.annul': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.annul', i)])),
  'absence.reasons': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('absence.reason', i)])),
  'lesson.update': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('lesson.update', i)])),
  'homework.individual': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('homework.individual', i)])),
  'periodMark.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('periodMark.set', i)])),
  'correction.request': (ctx, i) => {
    let id = '';
    const r = execute(cmd(ctx), (b) => { id = b.newId(); return [draft('correction.request', { ...i, id })]; });
    return { id, ops: r.ops.length, warnings: r.warnings };
  },
  'correction.decide': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('correction.decide', i)])),
} satisfies Handlers;

/**
 * One cell's change as ops of one transaction, each guarded against the state the previous left:
 * a pupil marked present before their mark, a mark annulled before the pupil is marked absent.
 */
export function cellDrafts(c: CellSet): OpDraft[] {
  const at = { lessonId: c.lessonId };
  const col = c.column ? { column: c.column } : {};
  const drafts: OpDraft[] = [];
  if (c.absent === false) drafts.push(draft('attendance.set', { ...at, entries: [{ studentId: c.studentId, absent: false }] }));
  if (c.mark === null) drafts.push(draft('mark.annul', { ...at, marks: [{ studentId: c.studentId, ...col }] }));
  else if (c.mark) drafts.push(draft('mark.set', { ...at, marks: [{ studentId: c.studentId, ...col, ...c.mark }] }));
  if (c.absent === true) drafts.push(draft('attendance.set', { ...at, entries: [{ studentId: c.studentId, absent: true }] }));
  return drafts;
}

export const journalReads = {
  'gradebook.get': 'gradebook.get', 'diary.week': 'diary.week', 'cell.history': 'cell.history',
  'periodMark.proposal': 'periodMark.proposal', 'correction.inbox': 'correction.inbox',
} satisfies Reads;
