/**
 * «Новый учебный год»: the usual calendar proposed (1 September – 31 May, four quarters, the
 * holidays between them) for the administrator to adjust, then sent as the year, the scheme of
 * every level, its periods and holidays — one call each, stopping at the first refusal.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SetupView } from '../../../src-shared/contract/admin';
import { LEVELS, PERIOD_SCHEMES, type PeriodScheme } from '../../../src-shared/domain/school';
import { NoticeLine } from '../../components/States';
import type { useChange, Problem } from './setup-shared/data';
import { newRecordId } from './setup-shared/ids';
import { SCHEME_LABELS } from './setup-shared/labels';
import { datesProblem, nextStartYear, proposePeriods, proposeYear, type HolidayDraft, type PeriodDraft } from './setup-shared/year-plan';

interface Props {
  years: SetupView['years'];
  today: string;
  change: ReturnType<typeof useChange>;
  refresh: () => Promise<void>;
  /** The new year's id, or null when cancelled. */
  onDone: (yearId: string | null) => void;
}

export function YearNewForm({ years, today, change, refresh, onDone }: Props) {
  const [startYear, setStartYear] = useState(() => nextStartYear(years, today));
  const [plan, setPlan] = useState(() => proposeYear(startYear));
  const [scheme, setScheme] = useState<PeriodScheme>('quarters');
  const [holidayOn, setHolidayOn] = useState<boolean[]>(() => plan.holidays.map(() => true));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // The form opens above the tables: bring it into view with the focus on its first field.
  useEffect(() => {
    const body = formRef.current?.closest('.st-body');
    if (body) body.scrollTop = 0;
    formRef.current?.querySelector('input')?.focus({ preventScroll: true });
  }, []);

  function restart(y: number, s: PeriodScheme) {
    const p = proposeYear(y, s);
    setStartYear(y);
    setScheme(s);
    setPlan(p);
    setHolidayOn(p.holidays.map(() => true));
  }
  const setPeriod = (i: number, patch: Partial<PeriodDraft>) => setPlan((p) => ({ ...p, periods: p.periods.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const setHoliday = (i: number, patch: Partial<HolidayDraft>) => setPlan((p) => ({ ...p, holidays: p.holidays.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const name = plan.name.trim();
    const input = (message: string) => setProblem({ level: 'input', message });
    if (!name) return input('Укажите название учебного года, например 2027/2028');
    if (years.some((y) => y.name === name)) return input(`Учебный год ${name} уже есть`);
    const bad = datesProblem(plan.starts, plan.ends, null, 'Учебный год');
    if (bad) return input(bad);
    const year = { name, starts: plan.starts, ends: plan.ends };
    for (const p of plan.periods) {
      const b = datesProblem(p.starts, p.ends, year, p.name || `Период ${p.number}`);
      if (b) return input(b);
    }
    const holidays = plan.holidays.filter((_, i) => holidayOn[i]);
    for (const h of holidays) {
      const b = datesProblem(h.starts, h.ends, year, h.name || 'Каникулы');
      if (b) return input(b);
    }
    setBusy(true);
    setProblem(null);
    const free = `y${startYear}`;
    const id = years.some((y) => y.id === free) ? newRecordId('y') : free;
    const steps: { what: string; run: () => ReturnType<Props['change']> }[] = [
      { what: `учебный год ${name}`, run: () => change('year.set', { id, name, starts: plan.starts, ends: plan.ends, closed: false }, { reload: false }) },
      ...LEVELS.map((level) => ({ what: `система периодов (${level})`, run: () => change('levelScheme.set', { yearId: id, level, scheme }, { reload: false }) })),
      ...plan.periods.map((p) => ({ what: p.name, run: () => change('period.set', { id: `${id}-${scheme.slice(0, 1)}${p.number}`, yearId: id, scheme, number: p.number, name: p.name.trim(), starts: p.starts, ends: p.ends }, { reload: false }) })),
      ...holidays.map((h) => ({ what: h.name, run: () => change('holiday.set', { id: newRecordId('holiday'), yearId: id, name: h.name.trim(), starts: h.starts, ends: h.ends, ...(h.grades ? { grades: h.grades } : {}) }, { reload: false }) })),
    ];
    const done: string[] = [];
    for (const step of steps) {
      const o = await step.run();
      if (!o.ok) {
        setBusy(false);
        setProblem({ ...o.problem, message: `${step.what}: ${o.problem.message}${done.length ? `. Уже сохранено: ${done.join(', ')} — исправьте остальное в таблицах ниже` : ''}` });
        if (done.length) await refresh();
        return;
      }
      done.push(step.what);
    }
    await refresh();
    setBusy(false);
    onDone(id);
  }

  return (
    <form ref={formRef} className="st-card st-newyear" onSubmit={(e) => void submit(e)} aria-labelledby="ny-title"
      onKeyDown={(e) => { if (e.key === 'Escape' && !busy) onDone(null); }}>
      <h2 id="ny-title" className="st-h">Новый учебный год</h2>
      <p className="st-lead">Предложены обычные даты: с 1 сентября по 31 мая, учебные периоды и каникулы между ними. Исправьте их по календарному учебному графику школы.</p>
      <div className="st-row">
        <label className="field"><span className="field-label">Год начала</span>
          <input type="number" min={2000} max={2100} value={startYear} onChange={(e) => { const y = Number(e.target.value); if (Number.isInteger(y) && y >= 2000 && y <= 2100) restart(y, scheme); }} />
        </label>
        <label className="field"><span className="field-label">Название</span>
          <input type="text" maxLength={40} value={plan.name} onChange={(e) => setPlan({ ...plan, name: e.target.value })} />
        </label>
        <label className="field"><span className="field-label">Начало</span>
          <input type="date" value={plan.starts} onChange={(e) => setPlan({ ...plan, starts: e.target.value })} />
        </label>
        <label className="field"><span className="field-label">Окончание</span>
          <input type="date" value={plan.ends} onChange={(e) => setPlan({ ...plan, ends: e.target.value })} />
        </label>
        <label className="field"><span className="field-label">Учебные периоды (все уровни)</span>
          <select value={scheme} onChange={(e) => { const s = e.target.value as PeriodScheme; setScheme(s); setPlan((p) => ({ ...p, periods: proposePeriods(startYear, s) })); }}>
            {PERIOD_SCHEMES.map((s) => <option key={s} value={s}>{SCHEME_LABELS[s]}</option>)}
          </select>
        </label>
      </div>
      <div className="st-cols">
        <table className="table st-table">
          <caption className="st-caption">{SCHEME_LABELS[scheme][0]!.toUpperCase() + SCHEME_LABELS[scheme].slice(1)}</caption>
          <thead><tr><th scope="col">Название</th><th scope="col">Начало</th><th scope="col">Окончание</th></tr></thead>
          <tbody>
            {plan.periods.map((p, i) => (
              <tr key={p.number}>
                <td><input className="st-input" aria-label={`Период ${p.number}: название`} value={p.name} onChange={(e) => setPeriod(i, { name: e.target.value })} /></td>
                <td><input className="st-input" type="date" aria-label={`${p.name}: начало`} value={p.starts} onChange={(e) => setPeriod(i, { starts: e.target.value })} /></td>
                <td><input className="st-input" type="date" aria-label={`${p.name}: окончание`} value={p.ends} onChange={(e) => setPeriod(i, { ends: e.target.value })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table st-table">
          <caption className="st-caption">Каникулы</caption>
          <thead><tr><th scope="col">Добавить</th><th scope="col">Название</th><th scope="col">Начало</th><th scope="col">Окончание</th></tr></thead>
          <tbody>
            {plan.holidays.map((h, i) => (
              <tr key={i}>
                <td className="num"><input type="checkbox" aria-label={`Добавить «${h.name}»`} checked={holidayOn[i] ?? false} onChange={(e) => setHolidayOn(holidayOn.map((x, j) => (j === i ? e.target.checked : x)))} /></td>
                <td>{h.name}{h.grades && <span className="muted"> ({h.grades.join(', ')} кл.)</span>}</td>
                <td><input className="st-input" type="date" aria-label={`${h.name}: начало`} value={h.starts} onChange={(e) => setHoliday(i, { starts: e.target.value })} /></td>
                <td><input className="st-input" type="date" aria-label={`${h.name}: окончание`} value={h.ends} onChange={(e) => setHoliday(i, { ends: e.target.value })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problem && <div role="alert"><NoticeLine level={problem.level} message={problem.message} requirement={problem.requirement} clause={problem.clause} /></div>}
      <div className="st-actions-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Создаём…' : 'Создать учебный год'}</button>
        <button type="button" className="btn" onClick={() => onDone(null)} disabled={busy}>Отмена</button>
      </div>
    </form>
  );
}
