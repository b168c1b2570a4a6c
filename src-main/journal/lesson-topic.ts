/**
 * How a lesson's topic is stored (R-KTP, R-TOPICS п. 9.5). Nearly every lesson's topic is the
 * topic of the КТП entry it is linked to, so `lesson.topic` holds the topic only where it differs
 * (in a 1500-student year about 4 MB of the file was the same topics twice):
 *
 * - NULL with `ktp_id` set — the topic is the linked КТП entry's topic;
 * - NULL without `ktp_id` — no topic;
 * - '' — no topic (needed only when linked: NULL there would mean the entry's topic);
 * - any other text — that topic.
 *
 * A journal record never changes after the fact (R-TOPICS п. 9.5, R-AUDIT п. 9.2): before a КТП
 * entry's topic changes or the entry is removed, and before a lesson's link moves, the topic a
 * lesson read from the entry is written into the lesson (`materialiseKtpTopic`, `encodeTopic`).
 * It is all part of the fold, so replaying the log gives the same state and checksum.
 *
 * Every read goes through `lessonTopicSql`; a logical "no topic" reads as NULL (an op's empty
 * topic too).
 */
import type { Journal } from './handle';

/** The logical topic of the lesson row aliased `a` (NULL: no topic); use it `AS topic`. */
export function lessonTopicSql(a: string): string {
  return `(CASE WHEN ${a}.topic IS NULL THEN (SELECT k.topic FROM ktp k WHERE k.id = ${a}.ktp_id) ELSE nullif(${a}.topic, '') END)`;
}

/**
 * The stored form of a logical topic for a lesson linked to `ktpId` (null: not linked) whose
 * КТП entry has `ktpTopic` (null: no such entry).
 */
export function encodeTopic(topic: string | null | undefined, ktpId: string | null, ktpTopic: string | null): string | null {
  const t = topic === undefined || topic === '' ? null : topic;
  if (ktpId === null) return t;
  if (t === null) return '';
  return ktpTopic !== null && t === ktpTopic ? null : t;
}

/** The КТП entry's current topic (null: no such entry). */
export function ktpTopic(j: Journal, ktpId: string | null): string | null {
  if (ktpId === null) return null;
  return (j.stmt('SELECT topic FROM ktp WHERE id = ?').pluck().get(ktpId) as string | undefined) ?? null;
}

/** The lessons that read their topic from the КТП entry get it written in (before the entry changes or goes). */
export function materialiseKtpTopic(j: Journal, ktpId: string): void {
  j.stmt('UPDATE lesson SET topic = (SELECT k.topic FROM ktp k WHERE k.id = ?) WHERE ktp_id = ? AND topic IS NULL').run(ktpId, ktpId);
}
