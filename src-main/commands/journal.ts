/** The journal's everyday commands (учитель, классный руководитель). Thin: they build drafts. */
import type { PayloadInput } from '../../src-shared/ops/kinds';
import { draft } from '../journal/log';
import { execute, submit, type CommandContext, type CommandResult } from './execute';

export const setMarks = (ctx: CommandContext, p: PayloadInput<'mark.set'>): CommandResult => submit(ctx, draft('mark.set', p));
export const annulMarks = (ctx: CommandContext, p: PayloadInput<'mark.annul'>): CommandResult => submit(ctx, draft('mark.annul', p));
export const setAttendance = (ctx: CommandContext, p: PayloadInput<'attendance.set'>): CommandResult => submit(ctx, draft('attendance.set', p));
export const setAbsenceReasons = (ctx: CommandContext, p: PayloadInput<'absence.reason'>): CommandResult => submit(ctx, draft('absence.reason', p));
export const updateLesson = (ctx: CommandContext, p: PayloadInput<'lesson.update'>): CommandResult => submit(ctx, draft('lesson.update', p));
export const setIndividualHomework = (ctx: CommandContext, p: PayloadInput<'homework.individual'>): CommandResult => submit(ctx, draft('homework.individual', p));
export const setPeriodMarks = (ctx: CommandContext, p: PayloadInput<'periodMark.set'>): CommandResult => submit(ctx, draft('periodMark.set', p));
export const decideCorrection = (ctx: CommandContext, p: PayloadInput<'correction.decide'>): CommandResult => submit(ctx, draft('correction.decide', p));

/** Creates a lesson; returns its id with the result. */
export function createLesson(ctx: CommandContext, p: Omit<PayloadInput<'lesson.create'>, 'id'>): CommandResult & { id: string } {
  let id = '';
  const r = execute(ctx, (b) => {
    id = b.newId();
    return [draft('lesson.create', { ...p, id })];
  });
  return { ...r, id };
}

export function requestCorrection(ctx: CommandContext, p: Omit<PayloadInput<'correction.request'>, 'id'>): CommandResult & { id: string } {
  let id = '';
  const r = execute(ctx, (b) => {
    id = b.newId();
    return [draft('correction.request', { ...p, id })];
  });
  return { ...r, id };
}
