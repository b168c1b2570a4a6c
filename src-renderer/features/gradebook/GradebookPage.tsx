/**
 * The journal page (учитель; read-only for the class teacher's other subjects and for the
 * administration): pick class or group, subject and period; the grid; the lesson panel; period
 * marks with the system's proposal; correction requests.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CourseList, GradebookView } from '../../../src-shared/contract/methods';
import { useQuery, useTransport } from '../../app/data';
import { redirect, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorState, Loading } from '../../components/States';
import { buildColumns, type LessonColumn } from './model';
import { GradebookStore } from './store';
import { Grid, type CorrectionDraft } from './Grid';
import { LessonPanel } from './LessonPanel';
import { CorrectionDialog } from './CorrectionDialog';
import type { Cursor } from './keyboard';
import { ClosedYearBanner, useClosedYear } from '../year/YearClosePage';

type Course = CourseList['courses'][number];
type Period = CourseList['periods'][number];

const YEAR = 'year';

export function defaultPeriod(periods: Period[], scheme: string, today: string): string {
  const own = periods.filter((p) => p.scheme === scheme);
  const p = own.find((x) => x.starts <= today && today <= x.ends) ?? own.filter((x) => x.starts <= today).at(-1) ?? own[0];
  return p?.id ?? YEAR;
}

export function GradebookPage({ params }: { params: string[] }) {
  const { session, role } = useSession();
  const q = useQuery('courses.list', {});
  const [courseId, periodParam] = params;
  const ownClasses = useMemo(() => new Set(session.classes.filter((c) => c.own).map((c) => c.id)), [session.classes]);
  const list = useMemo(() => (q.value?.courses ?? []).filter((c) => {
    if (role === 'teacher') return !c.readOnly;
    if (role === 'class_teacher') return (c.classId !== null && ownClasses.has(c.classId)) || (c.classId === null && c.readOnly);
    return true;
  }), [q.value, role, ownClasses]);
  const course = list.find((c) => c.id === courseId);
  const periods = q.value?.periods ?? [];
  // R-ARCHIVE (п. 12.1): a closed year's page is read-only, with a banner saying why.
  const closedYear = useClosedYear(courseId);

  useEffect(() => {
    if (q.status !== 'ready' || list.length === 0) return;
    if (!course) {
      const first = list[0]!;
      redirect('journal', first.id, defaultPeriod(periods, first.scheme, session.today));
    } else if (!periodParam || (periodParam !== YEAR && !periods.some((p) => p.id === periodParam && p.scheme === course.scheme))) {
      redirect('journal', course.id, defaultPeriod(periods, course.scheme, session.today));
    }
  }, [q.status, list, course, periodParam, periods, session.today]);

  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  if (q.status === 'loading' && !q.value) return <Loading what="Загружаем список предметов" />;
  if (list.length === 0) {
    return <Empty title="Нет страниц журнала">{role === 'teacher' ? 'За вами не закреплён ни один предмет в учебном плане этого года. Обратитесь к заместителю директора.' : 'Для вашего класса ещё не составлен учебный план.'}</Empty>;
  }
  if (!course || !periodParam) return <Loading />;
  const periodId = periodParam === YEAR ? null : periodParam;
  const period = periods.find((p) => p.id === periodId) ?? null;
  const readOnlyReason = closedYear ? `учебный год ${closedYear.name} закрыт, журнал хранится только для чтения (п. 12.1)` : role === 'deputy' || role === 'director'
    ? 'администрация школы контролирует ведение журнала, отметки выставляет учитель (п. 9.2)'
    : 'классный руководитель видит все предметы класса без права исправления (п. 9.4)';
  return (
    <div className="gb-page">
      <Pickers list={list} course={course} periods={periods} periodId={periodId} />
      <ClosedYearBanner year={closedYear} />
      <Gradebook key={`${course.id}/${periodParam}`} course={course} periodId={periodId} periodName={period?.name ?? null} readOnly={course.readOnly || !!closedYear} readOnlyReason={readOnlyReason} />
    </div>
  );
}

function Pickers({ list, course, periods, periodId }: { list: Course[]; course: Course; periods: Period[]; periodId: string | null }) {
  const { session } = useSession();
  const groups = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of list) if (!seen.has(c.groupId)) seen.set(c.groupId, c.groupName);
    return [...seen];
  }, [list]);
  const subjects = list.filter((c) => c.groupId === course.groupId);
  // «(просмотр)» only where own and others' subjects are side by side (a class teacher's class).
  const mixed = subjects.some((c) => c.readOnly) && subjects.some((c) => !c.readOnly);
  const own = periods.filter((p) => p.scheme === course.scheme);
  return (
    <div className="toolbar" role="toolbar" aria-label="Страница журнала">
      <label className="tb-field">
        <span>Класс, группа</span>
        <select value={course.groupId} onChange={(e) => {
          const next = list.find((c) => c.groupId === e.target.value && c.subjectId === course.subjectId) ?? list.find((c) => c.groupId === e.target.value)!;
          navigate('journal', next.id, defaultPeriod(periods, next.scheme, session.today));
        }}>
          {groups.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </select>
      </label>
      <label className="tb-field">
        <span>Предмет</span>
        <select value={course.id} onChange={(e) => navigate('journal', e.target.value, periodId ?? YEAR)}>
          {subjects.map((c) => <option key={c.id} value={c.id}>{c.subjectName}{c.readOnly && mixed ? ' (просмотр)' : ''}</option>)}
        </select>
      </label>
      <label className="tb-field">
        <span>Период</span>
        <select value={periodId ?? YEAR} onChange={(e) => navigate('journal', course.id, e.target.value)}>
          {own.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          <option value={YEAR}>Весь учебный год</option>
        </select>
      </label>
      <span className="tb-meta">{course.teacherName ? `Учитель: ${course.teacherName}` : 'Учитель не назначен'} · {course.hoursPerWeek} ч в неделю</span>
      {course.readOnly && <span className="tb-readonly" role="note">Только просмотр</span>}
    </div>
  );
}

function initialCursor(view: GradebookView, cols: ReturnType<typeof buildColumns>, today: string): Cursor {
  let col = 0;
  cols.forEach((c, i) => { if (c.kind === 'lesson' && c.column === 'main' && c.lesson.date <= today) col = i; });
  return { row: 0, col };
}

function Gradebook({ course, periodId, periodName, readOnly, readOnlyReason }: { course: Course; periodId: string | null; periodName: string | null; readOnly: boolean; readOnlyReason: string }) {
  const t = useTransport();
  const { session } = useSession();
  const q = useQuery('gradebook.get', { courseId: course.id, ...(periodId ? { periodId } : {}) });
  const proposals = useQuery('periodMark.proposal', periodId ? { courseId: course.id, periodId } : null);
  const view = q.value;
  const store = useMemo(() => (view ? new GradebookStore(t, view, periodId) : null), [t, view, periodId]);
  const [added, setAdded] = useState<ReadonlySet<string>>(new Set());
  const columns = useMemo(() => (view ? buildColumns(view, added, !!periodId) : []), [view, added, periodId]);
  const [lessonId, setLessonId] = useState<string | null>(null);
  const [correction, setCorrection] = useState<CorrectionDraft | null>(null);
  const gridHost = useRef<HTMLDivElement>(null);
  const cursor0 = useRef<Cursor | null>(null);
  if (view && !cursor0.current) cursor0.current = initialCursor(view, columns, session.today);

  useEffect(() => { if (store && proposals.value) store.setProposals(proposals.value); }, [store, proposals.value]);
  // Marks change the proposal: ask again a moment after the last change settles.
  useEffect(() => {
    if (!store || !periodId) return;
    let timer = 0;
    let last = store.version;
    const unsub = store.subscribe(() => {
      if (store.version === last) return;
      last = store.version;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => proposals.reload(), 1500);
    });
    return () => { unsub(); window.clearTimeout(timer); };
  }, [store, periodId, proposals.reload]);

  const focusGrid = () => gridHost.current?.querySelector<HTMLElement>('[role="grid"]')?.focus();

  if (q.status === 'error' && !view) return <ErrorState error={q.error} retry={q.reload} />;
  if (!view || !store) return <Loading what="Загружаем страницу журнала" />;
  if (view.students.length === 0) return <Empty title="В списке класса (группы) нет обучающихся">Список составляет классный руководитель или ответственный за техподдержку.</Empty>;
  // No lessons yet (a new school before its timetable): the page still shows whose journal it is.
  if (view.lessons.length === 0) {
    return (
      <div className="gb-no-lessons">
        <Empty title={`${periodName ? `В периоде «${periodName}»` : 'В этом учебном году'} уроков по предмету нет`}>Уроки появляются по расписанию, которое ведёт методист.</Empty>
        <section className="gb-roster" aria-label="Обучающиеся">
          <h2 className="gb-roster-title">Обучающиеся: {view.students.length}</h2>
          <ol>{view.students.map((s) => <li key={s.id}>{[s.lastName, s.firstName, s.middleName].filter(Boolean).join(' ')}</li>)}</ol>
        </section>
      </div>
    );
  }
  const openLesson = view.lessons.find((l) => l.id === lessonId) ?? null;
  return (
    <div className={`gb-layout${openLesson ? ' has-panel' : ''}`}>
      <div className="gb-main" ref={gridHost}>
        <Grid
          store={store} view={view} columns={columns} readOnly={readOnly} readOnlyReason={readOnlyReason} periodName={periodName} today={session.today}
          initialCursor={cursor0.current ?? { row: 0, col: 0 }}
          onOpenLesson={(id) => { store.dismissProblem(); setLessonId(id); }}
          onCorrection={setCorrection}
        />
      </div>
      {openLesson && (
        <LessonPanel
          key={openLesson.id}
          lessonId={openLesson.id}
          course={course}
          view={view}
          store={store}
          readOnly={readOnly}
          columns={columns.filter((c): c is LessonColumn => c.kind === 'lesson' && c.lesson.id === openLesson.id).map((c) => c.column)}
          onToggleColumn={(key, on) => setAdded((s) => { const n = new Set(s); if (on) n.add(key); else n.delete(key); return n; })}
          onSaved={() => q.reload()}
          onClose={() => { setLessonId(null); focusGrid(); }}
        />
      )}
      {correction && (
        <CorrectionDialog draft={correction} view={view} periodId={periodId} onClose={() => { setCorrection(null); focusGrid(); }} />
      )}
    </div>
  );
}
