/**
 * Topics stored once (journal/lesson-topic.ts): the printed journal and weekly report of lessons
 * whose topic comes from the КТП are byte for byte those of lessons holding the same topic as
 * text — also after the КТП entries are edited (R-TOPICS п. 9.5, R-ANNUAL-PRINT).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { draft } from '../journal/log';
import type { Journal } from '../journal/open';
import { P, printSchool } from '../../test/support/print-school';
import { T } from '../../test/support/tiny-school';
import { asBase64, printAnnual, printWeekly } from './print';

const AT = { createdAt: '2027-06-20T05:00:00Z', compress: false };
const sha = (b: string) => createHash('sha256').update(Buffer.from(b, 'base64')).digest('hex');
const prints = (j: Journal) => ({
  annual: sha(asBase64((sink) => printAnnual(j, { classId: T.cls }, AT, sink)).pdfBase64),
  weekly: sha(asBase64((sink) => printWeekly(j, { classId: T.cls, week: P.week, all: true }, AT, sink)).pdfBase64),
});

describe('printing lessons whose topic is the КТП entry’s', () => {
  it('prints the same bytes as with the topics written out, before and after the КТП is edited', () => {
    // The same КТП in both (its hours are the «planned» count); only the links differ.
    const withKtp = () => {
      const school = printSchool();
      const lessons = school.j.sqlite.prepare('SELECT id, topic FROM lesson WHERE topic IS NOT NULL ORDER BY date, number').all() as { id: string; topic: string }[];
      const entries = [...new Set(lessons.map((l) => l.topic))];
      submit(school.admin, ...entries.map((topic, i) => draft('ktp.set', { id: `ktp-${i + 1}`, yearId: T.year, subjectId: T.subject, grade: 5, number: i + 1, topic })));
      return { ...school, lessons, entries };
    };
    const plain = withKtp();
    const expected = prints(plain.j);
    plain.j.close();

    const { j, admin, lessons, entries } = withKtp();
    expect(lessons.length).toBeGreaterThan(40);
    submit(admin, ...lessons.map((l) => draft('lesson.update', { id: l.id, ktpId: `ktp-${entries.indexOf(l.topic) + 1}` })));
    expect(j.sqlite.prepare('SELECT count(*) FROM lesson WHERE ktp_id IS NOT NULL AND topic IS NULL').pluck().get()).toBe(lessons.length);
    expect(prints(j)).toEqual(expected);

    submit(admin, ...entries.map((_, i) => draft('ktp.set', { id: `ktp-${i + 1}`, yearId: T.year, subjectId: T.subject, grade: 5, number: i + 1, topic: `Изменённая тема № ${i + 1}` })));
    expect(j.sqlite.prepare('SELECT count(*) FROM lesson WHERE topic IS NULL').pluck().get()).toBe(0);
    expect(prints(j)).toEqual(expected);
    j.close();
  });
});
