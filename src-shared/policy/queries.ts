/**
 * Every read the UI can ask for, by name. The policy decides each one (R-RBAC, п. 7.4); the
 * contract (src-shared/contract) reuses these names and adds the output schemas.
 */
import type { z } from 'zod';
import type { CellRef } from '../ops/kinds';
import type { LocalDate } from '../domain/values';

export const QUERY_NAMES = [
  'gradebook.get', 'lesson.get', 'cell.history', 'diary.week', 'student.get', 'class.roster', 'class.summary',
  'periodMark.proposal', 'correction.inbox', 'report.weekly', 'report.annual', 'report.summary', 'breach.act',
  'accounts.list', 'messages.list', 'announcements.list', 'setup.get', 'setup.export', 'timetable.get',
  // the journal on screen
  'session.get', 'status.get', 'courses.list', 'ktp.list', 'attendance.week',
  // setting a school up
  'import.preview', 'import.template', 'accounts.manage',
  // the timetable and the lessons ahead
  'timetable.week', 'timetable.manage', 'substitutions.mine',
  // closing the year and the archive
  'year.checklist', 'year.manage', 'year.status',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

type NoParams = Record<string, never>;

/** A cell of the journal, the same shape a correction request targets (R-AUDIT). */
export type CellRefParams = z.input<typeof CellRef>;

export interface QueryParams {
  'gradebook.get': { courseId: string; periodId?: string };
  'lesson.get': { lessonId: string };
  'cell.history': CellRefParams;
  /** `week`: any date of the week (its Monday by convention). */
  'diary.week': { studentId: string; week: LocalDate };
  'student.get': { studentId: string };
  'class.roster': { classId: string };
  'class.summary': { classId: string };
  'periodMark.proposal': { courseId: string; periodId: string };
  'correction.inbox': NoParams;
  'report.weekly': { classId: string; week: LocalDate };
  'report.annual': { classId: string };
  'report.summary': { classId?: string };
  'breach.act': { breachId: string };
  'accounts.list': NoParams;
  'messages.list': NoParams;
  'announcements.list': NoParams;
  'setup.get': NoParams;
  /** R-IMPORT: export of staff, students, parents, classes, subjects, curriculum, timetable. */
  'setup.export': { what?: string };
  'timetable.get': { classId?: string; teacherId?: string };
  // the journal on screen
  /** Who is signed in (own account only). */
  'session.get': NoParams;
  /** The status bar: clock, pending changes, last sync of this replica. */
  'status.get': NoParams;
  /** The course picker: a teacher's own courses and their class's, or all (deputy, director). */
  'courses.list': { classId?: string };
  /** R-KTP: the calendar-thematic plan of a course's subject and parallel. */
  'ktp.list': { courseId: string };
  /** R-ABSENCE: a class's week of absences, for reasons. */
  'attendance.week': { classId: string; week: LocalDate };
  // setting a school up
  /** R-IMPORT: what an uploaded file would add, change and leave alone (nothing is written). */
  'import.preview': { what?: string };
  /** R-IMPORT: an empty list in the import's layout (writes nothing). */
  'import.template': { what?: string };
  /** R-ACCOUNTS: making passwords (a new account, a reset, a class's slips) — checked before anything is looked up. */
  'accounts.manage': NoParams;
  // ── the timetable and the lessons ahead ──
  /** R-SETUP (п. 7.12, 9.3): forming the lessons from the timetable — the methodist's, checked before anything is read. */
  'timetable.manage': NoParams;
  /** R-SUBST (п. 7.12): the lessons the signed-in teacher substitutes. */
  'substitutions.mine': NoParams;
  /** A week of the timetable (п. 7.12, 9.3): decided as `timetable.get`; `room` narrows it, it names no one. */
  'timetable.week': { classId?: string; teacherId?: string; room?: string; week: LocalDate };
  // ── closing the year and the archive ──
  /** R-YEAR-CLOSE (п. 12.1): what is done and what is missing before the year is closed. */
  'year.checklist': { yearId: string };
  /** R-YEAR-CLOSE (п. 12.1): closing the year and opening it again — checked before the year is looked up. */
  'year.manage': NoParams;
  /** R-ARCHIVE (п. 12.1): whether a year (or a course's year) is closed, for the journal pages' banner. */
  'year.status': { yearId?: string; courseId?: string };
}

export function isQueryName(s: string): s is QueryName {
  return (QUERY_NAMES as readonly string[]).includes(s);
}
