/**
 * The regulation, enforced where data is stored: every op a command builds passes the access
 * policy (src-shared/policy) and the rules (src-shared/rules) against the replica as it is right
 * now. The same guard runs on the desktop and on the server, so no path writes around it.
 */
import { authorize } from '../../src-shared/policy/authorize';
import type { Actor } from '../../src-shared/policy/actor';
import type { Decision } from '../../src-shared/policy/decision';
import type { OpKind, Payload } from '../../src-shared/ops/kinds';
import { FINAL_TERMS, type FinalTerm, type MarkColumn, type WorkType } from '../../src-shared/domain/school';
import type { MarkValue, PeriodMarkValue } from '../../src-shared/domain/marks';
import type { Verdict } from '../../src-shared/rules/verdict';
import { combine } from '../../src-shared/rules/verdict';
import { checkMarkEntry, checkPeriodMarkEntry } from '../../src-shared/rules/mark-entry';
import { checkAbsenceEntry, checkAbsenceReason } from '../../src-shared/rules/absence';
import { checkCorrectionDecision, isOwnRecentEntry, type CorrectionTarget } from '../../src-shared/rules/correction';
import { checkLessonTopic } from '../../src-shared/rules/topics';
import { checkHomeworkTiming } from '../../src-shared/rules/homework';
import { parseRuleSettings, type RuleSettings } from '../../src-shared/rules/settings';
import { checkInsideYear, checkYearHolds } from '../../src-shared/rules/calendar';
import { checkLessonRemoval, checkSlotClash, type RuleSlot, type SlotParty } from '../../src-shared/rules/timetable';
import { lessonEntries } from '../journal/apply';
import { shortName } from '../journal/queries';
import { classesOfGroup } from '../journal/tables/structure';
import type { Journal } from '../journal/open';
import { actorOf, policyFacts } from '../journal/facts';
import { breachFromMs } from '../journal/breach';
import {
  attendanceHistory, gradeOfStudent, holidaysOf, lastLessonEnd, lessonContext, nextLessonOf, periodById, ruleSettings, ruleStudent, studentCourse,
  type LessonContext,
} from '../journal/rule-inputs';
import type { CommandContext, Guard, Notice, ParsedDraft } from './execute';
import { yearCloseChecks } from './year-close';

export function noticesOf(v: Verdict): Notice[] {
  return v.findings.map((f) => ({ level: f.severity, code: f.code ?? 'warn', message: f.message, requirement: f.requirement, clause: f.clause }));
}

export function refusalOf(d: Extract<Decision, { allow: false }>): Notice {
  return { level: 'refuse', code: d.code, message: d.message, requirement: d.requirement, clause: d.clause };
}

const refuse = (code: string, message: string, requirement?: string, clause?: string): Notice[] =>
  [{ level: 'refuse', code, message, ...(requirement ? { requirement } : {}), ...(clause ? { clause } : {}) }];

interface Env { j: Journal; actor: Actor; now: string; s: RuleSettings }

function markCell(j: Journal, lessonId: string, studentId: string, column: MarkColumn) {
  const r = j.stmt('SELECT value, author, at FROM mark WHERE lesson_id = ? AND student_id = ? AND col = ?').get(lessonId, studentId, column) as
    { value: MarkValue; author: string; at: number } | undefined;
  return r && { value: r.value, author: r.author, at: new Date(r.at).toISOString() };
}

/** All rules about one current-mark cell; `approved` = the deputy approved a correction for it. */
function checkMarkCell(e: Env, ctx: LessonContext, studentId: string, column: MarkColumn, mark: { value: MarkValue; workType?: WorkType } | null, approved: boolean): Notice[] {
  const student = ruleStudent(e.j, studentId);
  if (!student || !policyFacts(e.j).studentInGroup(studentId, ctx.groupId)) {
    return refuse('not_found', 'Ученика нет в списке класса или группы этого урока', 'R-RBAC', 'п. 7.4');
  }
  const prev = markCell(e.j, ctx.rule.id!, studentId, column);
  const v = checkMarkEntry({
    lesson: ctx.rule, student, mark: mark && { ...mark, column }, previous: prev?.value ?? null, now: e.now,
    nextLesson: nextLessonOf(e.j, ctx, e.s.timeZone),
    history: attendanceHistory(e.j, ctx.courseId, studentId, '0000-01-01', ctx.rule.date, ctx.rule.number),
    holidays: holidaysOf(e.j, ctx.yearId),
    approval: approved ? 'deputy' : null,
  }, e.s);
  let notices = noticesOf(v);
  // The author fixing their own slip at once (R-CORRECTION, settings.correction.ownFixMinutes).
  if (prev && isOwnRecentEntry({ previousAuthor: prev.author, previousAt: prev.at, actor: e.actor.accountId, now: e.now }, e.s)) {
    notices = notices.filter((n) => !(n.requirement === 'R-CORRECTION' && n.code === 'needs_correction_request'));
  }
  return notices;
}

function termKind(term: string): 'period' | FinalTerm {
  return (FINAL_TERMS as readonly string[]).includes(term) ? (term as FinalTerm) : 'period';
}

function checkPeriodCell(e: Env, p: { yearId: string; subjectId: string; term: string }, studentId: string, value: PeriodMarkValue | null, approval: 'deputy' | 'director_order' | null): Notice[] {
  const grade = gradeOfStudent(e.j, studentId);
  const previous = (e.j.stmt('SELECT value FROM period_mark WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').pluck().get(studentId, p.subjectId, p.yearId, p.term) as PeriodMarkValue | undefined) ?? null;
  const kind = termKind(p.term);
  const period = kind === 'period'
    ? periodById(e.j, p.term)
    : (e.j.stmt(`SELECT p.id, p.year_id AS yearId, p.name, p.starts, p.ends FROM period p JOIN year y ON y.id = p.year_id WHERE p.year_id = ? ORDER BY p.ends DESC LIMIT 1`).get(p.yearId) as ReturnType<typeof periodById>);
  if (kind === 'period' && !period) return refuse('not_found', `Учебный период «${p.term}» не найден`);
  const course = studentCourse(e.j, p.yearId, p.subjectId, studentId);
  let lastLesson: { date: string; endsAt?: string } | null = null;
  let attendance;
  if (course && period) {
    const from = kind === 'period' ? period.starts : '0000-01-01';
    const last = e.j.stmt(`SELECT date, number FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND date BETWEEN ? AND ? ORDER BY date DESC, number DESC LIMIT 1`).get(course.id, from, period.ends) as { date: string; number: number } | undefined;
    if (last) lastLesson = { date: last.date };
    attendance = attendanceHistory(e.j, course.id, studentId, from, period.ends);
  }
  const decision = e.j.stmt('SELECT attest, note FROM attestation_decision WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').get(studentId, p.subjectId, p.yearId, p.term) as { attest: number; note: string } | undefined;
  const v = checkPeriodMarkEntry({
    grade, term: kind, value, previous, now: e.now,
    ...(period ? { period: { starts: period.starts, ends: period.ends } } : {}),
    lastLesson, ...(attendance ? { attendance } : {}),
    deputyDecision: decision ? { attest: !!decision.attest, note: decision.note } : null,
    approval,
  }, e.s);
  return noticesOf(v);
}

type Check<K extends OpKind> = (e: Env, p: Payload<K>) => Notice[];

function withLesson(e: Env, lessonId: string, fn: (ctx: LessonContext) => Notice[]): Notice[] {
  const ctx = lessonContext(e.j, lessonId, e.s.timeZone);
  return ctx ? fn(ctx) : refuse('not_found', 'Урок не найден');
}

type YearRow = { name: string; starts: string; ends: string };
const yearRow = (j: Journal, id: string) => j.stmt('SELECT name, starts, ends FROM year WHERE id = ?').get(id) as YearRow | undefined;

type PartyRow = { teacherId: string | null; tl: string | null; tf: string | null; tm: string | null; groupId: string; groupName: string; groupKind: string; subjectName: string };
const SLOT_PARTY = `SELECT c.teacher_id AS teacherId, st.last_name AS tl, st.first_name AS tf, st.middle_name AS tm, g.id AS groupId, g.name AS groupName, g.kind AS groupKind, sub.name AS subjectName
  FROM course c JOIN grp g ON g.id = c.group_id JOIN subject sub ON sub.id = c.subject_id LEFT JOIN staff st ON st.id = c.teacher_id`;
function slotParty(j: Journal, r: PartyRow): SlotParty {
  return {
    teacherId: r.teacherId, teacherName: r.tl && r.tf ? shortName({ lastName: r.tl, firstName: r.tf, middleName: r.tm }) : null,
    groupId: r.groupId, groupName: r.groupName, wholeClass: r.groupKind === 'class', classIds: classesOfGroup(j, r.groupId), subjectName: r.subjectName,
  };
}

const ruleChecks: { [K in OpKind]?: Check<K> } = {
  // R-SETUP (п. 7.12, 9.3): no teacher, room or group in two places at one weekday and lesson number (within the course's year).
  'slot.set': (e, p) => {
    const mine = e.j.stmt(`${SLOT_PARTY} WHERE c.id = ?`).get(p.courseId) as PartyRow | undefined;
    if (!mine) return refuse('not_found', `Предмет учебного плана «${p.courseId}» не найден`);
    const rows = e.j.stmt(`SELECT s.id, s.course_id AS courseId, s.weekday, s.number, s.room, s.valid_from AS validFrom, s.valid_to AS validTo FROM slot s JOIN course c ON c.id = s.course_id
      WHERE s.weekday = ? AND s.number = ? AND s.id <> ? AND c.year_id = (SELECT year_id FROM course WHERE id = ?)`).all(p.weekday, p.number, p.id, p.courseId) as RuleSlot[];
    const party = (courseId: string) => slotParty(e.j, e.j.stmt(`${SLOT_PARTY} WHERE c.id = ?`).get(courseId) as PartyRow);
    return noticesOf(checkSlotClash(p, slotParty(e.j, mine), rows.map((r) => ({ slot: r, party: party(r.courseId) }))));
  },
  // R-SUBST (п. 7.12): a substitution is cancelled on a lesson that exists (the fold alone would do nothing, silently).
  'substitution.remove': (e, p) => (e.j.stmt('SELECT 1 FROM lesson WHERE id = ?').get(p.lessonId) ? [] : refuse('not_found', 'Урок не найден')),
  // R-SETUP (п. 7.12, 9.3): only an untouched planned lesson leaves the journal.
  'lesson.remove': (e, p) => {
    const l = lessonEntries(e.j, p.id);
    return l ? noticesOf(checkLessonRemoval(l)) : refuse('not_found', 'Урок не найден');
  },
  // R-SETUP (п. 9.6): a study period and holidays lie within their school year; a year keeps them.
  'period.set': (e, p) => {
    const y = yearRow(e.j, p.yearId);
    return y ? noticesOf(checkInsideYear(`Учебный период «${p.name}»`, p, y)) : [];
  },
  'holiday.set': (e, p) => {
    const y = yearRow(e.j, p.yearId);
    return y ? noticesOf(checkInsideYear(`Каникулы «${p.name}»`, p, y)) : [];
  },
  'year.set': (e, p) => noticesOf(checkYearHolds(p, [
    ...(e.j.stmt("SELECT 'учебный период «' || name || '»' AS what, starts, ends FROM period WHERE year_id = ?").all(p.id) as { what: string; starts: string; ends: string }[]),
    ...(e.j.stmt("SELECT 'каникулы «' || name || '»' AS what, starts, ends FROM holiday WHERE year_id = ?").all(p.id) as { what: string; starts: string; ends: string }[]),
  ])),
  // The school's rule settings (windows, weights, rounding …) are validated before they are stored.
  'setting.set': (_e, p) => {
    if (p.key !== 'rules') return [];
    const r = parseRuleSettings(p.value);
    return r.ok ? [] : refuse('bad_input', `Настройки правил не приняты: ${r.message}`, 'R-SETUP', 'п. 9.6');
  },
  'mark.set': (e, p) => withLesson(e, p.lessonId, (ctx) =>
    p.marks.flatMap((m) => checkMarkCell(e, ctx, m.studentId, m.column ?? 'main', { value: m.value, ...(m.workType ? { workType: m.workType as WorkType } : {}) }, false))),
  'mark.annul': (e, p) => withLesson(e, p.lessonId, (ctx) => p.marks.flatMap((m) => checkMarkCell(e, ctx, m.studentId, m.column ?? 'main', null, false))),
  'attendance.set': (e, p) => withLesson(e, p.lessonId, (ctx) => p.entries.flatMap((en) => {
    const student = ruleStudent(e.j, en.studentId);
    if (!student || !policyFacts(e.j).studentInGroup(en.studentId, ctx.groupId)) return refuse('not_found', 'Ученика нет в списке класса или группы этого урока', 'R-RBAC', 'п. 7.4');
    return noticesOf(checkAbsenceEntry({ lesson: ctx.rule, student, absent: en.absent, now: e.now }, e.s));
  })),
  'absence.reason': (e, p) => p.entries.flatMap((en) => {
    const facts = policyFacts(e.j);
    const cls = facts.classOfStudent(en.studentId);
    const absent = !!e.j.stmt('SELECT 1 FROM attendance WHERE lesson_id = ? AND student_id = ?').get(p.lessonId, en.studentId);
    return noticesOf(checkAbsenceReason({ isClassTeacherOfStudent: !!cls && !!e.actor.staffId && facts.classTeacherOf(cls) === e.actor.staffId, absent, reason: en.reason }));
  }),
  'lesson.update': (e, p) => withLesson(e, p.id, (ctx) => {
    const merged = { ...ctx.rule };
    for (const k of ['topic', 'homework', 'kind', 'workType', 'orderNo', 'form'] as const) {
      const v = p[k];
      if (v !== undefined) (merged as Record<string, unknown>)[k] = v ?? undefined;
    }
    const parts: Verdict[] = [];
    if (p.topic !== undefined || p.kind !== undefined || p.orderNo !== undefined || p.form !== undefined) parts.push(checkLessonTopic(merged));
    if (p.homework) {
      const end = lastLessonEnd(e.j, ctx, e.s.timeZone);
      if (end) parts.push(checkHomeworkTiming({ studentsLastLessonEndsAt: end, enteredAt: e.now }, e.s));
    }
    // A topic is advice (warnings); only a refusal of the rules stops the change.
    return noticesOf(combine(...parts));
  }),
  'periodMark.set': (e, p) => p.marks.flatMap((m) => checkPeriodCell(e, p, m.studentId, m.value as PeriodMarkValue, null)),
  'periodMark.annul': (e, p) => p.studentIds.flatMap((s) => checkPeriodCell(e, p, s, null, null)),
  'correction.request': (e, p) => {
    const t = p.target;
    if (t.kind === 'mark') {
      return withLesson(e, t.lessonId, (ctx) => checkMarkCell(e, ctx, t.studentId, t.column, p.value === null ? null : { value: p.value }, true));
    }
    return checkPeriodCell(e, t, t.studentId, p.value as PeriodMarkValue | null, 'director_order').filter((n) => n.code !== 'needs_director_order');
  },
  'correction.decide': (e, p) => {
    const c = e.j.stmt('SELECT target, new_value AS newValue, requested_by AS requestedBy, status FROM correction WHERE id = ?').get(p.id) as { target: string; newValue: string | null; requestedBy: string; status: string } | undefined;
    if (!c) return refuse('not_found', 'Запрос на исправление не найден');
    if (c.status !== 'pending') return refuse('conflict', 'Запрос на исправление уже рассмотрен', 'R-CORRECTION', 'п. 7.14');
    const t = JSON.parse(c.target) as Payload<'correction.request'>['target'];
    const target: CorrectionTarget = t.kind === 'mark' ? { kind: 'mark' } : { kind: 'periodMark', grade: gradeOfStudent(e.j, t.studentId), term: termKind(t.term) };
    const out = noticesOf(checkCorrectionDecision({
      target, requesterId: c.requestedBy, decider: { personId: e.actor.accountId, roles: e.actor.roles }, approved: p.approved,
      ...(p.orderRef ? { orderRef: p.orderRef } : {}), explanations: { teacher: p.teacherExplanation ?? null, deputy: p.deputyExplanation ?? null },
    }, e.s));
    if (p.approved) {
      // Approving never lets through what no approval can: a 2 in the adaptation period, points in grade 1 …
      out.push(...(t.kind === 'mark'
        ? withLesson(e, t.lessonId, (ctx) => checkMarkCell(e, ctx, t.studentId, t.column, c.newValue === null ? null : { value: c.newValue }, true))
        : checkPeriodCell(e, t, t.studentId, c.newValue as PeriodMarkValue | null, p.orderRef ? 'director_order' : 'deputy')));
    }
    return out;
  },
};

/**
 * Policy then rules, for one op already parsed (a local op by `localOp`, a pushed one by
 * `fromWire`): nothing here parses the payload again. `breachChecked`: the caller refused a
 * breached author already, by a stricter moment (the sync push: the server's receipt).
 */
export function checkDraft(j: Journal, accountId: string, nowMs: number, d: ParsedDraft, o: { breachChecked?: boolean } = {}): Notice[] {
  const actor = actorOf(j, accountId);
  if (!actor) return refuse('unauthenticated', 'Учётная запись не найдена: войдите заново', 'R-ACCOUNTS', 'п. 9.6');
  const breachFrom = o.breachChecked ? undefined : breachFromMs(j, accountId);
  if (breachFrom !== undefined && nowMs >= breachFrom && d.kind !== 'breach.record') {
    return refuse('breach', 'Пароль этой учётной записи скомпрометирован: её операции с момента сообщения о нарушении недействительны. Получите новый пароль у ответственного за техподдержку', 'R-BREACH', 'п. 10.4');
  }
  const now = new Date(nowMs).toISOString();
  const decision = authorize(actor, { type: 'op', kind: d.kind, payload: d.payload } as never, policyFacts(j), now);
  if (!decision.allow) return [refusalOf(decision)];
  // R-ARCHIVE, R-YEAR-CLOSE (п. 12.1): every kind of change to a closed year, closing and re-opening.
  const year = yearCloseChecks(j, d);
  if (year.length > 0) return year;
  const check = ruleChecks[d.kind] as Check<OpKind> | undefined;
  if (!check) return [];
  return check({ j, actor, now, s: ruleSettings(j) }, d.payload as never);
}

/** The guard every production command runs with. */
export const regulationGuard: Guard = {
  check: (ctx: CommandContext, op: ParsedDraft) => checkDraft(ctx.journal, ctx.actor.accountId, ctx.clock.now(), op),
};
