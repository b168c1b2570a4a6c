/**
 * The API the UI calls (conventions.md: one typed contract, several transports). Each method has a
 * zod input and output schema; values are JSON-safe (dates as ISO strings). The desktop's IPC
 * bridge and the server's HTTP endpoint both end in the same `dispatch`.
 */
import { z } from 'zod';
import { payloads, CellRef } from '../ops/kinds';
import { LocalDate } from '../ops/dates';
import { ABSENCE_REASONS, MARK_COLUMNS, PERSON_KINDS, ROLES } from '../domain/school';
import { ChangeResult, CreatedResult, Notice, PrintedPdf } from './common';
import { adminMethods } from './admin';
import { importMethods } from './import';
import { timetableMethods } from './timetable';
import { yearMethods } from './year';

const str = z.string();
const nstr = z.string().nullable();

export { Notice } from './common';

const Person = z.object({ id: str, lastName: str, firstName: str, middleName: nstr });

export const GradebookView = z.object({
  course: z.object({ id: str, groupId: str, groupName: str, subjectId: str, subjectName: str, subjectCode: str, teacherId: nstr, teacherName: nstr, hoursPerWeek: z.number(), yearId: str, grade: z.number().nullable() }),
  period: z.object({ id: str, name: str, starts: str, ends: str }).nullable(),
  students: z.array(Person.extend({ homeSchooling: z.boolean(), medicalGroup: str, peExemptUntil: nstr })),
  lessons: z.array(z.object({ id: str, date: str, number: z.number(), kind: str, status: str, topic: nstr, homework: nstr, workType: nstr, movedFrom: nstr, substituteId: nstr })),
  marks: z.array(z.object({ lessonId: str, studentId: str, column: z.enum(MARK_COLUMNS), value: str, workType: str, comment: nstr })),
  absences: z.array(z.object({ lessonId: str, studentId: str, reason: nstr })),
  periodMarks: z.array(z.object({ studentId: str, term: str, value: str })),
});
export type GradebookView = z.infer<typeof GradebookView>;

export const DiaryWeek = z.object({
  student: Person.extend({ className: nstr }),
  days: z.array(z.object({
    date: str,
    lessons: z.array(z.object({
      lessonId: str, number: z.number(), subject: str, kind: str, status: str, topic: nstr, homework: nstr, individualHomework: nstr,
      /** The homework due at this lesson (set at the course's previous lesson on `homeworkSetOn`): what the diary shows on the day it is due. */
      homeworkDue: nstr, homeworkSetOn: nstr,
      movedFrom: nstr, substituted: z.boolean(), absent: z.boolean(), absenceReason: nstr,
      marks: z.array(z.object({ value: str, column: str, workType: str, comment: nstr })),
    })),
  })),
  periodMarks: z.array(z.object({ subject: str, term: str, value: str })),
});
export type DiaryWeek = z.infer<typeof DiaryWeek>;

export const CellHistory = z.array(z.object({
  value: nstr, previous: nstr, kind: str, author: str, authorName: nstr, at: str, device: str, seq: z.number(), note: str.optional(),
}));
export type CellHistory = z.infer<typeof CellHistory>;

/** R-ATTEST: the system proposes, the teacher sets — with the reasoning shown per student. */
export const PeriodMarkProposal = z.object({
  courseId: str, periodId: str, subjectId: str, yearId: str, hoursPerWeek: z.number(), lessonsHeld: z.number(),
  students: z.array(z.object({
    studentId: str, name: str,
    proposal: z.string().nullable(),
    status: z.enum(['proposed', 'not_attested', 'exempt', 'insufficient_marks', 'not_marked_grade_1']),
    current: nstr,
    explanation: z.object({
      marksUsed: z.array(z.object({ value: str, points: z.number(), workType: str.optional(), weight: z.number(), date: str })),
      count: z.number(), minimum: z.number(), mean: z.number().nullable(), rounding: str,
      lessons: z.number(), missed: z.number(), missedShare: z.number(), text: z.array(str),
    }),
    findings: z.array(Notice),
  })),
});
export type PeriodMarkProposal = z.infer<typeof PeriodMarkProposal>;

export const CorrectionItem = z.object({
  id: str, target: CellRef, oldValue: nstr, newValue: nstr, reason: str, requestedBy: str, requestedByName: nstr, requestedAt: str,
  status: z.enum(['pending', 'approved', 'declined']), decidedBy: nstr, decidedAt: nstr, decisionNote: nstr,
  where: str,
});


// ── The journal on screen: schemas of the UI's reads (src-main/journal/views.ts) ──────────
const PeriodRow = z.object({ id: str, name: str, starts: str, ends: str });
const StudentName = Person.extend({ className: nstr });

/** Who is signed in: person, roles, a family's children, the classes a staff member looks after. */
export const SessionView = z.object({
  account: z.object({ id: str, login: str, mustChangePassword: z.boolean() }),
  person: z.object({ kind: z.enum(PERSON_KINDS), id: str, lastName: str, firstName: str, middleName: nstr, shortName: str }),
  roles: z.array(z.enum(ROLES)),
  school: z.object({ name: str, timeZone: str }),
  /** The server's clock (ISO) and the school's local date at it: the UI never trusts the browser's clock. */
  now: str, today: str,
  year: PeriodRow.nullable(),
  /** Study periods of the year (every scheme): the diary names its period marks with them. */
  periods: z.array(PeriodRow.extend({ scheme: str, number: z.number() })),
  children: z.array(StudentName),
  classes: z.array(z.object({ id: str, name: str, grade: z.number(), own: z.boolean() })),
});
export type SessionView = z.infer<typeof SessionView>;

export const CourseList = z.object({
  courses: z.array(z.object({
    id: str, groupId: str, groupName: str, groupKind: str, classId: nstr, grade: z.number().nullable(), subjectId: str, subjectName: str, subjectCode: str,
    teacherName: nstr, hoursPerWeek: z.number(), scheme: str, readOnly: z.boolean(),
  })),
  periods: z.array(PeriodRow.extend({ scheme: str, number: z.number() })),
});
export type CourseList = z.infer<typeof CourseList>;

export const LessonView = z.object({
  id: str, courseId: str, date: str, number: z.number(), kind: str, status: str,
  topic: nstr, ktpId: nstr, homework: nstr, workType: nstr, orderNo: nstr, form: nstr, note: nstr, movedFrom: nstr,
  subject: z.object({ id: str, name: str, code: str }), group: z.object({ id: str, name: str }), grade: z.number().nullable(),
  bell: z.object({ starts: str, ends: str }).nullable(), substituteName: nstr,
  individualHomework: z.array(z.object({ studentId: str, text: str })),
  readOnly: z.boolean(),
  /** What the rules say about the lesson as it stands (R-WORKTYPE, R-DENSITY): warnings only. */
  warnings: z.array(Notice),
});
export type LessonView = z.infer<typeof LessonView>;

export const KtpList = z.object({
  subjectCode: str, grade: z.number().nullable(),
  items: z.array(z.object({ id: str, number: z.number(), topic: str, hours: z.number(), usedOn: z.array(str) })),
});
export type KtpList = z.infer<typeof KtpList>;

/** R-CLASS-VIEW: every subject of a class, read-only: averages, absences, period marks; R-ACK: last diary view. */
export const ClassSummary = z.object({
  class: z.object({ id: str, name: str, grade: z.number(), classTeacherName: nstr }),
  period: PeriodRow.nullable(),
  periods: z.array(PeriodRow),
  subjects: z.array(z.object({ courseId: str, subjectId: str, subjectName: str, subjectShort: str, groupName: str, teacherName: nstr, lessons: z.number() })),
  students: z.array(Person.extend({ lastAck: nstr })),
  cells: z.array(z.object({ studentId: str, courseId: str, average: z.number().nullable(), marks: z.number(), absences: z.number(), periodMark: nstr })),
  absences: z.array(z.object({ studentId: str, total: z.number(), illness: z.number(), valid: z.number(), unexcused: z.number(), unlabelled: z.number() })),
});
export type ClassSummary = z.infer<typeof ClassSummary>;

/** R-ABSENCE: a class's week of lessons and absences, for the class teacher to set reasons. */
export const AttendanceWeek = z.object({
  class: z.object({ id: str, name: str }),
  week: str,
  days: z.array(str),
  students: z.array(Person),
  lessons: z.array(z.object({ id: str, date: str, number: z.number(), subjectName: str, subjectShort: str, courseId: str })),
  absences: z.array(z.object({ lessonId: str, studentId: str, reason: z.enum(ABSENCE_REASONS).nullable() })),
  readOnly: z.boolean(),
});
export type AttendanceWeek = z.infer<typeof AttendanceWeek>;

/** The status bar: the replica's clock, pending changes and last sync (desktop); on the server pending is 0. */
export const StatusView = z.object({ now: str, today: str, device: str, pending: z.number(), lastSyncAt: nstr, lastSyncError: nstr, lastBackupAt: nstr });
export type StatusView = z.infer<typeof StatusView>;
// ── end of the journal on screen ─────────────────────────────────────────────────────────────

const markEntry = payloads['mark.set'].shape.marks.element;
/** `cell.set`: a lesson cell — `mark` a value to set (null: annul it), `absent` the «н»; at least one of them. */
export const CellSet = z.strictObject({
  lessonId: markEntry.shape.studentId,
  studentId: markEntry.shape.studentId,
  column: markEntry.shape.column,
  mark: markEntry.pick({ value: true, workType: true, comment: true }).nullable().optional(),
  absent: z.boolean().optional(),
}).refine((c) => c.mark !== undefined || c.absent !== undefined, 'Нечего изменять: укажите отметку или отсутствие');
export type CellSet = z.infer<typeof CellSet>;

export const methods = {
  // reads
  'gradebook.get': { input: z.object({ courseId: str, periodId: str.optional() }), output: GradebookView },
  'diary.week': { input: z.object({ studentId: str, week: LocalDate }), output: DiaryWeek },
  'cell.history': { input: CellRef, output: CellHistory },
  'periodMark.proposal': { input: z.object({ courseId: str, periodId: str }), output: PeriodMarkProposal },
  'correction.inbox': { input: z.object({}).strict(), output: z.array(CorrectionItem) },
  // printed documents
  'report.weekly': { input: z.object({ classId: str, week: LocalDate, all: z.boolean().optional() }), output: PrintedPdf.extend({ students: z.number().int() }) },
  'report.annual': { input: z.object({ classId: str }), output: PrintedPdf.extend({ sheets: z.number().int(), checksum: str }) },
  'report.summary': { input: z.object({ classId: str.optional(), yearId: str.optional() }), output: PrintedPdf.extend({ classes: z.number().int() }) },
  'breach.act': { input: z.object({ breachId: str }), output: PrintedPdf },
  // changes — a method that does exactly what one op kind does has that kind's name and input
  'mark.set': { input: payloads['mark.set'], output: ChangeResult },
  'mark.annul': { input: payloads['mark.annul'], output: ChangeResult },
  'attendance.set': { input: payloads['attendance.set'], output: ChangeResult },
  'absence.reason': { input: payloads['absence.reason'], output: ChangeResult },
  // One gradebook cell — its mark and its absence — in one transaction («н» → «4» is one change).
  'cell.set': { input: CellSet, output: ChangeResult },
  // The op's own schema: unknown fields and an update that changes nothing are refused here as in sync.
  'lesson.update': { input: payloads['lesson.update'], output: ChangeResult },
  'homework.individual': { input: payloads['homework.individual'], output: ChangeResult },
  'periodMark.set': { input: payloads['periodMark.set'], output: ChangeResult },
  'correction.request': { input: payloads['correction.request'].omit({ id: true }), output: CreatedResult },
  'correction.decide': { input: payloads['correction.decide'], output: ChangeResult },
  // ── The journal on screen: reads (views.ts) and the diary acknowledgement ──
  'session.get': { input: z.object({}).strict(), output: SessionView },
  'status.get': { input: z.object({}).strict(), output: StatusView },
  'courses.list': { input: z.object({ classId: str.optional() }).strict(), output: CourseList },
  'lesson.get': { input: z.object({ lessonId: str }), output: LessonView },
  'ktp.list': { input: z.object({ courseId: str }), output: KtpList },
  'class.summary': { input: z.object({ classId: str, periodId: str.optional() }), output: ClassSummary },
  'attendance.week': { input: z.object({ classId: str, week: LocalDate }), output: AttendanceWeek },
  'diary.ack': { input: payloads['diary.ack'], output: ChangeResult },
  // ── end of the journal on screen ──
  // The names before 0.2: answered as the methods above until the release after 0.2 (a desktop a
  // version behind still works), then removed. DEPRECATED_METHODS says which name replaces which.
  'marks.set': { input: payloads['mark.set'], output: ChangeResult },
  'marks.annul': { input: payloads['mark.annul'], output: ChangeResult },
  'absence.reasons': { input: payloads['absence.reason'], output: ChangeResult },
  // ── setting a school up (admin.ts) and import/export (import.ts) ──
  ...adminMethods,
  ...importMethods,
  // ── the timetable and the lessons ahead (timetable.ts), closing the year (year.ts) ──
  ...timetableMethods,
  ...yearMethods,
} as const;

/** Old method names kept for one release, and the name that replaces each (docs/api.md). */
export const DEPRECATED_METHODS = { 'marks.set': 'mark.set', 'marks.annul': 'mark.annul', 'absence.reasons': 'absence.reason' } as const;

export type Method = keyof typeof methods;
export type In<M extends Method> = z.input<(typeof methods)[M]['input']>;
export type Out<M extends Method> = z.output<(typeof methods)[M]['output']>;
export const METHOD_NAMES = Object.keys(methods) as Method[];

export function isMethod(m: string): m is Method {
  return Object.hasOwn(methods, m);
}

/** Error codes of the result envelope. */
/** Error codes of the result envelope; the last three come from an HTTP transport (429, 413, 415). */
export const ERROR_CODES = ['unknown_method', 'bad_input', 'unauthenticated', 'forbidden', 'not_found', 'blocked', 'refused', 'conflict', 'internal', 'rate_limited', 'too_large', 'unsupported_media_type'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; requirement?: string; clause?: string; notices?: Notice[] } };

/** One function, every transport: Electron IPC on the desktop, HTTP on the web. */
export interface Transport {
  call<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>>;
}
