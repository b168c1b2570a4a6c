/**
 * «Замены» — the lessons the signed-in teacher substitutes (R-SUBST, п. 7.12): from the moment
 * the methodist recorded the substitution, the absent teacher's page of that lesson — its pupils,
 * marks and «н» — and nothing else of the course. A mark is typed and saved with Enter.
 */
import { useState } from 'react';
import type { SubstitutionList } from '../../../src-shared/contract/timetable';
import { useQuery } from '../../app/data';
import { longDate } from '../../app/format';
import { Empty, ErrorState, Loading } from '../../components/States';
import { FailureNotice } from '../admin/admin-shared/ModalDialog';
import { useChange } from '../admin/admin-shared/use-change';
import './timetable.css';

type Lesson = SubstitutionList['lessons'][number];

export function SubstitutionsPage() {
  const q = useQuery('substitutions.mine', {});
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.value) return <Loading what="Загружаем замены" />;
  if (q.value.lessons.length === 0) return <Empty title="Замен нет">Когда методист запишет замену, урок отсутствующего учителя появится здесь (п. 7.12).</Empty>;
  return (
    <div className="tt">
      <div className="tt-body">
        {q.value.lessons.map((l) => <SubstitutedLesson key={l.lessonId} l={l} reload={q.reload} />)}
      </div>
    </div>
  );
}

function SubstitutedLesson({ l, reload }: { l: Lesson; reload: () => void }) {
  const change = useChange();
  const marks = new Map(l.marks.filter((m) => m.column === 'main').map((m) => [m.studentId, m.value]));
  const absent = new Set(l.absent);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const title = `${longDate(l.date)}, ${l.number}-й урок — ${l.subjectName}, ${l.groupName}`;
  async function saveMark(studentId: string) {
    const value = (typed[studentId] ?? '').trim();
    const r = await change.run('cell.set', { lessonId: l.lessonId, studentId, mark: value === '' ? null : { value } });
    if (r) { setTyped((t) => { const { [studentId]: _, ...rest } = t; return rest; }); reload(); }
  }
  async function setAbsent(studentId: string, on: boolean) {
    if (await change.run('cell.set', { lessonId: l.lessonId, studentId, absent: on })) reload();
  }
  const extra = l.kind === 'extracurricular';
  return (
    <section className="st-section tt-sub" aria-label={title}>
      <h2 className="st-h">{title}</h2>
      <p className="st-lead">Замена учителя {l.teacherName ?? ''}{l.reason ? ` (${l.reason})` : ''}{l.topic ? `. Тема: ${l.topic}` : ''}. {l.status === 'cancelled' ? 'Урок отменён.' : ''}</p>
      <FailureNotice failure={change.failure} />
      <table className="st-table">
        <thead><tr><th>Обучающийся</th>{!extra && <th>Отметка</th>}{!extra && <th>Отсутствует</th>}</tr></thead>
        <tbody>
          {l.students.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              {!extra && (
                <td>
                  <input className="tt-mark" aria-label={`Отметка: ${s.name}`} value={typed[s.id] ?? marks.get(s.id) ?? ''} maxLength={3} inputMode="numeric"
                    onChange={(e) => setTyped((t) => ({ ...t, [s.id]: e.target.value }))}
                    onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void saveMark(s.id); } }}
                    onBlur={() => { if (typed[s.id] !== undefined && typed[s.id] !== (marks.get(s.id) ?? '')) void saveMark(s.id); }} />
                </td>
              )}
              {!extra && <td><label><input type="checkbox" checked={absent.has(s.id)} onChange={(e) => void setAbsent(s.id, e.target.checked)} aria-label={`Отсутствует: ${s.name}`} /> н</label></td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
