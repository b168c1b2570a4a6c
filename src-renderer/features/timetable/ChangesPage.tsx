/**
 * «Изменения» — the methodist's changes of one day for a class (п. 7.12, 7.13, 9.3): a
 * substitution (the substitute teacher and the reason), a move, a cancellation, an extra lesson.
 * From the moment a substitution is recorded the substitute keeps that lesson's page (R-SUBST).
 */
import { useEffect, useState } from 'react';
import type { TimetableWeek } from '../../../src-shared/contract/timetable';
import { useQuery } from '../../app/data';
import { longDate, weekdayName } from '../../app/format';
import { navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';
import { FailureNotice, ModalDialog } from '../admin/admin-shared/ModalDialog';
import { newRecordId } from '../admin/admin-shared/record-id';
import { useChange } from '../admin/admin-shared/use-change';
import { useSchoolClasses } from './classes';
import './timetable.css';

type Lesson = TimetableWeek['lessons'][number];
type Dialog = { kind: 'substitute' | 'move'; lesson: Lesson } | { kind: 'extra' };

const STATUS: Record<Lesson['status'], string> = { planned: 'по расписанию', held: 'проведён', cancelled: 'отменён', moved: 'перенесён' };

export function ChangesPage({ params }: { params: string[] }) {
  const { session } = useSession();
  const school = useSchoolClasses();
  const [classId, dateParam] = params;
  const cls = school.classes.find((c) => c.id === classId);
  const date = dateParam && /^\d{4}-\d{2}-\d{2}$/.test(dateParam) ? dateParam : null;
  useEffect(() => {
    if (school.classes.length && (!cls || !date)) redirect('changes', cls?.id ?? school.classes[0]!.id, date ?? session.today);
  }, [cls, date, school.classes, session.today]);
  const q = useQuery('timetable.week', cls && date ? { classId: cls.id, week: date } : null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const change = useChange();

  if (school.status === 'error') return <ErrorState error={school.error} />;
  if (school.status === 'loading') return <Loading />;
  if (school.classes.length === 0) return <Empty title="Нет классов" />;
  if (!cls || !date) return <Loading />;
  const w = q.value;
  const courses = new Map((w?.courses ?? []).map((k) => [k.id, k]));
  const lessons = (w?.lessons ?? []).filter((l) => l.date === date);
  const close = () => { setDialog(null); q.reload(); };
  async function setStatus(l: Lesson, status: 'cancelled' | 'planned') {
    if (await change.run('lesson.update', { id: l.id, status })) q.reload();
  }
  async function unsubstitute(l: Lesson) {
    if (await change.run('substitution.remove', { lessonId: l.id })) q.reload();
  }

  return (
    <div className="tt">
      <div className="toolbar" role="toolbar" aria-label="Изменения в расписании">
        <label className="tb-field"><span>Класс</span>
          <select value={cls.id} onChange={(e) => navigate('changes', e.target.value, date)}>{school.classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
        </label>
        <label className="tb-field"><span>День</span><input type="date" value={date} onChange={(e) => e.target.value && navigate('changes', cls.id, e.target.value)} /></label>
        <span className="tb-title">{weekdayName(date)}, {longDate(date)}</span>
        <button type="button" className="btn" onClick={() => setDialog({ kind: 'extra' })} disabled={!w}>Дополнительный урок…</button>
      </div>
      <div className="tt-body">
        <FailureNotice failure={change.failure} />
        {q.status === 'error' ? <ErrorState error={q.error} retry={q.reload} /> : !w ? <Loading what="Загружаем уроки дня" /> : lessons.length === 0 ? (
          <Empty title="Уроков нет">На этот день у {cls.name} класса нет уроков в журнале. Сформируйте уроки по расписанию в разделе «Расписание».</Empty>
        ) : (
          <table className="st-table tt-day" aria-label={`Уроки ${cls.name} класса, ${longDate(date)}`}>
            <thead><tr><th>№</th><th>Время</th><th>Предмет</th><th>Учитель</th><th>Изменения</th><th className="st-actions">Действия</th></tr></thead>
            <tbody>
              {lessons.map((l) => {
                const k = courses.get(l.courseId);
                const bell = w.bells.find((b) => b.number === l.number);
                return (
                  <tr key={l.id}>
                    <td>{l.number}</td>
                    <td>{bell ? `${bell.starts}–${bell.ends}` : ''}</td>
                    <td>{k?.subjectName}{k && k.groupName !== cls.name ? ` (${k.groupName})` : ''}{l.kind === 'extracurricular' ? ', внеурочное занятие' : ''}</td>
                    <td>{k?.teacherName ?? '—'}</td>
                    <td>
                      {STATUS[l.status]}
                      {l.movedFrom && <>, перенесён с {longDate(l.movedFrom)}{l.note ? ` (${l.note})` : ''}</>}
                      {l.substitute && <>; замена: <b>{l.substitute.name}</b>{l.substitute.reason ? ` — ${l.substitute.reason}` : ''}</>}
                    </td>
                    <td className="st-actions">
                      {l.status !== 'held' && <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'substitute', lesson: l })}>{l.substitute ? 'Другая замена…' : 'Замена…'}</button>}
                      {l.substitute && <button type="button" className="btn btn-small" onClick={() => void unsubstitute(l)} disabled={change.busy}>Снять замену</button>}
                      {l.status === 'planned' && <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'move', lesson: l })}>Перенести…</button>}
                      {l.status === 'planned' && <button type="button" className="btn btn-small" onClick={() => void setStatus(l, 'cancelled')} disabled={change.busy}>Отменить урок</button>}
                      {l.status === 'cancelled' && <button type="button" className="btn btn-small" onClick={() => void setStatus(l, 'planned')} disabled={change.busy}>Вернуть урок</button>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      {dialog && w && (dialog.kind === 'substitute' ? <SubstituteDialog w={w} lesson={dialog.lesson} onClose={close} />
        : dialog.kind === 'move' ? <MoveDialog lesson={dialog.lesson} onClose={close} />
        : <ExtraDialog w={w} date={date} onClose={close} />)}
    </div>
  );
}

function SubstituteDialog({ w, lesson, onClose }: { w: TimetableWeek; lesson: Lesson; onClose: () => void }) {
  const change = useChange();
  const course = w.courses.find((k) => k.id === lesson.courseId);
  const [teacherId, setTeacherId] = useState(lesson.substitute?.teacherId ?? '');
  const [reason, setReason] = useState(lesson.substitute?.reason ?? '');
  async function save() {
    if (await change.run('substitution.set', { lessonId: lesson.id, teacherId, ...(reason.trim() ? { reason: reason.trim() } : {}) })) onClose();
  }
  return (
    <ModalDialog title="Замена учителя" meta={`${course?.subjectName ?? ''}, ${lesson.number}-й урок, ${longDate(lesson.date)}; учитель — ${course?.teacherName ?? 'не назначен'}. С момента записи заменяющему открыта страница этого урока (п. 7.12).`} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label className="field"><span className="field-label">Заменяющий учитель</span>
          <select value={teacherId} onChange={(e) => setTeacherId(e.target.value)} required>
            <option value="">— выберите —</option>
            {w.teachers.filter((t) => t.id !== course?.teacherId).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <label className="field"><span className="field-label">Причина замены</span><input value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} placeholder="например, больничный лист учителя" /></label>
        <FailureNotice failure={change.failure} />
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={change.busy || !teacherId}>Записать замену</button>
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
        </div>
      </form>
    </ModalDialog>
  );
}

function MoveDialog({ lesson, onClose }: { lesson: Lesson; onClose: () => void }) {
  const change = useChange();
  const [date, setDate] = useState(lesson.date);
  const [number, setNumber] = useState(String(lesson.number));
  const [reason, setReason] = useState('');
  async function save() {
    if (await change.run('lesson.move', { id: lesson.id, date, number: Number(number), ...(reason.trim() ? { reason: reason.trim() } : {}) })) onClose();
  }
  return (
    <ModalDialog title="Перенос урока" meta={`${lesson.number}-й урок, ${longDate(lesson.date)} (п. 9.3)`} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <div className="adm-grid2">
          <label className="field"><span className="field-label">Новая дата</span><input type="date" value={date} onChange={(e) => setDate(e.target.value)} required /></label>
          <label className="field"><span className="field-label">Номер урока</span><input type="number" min={0} max={12} value={number} onChange={(e) => setNumber(e.target.value)} required /></label>
        </div>
        <label className="field"><span className="field-label">Причина переноса</span><input value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} /></label>
        <FailureNotice failure={change.failure} />
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={change.busy}>Перенести</button>
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
        </div>
      </form>
    </ModalDialog>
  );
}

function ExtraDialog({ w, date, onClose }: { w: TimetableWeek; date: string; onClose: () => void }) {
  const change = useChange();
  const [courseId, setCourseId] = useState('');
  const [number, setNumber] = useState('7');
  const [extracurricular, setExtracurricular] = useState(false);
  async function save() {
    const kind = extracurricular ? { kind: 'extracurricular' as const, topic: 'Внеурочное занятие' } : {};
    if (await change.run('lesson.create', { id: newRecordId('x.lesson'), courseId, date, number: Number(number), ...kind })) onClose();
  }
  return (
    <ModalDialog title="Дополнительный урок" meta={`${longDate(date)}: урок вне расписания; при формировании уроков он остаётся (п. 7.12, 7.13)`} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label className="field"><span className="field-label">Предмет</span>
          <select value={courseId} onChange={(e) => setCourseId(e.target.value)} required>
            <option value="">— выберите —</option>
            {w.courses.map((k) => <option key={k.id} value={k.id}>{k.subjectName} — {k.groupName}{k.teacherName ? `, ${k.teacherName}` : ''}</option>)}
          </select>
        </label>
        <label className="field"><span className="field-label">Номер урока</span><input type="number" min={0} max={12} value={number} onChange={(e) => setNumber(e.target.value)} required /></label>
        <label className="adm-checks"><span><input type="checkbox" checked={extracurricular} onChange={(e) => setExtracurricular(e.target.checked)} /> Внеурочное занятие (без отметок и пропусков, п. 7.13)</span></label>
        <FailureNotice failure={change.failure} />
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={change.busy || !courseId}>Добавить</button>
          <button type="button" className="btn" onClick={onClose}>Отмена</button>
        </div>
      </form>
    </ModalDialog>
  );
}
