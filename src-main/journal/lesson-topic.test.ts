import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadInput } from '../../src-shared/ops/kinds';
import { submit } from '../commands/execute';
import { draft, replay } from './log';
import { stateChecksum } from './checksum';
import { refoldState } from './refold';
import { gradebook } from './queries';
import { lessonView } from './views';
import { lessonTopicSql } from './lesson-topic';
import type { Journal } from './open';
import { T, tempFile, tinySchool } from '../../test/support/tiny-school';

const [l1, l2, l3] = T.lessons;
const A = 'Язык и общение';
const B = 'Язык как средство общения';
const C = 'Текст и его признаки';

let j: Journal;
let admin: ReturnType<typeof tinySchool>['admin'];

function school(): void {
  ({ j, admin } = tinySchool(tempFile()));
  run('ktp.set', { id: 'ktp-1', yearId: T.year, subjectId: T.subject, grade: 5, number: 1, topic: A });
  run('ktp.set', { id: 'ktp-2', yearId: T.year, subjectId: T.subject, grade: 5, number: 2, topic: C });
}
afterEach(() => j.close());

function run<K extends Parameters<typeof draft>[0]>(kind: K, payload: PayloadInput<K>): void {
  submit(admin, draft(kind, payload));
}
const update = (p: PayloadInput<'lesson.update'>) => run('lesson.update', p);
/** What the file holds. */
const stored = (id: string) => j.sqlite.prepare('SELECT topic, ktp_id AS ktpId FROM lesson WHERE id = ?').get(id) as { topic: string | null; ktpId: string | null };
/** What readers see: the shared fragment, the grade book and the lesson's page. */
function read(id: string): string | null {
  const sql = j.sqlite.prepare(`SELECT ${lessonTopicSql('l')} FROM lesson l WHERE l.id = ?`).pluck().get(id) as string | null;
  expect(gradebook(j, { courseId: T.course }).lessons.find((l) => l.id === id)?.topic).toBe(sql);
  expect(lessonView(j, id, false).topic).toBe(sql);
  return sql;
}
/** The fold is a pure function of the log: a replay and a re-fold in place give the same state. */
function expectFoldable(): void {
  const sum = stateChecksum(j.sqlite);
  expect(replay(j).checksum).toBe(sum);
  refoldState(j);
  expect(stateChecksum(j.sqlite)).toBe(sum);
}

describe('a lesson topic is stored once (lesson-topic.ts)', () => {
  it('stores a topic equal to its КТП entry’s as NULL and reads it back', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A, status: 'held' });
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-1' });
    expect(read(l1)).toBe(A);
    expectFoldable();
  });

  it('stores a topic that differs from the КТП entry’s as text', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: `Р.р. ${A}` });
    expect(stored(l1)).toEqual({ topic: `Р.р. ${A}`, ktpId: 'ktp-1' });
    expect(read(l1)).toBe(`Р.р. ${A}`);
  });

  it('keeps a cleared topic of a lesson linked to the КТП as no topic, not the entry’s', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A });
    update({ id: l1, topic: null });
    expect(stored(l1)).toEqual({ topic: '', ktpId: 'ktp-1' });
    expect(read(l1)).toBeNull();
    update({ id: l2, ktpId: 'ktp-1', topic: '   ' }); // the op schema trims it to ''
    expect(read(l2)).toBeNull();
    update({ id: l3, ktpId: 'ktp-1' }); // linked, no topic entered
    expect(read(l3)).toBeNull();
    expectFoldable();
  });

  it('stores the topic of a lesson without a КТП link as it is', () => {
    school();
    run('lesson.create', { id: 'l-x', courseId: T.course, date: '2026-09-17', number: 1, topic: B });
    expect(stored('l-x')).toEqual({ topic: B, ktpId: null });
    expect(read('l-x')).toBe(B);
    expect(read(l1)).toBeNull();
    expect(stored(l1).topic).toBeNull();
  });

  it('keeps the topic of lessons already held when the КТП entry is edited; lessons linked later read the new one (R-TOPICS п. 9.5, R-AUDIT п. 9.2)', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A, status: 'held' });
    update({ id: l2, ktpId: 'ktp-1', topic: 'Своя тема', status: 'held' });
    update({ id: l3, ktpId: 'ktp-1', topic: null });
    run('ktp.set', { id: 'ktp-1', yearId: T.year, subjectId: T.subject, grade: 5, number: 1, topic: B });
    expect(stored(l1)).toEqual({ topic: A, ktpId: 'ktp-1' });
    expect(read(l1)).toBe(A);
    expect(read(l2)).toBe('Своя тема');
    expect(read(l3)).toBeNull();
    run('lesson.create', { id: 'l-new', courseId: T.course, date: '2026-09-17', number: 1 });
    update({ id: 'l-new', ktpId: 'ktp-1', topic: B });
    expect(stored('l-new')).toEqual({ topic: null, ktpId: 'ktp-1' });
    expect(read('l-new')).toBe(B);
    expectFoldable();
  });

  it('leaves the lessons as they are when an edit of the КТП entry keeps its topic', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A });
    run('ktp.set', { id: 'ktp-1', yearId: T.year, subjectId: T.subject, grade: 5, number: 1, topic: A, hours: 2 });
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-1' });
    expect(read(l1)).toBe(A);
  });

  it('keeps the topic of its lessons when the КТП entry is removed', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A });
    update({ id: l2, ktpId: 'ktp-1', topic: null });
    run('ktp.remove', { id: 'ktp-1' });
    expect(stored(l1)).toEqual({ topic: A, ktpId: null });
    expect(read(l1)).toBe(A);
    expect(stored(l2)).toEqual({ topic: null, ktpId: null });
    expect(read(l2)).toBeNull();
    expectFoldable();
  });

  it('keeps the topic a lesson read from its КТП entry when the lesson is relinked or unlinked', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A });
    update({ id: l1, ktpId: 'ktp-2' }); // only the link moves: the record stays
    expect(stored(l1)).toEqual({ topic: A, ktpId: 'ktp-2' });
    expect(read(l1)).toBe(A);
    update({ id: l1, ktpId: 'ktp-2', topic: C }); // relinked with the new entry's topic
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-2' });
    expect(read(l1)).toBe(C);
    update({ id: l1, topic: C }); // the topic alone, equal to the linked entry's
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-2' });
    update({ id: l1, ktpId: null });
    expect(stored(l1)).toEqual({ topic: C, ktpId: null });
    expect(read(l1)).toBe(C);
    update({ id: l1, ktpId: 'ktp-2' }); // linked again: its topic is the entry's, stored once
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-2' });
    update({ id: l1, ktpId: 'ktp-1', topic: null });
    expect(stored(l1)).toEqual({ topic: '', ktpId: 'ktp-1' });
    update({ id: l1, ktpId: null });
    expect(stored(l1)).toEqual({ topic: null, ktpId: null });
    expect(read(l1)).toBeNull();
    expectFoldable();
  });

  it('re-folds a file written with the topic stored twice into the compact form, reading the same', () => {
    school();
    update({ id: l1, ktpId: 'ktp-1', topic: A });
    update({ id: l2, ktpId: 'ktp-2', topic: B });
    const compact = stateChecksum(j.sqlite);
    j.sqlite.prepare('UPDATE lesson SET topic = ? WHERE id = ?').run(A, l1); // as the previous fold stored it
    expect(read(l1)).toBe(A);
    refoldState(j);
    expect(stored(l1)).toEqual({ topic: null, ktpId: 'ktp-1' });
    expect(read(l1)).toBe(A);
    expect(read(l2)).toBe(B);
    expect(stateChecksum(j.sqlite)).toBe(compact);
  });
});
