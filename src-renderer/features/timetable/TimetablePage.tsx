/**
 * «Расписание» — the methodist's week grid of a class (п. 7.12, 9.3): days × lesson numbers with
 * the bell times; a cell holds the course (subject, group, teacher) and the room. Enter or a click
 * edits a cell in place with a picker of the class's courses; a clash is refused at the cell with
 * its clause. «Сформировать уроки» forms the lessons of a period from the timetable.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { GenerateResult, TimetableWeek } from '../../../src-shared/contract/timetable';
import { addDays, weekStart } from '../../../src-shared/domain/values';
import { useQuery, useTransport, type Failure } from '../../app/data';
import { dmy, plural, weekRange } from '../../app/format';
import { navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';
import { FailureNotice, ModalDialog } from '../admin/admin-shared/ModalDialog';
import { newRecordId } from '../admin/admin-shared/record-id';
import { useChange } from '../admin/admin-shared/use-change';
import { useSchoolClasses } from './classes';
import './timetable.css';

const DAY_NAMES = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота'];

export function TimetablePage({ params }: { params: string[] }) {
  const { session } = useSession();
  const school = useSchoolClasses();
  const [classId, weekParam] = params;
  const cls = school.classes.find((c) => c.id === classId);
  const week = weekParam && /^\d{4}-\d{2}-\d{2}$/.test(weekParam) ? weekStart(weekParam) : null;
  useEffect(() => {
    if (school.classes.length && (!cls || !week)) redirect('timetable', cls?.id ?? school.classes[0]!.id, week ?? weekStart(session.today));
  }, [cls, week, school.classes, session.today]);
  const q = useQuery('timetable.week', cls && week ? { classId: cls.id, week } : null);
  const [generating, setGenerating] = useState(false);

  if (school.status === 'error') return <ErrorState error={school.error} />;
  if (school.status === 'loading') return <Loading />;
  if (school.classes.length === 0) return <Empty title="Нет классов">В текущем учебном году ещё нет классов: их заводит ответственный за техподдержку.</Empty>;
  if (!cls || !week) return <Loading />;
  return (
    <div className="tt">
      <div className="toolbar" role="toolbar" aria-label="Расписание">
        <label className="tb-field"><span>Класс</span>
          <select value={cls.id} onChange={(e) => navigate('timetable', e.target.value, week)}>{school.classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
        </label>
        <span className="tb-title">Неделя {weekRange(week)}</span>
        <button type="button" className="btn" onClick={() => navigate('timetable', cls.id, addDays(week, -7))}>← Предыдущая</button>
        <button type="button" className="btn" onClick={() => navigate('timetable', cls.id, addDays(week, 7))}>Следующая →</button>
        <button type="button" className="btn btn-primary" onClick={() => setGenerating(true)}>Сформировать уроки…</button>
        <button type="button" className="btn" onClick={() => navigate('changes', cls.id, session.today)}>Изменения на день</button>
      </div>
      {q.status === 'error' ? <ErrorState error={q.error} retry={q.reload} />
        : !q.value ? <Loading what="Загружаем расписание" />
        : <WeekGrid w={q.value} className={cls.name} validFrom={school.year?.starts ?? week} reload={q.reload} />}
      {generating && <GenerateDialog classId={cls.id} className={cls.name} from={session.today > (school.year?.starts ?? '') ? session.today : school.year!.starts} to={school.year?.ends ?? addDays(week, 6)}
        onClose={() => { setGenerating(false); q.reload(); }} />}
    </div>
  );
}

type Slot = TimetableWeek['slots'][number];
interface Draft { slotId: string | null; courseId: string; room: string; validFrom: string; kind: Slot['kind'] }

function WeekGrid({ w, className, validFrom, reload }: { w: TimetableWeek; className: string; validFrom: string; reload: () => void }) {
  const numbers = useMemo(() => {
    const set = new Set<number>([...w.bells.map((b) => b.number), ...w.slots.map((s) => s.number)]);
    if (set.size === 0) for (let n = 1; n <= 7; n++) set.add(n);
    return [...set].sort((a, b) => a - b);
  }, [w]);
  const courses = new Map(w.courses.map((c) => [c.id, c]));
  const [editing, setEditing] = useState<{ weekday: number; number: number } | null>(null);
  const [refusal, setRefusal] = useState<{ weekday: number; number: number; failure: Failure } | null>(null);

  function move(e: KeyboardEvent<HTMLTableCellElement>, r: number, c: number) {
    const to = { ArrowRight: [r, c + 1], ArrowLeft: [r, c - 1], ArrowDown: [r + 1, c], ArrowUp: [r - 1, c] }[e.key];
    if (to) {
      e.preventDefault();
      document.querySelector<HTMLElement>(`[data-cell="${to[0]}-${to[1]}"]`)?.focus();
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      setEditing({ weekday: c + 1, number: numbers[r]! });
    }
  }

  return (
    <div className="tt-body">
      <table className="tt-grid" aria-label={`Расписание ${className} класса`}>
        <thead>
          <tr><th scope="col" className="tt-num">Урок</th>{w.days.map((d, i) => <th key={d} scope="col">{DAY_NAMES[i]}<span className="tt-date">{dmy(d).slice(0, 5)}</span></th>)}</tr>
        </thead>
        <tbody>
          {numbers.map((n, r) => {
            const bell = w.bells.find((b) => b.number === n);
            return (
              <tr key={n}>
                <th scope="row" className="tt-num">{n}<span className="tt-bell">{bell ? `${bell.starts}–${bell.ends}` : ''}</span></th>
                {w.days.map((date, c) => {
                  const weekday = c + 1;
                  const here = w.slots.filter((s) => s.weekday === weekday && s.number === n);
                  const lessons = w.lessons.filter((l) => l.date === date && l.number === n);
                  const isEditing = editing?.weekday === weekday && editing.number === n;
                  const failure = refusal && refusal.weekday === weekday && refusal.number === n ? refusal.failure : null;
                  const label = here.map((s) => { const k = courses.get(s.courseId); return `${k?.subjectName ?? ''} ${k?.teacherName ?? ''}${s.room ? `, кабинет ${s.room}` : ''}`; }).join('; ') || 'нет урока';
                  return (
                    <td key={date} className={`tt-cell${isEditing ? ' is-editing' : ''}${failure ? ' is-refused' : ''}`} data-cell={`${r}-${c}`} tabIndex={isEditing ? -1 : 0}
                      aria-label={`${DAY_NAMES[c]}, ${n}-й урок: ${label}`} onKeyDown={isEditing ? undefined : (e) => move(e, r, c)}
                      onClick={isEditing ? undefined : () => setEditing({ weekday, number: n })}>
                      {isEditing ? (
                        <CellEditor w={w} slots={here} weekday={weekday} number={n} validFrom={validFrom}
                          onDone={(f) => { setEditing(null); setRefusal(f ? { weekday, number: n, failure: f } : null); reload(); requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-cell="${r}-${c}"]`)?.focus()); }} />
                      ) : (
                        <>
                          {here.map((s) => {
                            const k = courses.get(s.courseId);
                            return (
                              <div key={s.id} className="tt-slot">
                                <b>{k?.subjectShort || k?.subjectName}</b>{k && k.groupName !== className ? <span className="tt-group"> {k.groupName}</span> : null}
                                <span className="tt-who">{k?.teacherName ?? 'учитель не назначен'}{s.room ? ` · ${roomLabel(s.room)}` : ''}</span>
                              </div>
                            );
                          })}
                          {lessons.map((l) => <LessonMark key={l.id} l={l} />)}
                          {failure && <div className="tt-refusal" role="alert">{failure.message}</div>}
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="tt-hint">Стрелки — переход по клеткам, Enter — изменить урок в расписании. Накладки учителя, кабинета или класса не принимаются (п. 7.12, 9.3).</p>
    </div>
  );
}

/** «каб. 21»; a room already named («спортзал», «каб. 21») as it is. */
const roomLabel = (room: string) => (/^\d/.test(room) ? `каб. ${room}` : room);

function LessonMark({ l }: { l: TimetableWeek['lessons'][number] }) {
  if (l.status === 'cancelled') return <div className="tt-change is-cancelled">урок отменён</div>;
  if (l.substitute) return <div className="tt-change">замена: {l.substitute.name}</div>;
  if (l.movedFrom) return <div className="tt-change">перенесён с {dmy(l.movedFrom).slice(0, 5)}</div>;
  return null;
}

/** The cell in place: each slot of it as a course and a room, and a row for one more (a second group). */
function CellEditor({ w, slots, weekday, number, validFrom, onDone }: {
  w: TimetableWeek; slots: Slot[]; weekday: number; number: number; validFrom: string; onDone: (refusal: Failure | null) => void;
}) {
  const t = useTransport();
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<Draft[]>(() => [
    ...slots.map((s) => ({ slotId: s.id, courseId: s.courseId, room: s.room ?? '', validFrom: s.validFrom, kind: s.kind })),
    { slotId: null, courseId: '', room: '', validFrom, kind: 'main' as const },
  ]);
  const set = (i: number, patch: Partial<Draft>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  /** Each changed row is one op; the first refusal stops and is shown at the cell. */
  async function save() {
    setBusy(true);
    try {
      for (const r of rows) {
        const was = r.slotId ? slots.find((s) => s.id === r.slotId) : undefined;
        if (!r.courseId && !was) continue;
        if (was && was.courseId === r.courseId && (was.room ?? '') === r.room.trim()) continue;
        const res = was && !r.courseId
          ? await t.call('slot.remove', { id: was.id })
          : await t.call('slot.set', { id: r.slotId ?? newRecordId('slot'), courseId: r.courseId, weekday, number, validFrom: r.validFrom, kind: r.kind, ...(r.room.trim() ? { room: r.room.trim() } : {}) });
        if (!res.ok) return onDone(res.error);
      }
      onDone(null);
    } catch {
      onDone({ code: 'internal', message: 'Программа не ответила: расписание не изменено' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="tt-editor" onSubmit={(e) => { e.preventDefault(); void save(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onDone(null); } }}>
      {rows.map((r, i) => (
        <div key={r.slotId ?? `new-${i}`} className="tt-editor-row">
          <select aria-label={i < slots.length ? 'Предмет' : 'Ещё предмет (вторая группа)'} value={r.courseId} autoFocus={i === 0} onChange={(e) => set(i, { courseId: e.target.value })}>
            <option value="">{i < slots.length ? '— убрать урок —' : '— нет —'}</option>
            {w.courses.map((k) => <option key={k.id} value={k.id}>{k.subjectName} — {k.groupName}{k.teacherName ? `, ${k.teacherName}` : ''}</option>)}
          </select>
          <input aria-label="Кабинет" placeholder="каб." value={r.room} maxLength={20} onChange={(e) => set(i, { room: e.target.value })} />
        </div>
      ))}
      <div className="tt-editor-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>Сохранить</button>
        <button type="button" className="btn btn-small" onClick={() => onDone(null)}>Отмена</button>
      </div>
    </form>
  );
}

function GenerateDialog({ classId, className, from: from0, to: to0, onClose }: { classId: string; className: string; from: string; to: string; onClose: () => void }) {
  const change = useChange();
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(to0);
  const [onlyClass, setOnlyClass] = useState(true);
  const [result, setResult] = useState<GenerateResult | null>(null);
  async function run() {
    setResult(await change.run('lessons.generate', { from, to, ...(onlyClass ? { classId } : {}) }));
  }
  return (
    <ModalDialog title="Сформировать уроки по расписанию" wide onClose={onClose}
      meta="Недостающие уроки создаются; незаполненные уроки, которых больше нет в расписании, удаляются. Проведённые уроки и уроки с записями остаются (п. 7.12, 9.3).">
      <form onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <div className="adm-grid2">
          <label className="field"><span className="field-label">С</span><input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required /></label>
          <label className="field"><span className="field-label">По</span><input type="date" value={to} onChange={(e) => setTo(e.target.value)} required /></label>
        </div>
        <label className="adm-checks"><span><input type="checkbox" checked={onlyClass} onChange={(e) => setOnlyClass(e.target.checked)} /> Только {className} класс (иначе — вся школа)</span></label>
        <FailureNotice failure={change.failure} />
        {result && (
          <div className="tt-result" role="status">
            <p><b>Создано {result.created} {plural(result.created, 'урок', 'урока', 'уроков')}</b>, удалено {result.removed}, оставлено без изменений {result.kept.length}.</p>
            {result.kept.length > 0 && (
              <table className="st-table">
                <thead><tr><th>Урок</th><th>Почему остался</th></tr></thead>
                <tbody>{result.kept.map((k) => <tr key={k.lessonId}><td>{k.what}</td><td>{k.why}</td></tr>)}</tbody>
              </table>
            )}
          </div>
        )}
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={change.busy}>Сформировать</button>
          <button type="button" className="btn" onClick={onClose}>Закрыть</button>
        </div>
      </form>
    </ModalDialog>
  );
}
