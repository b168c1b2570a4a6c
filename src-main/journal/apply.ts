/**
 * The fold: the effect of each op kind on the replica's state. `applyEffect` is deterministic — it
 * reads only the op and the current state (never the clock), so replaying the log in the same
 * order rebuilds the same state and the same checksum on every replica.
 *
 * The hot path uses cached prepared statements rather than the query builder: a year of a large
 * school is ~10^6 ops, and the batched apply rate is a measured target (bench/journal.ts).
 * Taking an op into the replica (effect, log row, a breach's re-fold) is apply-op.ts: the re-fold
 * uses the effects here, so they import nothing of it.
 */
import type { Op } from '../../src-shared/ops/envelope';
import { hlcInstant } from '../../src-shared/ops/envelope';
import { type OpKind, type Payload } from '../../src-shared/ops/kinds';
import type { Journal } from './handle';
import { JournalError } from './errors';
import { isVoidOp } from './breach';
import { encodeTopic, ktpTopic, materialiseKtpTopic } from './lesson-topic';
import { ONE_TIME } from './one-time';
import { checkLessonRemoval, type LessonEntries } from '../../src-shared/rules/timetable';

type Effect<K extends OpKind> = (j: Journal, p: Payload<K>, op: Op<K>, at: string) => void;

const b = (v: boolean | undefined) => (v ? 1 : 0);
const n = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);

function upsert(j: Journal, table: string, keys: string[], row: Record<string, unknown>): void {
  const cols = Object.keys(row);
  const updates = cols.filter((c) => !keys.includes(c));
  const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})` +
    (updates.length ? ` ON CONFLICT(${keys.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : ` ON CONFLICT(${keys.join(', ')}) DO NOTHING`);
  j.stmt(sql).run(...cols.map((c) => row[c]));
}

function requireRow(j: Journal, table: string, id: string, what: string): void {
  if (!j.stmt(`SELECT 1 FROM ${table} WHERE id = ?`).get(id)) {
    throw new JournalError('missing_ref', `${what} «${id}» не найден(а) в журнале`);
  }
}

/**
 * The `name_code` id of a name (an author, a work type, an absence reason), added on first use:
 * ids follow the fold order, so replicas that folded the same log agree (schema.ts `nameCode`).
 */
export function nameCode(j: Journal, name: string): number {
  const find = j.stmt('SELECT id FROM name_code WHERE name = ?').pluck();
  const id = find.get(name) as number | undefined;
  if (id !== undefined) return id;
  return Number(j.stmt('INSERT INTO name_code (name) VALUES (?)').run(name).lastInsertRowid);
}
const optCode = (j: Journal, name: string | null | undefined): number | null => (name === null || name === undefined ? null : nameCode(j, name));

/** The stored form of a mark column: the main one is '' (schema.ts `markCell`). */
export const storedColumn = (column: string | undefined): string => (column === undefined || column === 'main' ? '' : column);

const SET_MARK = `INSERT INTO mark_cell (lesson_id, student_id, col, value, work_type, comment, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(lesson_id, student_id, col) DO UPDATE SET value = excluded.value, work_type = excluded.work_type, comment = excluded.comment, author = excluded.author, at = excluded.at`;
const DELETE_MARK = 'DELETE FROM mark_cell WHERE lesson_id = ? AND student_id = ? AND col = ?';

/** Current value of a cell a correction targets (for the request's "old value"). */
export function cellValue(j: Journal, target: Payload<'correction.request'>['target']): string | null {
  if (target.kind === 'mark') {
    const v = j.stmt('SELECT value FROM mark WHERE lesson_id = ? AND student_id = ? AND col = ?').pluck().get(target.lessonId, target.studentId, target.column);
    return (v as string | undefined) ?? null;
  }
  const v = j.stmt('SELECT value FROM period_mark WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').pluck().get(target.studentId, target.subjectId, target.yearId, target.term);
  return (v as string | undefined) ?? null;
}

function writeCell(j: Journal, target: Payload<'correction.request'>['target'], value: string | null, author: string, at: string): void {
  if (target.kind === 'mark') {
    if (value === null) {
      j.stmt(DELETE_MARK).run(target.lessonId, target.studentId, storedColumn(target.column));
    } else {
      requireRow(j, 'lesson', target.lessonId, 'Урок');
      // A corrected value keeps the cell's work type (null: the lesson's).
      const col = storedColumn(target.column);
      const existing = j.stmt('SELECT work_type FROM mark_cell WHERE lesson_id = ? AND student_id = ? AND col = ?').pluck().get(target.lessonId, target.studentId, col) as number | null | undefined;
      j.stmt(SET_MARK).run(target.lessonId, target.studentId, col, value, existing ?? null, null, nameCode(j, author), Date.parse(at));
    }
  } else if (value === null) {
    j.stmt('DELETE FROM period_mark WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').run(target.studentId, target.subjectId, target.yearId, target.term);
  } else {
    upsert(j, 'period_mark', ['student_id', 'subject_id', 'year_id', 'term'], { student_id: target.studentId, subject_id: target.subjectId, year_id: target.yearId, term: target.term, value, author, at: Date.parse(at) });
  }
}

/** What a lesson already has (R-SETUP, п. 7.12, 9.3): any of it keeps the lesson in the journal. `undefined`: no such lesson. */
export function lessonEntries(j: Journal, id: string): { status: string; date: string; entries: LessonEntries } | undefined {
  const row = j.stmt(`SELECT status, date, (topic IS NOT NULL AND topic <> '') OR ktp_id IS NOT NULL AS topic, homework IS NOT NULL AND homework <> '' AS homework,
    EXISTS (SELECT 1 FROM mark_cell WHERE lesson_id = l.id) AS marks, EXISTS (SELECT 1 FROM attendance_cell WHERE lesson_id = l.id) AS attendance,
    EXISTS (SELECT 1 FROM individual_homework WHERE lesson_id = l.id) AS individualHomework, EXISTS (SELECT 1 FROM substitution WHERE lesson_id = l.id) AS substitution
    FROM lesson l WHERE id = ?`).get(id) as ({ status: string; date: string } & Record<keyof LessonEntries, number>) | undefined;
  if (!row) return undefined;
  const { status, date, ...e } = row;
  return { status, date, entries: { marks: !!e.marks, attendance: !!e.attendance, topic: !!e.topic, homework: !!e.homework, individualHomework: !!e.individualHomework, substitution: !!e.substitution } };
}

const effects: { [K in OpKind]: Effect<K> } = {
  'school.set': (j, p) => upsert(j, 'school', ['id'], { id: 1, name: p.name, full_name: n(p.fullName), address: n(p.address), timezone: p.timezone }),
  'setting.set': (j, p) => upsert(j, 'setting', ['key'], { key: p.key, value: JSON.stringify(p.value) }),
  'year.set': (j, p) => upsert(j, 'year', ['id'], { id: p.id, name: p.name, starts: p.starts, ends: p.ends, closed: b(p.closed) }),
  'levelScheme.set': (j, p) => upsert(j, 'level_scheme', ['year_id', 'level'], { year_id: p.yearId, level: p.level, scheme: p.scheme }),
  'period.set': (j, p) => upsert(j, 'period', ['id'], { id: p.id, year_id: p.yearId, scheme: p.scheme, number: p.number, name: p.name, starts: p.starts, ends: p.ends }),
  'period.remove': (j, p) => void j.stmt('DELETE FROM period WHERE id = ?').run(p.id),
  'holiday.set': (j, p) => upsert(j, 'holiday', ['id'], { id: p.id, year_id: p.yearId, name: p.name, starts: p.starts, ends: p.ends, grades: p.grades ? JSON.stringify(p.grades) : null }),
  'holiday.remove': (j, p) => void j.stmt('DELETE FROM holiday WHERE id = ?').run(p.id),
  'bell.set': (j, p) => upsert(j, 'bell', ['year_id', 'number'], { year_id: p.yearId, number: p.number, starts: p.starts, ends: p.ends }),
  'subject.set': (j, p) => upsert(j, 'subject', ['id'], { id: p.id, name: p.name, short: p.short, code: p.code }),
  'staff.set': (j, p) => upsert(j, 'staff', ['id'], { id: p.id, last_name: p.lastName, first_name: p.firstName, middle_name: n(p.middleName), position: n(p.position), left: b(p.left) }),
  'student.set': (j, p) => upsert(j, 'student', ['id'], {
    id: p.id, last_name: p.lastName, first_name: p.firstName, middle_name: n(p.middleName), birth_date: n(p.birthDate), class_id: p.classId,
    individual_plan: b(p.individualPlan), home_schooling: b(p.homeSchooling), medical_group: p.medicalGroup, pe_exempt_until: n(p.peExemptUntil), left: n(p.left),
  }),
  'parent.set': (j, p) => upsert(j, 'parent', ['id'], { id: p.id, last_name: p.lastName, first_name: p.firstName, middle_name: n(p.middleName), phone: n(p.phone), email: n(p.email) }),
  'parent.link': (j, p) => upsert(j, 'parent_student', ['parent_id', 'student_id'], { parent_id: p.parentId, student_id: p.studentId, relation: n(p.relation) }),
  'parent.unlink': (j, p) => void j.stmt('DELETE FROM parent_student WHERE parent_id = ? AND student_id = ?').run(p.parentId, p.studentId),
  'class.set': (j, p) => upsert(j, 'class', ['id'], { id: p.id, year_id: p.yearId, grade: p.grade, letter: p.letter, class_teacher_id: n(p.classTeacherId) }),
  'group.set': (j, p) => upsert(j, 'grp', ['id'], { id: p.id, year_id: p.yearId, name: p.name, kind: p.kind, class_id: n(p.classId) }),
  'group.members': (j, p) => {
    requireRow(j, 'grp', p.groupId, 'Группа');
    for (const s of p.add) j.stmt('INSERT INTO group_member (group_id, student_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(p.groupId, s);
    for (const s of p.remove) j.stmt('DELETE FROM group_member WHERE group_id = ? AND student_id = ?').run(p.groupId, s);
  },
  'course.set': (j, p) => upsert(j, 'course', ['id'], { id: p.id, year_id: p.yearId, group_id: p.groupId, subject_id: p.subjectId, teacher_id: n(p.teacherId), hours_per_week: p.hoursPerWeek }),
  'course.remove': (j, p) => {
    if (j.stmt('SELECT 1 FROM lesson WHERE course_id = ? LIMIT 1').get(p.id)) {
      throw new JournalError('conflict', 'Нельзя удалить предмет из учебного плана: по нему уже есть уроки');
    }
    j.stmt('DELETE FROM slot WHERE course_id = ?').run(p.id);
    j.stmt('DELETE FROM course WHERE id = ?').run(p.id);
  },
  'slot.set': (j, p) => upsert(j, 'slot', ['id'], { id: p.id, course_id: p.courseId, weekday: p.weekday, number: p.number, room: n(p.room), valid_from: p.validFrom, valid_to: n(p.validTo), kind: p.kind }),
  'slot.remove': (j, p) => void j.stmt('DELETE FROM slot WHERE id = ?').run(p.id),
  'ktp.set': (j, p) => {
    // Lessons held on the old topic keep it (lesson-topic.ts).
    const old = ktpTopic(j, p.id);
    if (old !== null && old !== p.topic) materialiseKtpTopic(j, p.id);
    upsert(j, 'ktp', ['id'], { id: p.id, year_id: p.yearId, subject_id: p.subjectId, grade: p.grade, number: p.number, topic: p.topic, hours: p.hours });
  },
  'ktp.remove': (j, p) => {
    materialiseKtpTopic(j, p.id);
    j.stmt("UPDATE lesson SET ktp_id = NULL, topic = nullif(topic, '') WHERE ktp_id = ?").run(p.id);
    j.stmt('DELETE FROM ktp WHERE id = ?').run(p.id);
  },
  'account.set': (j, p) => {
    const other = j.stmt('SELECT id FROM account WHERE login = ? AND id <> ?').pluck().get(p.login, p.id);
    if (other) throw new JournalError('conflict', `Логин «${p.login}» уже занят`);
    upsert(j, 'account', ['id'], { id: p.id, login: p.login, person_kind: p.personKind, person_id: p.personId, roles: JSON.stringify([...new Set(p.roles)].sort()) });
  },
  'account.password': (j, p) => {
    requireRow(j, 'account', p.id, 'Учётная запись');
    j.stmt('UPDATE account SET verifier = ? WHERE id = ?').run(p.verifier, p.id);
  },
  // The verifier of a one-time password is stored marked (one-time.ts): the
  // account may do nothing but choose its own password until it does (R-ACCOUNTS, п. 10.1).
  'account.reset': (j, p) => {
    requireRow(j, 'account', p.id, 'Учётная запись');
    j.stmt('UPDATE account SET verifier = ? WHERE id = ?').run(`${ONE_TIME}${p.verifier}`, p.id);
  },
  'account.block': (j, p) => {
    requireRow(j, 'account', p.id, 'Учётная запись');
    j.stmt('UPDATE account SET blocked = ?, block_reason = ? WHERE id = ?').run(b(p.blocked), p.blocked ? n(p.reason) : null, p.id);
  },
  'breach.record': (j, p, op, at) => upsert(j, 'breach', ['id'], { id: p.id, account_id: p.accountId, from_at: p.from, reported_at: p.reportedAt, note: n(p.note), recorded_by: op.author, recorded_at: at }),
  'lesson.create': (j, p) => {
    if (j.stmt('SELECT 1 FROM lesson WHERE id = ?').get(p.id)) throw new JournalError('conflict', `Урок «${p.id}» уже существует`);
    j.stmt('INSERT INTO lesson (id, course_id, date, number, kind, status, topic, work_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.id, p.courseId, p.date, p.number, p.kind, 'planned', encodeTopic(p.topic, null, null), n(p.workType));
  },
  'lesson.move': (j, p) => {
    const row = j.stmt('SELECT date, moved_from FROM lesson WHERE id = ?').get(p.id) as { date: string; moved_from: string | null } | undefined;
    if (!row) throw new JournalError('missing_ref', `Урок «${p.id}» не найден в журнале`);
    j.stmt('UPDATE lesson SET date = ?, number = ?, moved_from = ?, note = coalesce(?, note) WHERE id = ?')
      .run(p.date, p.number, row.moved_from ?? row.date, n(p.reason), p.id);
  },
  'lesson.remove': (j, p) => {
    const l = lessonEntries(j, p.id);
    if (!l) throw new JournalError('missing_ref', `Урок «${p.id}» не найден в журнале`);
    // The guard says why in the regulation's words; the fold refuses the same on any replica (a pushed op, a re-fold).
    const v = checkLessonRemoval(l);
    if (v.level === 'refuse') throw new JournalError('conflict', v.findings[0]!.message);
    j.stmt('DELETE FROM lesson WHERE id = ?').run(p.id);
  },
  'lesson.update': (j, p) => {
    requireRow(j, 'lesson', p.id, 'Урок');
    // Per-field: only the fields present change (R-TOPICS/R-HOMEWORK conflicts are per field).
    const fields: [string, unknown][] = [];
    if (p.topic !== undefined || p.ktpId !== undefined) {
      // The topic is stored against the link (lesson-topic.ts): a relinked lesson keeps the topic it read.
      const cur = j.stmt('SELECT topic, ktp_id AS ktpId FROM lesson WHERE id = ?').get(p.id) as { topic: string | null; ktpId: string | null };
      const ktpId = p.ktpId !== undefined ? p.ktpId : cur.ktpId;
      const topic = p.topic !== undefined ? p.topic : cur.topic ?? ktpTopic(j, cur.ktpId);
      fields.push(['topic', encodeTopic(topic, ktpId, ktpTopic(j, ktpId))]);
      if (p.ktpId !== undefined) fields.push(['ktp_id', p.ktpId]);
    }
    const map: [keyof typeof p, string][] = [['homework', 'homework'], ['kind', 'kind'], ['workType', 'work_type'], ['orderNo', 'order_no'], ['form', 'form'], ['status', 'status'], ['note', 'note']];
    for (const [k, col] of map) if (p[k] !== undefined) fields.push([col, p[k]]);
    if (fields.length === 0) return;
    j.stmt(`UPDATE lesson SET ${fields.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...fields.map(([, v]) => v), p.id);
  },
  'substitution.set': (j, p, op, at) => upsert(j, 'substitution', ['lesson_id'], { lesson_id: p.lessonId, teacher_id: p.teacherId, reason: n(p.reason), recorded_by: op.author, recorded_at: at }),
  'substitution.remove': (j, p) => void j.stmt('DELETE FROM substitution WHERE lesson_id = ?').run(p.lessonId),
  'homework.individual': (j, p) => {
    if (p.text === null || p.text === '') j.stmt('DELETE FROM individual_homework WHERE lesson_id = ? AND student_id = ?').run(p.lessonId, p.studentId);
    else upsert(j, 'individual_homework', ['lesson_id', 'student_id'], { lesson_id: p.lessonId, student_id: p.studentId, text: p.text });
  },
  'mark.set': (j, p, op, at) => {
    requireRow(j, 'lesson', p.lessonId, 'Урок');
    const ms = Date.parse(at);
    const ins = j.stmt(SET_MARK);
    const author = nameCode(j, op.author);
    const types = new Map<string, number>(); // a lesson's marks mostly share one or two work types
    const typeCode = (t: string | undefined) => {
      if (t === undefined) return null;
      let c = types.get(t);
      if (c === undefined) types.set(t, (c = nameCode(j, t)));
      return c;
    };
    for (const m of p.marks) ins.run(p.lessonId, m.studentId, storedColumn(m.column), m.value, typeCode(m.workType), n(m.comment), author, ms);
  },
  'mark.annul': (j, p) => {
    const del = j.stmt(DELETE_MARK);
    for (const m of p.marks) del.run(p.lessonId, m.studentId, storedColumn(m.column));
  },
  'attendance.set': (j, p, op, at) => {
    requireRow(j, 'lesson', p.lessonId, 'Урок');
    const ins = j.stmt('INSERT INTO attendance_cell (lesson_id, student_id, author, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const del = j.stmt('DELETE FROM attendance_cell WHERE lesson_id = ? AND student_id = ?');
    const author = p.entries.some((e) => e.absent) ? nameCode(j, op.author) : 0;
    for (const e of p.entries) {
      if (e.absent) ins.run(p.lessonId, e.studentId, author, Date.parse(at));
      else del.run(p.lessonId, e.studentId);
    }
  },
  'absence.reason': (j, p) => {
    // The reason is its own field: it never creates or removes the absence itself (R-ABSENCE).
    const upd = j.stmt('UPDATE attendance_cell SET reason = ? WHERE lesson_id = ? AND student_id = ?');
    for (const e of p.entries) upd.run(optCode(j, e.reason), p.lessonId, e.studentId);
  },
  'periodMark.set': (j, p, op, at) => {
    for (const m of p.marks) upsert(j, 'period_mark', ['student_id', 'subject_id', 'year_id', 'term'], { student_id: m.studentId, subject_id: p.subjectId, year_id: p.yearId, term: p.term, value: m.value, author: op.author, at: Date.parse(at) });
  },
  'periodMark.annul': (j, p) => {
    const del = j.stmt('DELETE FROM period_mark WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?');
    for (const s of p.studentIds) del.run(s, p.subjectId, p.yearId, p.term);
  },
  'attestation.decision': (j, p, op, at) => upsert(j, 'attestation_decision', ['student_id', 'subject_id', 'year_id', 'term'], { student_id: p.studentId, subject_id: p.subjectId, year_id: p.yearId, term: p.term, attest: b(p.attest), note: p.note, author: op.author, at }),
  'correction.request': (j, p, op, at) => {
    if (j.stmt('SELECT 1 FROM correction WHERE id = ?').get(p.id)) throw new JournalError('conflict', `Запрос на исправление «${p.id}» уже существует`);
    j.stmt('INSERT INTO correction (id, target, old_value, new_value, reason, requested_by, requested_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.id, JSON.stringify(p.target), cellValue(j, p.target), p.value, p.reason, op.author, at, 'pending');
  },
  'correction.decide': (j, p, op, at) => {
    const row = j.stmt('SELECT target, new_value, requested_by, status FROM correction WHERE id = ?').get(p.id) as { target: string; new_value: string | null; requested_by: string; status: string } | undefined;
    if (!row) throw new JournalError('missing_ref', `Запрос на исправление «${p.id}» не найден`);
    if (row.status !== 'pending') throw new JournalError('conflict', 'Запрос на исправление уже рассмотрен');
    j.stmt('UPDATE correction SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, order_ref = ?, teacher_explanation = ?, deputy_explanation = ? WHERE id = ?')
      .run(p.approved ? 'approved' : 'declined', op.author, at, n(p.note), n(p.orderRef), n(p.teacherExplanation), n(p.deputyExplanation), p.id);
    if (p.approved) writeCell(j, JSON.parse(row.target) as Payload<'correction.request'>['target'], row.new_value, row.requested_by, at);
  },
  'consent.set': (j, p, op) => upsert(j, 'consent', ['parent_id', 'kind'], { parent_id: p.parentId, kind: p.kind, value: p.value, date: p.date, author: op.author }),
  'diary.ack': (j, p, op, at) => upsert(j, 'diary_ack', ['account_id', 'student_id'], { account_id: op.author, student_id: p.studentId, at }),
  'announcement.post': (j, p, op, at) => upsert(j, 'announcement', ['id'], { id: p.id, author: op.author, at, title: p.title, body: p.body, audience: JSON.stringify(p.audience), annulled: 0 }),
  'announcement.annul': (j, p) => void j.stmt('UPDATE announcement SET annulled = 1 WHERE id = ?').run(p.id),
  'message.send': (j, p, op, at) => upsert(j, 'message', ['id'], { id: p.id, from_account: op.author, to_account: p.to, at, body: p.body }),
  'message.read': (j, p, op, at) => void j.stmt('UPDATE message SET read_at = coalesce(read_at, ?) WHERE id = ? AND to_account = ?').run(at, p.id, op.author),
};

/** The op's effect on the state alone (no log row): the fold step, also used to re-fold a replica. */
export function applyEffect(j: Journal, op: Op): void {
  if (isVoidOp(j, op)) return; // R-BREACH: logged, no effect (breach.ts)
  try {
    (effects[op.kind] as Effect<OpKind>)(j, op.payload, op, hlcInstant(op.hlc));
  } catch (err) {
    translateSqliteError(err, op);
  }
}

function translateSqliteError(err: unknown, op: Op): never {
  if (err instanceof JournalError) throw err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new JournalError('missing_ref', `Операция «${op.kind}» ссылается на запись, которой нет в журнале`, err);
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    throw new JournalError('conflict', `Операция «${op.kind}» противоречит данным журнала`, err);
  }
  throw err;
}
