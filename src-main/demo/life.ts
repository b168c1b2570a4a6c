/**
 * The school year day by day, as the people of the demo school would have entered it: the
 * methodist puts the next week's lessons in on Friday; at each lesson the teacher marks who is
 * absent, gives current marks, records the topic from the КТП and the homework; written works are
 * marked in the evening (creative works a few days later, п. 7.14 / R-DATE); on the last school day
 * of the week the class teacher gives the absences their reasons; at the end of a period the
 * subject teacher sets the period marks. And the special days: a distance-learning «актированный
 * день», a substitution, a moved lesson, a lesson held as an extracurricular one.
 */
import type { AbsenceReason, LessonKind, WorkType } from '../../src-shared/domain/school';
import { WORK_TYPES } from '../../src-shared/domain/school';
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays, weekday, weekStart } from '../../src-shared/domain/values';
import type { PayloadInput } from '../../src-shared/ops/kinds';
import { distanceTopic } from '../../src-shared/rules/distance';
import { extracurricularTopic } from '../../src-shared/rules/extracurricular';
import { draft, type OpDraft } from '../journal/log';
import { BELLS, holidayJustBefore, isSchoolDay, minutesOf, periodOf, ru, schemeOfGrade, ymd, type Period, type SchoolCalendar } from './calendar';
import { dayBounds } from './curriculum';
import type { PlannedLesson } from './ktp';
import type { Rng } from './prng';
import type { Course, School, SchoolClass, Staff, Student } from './school';
import { planKey, type CoursePlan } from './setup';
import { homeworkFor, individualHomework, markComment } from './texts';
import { Writer } from './writer';

interface Lesson {
  id: string;
  course: Course;
  date: LocalDate;
  number: number;
  /** Where the timetable had it (differs after lesson.move). */
  origDate: LocalDate;
  origNumber: number;
  start: number;
  end: number;
  kind: LessonKind;
  cancelled?: boolean;
  moved?: { reason: string };
  substitute?: Staff;
  /** Created by the teacher (п. 8.3), not by the methodist. */
  extra?: { form: string; orderNo: string };
}

interface Stat { sum: number; weight: number; marks: number; lessons: number; missed: number; exemptLessons: number }

interface CourseState {
  idx: number;
  since: Map<string, number>;
  missRun: Map<string, number>;
  /** R-SOFT-WARN: pupils who have not attended a lesson of the course since the last holidays. */
  afterHoliday: Set<string>;
  prevDate?: LocalDate;
  period?: Period;
  stats: Map<string, Stat>;
  periodMarks: Map<string, string[]>;
  lastMarkAt: number;
}

interface DayStatus { sick: boolean; reason: AbsenceReason; leavesAfter?: number }

const MIN = 60_000;
const BELL = new Map(BELLS.map((b) => [b.number, { start: minutesOf(b.starts), end: minutesOf(b.ends) }]));
const CREATIVE: readonly WorkType[] = ['essay', 'presentation', 'creative'];

export interface LifeResult { distanceDay?: LocalDate; substitutionDays: LocalDate[]; movedLessonId?: string; extraLessonId?: string; cancelledLessonId?: string }

export function liveTheYear(w: Writer, school: School, cal: SchoolCalendar, plans: Map<string, CoursePlan>, today: LocalDate, rng: Rng,
  onProgress?: (done: number, total: number) => void): LifeResult {
  const Y = cal.startYear;
  const lastDay = today < cal.ends ? today : cal.ends;
  const staffById = new Map(school.staff.map((s) => [s.id, s]));
  const classById = new Map(school.classes.map((c) => [c.id, c]));
  const teacherOf = (k: Course) => staffById.get(k.teacherId)!;
  const { methodist, director, deputy, teacher: demoTeacher } = school.demo;
  const rSched = rng.fork('schedule');
  const rAbs = rng.fork('absences');
  const rMarks = rng.fork('marks');
  const rTime = rng.fork('times');
  const rText = rng.fork('texts');

  // ── the lessons of the year, from the timetable ───────────────────────────
  const schoolDayCache = new Map<string, boolean>();
  const schoolDay = (date: LocalDate, grade: number) => {
    const key = `${date}:${grade}`;
    let v = schoolDayCache.get(key);
    if (v === undefined) schoolDayCache.set(key, (v = isSchoolDay(cal, date, grade)));
    return v;
  };
  const slotsByDay: { course: Course; number: number }[][] = [[], [], [], [], []];
  for (const k of school.courses) for (const s of k.slots) slotsByDay[s.day]!.push({ course: k, number: s.number });
  for (const list of slotsByDay) list.sort((a, b) => a.number - b.number);
  const timeOf = (date: LocalDate, number: number) => ({ start: Writer.at(date, BELL.get(number)!.start), end: Writer.at(date, BELL.get(number)!.end) });
  // Short ids (l1, l2 … in base 36, in the order lessons are first named): a lesson id is repeated in
  // every mark, op and index entry of a year, so its length is a measurable share of the file.
  const lessonIds = new Map<string, string>();
  const lessonId = (date: LocalDate, k: Course, number: number) => {
    const key = `${date}|${k.group.key}|${number}`;
    let id = lessonIds.get(key);
    if (id === undefined) {
      id = `l${(lessonIds.size + 1).toString(36)}`;
      lessonIds.set(key, id);
    }
    return id;
  };
  const lessons: Lesson[] = [];
  for (let d = cal.starts; d <= lastDay; d = addDays(d, 1)) {
    const wd = weekday(d);
    if (wd > 5) continue;
    for (const { course, number } of slotsByDay[wd - 1]!) {
      if (!schoolDay(d, course.grade)) continue;
      lessons.push({ id: lessonId(d, course, number), course, date: d, number, origDate: d, origNumber: number, ...timeOf(d, number), kind: course.lessonKind });
    }
  }

  // ── special days ─────────────────────────────────────────────────────────
  const lastAllowed = addDays(today, -1);
  const used = new Set<LocalDate>();
  const allSchool = (d: LocalDate) => schoolDay(d, 1) && schoolDay(d, 11);
  const findDay = (targets: LocalDate[], ok: (d: LocalDate) => boolean): LocalDate | undefined => {
    for (const t of targets) {
      for (let d = t, i = 0; i < 21 && d <= lastAllowed; d = addDays(d, 1), i++) {
        if (d >= ymd(Y, 9, 16) && allSchool(d) && !used.has(d) && ok(d)) {
          used.add(d);
          return d;
        }
      }
    }
    return undefined;
  };
  const distanceDay = findDay([ymd(Y + 1, 1, 20), ymd(Y, 11, 18), ymd(Y, 10, 14), ymd(Y, 9, 23)], (d) => [2, 3, 4].includes(weekday(d)));
  const DIST_ORDER = `${rSched.int(3, 9)}-о от ${distanceDay ? ru(distanceDay) : ''}`;

  // A teacher off sick for two days; the methodist finds substitutes free at each lesson.
  const busy = new Set<string>();
  for (const k of school.courses) for (const s of k.slots) busy.add(`${k.teacherId}:${s.day}:${s.number}`);
  const subjectTeachers = school.staff.filter((s) => s.spec && s.spec !== 'primary' && s !== demoTeacher);
  const absentTeacher = subjectTeachers.find((s) => s.spec === 'foreign') ?? subjectTeachers[0];
  const subDay1 = findDay([ymd(Y, 11, 17), ymd(Y, 10, 6), ymd(Y, 9, 22)], (d) => weekday(d) <= 4 && allSchool(addDays(d, 1)) && addDays(d, 1) <= lastAllowed && !used.has(addDays(d, 1)));
  const substitutionDays = subDay1 ? [subDay1, addDays(subDay1, 1)] : [];
  for (const d of substitutionDays) used.add(d);
  if (absentTeacher) {
    for (const l of lessons) {
      if (!substitutionDays.includes(l.date) || l.course.teacherId !== absentTeacher.id) continue;
      const day = weekday(l.date) - 1;
      const free = subjectTeachers.filter((s) => s !== absentTeacher && !busy.has(`${s.id}:${day}:${l.number}`));
      const same = free.filter((s) => s.spec === absentTeacher.spec);
      const sub = same[0] ?? free[rSched.int(0, Math.max(0, free.length - 1))];
      if (sub) {
        l.substitute = sub;
        busy.add(`${sub.id}:${day}:${l.number}`);
      }
    }
  }

  // A lesson moved from Thursday to the end of Friday (lesson.move, п. 7.12).
  let moved: Lesson | undefined;
  const tryMove = (thursday: LocalDate): boolean => {
    const friday = addDays(thursday, 1);
    if (weekday(thursday) !== 4 || !allSchool(friday) || friday > lastAllowed || used.has(friday)) return false;
    for (const l of lessons) {
      const cls = l.course.group.classId ? classById.get(l.course.group.classId) : undefined;
      if (l.date !== thursday || !cls || l.course.group.kind !== 'class' || cls.grade < 5 || cls.grade > 9) continue;
      const t = teacherOf(l.course);
      if (t === demoTeacher || t === absentTeacher) continue;
      const n = lessons.filter((x) => x.date === friday && x.course.group.id === cls.groupId).length + 1;
      if (n > dayBounds(cls.grade).max || busy.has(`${t.id}:4:${n}`)) continue;
      moved = l;
      l.date = friday;
      l.number = n;
      Object.assign(l, timeOf(friday, n));
      l.moved = { reason: `Перенос урока: учитель на районном методическом объединении (приказ № ${rSched.int(100, 180)}-о)` };
      busy.add(`${t.id}:4:${n}`);
      used.add(friday);
      return true;
    }
    return false;
  };
  findDay([ymd(Y, 10, 22), ymd(Y, 10, 1), ymd(Y, 9, 17)], tryMove);

  // A lesson that could not be held by the timetable, held a few days later as an extracurricular one (п. 8.3).
  let cancelled: Lesson | undefined;
  let extra: Lesson | undefined;
  const tryCancel = (day: LocalDate): boolean => {
    for (const l of lessons) {
      const cls = l.course.group.classId ? classById.get(l.course.group.classId) : undefined;
      if (l.date !== day || !cls || l.course.group.kind !== 'class' || cls.grade < 6 || cls.grade > 8) continue;
      if (!['geography', 'history'].includes(l.course.subjectId) || l.substitute || l === moved) continue;
      const t = teacherOf(l.course);
      let target: LocalDate | undefined;
      for (let d = addDays(day, 1), i = 0; i < 10 && d <= lastAllowed; d = addDays(d, 1), i++) {
        if ([1, 3, 5].includes(weekday(d)) && allSchool(d) && !used.has(d) && !busy.has(`${t.id}:${weekday(d) - 1}:8`)) { target = d; break; }
      }
      if (!target) continue;
      used.add(target);
      cancelled = l;
      l.cancelled = true;
      const orderNo = `${rSched.int(190, 240)}-о от ${ru(addDays(day, -1))}`;
      extra = { id: lessonId(target, l.course, 8), course: l.course, date: target, number: 8, origDate: target, origNumber: 8, ...timeOf(target, 8), kind: 'extracurricular', extra: { form: 'экскурсия в краеведческий музей', orderNo } };
      lessons.push(extra);
      return true;
    }
    return false;
  };
  findDay([ymd(Y, 10, 8), ymd(Y, 9, 24), ymd(Y, 9, 17)], tryCancel);
  lessons.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number - b.number || (a.id < b.id ? -1 : 1)));

  // Per course: its lessons in order, the last one of each period (R-ATTEST-TIMING).
  const byCourse = new Map<Course, Lesson[]>();
  for (const l of lessons) if (!l.cancelled) byCourse.set(l.course, [...(byCourse.get(l.course) ?? []), l]);
  const nextOf = new Map<Lesson, Lesson>();
  const lastInPeriod = new Map<Lesson, Period>();
  for (const [k, list] of byCourse) {
    list.forEach((l, i) => { if (list[i + 1]) nextOf.set(l, list[i + 1]!); });
    if (k.unmarked || k.grade === 1) continue;
    const scheme = schemeOfGrade(k.grade);
    for (const p of cal.periods.filter((x) => x.scheme === scheme && x.ends < today)) {
      const inP = list.filter((l) => l.date >= p.starts && l.date <= p.ends && l.kind !== 'extracurricular');
      if (inP.length > 0) lastInPeriod.set(inP[inP.length - 1]!, p);
    }
  }

  // The methodist enters the next week's lessons on Friday (the first week before 1 September).
  const creation = new Map<LocalDate, Lesson[]>();
  for (const l of lessons) {
    if (l.extra) continue;
    const d0 = addDays(weekStart(l.origDate), -3);
    const d = d0 < ymd(Y, 8, 28) ? ymd(Y, 8, 28) : d0;
    creation.set(d, [...(creation.get(d) ?? []), l]);
  }
  const byDate = new Map<LocalDate, Lesson[]>();
  for (const l of lessons) byDate.set(l.date, [...(byDate.get(l.date) ?? []), l]);

  // ── people's state ───────────────────────────────────────────────────────
  const courseState = new Map<Course, CourseState>();
  const stateOf = (k: Course): CourseState => {
    let s = courseState.get(k);
    if (!s) courseState.set(k, (s = { idx: 0, since: new Map(), missRun: new Map(), afterHoliday: new Set(), stats: new Map(), periodMarks: new Map(), lastMarkAt: 0 }));
    return s;
  };
  const sick = new Map<string, { left: number; reason: AbsenceReason }>();
  let status = new Map<string, DayStatus>();
  const reasons = new Map<string, Map<string, { studentId: string; reason: AbsenceReason }[]>>();
  const pendingLiteracy = new Map<string, { studentId: string; value: string }[]>();
  const SEASON: Record<number, number> = { 9: 0.6, 10: 1, 11: 1.2, 12: 1.2, 1: 1.3, 2: 1.5, 3: 1, 4: 0.8, 5: 0.6 };

  function dayStatuses(date: LocalDate): void {
    status = new Map();
    const season = SEASON[Number(date.slice(5, 7))] ?? 1;
    for (const s of school.students) {
      if (s.homeSchooling || !schoolDay(date, s.grade)) continue;
      const st = sick.get(s.id);
      if (st && st.left > 0) {
        st.left--;
        status.set(s.id, { sick: true, reason: st.reason });
      } else if (rAbs.chance(0.0088 * s.frailty * season)) {
        const len = [1, 2, 3, 3, 4, 5, 5, 6, 7, 9][rAbs.int(0, 9)]!;
        const reason: AbsenceReason = rAbs.chance(0.86) ? 'illness' : 'valid';
        sick.set(s.id, { left: len - 1, reason });
        status.set(s.id, { sick: true, reason });
      } else if (rAbs.chance(0.003)) {
        status.set(s.id, { sick: false, reason: 'valid', leavesAfter: rAbs.int(2, 4) });
      }
    }
  }

  /** Absent at this lesson (and why), or undefined. */
  function absence(s: Student, l: Lesson): AbsenceReason | undefined {
    const st = status.get(s.id);
    if (st?.sick) return st.reason;
    if (st?.leavesAfter !== undefined && l.number > st.leavesAfter) return st.reason;
    const q = s.grade >= 8 ? 0.006 : s.grade >= 5 ? 0.003 : 0.001;
    if (rAbs.chance(q)) return rAbs.chance(0.62) ? 'unexcused' : 'valid';
    return undefined;
  }

  const clamp = (v: number, lo: number) => Math.max(lo, Math.min(5, v));
  function point(centre: number, min: number, sd = 0.72): number {
    return clamp(Math.round(rMarks.normal(centre, sd)), min);
  }

  function addStat(cs: CourseState, studentId: string, value: string, wt: WorkType | undefined): void {
    const st = cs.stats.get(studentId);
    if (!st) return;
    const w = wt && WORK_TYPES[wt].thematic ? 2 : 1;
    for (const p of value.split('/')) {
      st.sum += Number(p) * w;
      st.weight += w;
    }
    st.marks += value.includes('/') ? 2 : 1;
  }

  /** R-ATTEST: the proposal the teacher accepts — weighted mean, «н/а» over half missed, «осв» exempt from PE. */
  function periodValue(k: Course, s: Student, st: Stat, p: Period): string {
    if (k.code === 'pe' && s.peExemptUntil && (s.peExemptUntil >= p.ends || st.exemptLessons * 2 > st.lessons) && st.marks < 3) return 'осв';
    if (st.lessons > 0 && st.missed * 2 > st.lessons) return 'н/а';
    if (st.weight === 0) return 'н/а';
    const mean = st.sum / st.weight;
    return String(Math.min(5, Math.max(2, Math.floor(mean + 0.5 + 1e-9))));
  }

  // ── one lesson ───────────────────────────────────────────────────────────
  function runLesson(l: Lesson): void {
    const k = l.course;
    if (l.cancelled) return;
    const t = l.substitute ?? teacherOf(k);
    const author = t.accountId;
    const cs = stateOf(k);
    const plan = plans.get(planKey(k))!;
    const i = Math.min(cs.idx, plan.lessons.length - 1);
    const planned: PlannedLesson = plan.lessons[i]!;
    const ktpId = plan.lessonKtpId[i]!;
    cs.idx++;
    const baseTopic = cs.idx > plan.lessons.length ? 'Повторение изученного' : planned.entry.topic;

    if (l.kind === 'extracurricular') {
      // Clubs and lessons held as extracurricular: topic, form, order; no absences, no marks (п. 7.13).
      const form = l.extra?.form ?? 'кружок';
      const orderNo = l.extra?.orderNo ?? `187-о от ${ru(ymd(Y, 8, 28))}`;
      const drafts: OpDraft[] = [];
      if (l.extra) {
        drafts.push(draft('lesson.create', { id: l.id, courseId: k.id, date: l.date, number: l.number, kind: 'extracurricular' }));
      }
      w.add(l.start - 10 * MIN, author, drafts);
      w.add(l.end + rTime.int(3, 25) * MIN, author, [draft('lesson.update', { id: l.id, topic: extracurricularTopic(baseTopic, form, orderNo), ktpId, form, orderNo, status: 'held' })]);
      cs.prevDate = l.date;
      return;
    }

    // Home-schooling lessons stay on their own page on a distance day too (п. 8.2).
    const distance = l.date === distanceDay && k.lessonKind !== 'home';
    const grade = k.grade;
    const pe = k.code === 'pe';
    const exempt = (s: Student) => pe && s.peExemptUntil !== undefined && l.date <= s.peExemptUntil;
    // The period: a new one resets the counts.
    const period = periodOf(cal, schemeOfGrade(grade), l.date);
    if (period && period !== cs.period) {
      cs.period = period;
      cs.stats = new Map(k.roster.map((s) => [s.id, { sum: 0, weight: 0, marks: 0, lessons: 0, missed: 0, exemptLessons: 0 }]));
    }

    // Attendance at the start of the lesson (R-ABSENCE); none on a distance day (п. 8.1).
    const away = new Map<string, AbsenceReason>();
    if (k.lessonKind !== 'home') {
      for (const s of k.roster) {
        const a = absence(s, l);
        if (a) away.set(s.id, a);
      }
    }
    const absent = distance ? [] : k.roster.filter((s) => away.has(s.id) && !exempt(s));
    for (const s of k.roster) {
      const st = cs.stats.get(s.id);
      if (st) {
        st.lessons++;
        if (exempt(s)) st.exemptLessons++;
        if (absent.includes(s)) st.missed++;
      }
    }
    if (absent.length > 0) {
      w.add(l.start + rTime.int(1, 4) * MIN, author, [draft('attendance.set', { lessonId: l.id, entries: absent.map((s) => ({ studentId: s.id, absent: true })) })]);
      for (const s of absent) {
        const classId = s.classId;
        const perClass = reasons.get(classId) ?? new Map();
        reasons.set(classId, perClass);
        perClass.set(l.id, [...(perClass.get(l.id) ?? []), { studentId: s.id, reason: away.get(s.id)! }]);
      }
    }
    const present = k.roster.filter((s) => !away.has(s.id) && !exempt(s));

    // Marks (п. 7.14): none in grade 1 (п. 9.5).
    const marks: { s: Student; value: string; column?: 'reading' | 'literacy'; workType?: WorkType; comment?: string }[] = [];
    let written = false;
    const wt = distance ? undefined : planned.workType;
    const adaptation = l.date <= ymd(Y, 9, 15);
    if (holidayJustBefore(cal, cs.prevDate, l.date, grade)) for (const s of k.roster) cs.afterHoliday.add(s.id);
    const minFor = (s: Student) => (adaptation || cs.afterHoliday.has(s.id) || (cs.missRun.get(s.id) ?? 0) >= 3 ? 3 : 2);
    const bonus = pe ? 0.5 : k.code === 'music' || k.code === 'art' || k.code === 'technology' || k.code === 'other' ? 0.45 : 0;
    if (!k.unmarked && grade >= 2) {
      const thematic = wt !== undefined && (WORK_TYPES[wt].thematic || wt === 'independent' || wt === 'test');
      if (thematic) {
        // Thematic control: every present pupil gets a mark in the column of the day (п. 7.14).
        const fraction = (wt === 'control_dictation' && k.code === 'russian') || ((wt === 'essay' || wt === 'creative') && k.code === 'literature' && grade <= 9);
        for (const s of present) {
          const a = point(s.ability + bonus, minFor(s));
          if (fraction) {
            const b = clamp(Math.round(rMarks.normal(a - 0.35, 0.7)), minFor(s));
            marks.push({ s, value: `${a}/${b}`, workType: wt });
          } else {
            marks.push({ s, value: String(a), workType: wt });
            if (k.code === 'literature' && grade >= 10 && wt === 'essay') {
              // Literacy of a senior essay goes on the Russian page (п. 7.15).
              const list = pendingLiteracy.get(s.classId) ?? [];
              list.push({ studentId: s.id, value: String(clamp(Math.round(rMarks.normal(s.ability - 0.3, 0.7)), 3)) });
              pendingLiteracy.set(s.classId, list);
            }
          }
        }
        written = WORK_TYPES[wt].written;
      } else {
        const rate = distance ? 0.3 : planned.reading ? 0.5 : k.lessonKind === 'home' ? 0.6 : 0.22;
        for (const s of present) {
          const since = cs.since.get(s.id) ?? 0;
          if (since < 3 && !rMarks.chance(rate)) continue;
          if (planned.reading) {
            marks.push({ s, value: String(point(s.ability + 0.35, minFor(s), 0.6)), column: 'reading', workType: 'reading' });
            continue;
          }
          const mwt: WorkType = distance ? 'online' : k.lessonKind === 'home' ? rMarks.pick<WorkType>(['oral', 'lesson', 'homework']) : rMarks.pick<WorkType>(['oral', 'oral', 'lesson', 'lesson', 'homework', 'oral']);
          const special = pe && s.medicalGroup === 'special';
          const value = String(special ? clamp(Math.round(rMarks.normal(4.5, 0.4)), 4) : point(s.ability + bonus, minFor(s)));
          marks.push({ s, value, workType: mwt, ...(special && rMarks.chance(0.3) ? { comment: 'Спецмедгруппа: регулярное посещение, старательность' } : {}) });
        }
      }
      // Literacy marks waiting from a senior literature essay, at the class's Russian lesson.
      if (k.code === 'russian' && grade >= 10 && k.group.classId && pendingLiteracy.has(k.group.classId)) {
        const list = pendingLiteracy.get(k.group.classId)!;
        pendingLiteracy.delete(k.group.classId);
        for (const e of list) {
          const s = k.roster.find((x) => x.id === e.studentId);
          if (s && !marks.some((m) => m.s === s && m.column === 'literacy')) marks.push({ s, value: e.value, column: 'literacy', workType: 'essay' });
        }
      }
    }
    if (distance && !k.unmarked && grade >= 2) {
      // Pupils who stayed away from the online lesson study on their own and get a self-study mark (п. 8.1).
      for (const s of k.roster) {
        if (away.has(s.id) && !exempt(s) && ((cs.since.get(s.id) ?? 0) >= 2 || rMarks.chance(0.3))) {
          marks.push({ s, value: String(point(s.ability + bonus, 3)), workType: 'self_study' });
        }
      }
    }
    for (const m of marks) {
      if (!m.comment && (m.value === '2' ? rMarks.chance(0.35) : rMarks.chance(0.025))) m.comment = markComment(m.value, rText);
      addStat(cs, m.s.id, m.value, m.workType ?? wt);
    }
    const marked = new Set(marks.map((m) => m.s.id));
    // R-DENSITY counts every lesson without an «н» as attended (a distance day too).
    const attended = distance ? k.roster.filter((s) => !exempt(s)) : present;
    for (const s of attended) cs.since.set(s.id, marked.has(s.id) ? 0 : (cs.since.get(s.id) ?? 0) + 1);
    for (const s of k.roster) cs.missRun.set(s.id, away.has(s.id) && !distance ? (cs.missRun.get(s.id) ?? 0) + 1 : 0);
    for (const s of present) cs.afterHoliday.delete(s.id);

    // When the marks are entered (R-DATE): current ones during the lesson, written ones after it.
    const isWritten = (m: (typeof marks)[number]) => (written && m.column === undefined) || m.workType === 'self_study';
    const currentMarks = marks.filter((m) => !isWritten(m));
    const writtenMarks = marks.filter(isWritten);
    const toPayload = (list: typeof marks): PayloadInput<'mark.set'>['marks'] => list.map((m) => ({
      studentId: m.s.id, value: m.value, ...(m.column ? { column: m.column } : {}), ...(m.workType ? { workType: m.workType } : {}), ...(m.comment ? { comment: m.comment } : {}),
    }));
    if (currentMarks.length > 0) w.add(l.start + rTime.int(15, 37) * MIN, author, [draft('mark.set', { lessonId: l.id, marks: toPayload(currentMarks) })]);
    if (writtenMarks.length > 0) {
      const next = nextOf.get(l);
      const nearEnd = cs.period !== undefined && addDays(l.date, 10) > cs.period.ends;
      let at: number;
      if (wt && CREATIVE.includes(wt) && !nearEnd) at = Writer.at(addDays(l.date, rTime.int(2, 4)), rTime.int(18 * 60, 21 * 60));
      else if (wt === 'monitoring' && !nearEnd) at = Writer.at(addDays(l.date, rTime.int(1, 2)), rTime.int(15 * 60, 18 * 60));
      else {
        at = Writer.at(l.date, rTime.int(16 * 60, 21 * 60));
        if (next && next.start - 10 * MIN < at) at = Math.max(l.end + 3 * MIN, next.start - rTime.int(3, 8) * MIN);
      }
      w.add(at, author, [draft('mark.set', { lessonId: l.id, marks: toPayload(writtenMarks) })]);
      cs.lastMarkAt = Math.max(cs.lastMarkAt, at);
    }
    cs.lastMarkAt = Math.max(cs.lastMarkAt, l.start + 40 * MIN);

    // Topic from the КТП, homework, status (R-TOPICS, R-HOMEWORK).
    const hw = homeworkFor(k.code, grade, i, plan.lessons.length, planned, rText);
    const upd: PayloadInput<'lesson.update'> = { id: l.id, topic: baseTopic, ktpId, status: 'held' };
    if (hw) upd.homework = hw;
    if (wt) upd.workType = wt;
    if (distance) {
      upd.kind = 'distance';
      upd.orderNo = DIST_ORDER;
      upd.topic = distanceTopic(baseTopic, DIST_ORDER);
    }
    const late = !wt && rTime.chance(0.03);
    const updAt = late ? Writer.at(l.date, rTime.int(19 * 60, 21 * 60 + 30)) : l.end + rTime.int(-4, 20) * MIN;
    const drafts: OpDraft[] = [draft('lesson.update', upd)];
    for (const m of currentMarks) {
      if (m.value === '2' && rText.chance(0.5)) drafts.push(draft('homework.individual', { lessonId: l.id, studentId: m.s.id, text: individualHomework(k.code, rText) }));
    }
    w.add(updAt, author, drafts);
    cs.prevDate = l.date;

    // The period's last lesson: the subject teacher sets the period marks (and the annual ones).
    const p = lastInPeriod.get(l);
    if (p && k.roster.length > 0) {
      const ct = teacherOf(k);
      const values = k.roster.map((s) => ({ studentId: s.id, value: periodValue(k, s, cs.stats.get(s.id) ?? { sum: 0, weight: 0, marks: 0, lessons: 0, missed: 0, exemptLessons: 0 }, p) }));
      const out: OpDraft[] = [draft('periodMark.set', { yearId: cal.yearId, subjectId: k.subjectId, term: p.id, marks: values })];
      for (const v of values) cs.periodMarks.set(v.studentId, [...(cs.periodMarks.get(v.studentId) ?? []), v.value]);
      const lastPeriod = cal.periods.filter((x) => x.scheme === p.scheme).at(-1);
      if (p === lastPeriod && cal.ends < today) {
        out.push(draft('periodMark.set', {
          yearId: cal.yearId, subjectId: k.subjectId, term: 'annual', marks: k.roster.map((s) => {
            const list = cs.periodMarks.get(s.id) ?? [];
            const nums = list.filter((x) => /^[1-5]$/.test(x)).map(Number);
            const value = nums.length > 0 ? String(Math.floor(nums.reduce((a, b) => a + b, 0) / nums.length + 0.5 + 1e-9)) : list.includes('осв') ? 'осв' : 'н/а';
            return { studentId: s.id, value };
          }),
        }));
      }
      // R-ATTEST-TIMING: after the last lesson, within the period's last week (a weekday of it when the lesson came earlier).
      const weekFrom = addDays(p.ends, -6);
      let when = l.end + rTime.int(30, 150) * MIN;
      if (l.date < weekFrom) {
        let d = addDays(weekFrom, rTime.int(0, 2));
        while (weekday(d) > 5 || !schoolDay(d, grade)) d = addDays(d, 1);
        if (d > p.ends) d = weekFrom;
        when = Writer.at(d, rTime.int(15 * 60, 18 * 60));
      }
      w.add(Math.max(when, cs.lastMarkAt + 10 * MIN), ct.accountId, out);
    }
  }

  // ── the year, day by day ─────────────────────────────────────────────────
  const first = ymd(Y, 8, 25);
  const stop = today < addDays(cal.ends, 14) ? today : addDays(cal.ends, 14);
  const totalDays = Math.max(1, Math.round((Date.parse(`${stop}T12:00:00Z`) - Date.parse(`${first}T12:00:00Z`)) / 86_400_000) + 1);
  let done = 0;
  const classTeacherAcc = (c: SchoolClass) => staffById.get(c.teacherId)!.accountId;
  for (let d = first; d <= stop; d = addDays(d, 1)) {
    w.begin(d);
    // Friday: next week's lessons.
    const toCreate = creation.get(d);
    if (toCreate) {
      const byGroup = new Map<string, Lesson[]>();
      for (const l of toCreate) byGroup.set(l.course.group.key, [...(byGroup.get(l.course.group.key) ?? []), l]);
      let n = 0;
      for (const list of byGroup.values()) {
        w.add(Writer.at(d, 14 * 60) + n++ * 40_000, methodist.accountId, list.map((l) => draft('lesson.create', {
          id: l.id, courseId: l.course.id, date: l.origDate, number: l.origNumber, ...(l.kind !== 'regular' ? { kind: l.kind } : {}),
        })));
      }
    }
    if (moved && d === addDays(moved.origDate, -2)) {
      w.add(Writer.at(d, 11 * 60 + 10), methodist.accountId, [draft('lesson.move', { id: moved.id, date: moved.date, number: moved.number, reason: moved.moved!.reason })]);
    }
    if (cancelled && d === addDays(cancelled.date, -1)) {
      w.add(Writer.at(d, 16 * 60 + 5), methodist.accountId, [draft('lesson.update', { id: cancelled.id, status: 'cancelled' })]);
    }
    const todays = byDate.get(d) ?? [];
    if (todays.length > 0) {
      const subs = todays.filter((l) => l.substitute);
      if (subs.length > 0) {
        w.add(Writer.at(d, 7 * 60 + 40), methodist.accountId, subs.map((l) => draft('substitution.set', { lessonId: l.id, teacherId: l.substitute!.id, reason: 'Больничный лист учителя' })));
      }
      if (d === distanceDay) {
        w.add(Writer.at(d, 6 * 60 + 30), director.accountId, [draft('announcement.post', {
          id: 'ann-004', title: 'Актированный день: дистанционное обучение',
          body: `В связи с низкой температурой воздуха (−43 °C) и сильным ветром ${ru(d)} занятия для 1–11 классов проводятся дистанционно по расписанию (приказ № ${DIST_ORDER}). Задания — в электронном дневнике.`,
          audience: { kind: 'school' },
        })]);
      }
      dayStatuses(d);
      for (const l of todays) runLesson(l);
      // The class teacher gives the week's absences their reasons on its last school day (R-ABSENCE).
      for (const c of school.classes) {
        if (!schoolDay(d, c.grade)) continue;
        let lastOfWeek = true;
        for (let x = addDays(d, 1); weekday(x) <= 5 && weekday(x) > weekday(d); x = addDays(x, 1)) if (schoolDay(x, c.grade)) { lastOfWeek = false; break; }
        if (!lastOfWeek) continue;
        const perClass = reasons.get(c.id);
        if (!perClass || perClass.size === 0) continue;
        reasons.delete(c.id);
        w.add(Writer.at(d, rTime.int(15 * 60 + 20, 17 * 60 + 30)), classTeacherAcc(c), [...perClass.entries()].map(([lessonId, entries]) => draft('absence.reason', { lessonId, entries })));
      }
    }
    communication(d);
    w.flush();
    onProgress?.(++done, totalDays);
  }

  // ── announcements, messages, diary acknowledgements ──────────────────────
  function communication(d: LocalDate): void {
    const parent = school.demo.parent;
    const child5 = parent.children.find((c) => c.classId === school.demo.student.classId) ?? parent.children[0]!;
    const cls5 = classById.get(child5.classId)!;
    const m = (id: string, from: string, to: string, hm: number, body: string, readAfter: number) => {
      const at = Writer.at(d, hm);
      w.add(at, from, [draft('message.send', { id, to, body })]);
      w.add(at + readAfter * MIN, to, [draft('message.read', { id })]);
    };
    if (d === ymd(Y, 9, 10)) m('msg-001', parent.accountId!, demoTeacher.accountId, 19 * 60 + 20, 'Здравствуйте, Ирина Николаевна! Подскажите, пожалуйста, нужна ли отдельная тетрадь для словарных слов?', 45);
    if (d === ymd(Y, 9, 11)) m('msg-002', demoTeacher.accountId, parent.accountId!, 7 * 60 + 55, 'Добрый день! Да, заведите, пожалуйста, тонкую тетрадь в линейку. Словарные слова будем писать каждую неделю.', 270);
    if (d === ymd(Y, 9, 15)) {
      w.add(Writer.at(d, 16 * 60), demoTeacher.accountId, [draft('announcement.post', {
        id: 'ann-002', title: `Родительское собрание ${cls5.name}`,
        body: `Уважаемые родители! Родительское собрание ${cls5.name} состоится ${ru(ymd(Y, 9, 24))} в 18:00 в кабинете 21. Повестка: адаптация в 5 классе, электронный дневник, питание.`,
        audience: { kind: 'class', classId: cls5.id },
      })]);
    }
    if (d === ymd(Y, 10, 19)) {
      const autumn = cal.holidays.find((h) => h.id.endsWith('autumn'))!;
      w.add(Writer.at(d, 12 * 60), deputy.accountId, [draft('announcement.post', {
        id: 'ann-003', title: 'Осенние каникулы',
        body: `Осенние каникулы — с ${ru(autumn.starts)} по ${ru(autumn.ends)}. Просим родителей напомнить детям о правилах безопасности на льду рек и на дорогах.`,
        audience: { kind: 'role', role: 'parent' },
      })]);
    }
    if (d === ymd(Y, 10, 21)) m('msg-003', deputy.accountId, demoTeacher.accountId, 13 * 60 + 5, 'Ирина Николаевна, прошу до пятницы проверить, что в 7А записаны темы всех уроков за прошлую неделю. Спасибо!', 95);
    if (d === ymd(Y, 11, 12)) m('msg-004', 'acc-student', demoTeacher.accountId, 18 * 60 + 40, `Ирина Николаевна, можно мне переписать словарный диктант? Я ${school.demo.student.gender === 'm' ? 'болел' : 'болела'} и ${school.demo.student.gender === 'm' ? 'пропустил' : 'пропустила'} тему.`, 80);
    if (d === ymd(Y, 11, 13)) m('msg-005', demoTeacher.accountId, 'acc-student', 8 * 60 + 5, 'Да, приходи после шестого урока в каб. 21.', 200);
    // Parents read the diary in the last week before "now" (R-ACK).
    if (d >= addDays(today, -6) && d <= today) {
      for (const p of school.parents) {
        if (!p.accountId || rTime.next() > 0.12) continue;
        w.add(Writer.at(d, rTime.int(18 * 60, 22 * 60)), p.accountId, p.children.map((c) => draft('diary.ack', { studentId: c.id })));
      }
    }
  }

  return {
    ...(distanceDay ? { distanceDay } : {}),
    substitutionDays: absentTeacher ? substitutionDays : [],
    ...(moved ? { movedLessonId: moved.id } : {}),
    ...(extra ? { extraLessonId: extra.id } : {}),
    ...(cancelled ? { cancelledLessonId: cancelled.id } : {}),
  };
}
