/**
 * «Контингент» / «Список класса» (п. 9.4, 9.6; R-CONSENT): a class's pupils — who left stays
 * listed — with their groups, PE data and logins, and under each pupil the family: relation,
 * contacts, login, the diary's form and the consent to personal data. The class teacher keeps
 * their own class's list, the administrator any class's (moves pupils, issues the families'
 * one-time passwords); the deputy records families' choices; others read.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ClassRoster } from '../../../src-shared/contract/admin';
import { useQuery } from '../../app/data';
import { dmy, fullName, plural } from '../../app/format';
import { navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';
import { ExpandButton, RowTable, type RowColumn } from './admin-shared/RowTable';
import { ConsentDialog, IssueDialog, LeaveDialog, MoveDialog, ParentDialog, PupilDialog, UnlinkDialog, type ClassRef } from './RegisterDialogs';
import { MEDICAL_LABELS, consentLabel, leftLabel, type ConsentKind, type Parent, type Pupil } from './RegisterPayloads';

type Dialog =
  | { type: 'pupil'; pupil: Pupil | null }
  | { type: 'move' | 'leave'; pupil: Pupil }
  | { type: 'parent'; pupil: Pupil; parent: Parent | null }
  | { type: 'unlink'; pupil: Pupil; parent: Parent }
  | { type: 'consent'; parent: Parent; kind: ConsentKind }
  | { type: 'issue' };

const yes = (b: boolean) => (b ? 'да' : null);

export function RegisterPage({ params }: { params: string[] }) {
  const { session, role } = useSession();
  const teacher = role === 'class_teacher';
  const setup = useQuery('setup.get', teacher ? null : {});
  const classes = useMemo<ClassRef[]>(() => {
    if (teacher) return session.classes.filter((c) => c.own).map((c) => ({ id: c.id, name: c.name }));
    const s = setup.value;
    return s ? s.classes.filter((c) => c.yearId === s.yearId).map((c) => ({ id: c.id, name: c.name })) : [];
  }, [teacher, session.classes, setup.value]);
  const [classId] = params;
  const cls = classes.find((c) => c.id === classId);
  useEffect(() => { if (!cls && classes[0]) redirect('register', classes[0].id); }, [cls, classes]);
  const roster = useQuery('class.roster', cls ? { classId: cls.id } : null);

  if (!teacher && setup.status === 'error') return <ErrorState error={setup.error} retry={setup.reload} />;
  if (!teacher && !setup.value) return <Loading what="Загружаем классы" />;
  if (classes.length === 0) return <Empty title="Нет классов">{teacher ? 'Вы не назначены классным руководителем в этом учебном году.' : 'В учебном году нет классов: их создают в разделе «Классы и предметы».'}</Empty>;
  if (!cls) return <Loading />;
  return (
    <div className="adm">
      <div className="toolbar" role="toolbar" aria-label="Список класса">
        {classes.length > 1 ? (
          <label className="tb-field"><span>Класс</span>
            <select value={cls.id} onChange={(e) => navigate('register', e.target.value)}>
              {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
        ) : <span className="tb-title">{cls.name} класс</span>}
        {roster.value && <RosterMeta r={roster.value} />}
      </div>
      {roster.status === 'error' ? <ErrorState error={roster.error} retry={roster.reload} />
        : !roster.value ? <Loading what="Загружаем список класса" />
          : <Roster key={cls.id} r={roster.value} cls={cls} classes={classes} reload={roster.reload} />}
    </div>
  );
}

function RosterMeta({ r }: { r: ClassRoster }) {
  const present = r.students.filter((s) => !s.left).length;
  return <span className="tb-meta">Классный руководитель: {r.class.classTeacherName ?? 'не назначен'} · {present} {plural(present, 'обучающийся', 'обучающихся', 'обучающихся')}{r.students.length > present ? ` · выбыли: ${r.students.length - present}` : ''}</span>;
}

function Roster({ r, cls, classes, reload }: { r: ClassRoster; cls: ClassRef; classes: ClassRef[]; reload: () => void }) {
  const { session, role } = useSession();
  const admin = role === 'admin';
  const canEdit = !r.readOnly;
  // R-CONSENT: the deputy records a family's choices without keeping the list (п. 5.11, 9.2).
  const canConsent = canEdit || role === 'deputy';
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const close = () => setDialog(null);
  const done = () => { setDialog(null); reload(); };
  const toggle = (id: string) => { const n = new Set(expanded); if (n.has(id)) n.delete(id); else n.add(id); setExpanded(n); };

  const columns = useMemo<RowColumn<Pupil>[]>(() => [
    { id: 'name', header: 'ФИО', value: (p) => fullName(p), className: 'adm-name' },
    { id: 'birth', header: 'Дата рождения', value: (p) => p.birthDate, text: (p) => (p.birthDate ? dmy(p.birthDate) : ''), cell: (p) => (p.birthDate ? dmy(p.birthDate) : '—') },
    { id: 'groups', header: 'Группы', value: (p) => p.groups.map((g) => g.name).join(', '), cell: (p) => (p.groups.length ? p.groups.map((g) => g.name).join(', ') : '—'), className: 'adm-groups' },
    { id: 'medical', header: 'Мед. группа', value: (p) => MEDICAL_LABELS[p.medicalGroup] },
    { id: 'pe', header: 'Освобождён от физкультуры до', value: (p) => p.peExemptUntil, text: (p) => (p.peExemptUntil ? dmy(p.peExemptUntil) : ''), cell: (p) => (p.peExemptUntil ? dmy(p.peExemptUntil) : '—'), className: 'adm-narrow' },
    { id: 'plan', header: 'Инд. план', value: (p) => yes(p.individualPlan), cell: (p) => yes(p.individualPlan) ?? '—' },
    { id: 'home', header: 'На дому', value: (p) => yes(p.homeSchooling), cell: (p) => yes(p.homeSchooling) ?? '—' },
    { id: 'left', header: 'Выбыл', value: (p) => p.left, text: (p) => leftLabel(p) ?? '', cell: (p) => (p.left ? <span className="adm-flag">{leftLabel(p)}</span> : '—') },
    { id: 'login', header: 'Логин', value: (p) => p.login, cell: (p) => (p.login ? <code>{p.login}</code> : <span className="muted">нет</span>) },
    { id: 'parents', header: 'Родители', value: (p) => p.parents.map((x) => fullName(x)).join(', '), cell: (p) => (p.parents.length === 0 ? <span className="adm-flag is-warn">не указаны</span> : `${p.parents.length}`), className: 'num' },
  ], []);

  const actions = (p: Pupil) => (
    <>
      <ExpandButton open={expanded.has(p.id)} onClick={() => toggle(p.id)} label="Семья" />
      {canEdit && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'pupil', pupil: p })}>Изменить</button>}
      {canEdit && !p.left && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'leave', pupil: p })}>Выбытие</button>}
      {admin && !p.left && classes.length > 1 && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'move', pupil: p })}>Перевести</button>}
    </>
  );

  const family = (p: Pupil) => (
    <div className="adm-family">
      {p.parents.length === 0 ? <p className="muted">Родители (законные представители) не указаны.</p> : (
        <table className="table adm-parents adm-cards">
          <caption className="visually-hidden">Родители: {fullName(p)}</caption>
          <thead><tr><th scope="col">ФИО</th><th scope="col">Кем приходится</th><th scope="col">Телефон</th><th scope="col">E-mail</th><th scope="col">Логин</th><th scope="col">Форма дневника</th><th scope="col">Согласие на обработку ПДн</th>{(canEdit || canConsent) && <th scope="col">Действия</th>}</tr></thead>
          <tbody>
            {p.parents.map((x) => (
              <tr key={x.id}>
                <th scope="row">{fullName(x)}</th>
                <td data-label="Кем приходится">{x.relation ?? '—'}</td>
                <td data-label="Телефон">{x.phone ?? '—'}</td>
                <td data-label="E-mail">{x.email ?? '—'}</td>
                <td data-label="Логин">{x.login ? <code>{x.login}</code> : <span className="muted">нет</span>}</td>
                <td data-label="Форма дневника" className={x.consents.diary_mode ? '' : 'adm-missing'}>{consentLabel('diary_mode', x.consents.diary_mode)}</td>
                <td data-label="Согласие на обработку ПДн" className={x.consents.personal_data ? '' : 'adm-missing'}>{consentLabel('personal_data', x.consents.personal_data)}</td>
                {(canEdit || canConsent) && (
                  <td className="rt-actions" data-label="Действия">
                    {canEdit && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'parent', pupil: p, parent: x })}>Изменить</button>}
                    {canConsent && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'consent', parent: x, kind: 'diary_mode' })}>Форма дневника</button>}
                    {canConsent && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'consent', parent: x, kind: 'personal_data' })}>Согласие</button>}
                    {canEdit && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'unlink', pupil: p, parent: x })}>Отвязать</button>}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && <button type="button" className="btn btn-small" onClick={() => setDialog({ type: 'parent', pupil: p, parent: null })}>+ Добавить родителя</button>}
    </div>
  );

  const today = session.today;
  return (
    <div className="adm-body">
      <RowTable
        label={`Список ${cls.name} класса`} rows={r.students} columns={columns} rowId={(p) => p.id}
        actions={actions} detail={family} expanded={expanded} onExpandedChange={setExpanded}
        onActivate={canEdit ? (p) => setDialog({ type: 'pupil', pupil: p }) : (p) => toggle(p.id)}
        rowClass={(p) => (p.left ? 'is-off' : '')}
        filterPlaceholder="ФИО, группа, логин…"
        toolbar={(
          <>
            {canEdit && <button type="button" className="btn btn-primary" onClick={() => setDialog({ type: 'pupil', pupil: null })}>Добавить обучающегося</button>}
            {admin && <button type="button" className="btn" onClick={() => setDialog({ type: 'issue' })}>Разовые пароли семьям класса…</button>}
            {!canEdit && <span className="tb-readonly" role="note">{canConsent ? 'Список ведут классный руководитель и ответственный за техподдержку; согласия и форму дневника можно записать' : 'Только просмотр'}</span>}
          </>
        )}
        empty={<Empty title="В классе нет обучающихся">{canEdit ? 'Добавьте обучающихся кнопкой «Добавить обучающегося» или загрузите список из файла.' : null}</Empty>}
      />
      {dialog?.type === 'pupil' && <PupilDialog pupil={dialog.pupil} cls={cls} onClose={close} onDone={done} />}
      {dialog?.type === 'move' && <MoveDialog pupil={dialog.pupil} cls={cls} classes={classes} onClose={close} onDone={done} />}
      {dialog?.type === 'leave' && <LeaveDialog pupil={dialog.pupil} cls={cls} today={today} onClose={close} onDone={done} />}
      {dialog?.type === 'parent' && <ParentDialog pupil={dialog.pupil} parent={dialog.parent} onClose={close} onDone={() => { setExpanded(new Set(expanded).add(dialog.pupil.id)); done(); }} />}
      {dialog?.type === 'unlink' && <UnlinkDialog pupil={dialog.pupil} parent={dialog.parent} onClose={close} onDone={done} />}
      {dialog?.type === 'consent' && <ConsentDialog parent={dialog.parent} kind={dialog.kind} today={today} onClose={close} onDone={done} />}
      {dialog?.type === 'issue' && <IssueDialog cls={cls} today={today} onClose={close} onIssued={reload} />}
    </div>
  );
}
