/**
 * R-DATE (п. 7.14, 9.5): a mark goes in the column of its lesson's date, within a window.
 *
 * - Study day: the lesson's date in the school's time zone, 00:00–23:59:59 (see local-time.ts).
 * - Current marks: from the lesson's start to the end of its study day.
 * - Written works (WORK_TYPES[…].written): by the next lesson of the same course — until that
 *   lesson's start, or the end of its date when the time is unknown; never shorter than the
 *   lesson's own study day. With no next lesson known, the study day.
 * - Creative works in Russian and literature, grades 5–9: until the end of day date + 7.
 * - Essays in grades 10–11: until the end of day date + 10.
 * - Internal-monitoring control works: until the end of day date + 3.
 * Day counts start the day after the lesson («в течение 3 дней со дня проведения»: a work of
 * 10 September closes at the end of 13 September). A mark for a lesson that has not begun is
 * refused (no back-dating either way); after the window a correction request is needed.
 */
import { WORK_TYPES } from '../domain/school';
import type { WorkType } from '../domain/school';
import { addDays, formatDateRu } from '../domain/values';
import type { Instant, LocalDate } from '../domain/values';
import type { NextLesson, RuleLesson } from './inputs';
import { formatLocalRu, instantMs, localDateOf } from './local-time';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { ok, refuse } from './verdict';
import type { Verdict } from './verdict';

export type WindowKind = 'study_day' | 'next_lesson' | 'creative' | 'essay' | 'monitoring';

/** When a window closes: at the end of a local date's study day, or at an instant (exclusive). */
export type WindowClose = { kind: 'end_of_day'; date: LocalDate } | { kind: 'instant'; at: Instant };

export interface EntryWindow {
  kind: WindowKind;
  closes: WindowClose;
  /** «до конца дня 13.09.2024 (контрольная работа внутреннего мониторинга — 3 дня)» */
  description: string;
}

function inGrades(grade: number, r: { from: number; to: number }): boolean {
  return grade >= r.from && grade <= r.to;
}

function dayWindow(kind: WindowKind, lessonDate: LocalDate, days: number, what: string): EntryWindow {
  const date = addDays(lessonDate, days);
  return { kind, closes: { kind: 'end_of_day', date }, description: `до конца дня ${formatDateRu(date)} (${what})` };
}

/**
 * R-DATE (п. 9.5): the entry window for a mark of `workType` at `lesson`.
 * `nextLesson` is the next lesson of the same course (needed for written works).
 */
export function markEntryWindow(
  lesson: Pick<RuleLesson, 'date' | 'grade' | 'subjectCode'>,
  workType: WorkType | undefined,
  nextLesson: NextLesson | null | undefined,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): EntryWindow {
  const w = settings.entryWindows;
  const studyDay: EntryWindow = { kind: 'study_day', closes: { kind: 'end_of_day', date: lesson.date }, description: `до конца учебного дня ${formatDateRu(lesson.date)}` };
  if (workType === undefined) return studyDay;
  if (w.monitoringWorkTypes.includes(workType)) {
    return dayWindow('monitoring', lesson.date, w.monitoringDays, `контрольная работа внутреннего мониторинга — ${w.monitoringDays} дн.`);
  }
  if (w.essayWorkTypes.includes(workType) && inGrades(lesson.grade, w.essayGrades)) {
    return dayWindow('essay', lesson.date, w.essayDays, `сочинение в ${w.essayGrades.from}–${w.essayGrades.to} классах — ${w.essayDays} дн.`);
  }
  if (w.creativeWorkTypes.includes(workType) && w.creativeSubjects.includes(lesson.subjectCode) && inGrades(lesson.grade, w.creativeGrades)) {
    return dayWindow('creative', lesson.date, w.creativeDays, `творческая работа в ${w.creativeGrades.from}–${w.creativeGrades.to} классах — ${w.creativeDays} дн.`);
  }
  if (!WORK_TYPES[workType].written || !nextLesson || nextLesson.date < lesson.date) return studyDay;
  if (nextLesson.startsAt !== undefined) {
    // A next lesson on the same date (a double lesson) does not shorten the study day.
    if (localDateOf(nextLesson.startsAt, settings.timeZone) <= lesson.date) return studyDay;
    return { kind: 'next_lesson', closes: { kind: 'instant', at: nextLesson.startsAt }, description: `до начала следующего урока ${formatLocalRu(nextLesson.startsAt, settings.timeZone)}` };
  }
  return { kind: 'next_lesson', closes: { kind: 'end_of_day', date: nextLesson.date }, description: `к следующему уроку ${formatDateRu(nextLesson.date)}` };
}

/** R-DATE (п. 9.5): true while the window is open at `now` (an `end_of_day` window includes the whole study day). */
export function isWithinWindow(window: EntryWindow, now: Instant, timeZone: string): boolean {
  if (window.closes.kind === 'instant') return instantMs(now) < instantMs(window.closes.at);
  return localDateOf(now, timeZone) <= window.closes.date;
}

/** R-DATE (п. 7.14 «запрещается выставление отметок задним числом»): the lesson has begun at `now`. */
export function hasLessonBegun(lesson: Pick<RuleLesson, 'date' | 'startsAt'>, now: Instant, timeZone: string): boolean {
  if (localDateOf(now, timeZone) < lesson.date) return false;
  return lesson.startsAt === undefined || instantMs(now) >= instantMs(lesson.startsAt);
}

export interface EntryTimeInput {
  lesson: Pick<RuleLesson, 'date' | 'grade' | 'subjectCode' | 'startsAt' | 'status'>;
  workType: WorkType | undefined;
  now: Instant;
  nextLesson?: NextLesson | null;
}

/**
 * R-DATE (п. 7.14, 9.5): a mark may be entered from the lesson's start until its window closes.
 * Before the start: refused (`future_lesson`). After the window: refused with
 * `needs_correction_request` (R-CORRECTION). A cancelled lesson takes no marks.
 */
export function checkMarkEntryTime(input: EntryTimeInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const { lesson, workType, now } = input;
  if (lesson.status === 'cancelled') {
    return refuse('R-DATE', 'п. 7.14', 'Урок отменён: отметки за него не выставляются');
  }
  if (!hasLessonBegun(lesson, now, settings.timeZone)) {
    return refuse('R-DATE', 'п. 7.14', `Урок ${formatDateRu(lesson.date)} ещё не начался: отметку можно выставить во время урока или после него`, { code: 'future_lesson', lessonDate: lesson.date });
  }
  const window = markEntryWindow(lesson, workType, input.nextLesson, settings);
  if (!isWithinWindow(window, now, settings.timeZone)) {
    const label = workType ? `«${WORK_TYPES[workType].label}» ` : '';
    return refuse('R-DATE', 'п. 7.14, 9.5',
      `Срок выставления отметки ${label}за урок ${formatDateRu(lesson.date)} истёк (${window.description}); выставление «задним числом» — только через запрос на исправление, согласованный с заместителем директора`,
      { code: 'needs_correction_request', window: window.kind, lessonDate: lesson.date });
  }
  return ok();
}
