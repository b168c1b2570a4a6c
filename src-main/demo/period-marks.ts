/**
 * Period and annual marks in the demo year (R-ATTEST, R-ATTEST-TIMING): each mark counted into the
 * pupil's period as it is given; at the period's last lesson the subject teacher accepts the
 * proposals — and, at the year's end, the annual marks — within the period's last week.
 */
import type { WorkType } from '../../src-shared/domain/school';
import { WORK_TYPES } from '../../src-shared/domain/school';
import { addDays, weekday } from '../../src-shared/domain/values';
import { draft, type OpDraft } from '../journal/log';
import type { Period } from './calendar';
import type { Course, Student } from './school';
import { Writer } from './writer';
import type { LessonIndex } from './year-lessons';
import { emptyStat, type CourseState, type Stat } from './year-state';
import { MIN, teacherOf, type HeldLesson, type Year } from './year';

/** A mark into the pupil's period: thematic works weigh double, a fraction («5/4») is two marks. */
export function addStat(cs: CourseState, studentId: string, value: string, wt: WorkType | undefined): void {
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

/** The period's last lesson: the subject teacher sets the period marks (and the annual ones). */
export function setPeriodMarks(year: Year, index: LessonIndex, h: HeldLesson): void {
  const { l, k, cs, grade } = h;
  const { cal, today } = year;
  const rTime = year.rng.time;
  const p = index.lastInPeriod.get(l);
  if (!p || k.roster.length === 0) return;
  const ct = teacherOf(year, k);
  const values = k.roster.map((s) => ({ studentId: s.id, value: periodValue(k, s, cs.stats.get(s.id) ?? emptyStat(), p) }));
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
    while (weekday(d) > 5 || !year.schoolDay(d, grade)) d = addDays(d, 1);
    if (d > p.ends) d = weekFrom;
    when = Writer.at(d, rTime.int(15 * 60, 18 * 60));
  }
  year.w.add(Math.max(when, cs.lastMarkAt + 10 * MIN), ct.accountId, out);
}
