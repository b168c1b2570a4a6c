/** A PDF that has arrived (slips of passwords, a breach act): open it in the browser's viewer or save it. */
import { useState } from 'react';
import { looksLikePdf, openPdf, pdfBytes, savePdf } from './pdf-file';

export function PdfFile({ base64, fileName, pages }: { base64: string; fileName: string; pages: number }) {
  const [note, setNote] = useState<string | null>(null);
  let ok = false;
  try { ok = looksLikePdf(pdfBytes(base64)); } catch { ok = false; }
  if (!ok) return <p className="adm-bad" role="alert">Сервер прислал не PDF: документ не сформирован, повторите позже</p>;
  return (
    <div className="adm-pdf">
      <span className="adm-pdf-name">{fileName} <span className="muted">· страниц: {pages}</span></span>
      <button type="button" className="btn" onClick={() => { if (!openPdf(base64)) setNote('Браузер не открыл новую вкладку: сохраните файл и откройте его'); }}>Открыть PDF</button>
      <button type="button" className="btn" onClick={() => { savePdf(base64, fileName); setNote('Файл сохраняется в папку загрузок'); }}>Сохранить PDF</button>
      {note && <span className="adm-pdf-note" role="status">{note}</span>}
    </div>
  );
}
