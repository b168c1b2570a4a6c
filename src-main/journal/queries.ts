/**
 * Read side of the replica: the views the UI, the diary, reports and the CLI need. Plain SQL on
 * the state tables (indexed); results are JSON-safe values.
 */
import { hlcInstant } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { OpKind } from '../../src-shared/ops/kinds';
import type { MarkColumn } from '../../src-shared/domain/school';
import type { Journal } from './open';
import { JournalError } from './errors';
import { isVoidOp } from './breach';
import { lessonTopicSql } from './lesson-topic';

export interface PersonName { id: string; lastName: string; firstName: string; middleName: string | null }
export const fullName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
export const shortName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  `${p.lastName} ${p.firstName[0]}.${p.middleName ? ` ${p.middleName[0]}.` : ''}`;

const collator = new Intl.Collator('ru');

// ── students of a group ────────────────────────────────────────────────────────

/** Students of a group: a class group's class list, or the explicit members of other groups. */
export function groupStudents(j: Journal, groupId: string): (PersonName & { classId: string | null; homeSchooling: boolean; individualPlan: boolean; medicalGroup: string; peExemptUntil: string | null })[] {
  const g = j.stmt('SELECT kind, class_id FROM grp WHERE id = ?').get(groupId) as { kind: string; class_id: string | null } | undefined;
  if (!g) throw new JournalError('not_found', `Группа «${groupId}» не найдена`);
  const cols = `s.id, s.last_name AS lastName, s.first_name AS firstName, s.middle_name AS middleName, s.class_id AS classId,
    s.home_schooling AS homeSchooling, s.individual_plan AS individualPlan, s.medical_group AS medicalGroup, s.pe_exempt_until AS peExemptUntil`;
  const rows = (g.kind === 'class' && g.class_id
    ? j.stmt(`SELECT ${cols} FROM student s WHERE s.class_id = ? AND s.left IS NULL`).all(g.class_id)
    : j.stmt(`SELECT ${cols} FROM group_member m JOIN student s ON s.id = m.student_id WHERE m.group_id = ? AND s.left IS NULL`).all(groupId)) as never[];
  return (rows as { homeSchooling: number; individualPlan: number }[]).map((r) => ({ ...r, homeSchooling: !!r.homeSchooling, individualPlan: !!r.individualPlan }) as never)
    .sort((a: PersonName, b: PersonName) => collator.compare(fullName(a), fullName(b)));
}

// ── the gradebook ─────────────────────────────────────────────────────────────

export interface GradebookQuery { courseId: string; from?: string; to?: string; periodId?: string }

export interface GradebookView {
  course: { id: string; groupId: string; groupName: string; subjectId: string; subjectName: string; subjectCode: string; teacherId: string | null; teacherName: string | null; hoursPerWeek: number; yearId: string; grade: number | null };
  period: { id: string; name: string; starts: string; ends: string } | null;
  students: (PersonName & { homeSchooling: boolean; medicalGroup: string; peExemptUntil: string | null })[];
  lessons: { id: string; date: string; number: number; kind: string; status: string; topic: string | null; homework: string | null; workType: string | null; movedFrom: string | null; substituteId: string | null }[];
  marks: { lessonId: string; studentId: string; column: MarkColumn; value: string; workType: string; comment: string | null }[];
  absences: { lessonId: string; studentId: string; reason: string | null }[];
  periodMarks: { studentId: string; term: string; value: string }[];
}

export function gradebook(j: Journal, q: GradebookQuery): GradebookView {
  const c = j.stmt(`SELECT c.id, c.group_id AS groupId, g.name AS groupName, c.subject_id AS subjectId, s.name AS subjectName, s.code AS subjectCode,
      c.teacher_id AS teacherId, c.hours_per_week AS hoursPerWeek, c.year_id AS yearId, st.last_name AS tl, st.first_name AS tf, st.middle_name AS tm, cl.grade AS grade
    FROM course c JOIN grp g ON g.id = c.group_id JOIN subject s ON s.id = c.subject_id
    LEFT JOIN staff st ON st.id = c.teacher_id LEFT JOIN class cl ON cl.id = g.class_id WHERE c.id = ?`).get(q.courseId) as
    (Omit<GradebookView['course'], 'teacherName'> & { tl: string | null; tf: string | null; tm: string | null }) | undefined;
  if (!c) throw new JournalError('not_found', `Предмет учебного плана «${q.courseId}» не найден`);
  let from = q.from ?? '0000-01-01';
  let to = q.to ?? '9999-12-31';
  let period: GradebookView['period'] = null;
  if (q.periodId) {
    period = (j.stmt('SELECT id, name, starts, ends FROM period WHERE id = ?').get(q.periodId) as GradebookView['period'] | undefined) ?? null;
    if (!period) throw new JournalError('not_found', `Учебный период «${q.periodId}» не найден`);
    from = period.starts;
    to = period.ends;
  }
  const lessons = j.stmt(`SELECT l.id, l.date, l.number, l.kind, l.status, ${lessonTopicSql('l')} AS topic, l.homework, l.work_type AS workType, l.moved_from AS movedFrom, sub.teacher_id AS substituteId
    FROM lesson l LEFT JOIN substitution sub ON sub.lesson_id = l.id
    WHERE l.course_id = ? AND l.date BETWEEN ? AND ? ORDER BY l.date, l.number`).all(q.courseId, from, to) as GradebookView['lessons'];
  const marks = j.stmt(`SELECT m.lesson_id AS lessonId, m.student_id AS studentId, m.col AS "column", m.value, coalesce(m.work_type, l.work_type, 'lesson') AS workType, m.comment
    FROM lesson l JOIN mark m ON m.lesson_id = l.id WHERE l.course_id = ? AND l.date BETWEEN ? AND ?`).all(q.courseId, from, to) as GradebookView['marks'];
  const absences = j.stmt(`SELECT a.lesson_id AS lessonId, a.student_id AS studentId, a.reason
    FROM lesson l JOIN attendance a ON a.lesson_id = l.id WHERE l.course_id = ? AND l.date BETWEEN ? AND ?`).all(q.courseId, from, to) as GradebookView['absences'];
  const periodMarks = j.stmt('SELECT student_id AS studentId, term, value FROM period_mark WHERE subject_id = ? AND year_id = ?')
    .all(c.subjectId, c.yearId) as GradebookView['periodMarks'];
  const students = groupStudents(j, c.groupId);
  const ids = new Set(students.map((s) => s.id));
  const { tl, tf, tm, ...course } = c;
  return {
    course: { ...course, teacherName: tl && tf ? shortName({ lastName: tl, firstName: tf, middleName: tm }) : null },
    period,
    students: students.map(({ id, lastName, firstName, middleName, homeSchooling, medicalGroup, peExemptUntil }) => ({ id, lastName, firstName, middleName, homeSchooling, medicalGroup, peExemptUntil })),
    lessons,
    marks,
    absences,
    periodMarks: periodMarks.filter((p) => ids.has(p.studentId)),
  };
}

// ── a student's week (the diary) ────────────────────────────────────────────────

export interface DiaryDay {
  date: string;
  lessons: {
    lessonId: string; number: number; subject: string; kind: string; status: string; topic: string | null; homework: string | null;
    individualHomework: string | null; movedFrom: string | null; substituted: boolean;
    marks: { value: string; column: string; workType: string; comment: string | null }[];
    absent: boolean; absenceReason: string | null;
  }[];
}

export function studentWeek(j: Journal, studentId: string, weekStart: string): { student: PersonName & { className: string | null }; days: DiaryDay[]; periodMarks: { subject: string; term: string; value: string }[] } {
  const s = j.stmt(`SELECT s.id, s.last_name AS lastName, s.first_name AS firstName, s.middle_name AS middleName, s.class_id AS classId,
      c.grade || c.letter AS className FROM student s LEFT JOIN class c ON c.id = s.class_id WHERE s.id = ?`).get(studentId) as (PersonName & { classId: string | null; className: string | null }) | undefined;
  if (!s) throw new JournalError('not_found', 'Ученик не найден');
  const end = addDaysIso(weekStart, 6);
  // Driven from the student's groups → their courses → the week's lessons (lesson_course_date index),
  // not from every lesson of the school that week (CROSS JOIN fixes SQLite's join order).
  const lessons = j.stmt(`WITH g AS (SELECT id FROM grp WHERE kind = 'class' AND class_id = @cid UNION SELECT group_id FROM group_member WHERE student_id = @sid)
    SELECT l.id AS lessonId, l.date, l.number, sub.name AS subject, l.kind, l.status, ${lessonTopicSql('l')} AS topic, l.homework, ih.text AS individualHomework,
      l.moved_from AS movedFrom, (sb.lesson_id IS NOT NULL) AS substituted, (a.student_id IS NOT NULL) AS absent, a.reason AS absenceReason
    FROM g CROSS JOIN course c ON c.group_id = g.id CROSS JOIN lesson l ON l.course_id = c.id AND l.date BETWEEN @from AND @to AND l.status <> 'cancelled'
    JOIN subject sub ON sub.id = c.subject_id
    LEFT JOIN individual_homework ih ON ih.lesson_id = l.id AND ih.student_id = @sid
    LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = @sid
    LEFT JOIN substitution sb ON sb.lesson_id = l.id
    ORDER BY l.date, l.number`).all({ sid: studentId, cid: s.classId, from: weekStart, to: end }) as (Omit<DiaryDay['lessons'][number], 'substituted' | 'absent' | 'marks'> & { date: string; substituted: number; absent: number })[];
  // The student's marks of exactly these lessons, by the mark's primary key: no per-student index needed.
  const marks = j.stmt(`SELECT m.lesson_id AS lessonId, m.value, m.col AS "column", coalesce(m.work_type, l.work_type, 'lesson') AS workType, m.comment
    FROM json_each(?) je CROSS JOIN mark m ON m.lesson_id = je.value AND m.student_id = ? JOIN lesson l ON l.id = m.lesson_id`).all(JSON.stringify(lessons.map((l) => l.lessonId)), studentId) as { lessonId: string; value: string; column: string; workType: string; comment: string | null }[];
  const byLesson = new Map<string, DiaryDay['lessons'][number]['marks']>();
  for (const m of marks) {
    const list = byLesson.get(m.lessonId) ?? [];
    list.push({ value: m.value, column: m.column, workType: m.workType, comment: m.comment });
    byLesson.set(m.lessonId, list);
  }
  const days: DiaryDay[] = [];
  for (let i = 0; i < 7; i++) days.push({ date: addDaysIso(weekStart, i), lessons: [] });
  for (const l of lessons) {
    const day = days.find((d) => d.date === l.date);
    const { date: _date, ...rest } = l;
    day?.lessons.push({ ...rest, substituted: !!l.substituted, absent: !!l.absent, marks: byLesson.get(l.lessonId) ?? [] });
  }
  const periodMarks = j.stmt(`SELECT sub.name AS subject, pm.term, pm.value FROM period_mark pm JOIN subject sub ON sub.id = pm.subject_id
    WHERE pm.student_id = ? ORDER BY sub.name, pm.term`).all(studentId) as { subject: string; term: string; value: string }[];
  const { classId: _c, ...student } = s;
  return { student, days: days.filter((d) => d.lessons.length > 0 || weekdayIndex(d.date) < 6), periodMarks };
}

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function weekdayIndex(date: string): number {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

// ── a cell's history (R-AUDIT) ─────────────────────────────────────────────────

export interface CellHistoryEntry {
  /** The value after this op: a mark, «н» for an absence, or null when annulled / cleared. */
  value: string | null;
  previous: string | null;
  kind: string;
  author: string;
  authorName: string | null;
  at: string;
  device: string;
  seq: number;
  note?: string;
}

/**
 * Every value a gradebook cell (lesson × student × column) has had, with who, when and from which
 * device — recovered from the op log, not from a separate audit table, so it cannot disagree with
 * the journal. Absences are shown as «н» in the main column.
 */
export function cellHistory(j: Journal, q: { lessonId: string; studentId: string; column?: MarkColumn }): CellHistoryEntry[] {
  const column = q.column ?? 'main';
  // Corrections of this cell are decided under their own scope (the request id): read both in log order.
  const corrections = (j.stmt("SELECT id, target FROM correction WHERE json_extract(target, '$.kind') = 'mark' AND json_extract(target, '$.lessonId') = ?").all(q.lessonId) as { id: string; target: string }[])
    .filter((c) => { const t = JSON.parse(c.target) as { studentId: string; column?: string }; return t.studentId === q.studentId && (t.column ?? 'main') === column; })
    .map((c) => c.id);
  const ops = j.sqlite.prepare(`SELECT device, seq, author, kind, hlc, payload FROM op_log WHERE scope = ?${corrections.length ? ` OR (kind = 'correction.decide' AND scope IN (${corrections.map(() => '?').join(', ')}))` : ''} ORDER BY pos`)
    .all(q.lessonId, ...corrections) as { device: string; seq: number; author: string; kind: string; hlc: string; payload: string }[];
  const names = new Map<string, string | null>();
  const nameOf = (accountId: string) => {
    if (!names.has(accountId)) names.set(accountId, authorName(j, accountId));
    return names.get(accountId) ?? null;
  };

  const out: CellHistoryEntry[] = [];
  let mark: string | null = null;
  let absent = false;
  const shown = () => mark ?? (absent && column === 'main' ? 'н' : null);
  const pending = new Map<string, string | null>(); // correction id → requested value
  const wanted = new Set(corrections);
  for (const o of ops) {
    const p = decodePayload(o.kind as OpKind, o.payload);
    const before = shown();
    const was: { mark: string | null; absent: boolean } = { mark, absent };
    let note: string | undefined;
    let touched = false;
    switch (o.kind) {
      case 'mark.set':
        for (const m of p.marks as { studentId: string; value: string; column?: string; workType?: string }[]) {
          if (m.studentId === q.studentId && (m.column ?? 'main') === column) { mark = m.value; touched = true; }
        }
        break;
      case 'mark.annul':
        for (const m of p.marks as { studentId: string; column?: string }[]) {
          if (m.studentId === q.studentId && (m.column ?? 'main') === column) { mark = null; touched = true; note = (p.reason as string | undefined) ?? 'отметка аннулирована'; }
        }
        break;
      case 'attendance.set':
        if (column !== 'main') break;
        for (const e of p.entries as { studentId: string; absent: boolean }[]) {
          if (e.studentId === q.studentId) { absent = e.absent; touched = true; }
        }
        break;
      case 'absence.reason':
        if (column !== 'main') break;
        for (const e of p.entries as { studentId: string; reason: string | null }[]) {
          if (e.studentId === q.studentId) { touched = true; note = `причина отсутствия: ${e.reason ?? 'снята'}`; }
        }
        break;
      case 'correction.request': {
        const t = p.target as { kind: string; studentId: string; column?: string };
        if (t.kind === 'mark' && t.studentId === q.studentId && (t.column ?? 'main') === column) {
          pending.set(p.id as string, p.value as string | null);
          touched = true;
          note = `запрос на исправление: «${(p.value as string | null) ?? 'удалить'}», причина: ${p.reason as string}`;
        }
        break;
      }
      case 'correction.decide': {
        const id = p.id as string;
        if (!wanted.has(id)) break;
        touched = true;
        if (p.approved) {
          mark = pending.get(id) ?? null;
          note = 'исправление согласовано';
        } else {
          note = `исправление отклонено${p.note ? `: ${p.note as string}` : ''}`;
        }
        break;
      }
      default:
        break;
    }
    if (touched && isVoidOp(j, o)) {
      ({ mark, absent } = was); // R-BREACH: shown, but it changed nothing
      note = 'недействительна: пароль автора был скомпрометирован (R-BREACH, п. 10.4)';
    }
    if (touched) {
      out.push({ value: shown(), previous: before, kind: o.kind, author: o.author, authorName: nameOf(o.author), at: hlcInstant(o.hlc), device: o.device, seq: o.seq, ...(note ? { note } : {}) });
    }
  }
  return out;
}

// ── counts ─────────────────────────────────────────────────────────────────

export interface JournalStats { students: number; classes: number; lessons: number; marks: number; absences: number; ops: number }

export function stats(j: Journal): JournalStats {
  const count = (sql: string) => j.stmt(sql).pluck().get() as number;
  return {
    students: count('SELECT count(*) FROM student WHERE left IS NULL'),
    classes: count('SELECT count(*) FROM class'),
    lessons: count('SELECT count(*) FROM lesson'),
    marks: count('SELECT count(*) FROM mark'),
    absences: count('SELECT count(*) FROM attendance'),
    ops: count('SELECT count(*) FROM op_log'),
  };
}

/** History of a period / annual / final mark cell (R-AUDIT), from the op log like `cellHistory`. */
export function periodCellHistory(j: Journal, q: { yearId: string; subjectId: string; term: string; studentId: string }): CellHistoryEntry[] {
  const scope = `pm:${q.yearId}:${q.subjectId}:${q.term}`;
  const ops = j.stmt('SELECT device, seq, author, kind, hlc, payload FROM op_log WHERE scope = ? ORDER BY pos').all(scope) as { device: string; seq: number; author: string; kind: string; hlc: string; payload: string }[];
  const out: CellHistoryEntry[] = [];
  let value: string | null = null;
  for (const o of ops) {
    const p = decodePayload(o.kind as OpKind, o.payload);
    const before = value;
    let note: string | undefined;
    let touched = false;
    if (o.kind === 'periodMark.set') {
      const m = (p.marks as { studentId: string; value: string }[]).find((x) => x.studentId === q.studentId);
      if (m) { value = m.value; touched = true; }
    } else if (o.kind === 'periodMark.annul') {
      if ((p.studentIds as string[]).includes(q.studentId)) { value = null; touched = true; }
    } else if (o.kind === 'attestation.decision' && p.studentId === q.studentId) {
      touched = true;
      note = `решение заместителя директора: ${p.attest ? 'аттестовать' : 'не аттестовывать'} — ${p.note as string}`;
    } else if (o.kind === 'correction.request' && (p.target as { studentId: string }).studentId === q.studentId) {
      touched = true;
      note = `запрос на исправление: «${(p.value as string | null) ?? 'удалить'}», причина: ${p.reason as string}`;
    }
    if (touched) out.push({ value, previous: before, kind: o.kind, author: o.author, authorName: authorName(j, o.author), at: hlcInstant(o.hlc), device: o.device, seq: o.seq, ...(note ? { note } : {}) });
  }
  // Approved corrections of this cell.
  const decided = j.stmt(`SELECT c.new_value AS value, c.status, o.device, o.seq, o.author, o.hlc FROM correction c JOIN op_log o ON o.kind = 'correction.decide' AND o.scope = c.id
    WHERE json_extract(c.target, '$.kind') = 'periodMark' AND json_extract(c.target, '$.studentId') = ? AND json_extract(c.target, '$.subjectId') = ? AND json_extract(c.target, '$.term') = ?
    ORDER BY o.pos`).all(q.studentId, q.subjectId, q.term) as { value: string | null; status: string; device: string; seq: number; author: string; hlc: string }[];
  for (const d of decided) {
    const prev = out.at(-1)?.value ?? null;
    out.push({ value: d.status === 'approved' ? d.value : prev, previous: prev, kind: 'correction.decide', author: d.author, authorName: authorName(j, d.author), at: hlcInstant(d.hlc), device: d.device, seq: d.seq, note: d.status === 'approved' ? 'исправление согласовано' : 'исправление отклонено' });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export function authorName(j: Journal, accountId: string): string | null {
  return (j.stmt(`SELECT coalesce(st.last_name || ' ' || st.first_name, p.last_name || ' ' || p.first_name, s.last_name || ' ' || s.first_name)
    FROM account a LEFT JOIN staff st ON a.person_kind = 'staff' AND st.id = a.person_id
    LEFT JOIN parent p ON a.person_kind = 'parent' AND p.id = a.person_id LEFT JOIN student s ON a.person_kind = 'student' AND s.id = a.person_id WHERE a.id = ?`).pluck().get(accountId) as string | null | undefined) ?? null;
}

/** R-CORRECTION: correction requests — all for the deputy's inbox, or one account's own. */
export function correctionInbox(j: Journal, ownAccountId?: string) {
  const rows = j.stmt(`SELECT id, target, old_value AS oldValue, new_value AS newValue, reason, requested_by AS requestedBy, requested_at AS requestedAt, status,
      decided_by AS decidedBy, decided_at AS decidedAt, decision_note AS decisionNote FROM correction
    WHERE (? IS NULL OR requested_by = ?) ORDER BY status <> 'pending', requested_at DESC LIMIT 500`).all(ownAccountId ?? null, ownAccountId ?? null) as
    { id: string; target: string; oldValue: string | null; newValue: string | null; reason: string; requestedBy: string; requestedAt: string; status: 'pending' | 'approved' | 'declined'; decidedBy: string | null; decidedAt: string | null; decisionNote: string | null }[];
  return rows.map((r) => {
    const target = JSON.parse(r.target) as { kind: 'mark'; lessonId: string; studentId: string; column: MarkColumn } | { kind: 'periodMark'; yearId: string; subjectId: string; term: string; studentId: string };
    const student = j.stmt('SELECT last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM student WHERE id = ?').get(target.studentId) as { lastName: string; firstName: string; middleName: string | null } | undefined;
    let where: string;
    if (target.kind === 'mark') {
      const l = j.stmt('SELECT l.date, l.number, s.name AS subject, g.name AS grp FROM lesson l JOIN course c ON c.id = l.course_id JOIN subject s ON s.id = c.subject_id JOIN grp g ON g.id = c.group_id WHERE l.id = ?').get(target.lessonId) as { date: string; number: number; subject: string; grp: string } | undefined;
      where = l ? `${l.grp}, ${l.subject}, ${l.date.split('-').reverse().join('.')}, урок № ${l.number}` : 'урок удалён';
    } else {
      const s = j.stmt('SELECT name FROM subject WHERE id = ?').pluck().get(target.subjectId) as string | undefined;
      const p = j.stmt('SELECT name FROM period WHERE id = ?').pluck().get(target.term) as string | undefined;
      where = `${s ?? ''}, ${p ?? ({ annual: 'годовая', exam: 'экзамен', final: 'итоговая' } as Record<string, string>)[target.term] ?? target.term}`;
    }
    return { ...r, target, where: `${student ? shortName(student) : 'ученик'}: ${where}`, requestedByName: authorName(j, r.requestedBy) };
  });
}
