/**
 * Reads of families and communication: `diary_ack`, `message`, `announcement` (consents are read
 * by the class register, src-main/admin/views.ts).
 */
import { eq, max, sql } from 'drizzle-orm';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal } from './prepared';

/** When the family of each student of a class last opened the diary (R-ACK), by student (`sid`). */
const acksQ = perJournal((db) => db.select({ sid: t.diaryAck.studentId, at: sql<string>`${max(t.diaryAck.at)}` }).from(t.diaryAck)
  .innerJoin(t.student, eq(t.student.id, t.diaryAck.studentId)).where(eq(t.student.classId, sql.placeholder('classId'))).groupBy(t.diaryAck.studentId).prepare());
export function lastDiaryAcks(j: Journal, classId: string): { sid: string; at: string }[] {
  return acksQ(j).all({ classId });
}

const recipientQ = perJournal((db) => db.select({ to: t.message.toAccount }).from(t.message).where(eq(t.message.id, sql.placeholder('id'))).prepare());
/** The account a message was sent to. */
export function messageRecipient(j: Journal, messageId: string): string | undefined {
  return recipientQ(j).get({ id: messageId })?.to;
}

const posterQ = perJournal((db) => db.select({ author: t.announcement.author }).from(t.announcement).where(eq(t.announcement.id, sql.placeholder('id'))).prepare());
/** The account that posted an announcement. */
export function announcementPoster(j: Journal, announcementId: string): string | undefined {
  return posterQ(j).get({ id: announcementId })?.author;
}
