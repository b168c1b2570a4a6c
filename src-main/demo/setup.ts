/**
 * The week before 1 September, through the commands a real school uses: `ejournal init` makes the
 * technical administrator and the school (first-run.ts); the administrator enters the year, its
 * periods, holidays, bells and subjects on the set-up screens and loads the school's lists through
 * the import's planner (lists.ts: staff with logins and roles, classes and groups, pupils with
 * their groups and parents, the curriculum with the teacher load, the families' diary forms), then
 * gives the accounts their passwords; the methodist enters the timetable, the deputy the КТП,
 * class teachers the parents' personal-data consents.
 */
import { LEVELS, type Level, type PersonKind, type Role } from '../../src-shared/domain/school';
import { newAccount } from '../admin/accounts';
import { firstRunDrafts, firstRunInput } from '../admin/first-run';
import { DEFAULT_COST, hashPassword, type ScryptCost } from '../auth/password';
import { draft, type OpDraft } from '../journal/log';
import { BELLS, minutesOf, TIME_ZONE, ymd, type SchoolCalendar } from './calendar';
import { CLUB_SUBJECT, ELECTIVE_SUBJECT, SUBJECTS } from './curriculum';
import { buildKtp, expandKtp, type KtpEntry, type PlannedLesson } from './ktp';
import { classesList, curriculumList, planList, staffList, studentsList, type DemoList } from './lists';
import type { Rng } from './prng';
import type { Course, School } from './school';
import { Writer } from './writer';

/**
 * Generated accounts get a cheap scrypt cost so that a 1500-pupil demo is made in seconds; still
 * only verifiers are stored. The named demo accounts have the production cost. The cost does not
 * tell which logins exist: the server spends its full cost on every check (a weaker verifier is
 * checked against its dummy as well) and upgrades a weaker verifier at its first login
 * (src-server/auth/service.ts).
 */
const CHEAP_COST: ScryptCost = { logN: 10, r: 8, p: 1 };
/**
 * The cost `newAccount` hashes its one-time password at, for a verifier the demo does not write
 * (see `account` in writeSetup): about the least scrypt runs with here, so that 1 500 families cost no time.
 */
const DISCARDED_COST: ScryptCost = { logN: 2, r: 1, p: 1 };

const SCHOOL = {
  name: 'МБОУ «Тазовская СОШ № 2»',
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Тазовская средняя общеобразовательная школа № 2»',
  address: '629350, Ямало-Ненецкий автономный округ, Тазовский район, п. Тазовский, ул. Пристанская, д. 12',
  timezone: TIME_ZONE,
};

export const DEMO_PASSWORD = 'demo';

export interface CoursePlan { entries: KtpEntry[]; ids: string[]; lessons: PlannedLesson[]; lessonKtpId: string[] }

export const planKey = (k: Course) => `${k.subjectId}:${k.grade}`;

/** One КТП per subject and parallel (R-KTP), sized to that parallel's weekly hours × 34 weeks. */
export function buildPlans(school: School): Map<string, CoursePlan> {
  const plans = new Map<string, CoursePlan>();
  for (const k of school.courses) {
    const key = planKey(k);
    if (plans.has(key)) continue;
    const classCourse = school.courses.find((c) => c.subjectId === k.subjectId && c.grade === k.grade && c.group.kind !== 'subgroup') ?? k;
    const entries = buildKtp(k.subjectId, k.code, k.grade, Math.round(classCourse.hours * 34));
    const ids = entries.map((e) => `ktp-${k.subjectId}-${k.grade}-${String(e.number).padStart(3, '0')}`);
    const lessons = expandKtp(entries);
    const idOf = new Map(entries.map((e, i) => [e, ids[i]!]));
    plans.set(key, { entries, ids, lessons, lessonKtpId: lessons.map((l) => idOf.get(l.entry)!) });
  }
  return plans;
}

/** The i-th of n entries made one after another within `windowMin` minutes (at most `stepMin` apart). */
const spread = (i: number, n: number, stepMin: number, windowMin: number) => Math.round(i * Math.min(stepMin, windowMin / Math.max(1, n)) * 60_000);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function writeSetup(w: Writer, school: School, cal: SchoolCalendar, plans: Map<string, CoursePlan>, rng: Rng): void {
  const Y = cal.startYear;
  const y = cal.yearId;
  const day = (d: number) => ymd(Y, 8, d);
  const at = (d: number, hhmm: string) => Writer.at(day(d), minutesOf(hhmm));
  const { admin, methodist, deputy } = school.demo;
  const salt = () => rng.bytes(16);
  const verifier = (demo: boolean) => hashPassword(DEMO_PASSWORD, demo ? DEFAULT_COST : CHEAP_COST, salt());
  const j = w.journal;
  /** The administrator loads a list: planned when it happens, from the journal as it is then. */
  const load = (when: number, list: DemoList) => w.add(when, admin.accountId, () => planList(j, list, when, admin.accountId));

  // 25 August: `ejournal init` — the technical administrator and the school; then the calendar and
  // subjects on the set-up screens, the staff list with logins and roles, and the staff's passwords.
  const first = firstRunInput({ school: SCHOOL.name, login: admin.login, timeZone: TIME_ZONE, adminName: `${admin.name.last} ${admin.name.first} ${admin.name.middle}` });
  w.add(at(25, '09:00'), admin.accountId, firstRunDrafts(first, { staffId: admin.id, accountId: admin.accountId }, verifier(true)));
  w.add(at(25, '09:05'), admin.accountId, [
    draft('school.set', SCHOOL),
    draft('year.set', { id: y, name: cal.yearName, starts: cal.starts, ends: cal.ends }),
    ...LEVELS.map((level: Level) => draft('levelScheme.set', { yearId: y, level, scheme: level === 'SOO' ? 'halves' : 'trimesters' })),
    ...cal.periods.map((p) => draft('period.set', { id: p.id, yearId: y, scheme: p.scheme, number: p.number, name: p.name, starts: p.starts, ends: p.ends })),
    ...cal.holidays.map((h) => draft('holiday.set', { id: h.id, yearId: y, name: h.name, starts: h.starts, ends: h.ends, ...(h.grades ? { grades: h.grades } : {}) })),
    ...BELLS.map((b) => draft('bell.set', { yearId: y, number: b.number, starts: b.starts, ends: b.ends })),
    // The subjects screen, not the curriculum list: the list would guess each subject's code from its name.
    ...[...SUBJECTS, ELECTIVE_SUBJECT, CLUB_SUBJECT].map((s) => draft('subject.set', { id: s.id, name: s.name, short: s.short, code: s.code })),
  ]);
  load(at(25, '10:40'), staffList(school));
  const demoIds = new Set(Object.values(school.demo).map((p) => p.id));
  w.add(at(25, '11:20'), admin.accountId, school.staff.filter((s) => s !== admin).map((s) => draft('account.password', { id: s.accountId, verifier: verifier(demoIds.has(s.id)) })));

  // 26 August: the classes and groups, then the pupils with their groups and parents.
  load(at(26, '09:30'), classesList(school));
  load(at(26, '10:30'), studentsList(school, { diary: false }));

  // 27 August: the curriculum with the load; the timetable; the КТП.
  load(at(27, '09:15'), curriculumList(school));
  const byGroup = new Map<string, Course[]>();
  for (const k of school.courses) byGroup.set(k.group.id, [...(byGroup.get(k.group.id) ?? []), k]);
  [...byGroup.values()].forEach((list, i) => {
    w.add(at(27, '10:30') + spread(i, byGroup.size, 3, 300), methodist.accountId, list.flatMap((k) => k.slots.map((s) => draft('slot.set', {
      id: s.id, courseId: k.id, weekday: s.day + 1, number: s.number, room: k.room, validFrom: cal.starts, ...(s.kind !== 'main' ? { kind: s.kind } : {}),
    }))));
  });
  [...plans.entries()].forEach(([key, plan], i) => {
    const [subjectId, grade] = key.split(':') as [string, string];
    w.add(at(27, '13:00') + spread(i, plans.size, 1, 240), deputy.accountId, plan.entries.map((e, n) => draft('ktp.set', {
      id: plan.ids[n]!, yearId: y, subjectId, grade: Number(grade), number: e.number, topic: e.topic, ...(e.hours !== 1 ? { hours: e.hours } : {}),
    })));
  });

  // 28 August: class teachers record the personal-data consents signed at the parents' meeting (R-CONSENT).
  const classTeacher = new Map(school.classes.map((c) => [c.id, school.staff.find((s) => s.id === c.teacherId)!]));
  const byTeacher = new Map<string, OpDraft[]>();
  for (const p of school.parents) {
    const t = classTeacher.get(p.children[0]!.classId)!;
    const list = byTeacher.get(t.accountId) ?? [];
    list.push(draft('consent.set', { parentId: p.id, kind: 'personal_data', value: p.refused ? 'refused' : 'given', date: p.consentDate }));
    byTeacher.set(t.accountId, list);
  }
  [...byTeacher.entries()].forEach(([acc, list], i) => w.add(at(28, '16:00') + spread(i, byTeacher.size, 7, 240), acc, list));

  // 31 August: the pupils' list again with the diary form each family chose at the meeting (R-CONSENT);
  // then accounts for the families on the electronic diary, and the demo pupil.
  load(at(31, '09:00'), studentsList(school, { diary: true }));
  const account = (a: { accountId: string; login: string; personKind: PersonKind; personId: string; role: Role }, demo: boolean) => {
    const known = draft('account.password', { id: a.accountId, verifier: verifier(demo) });
    return () => {
      const made = newAccount(j, { id: a.accountId, login: a.login, personKind: a.personKind, personId: a.personId, roles: [a.role] }, { cost: DISCARDED_COST });
      // Its one-time password is random (the op log would differ from run to run) and would make the
      // documented password unusable: the administrator sets the known one instead.
      return [...made.drafts.filter((d) => d.kind !== 'account.reset'), known];
    };
  };
  const accountChunks = chunks(school.parents.filter((p) => p.accountId), 100);
  accountChunks.forEach((list, i) => {
    const makers = list.map((p) => account({ accountId: p.accountId!, login: p.login!, personKind: 'parent', personId: p.id, role: 'parent' }, p === school.demo.parent));
    w.add(at(31, '10:00') + spread(i, accountChunks.length, 10, 150), admin.accountId, () => makers.flatMap((make) => make()));
  });
  const st = school.demo.student;
  w.add(at(31, '12:30'), admin.accountId, account({ accountId: 'acc-student', login: 'student', personKind: 'student', personId: st.id, role: 'student' }, true));
  w.add(at(31, '18:00'), school.demo.director.accountId, [draft('announcement.post', {
    id: 'ann-001', title: 'С Днём знаний!',
    body: 'Уважаемые ребята и родители! Торжественная линейка, посвящённая Дню знаний, состоится 1 сентября в 9:00 у главного входа школы. Первые уроки — классные часы «Разговоры о важном».',
    audience: { kind: 'school' },
  })]);
}
