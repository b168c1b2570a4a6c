import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloads } from '../../src-shared/ops/kinds';
import { verifyPassword } from '../auth/password';
import { stateChecksum } from '../journal/checksum';
import { readLog, replay } from '../journal/log';
import { openJournal, type Journal } from '../journal/open';
import { lessonTopicSql } from '../journal/lesson-topic';
import { generateLessons } from '../timetable/generate';
import { firstRunDrafts, firstRunInput } from '../admin/first-run';
import { planImport } from '../admin/import/plan';
import { schoolCalendar } from './calendar';
import { generateDemo, type DemoSummary } from './generate';
import { classesList, curriculumList, staffList, studentsList } from './lists';
import { Rng } from './prng';
import { buildSchool } from './school';

type Row = Record<string, unknown>;
const all = (j: Journal, sql: string, ...args: unknown[]) => j.sqlite.prepare(sql).all(...args) as Row[];
const one = (j: Journal, sql: string, ...args: unknown[]) => j.sqlite.prepare(sql).get(...args) as Row | undefined;
const num = (j: Journal, sql: string, ...args: unknown[]) => j.sqlite.prepare(sql).pluck().get(...args) as number;

function demo(seed: number, today: string): { j: Journal; s: DemoSummary } {
  const j = openJournal(':memory:', { create: true, device: 'demo', durability: 'off' });
  return { j, s: generateDemo(j, { seed, students: 135, today }) };
}
const opLog = (j: Journal) => j.sqlite.prepare('SELECT device, seq, author, kind, version, hlc, payload FROM op_log ORDER BY pos').raw().all();

describe('demo generator: determinism', () => {
  it('gives a byte-identical op log and state for the same seed and today', () => {
    const a = demo(7, '2026-10-20');
    const b = demo(7, '2026-10-20');
    expect(stateChecksum(b.j.sqlite)).toBe(stateChecksum(a.j.sqlite));
    expect(opLog(b.j)).toEqual(opLog(a.j));
    const c = demo(8, '2026-10-20');
    expect(stateChecksum(c.j.sqlite)).not.toBe(stateChecksum(a.j.sqlite));
    for (const x of [a, b, c]) x.j.close();
  });
});

describe('demo generator: the default school (today 10 March 2027)', () => {
  let j: Journal;
  let s: DemoSummary;
  beforeAll(() => ({ j, s } = demo(1, '2027-03-10')));
  afterAll(() => j.close());

  it('is a small rural school of the requested size: 11 classes, ~20 staff, families', () => {
    expect(s).toMatchObject({ students: 135, classes: 11 });
    expect(all(j, 'SELECT grade || letter AS name FROM class ORDER BY grade').map((r) => r.name)).toEqual(['1А', '2А', '3А', '4А', '5А', '6А', '7А', '8А', '9А', '10А', '11А']);
    expect(s.staff).toBeGreaterThanOrEqual(18);
    expect(s.staff).toBeLessThanOrEqual(26);
    expect(s.parents).toBeGreaterThan(135 * 0.9);
    expect(s.parents).toBeLessThan(135 * 2);
    const size = (g: number) => num(j, 'SELECT count(*) FROM student s JOIN class c ON c.id = s.class_id WHERE c.grade = ?', g);
    expect(size(10) + size(11)).toBeLessThan(size(5) + size(6));
    // Siblings share parents: some parent has two or more children.
    expect(num(j, 'SELECT max(n) FROM (SELECT count(*) n FROM parent_student GROUP BY parent_id)')).toBeGreaterThanOrEqual(2);
    expect(s.ops).toBe(num(j, 'SELECT count(*) FROM op_log'));
  });

  it('has the consents of every parent, about a tenth on the paper diary (R-CONSENT)', () => {
    const modes = Object.fromEntries(all(j, "SELECT value, count(*) n FROM consent WHERE kind = 'diary_mode' GROUP BY value").map((r) => [r.value, r.n as number]));
    expect((modes.paper ?? 0) + (modes.electronic ?? 0)).toBe(s.parents);
    expect(modes.paper ?? 0).toBeGreaterThan(0);
    expect((modes.paper ?? 0) / s.parents).toBeLessThan(0.25);
  });

  it('has a timetable without a teacher in two places and without gaps in a class day', () => {
    expect(all(j, `SELECT c.teacher_id, s.weekday, s.number FROM slot s JOIN course c ON c.id = s.course_id
      GROUP BY 1, 2, 3 HAVING count(*) > 1`)).toEqual([]);
    expect(all(j, `SELECT g.id, s.weekday FROM slot s JOIN course c ON c.id = s.course_id JOIN grp g ON g.id = c.group_id
      WHERE g.kind = 'class' GROUP BY 1, 2 HAVING count(*) <> max(s.number) OR min(s.number) <> 1`)).toEqual([]);
    expect(num(j, `SELECT max(n) FROM (SELECT count(*) n FROM slot s JOIN course c ON c.id = s.course_id WHERE c.group_id = 'g-1a' GROUP BY s.weekday)`)).toBeLessThanOrEqual(4);
    expect(num(j, "SELECT count(*) FROM slot WHERE kind = 'extracurricular'")).toBeGreaterThan(0);
    expect(num(j, "SELECT count(DISTINCT s.class_id) FROM grp g JOIN group_member m ON m.group_id = g.id JOIN student s ON s.id = m.student_id WHERE g.kind = 'elective'")).toBe(2);
  });

  it('has lessons on every school day up to today with topics, and realistic marks and absences', () => {
    expect(num(j, "SELECT count(*) FROM lesson WHERE date < '2027-03-10' AND status NOT IN ('held', 'cancelled')")).toBe(0);
    expect(num(j, `SELECT count(*) FROM lesson l WHERE l.status = 'held' AND ${lessonTopicSql('l')} IS NULL`)).toBe(0);
    expect(num(j, "SELECT count(*) FROM lesson WHERE date BETWEEN '2026-12-29' AND '2027-01-11'")).toBe(0);
    const held = all(j, `SELECT l.id, (SELECT count(*) FROM student s WHERE s.class_id = g.class_id AND s.home_schooling = 0) n,
      (SELECT count(DISTINCT m.student_id) FROM mark m WHERE m.lesson_id = l.id) marked, (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id) absent
      FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id JOIN class k ON k.id = g.class_id
      WHERE g.kind = 'class' AND k.grade > 1 AND l.status = 'held' AND l.kind = 'regular'`) as { n: number; marked: number; absent: number }[];
    const seats = held.reduce((a, r) => a + r.n, 0);
    const markShare = held.reduce((a, r) => a + r.marked, 0) / seats;
    const absentShare = held.reduce((a, r) => a + r.absent, 0) / seats;
    expect(markShare).toBeGreaterThan(0.25);
    expect(markShare).toBeLessThan(0.4);
    expect(absentShare).toBeGreaterThan(0.035);
    expect(absentShare).toBeLessThan(0.07);
    const values = Object.fromEntries(all(j, "SELECT value, count(*) n FROM mark WHERE value GLOB '[1-5]' GROUP BY value").map((r) => [r.value, r.n as number]));
    expect(values['4']!).toBeGreaterThan(values['3']!);
    expect(values['5']!).toBeGreaterThan(values['3']!);
    expect(values['2']!).toBeLessThan(values['3']! / 4);
    expect(values['1'] ?? 0).toBe(0);
    expect(num(j, "SELECT count(*) FROM mark WHERE value LIKE '%/%' AND work_type = 'control_dictation'")).toBeGreaterThan(0);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id JOIN course c ON c.id = l.course_id WHERE c.subject_id = 'literature' AND m.value LIKE '%/%'")).toBeGreaterThan(0);
    expect(num(j, "SELECT count(*) FROM mark WHERE col = 'reading'")).toBeGreaterThan(0);
    expect(num(j, "SELECT count(*) FROM mark WHERE comment IS NOT NULL")).toBeGreaterThan(0);
    expect(num(j, 'SELECT count(*) FROM individual_homework')).toBeGreaterThan(0);
    const reasons = Object.fromEntries(all(j, 'SELECT reason, count(*) n FROM attendance GROUP BY reason').map((r) => [r.reason, r.n as number]));
    expect(reasons.illness!).toBeGreaterThan(reasons.valid!);
    expect(reasons.valid!).toBeGreaterThan(reasons.unexcused!);
    // Unlabelled absences are only the current week's (the class teacher labels them on Friday).
    expect(num(j, "SELECT count(*) FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE a.reason IS NULL AND l.date < '2027-03-08'")).toBe(0);
  });

  it('has the lessons ahead to the end of the year from its timetable, planned and empty (R-SETUP)', () => {
    expect(one(j, 'SELECT max(date) AS last FROM lesson')).toEqual({ last: '2027-05-31' });
    expect(num(j, "SELECT count(*) FROM lesson WHERE date > '2027-03-10' AND date < '2027-03-17'")).toBeGreaterThan(100);
    expect(num(j, "SELECT count(*) FROM lesson WHERE date > '2027-03-10' AND status <> 'planned'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.date > '2027-03-10'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE l.date > '2027-03-10'")).toBe(0);
    // Made by the methodist's `lessons.generate`: generating the year again finds nothing to do.
    expect(num(j, "SELECT count(*) FROM lesson WHERE kind = 'regular' AND id NOT LIKE 't.%'")).toBe(0);
    const again = generateLessons(j, { from: '2026-09-01', to: '2027-05-31' });
    expect({ created: again.created, removed: again.removed }).toEqual({ created: 0, removed: 0 });
  });

  it('gives a thematic control work a mark for every present pupil (п. 7.14)', () => {
    const rows = all(j, `SELECT l.id, (SELECT count(*) FROM student s WHERE s.class_id = g.class_id AND s.home_schooling = 0) n,
      (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id) absent, (SELECT count(*) FROM mark m WHERE m.lesson_id = l.id AND m.col = 'main') marked
      FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
      WHERE g.kind = 'class' AND l.work_type = 'control' AND c.subject_id <> 'pe' AND l.date < '2027-03-01'`) as { n: number; absent: number; marked: number }[];
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.marked).toBe(r.n - r.absent);
  });

  it('assesses every pupil at least once in 4 attended lessons of a course (п. 7.14)', () => {
    const rows = all(j, `SELECT l.course_id c, l.id, s.id sid, EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id AND a.student_id = s.id) absent,
      EXISTS (SELECT 1 FROM mark m WHERE m.lesson_id = l.id AND m.student_id = s.id) marked
      FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id JOIN class k ON k.id = g.class_id JOIN student s ON s.class_id = k.id
      WHERE g.kind = 'class' AND k.grade > 1 AND l.status = 'held' AND l.kind IN ('regular', 'distance') AND s.home_schooling = 0
        AND c.subject_id <> 'pe' AND l.date < '2027-03-10'
      ORDER BY l.course_id, s.id, l.date, l.number`) as { c: string; sid: string; absent: number; marked: number }[];
    let key = '';
    let gap = 0;
    let worst = 0;
    for (const r of rows) {
      if (`${r.c}:${r.sid}` !== key) { key = `${r.c}:${r.sid}`; gap = 0; }
      if (r.absent) continue;
      gap = r.marked ? 0 : gap + 1;
      worst = Math.max(worst, gap);
    }
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('never gives a 2 or 1 from 1 to 15 September (п. 7.14)', () => {
    expect(num(j, `SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id
      WHERE l.date BETWEEN '2026-09-01' AND '2026-09-15' AND (m.value GLOB '*[12]*')`)).toBe(0);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.date BETWEEN '2026-09-01' AND '2026-09-15'")).toBeGreaterThan(0);
  });

  it('gives no marks and no period marks in grade 1 (п. 9.5)', () => {
    expect(num(j, `SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id JOIN course c ON c.id = l.course_id
      JOIN grp g ON g.id = c.group_id JOIN class k ON k.id = g.class_id WHERE k.grade = 1`)).toBe(0);
    expect(num(j, "SELECT count(*) FROM period_mark p JOIN student s ON s.id = p.student_id WHERE s.class_id = 'c-1a'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM lesson l JOIN course c ON c.id = l.course_id WHERE c.group_id = 'g-1a' AND l.status = 'held'")).toBeGreaterThan(0);
  });

  it('has a lesson held as an extracurricular one, without marks or absences (п. 7.13, 8.3)', () => {
    const extra = all(j, "SELECT * FROM lesson WHERE kind = 'extracurricular' AND course_id <> 'k-club-kraeved'");
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatchObject({ status: 'held', form: expect.any(String), order_no: expect.any(String) });
    expect(extra[0]!.topic).toMatch(/Внеурочное занятие/);
    expect(num(j, "SELECT count(*) FROM lesson WHERE status = 'cancelled' AND course_id = ?", extra[0]!.course_id)).toBe(1);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.kind = 'extracurricular'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE l.kind = 'extracurricular'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM lesson WHERE course_id = 'k-club-kraeved' AND status = 'held'")).toBeGreaterThan(20);
  });

  it('has a distance-learning day for the whole school with no absences (п. 8.1)', () => {
    const days = all(j, "SELECT DISTINCT date FROM lesson WHERE kind = 'distance'");
    expect(days).toHaveLength(1);
    const date = days[0]!.date as string;
    expect(num(j, "SELECT count(*) FROM lesson WHERE date = ? AND kind NOT IN ('distance', 'extracurricular', 'home')", date)).toBe(0);
    for (const r of all(j, "SELECT topic, order_no FROM lesson WHERE kind = 'distance'")) {
      expect(r.topic).toMatch(/дистанционное обучение, приказ № \S+/i);
      expect(r.order_no).toBeTruthy();
    }
    expect(num(j, 'SELECT count(*) FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE l.date = ?', date)).toBe(0);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.date = ? AND m.work_type = 'online'", date)).toBeGreaterThan(0);
  });

  it('never marks a PE-exempt pupil absent at PE (п. 7.14)', () => {
    const st = one(j, "SELECT id, class_id, pe_exempt_until FROM student WHERE medical_group = 'special' AND pe_exempt_until IS NOT NULL")!;
    expect(st).toBeDefined();
    const pe = `SELECT l.id FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
      WHERE c.subject_id = 'pe' AND g.class_id = ? AND l.date <= ?`;
    expect(num(j, `SELECT count(*) FROM (${pe})`, st.class_id, st.pe_exempt_until)).toBeGreaterThan(10);
    expect(num(j, `SELECT count(*) FROM attendance WHERE student_id = ? AND lesson_id IN (${pe})`, st.id, st.class_id, st.pe_exempt_until)).toBe(0);
    expect(num(j, `SELECT count(*) FROM mark WHERE student_id = ? AND lesson_id IN (${pe})`, st.id, st.class_id, st.pe_exempt_until)).toBe(0);
    expect(one(j, "SELECT value FROM period_mark WHERE student_id = ? AND subject_id = 'pe' AND term = 'y2026-t1'", st.id)).toEqual({ value: 'осв' });
  });

  it('keeps a home-schooled pupil on home lessons only (п. 8.2)', () => {
    const st = one(j, 'SELECT id FROM student WHERE home_schooling = 1')!;
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE m.student_id = ? AND l.kind <> 'home'", st.id)).toBe(0);
    expect(num(j, "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE m.student_id = ? AND l.kind = 'home'", st.id)).toBeGreaterThan(10);
  });

  it('records a moved lesson and a substitution; the substitute enters topic and marks (п. 7.12)', () => {
    expect(num(j, 'SELECT count(*) FROM lesson WHERE moved_from IS NOT NULL AND moved_from <> date')).toBe(1);
    const subs = all(j, 'SELECT s.lesson_id, s.recorded_by, a.id AS acc FROM substitution s JOIN account a ON a.person_id = s.teacher_id');
    expect(subs.length).toBeGreaterThan(0);
    for (const sub of subs) {
      expect(sub.recorded_by).toBe('acc-methodist');
      const authors = all(j, "SELECT DISTINCT author FROM op_log WHERE scope = ? AND kind IN ('mark.set', 'lesson.update', 'attendance.set')", sub.lesson_id).map((r) => r.author);
      expect(authors).toEqual([sub.acc]);
    }
  });

  it('sets period marks for the periods that have ended, by the subject teacher', () => {
    const terms = all(j, 'SELECT DISTINCT term FROM period_mark ORDER BY term').map((r) => r.term);
    expect(terms).toEqual(['y2026-h1', 'y2026-t1', 'y2026-t2']);
    expect(num(j, "SELECT count(*) FROM period_mark p JOIN op_log o ON o.kind = 'periodMark.set' AND o.author = 'acc-teacher'")).toBeGreaterThan(0);
  });

  it('has the demo accounts with their roles and the password «demo»', () => {
    const want: Record<string, string[]> = {
      admin: ['admin'], director: ['director'], deputy: ['deputy'], methodist: ['methodist'],
      teacher: ['class_teacher', 'teacher'], parent: ['parent'], student: ['student'],
    };
    for (const [login, roles] of Object.entries(want)) {
      const a = one(j, 'SELECT roles, verifier FROM account WHERE login = ?', login);
      expect(a, login).toBeDefined();
      expect(JSON.parse(a!.roles as string)).toEqual(roles);
      expect(verifyPassword('demo', a!.verifier as string), login).toBe(true);
    }
    expect(s.accounts.map((a) => a.login)).toEqual(Object.keys(want));
    const other = one(j, "SELECT verifier FROM account WHERE id = 'acc-e-001'")!;
    expect(verifyPassword('demo', other.verifier as string)).toBe(true);
  });

  it('teacher teaches Russian and literature in 5А–9А and is the class teacher of 5А', () => {
    const staffId = one(j, "SELECT person_id FROM account WHERE login = 'teacher'")!.person_id;
    const rows = all(j, `SELECT c.subject_id, k.grade || k.letter AS cls FROM course c JOIN grp g ON g.id = c.group_id JOIN class k ON k.id = g.class_id
      WHERE c.teacher_id = ? AND g.kind = 'class' ORDER BY k.grade, c.subject_id`, staffId);
    expect(rows.map((r) => `${r.cls}:${r.subject_id}`)).toEqual(['5А', '6А', '7А', '8А', '9А'].flatMap((c) => [`${c}:literature`, `${c}:russian`]));
    expect(one(j, "SELECT class_teacher_id FROM class WHERE grade = 5 AND letter = 'А'")).toEqual({ class_teacher_id: staffId });
  });

  it('parent has two children, one of them in 5А; student is a pupil of 5А', () => {
    const parentId = one(j, "SELECT person_id FROM account WHERE login = 'parent'")!.person_id;
    const kids = all(j, 'SELECT c.grade || c.letter AS cls FROM parent_student p JOIN student s ON s.id = p.student_id JOIN class c ON c.id = s.class_id WHERE p.parent_id = ? ORDER BY c.grade', parentId);
    expect(kids).toHaveLength(2);
    expect(kids.map((k) => k.cls)).toContain('5А');
    expect(kids.filter((k) => k.cls !== '5А')).toHaveLength(1);
    expect(one(j, "SELECT c.grade || c.letter AS cls FROM account a JOIN student s ON s.id = a.person_id JOIN class c ON c.id = s.class_id WHERE a.login = 'student'")).toEqual({ cls: '5А' });
  });

  it('begins with the ops of `ejournal init`: the technical administrator, then the school (R-SETUP)', () => {
    const first = all(j, 'SELECT kind, author FROM op_log ORDER BY pos LIMIT 4');
    expect(first).toEqual(['staff.set', 'account.set', 'account.password', 'school.set'].map((kind) => ({ kind, author: 'acc-admin' })));
    const f = firstRunInput({ school: 'x', login: 'admin', adminName: 'Ядне Роман Сергеевич' });
    const ops: { kind: string; payload: unknown }[] = [];
    for (const o of readLog(j)) if (ops.push({ kind: o.kind, payload: o.payload }) === 2) break;
    const init = firstRunDrafts(f, { staffId: 'e-admin', accountId: 'acc-admin' }, 'scrypt$unused').slice(0, 2);
    expect(ops).toEqual(init.map((d) => ({ kind: d.kind, payload: payloads[d.kind].parse(d.payload) })));
  });

  it('holds what its lists say: each list loaded again through the import changes nothing (R-IMPORT)', () => {
    const school = buildSchool(new Rng(1), schoolCalendar('2027-03-10'), 135);
    const lists = [staffList(school), classesList(school), studentsList(school, { diary: true }), curriculumList(school)];
    for (const list of lists) {
      const plan = planImport(j, list.sheet, list.what, { nowMs: Date.parse('2027-03-10T08:00:00Z'), newId: () => { throw new Error(`${list.what}: a new record`); } });
      expect(plan.errors, list.what).toEqual([]);
      expect(plan.drafts, list.what).toEqual([]);
      expect(plan.same, list.what).toBe(list.sheet.rows.length - 1);
    }
  });

  it('writes every op in time order by its author, and the state is the fold of the log', () => {
    expect(num(j, 'SELECT count(*) FROM op_log a JOIN op_log b ON b.pos = a.pos + 1 WHERE b.hlc < a.hlc')).toBe(0);
    expect(one(j, 'SELECT min(hlc) AS first FROM op_log')!.first).toMatch(/^2026-08-25T/);
    expect(num(j, "SELECT count(*) FROM op_log WHERE hlc > '2027-03-10T08:00:00.000Z'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM op_log WHERE kind = 'ktp.set' AND author <> 'acc-deputy'")).toBe(0);
    expect(num(j, "SELECT count(*) FROM op_log WHERE kind IN ('slot.set', 'lesson.create', 'substitution.set', 'lesson.move') AND author <> 'acc-methodist' AND payload NOT LIKE '%extracurricular%'")).toBe(0);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
  });
});
