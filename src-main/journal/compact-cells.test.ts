/**
 * Migration 0005: marks and absences stored with name codes (mark_cell, attendance_cell,
 * name_code) and read through the `mark` / `attendance` views; the outbox as runs of seqs.
 * What readers see must not change (R-AUDIT: every value, who and when), the state stays a pure
 * fold of the log (same checksum on replay), and old snapshot bases still re-fold.
 */
import { describe, expect, it } from 'vitest';
import { execute, submit } from '../commands/execute';
import { draft, replay } from './log';
import { stateChecksum, stateTables, tableDigests } from './checksum';
import { applyOp } from './apply-op';
import { parseOp } from '../../src-shared/ops/envelope';
import { advanceBase, BASE_PREFIX, LOG_WHOLE, upgradeBase0005 } from './base';
import { refoldState } from './refold';
import { addToOutbox, outboxCount, outboxSeqs, removeFromOutbox } from './outbox';
import { context, fixedClock, T, tempFile, tinySchool } from '../../test/support/tiny-school';

const all = (j: { sqlite: { prepare: (s: string) => { all: () => unknown[] } } }, sql: string) => j.sqlite.prepare(sql).all();

function schoolWithMarks() {
  const s = tinySchool();
  execute(s.teacher, () => [
    draft('mark.set', { lessonId: T.lessons[0], marks: [
      { studentId: T.students[0], value: '5' },
      { studentId: T.students[1], value: '4/3', workType: 'dictation', comment: 'пропуск букв' },
      { studentId: T.students[1], value: '5', column: 'literacy', workType: 'dictation' },
    ] }),
    draft('attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], absent: true }] }),
    draft('absence.reason', { lessonId: T.lessons[0], entries: [{ studentId: T.students[2], reason: 'illness' }] }),
  ]);
  return s;
}

describe('marks and absences stored with name codes (migration 0005)', () => {
  it('stores the main column as empty and names as codes, and the views give back what was written', () => {
    const { j } = schoolWithMarks();
    const codes = new Map((all(j, 'SELECT id, name FROM name_code') as { id: number; name: string }[]).map((r) => [r.name, r.id]));
    expect([...codes.keys()].sort()).toEqual(['acc-teacher', 'dictation', 'illness']);
    expect(all(j, 'SELECT student_id, col, value, work_type, comment, author FROM mark_cell ORDER BY student_id, col')).toEqual([
      { student_id: 's-1', col: '', value: '5', work_type: null, comment: null, author: codes.get('acc-teacher') },
      { student_id: 's-2', col: '', value: '4/3', work_type: codes.get('dictation'), comment: 'пропуск букв', author: codes.get('acc-teacher') },
      { student_id: 's-2', col: 'literacy', value: '5', work_type: codes.get('dictation'), comment: null, author: codes.get('acc-teacher') },
    ]);
    expect(all(j, 'SELECT student_id, col, value, work_type, comment, author FROM mark ORDER BY student_id, col')).toEqual([
      { student_id: 's-1', col: 'main', value: '5', work_type: null, comment: null, author: 'acc-teacher' },
      { student_id: 's-2', col: 'literacy', value: '5', work_type: 'dictation', comment: null, author: 'acc-teacher' },
      { student_id: 's-2', col: 'main', value: '4/3', work_type: 'dictation', comment: 'пропуск букв', author: 'acc-teacher' },
    ]);
    expect(j.sqlite.prepare("SELECT value FROM mark WHERE lesson_id = ? AND student_id = ? AND col = 'main'").pluck().get(T.lessons[0], 's-2')).toBe('4/3');
    expect(all(j, 'SELECT student_id, reason, author FROM attendance')).toEqual([{ student_id: 's-3', reason: 'illness', author: 'acc-teacher' }]);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    j.close();
  });

  it('annuls a main-column mark and keeps the work type when a correction replaces another author\'s value (R-CORRECTION, п. 7.14)', () => {
    const { j, admin } = schoolWithMarks();
    execute(admin, () => [draft('mark.annul', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0] }] })]);
    expect(j.sqlite.prepare("SELECT count(*) FROM mark WHERE student_id = 's-1'").pluck().get()).toBe(0);
    const deputy = context(j, T.deputy, fixedClock('2026-09-12T10:00:00.000Z'));
    submit(context(j, T.teacherAcc, fixedClock('2026-09-12T09:00:00.000Z')),
      draft('correction.request', { id: 'corr-1', target: { kind: 'mark', lessonId: T.lessons[0], studentId: T.students[1], column: 'main' }, value: '4', reason: 'ошибка при выставлении' }));
    submit(deputy, draft('correction.decide', { id: 'corr-1', approved: true }));
    expect(j.sqlite.prepare("SELECT value || ' ' || work_type || ' ' || author FROM mark WHERE student_id = 's-2' AND col = 'main'").pluck().get()).toBe('4 dictation acc-teacher');
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    j.close();
  });

  it('hashes what the cells mean, not the codes: two replicas that applied unrelated ops in another order agree', () => {
    // Sync applies a pulled op without a rebase when it touches none of the replica's unsent cells,
    // so two replicas can fold unrelated ops in different orders: their codes differ, their marks do not.
    const op = (device: string, author: string, lessonId: string, workType: string) => parseOp({ device, seq: 1, author, kind: 'mark.set', version: 1,
      hlc: '2026-09-10T10:00:00.000Z-0000', payload: { lessonId, marks: [{ studentId: T.students[0], value: '4', workType }] } });
    const first = op('dev-a', T.teacherAcc, T.lessons[0], 'test');
    const second = op('dev-b', T.substituteAcc, T.lessons[1], 'essay');
    const a = tinySchool();
    const b = tinySchool();
    a.j.sqlite.transaction(() => { applyOp(a.j, first, 1); applyOp(a.j, second, 2); })();
    b.j.sqlite.transaction(() => { applyOp(b.j, second, 2); applyOp(b.j, first, 1); })();
    const codes = (r: typeof a) => all(r.j, 'SELECT name FROM name_code ORDER BY id');
    expect(codes(a)).not.toEqual(codes(b));
    expect(stateChecksum(a.j.sqlite)).toBe(stateChecksum(b.j.sqlite));
    const digests = tableDigests(a.j.sqlite).map((d) => d.table);
    expect(digests).toEqual(expect.arrayContaining(['mark', 'attendance', 'lesson']));
    expect(digests).not.toContain('name_code');
    expect(stateTables(a.j.sqlite)).toEqual(expect.arrayContaining(['name_code', 'mark_cell', 'attendance_cell'])); // copied with the state
    expect(stateTables(a.j.sqlite)).not.toContain('outbox_range');
    // …and a different mark is still a different checksum.
    b.j.sqlite.exec("UPDATE mark_cell SET value = '5'");
    expect(stateChecksum(a.j.sqlite)).not.toBe(stateChecksum(b.j.sqlite));
    a.j.close();
    b.j.close();
  });

  it('converts a snapshot base taken before the migration, so a replica without the early log still re-folds', () => {
    // A school in a file: its base copy as a pre-0005 program wrote it (old table shapes).
    const s = tinySchool(tempFile());
    execute(s.teacher, () => [
      draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5' }, { studentId: T.students[1], value: '3', workType: 'dictation', column: 'reading' }] }),
      draft('attendance.set', { lessonId: T.lessons[1], entries: [{ studentId: T.students[2], absent: true }] }),
      draft('absence.reason', { lessonId: T.lessons[1], entries: [{ studentId: T.students[2], reason: 'valid' }] }),
    ]);
    const sq = s.j.sqlite;
    sq.exec('UPDATE op_record SET server_seq = pos'); // all confirmed: the base is the fold up to the last
    advanceBase(sq, stateTables(sq), sq.prepare('SELECT max(pos) FROM op_record').pluck().get() as number, '2026-09-10T10:00:00.000Z');
    execute(s.teacher, () => [draft('mark.set', { lessonId: T.lessons[2], marks: [{ studentId: T.students[2], value: '4', workType: 'test' }] })]); // pending, above the base
    const seen = { marks: all(s.j, 'SELECT * FROM mark ORDER BY lesson_id, student_id, col'), absences: all(s.j, 'SELECT * FROM attendance ORDER BY lesson_id, student_id') };
    expect(seen.marks).toHaveLength(3);
    sq.exec(`DROP TABLE ${BASE_PREFIX}mark_cell; DROP TABLE ${BASE_PREFIX}attendance_cell; DROP TABLE ${BASE_PREFIX}name_code;
      CREATE TABLE ${BASE_PREFIX}mark AS SELECT * FROM mark; CREATE TABLE ${BASE_PREFIX}attendance AS SELECT * FROM attendance;`);
    sq.prepare('DELETE FROM meta WHERE key = ?').run(LOG_WHOLE); // bootstrapped: no log below the base
    upgradeBase0005(sq);
    upgradeBase0005(sq); // idempotent
    expect(sq.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('${BASE_PREFIX}mark', '${BASE_PREFIX}attendance')`).pluck().get()).toBe(0);
    refoldState(s.j);
    expect({ marks: all(s.j, 'SELECT * FROM mark ORDER BY lesson_id, student_id, col'), absences: all(s.j, 'SELECT * FROM attendance ORDER BY lesson_id, student_id') }).toEqual(seen);
    s.j.close();
  });
});

describe('the outbox as runs of seqs (migration 0005)', () => {
  it('matches a plain set of seqs under any order of additions and removals', () => {
    const { j } = tinySchool();
    j.sqlite.exec('DELETE FROM outbox_range');
    const model = new Set<number>();
    let x = 12345;
    const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
    j.sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const seq = 1 + rnd(200);
        if (rnd(3) === 0) expect(removeFromOutbox(j, seq)).toBe(model.delete(seq));
        else { addToOutbox(j, seq); model.add(seq); }
        if (i % 97 === 0) {
          expect(outboxSeqs(j)).toEqual([...model].sort((a, b) => a - b));
          expect(outboxCount(j)).toBe(model.size);
          expect(j.sqlite.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual([...model].sort((a, b) => a - b));
        }
      }
      // Runs never touch or overlap: each is as long as it can be.
      const runs = all(j, 'SELECT first, last FROM outbox_range ORDER BY first') as { first: number; last: number }[];
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.first).toBeGreaterThan(runs[i - 1]!.last + 1);
    })();
    j.close();
  });

  it('keeps a device\'s unsent ops as one row however many there are', () => {
    const { j, teacher } = tinySchool();
    for (let i = 0; i < 50; i++) execute(teacher, () => [draft('mark.set', { lessonId: T.lessons[i % 3]!, marks: [{ studentId: T.students[i % 3]!, value: String(2 + (i % 4)) }] })]);
    const sent = j.sqlite.prepare('SELECT count(*) FROM op_log').pluck().get() as number;
    expect(outboxCount(j)).toBe(sent);
    expect(j.sqlite.prepare('SELECT count(*) FROM outbox_range').pluck().get()).toBe(1);
    j.close();
  });
});
