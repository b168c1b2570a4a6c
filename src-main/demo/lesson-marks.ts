/**
 * The marks of a lesson in the demo year (п. 7.14; none in grade 1, п. 9.5): a thematic work marks
 * every present pupil, otherwise some are asked (those not marked for a while surely); self-study
 * marks on the distance day; a few comments. Current marks are entered during the lesson, written
 * works in the evening, creative ones and monitoring a few days later (R-DATE).
 */
import type { AbsenceReason, WorkType } from '../../src-shared/domain/school';
import { WORK_TYPES } from '../../src-shared/domain/school';
import { addDays } from '../../src-shared/domain/values';
import type { PayloadInput } from '../../src-shared/ops/kinds';
import { holidayJustBefore, ymd } from './calendar';
import { draft } from '../journal/log';
import type { PlannedLesson } from './ktp';
import { addStat } from './period-marks';
import type { Student } from './school';
import { markComment } from './texts';
import { Writer } from './writer';
import type { LessonIndex } from './year-lessons';
import type { YearState } from './year-state';
import { MIN, type HeldLesson, type Year } from './year';

export interface GivenMark { s: Student; value: string; column?: 'reading' | 'literacy'; workType?: WorkType; comment?: string }

const CREATIVE: readonly WorkType[] = ['essay', 'presentation', 'creative'];

const clamp = (v: number, lo: number) => Math.max(lo, Math.min(5, v));

/**
 * The lesson's marks, entered at their moments; the course remembers who was marked and who
 * attended. The current marks (those entered during the lesson).
 */
export function giveMarks(year: Year, index: LessonIndex, state: YearState, h: HeldLesson, planned: PlannedLesson, away: ReadonlyMap<string, AbsenceReason>, present: readonly Student[]): GivenMark[] {
  const { marks, written } = chooseMarks(year, state, h, planned, away, present);
  commentAndCount(year, h, marks);
  rememberAttendance(h, marks, away, present);
  return enterMarks(year, index, h, marks, written);
}

/** Who gets which mark, and whether the lesson's work is a written one. */
function chooseMarks(year: Year, state: YearState, h: HeldLesson, planned: PlannedLesson, away: ReadonlyMap<string, AbsenceReason>, present: readonly Student[]): { marks: GivenMark[]; written: boolean } {
  const { l, k, cs, grade, pe, distance, exempt, workType: wt } = h;
  const rMarks = year.rng.marks;
  const point = (centre: number, min: number, sd = 0.72) => clamp(Math.round(rMarks.normal(centre, sd)), min);
  const marks: GivenMark[] = [];
  let written = false;
  const adaptation = l.date <= ymd(year.Y, 9, 15);
  if (holidayJustBefore(year.cal, cs.prevDate, l.date, grade)) for (const s of k.roster) cs.afterHoliday.add(s.id);
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
            const list = state.pendingLiteracy.get(s.classId) ?? [];
            list.push({ studentId: s.id, value: String(clamp(Math.round(rMarks.normal(s.ability - 0.3, 0.7)), 3)) });
            state.pendingLiteracy.set(s.classId, list);
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
    if (k.code === 'russian' && grade >= 10 && k.group.classId && state.pendingLiteracy.has(k.group.classId)) {
      const list = state.pendingLiteracy.get(k.group.classId)!;
      state.pendingLiteracy.delete(k.group.classId);
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
  return { marks, written };
}

/** A few comments (more to a «2»); each mark into the pupil's period. */
function commentAndCount(year: Year, h: HeldLesson, marks: GivenMark[]): void {
  for (const m of marks) {
    if (!m.comment && (m.value === '2' ? year.rng.marks.chance(0.35) : year.rng.marks.chance(0.025))) m.comment = markComment(m.value, year.rng.text);
    addStat(h.cs, m.s.id, m.value, m.workType ?? h.workType);
  }
}

/** Lessons since the last mark (R-DENSITY), lessons missed in a row, and who has been back since the holidays. */
function rememberAttendance(h: HeldLesson, marks: readonly GivenMark[], away: ReadonlyMap<string, AbsenceReason>, present: readonly Student[]): void {
  const { k, cs, distance, exempt } = h;
  const marked = new Set(marks.map((m) => m.s.id));
  // R-DENSITY counts every lesson without an «н» as attended (a distance day too).
  const attended = distance ? k.roster.filter((s) => !exempt(s)) : present;
  for (const s of attended) cs.since.set(s.id, marked.has(s.id) ? 0 : (cs.since.get(s.id) ?? 0) + 1);
  for (const s of k.roster) cs.missRun.set(s.id, away.has(s.id) && !distance ? (cs.missRun.get(s.id) ?? 0) + 1 : 0);
  for (const s of present) cs.afterHoliday.delete(s.id);
}

/** When the marks are entered (R-DATE): current ones during the lesson, written ones after it. The current ones. */
function enterMarks(year: Year, index: LessonIndex, h: HeldLesson, marks: readonly GivenMark[], written: boolean): GivenMark[] {
  const { l, cs, author, workType: wt } = h;
  const rTime = year.rng.time;
  const isWritten = (m: GivenMark) => (written && m.column === undefined) || m.workType === 'self_study';
  const currentMarks = marks.filter((m) => !isWritten(m));
  const writtenMarks = marks.filter(isWritten);
  const toPayload = (list: readonly GivenMark[]): PayloadInput<'mark.set'>['marks'] => list.map((m) => ({
    studentId: m.s.id, value: m.value, ...(m.column ? { column: m.column } : {}), ...(m.workType ? { workType: m.workType } : {}), ...(m.comment ? { comment: m.comment } : {}),
  }));
  if (currentMarks.length > 0) year.w.add(l.start + rTime.int(15, 37) * MIN, author, [draft('mark.set', { lessonId: l.id, marks: toPayload(currentMarks) })]);
  if (writtenMarks.length > 0) {
    const next = index.nextOf.get(l);
    const nearEnd = cs.period !== undefined && addDays(l.date, 10) > cs.period.ends;
    let at: number;
    if (wt && CREATIVE.includes(wt) && !nearEnd) at = Writer.at(addDays(l.date, rTime.int(2, 4)), rTime.int(18 * 60, 21 * 60));
    else if (wt === 'monitoring' && !nearEnd) at = Writer.at(addDays(l.date, rTime.int(1, 2)), rTime.int(15 * 60, 18 * 60));
    else {
      at = Writer.at(l.date, rTime.int(16 * 60, 21 * 60));
      if (next && next.start - 10 * MIN < at) at = Math.max(l.end + 3 * MIN, next.start - rTime.int(3, 8) * MIN);
    }
    year.w.add(at, author, [draft('mark.set', { lessonId: l.id, marks: toPayload(writtenMarks) })]);
    cs.lastMarkAt = Math.max(cs.lastMarkAt, at);
  }
  cs.lastMarkAt = Math.max(cs.lastMarkAt, l.start + 40 * MIN);
  return currentMarks;
}
