import { describe, expect, it } from 'vitest';
import type { Op } from '../../src-shared/ops/envelope';
import { OP_KINDS, type OpKind, type PayloadInput } from '../../src-shared/ops/kinds';
import { submit, CommandRefused } from '../commands/execute';
import { draft, packLog, readLog, replay } from './log';
import { stateChecksum } from './checksum';
import { gradebook } from './queries';
import type { Journal } from './open';
import { T, tinySchool } from '../../test/support/tiny-school';

type Row = Record<string, unknown>;
const one = (j: Journal, sql: string, ...args: unknown[]) => j.sqlite.prepare(sql).get(...args) as Row | undefined;
const count = (j: Journal, sql: string, ...args: unknown[]) => j.sqlite.prepare(sql).pluck().get(...args) as number;

/** One step per op kind, in an order where each step's references exist, with the state it must leave. */
interface Step<K extends OpKind = OpKind> { kind: K; payload: PayloadInput<K>; check: (j: Journal) => void }
const step = <K extends OpKind>(kind: K, payload: PayloadInput<K>, check: (j: Journal) => void): Step => ({ kind, payload, check } as unknown as Step);

const [s1, s2, s3] = T.students;
const [l1, l2, l3] = T.lessons;

const steps: Step[] = [
  step('school.set', { name: 'МБОУ «Северная СОШ»', address: 'пос. Тазовский' }, (j) => expect(one(j, 'SELECT name, address FROM school')).toEqual({ name: 'МБОУ «Северная СОШ»', address: 'пос. Тазовский' })),
  step('setting.set', { key: 'adaptation.until', value: '09-15' }, (j) => expect(one(j, "SELECT value FROM setting WHERE key = 'adaptation.until'")).toEqual({ value: '"09-15"' })),
  step('year.set', { id: 'y27', name: '2027/2028', starts: '2027-09-01', ends: '2028-05-31' }, (j) => expect(count(j, "SELECT count(*) FROM year WHERE id = 'y27'")).toBe(1)),
  step('levelScheme.set', { yearId: T.year, level: 'SOO', scheme: 'halves' }, (j) => expect(one(j, "SELECT scheme FROM level_scheme WHERE level = 'SOO'")).toEqual({ scheme: 'halves' })),
  step('period.set', { id: 'y26-h1', yearId: T.year, scheme: 'halves', number: 1, name: 'I полугодие', starts: '2026-09-01', ends: '2026-12-28' }, (j) => expect(count(j, "SELECT count(*) FROM period WHERE id = 'y26-h1'")).toBe(1)),
  step('period.remove', { id: 'y26-h1' }, (j) => expect(count(j, "SELECT count(*) FROM period WHERE id = 'y26-h1'")).toBe(0)),
  step('holiday.set', { id: 'h1', yearId: T.year, name: 'Осенние каникулы', starts: '2026-10-26', ends: '2026-11-03' }, (j) => expect(one(j, "SELECT starts, ends FROM holiday WHERE id = 'h1'")).toEqual({ starts: '2026-10-26', ends: '2026-11-03' })),
  step('holiday.set', { id: 'h2', yearId: T.year, name: 'Доп. каникулы', starts: '2027-02-08', ends: '2027-02-14', grades: [1] }, (j) => expect(one(j, "SELECT grades FROM holiday WHERE id = 'h2'")).toEqual({ grades: '[1]' })),
  step('holiday.remove', { id: 'h2' }, (j) => expect(count(j, "SELECT count(*) FROM holiday WHERE id = 'h2'")).toBe(0)),
  step('bell.set', { yearId: T.year, number: 1, starts: '08:30', ends: '09:10' }, (j) => expect(one(j, 'SELECT starts, ends FROM bell WHERE number = 1')).toEqual({ starts: '08:30', ends: '09:10' })),
  step('subject.set', { id: 'lit', name: 'Литература', short: 'Лит.', code: 'literature' }, (j) => expect(count(j, "SELECT count(*) FROM subject WHERE id = 'lit'")).toBe(1)),
  step('staff.set', { id: 'st-2', lastName: 'Худи', firstName: 'Нина', position: 'учитель литературы' }, (j) => expect(one(j, "SELECT last_name FROM staff WHERE id = 'st-2'")).toEqual({ last_name: 'Худи' })),
  step('student.set', { id: s3, lastName: 'Ёлкина', firstName: 'Ольга', classId: T.cls, homeSchooling: true, medicalGroup: 'special', peExemptUntil: '2026-12-31' }, (j) =>
    expect(one(j, 'SELECT home_schooling, medical_group, pe_exempt_until FROM student WHERE id = ?', s3)).toEqual({ home_schooling: 1, medical_group: 'special', pe_exempt_until: '2026-12-31' })),
  step('parent.set', { id: 'p-1', lastName: 'Петрова', firstName: 'Елена', phone: '+7 900 000-00-00' }, (j) => expect(count(j, "SELECT count(*) FROM parent WHERE id = 'p-1'")).toBe(1)),
  step('parent.link', { parentId: 'p-1', studentId: s1, relation: 'мать' }, (j) => expect(one(j, 'SELECT relation FROM parent_student WHERE student_id = ?', s1)).toEqual({ relation: 'мать' })),
  step('parent.link', { parentId: 'p-1', studentId: s2 }, (j) => expect(count(j, "SELECT count(*) FROM parent_student WHERE parent_id = 'p-1'")).toBe(2)),
  step('parent.unlink', { parentId: 'p-1', studentId: s2 }, (j) => expect(count(j, "SELECT count(*) FROM parent_student WHERE parent_id = 'p-1'")).toBe(1)),
  step('class.set', { id: 'c6a', yearId: T.year, grade: 6, letter: 'А', classTeacherId: 'st-2' }, (j) => expect(one(j, "SELECT grade, letter FROM class WHERE id = 'c6a'")).toEqual({ grade: 6, letter: 'А' })),
  step('group.set', { id: 'g-club', yearId: T.year, name: 'Кружок «Юный лингвист»', kind: 'club' }, (j) => expect(one(j, "SELECT kind FROM grp WHERE id = 'g-club'")).toEqual({ kind: 'club' })),
  step('group.members', { groupId: 'g-club', add: [s1, s2] }, (j) => expect(count(j, "SELECT count(*) FROM group_member WHERE group_id = 'g-club'")).toBe(2)),
  step('course.set', { id: 'k-club', yearId: T.year, groupId: 'g-club', subjectId: 'lit', teacherId: 'st-2', hoursPerWeek: 1 }, (j) => expect(count(j, "SELECT count(*) FROM course WHERE id = 'k-club'")).toBe(1)),
  step('slot.set', { id: 'sl-1', courseId: 'k-club', weekday: 3, number: 7, validFrom: '2026-09-01', kind: 'extracurricular' }, (j) => expect(one(j, "SELECT weekday, kind FROM slot WHERE id = 'sl-1'")).toEqual({ weekday: 3, kind: 'extracurricular' })),
  step('slot.remove', { id: 'sl-1' }, (j) => expect(count(j, "SELECT count(*) FROM slot WHERE id = 'sl-1'")).toBe(0)),
  step('course.remove', { id: 'k-club' }, (j) => expect(count(j, "SELECT count(*) FROM course WHERE id = 'k-club'")).toBe(0)),
  step('ktp.set', { id: 'ktp-1', yearId: T.year, subjectId: T.subject, grade: 5, number: 1, topic: 'Язык и общение' }, (j) => expect(one(j, "SELECT topic, hours FROM ktp WHERE id = 'ktp-1'")).toEqual({ topic: 'Язык и общение', hours: 1 })),
  step('ktp.set', { id: 'ktp-2', yearId: T.year, subjectId: T.subject, grade: 5, number: 2, topic: 'Р.р. Текст' }, (j) => expect(count(j, 'SELECT count(*) FROM ktp')).toBe(2)),
  step('ktp.remove', { id: 'ktp-2' }, (j) => expect(count(j, 'SELECT count(*) FROM ktp')).toBe(1)),
  step('account.set', { id: 'acc-p1', login: 'petrova', personKind: 'parent', personId: 'p-1', roles: ['parent'] }, (j) => expect(one(j, "SELECT login, roles, verifier FROM account WHERE id = 'acc-p1'")).toEqual({ login: 'petrova', roles: '["parent"]', verifier: null })),
  step('account.password', { id: 'acc-p1', verifier: 'scrypt$10$8$1$c2FsdA==$aGFzaA==' }, (j) => expect(one(j, "SELECT verifier FROM account WHERE id = 'acc-p1'")).toEqual({ verifier: 'scrypt$10$8$1$c2FsdA==$aGFzaA==' })),
  step('account.reset', { id: 'acc-p1', verifier: 'scrypt$10$8$1$c2FsdA==$b25jZQ==' }, (j) => expect(one(j, "SELECT verifier FROM account WHERE id = 'acc-p1'")).toEqual({ verifier: 'once$scrypt$10$8$1$c2FsdA==$b25jZQ==' })),
  step('account.block', { id: 'acc-p1', blocked: true, reason: 'утечка пароля' }, (j) => expect(one(j, "SELECT blocked, block_reason FROM account WHERE id = 'acc-p1'")).toEqual({ blocked: 1, block_reason: 'утечка пароля' })),
  step('breach.record', { id: 'br-1', accountId: 'acc-p1', from: '2026-09-10T08:00:00Z', reportedAt: '2026-09-10T09:30:00Z' }, (j) => expect(one(j, "SELECT account_id, recorded_by FROM breach WHERE id = 'br-1'")).toEqual({ account_id: 'acc-p1', recorded_by: T.admin })),
  step('lesson.create', { id: 'l-new', courseId: T.course, date: '2026-09-17', number: 1, kind: 'distance' }, (j) => expect(one(j, "SELECT kind, status FROM lesson WHERE id = 'l-new'")).toEqual({ kind: 'distance', status: 'planned' })),
  step('lesson.move', { id: 'l-new', date: '2026-09-18', number: 4, reason: 'перенос по приказу' }, (j) => expect(one(j, "SELECT date, number, moved_from FROM lesson WHERE id = 'l-new'")).toEqual({ date: '2026-09-18', number: 4, moved_from: '2026-09-17' })),
  step('lesson.remove', { id: 'l-new' }, (j) => expect(count(j, "SELECT count(*) FROM lesson WHERE id = 'l-new'")).toBe(0)),
  step('lesson.update', { id: l1, topic: 'Язык и общение', ktpId: 'ktp-1', homework: 'Упр. 5', status: 'held' }, (j) =>
    expect(one(j, 'SELECT topic, ktp_id, homework, status, work_type FROM lesson WHERE id = ?', l1)).toEqual({ topic: null, ktp_id: 'ktp-1', homework: 'Упр. 5', status: 'held', work_type: null })), // the КТП entry's topic (lesson-topic.ts)
  step('lesson.update', { id: l1, workType: 'control_dictation' }, (j) => expect(one(j, 'SELECT topic, work_type FROM lesson WHERE id = ?', l1)).toEqual({ topic: null, work_type: 'control_dictation' })),
  step('substitution.set', { lessonId: l2, teacherId: 'st-2', reason: 'больничный' }, (j) => expect(one(j, 'SELECT teacher_id, recorded_by, recorded_at FROM substitution WHERE lesson_id = ?', l2)).toEqual({ teacher_id: 'st-2', recorded_by: T.admin, recorded_at: '2026-08-25T09:00:00.000Z' })),
  step('substitution.remove', { lessonId: l2 }, (j) => expect(count(j, 'SELECT count(*) FROM substitution')).toBe(0)),
  step('homework.individual', { lessonId: l1, studentId: s2, text: 'Карточка № 3' }, (j) => expect(one(j, 'SELECT text FROM individual_homework WHERE student_id = ?', s2)).toEqual({ text: 'Карточка № 3' })),
  step('homework.individual', { lessonId: l1, studentId: s2, text: null }, (j) => expect(count(j, 'SELECT count(*) FROM individual_homework')).toBe(0)),
  step('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5/4' }, { studentId: s2, value: '3', workType: 'oral', comment: 'у доски' }, { studentId: s2, value: '5', column: 'reading' }] }, (j) => {
    // No type given: the mark takes its lesson's (read through), so retyping the lesson reaches it.
    expect(one(j, "SELECT value, work_type FROM mark WHERE student_id = ? AND col = 'main'", s1)).toEqual({ value: '5/4', work_type: null });
    expect(gradebook(j, { courseId: T.course }).marks.find((m) => m.studentId === s1)?.workType).toBe('control_dictation');
    expect(one(j, "SELECT value, work_type, comment FROM mark WHERE student_id = ? AND col = 'main'", s2)).toEqual({ value: '3', work_type: 'oral', comment: 'у доски' });
    expect(one(j, "SELECT value FROM mark WHERE student_id = ? AND col = 'reading'", s2)).toEqual({ value: '5' });
  }),
  step('mark.annul', { lessonId: l1, marks: [{ studentId: s2, column: 'reading' }], reason: 'ошибка' }, (j) => expect(count(j, "SELECT count(*) FROM mark WHERE col = 'reading'")).toBe(0)),
  step('attendance.set', { lessonId: l2, entries: [{ studentId: s1, absent: true }, { studentId: s2, absent: true }] }, (j) => expect(count(j, 'SELECT count(*) FROM attendance WHERE lesson_id = ?', l2)).toBe(2)),
  step('absence.reason', { lessonId: l2, entries: [{ studentId: s1, reason: 'illness' }, { studentId: s3, reason: 'valid' }] }, (j) => {
    expect(one(j, 'SELECT reason FROM attendance WHERE lesson_id = ? AND student_id = ?', l2, s1)).toEqual({ reason: 'illness' });
    // A reason never creates an absence (R-ABSENCE: separate fields).
    expect(count(j, 'SELECT count(*) FROM attendance WHERE student_id = ?', s3)).toBe(0);
  }),
  step('attendance.set', { lessonId: l2, entries: [{ studentId: s2, absent: false }] }, (j) => expect(count(j, 'SELECT count(*) FROM attendance WHERE lesson_id = ?', l2)).toBe(1)),
  step('periodMark.set', { yearId: T.year, subjectId: T.subject, term: T.period1, marks: [{ studentId: s1, value: '5' }, { studentId: s2, value: 'н/а' }] }, (j) => expect(count(j, 'SELECT count(*) FROM period_mark')).toBe(2)),
  step('periodMark.annul', { yearId: T.year, subjectId: T.subject, term: T.period1, studentIds: [s2] }, (j) => expect(count(j, 'SELECT count(*) FROM period_mark')).toBe(1)),
  step('attestation.decision', { yearId: T.year, subjectId: T.subject, term: T.period1, studentId: s2, attest: true, note: 'по согласованию с родителями' }, (j) => expect(one(j, 'SELECT attest FROM attestation_decision')).toEqual({ attest: 1 })),
  step('correction.request', { id: 'cr-1', target: { kind: 'mark', lessonId: l1, studentId: s2 }, value: '4', reason: 'ошибка при вводе' }, (j) =>
    expect(one(j, "SELECT old_value, new_value, status FROM correction WHERE id = 'cr-1'")).toEqual({ old_value: '3', new_value: '4', status: 'pending' })),
  step('correction.decide', { id: 'cr-1', approved: true, note: 'согласовано' }, (j) => {
    expect(one(j, "SELECT status, decided_by FROM correction WHERE id = 'cr-1'")).toEqual({ status: 'approved', decided_by: T.admin });
    expect(one(j, "SELECT value, work_type FROM mark WHERE student_id = ? AND lesson_id = ? AND col = 'main'", s2, l1)).toEqual({ value: '4', work_type: 'oral' });
    expect(one(j, "SELECT at FROM mark WHERE student_id = ? AND lesson_id = ? AND col = 'main'", s2, l1)).toEqual({ at: Date.parse('2026-08-25T09:00:00.000Z') });
  }),
  step('consent.set', { parentId: 'p-1', kind: 'diary_mode', value: 'paper', date: '2026-09-01' }, (j) => expect(one(j, 'SELECT value, date FROM consent')).toEqual({ value: 'paper', date: '2026-09-01' })),
  step('diary.ack', { studentId: s1 }, (j) => expect(one(j, 'SELECT account_id, student_id FROM diary_ack')).toEqual({ account_id: T.admin, student_id: s1 })),
  step('announcement.post', { id: 'an-1', title: 'Родительское собрание', body: 'В пятницу в 18:00', audience: { kind: 'class', classId: T.cls } }, (j) => expect(one(j, 'SELECT annulled FROM announcement')).toEqual({ annulled: 0 })),
  step('announcement.annul', { id: 'an-1' }, (j) => expect(one(j, 'SELECT annulled FROM announcement')).toEqual({ annulled: 1 })),
  step('message.send', { id: 'm-1', to: T.admin, body: 'Проверьте, пожалуйста, доступ' }, (j) => expect(one(j, 'SELECT from_account, read_at FROM message')).toEqual({ from_account: T.admin, read_at: null })),
  step('message.read', { id: 'm-1' }, (j) => expect(one(j, 'SELECT read_at FROM message')).toEqual({ read_at: '2026-08-25T09:00:00.000Z' })),
];

describe('the fold: every op kind', () => {
  it('has a step for every op kind (a new kind needs its test here)', () => {
    expect(new Set(steps.map((s) => s.kind))).toEqual(new Set(OP_KINDS));
  });

  it('applies each kind to the state, and a replay of the log gives the same checksum', () => {
    const { j, admin } = tinySchool();
    for (const s of steps) {
      submit(admin, draft(s.kind, s.payload));
      s.check(j);
    }
    const r = replay(j);
    expect(r.ops).toBe(count(j, 'SELECT count(*) FROM op_log'));
    expect(r.checksum).toBe(stateChecksum(j.sqlite));
    j.close();
  });

  it('gives back every op of every kind exactly as appended (hlc, device, author), inline and compressed in blocks (R-AUDIT)', () => {
    const { j, admin } = tinySchool();
    const appended = steps.flatMap((s) => submit(admin, draft(s.kind, s.payload)).ops);
    const fields = (o: Op) => ({ device: o.device, seq: o.seq, author: o.author, kind: o.kind, version: o.version, hlc: o.hlc, payload: o.payload });
    const logged = () => [...readLog(j)].filter((o) => o.device === 'dev1' && o.seq > appended[0]!.seq - 1).map(fields);
    const view = () => j.sqlite.prepare('SELECT * FROM op_log ORDER BY pos').all();
    expect(logged()).toEqual(appended.map(fields));
    const before = { view: view(), checksum: replay(j).checksum };
    // Stored compactly: codes for names, integers for the stamp.
    expect(j.sqlite.prepare("SELECT count(*) FROM op_record WHERE typeof(device) <> 'integer' OR typeof(author) <> 'integer' OR typeof(kind) <> 'integer' OR typeof(hlc) <> 'integer'").pluck().get()).toBe(0);

    expect(packLog(j, { keepRecent: 0, blockSize: 8 })).toBeGreaterThanOrEqual(appended.length - 8);
    expect(count(j, 'SELECT count(*) FROM op_record WHERE payload IS NULL')).toBeGreaterThan(0);
    expect(logged()).toEqual(appended.map(fields));
    expect(view()).toEqual(before.view);
    expect(replay(j).checksum).toBe(before.checksum);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    j.close();
  });

  it('replays after every single step to the same checksum', () => {
    const { j, admin } = tinySchool();
    for (const s of steps.slice(0, 12)) {
      submit(admin, draft(s.kind, s.payload));
      expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    }
    j.close();
  });

  it('changes the checksum when the state changes', () => {
    const { j, teacher } = tinySchool();
    const before = stateChecksum(j.sqlite);
    submit(teacher, draft('mark.set', { lessonId: l3, marks: [{ studentId: s1, value: '4' }] }));
    expect(stateChecksum(j.sqlite)).not.toBe(before);
    j.close();
  });
});

describe('bad ops change nothing', () => {
  const bad: [string, OpKind, unknown][] = [
    ['a mark 6', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '6' }] }],
    ['a mark 0', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '0' }] }],
    ['a half fraction 5/', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5/' }] }],
    ['«н5»', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: 'н5' }] }],
    ['«5+»', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5+' }] }],
    ['an empty mark', 'mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '' }] }],
    ['no marks at all', 'mark.set', { lessonId: l1, marks: [] }],
    ['a missing field', 'lesson.create', { id: 'x', date: '2026-09-20', number: 1 }],
    ['an impossible date', 'lesson.create', { id: 'x', courseId: T.course, date: '2026-02-30', number: 1 }],
    ['a period mark 6', 'periodMark.set', { yearId: T.year, subjectId: T.subject, term: T.period1, marks: [{ studentId: s1, value: '6' }] }],
    ['a clear password', 'account.password', { id: T.admin, verifier: 'demo' }],
    ['a mark for a lesson that does not exist', 'mark.set', { lessonId: 'nope', marks: [{ studentId: s1, value: '5' }] }],
    ['a mark for a student who does not exist', 'mark.set', { lessonId: l1, marks: [{ studentId: 'nobody', value: '5' }] }],
    ['removing a lesson that has marks (п. 7.12, 9.3)', 'lesson.remove', { id: l1 }],
    ['removing a lesson that does not exist', 'lesson.remove', { id: 'nope' }],
    ['a duplicate login', 'account.set', { id: 'acc-x', login: 'teacher', personKind: 'staff', personId: T.teacher, roles: ['teacher'] }],
  ];
  for (const [what, kind, payload] of bad) {
    it(`refuses ${what} with a Russian message and changes nothing`, () => {
      const { j, teacher } = tinySchool();
      submit(teacher, draft('mark.set', { lessonId: l1, marks: [{ studentId: s2, value: '4' }] }));
      const before = { sum: stateChecksum(j.sqlite), ops: count(j, 'SELECT count(*) FROM op_log'), seq: j.meta('next_seq'), outbox: count(j, 'SELECT count(*) FROM outbox') };
      // The good first draft must be rolled back with the bad second one: nothing half-applied.
      const good = draft('lesson.update', { id: l2, topic: 'Не должна сохраниться' });
      let err: unknown;
      try {
        submit(teacher, good, { kind, payload } as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CommandRefused);
      expect((err as Error).message).toMatch(/[а-яё]/i);
      expect({ sum: stateChecksum(j.sqlite), ops: count(j, 'SELECT count(*) FROM op_log'), seq: j.meta('next_seq'), outbox: count(j, 'SELECT count(*) FROM outbox') }).toEqual(before);
      j.close();
    });
  }
});
