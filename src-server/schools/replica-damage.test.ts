/**
 * A damaged replica is never served. Real SQLite files, real HTTP on loopback:
 * - 64 random bytes written into the data pages of a replica between two runs → the next start
 *   moves it aside and rebuilds it; 300 reads answer exactly as a replica built from the store;
 * - an SQLITE_CORRUPT while running → the request gets a Russian 503, health is `degraded` (503)
 *   while the replica is rebuilt in the background, then reads and writes are correct again;
 * - the server's files with personal data are 0700 folders and 0600 files (by stat).
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { allowAll, submit } from '../../src-main/commands/execute';
import { draft, type OpDraft } from '../../src-main/journal/log';
import { openJournal } from '../../src-main/journal/open';
import { stateChecksum } from '../../src-main/journal/checksum';
import { captureLog, schoolFile, startServer, PASSWORD, type TestServer } from '../../test/support/server';
import { removeTempDirs, storeKinds, tempDir, type StoreHandle } from '../../test/support/stores';
import { fixedClock, T } from '../../test/support/tiny-school';
import { openStore } from '../store/open';
import { Snapshots } from '../sync/snapshot';
import { CLEAN_MARK } from './integrity';

const UNAVAILABLE = 'Данные школы восстанавливаются, повторите через минуту';

afterAll(() => removeTempDirs());

/** The tiny school with 40 more lessons (with topics) and three marks each: some pages of data to damage. */
function richSchool(): string {
  const file = schoolFile();
  const j = openJournal(file);
  try {
    const lessons: OpDraft[] = [];
    const marks: OpDraft[] = [];
    const values = ['5', '4', '3', '5/4', '4/3'];
    for (let k = 0; k < 40; k++) {
      const id = `l-extra-${k}`;
      const day = new Date(Date.UTC(2026, 8, 1 + k));
      lessons.push(draft('lesson.create', { id, courseId: T.course, date: day.toISOString().slice(0, 10), number: 1 + (k % 6), topic: `Тема урока № ${k}: правописание приставок и суффиксов` }));
      marks.push(draft('mark.set', { lessonId: id, marks: T.students.map((studentId, s) => ({ studentId, value: values[(k + s) % 5]!, comment: `комментарий ${k}-${s}` })) }));
    }
    submit({ journal: j, actor: { accountId: T.admin }, clock: fixedClock('2026-08-25T09:00:00.000Z'), guard: allowAll }, ...lessons);
    submit({ journal: j, actor: { accountId: T.teacherAcc }, clock: fixedClock('2026-10-20T09:00:00.000Z'), guard: allowAll }, ...marks);
  } finally {
    j.close();
  }
  return file;
}

/** 300 reads of what the school's people see: gradebook, diaries, lessons, cell histories. */
function readPlan(): { who: 'teacher' | 'parent'; method: string; input: unknown }[] {
  const plan: { who: 'teacher' | 'parent'; method: string; input: unknown }[] = [];
  for (let k = 0; plan.length < 300; k++) {
    const lessonId = `l-extra-${k % 40}`;
    const studentId = T.students[k % 3];
    switch (k % 5) {
      case 0: plan.push({ who: 'teacher', method: 'gradebook.get', input: { courseId: T.course, periodId: T.period1 } }); break;
      case 1: plan.push({ who: 'teacher', method: 'lesson.get', input: { lessonId } }); break;
      case 2: plan.push({ who: 'teacher', method: 'cell.history', input: { kind: 'mark', lessonId, studentId } }); break;
      case 3: plan.push({ who: 'parent', method: 'diary.week', input: { studentId: T.students[0], week: new Date(Date.UTC(2026, 8, 7 + 7 * (k % 6))).toISOString().slice(0, 10) } }); break;
      default: plan.push({ who: 'teacher', method: 'attendance.week', input: { classId: T.cls, week: '2026-09-14' } }); break;
    }
  }
  return plan;
}

/** A browser's session over real HTTP. */
async function httpLogin(url: string, login: string): Promise<string> {
  const r = await fetch(`${url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) });
  if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${await r.text()}`);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

async function rpc(url: string, cookie: string, method: string, input: unknown): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const r = await fetch(`${url}api/v1/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(input) });
  return { status: r.status, text: await r.text(), retryAfter: r.headers.get('retry-after') };
}

async function health(url: string): Promise<{ status: number; body: { ok: boolean; value?: { status: string; rebuilding?: { schoolId: string; reason: string }[] } } }> {
  const r = await fetch(`${url}api/v1/health`);
  return { status: r.status, body: await r.json() as never };
}

/** Every read of the plan, as the server answered it (status and body). */
async function readAll(url: string): Promise<string[]> {
  const cookies = { teacher: await httpLogin(url, 'teacher'), parent: await httpLogin(url, 'parent') };
  const out: string[] = [];
  for (const r of readPlan()) {
    const a = await rpc(url, cookies[r.who], r.method, r.input);
    out.push(`${a.status} ${a.text}`);
  }
  return out;
}

/** A deterministic byte source (a disk or an attacker need not be random; the test must repeat). */
function bytes(n: number, seed: number): Buffer {
  let x = seed >>> 0;
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Leaf pages of a table (dbstat), read from a closed, checkpointed file. */
function leafPages(file: string, table: string): { pageno: number; pageSize: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
    return pages.map((pageno) => ({ pageno, pageSize }));
  } finally {
    db.close();
  }
}

/** The offset of `text` inside a page of `table` (not the same text in the op log's pages). */
function textIn(file: string, text: string, table: string): number {
  const buf = readFileSync(file);
  const db = new Database(file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const owner = db.prepare('SELECT name FROM dbstat WHERE pageno = ?').pluck();
    for (let at = buf.indexOf(text); at >= 0; at = buf.indexOf(text, at + 1)) {
      if (owner.get(Math.floor(at / pageSize) + 1) === table) return at;
    }
  } finally {
    db.close();
  }
  throw new Error(`«${text}» is not in a page of ${table}`);
}

function overwrite(file: string, offset: number, data: Buffer): void {
  const fd = openSync(file, 'r+');
  try { writeSync(fd, data, 0, data.length, offset); } finally { closeSync(fd); }
}

/** Damaged replicas moved aside (without their -wal/-shm). */
const damagedFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('replica.sqlite.damaged-') && !/-(wal|shm|journal)$/.test(f));

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

for (const kind of storeKinds()) {
  describe(`a damaged replica is rebuilt, never served (${kind.name} store)`, () => {
    const servers: TestServer[] = [];
    const handles: StoreHandle[] = [];
    afterAll(async () => {
      for (const s of servers) await s.close().catch(() => undefined);
      for (const h of handles) {
        await h.store.close().catch(() => undefined);
        await h.cleanup();
      }
    });

    async function serve(h: StoreHandle, dataDir: string, o: Parameters<typeof startServer>[1] = {}) {
      const store = await h.reopen();
      const t = await startServer({ ...h, store, dataDir }, { readCacheMs: 0, ...o });
      servers.push(t);
      const url = await t.server.listen(0, '127.0.0.1');
      return { t, url };
    }

    async function stop(t: TestServer) {
      servers.splice(servers.indexOf(t), 1);
      await t.close();
    }

    it('64 bytes overwritten in its data pages between two runs: moved aside and rebuilt at start; 300 reads equal a replica built from the store; health ok', async () => {
      const h = await kind.open();
      handles.push(h);
      const first = await serve(h, h.dataDir, { schools: [{ id: 'tiny', file: richSchool() }] });
      const file = (await first.t.server.schools.get('tiny')).file;
      await stop(first.t); // a clean close: the replica and its digest stay
      expect(existsSync(join(h.dataDir, 'schools', 'tiny', CLEAN_MARK))).toBe(true);

      // 32 bytes over a lesson's topic and 32 over a mark's comment, in the state's pages (a row's text:
      // invisible to quick_check), as a failing disk or someone with the file would.
      const hits = [textIn(file, 'Тема урока № 17: правописание', 'lesson'), textIn(file, 'комментарий 23-1', 'mark_cell')];
      hits.forEach((at, k) => overwrite(file, at, bytes(32, 7 + k)));
      // The damage is real: the state read from this file is not the store's (or cannot be read).
      const reference = await serve(h, tempDir()); // a replica built from the store alone
      const truth = stateChecksum((await reference.t.server.schools.get('tiny')).view.sqlite);
      let seen: string;
      const look = new Database(file, { readonly: true });
      try { seen = stateChecksum(look); } catch (err) { seen = String(err); } finally { look.close(); }
      expect(seen).not.toBe(truth);

      const { logger, capture } = captureLog();
      const again = await serve(h, h.dataDir, { logger });
      expect(capture.text()).toMatch(/replica damaged: the file changed after its clean close|replica unreadable/);
      expect(capture.text()).toMatch(/"msg":"replica rebuilt"/);
      expect(damagedFiles(join(h.dataDir, 'schools', 'tiny')), 'the damaged file is kept for inspection').toHaveLength(1);

      const got = await readAll(again.url);
      const want = await readAll(reference.url);
      expect(got).toHaveLength(300);
      const wrong = got.filter((g, k) => g !== want[k]);
      expect(wrong.length, `garbled reads: ${wrong.slice(0, 2).join(' | ').slice(0, 400)}`).toBe(0);
      expect(got.every((g) => g.startsWith('200 '))).toBe(true);
      expect(stateChecksum((await again.t.server.schools.get('tiny')).view.sqlite)).toBe(truth);
      expect(await health(again.url)).toMatchObject({ status: 200, body: { ok: true, value: { status: 'ok' } } });
    });

    it('an SQLITE_CORRUPT while running: a Russian 503 (no garbage), health degraded (503) until the background rebuild, then correct reads and writes', async () => {
      const h = await kind.open();
      handles.push(h);
      const { logger, capture } = captureLog();
      const { t, url } = await serve(h, h.dataDir, { schools: [{ id: 'tiny', file: richSchool() }], logger });
      const reference = await serve(h, tempDir());
      const want = await readAll(reference.url);
      const teacher = await httpLogin(url, 'teacher');
      const parent = await httpLogin(url, 'parent');
      const replica = await t.server.schools.get('tiny');

      // The rebuild waits at its first store read until released: the degraded window can be looked at.
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const getSnapshot = t.server.store.getSnapshot.bind(t.server.store);
      t.server.store.getSnapshot = async (schoolId) => { await gate; return getSnapshot(schoolId); };

      // Fold the WAL into the file (readers drop their cached pages), then break the student table's pages on disk.
      await replica.exclusive(async (r) => { r.journal.sqlite.pragma('wal_checkpoint(TRUNCATE)'); });
      const pages = leafPages(replica.file, 'student');
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) overwrite(replica.file, (p.pageno - 1) * p.pageSize, bytes(64, p.pageno));

      const diary = await rpc(url, parent, 'diary.week', { studentId: T.students[0], week: '2026-09-07' });
      expect(diary.status).toBe(503);
      expect(JSON.parse(diary.text)).toEqual({ ok: false, error: { code: 'unavailable', message: UNAVAILABLE } });
      expect(diary.retryAfter).toBe('60');
      const degraded = await health(url);
      expect(degraded.status).toBe(503);
      expect(degraded.body).toMatchObject({ ok: true, value: { status: 'degraded', rebuilding: [{ schoolId: 'tiny' }] } });
      expect(degraded.body.value!.rebuilding![0]!.reason).toMatch(/malformed|corrupt/i);
      // Writes wait for the rebuild too: refused with the same 503, nothing appended.
      const head = (await t.server.store.school('tiny'))!.head;
      const mark = await rpc(url, teacher, 'mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[1], value: '5' }] });
      expect(mark.status).toBe(503);
      expect(JSON.parse(mark.text).error.message).toBe(UNAVAILABLE);
      expect((await t.server.store.school('tiny'))!.head).toBe(head);

      release();
      await replica.repaired();
      expect(await health(url)).toMatchObject({ status: 200, body: { value: { status: 'ok' } } });
      expect(capture.text()).toMatch(/replica damaged; answering 503/);
      expect(capture.text()).toMatch(/replica back in service/);
      expect(damagedFiles(join(h.dataDir, 'schools', 'tiny'))).toHaveLength(1);
      const got = await readAll(url);
      expect(got.filter((g, k) => g !== want[k])).toEqual([]);
      const again = await rpc(url, teacher, 'mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[1], value: '5' }] });
      expect(again.status).toBe(200);
      expect((await t.server.store.school('tiny'))!.head).toBe(head + 1);
      expect(replica.serverSeq).toBe(head + 1);
    });

    if (kind.name === 'sqlite') {
      it('keeps personal data private: the data folder and school folders 0700; store, replica, WAL, snapshots and sidecars 0600', async () => {
        const old = process.umask(0o022); // the usual umask: files would be 0644 and folders 0755 unless made private
        try {
          const dataDir = join(tempDir(), 'data');
          const store = await openStore({ dataDir });
          const t = await startServer({ kind: 'sqlite', dataDir, store, reopen: async () => store, cleanup: async () => undefined }, { schools: [{ id: 'tiny', file: schoolFile() }] });
          servers.push(t);
          const replica = await t.server.schools.get('tiny');
          await replica.snapshot(); // the store's snapshot (a temp copy on the way)
          const snapshots = new Snapshots(t.server.schools, t.clock, t.server.log);
          const snap = (await snapshots.latest('tiny'))!;
          const school = join(dataDir, 'schools', 'tiny');
          expect({ data: mode(dataDir), schools: mode(join(dataDir, 'schools')), school: mode(school), snapshots: mode(join(school, 'snapshots')) })
            .toEqual({ data: '700', schools: '700', school: '700', snapshots: '700' });
          const files = [join(dataDir, 'store.sqlite'), join(dataDir, 'store.sqlite-wal'), join(dataDir, 'store.sqlite-shm'),
            replica.file, `${replica.file}-wal`, `${replica.file}-shm`, snap.file, `${snap.file}.json`];
          expect(Object.fromEntries(files.map((f) => [f.slice(dataDir.length), mode(f)]))).toEqual(Object.fromEntries(files.map((f) => [f.slice(dataDir.length), '600'])));
          await stop(t);
          expect(mode(join(school, CLEAN_MARK))).toBe('600');
          expect(readdirSync(school).filter((f) => f.includes('.tmp-'))).toEqual([]);
        } finally {
          process.umask(old);
        }
      });
    }
  });
}
