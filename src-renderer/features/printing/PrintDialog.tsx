/**
 * Printed documents of a class (desktop only): the weekly report for families with a paper diary
 * (R-WEEKLY-PAPER), the summary sheet (R-SUMMARY), the annual journal (R-ANNUAL-PRINT). The main
 * process makes the PDF (the report methods, docs/api.md) and opens its preview window — print from
 * there — or asks where to save it (`desktop.print`). The PDF never passes through this page. In a
 * browser there is no bridge, and the button is not shown.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Role } from '../../../src-shared/domain/school';
import type { Failure } from '../../app/data';
import { NoticeLine } from '../../components/States';
import type { DesktopBridge, PrintMethod } from '../../transport/ipc';

const DOCS: { method: PrintMethod; label: string; hint: string; roles: Role[] }[] = [
  { method: 'report.weekly', label: 'Еженедельный отчёт для родителей', hint: 'отметки, пропуски и задания за неделю, ученик на страницу (п. 7.2)', roles: ['class_teacher', 'deputy', 'director'] },
  { method: 'report.summary', label: 'Сводная ведомость', hint: 'промежуточная и итоговая аттестация класса', roles: ['class_teacher', 'deputy', 'director'] },
  { method: 'report.annual', label: 'Классный журнал за учебный год', hint: 'для прошивки: листы пронумерованы, контрольная сумма (п. 12.2)', roles: ['deputy', 'director'] },
];

export function PrintButton({ bridge, classId, className, role, today }: { bridge: DesktopBridge; classId: string; className: string; role: Role; today: string }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  if (!DOCS.some((d) => d.roles.includes(role))) return null;
  return (
    <>
      <button ref={button} type="button" className="btn" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)}>Печать…</button>
      {open && <PrintDialog bridge={bridge} classId={classId} className={className} role={role} today={today} onClose={() => { setOpen(false); button.current?.focus(); }} />}
    </>
  );
}

function PrintDialog({ bridge, classId, className, role, today, onClose }: { bridge: DesktopBridge; classId: string; className: string; role: Role; today: string; onClose: () => void }) {
  const docs = DOCS.filter((d) => d.roles.includes(role));
  const [method, setMethod] = useState<PrintMethod>(docs[0]!.method);
  const [week, setWeek] = useState(today);
  const [all, setAll] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);

  async function run(action: 'preview' | 'save', e?: FormEvent) {
    e?.preventDefault();
    if (method === 'report.weekly' && !/^\d{4}-\d{2}-\d{2}$/.test(week)) { setFailure({ code: 'bad_input', message: 'Укажите любой день нужной недели' }); return; }
    const input = method === 'report.weekly' ? { classId, week, ...(all ? { all: true } : {}) } : { classId };
    setBusy(action);
    setFailure(null);
    setDone(null);
    let r;
    try {
      r = await bridge.call('desktop.print', { method, input, action });
    } catch {
      r = { ok: false as const, error: { code: 'internal' as const, message: 'Программа не ответила: документ не сформирован' } };
    }
    setBusy(null);
    if (!r.ok) { setFailure(r.error); return; }
    const v = r.value as { preview?: boolean; saved?: boolean } | null;
    setDone(action === 'preview' ? 'Документ открыт в окне предпросмотра: печать — Ctrl+P, сохранение — Ctrl+S' : v?.saved ? 'Документ сохранён' : 'Сохранение отменено');
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="print-title" onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h2 id="print-title" className="modal-title">Печать документов класса</h2>
        <p className="modal-meta">{className} класс</p>
        <form onSubmit={(e) => void run('preview', e)}>
          <fieldset className="print-kinds">
            <legend>Документ</legend>
            {docs.map((d, i) => (
              <label key={d.method} className="print-check" title={d.hint}>
                <input ref={i === 0 ? first : undefined} type="radio" name="print-doc" value={d.method} checked={method === d.method} onChange={() => setMethod(d.method)} />
                <span>{d.label} <span className="muted">— {d.hint}</span></span>
              </label>
            ))}
          </fieldset>
          {method === 'report.weekly' && (
            <>
              <label className="field">
                <span className="field-label">Неделя (любой её день)</span>
                <input type="date" value={week} onChange={(e) => setWeek(e.target.value)} />
              </label>
              <label className="print-check">
                <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
                <span>Для всех учеников, а не только для семей с бумажным дневником</span>
              </label>
            </>
          )}
          {failure && <NoticeLine level="refuse" message={failure.message} clause={failure.clause} requirement={failure.requirement} />}
          {done && <p className="modal-done" role="status">{done}</p>}
          <div className="modal-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null} aria-busy={busy === 'preview'}>{busy === 'preview' ? 'Формируется…' : 'Просмотр и печать'}</button>
            <button type="button" className="btn" disabled={busy !== null} aria-busy={busy === 'save'} onClick={() => void run('save')}>{busy === 'save' ? 'Формируется…' : 'Сохранить PDF…'}</button>
            <button type="button" className="btn" onClick={onClose}>Закрыть</button>
          </div>
        </form>
      </div>
    </div>
  );
}
