/**
 * R-CORRECTION (п. 7.14, 9.2): a mark outside its window, or a period mark, is changed only
 * through a request the deputy director approves first. The request keeps both values and the
 * reason.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { useTransport, type Failure } from '../../app/data';
import { dmy, listName } from '../../app/format';
import { NoticeLine } from '../../components/States';
import type { CorrectionDraft } from './Grid';

export function CorrectionDialog({ draft, view, periodId, onClose }: { draft: CorrectionDraft; view: GradebookView; periodId: string | null; onClose: () => void }) {
  const t = useTransport();
  const [value, setValue] = useState(draft.value ?? '');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  const student = view.students.find((s) => s.id === draft.target.studentId);
  const where = draft.target.kind === 'period'
    ? `отметка за период`
    : `${dmy(draft.target.col.lesson.date)}, урок ${draft.target.col.lesson.number}${draft.target.col.column !== 'main' ? `, колонка «${draft.target.col.column === 'reading' ? 'Выр.чт.' : 'Грамотность'}»` : ''}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) { setFailure({ code: 'bad_input', message: 'Укажите причину исправления' }); return; }
    const target = draft.target.kind === 'period'
      ? { kind: 'periodMark' as const, yearId: view.course.yearId, subjectId: view.course.subjectId, term: periodId ?? '', studentId: draft.target.studentId }
      : { kind: 'mark' as const, lessonId: draft.target.col.lesson.id, studentId: draft.target.studentId, column: draft.target.col.column };
    setBusy(true);
    const r = await t.call('correction.request', { target, value: value.trim() === '' ? null : value.trim(), reason: reason.trim() });
    setBusy(false);
    if (r.ok) { setDone(true); setFailure(null); } else setFailure(r.error);
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="corr-title" onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h2 id="corr-title" className="modal-title">Запрос на исправление</h2>
        <p className="modal-meta">{student ? listName(student) : ''} · {view.course.subjectName} · {where}</p>
        <NoticeLine level="refuse" message={draft.problem.message} clause={draft.problem.clause} requirement={draft.problem.requirement} />
        {done ? (
          <>
            <p className="modal-done" role="status">Запрос отправлен заместителю директора. Отметка изменится, когда он будет согласован; состояние запроса — в разделе «Запросы на исправление».</p>
            <div className="modal-actions"><button type="button" className="btn btn-primary" onClick={onClose}>Готово</button></div>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <label className="field">
              <span className="field-label">Новое значение</span>
              <input ref={first} value={value} onChange={(e) => setValue(e.target.value)} maxLength={8} placeholder="пусто — удалить отметку" />
            </label>
            <label className="field">
              <span className="field-label">Причина исправления</span>
              <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required />
            </label>
            {failure && <NoticeLine level="refuse" message={failure.message} clause={failure.clause} requirement={failure.requirement} />}
            <div className="modal-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Отправка…' : 'Отправить запрос'}</button>
              <button type="button" className="btn" onClick={onClose}>Отмена</button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
