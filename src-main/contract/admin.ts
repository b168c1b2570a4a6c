/**
 * The contract's rows for setting a school up (src-shared/contract/admin.ts): reads of the school,
 * the accounts and a class's register (admin/views.ts), one-op changes through the guard, and the
 * account methods that make passwords (admin/accounts.ts, admin/issue.ts).
 */
import type { OpKind, PayloadInput } from '../../src-shared/ops/kinds';
import { newAccount, ownPasswordDraft, resetDrafts } from '../admin/accounts';
import { issueForClass } from '../admin/issue';
import { accountList, classRoster, setupView } from '../admin/views';
import { execute } from '../commands/execute';
import { draft } from '../journal/log';
import { asBase64, printSlips } from '../reports/print';
import { change, cmd, inScope, printing, readOnlyOf, type DispatchContext, type Handlers, type Reads } from './context';

/** A method that is exactly one op of its name. */
const one = <K extends OpKind>(kind: K) => (ctx: DispatchContext, i: PayloadInput<K>) => change(() => execute(cmd(ctx), () => [draft(kind, i)]));

export const adminHandlers = {
  'accounts.list': (ctx) => accountList(ctx.journal),
  'setup.get': (ctx) => setupView(ctx.journal, ctx.clock.now()),
  'class.roster': (ctx, i, scope) => classRoster(ctx.journal, i.classId, readOnlyOf(scope), inScope(ctx.journal, scope)),
  'school.set': one('school.set'),
  'year.set': one('year.set'),
  'levelScheme.set': one('levelScheme.set'),
  'period.set': one('period.set'),
  'period.remove': one('period.remove'),
  'holiday.set': one('holiday.set'),
  'holiday.remove': one('holiday.remove'),
  'bell.set': one('bell.set'),
  'subject.set': one('subject.set'),
  'staff.set': one('staff.set'),
  'class.set': one('class.set'),
  'group.set': one('group.set'),
  'group.members': one('group.members'),
  'course.set': one('course.set'),
  'course.remove': one('course.remove'),
  'student.set': one('student.set'),
  'parent.set': one('parent.set'),
  'parent.link': one('parent.link'),
  'parent.unlink': one('parent.unlink'),
  'consent.set': one('consent.set'),
  'account.set': one('account.set'),
  'account.block': one('account.block'),
  'breach.record': one('breach.record'),
  'account.create': (ctx, i) => {
    let made = { id: '', login: '', password: '' };
    const r = execute(cmd(ctx), (b) => {
      const a = newAccount(ctx.journal, { id: b.newId(), personKind: i.personKind, personId: i.personId, roles: i.roles, login: i.login });
      made = a;
      return a.drafts;
    });
    return { id: made.id, login: made.login, password: made.password, ops: r.ops.length, warnings: r.warnings };
  },
  'account.reset': (ctx, i) => {
    let made = { login: '', password: '' };
    const r = execute(cmd(ctx), () => {
      const a = resetDrafts(ctx.journal, i.id);
      made = a;
      return a.drafts;
    });
    return { login: made.login, password: made.password, ops: r.ops.length, warnings: r.warnings };
  },
  'account.password': (ctx, i) => change(() => execute(cmd(ctx), () => [ownPasswordDraft(ctx.journal, ctx.accountId, i.current, i.next)])),
  'accounts.issue': (ctx, i) => {
    let data: ReturnType<typeof issueForClass>['data'] | undefined;
    const r = execute(cmd(ctx), (b) => {
      const issued = issueForClass(ctx.journal, i, () => b.newId());
      data = issued.data;
      return issued.drafts;
    });
    const pdf = asBase64((sink) => printSlips(ctx.journal, data!, printing(ctx), sink));
    return { ...pdf, accounts: data!.slips.length, ops: r.ops.length };
  },
} satisfies Handlers;

export const adminReads = {
  'accounts.list': 'accounts.list', 'setup.get': 'setup.get', 'class.roster': 'class.roster',
  // Changes that make passwords: the role is checked before the person or the class is looked up
  // (an answer must not tell a teacher who has an account); their ops then go through the guard.
  'account.create': 'accounts.manage', 'account.reset': 'accounts.manage', 'accounts.issue': 'accounts.manage',
} satisfies Reads;
