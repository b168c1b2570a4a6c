/**
 * «Учётные записи» (R-ACCOUNTS, R-BREACH; п. 9.1, 9.6, 10): every account with its person, roles
 * and standing. The technical administrator adds staff, creates accounts with one-time passwords,
 * edits roles and logins, blocks and issues new one-time passwords; the director reads the list,
 * records breaches and prints their acts.
 */
import { useMemo, useState } from 'react';
import type { AccountList } from '../../../src-shared/contract/admin';
import { ROLE_LABELS, type PersonKind, type Role } from '../../../src-shared/domain/school';
import { useQuery } from '../../app/data';
import { instantRu } from '../../app/format';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';
import { RowTable, type RowColumn } from './admin-shared/RowTable';
import { BlockDialog, CreateAccountDialog, EditAccountDialog, PasswordShownOnce, ResetDialog, StaffDialog, type Account, type IssuedPassword } from './AccountDialogs';
import { BreachActDialog, BreachDialog } from './BreachDialogs';
import { AccountHistoryDialog } from './AccountHistoryDialog';

type Breach = AccountList['breaches'][number];
type Dialog =
  | { type: 'staff' }
  | { type: 'create'; preset?: { id: string; name: string } }
  | { type: 'edit' | 'block' | 'reset' | 'breach' | 'history'; account: Account }
  | { type: 'password'; issued: IssuedPassword }
  | { type: 'act'; breach: Breach; name: string };

const PASSWORD_LABELS: Record<Account['password'], string> = { none: 'нет', one_time: 'разовый', own: 'свой' };
const KINDS: { value: PersonKind | 'all'; label: string }[] = [
  { value: 'staff', label: 'Работники' }, { value: 'parent', label: 'Родители' }, { value: 'student', label: 'Обучающиеся' }, { value: 'all', label: 'Все' },
];

/** The roles in the order people think of them (the everyday work first), whatever order they were given in. */
const ROLE_ORDER: readonly Role[] = ['teacher', 'class_teacher', 'deputy', 'director', 'methodist', 'admin', 'parent', 'student'];
const rolesText = (a: Account) => [...a.roles].sort((x, y) => ROLE_ORDER.indexOf(x) - ROLE_ORDER.indexOf(y)).map((r) => ROLE_LABELS[r]).join(', ');

export function AccountsPage(_props: { params: string[] }) {
  const { session, role } = useSession();
  const admin = role === 'admin';
  const director = role === 'director';
  const list = useQuery('accounts.list', {});
  const setup = useQuery('setup.get', admin ? {} : null);
  const [kind, setKind] = useState<PersonKind | 'all'>('staff');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const tz = session.school.timeZone;
  const close = () => setDialog(null);
  const changed = () => { list.reload(); if (admin) setup.reload(); };

  const accounts = useMemo(() => (list.value?.accounts ?? []).filter((a) => kind === 'all' || a.personKind === kind), [list.value, kind]);
  const byId = useMemo(() => new Map((list.value?.accounts ?? []).map((a) => [a.id, a])), [list.value]);
  const columns = useMemo<RowColumn<Account>[]>(() => [
    { id: 'name', header: 'ФИО', value: (a) => a.name, className: 'adm-name' },
    { id: 'detail', header: 'Описание', value: (a) => a.detail, className: 'adm-detail' },
    { id: 'login', header: 'Логин', value: (a) => a.login, cell: (a) => <code>{a.login}</code> },
    { id: 'roles', header: 'Роли', value: (a) => rolesText(a), className: 'adm-roles-cell' },
    { id: 'password', header: 'Пароль', value: (a) => PASSWORD_LABELS[a.password], cell: (a) => <span className={`adm-pw is-${a.password}`}>{PASSWORD_LABELS[a.password]}</span> },
    {
      id: 'blocked', header: 'Заблокирована', value: (a) => (a.blocked ? `да ${a.blockReason ?? ''}`.trim() : null),
      cell: (a) => (a.blocked ? <span className="adm-flag is-bad" title={a.blockReason ?? undefined}>да{a.blockReason ? `: ${a.blockReason}` : ''}</span> : <span className="muted">—</span>),
    },
    { id: 'breach', header: 'Нарушение', value: (a) => (a.breach ? 'нарушение' : null), cell: (a) => (a.breach ? <span className="adm-flag is-bad">! зафиксировано</span> : <span className="muted">—</span>) },
  ], []);

  if (!admin && !director) return <Empty title="Учётные записи ведёт ответственный за техподдержку" />;
  if (list.status === 'error') return <ErrorState error={list.error} retry={list.reload} />;
  if (!list.value) return <Loading what="Загружаем учётные записи" />;
  const breaches = list.value.breaches;

  const actions = (a: Account) => (
    <>
      {admin && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'edit', account: a })}>Изменить</button>}
      {admin && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'block', account: a })}>{a.blocked ? 'Разблокировать' : 'Заблокировать'}</button>}
      {admin && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'reset', account: a })}>Новый разовый пароль</button>}
      <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'history', account: a })}>История входов</button>
      {director && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'breach', account: a })}>Зафиксировать нарушение</button>}
    </>
  );

  return (
    <div className="adm adm-accounts">
      <div className="toolbar" role="toolbar" aria-label="Учётные записи">
        <span className="tb-title">Учётные записи</span>
        <label className="tb-field"><span>Кто</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as PersonKind | 'all')}>
            {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        {admin && <button type="button" className="btn" onClick={() => setDialog({ type: 'staff' })}>Новый работник</button>}
        {admin && <button type="button" className="btn btn-primary" onClick={() => setDialog({ type: 'create' })} disabled={!setup.value}>Создать учётную запись</button>}
        {!admin && <span className="tb-readonly" role="note">Учётные записи ведёт ответственный за техподдержку; директор фиксирует нарушения (п. 10.4)</span>}
      </div>
      <div className="adm-body">
        <RowTable
          label="Учётные записи" rows={accounts} columns={columns} rowId={(a) => a.id} initialSort={[{ id: 'name', desc: false }]}
          actions={actions}
          onActivate={admin ? (a) => setDialog({ type: 'edit', account: a }) : (a) => setDialog({ type: 'breach', account: a })}
          rowClass={(a) => (a.blocked || a.breach ? 'is-off' : '')}
          filterPlaceholder="ФИО, логин, класс…"
          empty={<Empty title="Учётных записей нет">{admin ? 'Создайте учётную запись работнику или выдайте пароли семьям класса в разделе «Контингент».' : null}</Empty>}
        />
        <section className="adm-section" aria-labelledby="breaches-h">
          <h2 id="breaches-h" className="adm-h2">Зафиксированные нарушения конфиденциальности</h2>
          {breaches.length === 0 ? <p className="muted">Нарушений не зафиксировано.</p> : (
            <RowTable<Breach>
              label="Нарушения" rows={breaches} rowId={(b) => b.id} initialSort={[{ id: 'reported', desc: true }]}
              columns={[
                { id: 'account', header: 'Учётная запись', value: (b) => { const a = byId.get(b.accountId); return a ? `${a.name} (${a.login})` : b.accountId; } },
                { id: 'from', header: 'Нарушение с', value: (b) => b.from, text: (b) => instantRu(b.from, tz), cell: (b) => instantRu(b.from, tz) },
                { id: 'reported', header: 'Сообщено', value: (b) => b.reportedAt, text: (b) => instantRu(b.reportedAt, tz), cell: (b) => instantRu(b.reportedAt, tz) },
                { id: 'note', header: 'Примечание', value: (b) => b.note },
              ]}
              actions={(b) => <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'act', breach: b, name: byId.get(b.accountId)?.name ?? b.accountId })}>Акт</button>}
              onActivate={(b) => setDialog({ type: 'act', breach: b, name: byId.get(b.accountId)?.name ?? b.accountId })}
              empty={null}
            />
          )}
        </section>
      </div>
      {dialog?.type === 'staff' && <StaffDialog onClose={close} onDone={(s) => { changed(); setDialog({ type: 'create', preset: s }); }} />}
      {dialog?.type === 'create' && setup.value && <CreateAccountDialog staff={setup.value.staff} preset={dialog.preset} onClose={close} onDone={(p) => { changed(); setDialog({ type: 'password', issued: p }); }} />}
      {dialog?.type === 'edit' && <EditAccountDialog account={dialog.account} onClose={close} onDone={() => { changed(); close(); }} />}
      {dialog?.type === 'block' && <BlockDialog account={dialog.account} onClose={close} onDone={() => { changed(); close(); }} />}
      {dialog?.type === 'reset' && <ResetDialog account={dialog.account} onClose={close} onDone={(p) => { changed(); setDialog({ type: 'password', issued: p }); }} />}
      {dialog?.type === 'password' && <PasswordShownOnce issued={dialog.issued} onClose={close} />}
      {dialog?.type === 'breach' && <BreachDialog account={dialog.account} timeZone={tz} today={session.today} onClose={close} onRecorded={changed} />}
      {dialog?.type === 'history' && <AccountHistoryDialog account={dialog.account} timeZone={tz} onClose={close} />}
      {dialog?.type === 'act' && <BreachActDialog breach={dialog.breach} name={dialog.name} timeZone={tz} today={session.today} onClose={close} />}
    </div>
  );
}
