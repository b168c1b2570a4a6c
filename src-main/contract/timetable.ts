/** The contract's rows for the timetable and the lessons ahead (src-shared/contract/timetable.ts). */
import type { Handlers, Reads } from './context';

export const timetableHandlers = {} satisfies Handlers;
export const timetableReads = {} satisfies Reads;
