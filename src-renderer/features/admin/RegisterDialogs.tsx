/**
 * Dialogs of the pupils' register (п. 9.4, 9.6; R-CONSENT): a pupil, moving and leaving, a parent
 * and their link, unlinking, a family's choice of diary and consent, and the one-time passwords of
 * a class's families as slips (PDF).
 */
import { useState, type FormEvent } from 'react';
import { MEDICAL_GROUPS, type MedicalGroup } from '../../../src-shared/domain/school';
import { dmy, fullName } from '../../app/format';
import { FailureNotice, ModalDialog } from './admin-shared/ModalDialog';
import { PdfFile } from './admin-shared/PdfFile';
import { pdfFileName } from './admin-shared/pdf-file';
import { newRecordId } from './admin-shared/record-id';
import { useChange } from './admin-shared/use-change';
import {
  CONSENT_VALUES, MEDICAL_LABELS, pupilForm, pupilFormProblem, studentSet, studentSetOf,
  type ConsentKind, type ConsentValue, type Parent, type Pupil, type PupilForm,
} from './RegisterPayloads';

export interface ClassRef { id: string; name: string }

const Actions = ({ busy, submit, onClose }: { busy: boolean; submit: string; onClose: () => void }) => (
  <div className="modal-actions">
    <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{busy ? 'Сохраняется…' : submit}</button>
    <button type="button" className="btn" onClick={onClose}>Отмена</button>
  </div>
);

/** A new pupil of the class, or a pupil's record (`student.set`, the whole record). */
export function PupilDialog({ pupil, cls, onClose, onDone }: { pupil: Pupil | null; cls: ClassRef; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const [f, setF] = useState<PupilForm>(() => pupilForm(pupil));
  const [id] = useState(() => pupil?.id ?? newRecordId('s'));
  const text = (k: 'lastName' | 'firstName' | 'middleName' | 'birthDate' | 'peExemptUntil') => ({ value: f[k], onChange: (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value }) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = pupilFormProblem(f);
    if (problem) { c.setFailure({ code: 'bad_input', message: problem }); return; }
    if (await c.run('student.set', studentSet(id, f, cls.id, pupil?.left ?? null))) onDone();
  }
  return (
    <ModalDialog title={pupil ? 'Сведения об обучающемся' : 'Новый обучающийся'} meta={`${cls.name} класс`} wide onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="adm-grid3">
          <label className="field"><span className="field-label">Фамилия</span><input {...text('lastName')} autoComplete="off" /></label>
          <label className="field"><span className="field-label">Имя</span><input {...text('firstName')} autoComplete="off" /></label>
          <label className="field"><span className="field-label">Отчество</span><input {...text('middleName')} autoComplete="off" /></label>
        </div>
        <div className="adm-grid3">
          <label className="field"><span className="field-label">Дата рождения</span><input type="date" {...text('birthDate')} /></label>
          <label className="field"><span className="field-label">Медицинская группа</span>
            <select value={f.medicalGroup} onChange={(e) => setF({ ...f, medicalGroup: e.target.value as MedicalGroup })}>
              {MEDICAL_GROUPS.map((g) => <option key={g} value={g}>{MEDICAL_LABELS[g]}</option>)}
            </select>
          </label>
          <label className="field"><span className="field-label">Освобождён от физкультуры до</span><input type="date" {...text('peExemptUntil')} /></label>
        </div>
        <div className="adm-checks">
          <label className="check"><input type="checkbox" checked={f.individualPlan} onChange={(e) => setF({ ...f, individualPlan: e.target.checked })} />Обучение по индивидуальному учебному плану</label>
          <label className="check"><input type="checkbox" checked={f.homeSchooling} onChange={(e) => setF({ ...f, homeSchooling: e.target.checked })} />Обучение на дому</label>
        </div>
        {pupil?.left && <p className="adm-note">Выбыл(а) {dmy(pupil.left)}: дата выбытия сохраняется.</p>}
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit={pupil ? 'Сохранить' : 'Добавить в класс'} onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** Another class for the pupil (the administrator's, п. 9.6): the same record, another class. */
export function MoveDialog({ pupil, cls, classes, onClose, onDone }: { pupil: Pupil; cls: ClassRef; classes: readonly ClassRef[]; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const others = classes.filter((x) => x.id !== cls.id);
  const [to, setTo] = useState(others[0]?.id ?? '');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!to) return;
    if (await c.run('student.set', studentSetOf(pupil, to))) onDone();
  }
  return (
    <ModalDialog title="Перевод в другой класс" meta={`${fullName(pupil)}, ${cls.name} класс`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field"><span className="field-label">Новый класс</span>
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            {others.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </label>
        <p className="adm-note">Отметки и пропуски остаются в журнале прежнего класса; в группы нового класса ученика включают в разделе «Классы и предметы».</p>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Перевести" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** The pupil leaves the school on a date; they stay in the list as «выбыл(а)», their history kept. */
export function LeaveDialog({ pupil, cls, today, onClose, onDone }: { pupil: Pupil; cls: ClassRef; today: string; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const [date, setDate] = useState(today);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!date) { c.setFailure({ code: 'bad_input', message: 'Укажите дату выбытия' }); return; }
    if (await c.run('student.set', studentSetOf(pupil, cls.id, date))) onDone();
  }
  return (
    <ModalDialog title="Выбытие обучающегося" meta={`${fullName(pupil)}, ${cls.name} класс`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field"><span className="field-label">Дата выбытия</span><input type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
        <p className="adm-note">Ученик останется в списке класса с отметкой «выбыл(а)»; его отметки и пропуски сохраняются.</p>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Отметить выбытие" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

/** A parent (new or known) and their link to the pupil with the relation (`parent.set` + `parent.link`). */
export function ParentDialog({ pupil, parent, onClose, onDone }: { pupil: Pupil; parent: Parent | null; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const [id] = useState(() => parent?.id ?? newRecordId('p'));
  const [f, setF] = useState({
    lastName: parent?.lastName ?? '', firstName: parent?.firstName ?? '', middleName: parent?.middleName ?? '',
    phone: parent?.phone ?? '', email: parent?.email ?? '', relation: parent?.relation ?? '',
  });
  const field = (k: keyof typeof f) => ({ value: f[k], onChange: (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value }) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!f.lastName.trim() || !f.firstName.trim()) { c.setFailure({ code: 'bad_input', message: 'Укажите фамилию и имя' }); return; }
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const set = await c.run('parent.set', {
      id, lastName: f.lastName.trim(), firstName: f.firstName.trim(),
      ...(opt(f.middleName) ? { middleName: opt(f.middleName) } : {}), ...(opt(f.phone) ? { phone: opt(f.phone) } : {}), ...(opt(f.email) ? { email: opt(f.email) } : {}),
    });
    if (!set) return;
    if (!parent || (parent.relation ?? '') !== f.relation.trim()) {
      const link = await c.run('parent.link', { parentId: id, studentId: pupil.id, ...(opt(f.relation) ? { relation: opt(f.relation) } : {}) });
      if (!link) return;
    }
    onDone();
  }
  return (
    <ModalDialog title={parent ? 'Сведения о родителе' : 'Новый родитель (законный представитель)'} meta={`Обучающийся: ${fullName(pupil)}`} wide onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="adm-grid3">
          <label className="field"><span className="field-label">Фамилия</span><input {...field('lastName')} autoComplete="off" /></label>
          <label className="field"><span className="field-label">Имя</span><input {...field('firstName')} autoComplete="off" /></label>
          <label className="field"><span className="field-label">Отчество</span><input {...field('middleName')} autoComplete="off" /></label>
        </div>
        <div className="adm-grid3">
          <label className="field"><span className="field-label">Кем приходится</span><input {...field('relation')} list="adm-relations" placeholder="мать, отец, опекун…" autoComplete="off" /></label>
          <label className="field"><span className="field-label">Телефон</span><input type="tel" {...field('phone')} autoComplete="off" /></label>
          <label className="field"><span className="field-label">Электронная почта</span><input type="email" {...field('email')} autoComplete="off" /></label>
        </div>
        <datalist id="adm-relations">{['мать', 'отец', 'опекун', 'попечитель', 'бабушка', 'дедушка'].map((r) => <option key={r} value={r} />)}</datalist>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit={parent ? 'Сохранить' : 'Добавить родителя'} onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

export function UnlinkDialog({ pupil, parent, onClose, onDone }: { pupil: Pupil; parent: Parent; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await c.run('parent.unlink', { parentId: parent.id, studentId: pupil.id })) onDone();
  }
  return (
    <ModalDialog title="Отвязать родителя" meta={`${fullName(parent)} — ${fullName(pupil)}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>Родитель перестанет видеть дневник этого ребёнка. Сведения о родителе и его учётная запись остаются.</p>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Отвязать" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

const CONSENT_TITLES: Record<ConsentKind, string> = { diary_mode: 'Форма дневника', personal_data: 'Согласие на обработку персональных данных' };

/** A family's choice of the diary or its consent, with the date of the application (`consent.set`). */
export function ConsentDialog({ parent, kind, today, onClose, onDone }: { parent: Parent; kind: ConsentKind; today: string; onClose: () => void; onDone: () => void }) {
  const c = useChange();
  const cur = parent.consents[kind];
  const [value, setValue] = useState<ConsentValue>((cur?.value as ConsentValue | undefined) ?? CONSENT_VALUES[kind][0].value);
  const [date, setDate] = useState(today);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!date) { c.setFailure({ code: 'bad_input', message: 'Укажите дату заявления' }); return; }
    if (await c.run('consent.set', { parentId: parent.id, kind, value, date })) onDone();
  }
  return (
    <ModalDialog title={CONSENT_TITLES[kind]} meta={fullName(parent)} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="print-kinds">
          <legend>{kind === 'diary_mode' ? 'Что выбрала семья (п. 7.2)' : 'Решение родителя (п. 5.11)'}</legend>
          {CONSENT_VALUES[kind].map((v) => (
            <label key={v.value} className="print-check"><input type="radio" name={`consent-${kind}`} checked={value === v.value} onChange={() => setValue(v.value)} /><span>{v.label}</span></label>
          ))}
        </fieldset>
        <label className="field"><span className="field-label">Дата заявления</span><input type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
        <FailureNotice failure={c.failure} />
        <Actions busy={c.busy} submit="Записать" onClose={onClose} />
      </form>
    </ModalDialog>
  );
}

const WHO = [
  { value: 'parents', label: 'Родителям' }, { value: 'students', label: 'Обучающимся' }, { value: 'families', label: 'Родителям и обучающимся' },
] as const;

/** One-time passwords of the class's families as slips to cut (`accounts.issue`, PDF). */
export function IssueDialog({ cls, today, onClose, onIssued }: { cls: ClassRef; today: string; onClose: () => void; onIssued: () => void }) {
  const c = useChange();
  const [who, setWho] = useState<(typeof WHO)[number]['value']>('parents');
  const [again, setAgain] = useState(false);
  const [done, setDone] = useState<{ base64: string; pages: number; accounts: number } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const origin = window.location.origin;
    const r = await c.run('accounts.issue', { classId: cls.id, who, again, ...(/^https?:\/\//.test(origin) ? { address: origin } : {}) });
    if (r) { setDone({ base64: r.pdfBase64, pages: r.pages, accounts: r.accounts }); onIssued(); }
  }
  return (
    <ModalDialog title="Разовые пароли семьям класса" meta={`${cls.name} класс`} onClose={onClose} keepOnBackdrop={!!done}>
      {done ? (
        <>
          {done.accounts === 0
            ? <p>Новых паролей не понадобилось: у всех уже есть разовый или свой пароль. Потерянный листок — отметьте «Выдать заново»; забытый свой пароль — «Новый разовый пароль» в «Учётных записях».</p>
            : <p className="modal-done" role="status">Выдано разовых паролей: {done.accounts}. Распечатайте листки, разрежьте и раздайте лично в руки; эти пароли больше не будут показаны.</p>}
          {done.accounts > 0 && <PdfFile base64={done.base64} pages={done.pages} fileName={pdfFileName(`paroli-${cls.id}`, today)} />}
          <div className="modal-actions"><button type="button" className="btn" onClick={onClose}>Закрыть</button></div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="print-kinds">
            <legend>Кому</legend>
            {WHO.map((w) => <label key={w.value} className="print-check"><input type="radio" name="issue-who" checked={who === w.value} onChange={() => setWho(w.value)} /><span>{w.label}</span></label>)}
          </fieldset>
          <label className="print-check"><input type="checkbox" checked={again} onChange={(e) => setAgain(e.target.checked)} /><span>Выдать заново и тем, кто ещё не сменил разовый пароль (листок потерян): прежний разовый перестанет действовать</span></label>
          <p className="adm-note">Учётные записи, которых ещё нет, будут созданы; свой пароль, выбранный владельцем, не меняется. Выбывшим пароли не выдаются. На листке: логин, разовый пароль и адрес дневника; при первом входе нужно придумать свой пароль (п. 10.1).</p>
          <FailureNotice failure={c.failure} />
          <div className="modal-actions">
            <button type="submit" className="btn btn-primary" disabled={c.busy} aria-busy={c.busy}>{c.busy ? 'Формируется…' : 'Выдать пароли и сформировать листки'}</button>
            <button type="button" className="btn" onClick={onClose}>Отмена</button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
