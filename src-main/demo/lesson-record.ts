/**
 * What the teacher writes about a lesson after it (R-TOPICS, R-HOMEWORK): the topic from the КТП,
 * the homework, the work, the status — on the distance day its kind and order too — and a task of
 * its own for a pupil who got a «2». A club or a lesson held as an extracurricular one gets its
 * topic, form and order instead (п. 7.13).
 */
import { distanceTopic } from '../../src-shared/rules/distance';
import { extracurricularTopic } from '../../src-shared/rules/extracurricular';
import type { PayloadInput } from '../../src-shared/ops/kinds';
import { draft, type OpDraft } from '../journal/log';
import { ru, ymd } from './calendar';
import type { PlannedLesson } from './ktp';
import type { GivenMark } from './lesson-marks';
import { homeworkFor, individualHomework } from './texts';
import { Writer } from './writer';
import { MIN, type HeldLesson, type Lesson, type Year } from './year';

/** The КТП lesson a lesson follows: its number of all, the plan, its КТП entry, the topic. */
export interface KtpLesson { index: number; total: number; planned: PlannedLesson; ktpId: string; topic: string }

/** The topic, homework and status of a held lesson; individual homework after a «2» among `currentMarks`. */
export function recordLesson(year: Year, h: HeldLesson, ktp: KtpLesson, currentMarks: readonly GivenMark[], distanceOrder: string): void {
  const { l, k, grade, distance, author, workType: wt } = h;
  const rText = year.rng.text;
  const rTime = year.rng.time;
  const hw = homeworkFor(k.code, grade, ktp.index, ktp.total, ktp.planned, rText);
  const upd: PayloadInput<'lesson.update'> = { id: l.id, topic: ktp.topic, ktpId: ktp.ktpId, status: 'held' };
  if (hw) upd.homework = hw;
  if (wt) upd.workType = wt;
  if (distance) {
    upd.kind = 'distance';
    upd.orderNo = distanceOrder;
    upd.topic = distanceTopic(ktp.topic, distanceOrder);
  }
  const late = !wt && rTime.chance(0.03);
  const updAt = late ? Writer.at(l.date, rTime.int(19 * 60, 21 * 60 + 30)) : l.end + rTime.int(-4, 20) * MIN;
  const drafts: OpDraft[] = [draft('lesson.update', upd)];
  for (const m of currentMarks) {
    if (m.value === '2' && rText.chance(0.5)) drafts.push(draft('homework.individual', { lessonId: l.id, studentId: m.s.id, text: individualHomework(k.code, rText) }));
  }
  year.w.add(updAt, author, drafts);
}

/**
 * Clubs and lessons held as extracurricular: topic, form, order; no absences, no marks (п. 7.13).
 * A lesson held instead of a cancelled one is created by its teacher (п. 8.3).
 */
export function recordExtracurricular(year: Year, l: Lesson, author: string, ktp: KtpLesson): void {
  const form = l.extra?.form ?? 'кружок';
  const orderNo = l.extra?.orderNo ?? `187-о от ${ru(ymd(year.Y, 8, 28))}`;
  const drafts: OpDraft[] = [];
  if (l.extra) {
    drafts.push(draft('lesson.create', { id: l.id, courseId: l.course.id, date: l.date, number: l.number, kind: 'extracurricular' }));
  }
  year.w.add(l.start - 10 * MIN, author, drafts);
  year.w.add(l.end + year.rng.time.int(3, 25) * MIN, author, [draft('lesson.update', { id: l.id, topic: extracurricularTopic(ktp.topic, form, orderNo), ktpId: ktp.ktpId, form, orderNo, status: 'held' })]);
}
