/**
 * R-ARCHIVE (п. 12.1): the school years an op changes something of — found in one place, so the
 * guard refuses every change to a closed year whatever its kind. A lesson's ops belong to the
 * year of the lesson's course; marks, attendance, reasons, homework and substitutions to their
 * lesson's; period marks and attestation decisions to their `yearId`; set-up ops to their
 * `yearId` and, for a record that exists, to the year it is in now (a class moved out of a
 * closed year changes that year too); corrections to their target's.
 *
 * Persons (pupils, parents, staff), subjects, accounts, the school's settings and messages belong
 * to no year: pupils move into the next year's classes after the year is closed.
 */
import type { OpKind, Payload } from '../../src-shared/ops/kinds';
import type { Journal } from '../journal/open';
import type { ParsedDraft } from './execute';

const one = (j: Journal, sql: string, id: string) => j.stmt(sql).pluck().get(id) as string | undefined;

const ofLesson = (j: Journal, lessonId: string) => one(j, 'SELECT k.year_id FROM lesson l JOIN course k ON k.id = l.course_id WHERE l.id = ?', lessonId);
const ofCourse = (j: Journal, courseId: string) => one(j, 'SELECT year_id FROM course WHERE id = ?', courseId);
const ofSlot = (j: Journal, slotId: string) => one(j, 'SELECT k.year_id FROM slot s JOIN course k ON k.id = s.course_id WHERE s.id = ?', slotId);
const ofRow = (j: Journal, table: 'class' | 'grp' | 'course' | 'period' | 'holiday' | 'ktp', id: string) => one(j, `SELECT year_id FROM ${table} WHERE id = ?`, id);

type Target = Payload<'correction.request'>['target'];
const ofTarget = (j: Journal, t: Target) => (t.kind === 'mark' ? ofLesson(j, t.lessonId) : t.yearId);

type Refs<K extends OpKind> = (j: Journal, p: Payload<K>) => (string | undefined)[];
const none = (): [] => [];
const byYearId = (_j: Journal, p: { yearId: string }) => [p.yearId];
const byLesson = (j: Journal, p: { lessonId: string }) => [ofLesson(j, p.lessonId)];

/**
 * Every kind decides here (the table is typed `Record<OpKind, …>`: a new kind does not compile
 * until it says which year it belongs to, or that it belongs to none).
 */
const YEAR_OF: { [K in OpKind]: Refs<K> } = {
  'school.set': none, 'setting.set': none, 'subject.set': none, 'staff.set': none,
  'student.set': none, 'parent.set': none, 'parent.link': none, 'parent.unlink': none,
  'account.set': none, 'account.password': none, 'account.reset': none, 'account.block': none, 'breach.record': none,
  'consent.set': none, 'diary.ack': none, 'announcement.post': none, 'announcement.annul': none, 'message.send': none, 'message.read': none,
  'year.set': (_j, p) => [p.id],
  'levelScheme.set': byYearId, 'bell.set': byYearId,
  'period.set': (j, p) => [p.yearId, ofRow(j, 'period', p.id)],
  'holiday.set': (j, p) => [p.yearId, ofRow(j, 'holiday', p.id)],
  'class.set': (j, p) => [p.yearId, ofRow(j, 'class', p.id)],
  'group.set': (j, p) => [p.yearId, ofRow(j, 'grp', p.id)],
  'course.set': (j, p) => [p.yearId, ofRow(j, 'course', p.id)],
  'ktp.set': (j, p) => [p.yearId, ofRow(j, 'ktp', p.id)],
  'period.remove': (j, p) => [ofRow(j, 'period', p.id)],
  'holiday.remove': (j, p) => [ofRow(j, 'holiday', p.id)],
  'course.remove': (j, p) => [ofRow(j, 'course', p.id)],
  'ktp.remove': (j, p) => [ofRow(j, 'ktp', p.id)],
  'group.members': (j, p) => [ofRow(j, 'grp', p.groupId)],
  'slot.set': (j, p) => [ofCourse(j, p.courseId), ofSlot(j, p.id)],
  'slot.remove': (j, p) => [ofSlot(j, p.id)],
  'lesson.create': (j, p) => [ofCourse(j, p.courseId)],
  'lesson.move': (j, p) => [ofLesson(j, p.id)],
  'lesson.remove': (j, p) => [ofLesson(j, p.id)],
  'lesson.update': (j, p) => [ofLesson(j, p.id)],
  'mark.set': byLesson, 'mark.annul': byLesson, 'attendance.set': byLesson, 'absence.reason': byLesson,
  'homework.individual': byLesson, 'substitution.set': byLesson, 'substitution.remove': byLesson,
  'periodMark.set': byYearId, 'periodMark.annul': byYearId, 'attestation.decision': byYearId,
  'correction.request': (j, p) => [ofTarget(j, p.target)],
  'correction.decide': (j, p) => {
    const target = one(j, 'SELECT target FROM correction WHERE id = ?', p.id);
    return target === undefined ? [] : [ofTarget(j, JSON.parse(target) as Target)];
  },
};

/** The years `op` belongs to (none, one, or two for a record moved between years), without repeats. */
export function yearsOfOp(j: Journal, op: ParsedDraft): string[] {
  const refs = (YEAR_OF[op.kind] as Refs<OpKind>)(j, op.payload as never);
  return [...new Set(refs.filter((y): y is string => y !== undefined))];
}
