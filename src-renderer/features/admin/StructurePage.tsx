/**
 * Классы и предметы (R-SETUP, п. 9.6): the classes of the current year with their class teachers,
 * the groups lessons are given to (the whole class, subgroups, profile groups, electives, clubs,
 * projects) and who is in them, and the subjects. A new class is offered its whole-class group at
 * once: the curriculum hangs on groups, so a class without one has no lessons.
 */
import { useMemo, useRef, useState } from 'react';
import type { SetupView } from '../../../src-shared/contract/admin';
import { GROUP_KINDS, SUBJECT_CODES, type GroupKind, type SubjectCode } from '../../../src-shared/domain/school';
import { fullName } from '../../app/format';
import { ErrorState, Loading, NoticeLine } from '../../components/States';
import { EditTable, type EditColumn } from './setup-shared/EditTable';
import { inputProblem, useChange, useSetup, type Outcome } from './setup-shared/data';
import { newRecordId } from './setup-shared/ids';
import { GROUP_KIND_LABELS, SUBJECT_CODE_LABELS } from './setup-shared/labels';
import { byGradeLetter } from './setup-shared/load';
import { StructureMembers } from './StructureMembers';

type Class = SetupView['classes'][number];
type Group = SetupView['groups'][number];
type Subject = SetupView['subjects'][number];
type Change = ReturnType<typeof useChange>;

export function StructurePage(_: { params: string[] }) {
  const setup = useSetup();
  const change = useChange(setup.refresh);
  const s = setup.value;
  if (!s) return setup.status === 'error' ? <ErrorState error={setup.error} retry={() => void setup.refresh()} /> : <Loading what="Загружаем классы и предметы" />;
  const year = s.years.find((y) => y.id === s.yearId) ?? null;
  return (
    <div className="st-page">
      <div className="toolbar" role="toolbar" aria-label="Классы и предметы">
        <span className="tb-title">{year ? `Учебный год ${year.name}` : 'Учебного года нет'}</span>
        <span className="tb-meta">{s.classes.filter((c) => c.yearId === s.yearId).length} классов · {s.groups.filter((g) => g.yearId === s.yearId).length} групп · {s.subjects.length} предметов</span>
      </div>
      <div className="st-body">
        {!year ? <p className="st-lead">Сначала создайте учебный год в разделе «Учебный год».</p> : (
          <div className="st-grid">
            <section className="st-section st-wide" aria-labelledby="str-classes">
              <h2 id="str-classes" className="st-h">Классы</h2>
              <ClassesTable s={s} yearId={year.id} change={change} />
            </section>
            <section className="st-section st-wide" aria-labelledby="str-groups">
              <h2 id="str-groups" className="st-h">Группы</h2>
              <GroupsTable s={s} yearId={year.id} change={change} />
            </section>
            <section className="st-section st-wide" aria-labelledby="str-subjects">
              <h2 id="str-subjects" className="st-h">Предметы</h2>
              <SubjectsTable s={s} change={change} />
            </section>
          </div>
        )}
      </div>
    </div>
  );
}

function ClassesTable({ s, yearId, change }: { s: SetupView; yearId: string; change: Change }) {
  const rows = useMemo(() => s.classes.filter((c) => c.yearId === yearId).sort(byGradeLetter), [s.classes, yearId]);
  const withGroup = useMemo(() => new Set(s.groups.filter((g) => g.kind === 'class' && g.classId).map((g) => g.classId!)), [s.groups]);
  const staff = useMemo(() => s.staff.filter((p) => !p.left).sort((a, b) => fullName(a).localeCompare(fullName(b), 'ru')), [s.staff]);
  const staffOf = useMemo(() => new Map(s.staff.map((p) => [p.id, p])), [s.staff]);
  const [offer, setOffer] = useState<{ classId: string; name: string; outcome: Outcome | null; busy: boolean } | null>(null);
  const lastNew = useRef<string | null>(null);

  async function createGroup(classId: string, name: string) {
    setOffer({ classId, name, outcome: null, busy: true });
    const o = await change('group.set', { id: newRecordId('group'), yearId, name, kind: 'class', classId });
    setOffer({ classId, name, outcome: o, busy: false });
  }

  const columns = useMemo<EditColumn<Class>[]>(() => [
    { id: 'name', header: 'Класс', view: (c) => <b>{c.name}</b>, text: (c) => c.name },
    { id: 'grade', header: 'Параллель', view: (c) => c.grade, text: (c) => String(c.grade), editor: { kind: 'number', min: 1, max: 11 }, className: 'num' },
    { id: 'letter', header: 'Буква', view: (c) => c.letter, text: (c) => c.letter, editor: { kind: 'text', maxLength: 4, width: 60 } },
    {
      id: 'teacher', header: 'Классный руководитель',
      view: (c) => { const t = c.classTeacherId ? staffOf.get(c.classTeacherId) : undefined; return t ? fullName(t) : <span className="muted">не назначен</span>; },
      text: (c) => { const t = c.classTeacherId ? staffOf.get(c.classTeacherId) : undefined; return t ? fullName(t) : ''; },
      editor: { kind: 'select', options: [{ value: '', label: '— не назначен —' }, ...staff.map((p) => ({ value: p.id, label: `${fullName(p)}${p.position ? `, ${p.position.toLowerCase()}` : ''}` }))] },
    },
    { id: 'students', header: 'Обучающихся', view: (c) => c.students, text: (c) => String(c.students), className: 'num' },
    { id: 'group', header: 'Группа «весь класс»', view: (c) => (withGroup.has(c.id) ? <span className="st-badge">есть</span> : <span className="st-badge is-missing">нет</span>), text: () => '' },
  ], [staff, staffOf, withGroup]);

  return (
    <>
      {offer && (
        <div className="st-offer" role="status">
          {offer.outcome?.ok ? (
            <><p>Группа «{offer.name}» (весь класс) создана: теперь ей можно назначить предметы в учебном плане.</p>
              <button type="button" className="btn btn-small" onClick={() => setOffer(null)}>Закрыть</button></>
          ) : (
            <>
              <p>Класс {offer.name} сохранён. Создать его группу «{offer.name}» (весь класс)? Без неё классу нельзя назначить предметы в учебном плане.</p>
              <button type="button" className="btn btn-small btn-primary" autoFocus disabled={offer.busy} onClick={() => void createGroup(offer.classId, offer.name)}>{offer.busy ? 'Создаём…' : `Создать группу «${offer.name}»`}</button>
              <button type="button" className="btn btn-small" disabled={offer.busy} onClick={() => setOffer(null)}>Не нужно</button>
              {offer.outcome && !offer.outcome.ok && <div role="alert" style={{ flexBasis: '100%' }}><NoticeLine level={offer.outcome.problem.level} message={offer.outcome.problem.message} requirement={offer.outcome.problem.requirement} clause={offer.outcome.problem.clause} /></div>}
            </>
          )}
        </div>
      )}
      <EditTable caption="Классы" rows={rows} rowId={(c) => c.id} columns={columns} empty="Классов нет"
        toDraft={(c) => ({ grade: String(c.grade), letter: c.letter, teacher: c.classTeacherId ?? '' })}
        blank={() => ({ grade: '1', letter: '', teacher: '' })}
        addLabel="Класс"
        save={async (d, c) => {
          const grade = Number(d.grade);
          const letter = (d.letter ?? '').trim().toUpperCase();
          if (!Number.isInteger(grade) || grade < 1 || grade > 11) return inputProblem('Параллель — от 1 до 11');
          if (!letter) return inputProblem('Укажите букву класса, например «А»');
          if (rows.some((x) => x.id !== c?.id && x.grade === grade && x.letter.toUpperCase() === letter)) return inputProblem(`Класс ${grade}${letter} уже есть в этом учебном году`);
          const id = c?.id ?? newRecordId('class');
          if (!c) lastNew.current = id;
          return change('class.set', { id, yearId, grade, letter, ...(d.teacher ? { classTeacherId: d.teacher } : {}) });
        }}
        onSaved={(d, c) => {
          const id = c?.id ?? lastNew.current;
          if (id && !withGroup.has(id)) setOffer({ classId: id, name: `${Number(d.grade)}${(d.letter ?? '').trim().toUpperCase()}`, outcome: null, busy: false });
        }}
        actions={(c, tab) => (!withGroup.has(c.id) ? (
          <button type="button" className="btn btn-small" tabIndex={tab} onClick={() => setOffer({ classId: c.id, name: c.name, outcome: null, busy: false })}>Создать группу</button>
        ) : null)}
        savedText={(d) => `Класс ${Number(d.grade)}${(d.letter ?? '').trim().toUpperCase()} сохранён`} />
    </>
  );
}

const kindOrder = (k: GroupKind) => GROUP_KINDS.indexOf(k);

function GroupsTable({ s, yearId, change }: { s: SetupView; yearId: string; change: Change }) {
  const classes = useMemo(() => s.classes.filter((c) => c.yearId === yearId).sort(byGradeLetter), [s.classes, yearId]);
  const classOf = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);
  const rows = useMemo(() => s.groups.filter((g) => g.yearId === yearId).sort((a, b) => {
    const ca = a.classId ? classOf.get(a.classId) : undefined;
    const cb = b.classId ? classOf.get(b.classId) : undefined;
    if (ca && cb && ca !== cb) return byGradeLetter(ca, cb);
    if (!!ca !== !!cb) return ca ? -1 : 1;
    return kindOrder(a.kind) - kindOrder(b.kind) || a.name.localeCompare(b.name, 'ru');
  }), [s.groups, yearId, classOf]);
  const [open, setOpen] = useState<string | null>(null);
  const openGroup = rows.find((g) => g.id === open) ?? null;

  const columns = useMemo<EditColumn<Group>[]>(() => [
    { id: 'name', header: 'Название', view: (g) => g.name, text: (g) => g.name, editor: { kind: 'text', maxLength: 80, width: 260 } },
    { id: 'kind', header: 'Вид', view: (g) => GROUP_KIND_LABELS[g.kind], text: (g) => GROUP_KIND_LABELS[g.kind], editor: { kind: 'select', options: GROUP_KINDS.map((k) => ({ value: k, label: GROUP_KIND_LABELS[k] })) } },
    {
      id: 'classId', header: 'Класс', view: (g) => (g.classId ? classOf.get(g.classId)?.name ?? '?' : <span className="muted">разные классы</span>), text: (g) => (g.classId ? classOf.get(g.classId)?.name ?? '' : ''),
      editor: { kind: 'select', options: [{ value: '', label: '— разные классы —' }, ...classes.map((c) => ({ value: c.id, label: c.name }))] },
    },
    { id: 'members', header: 'Состав', view: (g) => (g.kind === 'class' ? <span className="muted">весь класс</span> : `${g.memberIds.length} чел.`), text: () => '', className: 'num' },
  ], [classes, classOf]);

  return (
    <>
      <EditTable caption="Группы" rows={rows} rowId={(g) => g.id} columns={columns} empty="Групп нет"
        rowClass={(g, prev) => (prev && prev.classId !== g.classId ? 'st-group-start' : '')}
        toDraft={(g) => ({ name: g.name, kind: g.kind, classId: g.classId ?? '' })}
        blank={() => ({ name: '', kind: 'subgroup', classId: classes[0]?.id ?? '' })}
        addLabel="Группа"
        save={async (d, g) => {
          const name = (d.name ?? '').trim();
          if (!name) return inputProblem('Укажите название группы, например «5А, английский, 1 подгруппа»');
          if (d.kind === 'class' && !d.classId) return inputProblem('Группа «весь класс» должна относиться к классу: выберите класс');
          return change('group.set', { id: g?.id ?? newRecordId('group'), yearId, name, kind: d.kind as GroupKind, ...(d.classId ? { classId: d.classId } : {}) });
        }}
        actions={(g, tab) => (g.kind !== 'class' ? (
          <button type="button" className="btn btn-small" tabIndex={tab} aria-expanded={open === g.id} onClick={() => setOpen(open === g.id ? null : g.id)}>Состав…</button>
        ) : null)}
        savedText={(d) => `Группа «${(d.name ?? '').trim()}» сохранена`} />
      {openGroup && <StructureMembers key={openGroup.id} group={openGroup} classes={classes} change={change} onClose={() => setOpen(null)} />}
    </>
  );
}

function SubjectsTable({ s, change }: { s: SetupView; change: Change }) {
  const rows = useMemo(() => [...s.subjects].sort((a, b) => a.name.localeCompare(b.name, 'ru')), [s.subjects]);
  const columns = useMemo<EditColumn<Subject>[]>(() => [
    { id: 'name', header: 'Название', view: (x) => x.name, text: (x) => x.name, editor: { kind: 'text', maxLength: 120, width: 280 } },
    { id: 'short', header: 'Краткое', view: (x) => x.short, text: (x) => x.short, editor: { kind: 'text', maxLength: 24, width: 120 } },
    { id: 'code', header: 'Вид предмета (для правил)', view: (x) => SUBJECT_CODE_LABELS[x.code], text: (x) => SUBJECT_CODE_LABELS[x.code], editor: { kind: 'select', options: SUBJECT_CODES.map((c) => ({ value: c, label: SUBJECT_CODE_LABELS[c] })) } },
  ], []);
  return (
    <EditTable caption="Предметы" rows={rows} rowId={(x) => x.id} columns={columns} empty="Предметов нет"
      toDraft={(x) => ({ name: x.name, short: x.short, code: x.code })}
      blank={() => ({ name: '', short: '', code: 'other' })}
      addLabel="Предмет"
      save={async (d, x) => {
        const name = (d.name ?? '').trim();
        const short = (d.short ?? '').trim() || name.slice(0, 24);
        if (!name) return inputProblem('Укажите название предмета');
        if (rows.some((r) => r.id !== x?.id && r.name.toLowerCase() === name.toLowerCase())) return inputProblem(`Предмет «${name}» уже есть`);
        return change('subject.set', { id: x?.id ?? newRecordId('subject'), name, short, code: d.code as SubjectCode });
      }}
      savedText={(d) => `Предмет «${(d.name ?? '').trim()}» сохранён`} />
  );
}

