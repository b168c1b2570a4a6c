/**
 * R-CLASS-VIEW (п. 9.4): the class teacher sees every subject of their class, read-only — each
 * student's average, marks count and absences per subject, period marks, absences by reason, and
 * whether the family has opened the diary (R-ACK). A subject's name opens its journal page
 * (read-only unless it is the teacher's own subject).
 */
import { useEffect, useMemo } from 'react';
import type { ClassSummary } from '../../../src-shared/contract/methods';
import { useQuery, useTransport } from '../../app/data';
import { PrintButton } from '../printing/PrintDialog';
import { desktopBridge } from '../../transport/ipc';
import { decimal, instantRu, listName, plural } from '../../app/format';
import { href, navigate, redirect } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';

export function ClassPage({ params }: { params: string[] }) {
  const { session, role } = useSession();
  const t = useTransport();
  // Printing is the desktop's (the main process makes the PDF and opens its preview); a browser has no bridge.
  const printer = useMemo(() => (t.kind === 'desktop' ? desktopBridge() : null), [t]);
  const classes = useMemo(() => session.classes.filter((c) => (role === 'class_teacher' ? c.own : true)), [session.classes, role]);
  const [classId, periodParam] = params;
  const cls = classes.find((c) => c.id === classId);
  useEffect(() => { if (!cls && classes[0]) redirect('class', classes[0].id); }, [cls, classes]);
  const q = useQuery('class.summary', cls ? { classId: cls.id, ...(periodParam && periodParam !== 'auto' ? { periodId: periodParam } : {}) } : null);

  if (classes.length === 0) return <Empty title="Нет классов">{role === 'class_teacher' ? 'Вы не назначены классным руководителем в этом учебном году.' : 'В учебном году нет классов.'}</Empty>;
  if (!cls) return <Loading />;
  const s = q.value;
  return (
    <div className="cv">
      <div className="toolbar" role="toolbar" aria-label="Класс">
        {classes.length > 1 ? (
          <label className="tb-field"><span>Класс</span>
            <select value={cls.id} onChange={(e) => navigate('class', e.target.value, periodParam)}>
              {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
        ) : <span className="tb-title">{cls.name} класс</span>}
        {s && (
          <label className="tb-field"><span>Период</span>
            <select value={s.period?.id ?? ''} onChange={(e) => navigate('class', cls.id, e.target.value)}>
              {s.periods.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
        )}
        {s && <span className="tb-meta">Классный руководитель: {s.class.classTeacherName ?? 'не назначен'} · {s.students.length} {plural(s.students.length, 'ученик', 'ученика', 'учеников')} · {s.subjects.length} {plural(s.subjects.length, 'предмет', 'предмета', 'предметов')}</span>}
        {printer && <PrintButton bridge={printer} classId={cls.id} className={cls.name} role={role} today={session.today} />}
        <span className="tb-readonly" role="note">Только просмотр</span>
      </div>
      {q.status === 'error' ? <ErrorState error={q.error} retry={q.reload} /> : !s ? <Loading what="Загружаем сводку класса" /> : <SummaryTable s={s} timeZone={session.school.timeZone} />}
    </div>
  );
}

function SummaryTable({ s, timeZone }: { s: ClassSummary; timeZone: string }) {
  if (s.students.length === 0) return <Empty title="В классе нет обучающихся" />;
  if (s.subjects.length === 0) return <Empty title="У класса нет предметов в учебном плане" />;
  const cell = new Map(s.cells.map((c) => [`${c.studentId}|${c.courseId}`, c]));
  const abs = new Map(s.absences.map((a) => [a.studentId, a]));
  return (
    <div className="cv-scroll" tabIndex={0} role="region" aria-label="Сводка успеваемости класса">
      <table className="table cv-table">
        <caption className="visually-hidden">Средний балл, отметка за период и пропуски по каждому предмету</caption>
        <thead>
          <tr>
            <th scope="col" className="cv-name">Обучающийся</th>
            {s.subjects.map((sub) => (
              <th key={sub.courseId} scope="col" className="cv-subj">
                <a href={href('journal', sub.courseId, s.period?.id ?? 'year')} title={`${sub.subjectName}${sub.groupName !== s.class.name ? ` (${sub.groupName})` : ''} — ${sub.teacherName ?? 'учитель не назначен'}; уроков: ${sub.lessons}. Открыть страницу журнала`}>
                  {sub.subjectShort}
                </a>
              </th>
            ))}
            <th scope="col" className="cv-abs">Пропуски<br /><span className="muted">б / у / н / ?</span></th>
            <th scope="col" className="cv-ack">Дневник просмотрен</th>
          </tr>
        </thead>
        <tbody>
          {s.students.map((st, i) => {
            const a = abs.get(st.id);
            return (
              <tr key={st.id}>
                <th scope="row" className="cv-name"><span className="cv-no">{i + 1}</span>{listName(st)}</th>
                {s.subjects.map((sub) => {
                  const c = cell.get(`${st.id}|${sub.courseId}`);
                  if (!c) return <td key={sub.courseId} className="cv-cell is-none" aria-label="не изучает">—</td>;
                  return (
                    <td key={sub.courseId} className="cv-cell">
                      {c.periodMark && <b className="cv-pm" title="Отметка за период">{c.periodMark}</b>}
                      <span className="cv-avg" title={`Средний балл (отметок: ${c.marks})`}>{c.average === null ? '—' : decimal(c.average)}</span>
                      {c.absences > 0 && <span className="cv-n" title={`Пропущено уроков: ${c.absences}`}>н{c.absences}</span>}
                    </td>
                  );
                })}
                <td className="cv-abs num" title={a ? `по болезни ${a.illness}, по уважительной ${a.valid}, без уважительной ${a.unexcused}, причина не указана ${a.unlabelled}` : ''}>
                  {a && a.total > 0 ? <>{a.total} <span className="muted">({a.illness}/{a.valid}/{a.unexcused}/{a.unlabelled})</span></> : '0'}
                </td>
                <td className="cv-ack">{st.lastAck ? instantRu(st.lastAck, timeZone) : <span className="cv-noack">не открывали</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="cv-legend">В клетке: <b>отметка за период</b> (если выставлена), средний балл за период (дробная отметка считается обеими частями), «н» — число пропусков. Пропуски: б — по болезни, у — по уважительной причине, н — без уважительной причины, ? — причина не указана.</p>
    </div>
  );
}
