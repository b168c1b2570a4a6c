import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_MIGRATIONS, openJournal } from './open';
import { JournalError } from './errors';
import { verifyJournal } from './verify';
import { stateChecksum } from './checksum';
import { submit } from '../commands/execute';
import { draft } from './log';
import { context, fixedClock, T, tempFile } from '../../test/support/tiny-school';

const FIXTURE_V0 = fileURLToPath(new URL('../../test/fixtures/journal-v0.sqlite', import.meta.url));
const codeOf = (fn: () => unknown) => { try { fn(); return 'ok'; } catch (e) { return e instanceof JournalError ? e.code : `other: ${(e as Error).message}`; } };

describe('opening a journal file', () => {
  it('upgrades a file made by the first schema version and keeps its data', () => {
    const file = tempFile();
    copyFileSync(FIXTURE_V0, file);
    const j = openJournal(file);
    const known = (JSON.parse(readFileSync(join(DEFAULT_MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
    expect(known).toBeGreaterThanOrEqual(2);
    expect(j.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(known);
    expect(j.device).toBe('v0dev');
    expect(j.sqlite.prepare("SELECT value FROM mark WHERE student_id = 's-1'").pluck().get()).toBe('5/4');
    // 0005: the twelve unsent ops stay unsent, as one run of seqs; marks read as before through the view.
    expect(j.sqlite.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(j.sqlite.prepare('SELECT first, last FROM outbox_range').all()).toEqual([{ first: 1, last: 12 }]);
    expect(j.sqlite.prepare("SELECT col FROM mark_cell WHERE student_id = 's-1'").pluck().get()).toBe('');
    // The same checksum the program before migration 0005 (commit 0b6a303) gives this file: the
    // storage changed, not the state, so desktops and a server on either side of the upgrade agree.
    expect(stateChecksum(j.sqlite)).toBe('1f8f8c62c85ecc715833f93966c7c3aa15db3196a13a20d6bd0d880df1e5a9fe');
    expect(verifyJournal(j)).toMatchObject({ ok: true, problems: [] });
    // The tables the upgrade added work, and the device's numbering continues without a gap.
    submit(context(j, 'acc-deputy', fixedClock()), draft('attestation.decision', { yearId: T.year, subjectId: T.subject, term: 'annual', studentId: 's-1', attest: true, note: 'по заявлению родителей' }));
    expect(j.sqlite.prepare('SELECT count(*) FROM attestation_decision').pluck().get()).toBe(1);
    expect(j.sqlite.prepare("SELECT max(seq) FROM op_log WHERE device = 'v0dev'").pluck().get()).toBe(13);
    expect(verifyJournal(j).ok).toBe(true);
    j.close();
  });

  it('gives the space back after a re-fold that left a large part of the file free, and only then', () => {
    const file = tempFile();
    const j = openJournal(file, { create: true, device: 'dev1' });
    j.sqlite.exec("CREATE TABLE filler (t TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT hex(randomblob(1000)) FROM n;");
    j.close();
    const fill = new Database(file);
    fill.exec('DROP TABLE filler');
    fill.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    expect(fill.pragma('freelist_count', { simple: true })).toBeGreaterThan(400);
    fill.close();
    openJournal(file).close(); // no re-fold asked: the free pages stay for the tables to grow into
    expect(statSync(file).size).toBe(before);
    const ask = new Database(file);
    ask.prepare("INSERT INTO meta (key, value) VALUES ('refold', 'test')").run();
    ask.close();
    const k = openJournal(file);
    expect(k.sqlite.pragma('freelist_count', { simple: true })).toBe(0);
    expect(k.meta('refold')).toBeUndefined();
    k.close();
    expect(statSync(file).size).toBeLessThan(before / 4);
  });

  it('refuses a file made by a newer version of the program', () => {
    const file = tempFile();
    copyFileSync(FIXTURE_V0, file);
    openJournal(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now());
    db.close();
    expect(codeOf(() => openJournal(file))).toBe('too_new');
  });

  it('does not create a missing file unless asked to', () => {
    const file = tempFile();
    expect(codeOf(() => openJournal(file))).toBe('not_found');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const file = tempFile();
    const junk = Buffer.from('это не база данных, а просто текст '.repeat(200));
    writeFileSync(file, junk);
    expect(codeOf(() => openJournal(file))).toBe('corrupt');
    expect(Buffer.compare(junk, readFileSync(file))).toBe(0);
  });

  it('refuses an SQLite database that is not a journal', () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec('CREATE TABLE notes (t TEXT)');
    db.close();
    expect(codeOf(() => openJournal(file))).toBe('not_journal');
  });

  // It gives up after the busy timeout (5 s, open.ts); how long that takes is the clock's business,
  // not this test's: a hang would hit vitest's test timeout.
  it('answers «locked» when another program holds the file', () => {
    const file = tempFile();
    openJournal(file, { create: true }).close();
    const holder = new Database(file);
    holder.pragma('journal_mode = DELETE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(codeOf(() => openJournal(file))).toBe('locked');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

