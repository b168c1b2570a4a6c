/**
 * The desktop's sync, electron-free: the scheduler (every 5 min, on reconnect, «Синхронизировать
 * сейчас») runs the sync client's `syncOnce` with this computer's device token, and every change
 * is published to the window as a `SyncStatus` (the last successful sync, changes not sent, the
 * last error, the clock skew, the logged-in teacher's changes the server refused). The sync
 * client, the network and the timers are injected: a test drives them with fakes.
 *
 * Only the exported API of `src-main/sync/client.ts` is used (`syncOnce`, `SyncReport`,
 * `rejectedOps`), `outboxCount` (journal/outbox.ts), and the meta keys the client writes
 * (`sync.lastAt`, `sync.lastError`, `sync.skewMs`).
 */
import { hlcInstant } from '../../src-shared/ops/envelope';
import type { Clock } from '../commands/execute';
import type { Journal } from '../journal/open';
import type { MetaKey } from '../journal/meta-keys';
import { outboxCount } from '../journal/outbox';
import { dismissNotices, overwrittenNotices, rejectedOps, syncOnce as realSyncOnce, type SyncFetch, type SyncOptions, type SyncReport } from '../sync/client';
import type { SnapshotClientOptions } from '../sync/bootstrap';
import type { SyncStatus } from '../../src-shared/sync/status';
import type { Enrolment } from './enrol';
import type { Timers } from './lock';
import { SyncScheduler, type SyncState } from './scheduler';

export type { SyncStatus } from '../../src-shared/sync/status';

export const NO_LINK = 'Нет связи с сервером школы: проверьте подключение к интернету';

export interface DesktopSyncOptions {
  journal: Journal;
  clock: Clock;
  fetch: SyncFetch;
  timers: Timers;
  /** This computer's enrolment (null until the administrator enrols it). */
  enrolment: () => Enrolment | null;
  /** The logged-in account (its refused changes are shown), null when nobody is. */
  account: () => string | null;
  /** Gets every status change (the shell sends it to the window). */
  publish: (s: SyncStatus) => void;
  /** Snapshot download options (progress for the window; the default downloads over node:https). */
  snapshot?: SnapshotClientOptions;
  /** The sync client's `syncOnce` (injected by tests). */
  syncOnce?: (o: SyncOptions) => Promise<SyncReport>;
  random?: () => number;
  intervalMs?: number;
  baseMs?: number;
  maxMs?: number;
}

/** The op's HLC wall time (`<ISO instant>-<counter>`), null if unreadable. */
function hlcTime(hlc: string): string | null {
  const t = Date.parse(hlcInstant(hlc));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export class DesktopSync {
  readonly scheduler: SyncScheduler;
  private tokenRefused = false;
  private lastReport: SyncReport | null = null;

  constructor(private readonly o: DesktopSyncOptions) {
    this.scheduler = new SyncScheduler({
      timers: o.timers,
      syncOnce: () => this.once(),
      onState: () => this.publish(),
      ...(o.random ? { random: o.random } : {}),
      ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
      ...(o.baseMs !== undefined ? { baseMs: o.baseMs } : {}),
      ...(o.maxMs !== undefined ? { maxMs: o.maxMs } : {}),
    });
  }

  /** The report of the last run (for logs and tests). */
  get report(): SyncReport | null { return this.lastReport; }

  /** Starts the schedule (after enrolment, or at start when enrolled); resolves after the first run. */
  start(): Promise<void> {
    if (!this.o.enrolment()) return Promise.resolve();
    return this.scheduler.start();
  }

  stop(): void { this.scheduler.stop(); }

  /** «Синхронизировать сейчас» (the menu, F5, the window's button). */
  runNow(): Promise<void> { return this.scheduler.runNow(); }

  /** The network came back. */
  reconnected(): Promise<void> { return this.scheduler.reconnected(); }

  /** Stops and waits for the running exchange (before the journal closes). */
  async drain(): Promise<void> {
    this.scheduler.stop();
    await this.scheduler.idle();
  }

  /** One run: throws on failure so that the scheduler backs off. */
  private async once(): Promise<void> {
    const e = this.o.enrolment();
    if (!e) throw new Error('Компьютер не подключён к школе');
    let status = 0;
    // The sync client reports transport failures with the runtime's text ("fetch failed",
    // net::ERR_…): say it in Russian, and notice a refused token (401) on the way.
    const fetch: SyncFetch = async (url, init) => {
      let r;
      try {
        r = await this.o.fetch(url, init);
      } catch {
        throw new Error(NO_LINK);
      }
      status = r.status;
      return r;
    };
    const report = await (this.o.syncOnce ?? realSyncOnce)({
      journal: this.o.journal, server: `${e.serverUrl}/`, token: e.token, fetch, clock: this.o.clock,
      // A fresh computer starts from the school's snapshot; a diverged replica repairs itself from one.
      snapshot: this.o.snapshot ?? {},
    });
    this.lastReport = report;
    this.tokenRefused = status === 401;
    if (report.error || !report.ok) {
      throw new Error(this.tokenRefused
        ? 'Сервер не принимает этот компьютер (подключение отозвано): обратитесь к ответственному за техподдержку'
        : report.error ?? 'Синхронизация не выполнена');
    }
  }

  /** The status now (meta written by the sync client + the scheduler's state). */
  status(): SyncStatus {
    const j = this.o.journal;
    const e = this.o.enrolment();
    const s: SyncState = this.scheduler.current;
    const meta = (k: MetaKey) => { const v = j.meta(k); return v === undefined || v === '' ? null : v; };
    const skew = meta('sync.skewMs');
    const all = rejectedOps(j);
    const me = this.o.account();
    return {
      enrolled: !!e,
      server: e?.serverUrl ?? null,
      computerName: e?.name ?? null,
      running: s.running,
      lastAt: meta('sync.lastAt'),
      pending: outboxCount(j),
      lastError: s.lastError ?? meta('sync.lastError'),
      skewMs: skew === null || Number.isNaN(Number(skew)) ? null : Number(skew),
      failures: s.failures,
      nextInMs: s.nextInMs,
      tokenRefused: this.tokenRefused,
      rejected: me === null ? [] : all.filter((r) => r.author === me).map((r) => ({
        seq: r.seq, kind: r.kind, code: r.code, message: r.message,
        ...(r.requirement ? { requirement: r.requirement } : {}), ...(r.clause ? { clause: r.clause } : {}),
        at: r.at, madeAt: hlcTime(r.hlc),
      })),
      rejectedTotal: all.length,
      overwritten: me === null ? [] : overwrittenNotices(j).filter((n) => n.author === me).map((n) => ({
        seq: n.seq, student: this.studentName(n.studentId), lesson: this.lessonTitle(n.lessonId), column: n.column,
        seen: n.seen, replaced: n.replaced, replacedAt: new Date(n.replacedAt).toISOString(), at: n.at,
      })),
    };
  }

  /** The logged-in account has read these notices (refused and overwritten changes of its own ops). */
  dismiss(seqs: readonly number[]): void {
    const me = this.o.account();
    if (me === null) return;
    const j = this.o.journal;
    const own = new Set([...rejectedOps(j).filter((r) => r.author === me).map((r) => r.seq), ...overwrittenNotices(j).filter((n) => n.author === me).map((n) => n.seq)]);
    dismissNotices(j, seqs.filter((s) => own.has(s)));
    this.publish();
  }

  private studentName(id: string): string {
    const r = this.o.journal.stmt('SELECT last_name AS l, first_name AS f FROM student WHERE id = ?').get(id) as { l: string; f: string } | undefined;
    return r ? `${r.l} ${r.f}` : id;
  }

  private lessonTitle(id: string): string {
    const r = this.o.journal.stmt('SELECT s.name AS subject, l.date AS date, l.number AS number FROM lesson l JOIN course c ON c.id = l.course_id JOIN subject s ON s.id = c.subject_id WHERE l.id = ?')
      .get(id) as { subject: string; date: string; number: number } | undefined;
    if (!r) return id;
    const [y, m, d] = r.date.split('-');
    return `${r.subject}, ${d}.${m}.${y}, урок ${r.number}`;
  }

  /** Sends the status to the window (also after a login or a change made in the window). */
  publish(): void {
    try {
      this.o.publish(this.status());
    } catch {
      // The journal is closing: nothing to show any more.
    }
  }
}
