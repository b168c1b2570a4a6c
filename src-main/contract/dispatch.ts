/**
 * `dispatch(method, input)` — the one entry every transport ends in (Electron IPC, HTTP, the
 * `ejournal call` CLI): the method is allow-listed, the input parsed by its zod schema, reads are
 * authorized by the policy and cut to its scope, changes run as commands through the regulation
 * guard. The answer is always an envelope `{ ok, value } | { ok: false, error }`, never a throw.
 *
 * The contract router is its own layer, above the journal, the commands, the reports and sync:
 * they know nothing of it. A domain's methods are rows of its table (journal.ts, views.ts,
 * reports.ts); a new domain adds a table here, not a new entry point.
 */
import { isMethod, methods, type ErrorCode, type Method, type Result } from '../../src-shared/contract/methods';
import { describeIssues } from '../../src-shared/ops/envelope';
import { authorize } from '../../src-shared/policy/authorize';
import type { Scope } from '../../src-shared/policy/decision';
import type { QueryName } from '../../src-shared/policy/queries';
import { JournalError } from '../journal/errors';
import { actorOf, mustChangePassword, policyFacts } from '../journal/facts';
import { CommandRefused } from '../commands/execute';
import { internalErrorMessage, newIncidentId } from '../commands/incident';
import type { DispatchContext, Handler } from './context';
import { journalHandlers, journalReads } from './journal';
import { viewHandlers, viewReads } from './views';
import { reportHandlers, reportReads } from './reports';
import { adminHandlers, adminReads } from './admin';
import { importHandlers, importReads } from './import';
import { timetableHandlers, timetableReads } from './timetable';
import { yearHandlers, yearReads } from './year';

function logToStderr(incident: string, method: string, err: unknown): void {
  console.error(`ejournal: внутренняя ошибка, инцидент ${incident}, метод «${method}»:`, err);
}

const fail = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Result<never> => ({ ok: false, error: { code, message, ...extra } });

/** Every method of the contract, each in one domain's table (the type says none is missing). */
const handlers: { [M in Method]: Handler<M> } = { ...journalHandlers, ...viewHandlers, ...reportHandlers, ...adminHandlers, ...importHandlers, ...timetableHandlers, ...yearHandlers };

/** Reads and the policy query each is authorized as. */
const READS: Partial<Record<Method, QueryName>> = { ...journalReads, ...viewReads, ...reportReads, ...adminReads, ...importReads, ...timetableReads, ...yearReads };

/** What an account signed in with a one-time password may do: see who it is and choose its own password. */
const WHILE_ONE_TIME: ReadonlySet<Method> = new Set<Method>(['session.get', 'status.get', 'account.password']);

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
    if (!WHILE_ONE_TIME.has(method) && mustChangePassword(j, ctx.accountId)) {
      return fail('forbidden', 'Вы вошли с разовым паролем: сначала придумайте свой пароль (п. 10.1)', { requirement: 'R-ACCOUNTS', clause: 'п. 10.1' });
    }
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
      // A reference to a record the journal does not have is «not found», as a missing id is for a read.
      const code: ErrorCode = first?.code === 'missing_ref' ? 'not_found'
        : first && ['forbidden', 'not_found', 'blocked', 'unauthenticated', 'conflict'].includes(first.code) ? (first.code as ErrorCode) : 'refused';
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
