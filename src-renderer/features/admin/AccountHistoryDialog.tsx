/**
 * «История входов» of an account (R-ACCOUNTS, п. 9.6, 10.3): each password check — when, from
 * where, how it ended — and the school computers the account signed in on. A server's record: the
 * web shows it; a computer that works alone keeps none and says so.
 */
import { useEffect, useState } from 'react';
import type { SigninHistory } from '../../../src-shared/contract/admin';
import { useTransport, type Failure } from '../../app/data';
import { instantRu } from '../../app/format';
import { Loading } from '../../components/States';
import { FailureNotice, ModalDialog } from './admin-shared/ModalDialog';
import type { Account } from './AccountDialogs';

const KIND: Record<SigninHistory['logins'][number]['kind'], string> = { cookie: 'браузер', bearer: 'программа', computer: 'компьютер школы' };
const OUTCOME: Record<SigninHistory['logins'][number]['outcome'], string> = {
  ok: 'вход выполнен', wrong_password: 'неверный пароль', blocked: 'заблокирована', breach: 'вход запрещён (нарушение)',
};

export function AccountHistoryDialog({ account, timeZone, onClose }: { account: Account; timeZone: string; onClose: () => void }) {
  const t = useTransport();
  const [history, setHistory] = useState<SigninHistory | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  useEffect(() => {
    if (!t.signins) return;
    let live = true;
    void t.signins(account.id).then((r) => { if (live) { if (r.ok) setHistory(r.value); else setFailure(r.error); } });
    return () => { live = false; };
  }, [t, account.id]);

  return (
    <ModalDialog title="История входов" meta={<>{account.name} · <code>{account.login}</code></>} wide onClose={onClose}>
      {!t.signins ? <p>История входов хранится на центральном сервере школы: откройте журнал в браузере. Компьютер, работающий без сервера, её не ведёт.</p>
        : failure ? <FailureNotice failure={failure} />
          : !history ? <Loading what="Загружаем историю входов" />
            : (
              <>
                <h3 className="adm-history-title">Попытки входа (последние {history.logins.length})</h3>
                {history.logins.length === 0 ? <p className="muted">Попыток входа не было.</p> : (
                  <table className="adm-history">
                    <thead><tr><th>Когда</th><th>Откуда</th><th>Адрес</th><th>Итог</th></tr></thead>
                    <tbody>
                      {history.logins.map((l) => (
                        <tr key={`${l.at}-${l.kind}-${l.outcome}`} className={l.outcome === 'ok' ? undefined : 'is-bad'}>
                          <td>{instantRu(l.at, timeZone)}</td><td>{KIND[l.kind]}</td><td><code>{l.address}</code></td><td>{OUTCOME[l.outcome]}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <h3 className="adm-history-title">Входы на компьютерах школы</h3>
                {history.computers.length === 0 ? <p className="muted">На компьютерах школы не входил(а).</p> : (
                  <table className="adm-history">
                    <thead><tr><th>Когда</th><th>Компьютер</th><th>Как</th></tr></thead>
                    <tbody>
                      {history.computers.map((c) => (
                        <tr key={`${c.at}-${c.deviceId}`}><td>{instantRu(c.at, timeZone)}</td><td>{c.deviceName ?? c.deviceId}</td><td>{c.method === 'online' ? 'с проверкой на сервере' : 'без связи (подтверждён ключом)'}</td></tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </>
            )}
      <div className="modal-actions"><button type="button" className="btn" onClick={onClose}>Закрыть</button></div>
    </ModalDialog>
  );
}
