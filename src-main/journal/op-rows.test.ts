import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatHlc, parseOp } from '../../src-shared/ops/envelope';
import { execute, submit } from '../commands/execute';
import { draft, insertLogged, packLog, readLog, replay } from './log';
import { hlcParts, hlcText } from './op-rows';
import { openJournal } from './open';
import { stateChecksum } from './checksum';
import { T, tempFile, tinySchool } from '../../test/support/tiny-school';

const FIXTURE_V0 = fileURLToPath(new URL('../../test/fixtures/journal-v0.sqlite', import.meta.url));
const LOG_COLUMNS = 'pos, device, seq, server_seq, author, kind, version, hlc, payload, scope';

describe('the compact op log (migration 0004)', () => {
  it('stores an HLC stamp as integers and gives back the same text; a stamp that would not round-trip is kept as text', () => {
    expect(hlcParts('2026-09-01T03:45:00.000Z-0000')).toEqual([Date.parse('2026-09-01T03:45:00.000Z'), 0]);
    expect(hlcParts('2026-09-01T03:45:00.123Z-00az')).toEqual([Date.parse('2026-09-01T03:45:00.123Z'), 36 * 10 + 35]);
    for (const odd of ['2026-02-30T10:00:00.000Z-0000', '2026-09-01T03:45:00.000Z-0A00', '2026-09-01T25:00:00.000Z-0001']) {
      expect(hlcParts(odd)).toEqual([odd, null]);
    }
    for (const h of ['2026-09-01T03:45:00.000Z-0000', '2027-05-25T23:59:59.999Z-zzzz', '1999-12-31T00:00:00.001Z-0001']) {
      const [v, c] = hlcParts(h);
      expect(hlcText(v, c)).toBe(h);
    }
    fc.assert(fc.property(fc.integer({ min: 0, max: 253402300799999 }), fc.integer({ min: 0, max: 36 ** 4 - 1 }), (ms, c) => {
      const h = formatHlc(ms, c);
      expect(hlcParts(h)).toEqual([ms, c]);
      expect(hlcText(ms, c)).toBe(h);
    }), { seed: 4, numRuns: 2000 });
  });

  it('reads back an op whose stamp is stored as text, through readLog and the op_log view', () => {
    const { j } = tinySchool();
    const odd = '2026-02-30T10:00:00.000Z-0007'; // passes the envelope's pattern, is no real instant
    const op = parseOp({ device: 'other', seq: 1, author: 'acc-x', kind: 'diary.ack', version: 1, hlc: odd, payload: { studentId: T.students[0] } }, 'logged'); // a new op with it is refused: only a log may hold one
    const pos = j.sqlite.transaction(() => insertLogged(j, op, 41))();
    expect(j.sqlite.prepare('SELECT typeof(hlc) FROM op_record WHERE pos = ?').pluck().get(pos)).toBe('text');
    expect(j.sqlite.prepare('SELECT device, author, kind, hlc, server_seq FROM op_log WHERE pos = ?').get(pos)).toEqual({ device: 'other', author: 'acc-x', kind: 'diary.ack', hlc: odd, server_seq: 41 });
    expect([...readLog(j, pos - 1)][0]).toMatchObject({ device: 'other', seq: 1, author: 'acc-x', hlc: odd, serverSeq: 41, payload: { studentId: T.students[0] } });
    j.close();
  });

  it('keeps a name whose first use was rolled back (the name cache cannot point at a missing or reused code)', () => {
    const { j } = tinySchool();
    const op = (seq: number, author: string) => parseOp({ device: 'other', seq, author, kind: 'diary.ack', version: 1, hlc: '2026-09-10T10:00:00.000Z-0000', payload: { studentId: T.students[0] } });
    const tx = j.sqlite.transaction((o: ReturnType<typeof op>) => {
      insertLogged(j, o);
      throw new Error('rolled back');
    });
    expect(() => tx(op(1, 'acc-first'))).toThrow('rolled back');
    j.sqlite.transaction(() => insertLogged(j, op(1, 'acc-first')))(); // every name "known", one of them gone
    j.sqlite.transaction(() => insertLogged(j, op(2, 'acc-second')))();
    expect(j.sqlite.prepare("SELECT seq, author FROM op_log WHERE device = 'other' ORDER BY seq").all()).toEqual([{ seq: 1, author: 'acc-first' }, { seq: 2, author: 'acc-second' }]);
    j.close();
  });

  it('writes through the op_log view only what may change: server_seq, and deletion of a rejected op', () => {
    const { j } = tinySchool();
    const last = j.sqlite.prepare("SELECT max(seq) FROM op_log WHERE device = 'dev1'").pluck().get() as number;
    j.sqlite.prepare("UPDATE op_log SET server_seq = 7 WHERE device = 'dev1' AND seq = ?").run(last);
    expect(j.sqlite.prepare("SELECT server_seq FROM op_record r JOIN op_name d ON d.id = r.device WHERE d.name = 'dev1' AND r.seq = ?").pluck().get(last)).toBe(7);
    expect(() => j.sqlite.prepare("UPDATE op_log SET author = 'acc-evil' WHERE device = 'dev1' AND seq = ?").run(last)).toThrow(/only server_seq/);
    j.sqlite.prepare("DELETE FROM op_log WHERE device = 'dev1' AND seq = ?").run(last);
    expect(j.sqlite.prepare("SELECT max(seq) FROM op_log WHERE device = 'dev1'").pluck().get()).toBe(last - 1);
    j.close();
  });

  it('packs only whole blocks of old ops, once, and keeps the newest inline', () => {
    const { j, teacher } = tinySchool();
    for (let i = 0; i < 30; i++) submit(teacher, draft('mark.set', { lessonId: T.lessons[i % 3]!, marks: [{ studentId: T.students[i % 3]!, value: String(2 + (i % 4)) }] }));
    const total = j.sqlite.prepare('SELECT count(*) FROM op_record').pluck().get() as number;
    const view = j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all();
    const packed = packLog(j, { keepRecent: 10, blockSize: 16 });
    expect(packed % 16).toBe(0);
    expect(packed).toBe(Math.floor((total - 10) / 16) * 16);
    expect(packLog(j, { keepRecent: 10, blockSize: 16 })).toBe(0);
    expect(j.sqlite.prepare('SELECT count(*) FROM op_record WHERE payload IS NULL').pluck().get()).toBe(packed);
    expect(j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all()).toEqual(view);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    j.close();
  });

  it('sizes blocks to four database pages by default, in order, and reads back every op', () => {
    const { j, teacher } = tinySchool();
    const values = ['5', '4', '3', '2', '5/4', '4/3'];
    for (let k = 0; k < 24; k++) {
      execute(teacher, () => Array.from({ length: 500 }, (_, i) => draft('mark.set', { lessonId: T.lessons[i % 3]!, marks: [{ studentId: T.students[(i + k) % 3]!, value: values[(i * 7 + k) % 6]!, comment: `№ ${k * 500 + i}` }] })));
    }
    const view = j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all();
    const packed = packLog(j, { keepRecent: 0 });
    const blocks = j.sqlite.prepare('SELECT first_pos AS first, last_pos AS last, length(data) AS bytes FROM op_block ORDER BY first_pos').all() as { first: number; last: number; bytes: number }[];
    expect(blocks.length).toBeGreaterThan(1);
    const pageSize = j.sqlite.pragma('page_size', { simple: true }) as number;
    for (const b of blocks) expect(b.bytes).toBeLessThanOrEqual(4 * pageSize - 160);
    expect(Math.max(...blocks.slice(0, -1).map((b) => b.bytes))).toBeGreaterThan(pageSize); // no longer cut at one page
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.first).toBeGreaterThan(blocks[i - 1]!.last);
    expect(j.sqlite.prepare('SELECT count(*) FROM op_record WHERE payload IS NULL').pluck().get()).toBe(packed);
    expect(j.sqlite.prepare('SELECT count(*) FROM op_record WHERE payload IS NOT NULL AND pos <= ?').pluck().get(blocks.at(-1)!.last)).toBe(0);
    expect(j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all()).toEqual(view);
    j.close();
  });

  it('upgrades an old file losslessly: every op reads back as it was stored, and the file packs and re-folds', () => {
    const file = tempFile();
    copyFileSync(FIXTURE_V0, file);
    const old = new Database(file, { readonly: true });
    const before = old.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all();
    old.close();
    expect(before.length).toBeGreaterThan(10);

    const j = openJournal(file);
    expect(j.sqlite.prepare("SELECT type FROM sqlite_master WHERE name = 'op_log'").pluck().get()).toBe('view');
    expect(j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all()).toEqual(before);
    packLog(j, { keepRecent: 0, blockSize: 4 });
    expect(j.sqlite.prepare('SELECT count(*) FROM op_record WHERE payload IS NULL').pluck().get()).toBeGreaterThan(0);
    expect(j.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all()).toEqual(before);
    expect(replay(j).checksum).toBe(stateChecksum(j.sqlite));
    j.close();

    const again = openJournal(file); // reopened by a new connection: the view decodes the blocks there too
    expect(again.sqlite.prepare(`SELECT ${LOG_COLUMNS} FROM op_log ORDER BY pos`).all()).toEqual(before);
    again.close();
  });
});
