/**
 * npm run bench:timetable — forming the lessons from the timetable (R-SETUP, п. 7.12, 9.3) on the
 * 1 500-pupil demo school. Prints numbers; not a test.
 *  1. `lessons.generate` for the rest of the year (from the demo's «today» to the end of the
 *     year): one command, every lesson.create through the regulation guard — target ≤ 3 s;
 *  2. the same again: nothing to do (0 ops);
 *  3. one slot moved to another lesson number, then the rest of the year regenerated — target ≤ 200 ms.
 *  Options: --students N (default 1500), --today ГГГГ-ММ-ДД (default 2026-10-15).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../src-shared/domain/values';
import { makeDemo } from '../src-main/demo/make';
import { openJournal } from '../src-main/journal/open';
import { dispatch } from '../src-main/contract/dispatch';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : dflt);
const STUDENTS = Number(opt('--students', '1500'));
const TODAY = opt('--today', '2026-10-15');
const METHODIST = 'acc-methodist';

const dir = mkdtempSync(join(tmpdir(), 'bench-timetable-'));
const file = join(dir, 'demo.sqlite');
try {
  let t0 = performance.now();
  makeDemo(file, { seed: 1, students: STUDENTS, today: TODAY });
  console.log(`demo school, ${STUDENTS} pupils, today ${TODAY}: made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const j = openJournal(file);
  const now = Date.parse(`${TODAY}T12:00:00Z`);
  const call = (method: string, input: unknown) => {
    const r = dispatch({ journal: j, accountId: METHODIST, clock: { now: () => now } }, method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as { created: number; removed: number; kept: unknown[]; ops: number };
  };
  const year = j.sqlite.prepare('SELECT id, ends FROM year WHERE starts <= ? AND ends >= ?').get(TODAY, TODAY) as { id: string; ends: string };
  const slots = j.sqlite.prepare('SELECT count(*) FROM slot').pluck().get() as number;
  const before = j.sqlite.prepare('SELECT count(*) FROM lesson').pluck().get() as number;
  const period = { from: addDays(TODAY, 1), to: year.ends };
  console.log(`timetable: ${slots} slots; lessons in the journal: ${before}; period ${period.from} … ${period.to}`);

  t0 = performance.now();
  const first = call('lessons.generate', period);
  const firstMs = performance.now() - t0;
  console.log(`1. lessons.generate, rest of the year: ${first.created} created, ${first.removed} removed, ${first.kept.length} kept, ${first.ops} ops — ${firstMs.toFixed(0)} ms (target ≤ 3000 ms)`);

  t0 = performance.now();
  const again = call('lessons.generate', period);
  console.log(`2. again: ${again.ops} ops — ${(performance.now() - t0).toFixed(0)} ms`);

  // One slot of the timetable moves to a free lesson number of its day (the 8th: after every class's day).
  const slot = j.sqlite.prepare('SELECT id, course_id AS courseId, weekday, number, room, valid_from AS validFrom, kind FROM slot ORDER BY id LIMIT 1').get() as
    { id: string; courseId: string; weekday: number; number: number; room: string | null; validFrom: string; kind: string };
  call('slot.set', { id: slot.id, courseId: slot.courseId, weekday: slot.weekday, number: 0, validFrom: slot.validFrom, kind: slot.kind, ...(slot.room ? { room: slot.room } : {}) });
  t0 = performance.now();
  const re = call('lessons.generate', period);
  const reMs = performance.now() - t0;
  console.log(`3. one slot moved, regenerated: ${re.created} created, ${re.removed} removed, ${re.kept.length} kept, ${re.ops} ops — ${reMs.toFixed(0)} ms (target ≤ 200 ms)`);
  j.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
