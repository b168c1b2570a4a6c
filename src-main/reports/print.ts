/**
 * The printing API the CLI, the desktop (IPC) and the server (HTTP) share: a document from the
 * local journal, read-only, into a sink — a file written atomically, or bytes for a transport.
 * `createdAt` is the document's only clock: the same journal and the same instant give the same
 * bytes (R-OUTAGE: everything here works from the journal on this computer alone).
 */
import { localDateOf } from '../../src-shared/rules/local-time';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { annualData } from './annual-data';
import { drawAnnual } from './annual-journal';
import { breachData } from './breach-data';
import { drawBreachAct } from './breach-act';
import { bufferSink, DEFAULT_FONTS_DIR, fontSet, renderPdf, type Sink } from './pdf';
import { annualChecksum, normaliseChecksum, type PrintChecksum } from './print-checksum';
import { schoolInfo } from './school-data';
import { summaryData } from './summary-data';
import { drawSummary } from './summary-sheet';
import { weeklyData, type WeeklyQuery } from './weekly-data';
import { drawWeekly, WEEKLY_GLYPHS } from './weekly-report';
import { drawSlips, type SlipsData } from './slips';

export type Progress = (done: number, total: number) => void;

export interface PrintOptions {
  /** The instant the document is made (its CreationDate and the «на дату» it states). */
  createdAt: string;
  /** The fonts folder (resources/fonts, or `fonts` in the installed program). */
  fontsDir?: string;
  onProgress?: Progress;
  /** See PdfSetup.compress. */
  compress?: boolean;
}

function setup(j: Journal, o: PrintOptions, title: string, layout: 'portrait' | 'landscape', glyphs?: string) {
  const tz = schoolInfo(j).timezone;
  return {
    pdf: { fonts: fontSet(o.fontsDir ?? DEFAULT_FONTS_DIR), createdAt: o.createdAt, title, layout, ...(o.compress === false ? { compress: false } : {}), ...(glyphs ? { glyphs } : {}) },
    printedOn: localDateOf(o.createdAt, tz),
  };
}

/** R-WEEKLY-PAPER: one PDF for a class, one student per page (continued when needed). */
export function printWeekly(j: Journal, q: WeeklyQuery, o: PrintOptions, sink: Sink): { pages: number; students: number } {
  const data = weeklyData(j, q);
  const s = setup(j, o, `Еженедельные сведения об успеваемости, ${data.className}, ${data.from}`, 'portrait', WEEKLY_GLYPHS);
  return renderPdf(s.pdf, sink, (pdf) => drawWeekly(pdf, data, s.printedOn, o.onProgress));
}

/** R-ANNUAL-PRINT: the class's journal for its school year, with the checksum of the printed data. */
export function printAnnual(j: Journal, q: { classId: string }, o: PrintOptions, sink: Sink): { pages: number; sheets: number; checksum: string } {
  const data = annualData(j, q.classId);
  const checksum = annualChecksum(data);
  const s = setup(j, o, `Классный журнал ${data.cls.name}, ${data.cls.year}`, 'landscape');
  const verifyCommand = `ejournal verify-print --db <файл журнала> --class ${data.cls.name} --year ${data.cls.yearStart} --checksum ${checksum.total}`;
  const r = renderPdf(s.pdf, sink, (pdf) => drawAnnual(pdf, data, { printedOn: s.printedOn, checksum, verifyCommand }, o.onProgress));
  return { ...r, checksum: checksum.total };
}

/** `verify-print`: the checksum the journal gives now, and per section, to compare with the paper. */
export function verifyAnnual(j: Journal, q: { classId: string }, typed: string): { ok: boolean; expected: string; actual: PrintChecksum } {
  const expected = normaliseChecksum(typed);
  if (!expected) throw new JournalError('not_found', `«${typed}» — не контрольная сумма: нужны 20 шестнадцатеричных цифр, например A1B2-C3D4-E5F6-0718-293A`);
  const actual = annualChecksum(annualData(j, q.classId));
  return { ok: actual.total === expected, expected, actual };
}

/** R-SUMMARY: the summary sheet of a class, or of every class of the school's year. */
export function printSummary(j: Journal, q: { classId?: string; yearId?: string }, o: PrintOptions, sink: Sink): { pages: number; classes: number } {
  const school = schoolInfo(j);
  const data = summaryData(j, { ...q, today: localDateOf(o.createdAt, school.timezone) });
  const s = setup(j, o, `Сводная ведомость${data.classes.length === 1 ? `, ${data.classes[0]!.cls.name}` : ''}, ${data.year.name}`, 'landscape');
  return renderPdf(s.pdf, sink, (pdf) => drawSummary(pdf, data, s.printedOn, o.onProgress));
}

/** R-BREACH: the «Акт о нарушении конфиденциальности» of a recorded breach, for signing. */
export function printBreachAct(j: Journal, q: { breachId: string }, o: PrintOptions, sink: Sink): { pages: number } {
  const data = breachData(j, q.breachId);
  const s = setup(j, o, `Акт о нарушении конфиденциальности, ${data.account.login}`, 'portrait');
  return renderPdf(s.pdf, sink, (pdf) => drawBreachAct(pdf, data, s.printedOn));
}

/** R-ACCOUNTS: one-time passwords of a class's families as slips to cut (slips.ts). */
export function printSlips(j: Journal, data: SlipsData, o: PrintOptions, sink: Sink): { pages: number } {
  const s = setup(j, o, `Разовые пароли, ${data.className}`, 'portrait');
  return renderPdf(s.pdf, sink, (pdf) => drawSlips(pdf, data, s.printedOn));
}

/** A document as a transport carries it (IPC, HTTP): the bytes in base64 and the counts. */
export function asBase64<T extends object>(print: (sink: Sink) => T): T & { pdfBase64: string } {
  const sink = bufferSink();
  const r = print(sink);
  return { ...r, pdfBase64: sink.bytes().toString('base64') };
}
