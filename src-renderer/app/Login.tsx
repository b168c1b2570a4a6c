import { useState, type FormEvent } from 'react';
import { useTransport } from './data';

/** `onEnrol`: the desktop is not enrolled at a school yet (the enrolment form was skipped). */
export function Login({ message, onDone, onEnrol }: { message: string | null; onDone: () => void; onEnrol?: () => void }) {
  const t = useTransport();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!login.trim() || !password) {
      setError('Введите логин и пароль');
      return;
    }
    setBusy(true);
    setError(null);
    const r = await t.login(login.trim(), password);
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error.message);
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? 'login-error' : undefined}>
        <h1 className="login-title">Электронный журнал</h1>
        <p className="login-sub">и электронный дневник</p>
        {message && <p className="login-message" role="status">{message}</p>}
        <label className="field">
          <span className="field-label">Логин</span>
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} autoFocus spellCheck={false} autoCapitalize="off" />
        </label>
        <label className="field">
          <span className="field-label">Пароль</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p id="login-error" className="login-error" role="alert"><span aria-hidden="true">! </span>{error}</p>}
        <button type="submit" className="btn btn-primary btn-wide" disabled={busy}>{busy ? 'Вход…' : 'Войти'}</button>
        <p className="login-help">Логин и пароль выдаёт ответственный за электронный журнал в школе.</p>
        {onEnrol && <p className="login-help">Компьютер не подключён к серверу школы: изменения не отправляются. <button type="button" className="btn-link" onClick={onEnrol}>Подключить компьютер к школе</button></p>}
      </form>
    </main>
  );
}
