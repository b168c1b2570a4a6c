/**
 * The electronic diary (R-DIARY) for a parent or a student: the week — timetable with its changes,
 * topics, class and individual homework, marks with their work types, absences — and the period
 * marks. A parent with several children switches between them. Opening a child's diary records
 * the parent's acknowledgement (R-ACK, п. 9.2, 9.4). Built for a phone as much as a desktop.
 */
import { useEffect, useRef } from 'react';
import type { DiaryWeek } from '../../../src-shared/contract/methods';
import { addDays, weekStart } from '../../../src-shared/domain/values';
import { useQuery, useTransport } from '../../app/data';
import { dayMonth, dm, fullName, weekRange, weekdayName } from '../../app/format';
import { reasonLabel, termLabel, workTypeLabel, lessonKindLabel } from '../../app/labels';
import { navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';

type Lesson = DiaryWeek['days'][number]['lessons'][number];

export function DiaryPage({ params }: { params: string[] }) {
  const { session, role } = useSession();
  const t = useTransport();
  const children = session.children;
  const [studentId, weekParam] = params;
  const child = children.find((c) => c.id === studentId);
  const week = weekParam && /^\d{4}-\d{2}-\d{2}$/.test(weekParam) ? weekStart(weekParam) : null;
  useEffect(() => {
    if (children.length === 0) return;
    if (!child || !week) redirect('diary', child?.id ?? children[0]!.id, week ?? weekStart(session.today));
  }, [child, week, children, session.today]);

  // R-ACK: the parent has opened this child's diary (once per child per visit).
  const acked = useRef(new Set<string>());
  useEffect(() => {
    if (role !== 'parent' || !child || acked.current.has(child.id)) return;
    acked.current.add(child.id);
    void t.call('diary.ack', { studentId: child.id });
  }, [role, child, t]);

  const q = useQuery('diary.week', child && week ? { studentId: child.id, week } : null);

  if (children.length === 0) {
    return <Empty title="Нет дневников">{role === 'parent' ? 'К вашей учётной записи не привязан ни один ребёнок. Обратитесь к классному руководителю.' : 'Учётная запись не связана с обучающимся.'}</Empty>;
  }
  if (!child || !week) return <Loading />;
  const thisWeek = weekStart(session.today);
  return (
    <div className="diary">
      {children.length > 1 && (
        <div className="diary-children" role="tablist" aria-label="Дети">
          {children.map((c) => (
            <button key={c.id} type="button" role="tab" aria-selected={c.id === child.id} className={`tab${c.id === child.id ? ' is-current' : ''}`}
              onClick={() => navigate('diary', c.id, week)}>
              {c.firstName}{c.className ? <span className="tab-sub"> · {c.className}</span> : null}
            </button>
          ))}
        </div>
      )}
      <div className="diary-head">
        <div>
          <h1 className="diary-title">{fullName(child)}{child.className ? `, ${child.className} класс` : ''}</h1>
          <p className="diary-week">Неделя: {weekRange(week)}{week === thisWeek ? ' (текущая)' : ''}</p>
        </div>
        <nav className="week-nav" aria-label="Недели">
          <button type="button" className="btn" onClick={() => navigate('diary', child.id, addDays(week, -7))}><span aria-hidden="true">← </span>Предыдущая</button>
          {week !== thisWeek && <button type="button" className="btn" onClick={() => navigate('diary', child.id, thisWeek)}>Текущая</button>}
          <button type="button" className="btn" onClick={() => navigate('diary', child.id, addDays(week, 7))}>Следующая<span aria-hidden="true"> →</span></button>
        </nav>
      </div>
      {q.status === 'error' ? <ErrorState error={q.error} retry={q.reload} /> : !q.value ? <Loading what="Загружаем дневник" /> : <Week week={q.value} today={session.today} />}
      {q.value && <PeriodMarks marks={q.value.periodMarks} periods={session.periods} />}
    </div>
  );
}

function Week({ week, today }: { week: DiaryWeek; today: string }) {
  const days = week.days.filter((d) => d.lessons.length > 0);
  // On a phone the days are one column: start at today.
  useEffect(() => {
    if (window.innerWidth >= 760) return;
    document.getElementById(`day-${today}`)?.scrollIntoView({ block: 'start' });
  }, [week, today]);
  if (days.length === 0) return <Empty title="На этой неделе уроков нет">Каникулы или расписание ещё не составлено.</Empty>;
  return (
    <div className="diary-days">
      {week.days.map((d) => (
        <section key={d.date} className={`day${d.date === today ? ' is-today' : ''}`} aria-labelledby={`day-${d.date}`}>
          <h2 id={`day-${d.date}`} className="day-title">{weekdayName(d.date)}, {dayMonth(d.date)}{d.date === today && <span className="day-today"> — сегодня</span>}</h2>
          {d.lessons.length === 0 ? <p className="day-empty">Уроков нет</p> : (
            <ol className="day-lessons">
              {d.lessons.map((l) => <DiaryLesson key={l.lessonId} l={l} />)}
            </ol>
          )}
        </section>
      ))}
    </div>
  );
}

function DiaryLesson({ l }: { l: Lesson }) {
  const changes: string[] = [];
  if (l.movedFrom) changes.push(`перенесён с ${dm(l.movedFrom)}`);
  if (l.substituted) changes.push('замена учителя');
  if (l.kind !== 'regular') changes.push(lessonKindLabel(l.kind));
  return (
    <li className={`dl${l.absent ? ' is-absent' : ''}`}>
      <span className="dl-no" aria-label={`Урок ${l.number}`}>{l.number}</span>
      <div className="dl-body">
        <p className="dl-subject">{l.subject}{changes.length > 0 && <span className="dl-change"> · {changes.join(', ')}</span>}</p>
        {l.topic && <p className="dl-topic">{l.topic}</p>}
        {/* Homework on the day it is due (set at the course's previous lesson); what was set here is due next time. */}
        {l.homeworkDue && <p className="dl-hw"><span className="dl-label">Домашнее задание к уроку:</span> {l.homeworkDue}{l.homeworkSetOn && <span className="dl-hw-set"> (задано {dm(l.homeworkSetOn)})</span>}</p>}
        {l.homework && <p className="dl-hw dl-hw-next"><span className="dl-label">Задано к следующему уроку:</span> {l.homework}</p>}
        {l.individualHomework && <p className="dl-hw dl-ihw"><span className="dl-label">Индивидуальное задание:</span> {l.individualHomework}</p>}
        {l.absent && <p className="dl-absent"><b>н</b> — отсутствовал(а), {reasonLabel(l.absenceReason)}</p>}
      </div>
      <div className="dl-marks">
        {l.marks.map((m, i) => (
          <span key={i} className="dl-mark" title={workTypeLabel(m.workType)}>
            <span className="dl-mark-value">{m.value}</span>
            <span className="dl-mark-type">{m.column === 'reading' ? 'Выразительное чтение' : workTypeLabel(m.workType)}</span>
          </span>
        ))}
      </div>
    </li>
  );
}

function PeriodMarks({ marks, periods }: { marks: DiaryWeek['periodMarks']; periods: { id: string; name: string }[] }) {
  if (marks.length === 0) return <section className="pm"><h2 className="pm-title">Отметки за периоды</h2><p className="muted">Отметок за периоды пока нет.</p></section>;
  const terms = [...new Set(marks.map((m) => m.term))];
  const subjects = [...new Set(marks.map((m) => m.subject))];
  const at = (s: string, t: string) => marks.find((m) => m.subject === s && m.term === t)?.value ?? '';
  return (
    <section className="pm">
      <h2 className="pm-title">Отметки за периоды</h2>
      <div className="pm-scroll">
        <table className="table pm-table">
          <thead><tr><th scope="col">Предмет</th>{terms.map((t) => <th key={t} scope="col">{termLabel(t, periods)}</th>)}</tr></thead>
          <tbody>{subjects.map((s) => <tr key={s}><th scope="row">{s}</th>{terms.map((t) => <td key={t} className="num">{at(s, t)}</td>)}</tr>)}</tbody>
        </table>
      </div>
    </section>
  );
}
