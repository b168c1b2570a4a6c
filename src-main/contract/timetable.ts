/** The contract's rows for the timetable and the lessons ahead (src-shared/contract/timetable.ts). */
import type { OpKind, PayloadInput } from '../../src-shared/ops/kinds';
import { execute } from '../commands/execute';
import { draft } from '../journal/log';
import { generateLessons, type GeneratePlan } from '../timetable/generate';
import { substitutionsOf } from '../timetable/substitutions';
import { timetableWeek } from '../timetable/week';
import { change, cmd, readOnlyOf, type DispatchContext, type Handlers, type Reads } from './context';

/** A method that is exactly one op of its name. */
const one = <K extends OpKind>(kind: K) => (ctx: DispatchContext, i: PayloadInput<K>) => change(() => execute(cmd(ctx), () => [draft(kind, i)]));

export const timetableHandlers = {
  'timetable.week': (ctx, i, scope) => timetableWeek(ctx.journal, i, {
    ...(scope?.kind === 'classes' ? { classIds: scope.classIds } : {}), readOnly: readOnlyOf(scope), staff: scope?.kind !== 'classes',
  }),
  'slot.set': one('slot.set'),
  'slot.remove': one('slot.remove'),
  'lessons.generate': (ctx, i) => {
    let plan: GeneratePlan | undefined;
    // One command: the plan is read inside the transaction its ops apply in — all or nothing.
    const r = execute(cmd(ctx), () => (plan = generateLessons(ctx.journal, i)).drafts);
    return { created: plan!.created, removed: plan!.removed, kept: plan!.kept, ops: r.ops.length, warnings: r.warnings };
  },
  'lesson.create': one('lesson.create'),
  'lesson.move': one('lesson.move'),
  'substitution.set': one('substitution.set'),
  'substitution.remove': one('substitution.remove'),
  'substitutions.mine': (ctx) => substitutionsOf(ctx.journal, ctx.accountId, new Date(ctx.clock.now()).toISOString()),
} satisfies Handlers;

export const timetableReads = {
  'timetable.week': 'timetable.week',
  // The role is checked before the timetable is read (the ops are then guarded one by one).
  'lessons.generate': 'timetable.manage',
  'substitutions.mine': 'substitutions.mine',
} satisfies Reads;
