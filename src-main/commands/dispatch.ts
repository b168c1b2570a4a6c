/**
 * `dispatch(method, input)` — the one entry every transport ends in (Electron IPC, HTTP, the
 * `ejournal call` CLI): the method is allow-listed, the input parsed by its zod schema, reads are
 * authorized by the policy and cut to its scope, changes run as commands through the regulation
 * guard. The answer is always an envelope `{ ok, value } | { ok: false, error }`, never a throw.
 */
import type { z } from 'zod';
import { isMethod, methods, type ErrorCode, type Method, type Result } from '../../src-shared/contract/methods';
import { describeIssues } from '../../src-shared/ops/envelope';
import { authorize } from '../../src-shared/policy/authorize';
import type { Scope } from '../../src-shared/policy/decision';
import type { QueryName } from '../../src-shared/policy/queries';
import { weekStart } from '../../src-shared/domain/values';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { actorOf, policyFacts } from '../journal/facts';
import { cellHistory, gradebook, periodCellHistory, studentWeek, correctionInbox } from '../journal/queries';
import { periodMarkProposal } from '../journal/attestation';
import { draft } from '../journal/log';
import { CommandRefused, execute, type Clock, type CommandResult, type Guard } from './execute';
import { regulationGuard } from './guard';
import { internalErrorMessage, newIncidentId } from './incident';
// [6/7] printed documents
import { asBase64, printAnnual, printBreachAct, printSummary, printWeekly, type PrintOptions } from '../reports/print';
// [4/7] the journal on screen
import { attendanceWeek, classSummary, coursesList, ktpList, lessonView, sessionView, statusView } from '../journal/views';

export interface DispatchContext {
  journal: Journal;
  /** The authenticated account (the transport authenticated it). */
  accountId: string;
  clock: Clock;
  /** Defaults to the regulation guard; tests of the journal alone may pass another. */
  guard?: Guard;
  /** Validate outputs against the contract (tests). */
  checkOutput?: boolean;
  /** [6/7] The fonts folder for printed documents (default: resources/fonts). */
  fontsDir?: string;
  /**
   * Where an internal failure is logged with its incident number (the caller only gets the number,
   * see incident.ts). Default: one line on stderr.
   */
  logInternal?: (incident: string, method: string, err: unknown) => void;
}

function logToStderr(incident: string, method: string, err: unknown): void {
  console.error(`ejournal: внутренняя ошибка, инцидент ${incident}, метод «${method}»:`, err);
}

type Input<M extends Method> = z.output<(typeof methods)[M]['input']>;
type Handler<M extends Method> = (ctx: DispatchContext, input: Input<M>, scope: Scope | undefined) => unknown;

const fail = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Result<never> => ({ ok: false, error: { code, message, ...extra } });

function change(ctx: DispatchContext, run: () => CommandResult) {
  const r = run();
  return { ops: r.ops.length, warnings: r.warnings };
}
const cmd = (ctx: DispatchContext) => ({ journal: ctx.journal, actor: { accountId: ctx.accountId }, clock: ctx.clock, guard: ctx.guard ?? regulationGuard });

/** Students a `classes` scope lets through. */
function inScope(j: Journal, scope: Scope | undefined): ((studentId: string) => boolean) | undefined {
  if (!scope || scope.kind !== 'classes') return undefined;
  const classes = new Set(scope.classIds);
  const facts = policyFacts(j);
  return (id) => classes.has(facts.classOfStudent(id) ?? '');
}

const handlers: { [M in Method]: Handler<M> } = {
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
  'marks.set': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('mark.set', i)])),
  'marks.annul': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('mark.annul', i)])),
  'attendance.set': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('attendance.set', i)])),
  'absence.reasons': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('absence.reason', i)])),
  'lesson.update': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('lesson.update', i)])),
  'homework.individual': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('homework.individual', i)])),
  'periodMark.set': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('periodMark.set', i)])),
  'correction.request': (ctx, i) => {
    let id = '';
    const r = execute(cmd(ctx), (b) => { id = b.newId(); return [draft('correction.request', { ...i, id })]; });
    return { id, ops: r.ops.length, warnings: r.warnings };
  },
  'correction.decide': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('correction.decide', i)])),
  // ── [4/7] the journal on screen (src-main/journal/views.ts) ──
  'session.get': (ctx) => sessionView(ctx.journal, ctx.accountId, ctx.clock.now()),
  'status.get': (ctx) => statusView(ctx.journal, ctx.clock.now()),
  'courses.list': (ctx, i, scope) => coursesList(ctx.journal, ctx.accountId, ctx.clock.now(), { ...(i.classId ? { classId: i.classId } : {}), own: scope?.kind === 'own', readOnly: readOnlyOf(scope) }),
  'lesson.get': (ctx, i, scope) => lessonView(ctx.journal, i.lessonId, readOnlyOf(scope), inScope(ctx.journal, scope)),
  'ktp.list': (ctx, i) => ktpList(ctx.journal, i.courseId),
  'class.summary': (ctx, i, scope) => classSummary(ctx.journal, i.classId, { ...(i.periodId ? { periodId: i.periodId } : {}), nowMs: ctx.clock.now(), ...(inScope(ctx.journal, scope) ? { keep: inScope(ctx.journal, scope)! } : {}) }),
  'attendance.week': (ctx, i, scope) => attendanceWeek(ctx.journal, i.classId, i.week, readOnlyOf(scope), inScope(ctx.journal, scope)),
  'diary.ack': (ctx, i) => change(ctx, () => execute(cmd(ctx), () => [draft('diary.ack', i)])),
  // ── end of [4/7] ──
  // ── [6/7] printed documents (src-main/reports) ──
  'report.weekly': (ctx, i) => asBase64((sink) => printWeekly(ctx.journal, i, printing(ctx), sink)),
  'report.annual': (ctx, i) => asBase64((sink) => printAnnual(ctx.journal, i, printing(ctx), sink)),
  'report.summary': (ctx, i) => asBase64((sink) => printSummary(ctx.journal, i, printing(ctx), sink)),
  'breach.act': (ctx, i) => asBase64((sink) => printBreachAct(ctx.journal, i, printing(ctx), sink)),
};

/** [6/7] A document's creation instant is the request's «now». */
function printing(ctx: DispatchContext): PrintOptions {
  return { createdAt: new Date(ctx.clock.now()).toISOString(), ...(ctx.fontsDir ? { fontsDir: ctx.fontsDir } : {}) };
}

/** [4/7] The scope's read-only hint for the UI (every change is authorized again as an op). */
function readOnlyOf(scope: Scope | undefined): boolean {
  return scope !== undefined && 'readOnly' in scope ? scope.readOnly : true;
}

/** Reads and the policy query each is authorized as. */
const READS: Partial<Record<Method, QueryName>> = {
  'gradebook.get': 'gradebook.get', 'diary.week': 'diary.week', 'cell.history': 'cell.history',
  'periodMark.proposal': 'periodMark.proposal', 'correction.inbox': 'correction.inbox',
  // [4/7] the journal on screen
  'session.get': 'session.get', 'status.get': 'status.get', 'courses.list': 'courses.list', 'lesson.get': 'lesson.get',
  'ktp.list': 'ktp.list', 'class.summary': 'class.summary', 'attendance.week': 'attendance.week',
  // [6/7] printed documents
  'report.weekly': 'report.weekly', 'report.annual': 'report.annual', 'report.summary': 'report.summary', 'breach.act': 'breach.act',
};

export function dispatch(ctx: DispatchContext, method: string, raw: unknown): Result<unknown> {
  // The name is echoed only when it looks like one: a transport may hand over any string.
  if (!isMethod(method)) return fail('unknown_method', /^[A-Za-z][A-Za-z.]{0,63}$/.test(method) ? `Неизвестный метод «${method}»` : 'Неизвестный метод');
  const spec = methods[method];
  const j = ctx.journal;
  try {
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) return fail('bad_input', `Неверные данные для «${method}»: ${describeIssues(parsed.error)}`);
    // Inside the try: a journal that fails here (a closed or broken file) is an internal error too.
    const actor = actorOf(j, ctx.accountId);
    if (!actor) return fail('unauthenticated', 'Учётная запись не найдена: войдите заново');
    if (actor.blocked) return fail('blocked', 'Учётная запись заблокирована: обратитесь к ответственному за техподдержку (п. 10.3)', { requirement: 'R-ACCOUNTS', clause: 'п. 10.3' });
    let scope: Scope | undefined;
    const query = READS[method];
    if (query) {
      const d = authorize(actor, { type: 'query', name: query, params: parsed.data } as never, policyFacts(j), new Date(ctx.clock.now()).toISOString());
      if (!d.allow) return fail(d.code, d.message, { requirement: d.requirement, clause: d.clause });
      scope = d.scope;
    }
    const value = (handlers[method] as Handler<Method>)(ctx, parsed.data as never, scope);
    if (ctx.checkOutput) {
      const out = spec.output.safeParse(value);
      if (!out.success) return fail('internal', `Ответ «${method}» не соответствует контракту: ${describeIssues(out.error)}`);
    }
    return { ok: true, value };
  } catch (err) {
    if (err instanceof CommandRefused) {
      const refusals = err.notices.filter((n) => n.level === 'refuse');
      const first = refusals[0];
      const code: ErrorCode = first && ['forbidden', 'not_found', 'blocked', 'unauthenticated', 'conflict'].includes(first.code) ? (first.code as ErrorCode) : 'refused';
      return fail(code, refusals.map((n) => (n.clause && !n.message.includes(n.clause) ? `${n.message} (${n.clause})` : n.message)).join('; '), {
        ...(first?.requirement ? { requirement: first.requirement } : {}), ...(first?.clause ? { clause: first.clause } : {}), notices: err.notices,
      });
    }
    if (err instanceof JournalError) return fail(err.code === 'not_found' || err.code === 'missing_ref' ? 'not_found' : err.code === 'conflict' ? 'conflict' : 'refused', err.message);
    const incident = newIncidentId();
    (ctx.logInternal ?? logToStderr)(incident, method, err);
    return fail('internal', internalErrorMessage('программы', incident));
  }
}
