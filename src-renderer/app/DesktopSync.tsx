/**
 * The desktop's sync in the status bar (only when the Electron bridge is there): when the last
 * sync was, how many changes are not sent, the last error, a wrong computer clock, the button
 * «Синхронизировать сейчас», and the teacher's own changes the server refused (with the clause).
 * The main process runs the sync; this only shows its status (`syncStatus` + `on` events).
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Connection } from '../transport';
import type { DesktopBridge, DesktopSyncStatus, OverwrittenChange, RejectedChange } from '../transport/ipc';
import { instantRu } from './format';
import { changeKindRu, lastSyncText, pendingText, pendingTitle, SKEW_ADVICE, skewNote } from './sync-status';

const POLL_MS = 30_000;

function isStatus(v: unknown): v is DesktopSyncStatus {
  return typeof v === 'object' && v !== null && typeof (v as DesktopSyncStatus).enrolled === 'boolean' && typeof (v as DesktopSyncStatus).pending === 'number';
}

/** The sync status from the main process: asked at once, on every own change saved, every 30 s, and pushed by events. */
export function useDesktopSync(bridge: DesktopBridge | null, savedAt?: string | null): { status: DesktopSyncStatus | null; error: string | null; now: number; refresh: () => void } {
  const [status, setStatus] = useState<DesktopSyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const live = useRef(true);
  const refresh = useCallback(() => {
    if (!bridge) return;
    void bridge.call('desktop.syncStatus', {}).then((r) => {
      if (!live.current) return;
      if (r.ok && isStatus(r.value)) { setStatus(r.value); setError(null); } else if (!r.ok) setError(r.error.message);
    }, () => { if (live.current) setError('Программа не ответила о синхронизации'); });
  }, [bridge]);
  useEffect(() => {
    live.current = true;
    if (!bridge) return undefined;
    refresh();
    const off = bridge.on((e) => {
      const ev = e as { type?: unknown; status?: unknown };
      if (ev?.type === 'sync' && isStatus(ev.status)) { setStatus(ev.status); setNow(Date.now()); }
    });
    const id = window.setInterval(() => { setNow(Date.now()); refresh(); }, POLL_MS);
    return () => { live.current = false; off(); window.clearInterval(id); };
  }, [bridge, refresh]);
  // A change saved here adds to «не отправлено».
  useEffect(() => { if (savedAt) refresh(); }, [savedAt, refresh]);
  return { status, error, now, refresh };
}

export function SyncIndicator({ bridge, conn, timeZone }: { bridge: DesktopBridge; conn: Connection; timeZone: string }) {
  const { status, error, now } = useDesktopSync(bridge, conn.lastSavedAt);
  const [open, setOpen] = useState(false);
  const [openOver, setOpenOver] = useState(false);
  const [asked, setAsked] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const overButton = useRef<HTMLButtonElement>(null);
  if (!status) return error ? <span className="sb-item is-bad">{error}</span> : null;
  const skew = skewNote(status.skewMs);
  const syncNow = () => {
    setAsked(true);
    void bridge.call('desktop.syncNow', {}).finally(() => setAsked(false));
  };
  return (
    <>
      <span className={`sb-item sb-sync${status.lastError ? ' is-bad' : ''}`} role="status" aria-live="polite" aria-label="Синхронизация с сервером школы">
        <span className="sb-sync-last" title={status.lastAt ? `Последняя успешная синхронизация: ${instantRu(status.lastAt, timeZone)}${status.server ? ` (${status.server})` : ''}` : undefined}>
          {lastSyncText(status, now, timeZone)}
        </span>
        {status.enrolled && <span className={`sb-sync-pending${status.pending ? ' has-pending' : ''}`} title={status.pending ? pendingTitle(status.pending) : undefined}>{pendingText(status.pending)}</span>}
        {status.lastError && <span className="sb-sync-error" title={status.lastError}>Ошибка: {status.lastError}</span>}
        {skew && <span className="sb-sync-skew" title={SKEW_ADVICE}>{skew}</span>}
      </span>
      {status.enrolled && (
        <button type="button" className="btn btn-quiet btn-sb" onClick={syncNow} disabled={status.running || asked} aria-busy={status.running || asked}>
          Синхронизировать сейчас
        </button>
      )}
      {status.rejected.length > 0 && (
        <button ref={button} type="button" className="btn btn-quiet btn-sb sb-rejected" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)}>
          Не принято сервером: {status.rejected.length}
        </button>
      )}
      {open && <RejectedDialog items={status.rejected} timeZone={timeZone} onClose={() => { setOpen(false); button.current?.focus(); }}
        onRead={() => { void bridge.call('desktop.dismiss', { seqs: status.rejected.map((r) => r.seq) }); setOpen(false); }} />}
      {(status.overwritten?.length ?? 0) > 0 && (
        <button ref={overButton} type="button" className="btn btn-quiet btn-sb sb-rejected" aria-haspopup="dialog" aria-expanded={openOver} onClick={() => setOpenOver(true)}>
          Заменены отметки: {status.overwritten!.length}
        </button>
      )}
      {openOver && <OverwrittenDialog items={status.overwritten ?? []} timeZone={timeZone} onClose={() => { setOpenOver(false); overButton.current?.focus(); }}
        onRead={() => { void bridge.call('desktop.dismiss', { seqs: (status.overwritten ?? []).map((r) => r.seq) }); setOpenOver(false); }} />}
    </>
  );
}

/** A modal list of sync notices: Escape or «Закрыть» closes it, «Прочитано» (when given) clears them. */
function NoticeDialog({ id, title, lead, onClose, onRead, children }: { id: string; title: string; lead: string; onClose: () => void; onRead?: (() => void) | undefined; children: ReactNode }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => { close.current?.focus(); }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="modal modal-wide" role="dialog" aria-modal="true" aria-labelledby={id} onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h2 id={id} className="modal-title">{title}</h2>
        <p className="modal-meta">{lead}</p>
        <ul className="rej-list">{children}</ul>
        <div className="modal-actions">
          {onRead && <button type="button" className="btn" onClick={onRead}>Прочитано</button>}
          <button ref={close} type="button" className="btn btn-primary" onClick={onClose}>Закрыть</button>
        </div>
      </div>
    </div>
  );
}

function OverwrittenDialog({ items, timeZone, onClose, onRead }: { items: OverwrittenChange[]; timeZone: string; onClose: () => void; onRead?: (() => void) | undefined }) {
  return (
    <NoticeDialog id="over-title" title="Отметки, заменённые без просмотра" onClose={onClose} onRead={onRead}
      lead="Эти ваши отметки сервер принял, но они заменили отметку, которую вы сами поставили на другом компьютере и которую этот компьютер ещё не показывал. В журнале осталась последняя; проверьте, та ли это.">
      {items.map((r) => (
        <li key={`${r.seq}-${r.student}-${r.column}`} className="rej-item">
          <div className="rej-head"><b>{r.student}</b><span className="muted"> · {r.lesson}{r.column !== 'main' ? ` · ${r.column}` : ''}</span></div>
          <div className="rej-text">«{r.replaced}» (поставлена {instantRu(r.replacedAt, timeZone)}) заменена вашей отметкой; здесь вы видели {r.seen === null ? 'пустую клетку' : `«${r.seen}»`}.</div>
        </li>
      ))}
    </NoticeDialog>
  );
}

function RejectedDialog({ items, timeZone, onClose, onRead }: { items: RejectedChange[]; timeZone: string; onClose: () => void; onRead?: (() => void) | undefined }) {
  return (
    <NoticeDialog id="rej-title" title="Изменения, не принятые сервером" onClose={onClose} onRead={onRead}
      lead="Сервер школы проверил эти ваши изменения по Положению и отказал; на этом компьютере они отменены. Внесите их заново, если это ещё возможно, или подайте запрос на исправление.">
      {items.map((r) => (
        <li key={r.seq} className="rej-item">
          <div className="rej-head"><b>{changeKindRu(r.kind)}</b>{r.madeAt && <span className="muted"> · внесено {instantRu(r.madeAt, timeZone)}</span>}</div>
          <div className="rej-text">{r.message}</div>
          {(r.requirement || r.clause) && <div className="rej-cite">{[r.requirement, r.clause ? `${r.clause} Положения` : undefined].filter(Boolean).join(', ')}</div>}
        </li>
      ))}
    </NoticeDialog>
  );
}
