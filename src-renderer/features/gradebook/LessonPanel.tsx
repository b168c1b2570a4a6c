/**
 * A lesson's page beside the grid (R-TOPICS, R-KTP, R-HOMEWORK, R-EXTRA, R-DISTANCE): the topic
 * from the КТП with the subject's prefixes of п. 7.15, the work type, the class's homework and
 * individual homework per student, the lesson kind (extracurricular; distance with the order
 * number). Every change goes through the rules; their warnings are shown with the clause, and so
 * is what the rules say about the lesson as it stands (R-WORKTYPE, R-DENSITY: who is still
 * without a mark).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CourseList, GradebookView, LessonView, Notice } from '../../../src-shared/contract/methods';
import { LESSON_KIND_LABELS, WORK_TYPES, type MarkColumn, type SubjectCode, type WorkType } from '../../../src-shared/domain/school';
import { topicPrefixes } from '../../../src-shared/rules/topics';
import { READING_COLUMN_SUBJECTS, LITERACY_COLUMN_GRADES } from '../../../src-shared/rules/columns';
import { useQuery, useTransport, type Failure } from '../../app/data';
import { dm, dmy, listName, weekdayName } from '../../app/format';
import { ErrorState, Loading, NoticeLine } from '../../components/States';
import { columnKey } from './model';
import type { GradebookStore } from './store';

type Course = CourseList['courses'][number];

interface Form {
  kind: string;
  orderNo: string;
  form: string;
  topic: string;
  ktpId: string;
  workType: string;
  homework: string;
  individual: Record<string, string>;
}

const fromLesson = (l: LessonView): Form => ({
  kind: l.kind, orderNo: l.orderNo ?? '', form: l.form ?? '', topic: l.topic ?? '', ktpId: l.ktpId ?? '', workType: l.workType ?? 'lesson', homework: l.homework ?? '',
  individual: Object.fromEntries(l.individualHomework.map((h) => [h.studentId, h.text])),
});

const nul = (s: string) => (s.trim() === '' ? null : s.trim());

export function LessonPanel({ lessonId, course, view, store, readOnly, columns, onToggleColumn, onSaved, onClose }: {
  lessonId: string; course: Course; view: GradebookView; store: GradebookStore; readOnly: boolean; columns: MarkColumn[];
  onToggleColumn: (key: string, on: boolean) => void; onSaved: () => void; onClose: () => void;
}) {
  const t = useTransport();
  const q = useQuery('lesson.get', { lessonId });
  const ktp = useQuery('ktp.list', { courseId: course.id });
  const [form, setForm] = useState<Form | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [addFor, setAddFor] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  // The lesson's warnings as last read; marks typed in the grid beside the panel change them.
  const [warnings, setWarnings] = useState<Notice[] | null>(null);
  useEffect(() => { if (q.value) { setForm(fromLesson(q.value)); setWarnings(null); } }, [q.value]);
  useEffect(() => {
    let live = true;
    let timer = 0;
    // Read again once the grid settles, the warnings only: the form keeps what the teacher is typing.
    const unsub = store.subscribe(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void t.call('lesson.get', { lessonId }).then((r) => { if (live && r.ok) setWarnings(r.value.warnings); }), 1500);
    });
    return () => { live = false; unsub(); window.clearTimeout(timer); };
  }, [store, t, lessonId]);
  const ready = form !== null;
  useEffect(() => { if (ready) first.current?.focus(); }, [ready]);
  // Esc closes the panel also when the focus fell out of it (a button disabled while saving).
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const at = document.activeElement;
      if (at === document.body || at === null || panel.current?.contains(at)) { e.preventDefault(); onClose(); }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const lesson = q.value;
  const prefixes = useMemo(() => topicPrefixes(course.subjectCode as SubjectCode), [course.subjectCode]);
  const ro = readOnly || !!lesson?.readOnly;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => { setForm((f) => (f ? { ...f, [k]: v } : f)); setSaved(false); };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form || !lesson || ro) return;
    const before = fromLesson(lesson);
    const input: Record<string, unknown> = { id: lesson.id };
    if (form.kind !== before.kind) input.kind = form.kind;
    if (form.topic !== before.topic) input.topic = nul(form.topic);
    if (form.ktpId !== before.ktpId) input.ktpId = nul(form.ktpId);
    if (form.workType !== before.workType) input.workType = form.workType === 'lesson' ? null : form.workType;
    if (form.homework !== before.homework) input.homework = nul(form.homework);
    if (form.orderNo !== before.orderNo) input.orderNo = nul(form.orderNo);
    if (form.form !== before.form) input.form = nul(form.form);
    setBusy(true);
    setFailure(null);
    const got: Notice[] = [];
    let ok = true;
    if (Object.keys(input).length > 1) {
      const r = await t.call('lesson.update', input as { id: string });
      if (r.ok) got.push(...r.value.warnings);
      else { ok = false; setFailure(r.error); }
    }
    if (ok) {
      const ids = new Set([...Object.keys(before.individual), ...Object.keys(form.individual)]);
      for (const sid of ids) {
        const a = before.individual[sid] ?? '';
        const b = form.individual[sid] ?? '';
        if (a === b) continue;
        const r = await t.call('homework.individual', { lessonId: lesson.id, studentId: sid, text: nul(b) });
        if (r.ok) got.push(...r.value.warnings);
        else { ok = false; setFailure(r.error); break; }
      }
    }
    setBusy(false);
    setNotices(got);
    if (ok) { setSaved(true); q.reload(); onSaved(); }
  }

  const readingPage = READING_COLUMN_SUBJECTS.includes(course.subjectCode as SubjectCode);
  const literacyPage = course.subjectCode === 'russian' && LITERACY_COLUMN_GRADES.includes(course.grade ?? 0);
  const studentName = (id: string) => { const s = view.students.find((x) => x.id === id); return s ? listName(s) : id; };

  return (
    <aside ref={panel} className="panel" aria-label={lesson ? `Урок ${dm(lesson.date)}` : 'Урок'}>
      <div className="panel-head">
        <h2 className="panel-title">{lesson ? `${weekdayName(lesson.date)}, ${dmy(lesson.date)}, урок ${lesson.number}` : 'Урок'}</h2>
        <button type="button" className="btn btn-quiet" onClick={onClose} aria-label="Закрыть панель урока">×</button>
      </div>
      {q.status === 'error' && !lesson ? <ErrorState error={q.error} retry={q.reload} /> : !lesson || !form ? <Loading /> : (
        <form className="panel-body" onSubmit={(e) => void save(e)}>
          <p className="panel-meta">
            {lesson.group.name} · {lesson.subject.name}{lesson.bell ? ` · ${lesson.bell.starts}–${lesson.bell.ends}` : ''}
            {lesson.movedFrom ? ` · перенесён с ${dmy(lesson.movedFrom)}` : ''}{lesson.substituteName ? ` · замена: ${lesson.substituteName}` : ''}
          </p>
          {ro && <p className="panel-ro" role="note">Только просмотр: изменять урок может учитель, ведущий предмет.</p>}
          {(warnings ?? lesson.warnings).map((n, i) => <NoticeLine key={i} level={n.level} message={n.message} clause={n.clause} requirement={n.requirement} />)}
          <fieldset disabled={ro || busy} className="panel-fields">
            <label className="field">
              <span className="field-label">Вид занятия</span>
              <select ref={first} value={form.kind} onChange={(e) => set('kind', e.target.value)}>
                {(['regular', 'extracurricular', 'distance', ...(form.kind === 'home' ? ['home'] : [])] as const).map((k) => <option key={k} value={k}>{LESSON_KIND_LABELS[k as keyof typeof LESSON_KIND_LABELS]}</option>)}
              </select>
            </label>
            {form.kind === 'distance' && (
              <label className="field">
                <span className="field-label">Номер приказа о дистанционном обучении</span>
                <input value={form.orderNo} onChange={(e) => set('orderNo', e.target.value)} placeholder="например, 45-о" />
                <span className="field-hint">К теме добавляется «дистанционное обучение, приказ № …»; «н» не ставится (п. 8.1)</span>
              </label>
            )}
            {form.kind === 'extracurricular' && (
              <label className="field">
                <span className="field-label">Форма занятия</span>
                <input value={form.form} onChange={(e) => set('form', e.target.value)} placeholder="например, экскурсия" />
                <span className="field-hint">Тема — «Внеурочное занятие»; отметки и «н» не ставятся (п. 7.13, 8.3)</span>
              </label>
            )}
            <div className="field">
              <label className="field-label" htmlFor="lp-ktp">Тема из КТП</label>
              {ktp.status === 'error' ? <span className="field-hint">КТП недоступно: {ktp.error?.message}</span> : (
                <select id="lp-ktp" value={form.ktpId} onChange={(e) => {
                  const item = ktp.value?.items.find((k) => k.id === e.target.value);
                  setForm((f) => f && ({ ...f, ktpId: e.target.value, topic: item ? (prefixes.find((p) => f.topic.startsWith(p.prefix)) ? `${prefixes.find((p) => f.topic.startsWith(p.prefix))!.prefix} ${item.topic}` : item.topic) : f.topic }));
                  setSaved(false);
                }}>
                  <option value="">— не из КТП —</option>
                  {(ktp.value?.items ?? []).map((k) => (
                    <option key={k.id} value={k.id}>{k.number}. {k.topic}{k.usedOn.length ? ` ✓ ${k.usedOn.map(dm).join(', ')}` : ''}</option>
                  ))}
                </select>
              )}
            </div>
            <label className="field">
              <span className="field-label">Тема урока</span>
              <textarea rows={2} value={form.topic} onChange={(e) => set('topic', e.target.value)} />
            </label>
            {prefixes.length > 0 && (
              <div className="prefixes" role="group" aria-label="Пометки к теме (п. 7.15)">
                {prefixes.map((p) => {
                  const on = form.topic.trimStart().startsWith(p.prefix);
                  return (
                    <button key={p.prefix} type="button" className={`chip${on ? ' is-on' : ''}`} aria-pressed={on} title={p.label}
                      onClick={() => set('topic', on ? form.topic.trimStart().slice(p.prefix.length).trimStart() : `${p.prefix} ${form.topic.trimStart()}`)}>
                      {p.prefix}
                    </button>
                  );
                })}
                <span className="field-hint">пометки п. 7.15</span>
              </div>
            )}
            <label className="field">
              <span className="field-label">Вид работы</span>
              <select value={form.workType} onChange={(e) => set('workType', e.target.value)}>
                {(Object.keys(WORK_TYPES) as WorkType[]).map((k) => <option key={k} value={k}>{WORK_TYPES[k].label}</option>)}
              </select>
            </label>
            {(readingPage || literacyPage) && (
              <div className="field">
                <span className="field-label">Отдельная колонка (п. 7.15)</span>
                {readingPage && (
                  <label className="check"><input type="checkbox" checked={columns.includes('reading')} onChange={(e) => onToggleColumn(columnKey(lesson.id, 'reading'), e.target.checked)} /> «Выр.чт.» — выразительное чтение наизусть</label>
                )}
                {literacyPage && (
                  <label className="check"><input type="checkbox" checked={columns.includes('literacy')} onChange={(e) => onToggleColumn(columnKey(lesson.id, 'literacy'), e.target.checked)} /> «Грамотность» — отметка за грамотность</label>
                )}
              </div>
            )}
            <label className="field">
              <span className="field-label">Домашнее задание классу</span>
              <textarea rows={2} value={form.homework} onChange={(e) => set('homework', e.target.value)} />
            </label>
            <div className="field">
              <span className="field-label">Индивидуальное домашнее задание</span>
              {Object.keys(form.individual).length === 0 && <span className="field-hint">Нет</span>}
              {Object.entries(form.individual).map(([sid, text]) => (
                <div key={sid} className="ih-row">
                  <label className="ih-name" htmlFor={`ih-${sid}`}>{studentName(sid)}</label>
                  <input id={`ih-${sid}`} value={text} onChange={(e) => set('individual', { ...form.individual, [sid]: e.target.value })} />
                  <button type="button" className="btn btn-quiet" aria-label={`Убрать задание: ${studentName(sid)}`} onClick={() => set('individual', { ...form.individual, [sid]: '' })}>×</button>
                </div>
              ))}
              <div className="ih-add">
                <select aria-label="Добавить индивидуальное задание ученику" value={addFor} onChange={(e) => setAddFor(e.target.value)}>
                  <option value="">Добавить ученику…</option>
                  {view.students.filter((s) => !(s.id in form.individual)).map((s) => <option key={s.id} value={s.id}>{listName(s)}</option>)}
                </select>
                <button type="button" className="btn btn-small" disabled={!addFor} onClick={() => { set('individual', { ...form.individual, [addFor]: '' }); setAddFor(''); }}>Добавить</button>
              </div>
            </div>
          </fieldset>
          {failure && <NoticeLine level="refuse" message={failure.message} clause={failure.clause} requirement={failure.requirement} />}
          {failure?.notices?.filter((n) => n.level === 'warn').map((n, i) => <NoticeLine key={i} level="warn" message={n.message} clause={n.clause} requirement={n.requirement} />)}
          {notices.map((n, i) => <NoticeLine key={i} level={n.level} message={n.message} clause={n.clause} requirement={n.requirement} />)}
          {saved && !failure && <p className="panel-saved" role="status">Сохранено{notices.length ? ' с предупреждениями' : ''}</p>}
          {!ro && (
            <div className="panel-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Сохранение…' : 'Сохранить'}</button>
              <button type="button" className="btn" onClick={onClose}>Закрыть</button>
            </div>
          )}
        </form>
      )}
    </aside>
  );
}
