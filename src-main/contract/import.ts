/** The contract's rows for import and export of the school's lists (src-main/admin/import). */
import type { Handlers, Reads } from './context';

export const importHandlers = {} satisfies Handlers;
export const importReads = {} satisfies Reads;
