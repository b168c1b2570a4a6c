/** The contract's rows for closing the year and the archive (src-shared/contract/year.ts). */
import type { Handlers, Reads } from './context';

export const yearHandlers = {} satisfies Handlers;
export const yearReads = {} satisfies Reads;
