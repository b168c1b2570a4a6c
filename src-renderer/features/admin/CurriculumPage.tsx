/**
 * Учебный план и нагрузка (R-SETUP, п. 9.6): each group (the classes first) with the subjects it
 * is taught, hours a week and the teacher — one `course.set` / `course.remove` per change — and
 * the totals: a class's week and every teacher's load.
 */
import { useMemo, useState } from 'react';
import type { SetupView } from '../../../src-shared/contract/admin';
import { GROUP_KINDS } from '../../../src-shared/domain/school';
import { decimal, fullName } from '../../app/format';
import { ErrorState, Loading } from '../../components/States';
import { EditTable, type EditColumn } from './setup-shared/EditTable';
import { inputProblem, useChange, useSetup } from './setup-shared/data';
import { newRecordId } from './setup-shared/ids';
import { GROUP_KIND_LABELS, staffShort } from './setup-shared/labels';
import { byGradeLetter, classWeeks, hoursText, teacherLoads, type TeacherLoad } from './setup-shared/load';

type Course = SetupView['courses'][number];
type Group = SetupView['groups'][number];
type Change = ReturnType<typeof useChange>;

export function CurriculumPage(_: { params: string[] }) {
  const setup = useSetup();
  const change = useChange(setup.refresh);
  const [grade, setGrade] = useState('');
  const s = setup.value;
  if (!s) return setup.status === 'error' ? <ErrorState error={setup.error} retry={() => void setup.refresh()} /> : <Loading what="Загружаем учебный план" />;
  const year = s.years.find((y) => y.id === s.yearId) ?? null;
  const grades = [...new Set(s.classes.filter((c) => c.yearId === s.yearId).map((c) => c.grade))].sort((a, b) => a - b);
  return (
    <div className="st-page">
      <div className="toolbar" role="toolbar" aria-label="Учебный план">
        <span className="tb-title">{year ? `Учебный план ${year.name}` : 'Учебного года нет'}</span>
        <label className="tb-field"><span>Параллель</span>
          <select value={grade} onChange={(e) => setGrade(e.target.value)} aria-label="Параллель">
            <option value="">все классы и группы</option>
            {grades.map((g) => <option key={g} value={String(g)}>{g} классы</option>)}
          </select>
        </label>
      </div>
      <div className="st-body">
        {!year ? <p className="st-lead">Сначала создайте учебный год в разделе «Учебный год».</p> : <Plan s={s} yearId={year.id} grade={grade ? Number(grade) : null} change={change} />}
      </div>
    </div>
  );
}

function Plan({ s, yearId, grade, change }: { s: SetupView; yearId: string; grade: number | null; change: Change }) {
  const classes = useMemo(() => s.classes.filter((c) => c.yearId === yearId).sort(byGradeLetter), [s.classes, yearId]);
  const classOf = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);
  const groupOf = useMemo(() => new Map(s.groups.map((g) => [g.id, g])), [s.groups]);
  const subjectOf = useMemo(() => new Map(s.subjects.map((x) => [x.id, x])), [s.subjects]);
  const staffOf = useMemo(() => new Map(s.staff.map((p) => [p.id, p])), [s.staff]);
  const yearCourses = useMemo(() => s.courses.filter((k) => k.yearId === yearId), [s.courses, yearId]);

  /** Groups in the plan's order: by class (grade, letter), the whole class before its parts; then groups of several classes. */
  const groups = useMemo(() => s.groups.filter((g) => g.yearId === yearId).sort((a, b) => {
    const ca = a.classId ? classOf.get(a.classId) : undefined;
    const cb = b.classId ? classOf.get(b.classId) : undefined;
    if (ca && cb && ca !== cb) return byGradeLetter(ca, cb);
    if (!!ca !== !!cb) return ca ? -1 : 1;
    return GROUP_KINDS.indexOf(a.kind) - GROUP_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name, 'ru');
  }), [s.groups, yearId, classOf]);
  const inGrade = (g: Group | undefined) => grade === null || (!!g?.classId && classOf.get(g.classId)?.grade === grade);
  const shownGroups = groups.filter(inGrade);
  const groupRank = useMemo(() => new Map(groups.map((g, i) => [g.id, i])), [groups]);

  const rows = useMemo(() => yearCourses
    .filter((k) => grade === null || inGrade(groupOf.get(k.groupId)))
    .sort((a, b) => (groupRank.get(a.groupId) ?? 1e9) - (groupRank.get(b.groupId) ?? 1e9) || (subjectOf.get(a.subjectId)?.name ?? '').localeCompare(subjectOf.get(b.subjectId)?.name ?? '', 'ru')),
  [yearCourses, grade, groupOf, groupRank, subjectOf, classOf]);

  const groupHours = useMemo(() => {
    const m = new Map<string, number>();
    for (const k of yearCourses) m.set(k.groupId, (m.get(k.groupId) ?? 0) + k.hoursPerWeek);
    return m;
  }, [yearCourses]);

  const teachers = useMemo(() => s.staff.filter((p) => !p.left).sort((a, b) => fullName(a).localeCompare(fullName(b), 'ru')), [s.staff]);
  const subjects = useMemo(() => [...s.subjects].sort((a, b) => a.name.localeCompare(b.name, 'ru')), [s.subjects]);
  const groupLabel = (g: Group) => `${g.name}${g.kind === 'class' ? '' : ` (${GROUP_KIND_LABELS[g.kind]})`}`;

  const columns = useMemo<EditColumn<Course>[]>(() => [
    {
      id: 'groupId', header: 'Группа', className: 'st-nowrap',
      view: (k) => { const g = groupOf.get(k.groupId); return g ? <span className="st-grp"><b>{g.name}</b>{g.kind !== 'class' && <span className="muted"> · {GROUP_KIND_LABELS[g.kind]}</span>}<span className="muted st-grp-total"> · всего {hoursText(groupHours.get(g.id) ?? 0)}</span></span> : k.groupId; },
      text: (k) => groupOf.get(k.groupId)?.name ?? '',
      editor: { kind: 'select', options: shownGroups.map((g) => ({ value: g.id, label: groupLabel(g) })) },
    },
    { id: 'subjectId', header: 'Предмет', view: (k) => subjectOf.get(k.subjectId)?.name ?? k.subjectId, text: (k) => subjectOf.get(k.subjectId)?.name ?? '', editor: { kind: 'select', options: subjects.map((x) => ({ value: x.id, label: x.name })) } },
    { id: 'hours', header: 'Часов в неделю', view: (k) => decimal(k.hoursPerWeek, 1), text: (k) => decimal(k.hoursPerWeek, 1), editor: { kind: 'number', min: 0.5, max: 12, step: 0.5 }, className: 'num' },
    {
      id: 'teacherId', header: 'Учитель',
      view: (k) => { const t = k.teacherId ? staffOf.get(k.teacherId) : undefined; return t ? fullName(t) : <span className="st-warn">не назначен</span>; },
      text: (k) => { const t = k.teacherId ? staffOf.get(k.teacherId) : undefined; return t ? fullName(t) : 'не назначен'; },
      editor: { kind: 'select', options: [{ value: '', label: '— не назначен —' }, ...teachers.map((p) => ({ value: p.id, label: fullName(p) }))] },
    },
  ], [groupOf, groupHours, shownGroups, subjectOf, subjects, staffOf, teachers]);

  const weeks = useMemo(() => classWeeks(classes, s.groups, yearCourses).filter((w) => grade === null || w.grade === grade), [classes, s.groups, yearCourses, grade]);
  const loads = useMemo(() => teacherLoads(classes, s.groups, yearCourses).sort((a, b) => b.hours - a.hours), [classes, s.groups, yearCourses]);
  const unassigned = yearCourses.filter((k) => !k.teacherId).length;

  return (
    <div className="st-grid st-grid-plan">
      <section className="st-section st-plan" aria-labelledby="cur-plan">
        <h2 id="cur-plan" className="st-h">Предметы групп: часы и учителя</h2>
        {shownGroups.length === 0 ? <p className="st-lead">Нет групп{grade ? ` в ${grade} классах` : ''}: создайте классы и их группы в разделе «Классы и предметы».</p> : (
          <EditTable caption="Учебный план" rows={rows} rowId={(k) => k.id} columns={columns} empty="В учебном плане нет предметов"
            rowClass={(k, prev) => (!prev ? '' : prev.groupId !== k.groupId ? 'st-group-start' : 'st-cont')}
            toDraft={(k) => ({ groupId: k.groupId, subjectId: k.subjectId, hours: String(k.hoursPerWeek), teacherId: k.teacherId ?? '' })}
            blank={() => ({ groupId: shownGroups[0]?.id ?? '', subjectId: subjects[0]?.id ?? '', hours: '1', teacherId: '' })}
            addLabel="Предмет группе"
            save={async (d, k) => {
              const hours = Number((d.hours ?? '').replace(',', '.'));
              if (!d.groupId) return inputProblem('Выберите группу');
              if (!d.subjectId) return inputProblem('Выберите предмет');
              if (!Number.isFinite(hours) || hours < 0.5 || hours > 12 || Math.round(hours * 2) !== hours * 2) return inputProblem('Часов в неделю — от 0,5 до 12, с шагом 0,5');
              if (yearCourses.some((x) => x.id !== k?.id && x.groupId === d.groupId && x.subjectId === d.subjectId)) {
                return inputProblem(`У группы «${groupOf.get(d.groupId)?.name ?? ''}» уже есть предмет «${subjectOf.get(d.subjectId)?.name ?? ''}»: измените его строку`);
              }
              return change('course.set', { id: k?.id ?? newRecordId('course'), yearId, groupId: d.groupId, subjectId: d.subjectId, hoursPerWeek: hours, ...(d.teacherId ? { teacherId: d.teacherId } : {}) });
            }}
            remove={(k) => change('course.remove', { id: k.id })}
            removeQuestion={(k) => `Убрать «${subjectOf.get(k.subjectId)?.name ?? ''}» из плана группы «${groupOf.get(k.groupId)?.name ?? ''}»? Уроки, которые уже проведены, останутся в журнале.`}
            savedText={(d) => `${groupOf.get(d.groupId ?? '')?.name ?? ''}: «${subjectOf.get(d.subjectId ?? '')?.name ?? ''}» сохранён`} />
        )}
      </section>
      <section className="st-section" aria-labelledby="cur-weeks">
        <h2 id="cur-weeks" className="st-h">Часов в неделю по классам</h2>
        <p className="st-help">Весь класс, и для предмета, который ведётся только по подгруппам, — часы одной подгруппы.</p>
        <table className="table st-table" aria-labelledby="cur-weeks">
          <thead><tr><th scope="col">Класс</th><th scope="col" className="num">Часов в неделю</th><th scope="col" className="num">Предметов</th></tr></thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.classId} data-class={w.name}>
                <th scope="row">{w.name}</th>
                <td className="num st-total">{decimal(w.hours, 1)}</td>
                <td className="num">{w.subjects}</td>
              </tr>
            ))}
            {weeks.length === 0 && <tr><td colSpan={3} className="st-empty">Классов нет</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="st-section" aria-labelledby="cur-load">
        <h2 id="cur-load" className="st-h">Нагрузка учителей{unassigned ? <span className="st-warn"> · без учителя: {unassigned}</span> : null}</h2>
        <LoadTable loads={loads} staffOf={staffOf} />
      </section>
    </div>
  );
}

function LoadTable({ loads, staffOf }: { loads: TeacherLoad[]; staffOf: Map<string, SetupView['staff'][number]> }) {
  const columns = useMemo<EditColumn<TeacherLoad>[]>(() => [
    { id: 'teacher', header: 'Учитель', view: (l) => { const p = staffOf.get(l.teacherId); return p ? <span title={fullName(p)}>{staffShort(p)}</span> : l.teacherId; }, text: (l) => { const p = staffOf.get(l.teacherId); return p ? `${fullName(p)} ${staffShort(p)}` : ''; }, className: 'st-nowrap' },
    { id: 'hours', header: 'Часов в неделю', view: (l) => <span className="st-total">{decimal(l.hours, 1)}</span>, text: (l) => decimal(l.hours, 1), className: 'num' },
    { id: 'courses', header: 'Групп', view: (l) => l.courses, text: () => '', className: 'num' },
    { id: 'classes', header: 'Классы', view: (l) => l.classes.join(', '), text: (l) => l.classes.join(', ') },
  ], [staffOf]);
  return <EditTable caption="Нагрузка учителей" rows={loads} rowId={(l) => l.teacherId} columns={columns} empty="Учителя ещё не назначены" />;
}
