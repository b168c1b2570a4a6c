/**
 * The replica's SQLite schema (drizzle). State tables are the fold of the op log; `op_log`,
 * `outbox` and `meta` are bookkeeping and are not part of the state checksum.
 * Migrations are generated from this file by drizzle-kit into migrations/journal (append-only).
 *
 * Hot, large tables (marks, absences, the op log) are compact: WITHOUT ROWID where the natural key
 * is the primary key, short text ids, integer flags, repeated names as codes (`name_code`,
 * `op_name`) behind views that give back the columns every reader knows (docs/scaling.md).
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, numeric, primaryKey, real, sqliteTable, sqliteView, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// ── bookkeeping ───────────────────────────────────────────────────────────────
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Every op this replica has applied, in apply order (`pos`), stored compactly (op-rows.ts): device,
 * author and kind as codes of `op_name`, the HLC as integer milliseconds + counter (the text when
 * it would not round-trip), the packed payload inline or — once the op is old — NULL, the payload
 * being in the `op_block` that holds it compressed with its neighbours. Read it through the
 * `op_log` view, which gives back the original columns; write it with `insertLogged` (log.ts).
 */
export const opRecord = sqliteTable('op_record', {
  pos: integer('pos').primaryKey(),
  device: integer('device').notNull(),
  seq: integer('seq').notNull(),
  serverSeq: integer('server_seq'),
  author: integer('author').notNull(),
  kind: integer('kind').notNull(),
  version: integer('version').notNull(),
  /** Milliseconds of the HLC stamp (an integer: numeric affinity), or the stamp's text when it does not round-trip. */
  hlc: numeric('hlc').notNull(),
  hlcCounter: integer('hlc_c'),
  /** The packed payload (text); NULL once it is in the `op_block` whose range holds `pos`. */
  payload: blob('payload'),
  scope: text('scope'),
}, (t) => [
  uniqueIndex('op_record_device_seq').on(t.device, t.seq),
  index('op_record_scope').on(t.scope).where(sql`scope IS NOT NULL`),
]);

/** Devices, authors and op kinds of the log, each stored once. */
export const opName = sqliteTable('op_name', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
}, (t) => [uniqueIndex('op_name_name').on(t.name)]);

/** Payloads of old ops `first_pos..last_pos`, compressed together (op-rows.ts `packLog`). */
export const opBlock = sqliteTable('op_block', {
  firstPos: integer('first_pos').primaryKey(),
  lastPos: integer('last_pos').notNull(),
  data: blob('data').notNull(),
});

/** The op log as it always read: created by migration 0004 over `op_record`, decoded by functions of open.ts. */
export const opLog = sqliteView('op_log', {
  pos: integer('pos'),
  device: text('device'),
  seq: integer('seq'),
  serverSeq: integer('server_seq'),
  author: text('author'),
  kind: text('kind'),
  version: integer('version'),
  hlc: text('hlc'),
  payload: text('payload'),
  scope: text('scope'),
}).existing();

/**
 * This device's ops not yet acknowledged by the server, as runs of consecutive seqs `first..last`
 * (a school's offline week is one run, not thousands of rows). Written by outbox.ts only; read
 * one seq a row through the `outbox` view (migration 0005).
 */
export const outboxRange = sqliteTable('outbox_range', {
  first: integer('first').primaryKey(),
  last: integer('last').notNull(),
}, (t) => [uniqueIndex('outbox_range_last').on(t.last)]);

/** The outbox as it always read: one row per pending seq. */
export const outbox = sqliteView('outbox', {
  seq: integer('seq'),
}).existing();

// ── set-up (R-SETUP) ─────────────────────────────────────────────────────────
export const school = sqliteTable('school', {
  id: integer('id').primaryKey(), // always 1: one school per journal file
  name: text('name').notNull(),
  fullName: text('full_name'),
  address: text('address'),
  timezone: text('timezone').notNull(),
});

export const setting = sqliteTable('setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(), // JSON
});

export const year = sqliteTable('year', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  starts: text('starts').notNull(),
  ends: text('ends').notNull(),
  closed: integer('closed', { mode: 'boolean' }).notNull().default(false),
});

export const levelScheme = sqliteTable('level_scheme', {
  yearId: text('year_id').notNull().references(() => year.id),
  level: text('level').notNull(),
  scheme: text('scheme').notNull(),
}, (t) => [primaryKey({ columns: [t.yearId, t.level] })]);

export const period = sqliteTable('period', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  scheme: text('scheme').notNull(),
  number: integer('number').notNull(),
  name: text('name').notNull(),
  starts: text('starts').notNull(),
  ends: text('ends').notNull(),
}, (t) => [uniqueIndex('period_year_scheme_number').on(t.yearId, t.scheme, t.number)]);

export const holiday = sqliteTable('holiday', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  name: text('name').notNull(),
  starts: text('starts').notNull(),
  ends: text('ends').notNull(),
  grades: text('grades'), // JSON array of grades, null = whole school
});

export const bell = sqliteTable('bell', {
  yearId: text('year_id').notNull().references(() => year.id),
  number: integer('number').notNull(),
  starts: text('starts').notNull(),
  ends: text('ends').notNull(),
}, (t) => [primaryKey({ columns: [t.yearId, t.number] })]);

export const subject = sqliteTable('subject', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  short: text('short').notNull(),
  code: text('code').notNull(),
});

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  lastName: text('last_name').notNull(),
  firstName: text('first_name').notNull(),
  middleName: text('middle_name'),
  position: text('position'),
  left: integer('left', { mode: 'boolean' }).notNull().default(false),
});

export const schoolClass = sqliteTable('class', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  grade: integer('grade').notNull(),
  letter: text('letter').notNull(),
  classTeacherId: text('class_teacher_id').references(() => staff.id),
}, (t) => [uniqueIndex('class_year_name').on(t.yearId, t.grade, t.letter)]);

export const student = sqliteTable('student', {
  id: text('id').primaryKey(),
  lastName: text('last_name').notNull(),
  firstName: text('first_name').notNull(),
  middleName: text('middle_name'),
  birthDate: text('birth_date'),
  classId: text('class_id').references(() => schoolClass.id),
  individualPlan: integer('individual_plan', { mode: 'boolean' }).notNull().default(false),
  homeSchooling: integer('home_schooling', { mode: 'boolean' }).notNull().default(false),
  medicalGroup: text('medical_group').notNull().default('main'),
  peExemptUntil: text('pe_exempt_until'),
  left: text('left'),
}, (t) => [index('student_class').on(t.classId)]);

export const parent = sqliteTable('parent', {
  id: text('id').primaryKey(),
  lastName: text('last_name').notNull(),
  firstName: text('first_name').notNull(),
  middleName: text('middle_name'),
  phone: text('phone'),
  email: text('email'),
});

export const parentStudent = sqliteTable('parent_student', {
  parentId: text('parent_id').notNull().references(() => parent.id),
  studentId: text('student_id').notNull().references(() => student.id),
  relation: text('relation'),
}, (t) => [primaryKey({ columns: [t.parentId, t.studentId] }), index('parent_student_student').on(t.studentId)]);

export const group = sqliteTable('grp', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  classId: text('class_id').references(() => schoolClass.id),
});

export const groupMember = sqliteTable('group_member', {
  groupId: text('group_id').notNull().references(() => group.id),
  studentId: text('student_id').notNull().references(() => student.id),
}, (t) => [primaryKey({ columns: [t.groupId, t.studentId] }), index('group_member_student').on(t.studentId)]);

/** A row of the curriculum with its teacher load: group × subject × hours per week × teacher. */
export const course = sqliteTable('course', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  groupId: text('group_id').notNull().references(() => group.id),
  subjectId: text('subject_id').notNull().references(() => subject.id),
  teacherId: text('teacher_id').references(() => staff.id),
  hoursPerWeek: real('hours_per_week').notNull(),
}, (t) => [index('course_group').on(t.groupId), index('course_teacher').on(t.teacherId)]);

export const slot = sqliteTable('slot', {
  id: text('id').primaryKey(),
  courseId: text('course_id').notNull().references(() => course.id),
  weekday: integer('weekday').notNull(),
  number: integer('number').notNull(),
  room: text('room'),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
  kind: text('kind').notNull(),
}, (t) => [index('slot_course').on(t.courseId)]);

export const ktp = sqliteTable('ktp', {
  id: text('id').primaryKey(),
  yearId: text('year_id').notNull().references(() => year.id),
  subjectId: text('subject_id').notNull().references(() => subject.id),
  grade: integer('grade').notNull(),
  number: integer('number').notNull(),
  topic: text('topic').notNull(),
  hours: integer('hours').notNull(),
}, (t) => [index('ktp_subject_grade').on(t.subjectId, t.grade, t.number)]);

// ── accounts ────────────────────────────────────────────────────────────────
export const account = sqliteTable('account', {
  id: text('id').primaryKey(),
  login: text('login').notNull(),
  personKind: text('person_kind').notNull(),
  personId: text('person_id').notNull(),
  roles: text('roles').notNull(), // JSON array of Role
  verifier: text('verifier'), // scrypt$…, never a clear password
  blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
  blockReason: text('block_reason'),
}, (t) => [uniqueIndex('account_login').on(t.login), index('account_person').on(t.personId)]);

export const breach = sqliteTable('breach', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull().references(() => account.id),
  fromAt: text('from_at').notNull(),
  reportedAt: text('reported_at').notNull(),
  note: text('note'),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: text('recorded_at').notNull(),
});

// ── the journal ─────────────────────────────────────────────────────────────
export const lesson = sqliteTable('lesson', {
  id: text('id').primaryKey(),
  courseId: text('course_id').notNull().references(() => course.id),
  date: text('date').notNull(),
  number: integer('number').notNull(),
  kind: text('kind').notNull(),
  status: text('status').notNull().default('planned'),
  /** Only where it differs from the linked КТП entry's: NULL with ktp_id = the entry's topic, '' = none; read via lessonTopicSql (lesson-topic.ts). */
  topic: text('topic'),
  ktpId: text('ktp_id').references(() => ktp.id),
  homework: text('homework'),
  workType: text('work_type'),
  orderNo: text('order_no'),
  form: text('form'),
  note: text('note'),
  movedFrom: text('moved_from'),
}, (t) => [index('lesson_course_date').on(t.courseId, t.date, t.number)]);

export const substitution = sqliteTable('substitution', {
  lessonId: text('lesson_id').primaryKey().references(() => lesson.id),
  teacherId: text('teacher_id').notNull().references(() => staff.id),
  reason: text('reason'),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: text('recorded_at').notNull(),
});

export const individualHomework = sqliteTable('individual_homework', {
  lessonId: text('lesson_id').notNull().references(() => lesson.id),
  studentId: text('student_id').notNull().references(() => student.id),
  text: text('text').notNull(),
}, (t) => [primaryKey({ columns: [t.lessonId, t.studentId] })]);

/**
 * Names that the hot state tables store as small integer codes (mark and attendance authors, work
 * types, absence reasons): each name once. A state table like the others — filled by the fold in
 * fold order (`nameCode` in apply.ts), so replicas that folded the same log agree on the codes.
 */
export const nameCode = sqliteTable('name_code', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
}, (t) => [uniqueIndex('name_code_name').on(t.name)]);

/**
 * Marks as stored (WITHOUT ROWID, ~32 B a row): `col` '' is the main column, work type and author
 * are `name_code` ids. Read them through the `mark` view (migration 0005), which gives back the
 * names; write them in apply.ts only.
 */
export const markCell = sqliteTable('mark_cell', {
  lessonId: text('lesson_id').notNull().references(() => lesson.id),
  studentId: text('student_id').notNull().references(() => student.id),
  column: text('col').notNull(),
  value: text('value').notNull(),
  /** null = the lesson's work type (read as coalesce(mark, lesson, 'lesson')), so retyping a lesson reaches its marks. */
  workType: integer('work_type'),
  comment: text('comment'),
  author: integer('author').notNull(),
  /** Milliseconds since the epoch (the op's HLC time): compact, a year of a large school has ~10^6 marks. */
  at: integer('at').notNull(),
}, (t) => [primaryKey({ columns: [t.lessonId, t.studentId, t.column] })]);

/** The marks as every reader sees them: column names, 'main', work type and author names (migration 0005). */
export const mark = sqliteView('mark', {
  lessonId: text('lesson_id'),
  studentId: text('student_id'),
  column: text('col'),
  value: text('value'),
  workType: text('work_type'),
  comment: text('comment'),
  author: text('author'),
  at: integer('at'),
}).existing();

/** R-ABSENCE: the absence and its reason are separate fields (set by different people). Stored with reason and author as `name_code` ids; read through `attendance`. */
export const attendanceCell = sqliteTable('attendance_cell', {
  lessonId: text('lesson_id').notNull().references(() => lesson.id),
  studentId: text('student_id').notNull().references(() => student.id),
  reason: integer('reason'),
  author: integer('author').notNull(),
  at: integer('at').notNull(),
}, (t) => [primaryKey({ columns: [t.lessonId, t.studentId] }), index('attendance_cell_student').on(t.studentId)]);

/** The absences as every reader sees them (migration 0005). */
export const attendance = sqliteView('attendance', {
  lessonId: text('lesson_id'),
  studentId: text('student_id'),
  reason: text('reason'),
  author: text('author'),
  at: integer('at'),
}).existing();

export const periodMark = sqliteTable('period_mark', {
  studentId: text('student_id').notNull().references(() => student.id),
  subjectId: text('subject_id').notNull().references(() => subject.id),
  yearId: text('year_id').notNull().references(() => year.id),
  term: text('term').notNull(), // a period id, or 'annual' | 'exam' | 'final'
  value: text('value').notNull(),
  author: text('author').notNull(),
  at: integer('at').notNull(),
}, (t) => [primaryKey({ columns: [t.studentId, t.subjectId, t.yearId, t.term] })]);

export const attestationDecision = sqliteTable('attestation_decision', {
  studentId: text('student_id').notNull().references(() => student.id),
  subjectId: text('subject_id').notNull().references(() => subject.id),
  yearId: text('year_id').notNull().references(() => year.id),
  term: text('term').notNull(),
  attest: integer('attest', { mode: 'boolean' }).notNull(),
  note: text('note').notNull(),
  author: text('author').notNull(),
  at: text('at').notNull(),
}, (t) => [primaryKey({ columns: [t.studentId, t.subjectId, t.yearId, t.term] })]);

/** R-CORRECTION: the request, the decision and both values are kept. */
export const correction = sqliteTable('correction', {
  id: text('id').primaryKey(),
  target: text('target').notNull(), // JSON CellRef
  oldValue: text('old_value'),
  newValue: text('new_value'),
  reason: text('reason').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedAt: text('requested_at').notNull(),
  status: text('status').notNull(), // pending | approved | declined
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  decisionNote: text('decision_note'),
  orderRef: text('order_ref'),
  teacherExplanation: text('teacher_explanation'),
  deputyExplanation: text('deputy_explanation'),
}, (t) => [index('correction_status').on(t.status)]);

// ── families and communication ───────────────────────────────────────────────
export const consent = sqliteTable('consent', {
  parentId: text('parent_id').notNull().references(() => parent.id),
  kind: text('kind').notNull(),
  value: text('value').notNull(),
  date: text('date').notNull(),
  author: text('author').notNull(),
}, (t) => [primaryKey({ columns: [t.parentId, t.kind] })]);

export const diaryAck = sqliteTable('diary_ack', {
  accountId: text('account_id').notNull().references(() => account.id),
  studentId: text('student_id').notNull().references(() => student.id),
  at: text('at').notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.studentId] })]);

export const announcement = sqliteTable('announcement', {
  id: text('id').primaryKey(),
  author: text('author').notNull(),
  at: text('at').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  audience: text('audience').notNull(), // JSON
  annulled: integer('annulled', { mode: 'boolean' }).notNull().default(false),
});

export const message = sqliteTable('message', {
  id: text('id').primaryKey(),
  fromAccount: text('from_account').notNull(),
  toAccount: text('to_account').notNull().references(() => account.id),
  at: text('at').notNull(),
  body: text('body').notNull(),
  readAt: text('read_at'),
}, (t) => [index('message_to').on(t.toAccount), index('message_from').on(t.fromAccount)]);
