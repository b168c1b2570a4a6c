/** The contract's rows for printed documents (src-main/reports): each answers its PDF in base64. */
import { asBase64, printAnnual, printBreachAct, printSummary, printWeekly } from '../reports/print';
import { printing, type Handlers, type Reads } from './context';

export const reportHandlers = {
  'report.weekly': (ctx, i) => asBase64((sink) => printWeekly(ctx.journal, i, printing(ctx), sink)),
  'report.annual': (ctx, i) => asBase64((sink) => printAnnual(ctx.journal, i, printing(ctx), sink)),
  'report.summary': (ctx, i) => asBase64((sink) => printSummary(ctx.journal, i, printing(ctx), sink)),
  'breach.act': (ctx, i) => asBase64((sink) => printBreachAct(ctx.journal, i, printing(ctx), sink)),
} satisfies Handlers;

export const reportReads = {
  'report.weekly': 'report.weekly', 'report.annual': 'report.annual', 'report.summary': 'report.summary', 'breach.act': 'breach.act',
} satisfies Reads;
