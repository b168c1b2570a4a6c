/**
 * R-BREACH (п. 10.3, 10.4): the director records a breach of an account's confidentiality — from
 * when it began and when it was reported — and prints the act. From the report on, every
 * operation of the account is invalid and it cannot sign in; the record is not undone.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery, useTransport } from '../../app/data';
import { instantRu } from '../../app/format';
import { desktopBridge } from '../../transport/ipc';
import { FailureNotice, ModalDialog } from './admin-shared/ModalDialog';
import { PdfFile } from './admin-shared/PdfFile';
import { pdfFileName } from './admin-shared/pdf-file';
import { newRecordId } from './admin-shared/record-id';
import { useChange } from './admin-shared/use-change';
import { zonedLocal, zonedToInstant } from './admin-shared/zoned-time';
import type { Account } from './AccountDialogs';

export function BreachDialog({ account, timeZone, today, onClose, onRecorded }: { account: Account; timeZone: string; today: string; onClose: () => void; onRecorded: () => void }) {
  const c = useChange();
  // The server's clock, never the browser's (the default moment of the report).
  const status = useQuery('status.get', {});
  const now = status.value ? zonedLocal(Date.parse(status.value.now), timeZone) : '';
  const [reported, setReported] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [note, setNote] = useState('');
  const [breachId, setBreachId] = useState<string | null>(null);
  const reportedAt = reported ?? now;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fromI = zonedToInstant(from, timeZone);
    const repI = zonedToInstant(reportedAt, timeZone);
    if (!fromI) { c.setFailure({ code: 'bad_input', message: 'Укажите дату и время, с которых учётной записью могли пользоваться посторонние' }); return; }
    if (!repI) { c.setFailure({ code: 'bad_input', message: 'Укажите дату и время сообщения о нарушении' }); return; }
    if (fromI > repI) { c.setFailure({ code: 'bad_input', message: 'Начало нарушения не может быть позже сообщения о нём' }); return; }
    const id = newRecordId('breach');
    const r = await c.run('breach.record', { id, accountId: account.id, from: fromI, reportedAt: repI, ...(note.trim() ? { note: note.trim() } : {}) });
    if (r) { setBreachId(id); onRecorded(); }
  }

  if (breachId) {
    return (
      <ModalDialog title="Нарушение зафиксировано" meta={<>{account.name} · логин <b>{account.login}</b></>} onClose={onClose}>
        <p>Вход по учётной записи запрещён; её операции с момента сообщения недействительны (п. 10.4). Распечатайте акт о нарушении и подпишите его.</p>
        <BreachAct breachId={breachId} today={today} />
        <div className="modal-actions"><button type="button" className="btn" onClick={onClose}>Закрыть</button></div>
      </ModalDialog>
    );
  }
  return (
    <ModalDialog title="Зафиксировать нарушение" meta={<>{account.name}{account.detail ? ` — ${account.detail}` : ''} · логин <b>{account.login}</b></>} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="notice notice-warn" role="note">
          <span className="notice-tag">⚠ Внимание</span>
          <span className="notice-text">Все операции этой учётной записи с момента сообщения о нарушении признаются недействительными, вход по ней запрещается. Запись о нарушении не отменяется.</span>
          <span className="notice-cite">R-BREACH · п. 10.4</span>
        </div>
        <div className="adm-grid2">
          <label className="field"><span className="field-label">Нарушение началось</span>
            <input type="datetime-local" value={from} max={reportedAt || undefined} onChange={(e) => setFrom(e.target.value)} />
            <span className="field-hint">С какого момента паролем могли пользоваться посторонние</span>
          </label>
          <label className="field"><span className="field-label">Сообщение о нарушении</span>
            <input type="datetime-local" value={reportedAt} onChange={(e) => setReported(e.target.value)} />
            <span className="field-hint">Время школы ({timeZone}); по умолчанию — сейчас</span>
          </label>
        </div>
        <label className="field"><span className="field-label">Примечание</span>
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="кто сообщил, при каких обстоятельствах" />
        </label>
        <FailureNotice failure={c.failure} />
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={c.busy || !reportedAt} aria-busy={c.busy}>{c.busy ? 'Записывается…' : 'Зафиксировать нарушение'}</button>
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
        </div>
      </form>
    </ModalDialog>
  );
}

/**
 * The act of a breach (`breach.act`): on the desktop its main process opens the preview (as the
 * class documents, printing/PrintDialog.tsx); in a browser the PDF comes here to open or save.
 */
export function BreachAct({ breachId, today }: { breachId: string; today: string }) {
  const t = useTransport();
  const bridge = useMemo(() => (t.kind === 'desktop' ? desktopBridge() : null), [t]);
  const c = useChange();
  const [pdf, setPdf] = useState<{ base64: string; pages: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function make() {
    if (bridge) {
      c.setFailure(null);
      const r = await bridge.call('desktop.print', { method: 'breach.act', input: { breachId }, action: 'preview' }).catch(() => null);
      if (!r) c.setFailure({ code: 'internal', message: 'Программа не ответила: акт не сформирован' });
      else if (!r.ok) c.setFailure(r.error);
      else setDone('Акт открыт в окне предпросмотра: печать — Ctrl+P, сохранение — Ctrl+S');
      return;
    }
    const r = await c.run('breach.act', { breachId });
    if (r) setPdf({ base64: r.pdfBase64, pages: r.pages });
  }

  return (
    <div className="adm-act">
      {!pdf && <button type="button" className="btn btn-primary" onClick={() => void make()} disabled={c.busy} aria-busy={c.busy}>{c.busy ? 'Формируется…' : 'Сформировать акт (PDF)'}</button>}
      {pdf && <PdfFile base64={pdf.base64} pages={pdf.pages} fileName={pdfFileName(`akt-narusheniya-${breachId}`, today)} />}
      {done && <p className="modal-done" role="status">{done}</p>}
      <FailureNotice failure={c.failure} />
    </div>
  );
}

/** The act of a breach recorded earlier, from the list of breaches. */
export function BreachActDialog({ breach, name, timeZone, today, onClose }: { breach: { id: string; from: string; reportedAt: string }; name: string; timeZone: string; today: string; onClose: () => void }) {
  return (
    <ModalDialog title="Акт о нарушении конфиденциальности" meta={<>{name} · нарушение с {instantRu(breach.from, timeZone)}, сообщено {instantRu(breach.reportedAt, timeZone)}</>} onClose={onClose}>
      <BreachAct breachId={breach.id} today={today} />
      <div className="modal-actions"><button type="button" className="btn" onClick={onClose}>Закрыть</button></div>
    </ModalDialog>
  );
}
