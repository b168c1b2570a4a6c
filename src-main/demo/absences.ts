/**
 * Absences in the demo year (R-ABSENCE): who is ill or leaves early each school day (more in
 * winter, more for frail pupils), who is missing at each lesson and is marked «н» by the teacher
 * at its start, and the reasons the class teacher gives them on the last school day of the week.
 */
import type { AbsenceReason } from '../../src-shared/domain/school';
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays, weekday } from '../../src-shared/domain/values';
import { draft } from '../journal/log';
import type { Student } from './school';
import { Writer } from './writer';
import type { YearState } from './year-state';
import { MIN, type HeldLesson, type Lesson, type Year } from './year';

/** How much more often pupils fall ill in a month than in October. */
const SEASON: Record<number, number> = { 9: 0.6, 10: 1, 11: 1.2, 12: 1.2, 1: 1.3, 2: 1.5, 3: 1, 4: 0.8, 5: 0.6 };

/** The morning of a school day: who is ill (on, or from today), who is away or leaves early today. */
export function dayStatuses(year: Year, state: YearState, date: LocalDate): void {
  const rAbs = year.rng.abs;
  const status: YearState['status'] = new Map();
  state.status = status;
  const season = SEASON[Number(date.slice(5, 7))] ?? 1;
  for (const s of year.school.students) {
    if (s.homeSchooling || !year.schoolDay(date, s.grade)) continue;
    const st = state.sick.get(s.id);
    if (st && st.left > 0) {
      st.left--;
      status.set(s.id, { sick: true, reason: st.reason });
    } else if (rAbs.chance(0.0088 * s.frailty * season)) {
      const len = [1, 2, 3, 3, 4, 5, 5, 6, 7, 9][rAbs.int(0, 9)]!;
      const reason: AbsenceReason = rAbs.chance(0.86) ? 'illness' : 'valid';
      state.sick.set(s.id, { left: len - 1, reason });
      status.set(s.id, { sick: true, reason });
    } else if (rAbs.chance(0.003)) {
      status.set(s.id, { sick: false, reason: 'valid', leavesAfter: rAbs.int(2, 4) });
    }
  }
}

/** Absent at this lesson (and why), or undefined. */
function absence(year: Year, state: YearState, s: Student, l: Lesson): AbsenceReason | undefined {
  const rAbs = year.rng.abs;
  const st = state.status.get(s.id);
  if (st?.sick) return st.reason;
  if (st?.leavesAfter !== undefined && l.number > st.leavesAfter) return st.reason;
  const q = s.grade >= 8 ? 0.006 : s.grade >= 5 ? 0.003 : 0.001;
  if (rAbs.chance(q)) return rAbs.chance(0.62) ? 'unexcused' : 'valid';
  return undefined;
}

/**
 * Attendance at the start of the lesson (R-ABSENCE); none on a distance day (п. 8.1). Counts the
 * lesson in each pupil's period; the absences wait for their reasons. Who is away (and why), and
 * who is present (not exempt).
 */
export function takeAttendance(year: Year, state: YearState, h: HeldLesson): { away: Map<string, AbsenceReason>; present: Student[] } {
  const { l, k, cs, exempt } = h;
  const away = new Map<string, AbsenceReason>();
  if (k.lessonKind !== 'home') {
    for (const s of k.roster) {
      const a = absence(year, state, s, l);
      if (a) away.set(s.id, a);
    }
  }
  const absent = h.distance ? [] : k.roster.filter((s) => away.has(s.id) && !exempt(s));
  for (const s of k.roster) {
    const st = cs.stats.get(s.id);
    if (st) {
      st.lessons++;
      if (exempt(s)) st.exemptLessons++;
      if (absent.includes(s)) st.missed++;
    }
  }
  if (absent.length > 0) {
    year.w.add(l.start + year.rng.time.int(1, 4) * MIN, h.author, [draft('attendance.set', { lessonId: l.id, entries: absent.map((s) => ({ studentId: s.id, absent: true })) })]);
    for (const s of absent) {
      const classId = s.classId;
      const perClass = state.reasons.get(classId) ?? new Map();
      state.reasons.set(classId, perClass);
      perClass.set(l.id, [...(perClass.get(l.id) ?? []), { studentId: s.id, reason: away.get(s.id)! }]);
    }
  }
  const present = k.roster.filter((s) => !away.has(s.id) && !exempt(s));
  return { away, present };
}

/** The class teacher gives the week's absences their reasons on its last school day (R-ABSENCE). */
export function giveAbsenceReasons(year: Year, state: YearState, d: LocalDate): void {
  for (const c of year.school.classes) {
    if (!year.schoolDay(d, c.grade)) continue;
    let lastOfWeek = true;
    for (let x = addDays(d, 1); weekday(x) <= 5 && weekday(x) > weekday(d); x = addDays(x, 1)) if (year.schoolDay(x, c.grade)) { lastOfWeek = false; break; }
    if (!lastOfWeek) continue;
    const perClass = state.reasons.get(c.id);
    if (!perClass || perClass.size === 0) continue;
    state.reasons.delete(c.id);
    const classTeacher = year.staffById.get(c.teacherId)!.accountId;
    year.w.add(Writer.at(d, year.rng.time.int(15 * 60 + 20, 17 * 60 + 30)), classTeacher, [...perClass.entries()].map(([lessonId, entries]) => draft('absence.reason', { lessonId, entries })));
  }
}
