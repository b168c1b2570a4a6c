/**
 * The journal at rest: encrypted with this computer's key (SQLCipher v4), private file modes, and
 * an existing file that is not a journal refused without a byte changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openJournal } from './open';
import { JournalError } from './errors';
import { stateChecksum } from './checksum';
import { verifyJournal } from './verify';
import { encryptJournal } from './encrypt';
import { applyJournalKey, lookAt, newJournalKey } from './cipher';
import { submit } from '../commands/execute';
import { draft } from './log';
import { context, fixedClock, T, tempFile, tinySchool } from '../../test/support/tiny-school';

const KEY = 'a1'.repeat(32);
const OTHER_KEY = 'b2'.repeat(32);
const PUPIL = Buffer.from('Вануйто', 'utf8');

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof JournalError) return { code: e.code, message: e.message };
    return { code: 'other', message: (e as Error).message };
  }
  return { code: 'ok', message: '' };
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const onDisk = (file: string) => Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
const mode = (file: string) => statSync(file).mode & 0o777;

/** The tiny school, made plain and then encrypted, with a mark entered through the encrypted file. */
function encryptedSchool(): { file: string; checksum: string } {
  const file = tempFile();
  tinySchool(file).j.close();
  encryptJournal(file, KEY);
  const j = openJournal(file, { key: KEY });
  submit(context(j, T.teacherAcc, fixedClock('2026-09-10T10:00:00.000Z')),
    draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[1], value: '5' }] }));
  const checksum = stateChecksum(j.sqlite);
  j.close();
  return { file, checksum };
}

describe('an encrypted journal', () => {
  it('round-trips with the key, and its bytes on disk hold no pupil name in clear', () => {
    const plain = tempFile();
    tinySchool(plain).j.close();
    expect(onDisk(plain).includes(PUPIL)).toBe(true); // the check below can fail

    const file = tempFile();
    const { j } = tinySchool(file);
    j.close();
    encryptJournal(file, KEY);
    const k = openJournal(file, { key: KEY });
    submit(context(k, T.admin, fixedClock('2026-08-26T09:00:00.000Z')),
      draft('student.set', { id: 's-9', lastName: 'Вануйто', firstName: 'Илья', classId: T.cls }));
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(onDisk(file).includes(PUPIL)).toBe(false); // the main file and the WAL with the new row
    const sum = stateChecksum(k.sqlite);
    k.close();
    expect(lookAt(file)).toBe('encrypted');
    expect(onDisk(file).includes(PUPIL)).toBe(false);
    const again = openJournal(file, { key: KEY });
    expect(again.stmt("SELECT last_name FROM student WHERE id = 's-9'").pluck().get()).toBe('Вануйто');
    expect(stateChecksum(again.sqlite)).toBe(sum);
    expect(verifyJournal(again)).toMatchObject({ ok: true, problems: [] });
    again.close();
    const ro = openJournal(file, { key: KEY, readonly: true });
    expect(ro.stmt('SELECT count(*) FROM student').pluck().get()).toBe(5);
    ro.close();
  });

  it('is refused without the key, with a wrong key, and a key is refused for a plain file — each unchanged', () => {
    const { file } = encryptedSchool();
    const before = sha(file);
    expect(refusal(() => openJournal(file))).toEqual({ code: 'encrypted', message: `Журнал «${file}» зашифрован: нужен ключ этого компьютера` });
    expect(refusal(() => openJournal(file, { readonly: true })).code).toBe('encrypted');
    const wrong = refusal(() => openJournal(file, { key: OTHER_KEY }));
    expect(wrong.code).toBe('bad_key');
    expect(wrong.message).toMatch(/^Неверный ключ журнала/);
    expect(refusal(() => openJournal(file, { key: 'not-hex' })).code).toBe('bad_key');
    expect(sha(file)).toBe(before);

    const plain = tempFile();
    tinySchool(plain).j.close();
    const plainBefore = sha(plain);
    const keyed = refusal(() => openJournal(plain, { key: KEY }));
    expect(keyed.code).toBe('bad_key');
    expect(keyed.message).toMatch(/^Неверный ключ журнала: журнал .* не зашифрован/);
    expect(sha(plain)).toBe(plainBefore);
  });

  it('is created encrypted when a new journal is opened with a key', () => {
    const file = tempFile();
    const j = openJournal(file, { create: true, key: KEY, device: 'dev9' });
    j.close();
    expect(lookAt(file)).toBe('encrypted');
    expect(openJournal(file, { key: KEY }).device).toBe('dev9');
  });

  it('encrypting a plain journal keeps its state checksum and everything in it', () => {
    const file = tempFile();
    const { j, teacher } = tinySchool(file);
    submit(teacher, draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '4' }] }));
    const before = stateChecksum(j.sqlite);
    const ops = j.stmt('SELECT count(*) FROM op_log').pluck().get();
    const device = j.device;
    j.close();
    expect(encryptJournal(file, KEY)).toEqual({ checksum: before });
    expect(lookAt(file)).toBe('encrypted');
    expect(mode(file)).toBe(0o600);
    for (const f of readdirNames(file)) expect(f).not.toMatch(/encrypt-/); // no temporary copy left
    const k = openJournal(file, { key: KEY });
    expect(stateChecksum(k.sqlite)).toBe(before);
    expect(k.stmt('SELECT count(*) FROM op_log').pluck().get()).toBe(ops);
    expect(k.device).toBe(device);
    expect(verifyJournal(k).ok).toBe(true);
    k.close();
    // Twice is refused, not a second layer.
    expect(refusal(() => encryptJournal(file, KEY))).toMatchObject({ code: 'exists' });
    expect(refusal(() => encryptJournal(file, OTHER_KEY))).toMatchObject({ code: 'bad_key' });
  });

  it('encrypting leaves the plain journal as it was when another program holds it', () => {
    const file = tempFile();
    tinySchool(file).j.close();
    const holder = new Database(file);
    holder.pragma('busy_timeout = 100');
    holder.exec('BEGIN IMMEDIATE');
    try {
      expect(refusal(() => encryptJournal(file, KEY)).code).toBe('locked');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(lookAt(file)).toBe('plain');
    expect(readdirNames(file).filter((f) => f.includes('encrypt-'))).toEqual([]);
    expect(verifyJournal(openJournal(file)).ok).toBe(true);
  });

  it('compacts (VACUUM), attaches a plain file and copies itself (VACUUM INTO) with the key', () => {
    const { file, checksum } = encryptedSchool();
    const j = openJournal(file, { key: KEY });
    j.sqlite.exec('VACUUM');
    expect(stateChecksum(j.sqlite)).toBe(checksum);
    const snap = tempFile('snap.sqlite');
    const s = new Database(snap);
    s.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', 'ejournal-snapshot')");
    s.close();
    // What the snapshot bootstrap does (sync/bootstrap.ts): a plain file into the encrypted journal.
    j.sqlite.prepare("ATTACH DATABASE ? AS snap KEY ''").run(snap);
    expect(j.sqlite.prepare("SELECT value FROM snap.meta WHERE key = 'format'").pluck().get()).toBe('ejournal-snapshot');
    j.sqlite.exec('DETACH DATABASE snap');
    const copy = tempFile('copy.sqlite');
    j.sqlite.prepare('VACUUM INTO ?').run(copy);
    j.close();
    expect(lookAt(copy)).toBe('encrypted'); // a copy keeps the key: no clear copy of an encrypted journal
    const c = openJournal(copy, { key: KEY });
    expect(stateChecksum(c.sqlite)).toBe(checksum);
    c.close();
  });

  it('a raw connection with the key reads it (the key is applied before anything else)', () => {
    const { file } = encryptedSchool();
    const raw = new Database(file, { readonly: true });
    applyJournalKey(raw, KEY);
    expect(raw.prepare('SELECT count(*) FROM student').pluck().get()).toBe(4);
    raw.close();
    expect(newJournalKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(newJournalKey()).not.toBe(newJournalKey());
  });
});

describe('files with personal data are private', () => {
  it('a new journal and its -wal and -shm are 0600, whatever the umask', () => {
    const old = process.umask(0o022);
    try {
      for (const key of [undefined, KEY]) {
        const file = tempFile();
        const j = openJournal(file, { create: true, ...(key ? { key } : {}) });
        j.setMeta('probe', '1'); // the first write after the open
        for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, mode(f)]).toEqual([f, 0o600]);
        j.close();
        expect(mode(file)).toBe(0o600);
        expect(readdirNames(file).filter((f) => f.includes('.new-'))).toEqual([]);
      }
    } finally {
      process.umask(old);
    }
  });
});

describe('an existing file is opened only when it is a journal', () => {
  const cases: [string, (file: string) => void, string, RegExp][] = [
    ['an empty (0-byte) file', (f) => writeFileSync(f, ''), 'not_journal', /пуст \(0 байт\)/],
    ['a text file', (f) => writeFileSync(f, 'это не база данных, а просто текст '.repeat(200)), 'corrupt', /повреждён/],
    ['an SQLite database of another program', (f) => { const d = new Database(f); d.exec('CREATE TABLE notes (t TEXT)'); d.close(); }, 'not_journal', /не журнал ejournal/],
    ['an SQLite database with a meta table of another format', (f) => { const d = new Database(f); d.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', 'something')"); d.close(); }, 'not_journal', /не журнал ejournal/],
    ['an empty SQLite database', (f) => { const d = new Database(f); d.pragma('user_version = 1'); d.close(); }, 'not_journal', /не журнал ejournal/],
  ];
  for (const [what, make, code, message] of cases) {
    it(`refuses ${what} and leaves it byte for byte, even when asked to create`, () => {
      const file = tempFile();
      make(file);
      const before = sha(file);
      for (const o of [{}, { create: true }, { readonly: true }]) {
        const r = refusal(() => openJournal(file, o));
        expect(r.code).toBe(code);
        expect(r.message).toMatch(message);
      }
      expect(sha(file)).toBe(before);
      expect(existsSync(`${file}-wal`)).toBe(false);
    });
  }
});

/** The names in the folder of `file`: temporary copies must not be left there. */
function readdirNames(file: string): string[] {
  return readdirSync(dirname(file));
}
