/**
 * The methodist's timetable (R-SETUP, R-SUBST; п. 7.12, 9.3): slots that clash, the lessons a set
 * of slots gives between two dates, and the difference against the lessons already in the
 * journal. Pure: the caller reads the journal and passes "what is"; nothing here reads a clock.
 */
import { addDays, formatDateRu, weekday, type LocalDate } from '../domain/values';
import { ok, refuse, type Verdict } from './verdict';

/** A timetable slot: a course at a weekday (1 = Monday … 6 = Saturday) and lesson number, from a date on. */
export interface RuleSlot {
  id: string;
  courseId: string;
  weekday: number;
  number: number;
  room?: string | null | undefined;
  validFrom: LocalDate;
  validTo?: LocalDate | null | undefined;
}

/** Who a slot's course is: its teacher, its group and the classes the group is of, with names for the message. */
export interface SlotParty {
  teacherId: string | null;
  /** «Иванова М. П.» */
  teacherName: string | null;
  groupId: string;
  /** «6А», «6А (англ., гр. 1)» */
  groupName: string;
  /** The group is a whole class (kind «class»): it clashes with any group of that class. */
  wholeClass: boolean;
  classIds: readonly string[];
  subjectName: string;
}

const WEEKDAY_AT = ['', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу', 'в воскресенье'];

/** «в среду 3-м уроком» */
export function slotTime(weekdayNo: number, number: number): string {
  return `${WEEKDAY_AT[weekdayNo] ?? `в день ${weekdayNo}`} ${number}-м уроком`;
}

/** The validity periods of two slots overlap (an open end runs to the end of time). */
export function overlaps(a: Pick<RuleSlot, 'validFrom' | 'validTo'>, b: Pick<RuleSlot, 'validFrom' | 'validTo'>): boolean {
  const aEnd = a.validTo ?? '9999-12-31';
  const bEnd = b.validTo ?? '9999-12-31';
  return a.validFrom <= bEnd && b.validFrom <= aEnd;
}

function sameRoom(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = a?.trim().toLowerCase();
  return !!x && x === b?.trim().toLowerCase();
}

/** The same pupils may be in both groups at once: the same group, or a whole class and a group of it. */
function sharePupils(a: SlotParty, b: SlotParty): boolean {
  if (a.groupId === b.groupId) return true;
  if (!a.wholeClass && !b.wholeClass) return false;
  return a.classIds.some((c) => b.classIds.includes(c));
}

/**
 * R-SETUP (п. 7.12, 9.3): a slot may not put one teacher, one room or one group in two places at
 * the same weekday and lesson number while both slots are valid. `others`: the timetable as it
 * is (the slot itself, if already there, is skipped by id).
 */
export function checkSlotClash(slot: RuleSlot, party: SlotParty, others: readonly { slot: RuleSlot; party: SlotParty }[]): Verdict {
  const when = slotTime(slot.weekday, slot.number);
  for (const o of others) {
    if (o.slot.id === slot.id || o.slot.weekday !== slot.weekday || o.slot.number !== slot.number || !overlaps(slot, o.slot)) continue;
    const what = `${o.party.groupName} (${o.party.subjectName})`;
    if (party.teacherId !== null && party.teacherId === o.party.teacherId) {
      return refuse('R-SETUP', 'п. 7.12, 9.3', `Учитель ${party.teacherName ?? ''} ${when} уже ведёт ${what}`.replace(/ {2}/g, ' '));
    }
    if (sameRoom(slot.room, o.slot.room)) {
      return refuse('R-SETUP', 'п. 7.12, 9.3', `Кабинет ${slot.room!.trim()} ${when} уже занят: ${what}${o.party.teacherName ? `, ${o.party.teacherName}` : ''}`);
    }
    if (sharePupils(party, o.party)) {
      return refuse('R-SETUP', 'п. 7.12, 9.3', `У ${o.party.groupName} ${when} уже ${o.party.subjectName}${o.party.teacherName ? ` (${o.party.teacherName})` : ''}`);
    }
  }
  return ok();
}

/** A span of dates, both ends included. */
export interface DateSpan { starts: LocalDate; ends: LocalDate }
/** Holidays (каникулы); `grades` limits them to some grades (extra holidays of the first grade). */
export interface PlanHoliday extends DateSpan { grades?: readonly number[] | null }

/** What the plan needs to know of a course: its grade (for holidays) and the study periods of its level. */
export interface PlanCourse { grade: number | null; periods: readonly DateSpan[] }

export interface PlannedLesson { courseId: string; date: LocalDate; number: number; slotId: string }

/** A school day of a grade: inside a study period of its scheme and in no holidays of that grade. */
export function isSchoolDay(date: LocalDate, course: PlanCourse, holidays: readonly PlanHoliday[]): boolean {
  if (!course.periods.some((p) => p.starts <= date && date <= p.ends)) return false;
  return !holidays.some((h) => h.starts <= date && date <= h.ends && (!h.grades || (course.grade !== null && h.grades.includes(course.grade))));
}

/**
 * R-SETUP (п. 7.12, 9.3): the lessons the slots give from `from` to `to` (both included): each slot
 * on its weekday (Monday … Saturday, never Sunday) inside its validity, on the school days of its
 * course — study periods of the course's level, holidays of its grade skipped. One lesson per
 * course, date and number even if two slots say so. In date, number, course order.
 */
export function planLessons(input: {
  slots: readonly RuleSlot[];
  courses: ReadonlyMap<string, PlanCourse>;
  holidays: readonly PlanHoliday[];
  from: LocalDate;
  to: LocalDate;
}): PlannedLesson[] {
  const out: PlannedLesson[] = [];
  // Per weekday, by number then course: walking the dates in order gives the plan in its order.
  const byWeekday: RuleSlot[][] = [[], [], [], [], [], [], [], []];
  for (const s of input.slots) if (s.weekday >= 1 && s.weekday <= 6) byWeekday[s.weekday]!.push(s);
  for (const list of byWeekday) list.sort((a, b) => a.number - b.number || (a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0));
  for (let d = input.from; d <= input.to; d = addDays(d, 1)) {
    const list = byWeekday[weekday(d)]!;
    if (list.length === 0) continue;
    const seen = new Set<string>();
    const schoolDay = new Map<string, boolean>();
    for (const s of list) {
      if (d < s.validFrom || (s.validTo && d > s.validTo)) continue;
      let open = schoolDay.get(s.courseId);
      if (open === undefined) {
        const course = input.courses.get(s.courseId);
        schoolDay.set(s.courseId, (open = !!course && isSchoolDay(d, course, input.holidays)));
      }
      if (!open) continue;
      const key = `${s.courseId}|${s.number}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ courseId: s.courseId, date: d, number: s.number, slotId: s.id });
    }
  }
  return out;
}

/** What a lesson already has: any of it makes the lesson part of the journal, never to be removed. */
export interface LessonEntries {
  marks: boolean; attendance: boolean; topic: boolean; homework: boolean; individualHomework: boolean; substitution: boolean;
}

export interface ExistingLesson {
  id: string;
  courseId: string;
  date: LocalDate;
  number: number;
  status: string;
  kind: string;
  /** The date it was moved from (a move is the methodist's decision, п. 9.3). */
  movedFrom: LocalDate | null;
  /** Made by the timetable (`lessons.generate`), not entered by hand as an extra lesson. */
  generated: boolean;
  entries: LessonEntries;
}

const ENTRY_NAMES: [keyof LessonEntries, string][] = [
  ['marks', 'отметки'], ['attendance', 'отметки об отсутствии'], ['topic', 'тема'], ['homework', 'домашнее задание'],
  ['individualHomework', 'индивидуальное задание'], ['substitution', 'замена'],
];

/**
 * R-SETUP (п. 7.12, 9.3): a lesson the timetable no longer has is removed only while it is
 * untouched — planned, with no marks, absences, topic, homework, individual homework or
 * substitution. A held lesson or one with any entry is part of the journal and stays.
 */
export function checkLessonRemoval(l: Pick<ExistingLesson, 'status' | 'entries'> & { date?: LocalDate }): Verdict {
  const has = ENTRY_NAMES.filter(([k]) => l.entries[k]).map(([, name]) => name);
  const on = l.date ? ` ${formatDateRu(l.date)}` : '';
  if (l.status === 'held') return refuse('R-SETUP', 'п. 7.12, 9.3', `Урок${on} уже проведён: проведённый урок из журнала не удаляется${has.length ? ` (есть ${has.join(', ')})` : ''}`);
  if (l.status !== 'planned') return refuse('R-SETUP', 'п. 7.12, 9.3', `Урок${on} ${l.status === 'cancelled' ? 'отменён' : 'перенесён'}: такая запись остаётся в журнале`);
  if (has.length > 0) return refuse('R-SETUP', 'п. 7.12, 9.3', `У урока${on} уже есть ${has.join(', ')}: урок с записями из журнала не удаляется`);
  return ok();
}

export interface LessonDiff {
  create: PlannedLesson[];
  remove: ExistingLesson[];
  /** Lessons the timetable no longer has that stay, each with why. */
  kept: { lesson: ExistingLesson; why: string }[];
}

const keyOf = (courseId: string, date: LocalDate, number: number) => `${courseId}|${date}|${number}`;

/**
 * R-SETUP (п. 7.12, 9.3): the plan against the lessons of the same courses and dates already in
 * the journal. A planned lesson exists if a lesson of its course stands at its date and number,
 * or was moved away from its date. Of the lessons the plan does not have, a generated one is
 * removed if `checkLessonRemoval` allows, otherwise kept with the reason; a lesson entered by hand
 * (an extra lesson, п. 7.13) or moved by the methodist is kept as they decided.
 */
export function diffLessons(plan: readonly PlannedLesson[], existing: readonly ExistingLesson[]): LessonDiff {
  const at = new Map<string, ExistingLesson>();
  const movedFrom = new Map<string, ExistingLesson[]>();
  for (const l of existing) {
    at.set(keyOf(l.courseId, l.date, l.number), l);
    if (l.movedFrom) {
      const k = `${l.courseId}|${l.movedFrom}`;
      movedFrom.set(k, [...(movedFrom.get(k) ?? []), l]);
    }
  }
  const matched = new Set<ExistingLesson>();
  const create: PlannedLesson[] = [];
  for (const p of plan) {
    const here = at.get(keyOf(p.courseId, p.date, p.number));
    if (here && !matched.has(here)) { matched.add(here); continue; }
    const away = movedFrom.get(`${p.courseId}|${p.date}`)?.find((l) => !matched.has(l));
    if (away) { matched.add(away); continue; }
    create.push(p);
  }
  const remove: ExistingLesson[] = [];
  const kept: LessonDiff['kept'] = [];
  for (const l of existing) {
    if (matched.has(l)) continue;
    // A held or filled lesson says so first: that is the reason it stays whoever made it.
    const v = l.status === 'held' || l.generated ? checkLessonRemoval(l) : undefined;
    if (v?.level === 'refuse') kept.push({ lesson: l, why: `${v.findings[0]!.message} (${v.findings[0]!.clause})` });
    else if (l.movedFrom) kept.push({ lesson: l, why: `Урок перенесён методистом с ${formatDateRu(l.movedFrom)}: перенос остаётся (п. 9.3)` });
    else if (!l.generated) kept.push({ lesson: l, why: 'Урок внесён отдельно (дополнительный или внеурочный), а не сформирован по расписанию: остаётся (п. 7.12, 7.13)' });
    else remove.push(l);
  }
  return { create, remove, kept };
}
