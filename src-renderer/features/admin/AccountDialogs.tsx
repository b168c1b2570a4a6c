/**
 * The administrator's dialogs of «Учётные записи» (R-ACCOUNTS, п. 9.6, 10.1–10.3): a new staff
 * member, an account with a one-time password, roles and login, blocking, a new one-time password;
 * and the one-time password itself, shown once.
 */
import { useState, type FormEvent } from 'react';
import type { AccountList, SetupView } from '../../../src-shared/contract/admin';
import { ROLE_LABELS, type Role } from '../../../src-shared/domain/school';
import { STAFF_ROLES } from '../../../src-shared/policy/actor';
import { fullName } from '../../app/format';
import { FailureNotice, ModalDialog } from './admin-shared/ModalDialog';
import { newRecordId } from './admin-shared/record-id';
import { useChange } from './admin-shared/use-change';

export type Account = AccountList['accounts'][number];
type Staff = SetupView['staff'][number];

/** What a new one-time password belongs to, for the dialog that shows it once. */
export interface IssuedPassword { name: string; login: string; password: string; created: boolean }

/** Roles a staff member's account may hold, in the order people think of them. */
const OFFERED: readonly Role[] = ['teacher', 'class_teacher', 'deputy', 'director', 'methodist', 'admin'];

function RoleChecks({ roles, onChange }: { roles: Role[]; onChange: (r: Role[]) => void }) {
  return (
    <fieldset className="adm-roles">
      <legend>Роли (можно несколько)</legend>
      {OFFERED.filter((r) => STAFF_ROLES.includes(r)).map((r) => (
        <label key={r} className="check">
          <input type="checkbox" checked={roles.includes(r)} onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
          {ROLE_LABELS[r]}
        </label>
      ))}
    </fieldset>
  );
}

const Actions = ({ busy, submit, onClose, close = 'Отмена' }: { busy: boolean; submit: string; onClose: () => void; close?: string }) => (
  <div className="modal-actions">
    <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{busy ? 'Сохраняется…' : submit}</button>
    <button type="button" className="btn" onClick={onClose}>{close}</button>
  </div>
);

/** A staff member for the register (`staff.set`); then, usually, their account. */
export function StaffDialog({ onClose, onDone }: { onClose: () => void; onDone: (s: { id: string; name: string }) => void }) {
  const c = useChange();
  const [f, setF] = useState({ lastName: '', firstName: '', middleName: '', position: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!f.lastName.trim() || !f.firstName.trim()) { c.setFailure({ code: 'bad_input', message: 'Укажите фамилию и имя' }); return; }
    const id = newRecordId('e');
    const r = await c.run('staff.set', {
      id, lastName: f.lastName.trim(), firstName: f.firstName.trim(),
      ...(f.middleName.trim() ? { middleName: f.middleName.trim() } : {}), ...(f.position.trim() ? { position: f.position.trim() } : {}),
    });
    if (r) onDone({ id, name: fullName({ lastName: f.lastName.trim(), firstName: f.firstName.trim(), middleName: f.middleName.trim() || null }) });
  }
  return (
    <ModalDialog title="Новый работник" meta="Педагогический или иной работник школы (п. 9.6)" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="adm-grid3">
          <label className="field"><span className="field-label">Фамилия</span><input value={f.lastName} onChange={set('lastName')} required autoComplete="off" /></label>
          <label className="field"><span className="field-label">Имя</span><input value={f.firstName} onChange={set('firstName')} required autoComplete="off" /></label>
          <label className="field"><span className="field-label">Отчество</span><input value={f.middleName} onChange={set('middleName')} autoComplete="off" /></label>
        </div>
        <label className="field"><span className="field-label">Должность</span><input value={f.position} onChange={set('position')} placeholder="например, учитель математики" autoComplete="off" /></label>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Добавить работника" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** An account for a staff member who has none, with a one-time password (`account.create`). */
export function CreateAccountDialog({ staff, preset, onClose, onDone }: { staff: readonly Staff[]; preset?: { id: string; name: string } | undefined; onClose: () => void; onDone: (p: IssuedPassword) => void }) {
  const c = useChange();
  const without = staff.filter((s) => !s.accountId && !s.left);
  const options = preset && !without.some((s) => s.id === preset.id) ? [{ id: preset.id, name: preset.name }, ...without.map((s) => ({ id: s.id, name: fullName(s) }))] : without.map((s) => ({ id: s.id, name: fullName(s) }));
  const [personId, setPersonId] = useState(preset?.id ?? options[0]?.id ?? '');
  const [roles, setRoles] = useState<Role[]>(['teacher']);
  const [login, setLogin] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!personId) { c.setFailure({ code: 'bad_input', message: 'Выберите работника' }); return; }
    if (roles.length === 0) { c.setFailure({ code: 'bad_input', message: 'Отметьте хотя бы одну роль' }); return; }
    const r = await c.run('account.create', { personKind: 'staff', personId, roles, ...(login.trim() ? { login: login.trim() } : {}) });
    if (r) onDone({ name: options.find((o) => o.id === personId)?.name ?? r.login, login: r.login, password: r.password, created: true });
  }
  return (
    <ModalDialog title="Новая учётная запись" meta="Для работника без учётной записи; журнал выдаст разовый пароль (п. 10.1)" onClose={onClose}>
      {options.length === 0 ? (
        <><p>У всех работников уже есть учётные записи. Сначала добавьте работника.</p><div className="modal-actions"><button type="button" className="btn" onClick={onClose}>Закрыть</button></div></>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="field"><span className="field-label">Работник</span>
            <select value={personId} onChange={(e) => setPersonId(e.target.value)}>
              {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
          <RoleChecks roles={roles} onChange={setRoles} />
          <label className="field"><span className="field-label">Логин (необязательно)</span>
            <input value={login} onChange={(e) => setLogin(e.target.value)} spellCheck={false} autoCapitalize="off" autoComplete="off" />
            <span className="field-hint">Латинские буквы, цифры, точка, дефис. Если не указать, журнал составит логин из фамилии и инициалов.</span>
          </label>
          <FailureNotice failure={c.failure} />
          <Actions busy={c.busy} submit="Создать и выдать пароль" onClose={onClose} />
        </form>
      )}
    </ModalDialog>
  );
}

/** Login and roles of an account (`account.set`); a family's account keeps its one role. */
export function EditAccountDialog({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const [login, setLogin] = useState(account.login);
  const [roles, setRoles] = useState<Role[]>(account.roles);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (roles.length === 0) { c.setFailure({ code: 'bad_input', message: 'Отметьте хотя бы одну роль' }); return; }
    const r = await c.run('account.set', { id: account.id, login: login.trim(), personKind: account.personKind, personId: account.personId, roles });
    if (r) onDone();
  }
  return (
    <ModalDialog title="Учётная запись" meta={<>{account.name}{account.detail ? ` — ${account.detail}` : ''}</>} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field"><span className="field-label">Логин</span>
          <input value={login} onChange={(e) => setLogin(e.target.value)} spellCheck={false} autoCapitalize="off" autoComplete="off" />
        </label>
        {account.personKind === 'staff' ? <RoleChecks roles={roles} onChange={setRoles} /> : <p className="adm-note">Роль: {roles.map((r) => ROLE_LABELS[r]).join(', ')}</p>}
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Сохранить" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** Blocks an account with its reason, or lifts the block (`account.block`, п. 10.3). */
export function BlockDialog({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const [reason, setReason] = useState('');
  const unblock = account.blocked;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await c.run('account.block', unblock ? { id: account.id, blocked: false } : { id: account.id, blocked: true, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    if (r) onDone();
  }
  return (
    <ModalDialog title={unblock ? 'Разблокировать учётную запись' : 'Заблокировать учётную запись'} meta={<>{account.name} · логин <b>{account.login}</b></>} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {unblock ? (
          <p>Заблокирована{account.blockReason ? `: ${account.blockReason}` : ''}. После разблокировки вход снова возможен с прежним паролем.</p>
        ) : (
          <>
            <p className="adm-note">Вход будет запрещён, открытые сеансы завершатся. Записи, сделанные раньше, остаются в журнале.</p>
            <label className="field"><span className="field-label">Причина блокировки</span>
              <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="например, увольнение, утеря пароля" />
            </label>
          </>
        )}
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit={unblock ? 'Разблокировать' : 'Заблокировать'} onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** A new one-time password for an account (`account.reset`): the old one stops working. */
export function ResetDialog({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: (p: IssuedPassword) => void }) {
  const c = useChange();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await c.run('account.reset', { id: account.id });
    if (r) onDone({ name: account.name, login: r.login, password: r.password, created: false });
  }
  return (
    <ModalDialog title="Новый разовый пароль" meta={<>{account.name} · логин <b>{account.login}</b></>} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>Прежний пароль перестанет действовать. При первом входе с разовым паролем журнал попросит придумать свой (п. 10.1).</p>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Выдать новый пароль" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** The one-time password, shown this once: copy it, print it, hand it over in person. */
export function PasswordShownOnce({ issued, onClose }: { issued: IssuedPassword; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(`Логин: ${issued.login}\nРазовый пароль: ${issued.password}`);
      setCopied('Логин и пароль скопированы');
    } catch {
      setCopied('Браузер не дал скопировать: выделите пароль и нажмите Ctrl+C');
    }
  }
  return (
    <ModalDialog title={issued.created ? 'Учётная запись создана' : 'Новый разовый пароль выдан'} meta={issued.name} onClose={onClose} keepOnBackdrop>
      <div className="adm-otp adm-print">
        <p className="adm-print-only">Электронный журнал: {issued.name}</p>
        <dl className="adm-otp-list">
          <dt>Логин</dt><dd><output aria-label="Логин">{issued.login}</output></dd>
          <dt>Разовый пароль</dt><dd><output className="adm-otp-value" aria-label="Разовый пароль">{issued.password}</output></dd>
        </dl>
        <p className="adm-print-only">При первом входе придумайте свой пароль: не короче 8 символов, не только из цифр и не совпадающий с логином.</p>
      </div>
      <p className="adm-note">Пароль показан <b>один раз</b> и нигде не хранится в открытом виде. Запишите его или нажмите «Печать» и передайте лично в руки. При первом входе журнал попросит придумать свой пароль (п. 10.1).</p>
      {copied && <p className="adm-pdf-note" role="status">{copied}</p>}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={() => void copy()} data-autofocus>Копировать</button>
        <button type="button" className="btn" onClick={() => window.print()}>Печать</button>
        <button type="button" className="btn btn-primary" onClick={onClose}>Готово</button>
      </div>
    </ModalDialog>
  );
}
