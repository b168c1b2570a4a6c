/**
 * Read side of the replica: the views the UI, the diary, reports and the CLI need, over the typed
 * reads of tables/ (indexed); results are JSON-safe values.
 */
import { hlcInstant } from '../../src-shared/ops/envelope';
import { decodePayload } from '../../src-shared/ops/pack';
import type { OpKind } from '../../src-shared/ops/kinds';
import type { MarkColumn } from '../../src-shared/domain/school';
import type { Journal } from './open';
import { JournalError } from './errors';
import { isVoidOp } from './breach';
import { accountPersonName } from './tables/accounts';
import { courseLessons, lessonCount, lessonPlace, studentWeekLessons } from './tables/lessons';
import { absenceCount, corrections, courseAbsences, courseMarks, markCorrectionsOfLesson, markCount, periodMarkDecisions, studentMarksOfLessons, studentPeriodMarks, subjectPeriodMarks } from './tables/marks';
import { opCount, opsOfScope } from './tables/oplog';
import { activeStudentCount, personName, studentsInClass, studentsInGroup, studentWithClass } from './tables/people';
import { classCount, courseHeader, groupKind, periodById, subjectById } from './tables/structure';

export interface PersonName { id: string; lastName: string; firstName: string; middleName: string | null }
export const fullName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
export const shortName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  `${p.lastName} ${p.firstName[0]}.${p.middleName ? ` ${p.middleName[0]}.` : ''}`;

const collator = new Intl.Collator('ru');

// ── students of a group ────────────────────────────────────────────────────────

/** Students of a group: a class group's class list, or the explicit members of other groups. */
export function groupStudents(j: Journal, groupId: string): (PersonName & { classId: string | null; homeSchooling: boolean; individualPlan: boolean; medicalGroup: string; peExemptUntil: string | null })[] {
  const g = groupKind(j, groupId);
  if (!g) throw new JournalError('not_found', `Группа «${groupId}» не найдена`);
  const rows = g.kind === 'class' && g.classId ? studentsInClass(j, g.classId) : studentsInGroup(j, groupId);
  return rows.sort((a, b) => collator.compare(fullName(a), fullName(b)));
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
  const c = courseHeader(j, q.courseId);
  if (!c) throw new JournalError('not_found', `Предмет учебного плана «${q.courseId}» не найден`);
  let from = q.from ?? '0000-01-01';
  let to = q.to ?? '9999-12-31';
  let period: GradebookView['period'] = null;
  if (q.periodId) {
    const p = periodById(j, q.periodId);
    if (!p) throw new JournalError('not_found', `Учебный период «${q.periodId}» не найден`);
    period = { id: p.id, name: p.name, starts: p.starts, ends: p.ends };
    from = period.starts;
    to = period.ends;
  }
  const lessons = courseLessons.all(j, q.courseId, from, to);
  const marks = courseMarks.all(j, q.courseId, from, to);
  const absences = courseAbsences.all(j, q.courseId, from, to);
  const periodMarks = subjectPeriodMarks.all(j, c.subjectId, c.yearId);
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
    /** The homework due at this lesson: set at the course's previous lesson (`homeworkSetOn`). */
    homeworkDue: string | null; homeworkSetOn: string | null;
    individualHomework: string | null; movedFrom: string | null; substituted: boolean;
    marks: { value: string; column: string; workType: string; comment: string | null }[];
    absent: boolean; absenceReason: string | null;
  }[];
}

export function studentWeek(j: Journal, studentId: string, weekStart: string): { student: PersonName & { className: string | null }; days: DiaryDay[]; periodMarks: { subject: string; term: string; value: string }[] } {
  const s = studentWithClass(j, studentId);
  if (!s) throw new JournalError('not_found', 'Ученик не найден');
  const end = addDaysIso(weekStart, 6);
  const lessons = studentWeekLessons.all(j, { sid: studentId, cid: s.classId, from: weekStart, to: end });
  const marks = studentMarksOfLessons.all(j, JSON.stringify(lessons.map((l) => l.lessonId)), studentId);
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
  const periodMarks = studentPeriodMarks.all(j, studentId);
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
  const corrections = markCorrectionsOfLesson(j, q.lessonId)
    .filter((c) => { const t = JSON.parse(c.target) as { studentId: string; column?: string }; return t.studentId === q.studentId && (t.column ?? 'main') === column; })
    .map((c) => c.id);
  const ops = opsOfScope(j, q.lessonId, corrections);
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
  return {
    students: activeStudentCount(j),
    classes: classCount(j),
    lessons: lessonCount(j),
    marks: markCount(j),
    absences: absenceCount(j),
    ops: opCount(j),
  };
}

/** History of a period / annual / final mark cell (R-AUDIT), from the op log like `cellHistory`. */
export function periodCellHistory(j: Journal, q: { yearId: string; subjectId: string; term: string; studentId: string }): CellHistoryEntry[] {
  const scope = `pm:${q.yearId}:${q.subjectId}:${q.term}`;
  const ops = opsOfScope(j, scope);
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
  const decided = periodMarkDecisions(j, q.studentId, q.subjectId, q.term);
  for (const d of decided) {
    const prev = out.at(-1)?.value ?? null;
    out.push({ value: d.status === 'approved' ? d.value : prev, previous: prev, kind: 'correction.decide', author: d.author, authorName: authorName(j, d.author), at: hlcInstant(d.hlc), device: d.device, seq: d.seq, note: d.status === 'approved' ? 'исправление согласовано' : 'исправление отклонено' });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export function authorName(j: Journal, accountId: string): string | null {
  return accountPersonName(j, accountId);
}

/** R-CORRECTION: correction requests — all for the deputy's inbox, or one account's own. */
export function correctionInbox(j: Journal, ownAccountId?: string) {
  const rows = corrections(j, ownAccountId).map((r) => ({ ...r, status: r.status as 'pending' | 'approved' | 'declined' }));
  return rows.map((r) => {
    const target = JSON.parse(r.target) as { kind: 'mark'; lessonId: string; studentId: string; column: MarkColumn } | { kind: 'periodMark'; yearId: string; subjectId: string; term: string; studentId: string };
    const student = personName(j, 'student', target.studentId);
    let where: string;
    if (target.kind === 'mark') {
      const l = lessonPlace(j, target.lessonId);
      where = l ? `${l.grp}, ${l.subject}, ${l.date.split('-').reverse().join('.')}, урок № ${l.number}` : 'урок удалён';
    } else {
      const s = subjectById(j, target.subjectId)?.name;
      const p = periodById(j, target.term)?.name;
      where = `${s ?? ''}, ${p ?? ({ annual: 'годовая', exam: 'экзамен', final: 'итоговая' } as Record<string, string>)[target.term] ?? target.term}`;
    }
    return { ...r, target, where: `${student ? shortName(student) : 'ученик'}: ${where}`, requestedByName: authorName(j, r.requestedBy) };
  });
}
