/** The contract's rows for the gradebook: its reads (journal/queries.ts) and its changes (commands). */
import { weekStart } from '../../src-shared/domain/values';
import { cellHistory, gradebook, periodCellHistory, studentWeek, correctionInbox } from '../journal/queries';
import { periodMarkProposal } from '../journal/attestation';
import { draft } from '../journal/log';
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
  'marks.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.set', i)])),
  'marks.annul': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('mark.annul', i)])),
  'attendance.set': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('attendance.set', i)])),
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

export const journalReads = {
  'gradebook.get': 'gradebook.get', 'diary.week': 'diary.week', 'cell.history': 'cell.history',
  'periodMark.proposal': 'periodMark.proposal', 'correction.inbox': 'correction.inbox',
} satisfies Reads;
