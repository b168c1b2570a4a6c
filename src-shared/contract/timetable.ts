/**
 * The timetable and the lessons ahead (R-SETUP, R-SUBST; п. 7.12, 9.3): the methodist's slots,
 * lessons generated from them, moves, cancellations, extra lessons and substitutions.
 */
export const timetableMethods = {} as const;
