/**
 * Connection and sync state (from the transport and `status.get`): on the web — whether the
 * server answers and whether changes are saved; on the desktop — the last sync and the changes
 * not sent yet (from the shell's sync status when the bridge gives it: DesktopSync.tsx); on both,
 * the last backup of the journal (п. 7.8).
 */
import { useEffect, useMemo, useState } from 'react';
import type { StatusView } from '../../src-shared/contract/methods';
import type { Connection } from '../transport';
import { desktopBridge } from '../transport/ipc';
import { SyncIndicator } from './DesktopSync';
import { useTransport } from './data';
import { useSession } from './session';
import { instantRu, longDate, timeRu, weekdayShort, plural } from './format';

const POLL_MS = 60_000;
/** п. 7.8: a backup older than this is a warning in the status bar. */
const BACKUP_STALE_MS = 2 * 86_400_000;

/**
 * «Резервная копия: …» — the last checked backup (`status.get`'s lastBackupAt), a warning when it
 * is older than two days or when a school computer has none yet. The web shows the server's only
 * when it knows one (a PostgreSQL store is backed up by pg_dump, outside the program).
 */
export function backupNote(s: Pick<StatusView, 'now' | 'lastBackupAt'>, kind: 'web' | 'desktop', timeZone?: string): { text: string; old: boolean } | null {
  if (s.lastBackupAt === null) return kind === 'desktop' ? { text: 'Резервной копии журнала ещё нет', old: true } : null;
  const old = Date.parse(s.now) - Date.parse(s.lastBackupAt) > BACKUP_STALE_MS;
  return { text: `Резервная копия: ${instantRu(s.lastBackupAt, timeZone)}${old ? ' — больше двух дней назад' : ''}`, old };
}

export function StatusBar() {
  const t = useTransport();
  const { session } = useSession();
  const tz = session.school.timeZone;
  const [conn, setConn] = useState<Connection>(() => t.connection());
  const [status, setStatus] = useState<StatusView | null>(null);
  useEffect(() => t.onConnection(setConn), [t]);
  useEffect(() => {
    let live = true;
    const poll = () => void t.call('status.get', {}).then((r) => { if (live && r.ok) setStatus(r.value); });
    poll();
    const id = window.setInterval(poll, POLL_MS);
    return () => { live = false; window.clearInterval(id); };
  }, [t]);
  // The Electron shell's bridge with its sync status; a browser (or an older shell) has none.
  const bridge = useMemo(() => (t.kind === 'desktop' ? desktopBridge() : null), [t]);
  const today = status?.today ?? session.today;
  const online = conn.online;
  // The backups are the school's concern (п. 7.8): staff see them, a family's diary does not.
  const staff = session.roles.some((r) => r !== 'parent' && r !== 'student');
  const backup = status && staff ? backupNote(status, t.kind === 'web' ? 'web' : 'desktop', tz) : null;
  return (
    <footer className="statusbar" aria-label="Состояние">
      <span className={`sb-item sb-conn ${online ? 'is-ok' : 'is-bad'}`} role="status">
        <span className="sb-dot" aria-hidden="true">{online ? '●' : '○'} </span>
        {t.kind === 'web' ? (online ? 'Сервер на связи' : 'Нет связи с сервером') : (online ? 'Журнал на этом компьютере' : 'Программа не отвечает')}
      </span>
      {bridge && <SyncIndicator bridge={bridge} conn={conn} timeZone={tz} />}
      {t.kind === 'desktop' && !bridge && status && (
        <span className="sb-item">
          {status.lastSyncAt ? `Синхронизация: ${instantRu(status.lastSyncAt, tz)}` : 'Синхронизации с сервером ещё не было'}
          {' · '}
          {status.pending === 0 ? 'всё отправлено' : `не отправлено: ${status.pending} ${plural(status.pending, 'изменение', 'изменения', 'изменений')}`}
          {status.lastSyncError ? ` · ошибка: ${status.lastSyncError}` : ''}
        </span>
      )}
      {backup && (
        <span className={`sb-item sb-backup${backup.old ? ' is-old' : ''}`} style={backup.old ? { color: 'var(--warn)', fontWeight: 600 } : undefined} title="Резервные копии журнала (п. 7.8)">
          {backup.old ? '⚠ ' : ''}{backup.text}
        </span>
      )}
      <span className="sb-item sb-save" aria-live="polite">
        {conn.saving > 0 ? 'Сохранение…' : conn.lastSavedAt ? `Изменения сохранены в ${timeRu(conn.lastSavedAt, tz)}` : ''}
      </span>
      <span className="sb-item sb-right">{session.school.name} · сегодня {weekdayShort(today)}, {longDate(today)}</span>
    </footer>
  );
}
