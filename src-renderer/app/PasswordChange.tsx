/**
 * The owner's own password (R-ACCOUNTS, п. 10.1–10.2): the current one, the new one twice. After
 * a one-time password the shell shows only this page; anyone can change theirs from the top bar.
 * The server ends the sessions opened with the old password, so the page signs in again with the
 * new one by itself — the person stays where they were.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SessionView } from '../../src-shared/contract/methods';
import { useTransport, type Failure } from './data';
import { NoticeLine } from '../components/States';
import { ModalDialog } from '../features/admin/admin-shared/ModalDialog';
import { PASSWORD_RULE, passwordWeakness } from '../../src-shared/domain/password';

function PasswordForm({ login, forced, onDone, onCancel }: { login: string; forced: boolean; onDone: () => void; onCancel: () => void }) {
  const t = useTransport();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!current) { setFailure({ code: 'bad_input', message: forced ? 'Введите разовый пароль, с которым вы вошли' : 'Введите текущий пароль' }); return; }
    if (!next) { setFailure({ code: 'bad_input', message: 'Введите новый пароль' }); return; }
    // The same rule the journal checks (src-shared/domain/password.ts), said before anything is sent.
    const weak = passwordWeakness(login, next);
    if (weak) { setFailure({ code: 'bad_input', message: `Новый пароль не подходит: ${weak}. Нужен пароль ${PASSWORD_RULE}` }); return; }
    if (next !== again) { setFailure({ code: 'bad_input', message: 'Новый пароль и его повтор не совпадают' }); return; }
    setBusy(true);
    setFailure(null);
    try {
      const r = await t.call('account.password', { current, next });
      if (!r.ok) { setFailure(r.error); return; }
      // The old sessions are closed by the server: sign in again with the new password.
      const relogin = await t.login(login, next);
      if (!relogin.ok) { setFailure({ code: 'internal', message: `Пароль изменён, но войти с ним не удалось: ${relogin.error.message}. Войдите заново с новым паролем` }); return; }
      onDone();
    } catch {
      setFailure({ code: 'internal', message: 'Программа не ответила: пароль не изменён' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <input type="text" name="username" autoComplete="username" value={login} readOnly hidden />
      <label className="field">
        <span className="field-label">{forced ? 'Разовый пароль' : 'Текущий пароль'}</span>
        <input ref={first} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-next`}>Новый пароль</label>
        <input id={`${id}-next`} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-describedby={`${id}-rule`} />
        <span id={`${id}-rule`} className="field-hint">Пароль {PASSWORD_RULE}.</span>
      </div>
      <label className="field">
        <span className="field-label">Новый пароль ещё раз</span>
        <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
      </label>
      {failure && <div role="alert"><NoticeLine level={failure.code === 'bad_input' ? 'input' : 'refuse'} message={failure.message} clause={failure.clause} requirement={failure.requirement} /></div>}
      <div className="modal-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{busy ? 'Сохраняется…' : 'Сменить пароль'}</button>
        <button type="button" className="btn" onClick={onCancel}>{forced ? 'Выйти' : 'Отмена'}</button>
      </div>
    </form>
  );
}

/** After signing in with a one-time password: nothing else until the person chooses their own (п. 10.1). */
export function OneTimePasswordPage({ session, onDone, onLogout }: { session: SessionView; onDone: () => void; onLogout: () => void }) {
  return (
    <main className="login-page">
      <div className="login-card pw-card">
        <h1 className="login-title">Смена разового пароля</h1>
        <p className="login-sub">{session.person.shortName} · логин <b>{session.account.login}</b></p>
        <p className="login-message">Вы вошли с разовым паролем. Чтобы продолжить работу, придумайте свой пароль (п. 10.1). Никому его не сообщайте.</p>
        <PasswordForm login={session.account.login} forced onDone={onDone} onCancel={onLogout} />
      </div>
    </main>
  );
}

/** «Сменить пароль» from the top bar. */
export function PasswordDialog({ login, onClose }: { login: string; onClose: () => void }) {
  const [done, setDone] = useState(false);
  return (
    <ModalDialog title="Смена пароля" meta={<>Логин <b>{login}</b></>} onClose={onClose}>
      {done ? (
        <>
          <p className="modal-done" role="status">Пароль изменён. На других устройствах войдите заново с новым паролем.</p>
          <div className="modal-actions"><button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>Готово</button></div>
        </>
      ) : <PasswordForm login={login} forced={false} onDone={() => setDone(true)} onCancel={onClose} />}
    </ModalDialog>
  );
}
