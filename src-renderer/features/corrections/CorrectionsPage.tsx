/**
 * R-CORRECTION (п. 7.14, 9.2): correction requests. The deputy director's inbox — approve or
 * decline, with a note; a teacher's own requests and what became of them. For a final mark in
 * grades 9 and 11 the approval needs the director's order (R-FINAL-LOCK): its number and the
 * written explanations are asked for.
 */
import { useState } from 'react';
import type { Out } from '../../../src-shared/contract/methods';
import { useQuery, useTransport, type Failure } from '../../app/data';
import { instantRu } from '../../app/format';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading, NoticeLine } from '../../components/States';

const STATUS: Record<string, string> = { pending: 'ждёт решения', approved: 'согласован', declined: 'отклонён' };

export function CorrectionsPage() {
  const { session, role } = useSession();
  const q = useQuery('correction.inbox', {});
  const decider = role === 'deputy' || role === 'director';
  const [filter, setFilter] = useState<'pending' | 'all'>(decider ? 'pending' : 'all');
  if (q.status === 'error' && !q.value) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.value) return <Loading what="Загружаем запросы" />;
  const items = q.value.filter((c) => filter === 'all' || c.status === 'pending');
  return (
    <div className="corr">
      <div className="toolbar" role="toolbar" aria-label="Запросы на исправление">
        <span className="tb-title">{decider ? 'Запросы учителей на исправление отметок' : 'Мои запросы на исправление'}</span>
        <div className="seg" role="group" aria-label="Показать">
          <button type="button" className={`seg-btn${filter === 'pending' ? ' is-on' : ''}`} aria-pressed={filter === 'pending'} onClick={() => setFilter('pending')}>Ждут решения ({q.value.filter((c) => c.status === 'pending').length})</button>
          <button type="button" className={`seg-btn${filter === 'all' ? ' is-on' : ''}`} aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>Все ({q.value.length})</button>
        </div>
        <button type="button" className="btn" onClick={q.reload}>Обновить</button>
      </div>
      {items.length === 0 ? <Empty title={filter === 'pending' ? 'Нет запросов, ожидающих решения' : 'Запросов нет'}>{decider ? 'Запросы появляются, когда учитель исправляет отметку вне срока или отметку за период.' : 'Запрос отправляется из журнала, когда исправление требует согласования заместителя директора (п. 7.14).'}</Empty> : (
        <ul className="corr-list">
          {items.map((c) => <Item key={c.id} c={c} decider={decider} timeZone={session.school.timeZone} onDone={q.reload} />)}
        </ul>
      )}
    </div>
  );
}

type ItemT = Out<'correction.inbox'>[number];

function Item({ c, decider, timeZone, onDone }: { c: ItemT; decider: boolean; timeZone: string; onDone: () => void }) {
  const t = useTransport();
  const [note, setNote] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const needsOrder = failure?.requirement === 'R-FINAL-LOCK';
  async function decide(approved: boolean) {
    setBusy(true);
    setFailure(null);
    const r = await t.call('correction.decide', { id: c.id, approved, ...(note.trim() ? { note: note.trim() } : {}), ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}) });
    setBusy(false);
    if (r.ok) onDone();
    else setFailure(r.error);
  }
  return (
    <li className={`corr-item is-${c.status}`}>
      <div className="corr-main">
        <p className="corr-where">{c.where}</p>
        <p className="corr-change"><span className="corr-old">{c.oldValue ?? 'пусто'}</span> <span aria-hidden="true">→</span><span className="visually-hidden">на</span> <b className="corr-new">{c.newValue ?? 'удалить'}</b></p>
        <p className="corr-reason">Причина: {c.reason}</p>
        <p className="corr-meta">{c.requestedByName ?? c.requestedBy}, {instantRu(c.requestedAt, timeZone)} · <span className={`corr-status is-${c.status}`}>{STATUS[c.status]}</span>
          {c.decidedAt && <> · решение {instantRu(c.decidedAt, timeZone)}{c.decisionNote ? `: ${c.decisionNote}` : ''}</>}</p>
      </div>
      {decider && c.status === 'pending' && (
        <div className="corr-decide">
          <label className="field"><span className="field-label">Комментарий</span><input value={note} onChange={(e) => setNote(e.target.value)} /></label>
          {needsOrder && <label className="field"><span className="field-label">Распоряжение директора №</span><input value={orderRef} onChange={(e) => setOrderRef(e.target.value)} /></label>}
          <div className="corr-buttons">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void decide(true)}>Согласовать</button>
            <button type="button" className="btn" disabled={busy} onClick={() => void decide(false)}>Отклонить</button>
          </div>
          {failure && <NoticeLine level="refuse" message={failure.message} clause={failure.clause} requirement={failure.requirement} />}
        </div>
      )}
    </li>
  );
}
