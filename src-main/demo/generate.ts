/**
 * The demo school generator: a small rural school of the Yamal-Nenets district with a school year
 * lived up to `today` — set-up, timetable, КТП, lessons, marks, absences, period marks, messages —
 * written only through commands (`execute`), each op by the person who would have made it, at the
 * moment they would have made it. Deterministic: the same seed and `today` give a byte-identical
 * op log (seeded PRNG, no clock, no Math.random).
 *
 * `students: 1500` makes a large school (several classes per parallel, ~90 staff) for benchmarks.
 */
import { isLocalDate, type LocalDate } from '../../src-shared/domain/values';
import type { Journal } from '../journal/open';
import { localMs, schoolCalendar } from './calendar';
import { liveTheYear } from './life';
import { Rng } from './prng';
import { buildSchool } from './school';
import { buildPlans, writeSetup } from './setup';
import { Writer } from './writer';

export interface DemoOptions {
  seed: number;
  /** Pupils in the school; default 135 (one class per grade). */
  students?: number;
  /** «Today» of the demo, `YYYY-MM-DD`: the school year containing it is lived up to it (13:00 local). */
  today: LocalDate;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  students: number;
  classes: number;
  staff: number;
  parents: number;
  lessons: number;
  marks: number;
  absences: number;
  ops: number;
  accounts: { login: string; roles: string[]; note: string }[];
}

/** "Now" inside the demo: 13:00 school time on `today` — the morning's lessons are done. */
export const DEMO_NOW = '13:00';

export function generateDemo(j: Journal, opts: DemoOptions): DemoSummary {
  if (!isLocalDate(opts.today)) throw new Error(`today должно быть датой ГГГГ-ММ-ДД, получено «${opts.today}»`);
  const wanted = Math.round(opts.students ?? 135);
  if (!(wanted >= 20 && wanted <= 5000)) throw new Error(`students: от 20 до 5000, получено ${opts.students}`);
  const count = (sql: string) => j.sqlite.prepare(sql).pluck().get() as number;
  if (count('SELECT count(*) FROM op_log') > 0) throw new Error('Демонстрационную школу можно создать только в пустом журнале');

  const rng = new Rng(opts.seed >>> 0);
  const cal = schoolCalendar(opts.today);
  const school = buildSchool(rng, cal, wanted);
  const plans = buildPlans(school);
  const w = new Writer(j, localMs(opts.today, DEMO_NOW));
  writeSetup(w, school, cal, plans, rng.fork('setup'));
  liveTheYear(w, school, cal, plans, opts.today, rng.fork('life'), opts.onProgress);

  const { demo } = school;
  const cls = (id: string) => school.classes.find((c) => c.id === id)!.name;
  const children = demo.parent.children.map((c) => `${c.name.first} (${cls(c.classId)})`).join(', ');
  const fio = (n: { last: string; first: string; middle: string }) => `${n.last} ${n.first[0]}. ${n.middle[0]}.`;
  return {
    students: count('SELECT count(*) FROM student'),
    classes: count('SELECT count(*) FROM class'),
    staff: count('SELECT count(*) FROM staff'),
    parents: count('SELECT count(*) FROM parent'),
    lessons: count('SELECT count(*) FROM lesson'),
    marks: count('SELECT count(*) FROM mark'),
    absences: count('SELECT count(*) FROM attendance'),
    ops: count('SELECT count(*) FROM op_log'),
    accounts: [
      { login: 'admin', roles: ['admin'], note: `ответственный за техподдержку (${fio(demo.admin.name)})` },
      { login: 'director', roles: ['director'], note: `директор (${fio(demo.director.name)})` },
      { login: 'deputy', roles: ['deputy'], note: `заместитель директора по УВР (${fio(demo.deputy.name)})` },
      { login: 'methodist', roles: ['methodist'], note: `методист, расписание и замены (${fio(demo.methodist.name)})` },
      { login: 'teacher', roles: ['teacher', 'class_teacher'], note: `учитель русского языка и литературы в 5А–9А, классный руководитель ${cls(school.classes.find((c) => c.teacherId === demo.teacher.id)!.id)} (${fio(demo.teacher.name)})` },
      { login: 'parent', roles: ['parent'], note: `родитель: ${children} (${fio(demo.parent.name)})` },
      { login: 'student', roles: ['student'], note: `ученик ${cls(demo.student.classId)} (${fio(demo.student.name)})` },
    ],
  };
}
