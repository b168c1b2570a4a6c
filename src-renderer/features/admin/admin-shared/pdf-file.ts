/**
 * A printed document that arrived in the browser (`pdfBase64`: breach act, password slips): the
 * page turns it into a file the person saves or opens with their PDF viewer. The desktop prints
 * the report methods through its main process instead (printing/PrintDialog.tsx).
 */

/** The PDF's bytes; throws on text that is not base64. */
export function pdfBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Is it a PDF at all (`%PDF-`)? A broken answer is said so instead of saving garbage. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return bytes.length > 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

/** «akt-narusheniya-2026-09-10.pdf»: Latin, digits and dashes, so every system keeps the name. */
export function pdfFileName(stem: string, date: string): string {
  const clean = stem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'document';
  return `${clean}-${date}.pdf`;
}

/** Saves the PDF as a download (not subject to the page's CSP, works in every browser). */
export function savePdf(base64: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([pdfBytes(base64)], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the bytes by the next minute.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens the PDF in a new tab (the browser's viewer: print from there); false when the tab was blocked. */
export function openPdf(base64: string): boolean {
  const url = URL.createObjectURL(new Blob([pdfBytes(base64)], { type: 'application/pdf' }));
  // Not `noopener`: with it `window.open` answers null even when the tab opened.
  const w = window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return w !== null;
}
