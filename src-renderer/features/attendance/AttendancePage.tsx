/**
 * R-ABSENCE (п. 9.4): the class teacher's week — every «н» of the class's students with its
 * reason: по болезни / по уважительной причине / без уважительной причины. Teachers mark «н» at
 * the start of the lesson (in the journal); the class teacher relabels them here, one absence or
 * a whole day at once.
 */
import { useEffect, useMemo, useState } from 'react';
import type { AttendanceWeek } from '../../../src-shared/contract/methods';
import { ABSENCE_REASONS, type AbsenceReason } from '../../../src-shared/domain/school';
import { addDays, weekStart } from '../../../src-shared/domain/values';
import { useQuery, useTransport, type Failure } from '../../app/data';
import { dm, listName, weekRange, weekdayShort } from '../../app/format';
import { REASON_SHORT } from '../../app/labels';
import { navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading, NoticeLine } from '../../components/States';

export function AttendancePage({ params }: { params: string[] }) {
  const { session, role } = useSession();
  const classes = useMemo(() => session.classes.filter((c) => (role === 'class_teacher' ? c.own : true)), [session.classes, role]);
  const [classId, weekParam] = params;
  const cls = classes.find((c) => c.id === classId);
  const week = weekParam && /^\d{4}-\d{2}-\d{2}$/.test(weekParam) ? weekStart(weekParam) : null;
  useEffect(() => {
    if (classes.length && (!cls || !week)) redirect('attendance', cls?.id ?? classes[0]!.id, week ?? weekStart(session.today));
  }, [cls, week, classes, session.today]);
  const q = useQuery('attendance.week', cls && week ? { classId: cls.id, week } : null);

  if (classes.length === 0) return <Empty title="Нет классов">Вы не назначены классным руководителем в этом учебном году.</Empty>;
  if (!cls || !week) return <Loading />;
  const thisWeek = weekStart(session.today);
  return (
    <div className="att">
      <div className="toolbar" role="toolbar" aria-label="Пропуски">
        {classes.length > 1 ? (
          <label className="tb-field"><span>Класс</span>
            <select value={cls.id} onChange={(e) => navigate('attendance', e.target.value, week)}>{classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
          </label>
        ) : <span className="tb-title">{cls.name} класс</span>}
        <span className="tb-title">Неделя {weekRange(week)}</span>
        <button type="button" className="btn" onClick={() => navigate('attendance', cls.id, addDays(week, -7))}>← Предыдущая</button>
        {week !== thisWeek && <button type="button" className="btn" onClick={() => navigate('attendance', cls.id, thisWeek)}>Текущая</button>}
        <button type="button" className="btn" onClick={() => navigate('attendance', cls.id, addDays(week, 7))}>Следующая →</button>
      </div>
      {q.status === 'error' ? <ErrorState error={q.error} retry={q.reload} /> : !q.value ? <Loading what="Загружаем пропуски" /> : <WeekTable w={q.value} reload={q.reload} />}
    </div>
  );
}

function WeekTable({ w, reload }: { w: AttendanceWeek; reload: () => void }) {
  const t = useTransport();
  const [local, setLocal] = useState<Map<string, string | null>>(new Map());
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saving, setSaving] = useState(0);
  const absent = new Map(w.absences.map((a) => [`${a.lessonId}|${a.studentId}`, a.reason as string | null]));
  const reasonOf = (lessonId: string, studentId: string) => { const k = `${lessonId}|${studentId}`; return local.has(k) ? local.get(k)! : absent.get(k) ?? null; };
  const studentsWithAbsences = w.students.filter((s) => w.absences.some((a) => a.studentId === s.id));

  async function setReasons(items: { lessonId: string; studentId: string }[], reason: AbsenceReason | null) {
    setFailure(null);
    setLocal((m) => { const n = new Map(m); for (const i of items) n.set(`${i.lessonId}|${i.studentId}`, reason); return n; });
    const byLesson = new Map<string, string[]>();
    for (const i of items) byLesson.set(i.lessonId, [...(byLesson.get(i.lessonId) ?? []), i.studentId]);
    setSaving((x) => x + 1);
    for (const [lessonId, ids] of byLesson) {
      const r = await t.call('absence.reason', { lessonId, entries: ids.map((studentId) => ({ studentId, reason })) });
      if (!r.ok) { setFailure(r.error); setLocal(new Map()); reload(); break; }
    }
    setSaving((x) => x - 1);
  }

  if (w.lessons.length === 0) return <Empty title="На этой неделе у класса уроков нет">Каникулы или расписание ещё не составлено.</Empty>;
  if (studentsWithAbsences.length === 0) return <Empty title="Пропусков на этой неделе нет">Учителя отмечают «н» в журнале в начале урока.</Empty>;
  const days = w.days.filter((d) => w.lessons.some((l) => l.date === d));
  return (
    <div className="att-body">
      {failure && <NoticeLine level="refuse" message={failure.message} clause={failure.clause} requirement={failure.requirement} />}
      <p className="att-hint" aria-live="polite">{saving > 0 ? 'Сохранение…' : w.readOnly ? 'Причины пропусков указывает классный руководитель.' : 'Укажите причину каждого пропуска (по болезни, по уважительной причине, без уважительной причины) или сразу всех пропусков ученика за день.'}</p>
      <div className="att-scroll" role="region" aria-label="Пропуски за неделю" tabIndex={0}>
        <table className="table att-table">
          <thead>
            <tr>
              <th scope="col">Обучающийся</th>
              {days.map((d) => <th key={d} scope="col">{weekdayShort(d)}, {dm(d)}</th>)}
            </tr>
          </thead>
          <tbody>
            {studentsWithAbsences.map((s) => (
              <tr key={s.id}>
                <th scope="row" className="att-name">
                  {listName(s)}
                  {!w.readOnly && w.absences.filter((a) => a.studentId === s.id).length > 1 && (
                    <label className="att-week">
                      <span>Вся неделя:</span>
                      <select value="" aria-label={`${listName(s)}: причина для всех пропусков недели`}
                        onChange={(e) => void setReasons(w.absences.filter((a) => a.studentId === s.id).map((a) => ({ lessonId: a.lessonId, studentId: s.id })), (e.target.value || null) as AbsenceReason | null)}>
                        <option value="">—</option>
                        {ABSENCE_REASONS.map((r) => <option key={r} value={r}>{REASON_SHORT[r]}</option>)}
                      </select>
                    </label>
                  )}
                </th>
                {days.map((d) => {
                  const lessons = w.lessons.filter((l) => l.date === d && absent.has(`${l.id}|${s.id}`));
                  if (lessons.length === 0) return <td key={d} />;
                  const items = lessons.map((l) => ({ lessonId: l.id, studentId: s.id }));
                  return (
                    <td key={d} className="att-day">
                      {lessons.length > 1 && !w.readOnly && (
                        <label className="att-all">
                          <span>Весь день:</span>
                          <select value="" onChange={(e) => void setReasons(items, (e.target.value || null) as AbsenceReason | null)} aria-label={`${listName(s)}, ${dm(d)}: причина для всех пропусков дня`}>
                            <option value="">—</option>
                            {ABSENCE_REASONS.map((r) => <option key={r} value={r}>{REASON_SHORT[r]}</option>)}
                          </select>
                        </label>
                      )}
                      {lessons.map((l) => {
                        const reason = reasonOf(l.id, s.id);
                        return (
                          <label key={l.id} className={`att-item${reason ? '' : ' is-open'}`} title={`${l.number}-й урок, ${l.subjectName}`}>
                            <span className="att-lesson"><b>н</b> {l.number}. {l.subjectShort}</span>
                            {w.readOnly ? <span className="att-reason">{reason ? REASON_SHORT[reason as AbsenceReason] : 'причина не указана'}</span> : (
                              <select value={reason ?? ''} onChange={(e) => void setReasons([{ lessonId: l.id, studentId: s.id }], (e.target.value || null) as AbsenceReason | null)}
                                aria-label={`${listName(s)}, ${dm(d)}, урок ${l.number}, ${l.subjectName}: причина пропуска`}>
                                <option value="">не указана</option>
                                {ABSENCE_REASONS.map((r) => <option key={r} value={r}>{REASON_SHORT[r]}</option>)}
                              </select>
                            )}
                          </label>
                        );
                      })}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
