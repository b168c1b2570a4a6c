/** The contract's rows for the journal on screen (src-main/journal/views.ts). */
import { attendanceWeek, classSummary, coursesList, ktpList, lessonView, lessonWarnings, sessionView, statusView } from '../journal/views';
import { draft } from '../journal/log';
import { execute } from '../commands/execute';
import { change, cmd, inScope, readOnlyOf, type Handlers, type Reads } from './context';

export const viewHandlers = {
  'session.get': (ctx) => sessionView(ctx.journal, ctx.accountId, ctx.clock.now()),
  'status.get': (ctx) => statusView(ctx.journal, ctx.clock.now()),
  'courses.list': (ctx, i, scope) => coursesList(ctx.journal, ctx.accountId, ctx.clock.now(), { ...(i.classId ? { classId: i.classId } : {}), own: scope?.kind === 'own', readOnly: readOnlyOf(scope) }),
  'lesson.get': (ctx, i, scope) => {
    const keep = inScope(ctx.journal, scope);
    return { ...lessonView(ctx.journal, i.lessonId, readOnlyOf(scope), keep), warnings: lessonWarnings(ctx.journal, i.lessonId, ctx.clock.now(), keep) };
  },
  'ktp.list': (ctx, i) => ktpList(ctx.journal, i.courseId),
  'class.summary': (ctx, i, scope) => classSummary(ctx.journal, i.classId, { ...(i.periodId ? { periodId: i.periodId } : {}), nowMs: ctx.clock.now(), ...(inScope(ctx.journal, scope) ? { keep: inScope(ctx.journal, scope)! } : {}) }),
  'attendance.week': (ctx, i, scope) => attendanceWeek(ctx.journal, i.classId, i.week, readOnlyOf(scope), inScope(ctx.journal, scope)),
  'diary.ack': (ctx, i) => change(() => execute(cmd(ctx), () => [draft('diary.ack', i)])),
} satisfies Handlers;

export const viewReads = {
  'session.get': 'session.get', 'status.get': 'status.get', 'courses.list': 'courses.list', 'lesson.get': 'lesson.get',
  'ktp.list': 'ktp.list', 'class.summary': 'class.summary', 'attendance.week': 'attendance.week',
} satisfies Reads;
