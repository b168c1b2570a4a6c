/**
 * Printed documents on the desktop: the report methods answer base64 PDF (src-main/reports);
 * the shell keeps each PDF in memory under `app://ejournal/print/<id>.pdf` for the preview
 * window, then prints it (OS dialog) or saves it where the user says.
 */
import type { Result } from '../../src-shared/contract/methods';

const NAMES: Record<string, string> = {
  'report.weekly': 'Еженедельный отчёт', 'report.annual': 'Классный журнал', 'report.summary': 'Сводная ведомость', 'breach.act': 'Акт',
};

/** The PDF bytes of a report answer (`{ pdfBase64, … }`, reports/print.ts asBase64). */
export function pdfOf(r: Result<unknown>): Buffer | null {
  if (!r.ok || !r.value || typeof r.value !== 'object') return null;
  const b64 = (r.value as { pdfBase64?: unknown }).pdfBase64;
  if (typeof b64 !== 'string') return null;
  const buf = Buffer.from(b64, 'base64');
  return buf.subarray(0, 5).toString('latin1') === '%PDF-' ? buf : null;
}

export function suggestedFileName(method: string, at: Date): string {
  return `${NAMES[method] ?? 'Документ'} ${at.toISOString().slice(0, 10)}.pdf`;
}

/** PDFs waiting in preview windows, by id; removed when the window closes. */
export class PrintStore {
  private readonly docs = new Map<string, Buffer>();
  private n = 0;
  put(pdf: Buffer): string {
    const id = `doc-${++this.n}`;
    this.docs.set(id, pdf);
    return id;
  }
  get(id: string): Buffer | undefined { return this.docs.get(id); }
  drop(id: string): void { this.docs.delete(id); }
  /** For the protocol handler: `print/<id>.pdf`. */
  lookup = (rel: string): { body: Buffer; type: string } | undefined => {
    const m = /^print\/(doc-\d+)\.pdf$/.exec(rel);
    const body = m ? this.docs.get(m[1]!) : undefined;
    return body ? { body, type: 'application/pdf' } : undefined;
  };
}
