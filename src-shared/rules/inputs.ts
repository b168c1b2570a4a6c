/**
 * What the journal hands to the rules: small plain records, JSON-safe, no entities and no database.
 * Dates are local `YYYY-MM-DD` of the school; instants are ISO 8601 with offset or `Z`.
 * "Now" is always passed in: no rule reads the clock.
 */
import type { Id, Instant, LocalDate } from '../domain/values';
import type { AbsenceReason, FinalTerm, LessonKind, LessonStatus, MarkColumn, MedicalGroup, SubjectCode, WorkType } from '../domain/school';
import type { MarkValue } from '../domain/marks';

/** A lesson as the rules see it. */
export interface RuleLesson {
  id?: Id;
  /** The lesson's date: the column its marks go to (п. 7.14). */
  date: LocalDate;
  /** Lesson number in the day (bell schedule). Orders two lessons of one date. */
  number: number;
  kind: LessonKind;
  subjectCode: SubjectCode;
  /** Grade of the class (1–11). */
  grade: number;
  /** The lesson's work type (the column's heading), if the teacher set one. */
  workType?: WorkType;
  topic?: string;
  homework?: string;
  /** Order number for distance / extracurricular lessons (п. 8.1, 8.3). */
  orderNo?: string;
  /** Form of an extracurricular lesson (п. 8.3). */
  form?: string;
  status?: LessonStatus;
  /** Bell start of the lesson. Without it the lesson is taken to start at 00:00 of its date. */
  startsAt?: Instant;
  /** Bell end of the lesson. */
  endsAt?: Instant;
}

/** The next lesson of the same course (R-DATE: written works are due by it). */
export interface NextLesson {
  date: LocalDate;
  /** When known, the window closes at this instant; otherwise at the end of `date`'s study day. */
  startsAt?: Instant;
}

/** The student's facts the rules need. */
export interface RuleStudent {
  id: Id;
  medicalGroup: MedicalGroup;
  /** Exempt from PE up to and including this date («освобождён по …», п. 7.14). */
  peExemptUntil?: LocalDate;
  /** Individual schooling at home (п. 8.2). */
  homeSchooling: boolean;
}

/** A mark being entered in a cell. */
export interface RuleMark {
  value: MarkValue;
  column: MarkColumn;
  /** The mark's own work type; falls back to the lesson's. */
  workType?: WorkType;
}

/** One lesson of a course from one student's point of view (attendance history). */
export interface StudentLessonRecord {
  lessonId?: Id;
  date: LocalDate;
  number: number;
  kind?: LessonKind;
  /** Marked «н». */
  absent: boolean;
  /** The class teacher's label for the absence (п. 9.4); null/undefined while not labelled. */
  reason?: AbsenceReason | null;
}

/** A holiday period (каникулы). `grades` limits it to some grades (e.g. extra holidays for grade 1). */
export interface RuleHoliday {
  starts: LocalDate;
  ends: LocalDate;
  grades?: readonly number[];
}

/** A study period (четверть / триместр / полугодие). */
export interface RulePeriod {
  id?: Id;
  starts: LocalDate;
  ends: LocalDate;
}

/** What a period-type mark is for: a study period, or the annual / exam / final mark. */
export type MarkTerm = 'period' | FinalTerm;

/** A current mark a student has in a course (for attestation and density). */
export interface StudentMark {
  value: MarkValue;
  /** Work type of the mark (or of its lesson); undefined = untyped (weight of `untypedWeight`). */
  workType?: WorkType;
  date: LocalDate;
  lessonId?: Id;
  column?: MarkColumn;
}

/** A recorded decision (R-NA: the deputy decides to attest a student who missed more than half). */
export interface DeputyDecision {
  attest: boolean;
  note: string;
}
