/** The gradebook grid's sizes in CSS pixels: rows, the header, the pinned columns and a lesson column. */
export const ROW_H = 28;
export const MONTH_H = 18;
export const HEAD_H = MONTH_H + 40;
export const NAME_W = 232;
export const COL_W = 42;
export const AVG_W = 46;
export const PERIOD_W = 70;
