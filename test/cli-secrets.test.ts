/**
 * The `ejournal` command with secrets and journal files, as a person runs it (a real process, stdin
 * not a terminal): passwords never in argv, an encrypted journal, and an existing file that is not
 * a journal refused without a byte changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { submit } from '../src-main/commands/execute';
import { draft } from '../src-main/journal/log';
import { lookAt } from '../src-main/journal/cipher';
import { makeDemo } from '../src-main/demo/make';
import { tempFile, tinySchool, T } from './support/tiny-school';

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
function ejournal(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EJOURNAL_')));
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['pipe', 'pipe', 'pipe'], input: '', env: { ...clean, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function expectError(r: ReturnType<typeof ejournal>, pattern: RegExp, code = 2) {
  expect(r.code).toBe(code);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function schoolFile(): string {
  const file = tempFile();
  const { j, teacher } = tinySchool(file);
  submit(teacher, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '4' }] }));
  j.close();
  return file;
}

describe('passwords are never in argv', () => {
  const db = tempFile('never-made.sqlite');
  const sync = ['sync', '--db', db, '--server', 'http://127.0.0.1:9/', '--login', 'teacher'];

  it('refuses --password VALUE with the three ways, before anything else', () => {
    const r = ejournal([...sync, '--password', 'demo']);
    expectError(r, /Пароль не указывается в командной строке.*по запросу в терминале.*--password-file ФАЙЛ.*EJOURNAL_PASSWORD/);
    expectError(ejournal(['stats', db, '--password=demo']), /Пароль не указывается в командной строке/);
    expect(existsSync(db)).toBe(false);
  });

  it('without a terminal, a password file or EJOURNAL_PASSWORD: exit 2 with the three ways', () => {
    expectError(ejournal(sync), /^Пароль не указан\. .*--password-file ФАЙЛ.*EJOURNAL_PASSWORD/);
    expect(existsSync(db)).toBe(false);
  });

  it('takes the password from a file or from EJOURNAL_PASSWORD (then it goes on to the server)', () => {
    const pw = tempFile('pw.txt');
    writeFileSync(pw, 'demo\n');
    expectError(ejournal([...sync.map((x) => (x === db ? tempFile('a.sqlite') : x)), '--password-file', pw]), /Сервер .* недоступен/, 1);
    expectError(ejournal(sync.map((x) => (x === db ? tempFile('b.sqlite') : x)), { EJOURNAL_PASSWORD: 'demo' }), /Сервер .* недоступен/, 1);
  });
});

describe('an encrypted journal on the command line', () => {
  it('new-key, encrypt, then every command needs the key: --key-file or EJOURNAL_KEY', () => {
    const file = schoolFile();
    const key = join(mkdtempSync(join(tmpdir(), 'ejournal-key-')), 'school.key');
    expect(ejournal(['new-key', '--out', key]).code).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const stats = JSON.parse(ejournal(['stats', file, '--json']).out) as Record<string, number>;

    expectError(ejournal(['encrypt', '--db', file]), /Укажите ключ: --key-file КЛЮЧ/);
    const enc = ejournal(['encrypt', '--db', file, '--key-file', key]);
    expect(enc.code).toBe(0);
    expect(enc.out).toMatch(/зашифрован; состояние не изменилось/);
    expect(lookAt(file)).toBe('encrypted');

    const before = sha(file);
    expectError(ejournal(['check', file]), /^Журнал «.*» зашифрован: нужен ключ этого компьютера \(--key-file КЛЮЧ или переменная EJOURNAL_KEY\)/);
    expectError(ejournal(['stats', file], { EJOURNAL_KEY: '0'.repeat(64) }), /^Неверный ключ журнала/);
    expect(sha(file)).toBe(before);
    expect(ejournal(['check', file, '--key-file', key]).out).toMatch(/Журнал в порядке/);
    const again = ejournal(['stats', file, '--json'], { EJOURNAL_KEY: readFileSync(key, 'utf8').trim() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual(stats);
    expectError(ejournal(['encrypt', '--db', file, '--key-file', key]), /уже зашифрован/);
    expectError(ejournal(['check', file, '--key', 'ab']), /Ключ журнала не указывается в командной строке/);
  });
});

describe('an existing file is never turned into a journal', () => {
  const cases: [string, (f: string) => void, RegExp][] = [
    ['an empty file', (f) => writeFileSync(f, ''), /пуст \(0 байт\): это не журнал ejournal/],
    ['an SQLite database of another program', (f) => { const d = new Database(f); d.exec('CREATE TABLE t (x)'); d.close(); }, /база SQLite, но не журнал ejournal/],
  ];
  for (const [what, make, message] of cases) {
    it(`check, stats, history and print refuse ${what} and leave it byte for byte`, () => {
      const file = tempFile('school.sqlite');
      make(file);
      const before = sha(file);
      expectError(ejournal(['check', file]), message);
      expectError(ejournal(['stats', file]), message);
      expectError(ejournal(['history', file, '--student', 'Петров', '--date', '2026-09-10', '--subject', 'Русский язык']), message);
      expectError(ejournal(['print', 'summary', '--db', file, '--out', `${file}.pdf`]), message);
      expect(sha(file)).toBe(before);
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(existsSync(`${file}.pdf`)).toBe(false);
    });
  }
});

describe('files with personal data are private', () => {
  it('a demo journal is 0600 in folders made 0700', () => {
    const old = process.umask(0o022);
    try {
      const base = mkdtempSync(join(tmpdir(), 'ejournal-demo-'));
      const out = join(base, 'school', 'year', 'demo.sqlite');
      makeDemo(out, { seed: 1, students: 20, today: '2026-09-20' });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(statSync(join(base, 'school')).mode & 0o777).toBe(0o700);
      expect(statSync(join(base, 'school', 'year')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });
});
