/**
 * npx tsx bench/journal-reads.ts FILE — the cost of common reads of a journal file (opened read-only):
 * a cell's history, a grade book, a pupil's week, counting marks and the outbox, the state checksum.
 * Make the file with `npx tsx bench/journal-size.ts 1500 2027-05-25 FILE`. Prints; not a test.
 */
import { openJournal } from '../src-main/journal/open';
import { stateChecksum } from '../src-main/journal/checksum';
import { cellHistory, gradebook, studentWeek } from '../src-main/journal/queries';
const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/journal-reads.ts FILE');
const j = openJournal(file, { readonly: true });
const t = (name: string, n: number, f: () => unknown) => {
  f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(`${name}: ${((performance.now() - t0) / n).toFixed(3)} ms`);
};
const cells = j.sqlite.prepare("SELECT lesson_id AS l, student_id AS s FROM mark ORDER BY lesson_id LIMIT 200").all() as { l: string; s: string }[];
let i = 0;
t('cellHistory', 200, () => { const c = cells[i++ % cells.length]!; return cellHistory(j, { lessonId: c.l, studentId: c.s }); });
const course = j.sqlite.prepare("SELECT c.id, c.group_id AS g, y.id AS y FROM course c JOIN year y ON y.id = c.year_id JOIN grp g ON g.id = c.group_id WHERE g.kind = 'class' LIMIT 1 OFFSET 40").get() as { id: string; g: string; y: string };
const period = j.sqlite.prepare('SELECT id FROM period WHERE year_id = ? LIMIT 1').pluck().get(course.y) as string;
t('gradebook (class × subject × period)', 50, () => gradebook(j, { courseId: course.id, periodId: period } as never));
const st = j.sqlite.prepare('SELECT id FROM student LIMIT 1 OFFSET 700').pluck().get() as string;
t('studentWeek', 200, () => studentWeek(j, st, '2027-02-08'));
t('count(*) FROM mark', 5, () => j.sqlite.prepare('SELECT count(*) FROM mark').get());
t('outbox count (view)', 3, () => j.sqlite.prepare('SELECT count(*) FROM outbox').get());
t('stateChecksum', 2, () => stateChecksum(j.sqlite));
j.close();
