/**
 * Enrolment of a fresh school computer (desktop only): the school's technical administrator gives
 * the server's address, their own login and password and the computer's name; the main process
 * registers the computer on the server, keeps the device token (never shown here) and runs the
 * first sync, which brings the school's journal — then teachers log in on this computer offline.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DesktopBridge, DesktopSyncStatus } from '../transport/ipc';
import { pendingText } from './sync-status';

type Enrolled = { name: string; sync: DesktopSyncStatus | null };

export function Enrol({ bridge, onDone, onSkip }: { bridge: DesktopBridge; onDone: () => void; onSkip: () => void }) {
  const [serverUrl, setServerUrl] = useState('https://');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Enrolled | null>(null);
  const [retrying, setRetrying] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  useEffect(() => { if (done) next.current?.focus(); }, [done]);
  // After enrolment the sync status keeps coming (a retried first sync).
  useEffect(() => {
    if (!done) return undefined;
    return bridge.on((e) => {
      const ev = e as { type?: unknown; status?: DesktopSyncStatus };
      if (ev?.type === 'sync' && ev.status) {
        const status = ev.status;
        setDone((d) => (d ? { ...d, sync: status } : d));
        if (!status.running) setRetrying(false);
      }
    });
  }, [done, bridge]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing = [!serverUrl.trim() || serverUrl.trim() === 'https://' ? 'адрес сервера' : null, !login.trim() ? 'логин' : null, !password ? 'пароль' : null, !name.trim() ? 'название компьютера' : null].filter(Boolean);
    if (missing.length) { setError(`Укажите ${missing.join(', ')}`); return; }
    setBusy(true);
    setError(null);
    let r;
    try {
      r = await bridge.call('desktop.enrol', { serverUrl: serverUrl.trim(), login: login.trim(), password, name: name.trim() });
    } catch {
      r = { ok: false as const, error: { code: 'internal' as const, message: 'Программа не ответила: повторите' } };
    }
    setBusy(false);
    setPassword('');
    if (!r.ok) { setError(r.error.message); return; }
    const v = r.value as { name?: string; sync?: DesktopSyncStatus };
    setDone({ name: v.name ?? name.trim(), sync: v.sync ?? null });
  }

  if (done) {
    const s = done.sync;
    const loaded = !!s?.lastAt && !s.lastError;
    return (
      <main className="login-page">
        <section className="login-card enrol-card" aria-labelledby="enrol-title">
          <h1 id="enrol-title" className="login-title">Компьютер подключён</h1>
          <p className="modal-done" role="status">Компьютер «{done.name}» подключён к школе{s?.server ? ` (${s.server})` : ''}.</p>
          {loaded ? (
            <p className="login-message" role="status">Журнал школы загружен. {s ? pendingText(s.pending) : ''}</p>
          ) : (
            <>
              <p className="login-error" role="alert"><span aria-hidden="true">! </span>Журнал школы ещё не загружен{s?.lastError ? `: ${s.lastError}` : ''}</p>
              <button type="button" className="btn btn-wide" disabled={retrying || s?.running} aria-busy={retrying || s?.running} onClick={() => { setRetrying(true); void bridge.call('desktop.syncNow', {}); }}>
                {retrying || s?.running ? 'Загрузка…' : 'Повторить загрузку'}
              </button>
            </>
          )}
          <button ref={next} type="button" className="btn btn-primary btn-wide enrol-next" onClick={onDone}>Перейти ко входу</button>
          <p className="login-help">Учителя входят на этом компьютере со своими логинами и паролями; первый вход каждого — при связи с сервером (потом можно и без неё). Журнал синхронизируется с сервером школы каждые 5 минут.</p>
        </section>
      </main>
    );
  }

  return (
    <main className="login-page">
      <form className="login-card enrol-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="enrol-title" aria-describedby={error ? 'enrol-error' : undefined}>
        <h1 id="enrol-title" className="login-title">Подключение компьютера к школе</h1>
        <p className="login-sub">Один раз для каждого компьютера — работник школы, которому школа разрешила подключать компьютеры. Родители и обучающиеся компьютеры не подключают.</p>
        <label className="field">
          <span className="field-label">Адрес сервера школы</span>
          <input ref={first} name="server" type="url" inputMode="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} spellCheck={false} autoCapitalize="off" placeholder="https://журнал.школа.рф" />
        </label>
        <label className="field">
          <span className="field-label">Ваш логин</span>
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} spellCheck={false} autoCapitalize="off" />
        </label>
        <label className="field">
          <span className="field-label">Ваш пароль</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Название компьютера</span>
          <input name="computer" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="Кабинет 12" />
          <span className="field-hint">Так компьютер будет назван в списке компьютеров школы на сервере</span>
        </label>
        {error && <p id="enrol-error" className="login-error" role="alert"><span aria-hidden="true">! </span>{error}</p>}
        <button type="submit" className="btn btn-primary btn-wide" disabled={busy} aria-busy={busy}>{busy ? 'Подключение и загрузка журнала…' : 'Подключить'}</button>
        <p className="login-help">Пароль не сохраняется: программа хранит только ключ этого компьютера, зашифрованный средствами системы. <button type="button" className="btn-link" onClick={onSkip}>Войти без подключения</button></p>
      </form>
    </main>
  );
}
