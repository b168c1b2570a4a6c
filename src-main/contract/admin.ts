/** The contract's rows for setting a school up: accounts, the year, classes, the register (src-main/admin). */
import type { Handlers, Reads } from './context';

export const adminHandlers = {} satisfies Handlers;
export const adminReads = {} satisfies Reads;
