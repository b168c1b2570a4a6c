/**
 * «Закрытие года» (R-YEAR-CLOSE, п. 12.1, 7.14): the deputy checks and the director closes the
 * school year. The checklist by class → subject, with counts and the pupils who miss a mark; the
 * button is enabled only when nothing is missing, and asks for confirmation citing п. 12.1. A
 * closed year is read-only everywhere; only the director opens it again, with a reason.
 */
import { useState, type FormEvent } from 'react';
import type { YearChecklistView } from '../../../src-shared/contract/year';
import { useQuery, useTransport, type Failure } from '../../app/data';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading, NoticeLine } from '../../components/States';
import { FailureNotice, ModalDialog } from '../admin/admin-shared/ModalDialog';

const GAP: Record<YearChecklistView['classes'][number]['subjects'][number]['missing'][number]['gaps'][number]['kind'], string> = {
  no_mark: 'нет отметки',
  na_without_decision: '«н/а» без решения заместителя директора',
  na_against_decision: '«н/а», хотя решено аттестовать',
};

export function YearClosePage() {
  const { session, role } = useSession();
  const yearId = session.year?.id ?? null;
  const q = useQuery('year.checklist', yearId ? { yearId } : null);
  const [dialog, setDialog] = useState<'close' | 'reopen' | null>(null);
  if (!yearId) return <Empty title="Учебный год не настроен">Закрывать нечего: в журнале нет текущего учебного года.</Empty>;
  if (q.status === 'error' && !q.value) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.value) return <Loading what="Проверяем готовность учебного года" />;
  const c = q.value;
  const director = role === 'director';
  const missing = c.required - c.done;
  return (
    <div className="year-close">
      <div className="toolbar" role="toolbar" aria-label="Закрытие учебного года">
        <span className="tb-title">Закрытие учебного года {c.yearName}</span>
        {!director && <span className="tb-readonly" role="note">Только просмотр</span>}
        <button type="button" className="btn" onClick={q.reload}>Обновить</button>
        {director && !c.closed && (
          <button type="button" className="btn btn-primary" disabled={!c.complete} onClick={() => setDialog('close')}
            title={c.complete ? undefined : 'Закрыть год можно, когда выставлены все отметки за периоды и год (п. 12.1)'}>Закрыть учебный год</button>
        )}
        {director && c.closed && <button type="button" className="btn" onClick={() => setDialog('reopen')}>Открыть год вновь</button>}
      </div>
      <section className="year-state" aria-label="Состояние года">
        {c.closed
          ? <NoticeLine level="info" message={`Учебный год ${c.yearName} закрыт: журнал года хранится в архиве только для чтения`} clause="п. 12.1" requirement="R-ARCHIVE" />
          : c.complete
            ? <NoticeLine level="info" message={`Все отметки за периоды и год выставлены (${c.done} из ${c.required}): год можно закрыть`} clause="п. 12.1" requirement="R-YEAR-CLOSE" />
            : <NoticeLine level="warn" message={`Не выставлено ${missing} из ${c.required} отметок за периоды и год: закрыть год пока нельзя`} clause="п. 12.1, 7.14" requirement="R-YEAR-CLOSE" />}
      </section>
      {c.classes.length === 0 ? <Empty title="В учебном году нет классов" /> : (
        <div className="year-classes">
          {c.classes.map((cls) => {
            const gaps = cls.subjects.reduce((n, s) => n + s.missing.length, 0);
            return (
              <details key={cls.classId} className="year-class" open={gaps > 0 && c.classes.length <= 3}>
                <summary>
                  <b>{cls.className}</b> · обучающихся: {cls.pupils} · {cls.unmarked ? 'отметки в 1 классе не выставляются' : gaps === 0 ? 'всё выставлено' : `не хватает отметок: ${gaps} (ученик × предмет)`}
                </summary>
                {cls.subjects.length > 0 && (
                  <table className="year-table">
                    <caption className="visually-hidden">{cls.className}: предметы</caption>
                    <thead><tr><th scope="col">Предмет</th><th scope="col">Готово</th><th scope="col">Не хватает</th></tr></thead>
                    <tbody>
                      {cls.subjects.map((s) => (
                        <tr key={s.subjectId} className={s.missing.length > 0 ? 'is-missing' : undefined}>
                          <th scope="row">{s.subjectName}</th>
                          <td>{s.done} из {s.pupils}</td>
                          <td>
                            {s.missing.length === 0 ? '—' : (
                              <ul className="year-missing">
                                {s.missing.map((p) => (
                                  <li key={p.studentId}>{p.name}: {p.gaps.map((g) => `${g.label} — ${GAP[g.kind]}`).join('; ')}</li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </details>
            );
          })}
        </div>
      )}
      {dialog === 'close' && <CloseDialog c={c} onClose={() => setDialog(null)} onDone={() => { setDialog(null); q.reload(); }} />}
      {dialog === 'reopen' && <ReopenDialog c={c} onClose={() => setDialog(null)} onDone={() => { setDialog(null); q.reload(); }} />}
    </div>
  );
}

function CloseDialog({ c, onClose, onDone }: { c: YearChecklistView; onClose: () => void; onDone: () => void }) {
  const t = useTransport();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await t.call('year.close', { yearId: c.yearId, confirm: true });
    setBusy(false);
    if (r.ok) onDone();
    else setFailure(r.error);
  }
  return (
    <ModalDialog title={`Закрыть учебный год ${c.yearName}?`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>По п. 12.1 Положения журнал закрытого года хранится в электронном виде 5 лет. После закрытия в журнале этого года нельзя ничего изменить:
          ни отметки, ни пропуски, ни темы, ни итоговые отметки, ни классы и учебный план года. Открыть год вновь может только директор.</p>
        <p className="adm-note">Перед закрытием распечатайте сводную ведомость и страницы журнала (п. 12.2).</p>
        <FailureNotice failure={failure} />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-autofocus>Закрыть учебный год</button>
        </div>
      </form>
    </ModalDialog>
  );
}

function ReopenDialog({ c, onClose, onDone }: { c: YearChecklistView; onClose: () => void; onDone: () => void }) {
  const t = useTransport();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await t.call('year.reopen', { yearId: c.yearId, reason: reason.trim() });
    setBusy(false);
    if (r.ok) onDone();
    else setFailure(r.error);
  }
  return (
    <ModalDialog title={`Открыть учебный год ${c.yearName} вновь`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field"><span className="field-label">Причина (п. 12.1)</span>
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="например, исправление итоговой отметки по решению педсовета" />
        </label>
        <FailureNotice failure={failure} />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
          <button type="submit" className="btn btn-primary" disabled={busy || reason.trim() === ''}>Открыть год</button>
        </div>
      </form>
    </ModalDialog>
  );
}

/**
 * R-ARCHIVE (п. 12.1): the banner of a journal page whose course belongs to a closed year. The
 * server refuses every change anyway; the banner says why before anyone tries.
 */
export function useClosedYear(courseId: string | undefined): { name: string } | null {
  const q = useQuery('year.status', courseId ? { courseId } : null);
  const y = q.value?.year;
  return y && y.closed ? { name: y.name } : null;
}

export function ClosedYearBanner({ year }: { year: { name: string } | null }) {
  if (!year) return null;
  return (
    <div className="year-banner" role="status">
      <NoticeLine level="info" message={`Учебный год ${year.name} закрыт: журнал только для чтения, изменения не принимаются`} clause="п. 12.1" requirement="R-ARCHIVE" />
    </div>
  );
}
