/**
 * Учебный год (R-SETUP, п. 9.6): the years, the period scheme of each level (НОО/ООО/СОО), the
 * study periods, the holidays (some only for certain grades) and the bell times. Each save is one
 * contract call; dates are checked against the year before they are sent.
 */
import { useMemo, useState } from 'react';
import type { SetupView } from '../../../src-shared/contract/admin';
import { LEVELS, PERIOD_SCHEMES, type Level, type PeriodScheme } from '../../../src-shared/domain/school';
import { useSession } from '../../app/session';
import { dmy } from '../../app/format';
import { ErrorState, Loading } from '../../components/States';
import { EditTable, type EditColumn } from './setup-shared/EditTable';
import { inputProblem, useChange, useSetup } from './setup-shared/data';
import { newRecordId } from './setup-shared/ids';
import { LEVEL_LABELS, LEVEL_SHORT, SCHEME_LABELS, SCHEME_SIZE } from './setup-shared/labels';
import { bellProblem, datesProblem, parseGrades } from './setup-shared/year-plan';
import { YearNewForm } from './YearNewForm';

type Year = SetupView['years'][number];
type Period = SetupView['periods'][number];
type Holiday = SetupView['holidays'][number];
type Bell = SetupView['bells'][number];
type LevelRow = { level: Level; scheme: PeriodScheme | null };

const schemeOptions = PERIOD_SCHEMES.map((s) => ({ value: s, label: SCHEME_LABELS[s] }));
const dateView = (d: string) => <span className="num">{dmy(d)}</span>;

export function SchoolYearPage(_: { params: string[] }) {
  const { session } = useSession();
  const setup = useSetup();
  const change = useChange(setup.refresh);
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const s = setup.value;
  const yearId = chosen && s?.years.some((y) => y.id === chosen) ? chosen : s?.yearId ?? s?.years[0]?.id ?? null;
  const year = s?.years.find((y) => y.id === yearId) ?? null;

  if (!s) return setup.status === 'error' ? <ErrorState error={setup.error} retry={() => void setup.refresh()} /> : <Loading what="Загружаем настройки школы" />;

  return (
    <div className="st-page">
      <div className="toolbar" role="toolbar" aria-label="Учебный год">
        <label className="tb-field"><span>Учебный год</span>
          <select value={yearId ?? ''} onChange={(e) => setChosen(e.target.value)} disabled={s.years.length === 0}>
            {s.years.map((y) => <option key={y.id} value={y.id}>{y.name}{y.id === s.yearId ? ' (текущий)' : ''}{y.closed ? ' — закрыт' : ''}</option>)}
          </select>
        </label>
        {year && <span className="tb-meta">{dmy(year.starts)} – {dmy(year.ends)}</span>}
        <button type="button" className="btn" onClick={() => setCreating(true)} disabled={creating}>+ Новый учебный год</button>
      </div>
      <div className="st-body">
        {creating && (
          <YearNewForm years={s.years} today={session.today} change={change} refresh={setup.refresh}
            onDone={(id) => { setCreating(false); if (id) setChosen(id); }} />
        )}
        {s.years.length === 0 && !creating && <p className="st-lead">В журнале ещё нет учебного года: создайте его кнопкой «Новый учебный год».</p>}
        {year && (
          <div className="st-grid">
            <section className="st-section" aria-labelledby="sy-years">
              <h2 id="sy-years" className="st-h">Учебные годы</h2>
              <YearsTable years={s.years} change={change} />
            </section>
            <section className="st-section" aria-labelledby="sy-levels">
              <h2 id="sy-levels" className="st-h">Учебные периоды по уровням образования</h2>
              <LevelsTable s={s} year={year} change={change} />
            </section>
            <section className="st-section st-wide" aria-labelledby="sy-periods">
              <h2 id="sy-periods" className="st-h">Четверти, триместры, полугодия — {year.name}</h2>
              <PeriodsTable s={s} year={year} change={change} />
            </section>
            <section className="st-section st-wide" aria-labelledby="sy-holidays">
              <h2 id="sy-holidays" className="st-h">Каникулы и праздничные дни — {year.name}</h2>
              <HolidaysTable s={s} year={year} change={change} />
            </section>
            <section className="st-section" aria-labelledby="sy-bells">
              <h2 id="sy-bells" className="st-h">Расписание звонков — {year.name}</h2>
              <BellsTable s={s} year={year} change={change} />
            </section>
          </div>
        )}
      </div>
    </div>
  );
}

type Change = ReturnType<typeof useChange>;

function YearsTable({ years, change }: { years: Year[]; change: Change }) {
  const columns = useMemo<EditColumn<Year>[]>(() => [
    { id: 'name', header: 'Название', view: (y) => y.name, text: (y) => y.name, editor: { kind: 'text', maxLength: 40 } },
    { id: 'starts', header: 'Начало', view: (y) => dateView(y.starts), text: (y) => dmy(y.starts), editor: { kind: 'date' } },
    { id: 'ends', header: 'Окончание', view: (y) => dateView(y.ends), text: (y) => dmy(y.ends), editor: { kind: 'date' } },
    { id: 'closed', header: 'Состояние', view: (y) => (y.closed ? 'закрыт' : 'открыт'), text: (y) => (y.closed ? 'закрыт' : 'открыт'), editor: { kind: 'select', options: [{ value: 'no', label: 'открыт' }, { value: 'yes', label: 'закрыт' }] } },
  ], []);
  return (
    <EditTable caption="Учебные годы" rows={years} rowId={(y) => y.id} columns={columns} empty="Учебных годов нет"
      toDraft={(y) => ({ name: y.name, starts: y.starts, ends: y.ends, closed: y.closed ? 'yes' : 'no' })}
      save={async (d, y) => {
        if (!d.name?.trim()) return inputProblem('Укажите название учебного года, например 2026/2027');
        const p = datesProblem(d.starts ?? '', d.ends ?? '', null, 'Учебный год');
        if (p) return inputProblem(p);
        return change('year.set', { id: y!.id, name: d.name.trim(), starts: d.starts!, ends: d.ends!, closed: d.closed === 'yes' });
      }}
      savedText={(d) => `Учебный год ${d.name} сохранён`} />
  );
}

function LevelsTable({ s, year, change }: { s: SetupView; year: Year; change: Change }) {
  const rows = useMemo<LevelRow[]>(() => LEVELS.map((level) => ({ level, scheme: s.levelSchemes.find((l) => l.yearId === year.id && l.level === level)?.scheme ?? null })), [s.levelSchemes, year.id]);
  const columns = useMemo<EditColumn<LevelRow>[]>(() => {
    const count = (scheme: PeriodScheme) => s.periods.filter((p) => p.yearId === year.id && p.scheme === scheme).length;
    return [
    { id: 'level', header: 'Уровень', view: (r) => LEVEL_LABELS[r.level], text: (r) => LEVEL_LABELS[r.level] },
    { id: 'scheme', header: 'Делится на', view: (r) => (r.scheme ? SCHEME_LABELS[r.scheme] : <span className="muted">не выбрано</span>), text: (r) => (r.scheme ? SCHEME_LABELS[r.scheme] : ''), editor: { kind: 'select', options: schemeOptions } },
    {
      id: 'periods', header: 'Периоды в году',
      view: (r) => {
        if (!r.scheme) return '';
        const n = count(r.scheme);
        return n === SCHEME_SIZE[r.scheme] ? `${n} из ${SCHEME_SIZE[r.scheme]}` : <span className="st-warn">{n} из {SCHEME_SIZE[r.scheme]} — добавьте периоды</span>;
      },
      text: () => '',
    },
    ];
  }, [s.periods, year.id]);
  return (
    <EditTable caption="Учебные периоды по уровням образования" rows={rows} rowId={(r) => r.level} columns={columns} empty=""
      toDraft={(r) => ({ scheme: r.scheme ?? 'quarters' })}
      save={(d, r) => change('levelScheme.set', { yearId: year.id, level: r!.level, scheme: d.scheme as PeriodScheme })}
      savedText={(d, r) => `${r ? LEVEL_SHORT[r.level] : ''}: ${SCHEME_LABELS[d.scheme as PeriodScheme]}`} />
  );
}

function PeriodsTable({ s, year, change }: { s: SetupView; year: Year; change: Change }) {
  const rows = useMemo(() => s.periods.filter((p) => p.yearId === year.id).sort((a, b) => PERIOD_SCHEMES.indexOf(a.scheme) - PERIOD_SCHEMES.indexOf(b.scheme) || a.number - b.number), [s.periods, year.id]);
  const used = new Set(s.levelSchemes.filter((l) => l.yearId === year.id).map((l) => l.scheme));
  const columns = useMemo<EditColumn<Period>[]>(() => [
    { id: 'scheme', header: 'Система', view: (p) => SCHEME_LABELS[p.scheme], text: (p) => SCHEME_LABELS[p.scheme], editor: { kind: 'select', options: schemeOptions } },
    { id: 'number', header: '№', view: (p) => p.number, text: (p) => String(p.number), editor: { kind: 'number', min: 1, max: 4 }, className: 'num' },
    { id: 'name', header: 'Название', view: (p) => p.name, text: (p) => p.name, editor: { kind: 'text', maxLength: 40 } },
    { id: 'starts', header: 'Начало', view: (p) => dateView(p.starts), text: (p) => dmy(p.starts), editor: { kind: 'date' } },
    { id: 'ends', header: 'Окончание', view: (p) => dateView(p.ends), text: (p) => dmy(p.ends), editor: { kind: 'date' } },
  ], []);
  return (
    <EditTable caption={`Учебные периоды ${year.name}`} rows={rows} rowId={(p) => p.id} columns={columns} empty="Периодов нет: добавьте их"
      rowClass={(p, prev) => `${prev && prev.scheme !== p.scheme ? 'st-group-start' : ''}${used.has(p.scheme) ? '' : ' st-unused'}`}
      toDraft={(p) => ({ scheme: p.scheme, number: String(p.number), name: p.name, starts: p.starts, ends: p.ends })}
      blank={() => ({ scheme: [...used][0] ?? 'quarters', number: '1', name: '', starts: year.starts, ends: year.starts })}
      addLabel="Период"
      save={async (d, p) => {
        const number = Number(d.number);
        if (!Number.isInteger(number) || number < 1 || number > 4) return inputProblem('Номер периода — от 1 до 4');
        if (!d.name?.trim()) return inputProblem('Укажите название периода, например «I четверть»');
        const bad = datesProblem(d.starts ?? '', d.ends ?? '', year, d.name.trim());
        if (bad) return inputProblem(bad);
        return change('period.set', { id: p?.id ?? newRecordId('period'), yearId: year.id, scheme: d.scheme as PeriodScheme, number, name: d.name.trim(), starts: d.starts!, ends: d.ends! });
      }}
      remove={(p) => change('period.remove', { id: p.id })}
      removeQuestion={(p) => `Удалить период «${p.name}» (${SCHEME_LABELS[p.scheme]})?`}
      savedText={(d) => `Период «${d.name}» сохранён`} />
  );
}

function HolidaysTable({ s, year, change }: { s: SetupView; year: Year; change: Change }) {
  const rows = useMemo(() => s.holidays.filter((h) => h.yearId === year.id).sort((a, b) => a.starts.localeCompare(b.starts)), [s.holidays, year.id]);
  const gradesText = (h: Holiday) => (h.grades ? h.grades.join(', ') : '');
  const columns = useMemo<EditColumn<Holiday>[]>(() => [
    { id: 'name', header: 'Название', view: (h) => h.name, text: (h) => h.name, editor: { kind: 'text', maxLength: 80, width: 280 } },
    { id: 'starts', header: 'Начало', view: (h) => dateView(h.starts), text: (h) => dmy(h.starts), editor: { kind: 'date' } },
    { id: 'ends', header: 'Окончание', view: (h) => dateView(h.ends), text: (h) => dmy(h.ends), editor: { kind: 'date' } },
    { id: 'grades', header: 'Для классов', view: (h) => (h.grades ? `${gradesText(h)} кл.` : <span className="muted">все</span>), text: (h) => (h.grades ? `${gradesText(h)} кл.` : 'все'), editor: { kind: 'text', maxLength: 40, placeholder: 'все; или 1, 2', width: 110 } },
  ], []);
  return (
    <EditTable caption={`Каникулы ${year.name}`} rows={rows} rowId={(h) => h.id} columns={columns} empty="Каникул нет"
      toDraft={(h) => ({ name: h.name, starts: h.starts, ends: h.ends, grades: gradesText(h) })}
      blank={() => ({ name: '', starts: '', ends: '', grades: '' })}
      addLabel="Каникулы"
      save={async (d, h) => {
        if (!d.name?.trim()) return inputProblem('Укажите название каникул');
        const bad = datesProblem(d.starts ?? '', d.ends ?? '', year, d.name.trim());
        if (bad) return inputProblem(bad);
        const g = parseGrades(d.grades ?? '');
        if ('problem' in g) return inputProblem(g.problem);
        return change('holiday.set', { id: h?.id ?? newRecordId('holiday'), yearId: year.id, name: d.name.trim(), starts: d.starts!, ends: d.ends!, ...(g.grades ? { grades: g.grades } : {}) });
      }}
      remove={(h) => change('holiday.remove', { id: h.id })}
      removeQuestion={(h) => `Удалить «${h.name}» (${dmy(h.starts)}–${dmy(h.ends)})?`}
      savedText={(d) => `«${d.name}» сохранены`} />
  );
}

function BellsTable({ s, year, change }: { s: SetupView; year: Year; change: Change }) {
  const rows = useMemo(() => s.bells.filter((b) => b.yearId === year.id).sort((a, b) => a.number - b.number), [s.bells, year.id]);
  const columns = useMemo<EditColumn<Bell>[]>(() => [
    { id: 'number', header: 'Урок', view: (b) => b.number, text: (b) => String(b.number), editor: { kind: 'number', min: 0, max: 12 }, newOnly: true, className: 'num' },
    { id: 'starts', header: 'Начало', view: (b) => <span className="num">{b.starts}</span>, text: (b) => b.starts, editor: { kind: 'time' } },
    { id: 'ends', header: 'Окончание', view: (b) => <span className="num">{b.ends}</span>, text: (b) => b.ends, editor: { kind: 'time' } },
  ], []);
  const next = rows.length ? Math.min(12, rows[rows.length - 1]!.number + 1) : 1;
  return (
    <EditTable caption={`Звонки ${year.name}`} rows={rows} rowId={(b) => String(b.number)} columns={columns} empty="Звонков нет"
      toDraft={(b) => ({ number: String(b.number), starts: b.starts, ends: b.ends })}
      blank={() => ({ number: String(next), starts: '', ends: '' })}
      addLabel="Урок"
      save={async (d, b) => {
        const number = b?.number ?? Number(d.number);
        const bad = bellProblem(number, d.starts ?? '', d.ends ?? '');
        if (bad) return inputProblem(bad);
        if (!b && rows.some((x) => x.number === number)) return inputProblem(`Урок ${number} уже есть в расписании звонков: измените его строку`);
        return change('bell.set', { yearId: year.id, number, starts: d.starts!, ends: d.ends! });
      }}
      savedText={(d) => `Звонки на урок ${d.number} сохранены`} />
  );
}
