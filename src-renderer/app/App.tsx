import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionView } from '../../src-shared/contract/methods';
import { ROLE_LABELS, type Role } from '../../src-shared/domain/school';
import type { AppTransport } from '../transport';
import { TransportProvider, takePrefetched, takeSettled, useTransport, type Failure } from './data';
import { Login } from './Login';
import { Enrol } from './Enrol';
import { desktopBridge } from '../transport/ipc';
import { SECTIONS, SessionContext, orderedRoles, useSession, type SessionState } from './session';
import { href, navigate, redirect, useRoute } from './router';
import { StatusBar } from './StatusBar';
import { OneTimePasswordPage, PasswordDialog } from './PasswordChange';
import { ErrorState, Empty, Loading } from '../components/States';
import { GradebookPage } from '../features/gradebook/GradebookPage';
import { DiaryPage } from '../features/diary/DiaryPage';
import { ClassPage } from '../features/classview/ClassPage';
import { AttendancePage } from '../features/attendance/AttendancePage';
import { CorrectionsPage } from '../features/corrections/CorrectionsPage';
import { AccountsPage } from '../features/admin/AccountsPage';
import { RegisterPage } from '../features/admin/RegisterPage';
import { SchoolYearPage } from '../features/admin/SchoolYearPage';
import { StructurePage } from '../features/admin/StructurePage';
import { CurriculumPage } from '../features/admin/CurriculumPage';
import { TimetablePage } from '../features/timetable/TimetablePage';
import { ChangesPage } from '../features/timetable/ChangesPage';
import { SubstitutionsPage } from '../features/timetable/SubstitutionsPage';
import { ImportPage } from '../features/admin/ImportPage';
import { YearClosePage } from '../features/year/YearClosePage';

export function App({ transport }: { transport: AppTransport }) {
  return <TransportProvider transport={transport}><Root /></TransportProvider>;
}

const ROLE_KEY = 'ejournal.role';

function roleFor(s: SessionView, afterLogin: boolean): Role | null {
  const roles = orderedRoles(s.roles);
  const saved = window.localStorage.getItem(ROLE_KEY) as Role | null;
  return saved && roles.includes(saved) && !afterLogin ? saved : roles[0] ?? null;
}

function Root() {
  const t = useTransport();
  // The early «who am I» may have arrived before React started: then the first render is the page.
  const [first] = useState(() => takeSettled('session.get', {}));
  const firstOk = first?.ok ? first.value : null;
  const [phase, setPhase] = useState<'checking' | 'login' | 'ready' | 'failed'>(firstOk ? 'ready' : 'checking');
  const [session, setSession] = useState<SessionView | null>(firstOk);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | undefined>();
  const [role, setRoleState] = useState<Role | null>(() => (firstOk ? roleFor(firstOk, false) : null));
  // The desktop asks first whether this computer is enrolled at a school (a browser never is asked).
  const bridge = useMemo(() => (t.kind === 'desktop' ? desktopBridge() : null), [t]);
  const [enrol, setEnrol] = useState<'unknown' | 'needed' | 'skipped' | 'done'>(bridge ? 'unknown' : 'done');
  useEffect(() => {
    if (!bridge) return;
    void bridge.call('desktop.syncStatus', {}).then(
      (r) => setEnrol(r.ok && (r.value as { enrolled?: unknown } | null)?.enrolled === false ? 'needed' : 'done'),
      () => setEnrol('done'),
    );
  }, [bridge]);

  const load = useCallback(async (afterLogin: boolean) => {
    setPhase('checking');
    const r = await ((afterLogin ? undefined : takePrefetched('session.get', {})) ?? t.call('session.get', {}));
    if (r.ok) {
      setRoleState(roleFor(r.value, afterLogin));
      setSession(r.value);
      setMessage(null);
      setPhase('ready');
    } else if (r.error.code === 'unauthenticated') {
      setPhase('login');
    } else {
      setFailure(r.error);
      setPhase('failed');
    }
  }, [t]);

  useEffect(() => { if (!firstOk) void load(false); }, [load, firstOk]);
  // Only a session that existed can expire: the first «who am I» before login is not news.
  const hadSession = useRef(false);
  hadSession.current = phase === 'ready';
  useEffect(() => t.onUnauthenticated(() => {
    if (!hadSession.current) return;
    hadSession.current = false;
    setSession(null);
    setMessage('Сеанс работы завершён (истёк срок или выполнен выход на другом устройстве): войдите снова');
    setPhase('login');
  }), [t]);

  // The desktop's main process ends the session itself: the inactivity lock (a shared school
  // computer) or «Выйти» from its menu. The window drops everything it showed and asks to log in.
  useEffect(() => {
    if (!bridge) return undefined;
    return bridge.on((e) => {
      const type = (e as { type?: unknown } | null)?.type;
      if (type !== 'locked' && type !== 'logout') return;
      hadSession.current = false;
      setSession(null);
      setMessage(type === 'locked' ? 'Журнал заблокирован после бездействия: войдите снова' : 'Вы вышли из журнала');
      setPhase('login');
      window.location.hash = '';
    });
  }, [bridge]);

  const setRole = useCallback((r: Role) => { window.localStorage.setItem(ROLE_KEY, r); setRoleState(r); }, []);
  const logout = useCallback(() => {
    void t.logout().then(() => { setSession(null); setMessage('Вы вышли из журнала'); setPhase('login'); window.location.hash = ''; });
  }, [t]);
  const state = useMemo<SessionState | null>(() => (session && role ? { session, role, setRole, logout } : null), [session, role, setRole, logout]);

  if (phase === 'checking') return <div className="boot"><Loading what="Открываем журнал" /></div>;
  if (phase === 'failed') return <div className="boot"><ErrorState title="Журнал недоступен" error={failure} retry={() => void load(false)} /></div>;
  if (phase === 'login' || !state) {
    if (enrol === 'unknown') return <div className="boot"><Loading what="Открываем журнал" /></div>;
    if (enrol === 'needed' && bridge) return <Enrol bridge={bridge} onDone={() => { setEnrol('done'); setMessage('Компьютер подключён к школе: войдите со своим логином и паролем'); }} onSkip={() => setEnrol('skipped')} />;
    return <Login message={message} onDone={() => void load(true)} {...(enrol === 'skipped' ? { onEnrol: () => setEnrol('needed') } : {})} />;
  }
  // R-ACCOUNTS (п. 10.1): after a one-time password nothing but choosing one's own.
  if (state.session.account.mustChangePassword) return <OneTimePasswordPage session={state.session} onDone={() => void load(true)} onLogout={logout} />;
  return <SessionContext.Provider value={state}><Shell /></SessionContext.Provider>;
}

function Shell() {
  const { session, role, setRole, logout } = useSession();
  const route = useRoute();
  const roles = orderedRoles(session.roles);
  const sections = SECTIONS[role];
  const current = sections.find((s) => s.id === route.section);
  const [passwordOpen, setPasswordOpen] = useState(false);
  useEffect(() => {
    if (!current && sections[0]) redirect(sections[0].id);
  }, [current, sections]);

  function switchRole(r: Role) {
    setRole(r);
    const first = SECTIONS[r][0];
    if (first) navigate(first.id);
  }

  return (
    <div className={`shell role-${role}`}>
      <header className="topbar">
        <div className="brand"><span className="brand-mark" aria-hidden="true">ЭЖ</span><span className="brand-name">{session.school.name}</span></div>
        <nav className={`nav${sections.length < 2 ? ' is-single' : ''}`} aria-label="Разделы">
          {sections.map((s) => (
            <a key={s.id} href={href(s.id)} className={`nav-link${s.id === route.section ? ' is-current' : ''}`} aria-current={s.id === route.section ? 'page' : undefined}>{s.label}</a>
          ))}
        </nav>
        <div className="user">
          {roles.length > 1 ? (
            <label className="role-switch">
              <span className="visually-hidden">Роль</span>
              <select value={role} onChange={(e) => switchRole(e.target.value as Role)} aria-label="Роль">
                {roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
              </select>
            </label>
          ) : <span className="role-one">{ROLE_LABELS[role]}</span>}
          <span className="user-who">
            <span className="user-name" title={session.account.login}>{session.person.shortName}</span>
            <button type="button" className="btn-link user-pw" aria-haspopup="dialog" onClick={() => setPasswordOpen(true)}>Сменить пароль</button>
          </span>
          <button type="button" className="btn btn-quiet" onClick={logout}>Выйти</button>
        </div>
      </header>
      <main className="page" id="main">
        {sections.length === 0 ? (
          <Empty title={`Для роли «${ROLE_LABELS[role]}» в веб-версии журнала пока нет разделов`}>
            Расписание, замены и настройка школы будут в следующих версиях. Журнал и дневник доступны учителям, классным руководителям, администрации, родителям и обучающимся.
          </Empty>
        ) : !current ? <Loading /> : <SectionView id={current.id} params={route.params} />}
      </main>
      <StatusBar />
      {passwordOpen && <PasswordDialog login={session.account.login} onClose={() => setPasswordOpen(false)} />}
    </div>
  );
}

function SectionView({ id, params }: { id: string; params: string[] }) {
  switch (id) {
    case 'journal': return <GradebookPage params={params} />;
    case 'diary': return <DiaryPage params={params} />;
    case 'class': return <ClassPage params={params} />;
    case 'attendance': return <AttendancePage params={params} />;
    case 'corrections': return <CorrectionsPage />;
    case 'accounts': return <AccountsPage params={params} />;
    case 'register': return <RegisterPage params={params} />;
    case 'school': return <SchoolYearPage params={params} />;
    case 'structure': return <StructurePage params={params} />;
    case 'curriculum': return <CurriculumPage params={params} />;
    case 'import': return <ImportPage params={params} />;
    case 'timetable': return <TimetablePage params={params} />;
    case 'changes': return <ChangesPage params={params} />;
    case 'substitutions': return <SubstitutionsPage />;
    case 'year-close': return <YearClosePage />;
    default: return <Empty title="Раздел не найден" />;
  }
}
