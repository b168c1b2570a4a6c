/**
 * One lesson of the demo year as its teacher (or the substitute) holds it, step by step: the next
 * lesson of the КТП, attendance at the start, the marks, the record after it, and — at the
 * period's last lesson — the period marks.
 */
import { periodOf, schemeOfGrade } from './calendar';
import { takeAttendance } from './absences';
import { giveMarks } from './lesson-marks';
import { recordExtracurricular, recordLesson, type KtpLesson } from './lesson-record';
import { setPeriodMarks } from './period-marks';
import type { Student } from './school';
import { planKey } from './setup';
import type { SpecialDays } from './special-days';
import type { LessonIndex } from './year-lessons';
import { courseState, emptyStat, type CourseState, type YearState } from './year-state';
import { teacherOf, type HeldLesson, type Lesson, type Year } from './year';

export function holdLesson(year: Year, index: LessonIndex, special: SpecialDays, state: YearState, l: Lesson): void {
  const k = l.course;
  if (l.cancelled) return;
  const author = (l.substitute ?? teacherOf(year, k)).accountId;
  const cs = courseState(state, k);
  const ktp = nextKtpLesson(year, l, cs);

  if (l.kind === 'extracurricular') {
    recordExtracurricular(year, l, author, ktp);
    cs.prevDate = l.date;
    return;
  }

  // Home-schooling lessons stay on their own page on a distance day too (п. 8.2).
  const distance = l.date === special.distanceDay && k.lessonKind !== 'home';
  const pe = k.code === 'pe';
  const h: HeldLesson = {
    l, k, cs, author, distance, pe,
    grade: k.grade,
    exempt: (s: Student) => pe && s.peExemptUntil !== undefined && l.date <= s.peExemptUntil,
    workType: distance ? undefined : ktp.planned.workType,
  };
  // The period: a new one resets the counts.
  const period = periodOf(year.cal, schemeOfGrade(h.grade), l.date);
  if (period && period !== cs.period) {
    cs.period = period;
    cs.stats = new Map(k.roster.map((s) => [s.id, emptyStat()]));
  }
  const { away, present } = takeAttendance(year, state, h);
  const currentMarks = giveMarks(year, index, state, h, ktp.planned, away, present);
  recordLesson(year, h, ktp, currentMarks, special.distanceOrder);
  cs.prevDate = l.date;
  setPeriodMarks(year, index, h);
}

/** The КТП lesson this one follows (after the plan runs out: revision). */
function nextKtpLesson(year: Year, l: Lesson, cs: CourseState): KtpLesson {
  const plan = year.plans.get(planKey(l.course))!;
  const i = Math.min(cs.idx, plan.lessons.length - 1);
  cs.idx++;
  return {
    index: i, total: plan.lessons.length, planned: plan.lessons[i]!, ktpId: plan.lessonKtpId[i]!,
    topic: cs.idx > plan.lessons.length ? 'Повторение изученного' : plan.lessons[i]!.entry.topic,
  };
}
