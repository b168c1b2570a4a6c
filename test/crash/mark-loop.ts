/**
 * Child process for the crash-safety suite: runs mark and attendance commands on a journal file in
 * a loop and prints one line per ACKNOWLEDGED command (after its transaction committed):
 *   ack <seq> <kind> <lessonId> <studentId> <value>
 * The parent kills it with SIGKILL at random moments.   usage: mark-loop.ts FILE SEED
 */
import { openJournal } from '../../src-main/journal/open';
import { execute } from '../../src-main/commands/execute';
import { draft } from '../../src-main/journal/log';
import { context, fixedClock, T } from '../support/tiny-school';

const [file, seedArg] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;

const j = openJournal(file!, { durability: 'full' });
const ctx = context(j, T.teacherAcc, fixedClock('2026-09-16T10:00:00.000Z'));
process.stdout.write('ready\n');
for (;;) {
  const lessonId = pick(T.lessons);
  const studentId = pick(T.students);
  if (rnd() < 0.75) {
    const value = pick(['5', '4', '3', '5/4', '4/3']);
    // Two ops in one command half of the time: both or neither must survive a kill.
    const other = T.students.find((s) => s !== studentId)!;
    const drafts = [draft('mark.set', { lessonId, marks: [{ studentId, value }] })];
    if (rnd() < 0.5) drafts.push(draft('mark.set', { lessonId, marks: [{ studentId: other, value }] }));
    const r = execute(ctx, () => drafts);
    for (const op of r.ops) {
      const p = op.payload as { marks: { studentId: string; value: string }[] };
      process.stdout.write(`ack ${op.seq} mark.set ${lessonId} ${p.marks[0]!.studentId} ${value}\n`);
    }
  } else {
    const absent = rnd() < 0.5;
    const r = execute(ctx, () => [draft('attendance.set', { lessonId, entries: [{ studentId, absent }] })]);
    process.stdout.write(`ack ${r.ops[0]!.seq} attendance.set ${lessonId} ${studentId} ${absent}\n`);
  }
}
