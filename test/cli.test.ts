/** The `ejournal` command as a person runs it: a real process, real files. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { submit } from '../src-main/commands/execute';
import { draft } from '../src-main/journal/log';
import { tempFile, tinySchool, T } from './support/tiny-school';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
function ejournal(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function schoolFile(): string {
  const file = tempFile();
  const { j, teacher } = tinySchool(file);
  submit(teacher, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '4' }] }));
  teacher.clock.set('2026-09-10T10:05:00.000Z');
  submit(teacher, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5/4' }] }));
  submit(teacher, draft('attendance.set', { lessonId: T.lessons[0], entries: [{ studentId: T.students[1], absent: true }] }));
  j.close();
  return file;
}

/** One line on stderr, in Russian, exit code 2. */
function expectUsageError(r: ReturnType<typeof ejournal>, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

describe('ejournal CLI', () => {
  it('prints help in Russian', () => {
    const r = ejournal('help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ejournal demo --out FILE/);
  });

  it('answers an unknown command and an unknown option with one line and exit 2', () => {
    expectUsageError(ejournal('frobnicate'), /Неизвестная команда «frobnicate»/);
    expectUsageError(ejournal('stats', 'x.sqlite', '--colour'), /Неизвестный или неверный параметр --colour/);
  });

  it('stats --json prints exactly the agreed keys', () => {
    const r = ejournal('stats', schoolFile(), '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as Record<string, number>;
    expect(Object.keys(s)).toEqual(['students', 'classes', 'lessons', 'marks', 'absences', 'ops']);
    expect(s).toMatchObject({ students: 4, classes: 2, lessons: 3, marks: 1, absences: 1 });
  });

  it('does not create a missing file', () => {
    const file = tempFile('missing.sqlite');
    expectUsageError(ejournal('stats', file), /не найден/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a corrupt file and leaves it byte for byte as it was', () => {
    const file = tempFile('broken.sqlite');
    const bytes = Buffer.alloc(8192, 0x5a);
    writeFileSync(file, bytes);
    expectUsageError(ejournal('check', file), /повреждён/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('check passes on a good journal and names the table when the state was tampered with', () => {
    const file = schoolFile();
    const ok = ejournal('check', file);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Журнал в порядке/);
    const db = new Database(file);
    db.prepare("UPDATE mark_cell SET value = '2'").run();
    db.close();
    const bad = ejournal('check', file);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/таблица mark: состояние не совпадает/);
  });

  it('history shows every value of a cell with author and device; a Latin «5A» finds 5А', () => {
    const file = schoolFile();
    const r = ejournal('history', file, '--student', 'Петров', '--date', '2026-09-10', '--subject', 'русский язык', '--class', '5A', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const h = JSON.parse(r.out) as { history: { value: string; previous: string | null; author: string; device: string; at: string }[] };
    expect(h.history.map((e) => [e.previous, e.value])).toEqual([[null, '4'], ['4', '5/4']]);
    expect(h.history[1]).toMatchObject({ author: T.teacherAcc, device: 'dev1', at: '2026-09-10T10:05:00.000Z' });
  });

  it('suggests the class when it is typed on the wrong keyboard layout', () => {
    expectUsageError(ejournal('history', schoolFile(), '--student', 'Петров', '--date', '2026-09-10', '--subject', 'Русский язык', '--class', '5F'), /Возможно, вы имели в виду «5А»/);
  });

  it('refuses wrong arguments of demo without creating anything', () => {
    const out = tempFile('demo.sqlite');
    expectUsageError(ejournal('demo', '--out', out, '--seed', 'abc'), /--seed должно быть целым числом/);
    expectUsageError(ejournal('demo', '--out', out, '--today', '2026-13-01'), /--today — дата/);
    expect(existsSync(out)).toBe(false);
    const existing = schoolFile();
    const before = readFileSync(existing);
    expectUsageError(ejournal('demo', '--out', existing), /уже существует/);
    expect(readFileSync(existing).equals(before)).toBe(true);
  });

  it('call: a «2» on 10 September is refused with the clause (exit 1); on 16 September it is accepted (exit 0) (п. 7.14)', () => {
    const file = schoolFile();
    const input = (lessonId: string) => JSON.stringify({ lessonId, marks: [{ studentId: T.students[2], value: '2' }] });
    const refused = ejournal('call', file, '--as', 'teacher', 'mark.set', input(T.lessons[0]), '--now', '2026-09-10T09:30');
    expect(refused.code).toBe(1);
    const env = JSON.parse(refused.out) as { ok: boolean; error: { message: string; requirement: string } };
    expect(env.ok).toBe(false);
    expect(env.error.requirement).toBe('R-ADAPTATION');
    expect(env.error.message).toMatch(/п\. 7\.14/);
    const accepted = ejournal('call', file, '--as', 'teacher', 'mark.set', input(T.lessons[2]), '--now', '2026-09-16T10:30');
    expect(accepted.err).toBe('');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.out)).toMatchObject({ ok: true, value: { ops: 1 } });
  });

  it('call: bad usage exits 2 and changes nothing', () => {
    const file = schoolFile();
    const before = readFileSync(file);
    expectUsageError(ejournal('call', file, '--as', 'nobody', 'mark.set', '{}'), /Учётная запись «nobody» не найдена/);
    expectUsageError(ejournal('call', file, '--as', 'teacher', 'mark.set', '{not json'), /не JSON/);
    expectUsageError(ejournal('call', file, '--as', 'teacher', 'mark.set', '{}', '--now', 'вчера'), /--now/);
    const bad = ejournal('call', file, '--as', 'teacher', 'mark.set', '{}');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('docs/api.md is generated from the contract and current', () => {
    const r = ejournal('api-doc');
    expect(r.code).toBe(0);
    expect(readFileSync(fileURLToPath(new URL('../docs/api.md', import.meta.url)), 'utf8')).toBe(r.out);
  });
});
