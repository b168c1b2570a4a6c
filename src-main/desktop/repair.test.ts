/**
 * Repair of a damaged desktop journal from the real server on a loopback port: an encrypted
 * journal is bootstrapped and synced, marks are entered and not sent, bytes of its file are
 * overwritten; the repair salvages the unsent marks, rebuilds the journal from the school's
 * snapshot with the same device id and key, and the next sync sends the marks — and ends with
 * the state's checksum equal to the server's (the sync's own comparison at the head). Unreadable
 * ops are listed, never silently dropped, and then the damaged file is kept.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import { applyJournalKey, newJournalKey, type JournalKey } from '../journal/cipher';
import { draft, type OpDraft } from '../journal/log';
import { openJournal, type Journal } from '../journal/open';
import type { MetaKey } from '../journal/meta-keys';
import { outboxCount } from '../journal/outbox';
import { syncOnce, type SyncFetch } from '../sync/client';
import { fromWire, type PullAnswer } from '../../src-shared/sync/protocol';
import { deviceToken, schoolFile, startServer, type TestServer } from '../../test/support/server';
import { removeTempDirs, storeKinds, tempDir, type StoreHandle } from '../../test/support/stores';
import { fixedClock, T } from '../../test/support/tiny-school';
import { finishInterruptedRepair, journalDamage, RepairError, repairJournal } from './repair';

/** Node's fetch as the sync client's transport (a gzipped push body is bytes). */
const syncFetch: SyncFetch = (u, init) => fetch(u, {
  method: init.method, headers: init.headers,
  ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) }),
});
const clock = fixedClock('2026-09-10T04:30:00.000Z');

let h: StoreHandle;
let t: TestServer;
let url: string;
let computer = 0;

beforeAll(async () => {
  h = await storeKinds()[0]!.open();
  t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
  url = await t.server.listen(0, '127.0.0.1');
}, 60_000);

afterAll(async () => {
  await t?.close();
  await h?.cleanup();
  removeTempDirs();
});

/** The teacher's marks entered on this computer, one op each (in seq order), with a comment that tells them apart. */
function enter(j: Journal, n: number, from: number): OpDraft[] {
  const values = ['5', '4', '3', '5/4'];
  const drafts: OpDraft[] = [];
  for (let k = from; k < from + n; k++) drafts.push(draft('mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[k % 3]!, value: values[k % 4]!, comment: `отметка № ${k}: ответ у доски, работа с текстом` }] }));
  submit({ journal: j, actor: { accountId: T.teacherAcc }, clock, guard: regulationGuard }, ...drafts);
  return drafts;
}

/** Every op of the school's log on the server (pulled with the device token). */
async function serverLog(token: string): Promise<{ ops: PullAnswer['ops'] }> {
  const ops: PullAnswer['ops'] = [];
  for (let after = 0; ;) {
    const r = await fetch(`${url}api/v1/sync/pull?after=${after}&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
    const page = ((await r.json()) as { value: PullAnswer }).value;
    ops.push(...page.ops);
    if (page.cursor >= page.head || page.ops.length === 0) return { ops };
    after = page.cursor;
  }
}

/** A school computer with an encrypted journal: bootstrapped, 10 marks sent, then `unsent` marks entered offline. */
async function computerWithUnsentMarks(unsent: number) {
  const device = `pc${++computer}`;
  const token = await deviceToken(t, device);
  const file = join(tempDir('ejournal-repair-'), 'journal.sqlite');
  const key = newJournalKey();
  const j = openJournal(file, { create: true, device, key });
  expect(await syncOnce({ journal: j, server: url, token, fetch: syncFetch, clock, snapshot: {} })).toMatchObject({ ok: true, checksumMatch: true });
  enter(j, 10, 0);
  expect(await syncOnce({ journal: j, server: url, token, fetch: syncFetch, clock, snapshot: {} })).toMatchObject({ ok: true, pushed: 10 });
  const drafts = enter(j, unsent, 10);
  expect(outboxCount(j)).toBe(unsent);
  j.close(); // checkpointed: the pages are in the file
  return { device, token, file, key, drafts };
}

/** Leaf pages of a table in key order (dbstat through the key). */
function leafPages(file: string, key: JournalKey, table: string): { pageno: number; pageSize: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    applyJournalKey(db, key);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return (db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").pluck().all(table) as number[]).map((pageno) => ({ pageno, pageSize }));
  } finally {
    db.close();
  }
}

/** 64 bytes from a seeded generator over the middle of a page, as a failing disk would. */
function damagePage(file: string, p: { pageno: number; pageSize: number }, seed: number): void {
  let x = seed >>> 0;
  const b = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; b[i] = x >>> 24; }
  const fd = openSync(file, 'r+');
  try { writeSync(fd, b, 0, 64, (p.pageno - 1) * p.pageSize + p.pageSize / 2); } finally { closeSync(fd); }
}

/** Which mark an op or a draft sets (the comment tells each apart), from the wire form or the draft. */
function markOf(op: OpDraft | PullAnswer['ops'][number]): string {
  const p = ('seq' in op ? fromWire(op).payload : op.payload) as { marks: { studentId: string; value: string; comment?: string }[] };
  return p.marks.map((m) => `${m.studentId} ${m.value} ${m.comment}`).join('; ');
}

const repairOptions = (c: { file: string; token: string; device: string; key: JournalKey }) =>
  ({ file: c.file, server: url, token: c.token, fetch: syncFetch, clock, deviceId: c.device, key: c.key });

describe('repairing a damaged journal from the server (real server on loopback)', () => {
  it('damaged state pages: every unsent mark is salvaged with its seq, the journal rebuilt with the same device and key; the next sync sends them and the checksum equals the server\'s', async () => {
    const c = await computerWithUnsentMarks(300);
    // What the computer keeps for its people: carried over as it was.
    const kept: Partial<Record<MetaKey, string>> = { 'signin.key.acc-teacher': '{"salt":"c2FsdA==","iv":"aXY=","tag":"dGFn","data":"ZGF0YQ=="}', 'sync.rejected': '[{"seq":3,"author":"acc-teacher","kind":"mark.set","code":"refused","message":"отказ"}]' };
    const before = openJournal(c.file, { key: c.key });
    for (const [k, v] of Object.entries(kept) as [MetaKey, string][]) before.setMeta(k, v);
    before.close();
    const [page] = leafPages(c.file, c.key, 'mark_cell');
    damagePage(c.file, page!, 11);
    expect(journalDamage(c.file, c.key)).toMatch(/quick_check|SQLITE_CORRUPT|SQLITE_NOTADB/);

    const report = await repairJournal(repairOptions(c));
    expect(report).toMatchObject({ device: c.device, serverLastSeq: 10, salvaged: 300, renumbered: [], lost: [], problems: [], damaged: null });
    expect(report.snapshotSeq).toBeGreaterThan(0);
    expect(readdirSync(join(c.file, '..')).filter((f) => f !== 'journal.sqlite' && !f.startsWith('journal.sqlite-'))).toEqual([]); // nothing left beside it
    expect(journalDamage(c.file, c.key)).toBeNull();

    const j = openJournal(c.file, { key: c.key });
    try {
      expect(j.device).toBe(c.device);
      expect(outboxCount(j)).toBe(300);
      for (const [k, v] of Object.entries(kept) as [MetaKey, string][]) expect(j.meta(k), k).toBe(v);
      const sent = await syncOnce({ journal: j, server: url, token: c.token, fetch: syncFetch, clock, snapshot: {} });
      expect(sent).toMatchObject({ ok: true, pushed: 300, rejected: 0, checksumMatch: true });
      const log = await serverLog(c.token);
      const mine = log.ops.filter((op) => op.device === c.device).sort((a, b) => a.seq - b.seq);
      expect(mine.map((op) => op.seq)).toEqual(Array.from({ length: 310 }, (_, k) => k + 1));
      expect(mine.slice(10).map(markOf)).toEqual(c.drafts.map(markOf));
    } finally {
      j.close();
    }
  });

  it('an op log page that cannot be read: its ops are listed as lost, the rest salvaged (renumbered gap-free after them) and sent; the damaged file is kept', async () => {
    const c = await computerWithUnsentMarks(300);
    const pages = leafPages(c.file, c.key, 'op_record');
    expect(pages.length).toBeGreaterThan(5);
    damagePage(c.file, pages[pages.length - 4]!, 23); // among the unsent ops, with readable ones after it
    const report = await repairJournal(repairOptions(c));

    expect(report.lost.length).toBeGreaterThan(0);
    expect(report.lost.every((l) => /не читается/.test(l.reason))).toBe(true);
    const lost = new Set(report.lost.map((l) => l.seq));
    expect(report.salvaged + lost.size).toBe(300);
    const firstLost = Math.min(...lost);
    expect(report.renumbered[0]).toEqual({ from: Math.max(...lost) + 1, to: firstLost });
    expect(report.damaged).toMatch(/journal\.sqlite\.damaged-/);
    expect(existsSync(report.damaged!)).toBe(true);
    // The damaged file is as it was: what could not be read there can still be looked at.
    expect(journalDamage(report.damaged!, c.key)).not.toBeNull();

    const j = openJournal(c.file, { key: c.key });
    try {
      expect(JSON.parse(j.meta('repair.lost')!)).toEqual(report.lost);
      const sent = await syncOnce({ journal: j, server: url, token: c.token, fetch: syncFetch, clock, snapshot: {} });
      expect(sent).toMatchObject({ ok: true, pushed: report.salvaged, rejected: 0, checksumMatch: true });
      const log = await serverLog(c.token);
      const mine = log.ops.filter((op) => op.device === c.device).sort((a, b) => a.seq - b.seq);
      // Seqs 11…310 on this computer: the salvaged ones, in order, without the lost — gap-free on the server.
      expect(mine.slice(10).map(markOf)).toEqual(c.drafts.filter((_, k) => !lost.has(11 + k)).map(markOf));
      expect(mine.map((op) => op.seq)).toEqual(Array.from({ length: 10 + report.salvaged }, (_, k) => k + 1));
    } finally {
      j.close();
    }
  });

  it('changes nothing when the journal is sound, or when the server cannot be reached', async () => {
    const c = await computerWithUnsentMarks(5);
    await expect(repairJournal(repairOptions(c))).rejects.toMatchObject({ code: 'not_damaged' });
    const [page] = leafPages(c.file, c.key, 'mark_cell');
    damagePage(c.file, page!, 5);
    const before = readFileSync(c.file);
    const offline: SyncFetch = async () => { throw new TypeError('fetch failed'); };
    const err = await repairJournal({ ...repairOptions(c), fetch: offline, snapshot: { download: async () => { throw new TypeError('fetch failed'); } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RepairError);
    expect((err as RepairError).code).toBe('server');
    expect(readFileSync(c.file).equals(before)).toBe(true);
    expect(readdirSync(join(c.file, '..')).filter((f) => f.includes('.repair') || f.includes('.damaged-'))).toEqual([]);
    expect(finishInterruptedRepair(c.file)).toBe('none');
  });

  it('a repair killed between its two renames is finished on the next start (the new journal in place, the damaged one aside)', async () => {
    const c = await computerWithUnsentMarks(3);
    const [page] = leafPages(c.file, c.key, 'mark_cell');
    damagePage(c.file, page!, 9);
    // The state a kill leaves after the marker: the finished new journal beside the damaged one.
    const good = await computerWithUnsentMarks(1);
    const tmp = `${c.file}.repair`;
    writeFileSync(tmp, readFileSync(good.file));
    const aside = `${c.file}.damaged-test`;
    writeFileSync(`${c.file}.repair.json`, JSON.stringify({ tmp, aside }));
    const damagedBytes = readFileSync(c.file);
    expect(finishInterruptedRepair(c.file)).toBe('finished');
    expect(readFileSync(c.file).equals(readFileSync(good.file))).toBe(true);
    expect(readFileSync(aside).equals(damagedBytes)).toBe(true);
    expect(existsSync(tmp) || existsSync(`${c.file}.repair.json`)).toBe(false);
    expect(finishInterruptedRepair(c.file)).toBe('none');
  });
});
