/**
 * The demo school as plain data, before anything is written to the journal: classes and their
 * pupils, families, staff, the curriculum with the teacher load, groups beyond the class (an
 * elective for 10–11, a club, home schooling) and the weekly timetable.
 */
import type { GroupKind, LessonKind, MedicalGroup, Role, SubjectCode, TimetableKind } from '../../src-shared/domain/school';
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays } from '../../src-shared/domain/values';
import { CLUB_SUBJECT, dayBounds, ELECTIVE_SUBJECT, HOME_PLAN, SPEC_POSITION, SUBJECT_BY_ID, SUBJECTS, specOf, type Spec } from './curriculum';
import { ymd, type SchoolCalendar } from './calendar';
import { NameBank, patronymic, sortKey, surnameFor, translit, type FullName, type Gender } from './names';
import type { Rng } from './prng';
import { solveTimetable, type TtClass, type TtFixed } from './timetable';

export interface Student {
  id: string;
  name: FullName;
  gender: Gender;
  birthDate: LocalDate;
  classId: string;
  grade: number;
  /** The level the pupil works at, 2.7…4.9: the centre of their marks. */
  ability: number;
  /** How often the pupil falls ill, relative to the school's average. */
  frailty: number;
  homeSchooling: boolean;
  medicalGroup: MedicalGroup;
  peExemptUntil?: LocalDate;
  family: number;
}

export interface Parent {
  id: string;
  name: FullName;
  gender: Gender;
  relation: string;
  phone: string;
  email?: string;
  children: Student[];
  /** R-CONSENT: the family chose the paper diary. */
  paper: boolean;
  /** R-CONSENT: refused personal-data processing. */
  refused: boolean;
  consentDate: LocalDate;
  accountId?: string;
  login?: string;
}

export interface Staff {
  id: string;
  name: FullName;
  position: string;
  roles: Role[];
  spec?: Spec;
  room?: string;
  accountId: string;
  login: string;
  load: number;
}

export interface SchoolClass {
  id: string;
  key: string;
  grade: number;
  letter: string;
  name: string;
  groupId: string;
  teacherId: string;
  /** All pupils of the class, alphabetical (home-schooled ones too). */
  students: Student[];
}

export interface Group { id: string; key: string; name: string; kind: GroupKind; classId?: string; members?: Student[] }

export interface Slot { id: string; day: number; number: number; kind: TimetableKind }

export interface Course {
  id: string;
  group: Group;
  subjectId: string;
  code: SubjectCode;
  teacherId: string;
  hours: number;
  /** The grade whose КТП it follows and whose holidays it keeps. */
  grade: number;
  lessonKind: LessonKind;
  /** Who sits in its lessons (a class course leaves out home-schooled pupils, п. 8.2). */
  roster: Student[];
  slots: Slot[];
  room: string;
  /** No marks, no period marks (clubs). */
  unmarked: boolean;
}

export interface School {
  classes: SchoolClass[];
  students: Student[];
  parents: Parent[];
  staff: Staff[];
  groups: Group[];
  courses: Course[];
  demo: { parent: Parent; student: Student; teacher: Staff; director: Staff; deputy: Staff; methodist: Staff; admin: Staff };
  homeStudents: Student[];
  peExempt: Student[];
  clubTeacher: Staff;
}

const LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р'];
const LETTER_KEYS = ['a', 'b', 'v', 'g', 'd', 'e', 'zh', 'z', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'r'];

/** Pupils per grade: smaller senior grades (10–11), some variation between the years. */
function gradeSizes(total: number, rng: Rng): number[] {
  const w = Array.from({ length: 11 }, (_, i) => (i >= 9 ? 0.55 : 1) * (0.88 + rng.next() * 0.24));
  const sum = w.reduce((a, b) => a + b, 0);
  const exact = w.map((x) => (x * total) / sum);
  const sizes = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) sizes[order[k % 11]![1]]! += 1;
  for (let k = 0; left < 0; k++) {
    const i = sizes.indexOf(Math.max(...sizes));
    sizes[i]! -= 1;
    left++;
  }
  // The demo family needs two pupils in grade 5 and one in grade 2.
  while (sizes[4]! < 3) { const i = sizes.indexOf(Math.max(...sizes)); sizes[i]! -= 1; sizes[4]! += 1; }
  return sizes;
}

function phone(rng: Rng): string {
  const d = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  return `+7 9${d(2)} ${d(3)}-${d(2)}-${d(2)}`;
}

function birthDate(grade: number, startYear: number, rng: Rng): LocalDate {
  // Grade 1 at 6½–7½ on 1 September; a few a year older.
  const from = ymd(startYear - 6 - grade, 3, 1);
  return addDays(from, rng.int(0, 364) - (rng.chance(0.06) ? 365 : 0));
}

const DEMO_STAFF: { key: keyof School['demo']; id: string; name: FullName; position: string; roles: Role[]; login: string }[] = [
  { key: 'director', id: 'e-director', name: { last: 'Лаптандер', first: 'Галина', middle: 'Ивановна' }, position: 'Директор', roles: ['director'], login: 'director' },
  { key: 'deputy', id: 'e-deputy', name: { last: 'Морозова', first: 'Татьяна', middle: 'Александровна' }, position: 'Заместитель директора по учебно-воспитательной работе', roles: ['deputy'], login: 'deputy' },
  { key: 'methodist', id: 'e-methodist', name: { last: 'Кузнецова', first: 'Ольга', middle: 'Викторовна' }, position: 'Методист (ответственный за расписание)', roles: ['methodist'], login: 'methodist' },
  { key: 'admin', id: 'e-admin', name: { last: 'Ядне', first: 'Роман', middle: 'Сергеевич' }, position: 'Инженер-программист (ответственный за техническую поддержку)', roles: ['admin'], login: 'admin' },
  { key: 'teacher', id: 'e-teacher', name: { last: 'Соколова', first: 'Ирина', middle: 'Николаевна' }, position: SPEC_POSITION.rus, roles: ['teacher', 'class_teacher'], login: 'teacher' },
];

export function buildSchool(rng: Rng, cal: SchoolCalendar, studentsWanted: number): School {
  const names = new NameBank(rng.fork('names'));
  const r = rng.fork('school');
  const Y = cal.startYear;

  // ── classes ──────────────────────────────────────────────────────────────
  const sizes = gradeSizes(studentsWanted, r);
  const classes: SchoolClass[] = [];
  const seats: number[] = [];
  for (let g = 1; g <= 11; g++) {
    const n = sizes[g - 1]!;
    const k = Math.min(LETTERS.length, Math.max(1, Math.ceil(n / 28)));
    for (let i = 0; i < k; i++) {
      const key = `${g}${LETTER_KEYS[i]!}`;
      classes.push({ id: `c-${key}`, key, grade: g, letter: LETTERS[i]!, name: `${g}${LETTERS[i]!}`, groupId: `g-${key}`, teacherId: '', students: [] });
      seats.push(Math.floor(n / k) + (i < n % k ? 1 : 0));
    }
  }
  const byGrade = (g: number) => classes.filter((c) => c.grade === g);
  const c5a = byGrade(5)[0]!;
  const c2a = byGrade(2)[0]!;

  // ── families and pupils ──────────────────────────────────────────────────
  const students: Student[] = [];
  const parents: Parent[] = [];
  let family = 0;
  const seatLeft = [...seats];
  const classIdx = new Map(classes.map((c, i) => [c.id, i]));
  const newChild = (cls: SchoolClass, surname: string, father: string): Student => {
    const gender: Gender = r.chance(0.5) ? 'm' : 'f';
    const s: Student = {
      id: '', name: { last: surnameFor(surname, gender), first: names.childName(gender), middle: patronymic(father, gender) }, gender,
      birthDate: birthDate(cls.grade, Y, r), classId: cls.id, grade: cls.grade,
      ability: Math.min(4.9, Math.max(2.7, r.normal(4.0, 0.5))),
      frailty: r.pick([0.4, 0.7, 0.9, 1, 1, 1.1, 1.3, 1.6, 2.2]),
      homeSchooling: false, medicalGroup: r.chance(0.06) ? 'preparatory' : 'main', family,
    };
    seatLeft[classIdx.get(cls.id)!]! -= 1;
    students.push(s);
    cls.students.push(s);
    return s;
  };
  while (seatLeft.some((x) => x > 0)) {
    const demoFamily = family === 0;
    const surname = names.surname();
    const father = names.fatherName();
    const kids: Student[] = [];
    if (demoFamily) {
      kids.push(newChild(c5a, surname, father));
      if (seatLeft[classIdx.get(c2a.id)!]! > 0) kids.push(newChild(c2a, surname, father));
    } else {
      const first = classes[r.weighted(seatLeft.map((x) => Math.max(0, x)))]!;
      kids.push(newChild(first, surname, father));
      const want = r.weighted([60, 30, 10]);
      for (let k = 0; k < want; k++) {
        const g = first.grade + (r.chance(0.5) ? 1 : -1) * r.int(1, 5) * (k + 1);
        const cands = byGrade(g).filter((c) => seatLeft[classIdx.get(c.id)!]! > 0);
        if (cands.length === 0) continue;
        kids.push(newChild(r.pick(cands), surname, father));
      }
    }
    const paper = !demoFamily && r.chance(0.1);
    const refused = !demoFamily && paper && r.chance(0.3);
    const consentDate = ymd(Y, 8, r.int(26, 28)); // signed at the parents' meeting before the year
    const addParent = (gender: Gender, relation: string, name: FullName) => parents.push({
      id: '', name, gender, relation, phone: phone(r), ...(r.chance(0.3) ? { email: `${translit(name.last)}${r.int(10, 99)}@yandex.ru` } : {}),
      children: kids, paper, refused, consentDate,
    });
    const shape = demoFamily ? 0 : r.weighted([72, 20, 5, 3]);
    const motherSurname = r.chance(0.9) ? surname : names.surname();
    if (shape === 0 || shape === 1) addParent('f', 'мать', { last: surnameFor(motherSurname, 'f'), first: names.womanName(), middle: patronymic(names.fatherName(), 'f') });
    if (shape === 0 || shape === 2) addParent('m', 'отец', { last: surname, first: father, middle: patronymic(names.fatherName(), 'm') });
    if (shape === 3) addParent('f', 'бабушка (опекун)', { last: surnameFor(surname, 'f'), first: r.pick(['Галина', 'Валентина', 'Нина', 'Любовь', 'Раиса']), middle: patronymic(names.fatherName(), 'f') });
    family++;
  }
  for (const c of classes) {
    c.students.sort((a, b) => (sortKey(a.name) < sortKey(b.name) ? -1 : sortKey(a.name) > sortKey(b.name) ? 1 : 0));
    c.students.forEach((s, i) => { s.id = `s-${c.key}-${String(i + 1).padStart(2, '0')}`; });
  }
  students.sort((a, b) => (a.id < b.id ? -1 : 1));
  parents.forEach((p, i) => { p.id = `p-${String(i + 1).padStart(4, '0')}`; });

  // Home schooling (п. 8.2) in grade 3, PE exemption with the special medical group (п. 7.14).
  const ordinary = (s: Student) => s.family !== 0 && !s.homeSchooling && s.medicalGroup !== 'special';
  const homeStudents: Student[] = [];
  const homeCount = Math.max(1, Math.round(studentsWanted / 700));
  for (const c of byGrade(3).slice(0, homeCount)) {
    const cand = c.students.filter(ordinary);
    if (cand.length === 0) continue;
    const s = r.pick(cand);
    s.homeSchooling = true;
    homeStudents.push(s);
  }
  const peExempt: Student[] = [];
  const peCount = Math.max(1, Math.round(studentsWanted / 150));
  const peClasses = [byGrade(7)[0]!, ...classes.filter((c) => c.grade >= 5 && c.grade <= 9 && c !== byGrade(7)[0])];
  for (let i = 0; i < peCount && i < peClasses.length * 3; i++) {
    const c = i === 0 ? peClasses[0]! : r.pick(peClasses);
    const cand = c.students.filter(ordinary);
    if (cand.length === 0) continue;
    const s = r.pick(cand);
    s.medicalGroup = 'special';
    s.peExemptUntil = ymd(Y, 12, 20);
    peExempt.push(s);
  }
  const demoParent = parents.find((p) => p.children.some((c) => c.family === 0) && p.gender === 'f')!;
  const studentCands = c5a.students.filter(ordinary);
  const demoStudent = studentCands.length > 0 ? r.pick(studentCands) : c5a.students.find((s) => s.family !== 0) ?? c5a.students[0]!;

  // ── staff ────────────────────────────────────────────────────────────────
  const staff: Staff[] = [];
  const demo = {} as School['demo'];
  for (const d of DEMO_STAFF) {
    const s: Staff = { id: d.id, name: d.name, position: d.position, roles: d.roles, accountId: `acc-${d.login}`, login: d.login, load: 0 };
    if (d.key === 'teacher') { s.spec = 'rus'; s.room = 'каб. 21'; }
    staff.push(s);
    (demo as Record<string, unknown>)[d.key] = s;
  }
  let staffNo = 0;
  let roomNo = 11;
  const hire = (spec: Spec | undefined, position: string, roles: Role[], gender?: Gender): Staff => {
    const g: Gender = gender ?? (r.chance(spec === 'pe' || spec === 'tech' || spec === 'geo' ? 0.6 : 0.18) ? 'm' : 'f');
    const id = `e-${String(++staffNo).padStart(3, '0')}`;
    const s: Staff = { id, name: names.adult(g), position, roles, accountId: `acc-${id}`, login: '', load: 0, ...(spec ? { spec } : {}) };
    staff.push(s);
    return s;
  };
  const extraDeputies = Math.floor(studentsWanted / 600);
  for (let i = 0; i < extraDeputies; i++) hire(undefined, i % 2 === 0 ? 'Заместитель директора по воспитательной работе' : 'Заместитель директора по учебно-воспитательной работе', ['deputy']);

  // Primary classes: their own teacher.
  for (const c of classes.filter((x) => x.grade <= 4)) {
    const t = hire('primary', SPEC_POSITION.primary, ['teacher', 'class_teacher'], 'f');
    t.room = `каб. ${c.grade}${c.key.length > 1 ? `-${c.letter}` : ''}`.slice(0, 20);
    c.teacherId = t.id;
  }

  // ── groups and courses ───────────────────────────────────────────────────
  const groups: Group[] = classes.map((c) => ({ id: c.groupId, key: c.key, name: c.name, kind: 'class', classId: c.id }));
  const courses: Course[] = [];
  interface Bundle { spec: Spec; cls: SchoolClass; items: Course[]; hours: number; teacher?: Staff }
  const bundles: Bundle[] = [];
  for (const c of classes) {
    const roster = c.students.filter((s) => !s.homeSchooling);
    const group = groups.find((gr) => gr.id === c.groupId)!;
    for (const sub of SUBJECTS) {
      const h = sub.hours[c.grade - 1]!;
      if (h <= 0) continue;
      const spec = specOf(sub.id, c.grade);
      const course: Course = {
        id: `k-${c.key}-${sub.id}`, group, subjectId: sub.id, code: sub.code, teacherId: spec === 'primary' ? c.teacherId : '', hours: h, grade: c.grade,
        lessonKind: 'regular', roster, slots: [], room: '', unmarked: false,
      };
      courses.push(course);
      if (spec === 'primary') continue;
      let b = bundles.find((x) => x.cls === c && x.spec === spec);
      if (!b) bundles.push((b = { spec, cls: c, items: [], hours: 0 }));
      b.items.push(course);
      b.hours += h;
    }
  }
  // The elective for each pair 10X + 11X (a group that spans two classes).
  const electives: Course[] = [];
  const tens = byGrade(10);
  const elevens = byGrade(11);
  for (let i = 0; i < Math.min(tens.length, elevens.length); i++) {
    const a = tens[i]!;
    const b = elevens[i]!;
    const members = [...a.students, ...b.students].filter((s) => !s.homeSchooling && (s.ability >= 3.9 || r.chance(0.25)));
    if (members.length === 0) continue;
    const key = `el-${a.key}-${b.key}`;
    const group: Group = { id: `g-${key}`, key, name: `${ELECTIVE_SUBJECT.short} (${a.name}, ${b.name})`, kind: 'elective', members };
    groups.push(group);
    const course: Course = { id: `k-${key}`, group, subjectId: ELECTIVE_SUBJECT.id, code: ELECTIVE_SUBJECT.code, teacherId: '', hours: 1, grade: 10, lessonKind: 'regular', roster: members, slots: [], room: '', unmarked: false };
    courses.push(course);
    electives.push(course);
    bundles.push({ spec: 'math', cls: a, items: [course], hours: 1 });
  }

  // Teacher load: the demo teacher has Russian and literature in 5А–9А; the rest by largest bundle first.
  const target = studentsWanted > 400 ? 22 : 24;
  const teacherLoad = (t: Staff, b: Bundle) => {
    b.teacher = t;
    t.load += b.hours;
    for (const c of b.items) c.teacherId = t.id;
  };
  for (const b of bundles) {
    if (b.spec === 'rus' && b.cls.grade >= 5 && b.cls.grade <= 9 && b.cls === byGrade(b.cls.grade)[0] && b.items[0]?.group.kind === 'class') teacherLoad(demo.teacher, b);
  }
  const specs: Spec[] = ['rus', 'math', 'physinf', 'foreign', 'hist', 'biochem', 'geo', 'pe', 'musart', 'tech'];
  let gym = 0;
  for (const spec of specs) {
    const rest = bundles.filter((b) => b.spec === spec && !b.teacher);
    if (rest.length === 0) continue;
    const total = rest.reduce((a, b) => a + b.hours, 0);
    const n = Math.max(1, Math.round(total / target));
    const team: Staff[] = [];
    for (let i = 0; i < n; i++) {
      const t = hire(spec, SPEC_POSITION[spec], ['teacher']);
      t.room = spec === 'pe' ? (gym++ === 0 ? 'спортзал' : `спортзал ${gym}`) : spec === 'tech' ? `мастерская${i ? ` ${i + 1}` : ''}` : `каб. ${roomNo++}`;
      team.push(t);
    }
    rest.sort((a, b) => b.hours - a.hours || (a.cls.grade - b.cls.grade) || (a.cls.key < b.cls.key ? -1 : 1));
    for (const b of rest) {
      const t = team.reduce((best, x) => (x.load < best.load ? x : best), team[0]!);
      teacherLoad(t, b);
    }
  }

  // Support staff; the club is led by a teacher of additional education.
  for (let i = 0; i < 1 + Math.floor(studentsWanted / 500); i++) hire(undefined, 'Педагог-психолог', ['teacher'], 'f');
  for (let i = 0; i < 1 + Math.floor(studentsWanted / 700); i++) hire(undefined, 'Социальный педагог', ['teacher'], 'f');
  const clubTeacher = hire(undefined, 'Педагог дополнительного образования', ['teacher']);
  clubTeacher.room = 'школьный музей';
  for (let i = 0; i < Math.floor(studentsWanted / 500); i++) hire(undefined, 'Педагог-организатор', ['teacher']);

  // Class teachers of 5–11: the demo teacher has 5А; otherwise a teacher with most hours in the class.
  const isClassTeacher = new Set<string>([demo.teacher.id]);
  c5a.teacherId = demo.teacher.id;
  for (const c of classes.filter((x) => x.grade >= 5 && x !== c5a)) {
    const hours = new Map<string, number>();
    for (const k of courses) if (k.group.classId === c.id && k.teacherId) hours.set(k.teacherId, (hours.get(k.teacherId) ?? 0) + k.hours);
    const cands = staff.filter((t) => t.spec && t.spec !== 'primary' && !isClassTeacher.has(t.id));
    cands.sort((a, b) => (hours.get(b.id) ?? 0) - (hours.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1));
    const t = cands[0] ?? demo.teacher;
    c.teacherId = t.id;
    isClassTeacher.add(t.id);
    if (!t.roles.includes('class_teacher')) t.roles = [...t.roles, 'class_teacher'];
  }

  // Home schooling: a group of one with the class teacher, lessons 6–7 after the class's day.
  const homeCourses: Course[] = [];
  for (const s of homeStudents) {
    const cls = classes.find((c) => c.id === s.classId)!;
    const key = `home-${s.id.slice(2)}`;
    const group: Group = { id: `g-${key}`, key, name: `Обучение на дому: ${s.name.last} ${s.name.first[0]}. ${s.name.middle[0]}.`, kind: 'subgroup', classId: cls.id, members: [s] };
    groups.push(group);
    for (const [sid, h] of HOME_PLAN) {
      const sub = SUBJECT_BY_ID.get(sid)!;
      const course: Course = { id: `k-${key}-${sid}`, group, subjectId: sid, code: sub.code, teacherId: cls.teacherId, hours: h, grade: cls.grade, lessonKind: 'home', roster: [s], slots: [], room: 'на дому', unmarked: false };
      courses.push(course);
      homeCourses.push(course);
    }
  }

  // The club: pupils of grades 5–7, lesson 8 on Tuesdays and Thursdays (extracurricular timetable).
  const clubMembers = classes.filter((c) => c.grade >= 5 && c.grade <= 7).flatMap((c) => c.students.filter((s) => !s.homeSchooling && r.chance(0.25)));
  const clubGroup: Group = { id: 'g-club-kraeved', key: 'club', name: CLUB_SUBJECT.name, kind: 'club', members: clubMembers };
  groups.push(clubGroup);
  const club: Course = { id: 'k-club-kraeved', group: clubGroup, subjectId: CLUB_SUBJECT.id, code: CLUB_SUBJECT.code, teacherId: clubTeacher.id, hours: 2, grade: 5, lessonKind: 'extracurricular', roster: clubMembers, slots: [], room: clubTeacher.room, unmarked: true };
  courses.push(club);

  // ── the timetable ────────────────────────────────────────────────────────
  const fixed: TtFixed[] = [];
  const electiveDay = new Map<string, number>();
  electives.forEach((k, i) => {
    const day = (3 + i) % 5;
    k.slots.push({ id: `sl-${k.group.key}-${day + 1}7`, day, number: 7, kind: 'main' });
    fixed.push({ teacherId: k.teacherId, day, number: 7 });
    electiveDay.set(tens[i]!.id, day);
    electiveDay.set(elevens[i]!.id, day);
  });
  const homeSlots: [number, number][] = [[0, 6], [1, 6], [2, 6], [3, 6], [4, 6], [0, 7], [2, 7], [1, 7], [3, 7]];
  const byStudent = new Map<string, Course[]>();
  for (const k of homeCourses) byStudent.set(k.group.id, [...(byStudent.get(k.group.id) ?? []), k]);
  for (const list of byStudent.values()) {
    const units = list.flatMap((k) => Array.from({ length: k.hours }, () => k));
    // Interleave subjects so a day does not repeat one.
    const order = [0, 3, 5, 1, 4, 6, 2, 7, 8].filter((i) => i < units.length);
    order.forEach((ui, si) => {
      const k = units[ui]!;
      const [day, number] = homeSlots[si]!;
      k.slots.push({ id: `sl-${k.group.key}-${day + 1}${number}`, day, number, kind: 'main' });
      fixed.push({ teacherId: k.teacherId, day, number });
    });
  }
  for (const day of [1, 3]) {
    club.slots.push({ id: `sl-club-${day + 1}8`, day, number: 8, kind: 'extracurricular' });
    fixed.push({ teacherId: club.teacherId, day, number: 8 });
  }
  const ttClasses: TtClass[] = classes.map((c) => {
    const b = dayBounds(c.grade);
    const max = [b.max, b.max, b.max, b.max, b.max];
    const ed = electiveDay.get(c.id);
    if (ed !== undefined) max[ed] = Math.min(b.max, 6);
    const units = courses.filter((k) => k.group.id === c.groupId).flatMap((k) => Array.from({ length: k.hours }, () => ({ courseId: k.id, teacherId: k.teacherId || undefined, subject: k.subjectId })));
    return { key: c.key, min: b.min, max, units };
  });
  const tt = solveTimetable(ttClasses, fixed, rng.fork('timetable'));
  const courseById = new Map(courses.map((k) => [k.id, k]));
  for (const c of classes) {
    tt.get(c.key)!.forEach((row, day) => row.forEach((courseId, i) => {
      courseById.get(courseId)!.slots.push({ id: `sl-${c.key}-${day + 1}${i + 1}`, day, number: i + 1, kind: 'main' });
    }));
  }
  const staffById = new Map(staff.map((s) => [s.id, s]));
  for (const k of courses) {
    if (!k.room) {
      const t = staffById.get(k.teacherId);
      k.room = k.code === 'pe' ? (t?.room ?? 'спортзал') : k.subjectId === 'informatics' ? 'каб. информатики' : (t?.room ?? 'каб. 10');
    }
  }

  // Logins: surname and initials in Latin letters, made unique.
  const taken = new Set(['admin', 'director', 'deputy', 'methodist', 'teacher', 'parent', 'student']);
  const loginFor = (n: FullName) => {
    const base = `${translit(n.last)}.${translit(n.first).slice(0, 1)}${translit(n.middle).slice(0, 1)}`;
    let login = base;
    for (let i = 2; taken.has(login); i++) login = `${base}${i}`;
    taken.add(login);
    return login;
  };
  for (const s of staff) if (!s.login) s.login = loginFor(s.name);
  for (const p of parents) {
    if (p === demoParent) { p.accountId = 'acc-parent'; p.login = 'parent'; continue; }
    if (p.paper) continue; // R-CONSENT: a family on the paper diary gets no electronic account.
    p.accountId = `acc-${p.id}`;
    p.login = loginFor(p.name);
  }

  return {
    classes, students, parents, staff, groups, courses,
    demo: { ...demo, parent: demoParent, student: demoStudent },
    homeStudents, peExempt, clubTeacher,
  };
}
