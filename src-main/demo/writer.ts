/**
 * Writes the demo through the one door every change uses: `execute` with a guard and a clock.
 * Events (who, when, which drafts) are collected per school-local day, put in time order and run
 * in one SQLite transaction per day; each event is its own command (a savepoint inside it), so
 * every op carries its author and its own realistic moment. Events after "now" never happen.
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { allowAll, execute, type Clock } from '../commands/execute';
import type { OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';
import { localMs } from './calendar';

/**
 * What an event writes: drafts known in advance, or made when the event happens from the journal
 * as it is then (an import's plan, an account for a person the register holds by then).
 */
type Drafts = OpDraft[] | (() => OpDraft[]);

interface Ev { at: number; seq: number; author: string; drafts: Drafts }

const OFFSET_MS = 5 * 3_600_000;

/** The school-local date of an instant (UTC+5). */
export function localDateOfMs(ms: number): LocalDate {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

export class Writer {
  private t = 0;
  private seq = 0;
  private readonly clock: Clock = { now: () => this.t };
  private queue: Ev[] = [];
  private readonly later = new Map<LocalDate, Ev[]>();
  private day: LocalDate = '0000-00-00';

  constructor(readonly journal: Journal, readonly nowMs: number) {}

  /** Records what `author` does at `at` (ms). Dropped unless it happens before "now". */
  add(at: number, author: string, drafts: Drafts): void {
    if ((Array.isArray(drafts) && drafts.length === 0) || at >= this.nowMs) return;
    const ev: Ev = { at, seq: this.seq++, author, drafts };
    const date = localDateOfMs(at);
    if (date <= this.day) this.queue.push(ev);
    else {
      const list = this.later.get(date);
      if (list) list.push(ev);
      else this.later.set(date, [ev]);
    }
  }

  /** Starts collecting `date`'s events (earlier dates are done). */
  begin(date: LocalDate): void {
    this.day = date;
    const due = this.later.get(date);
    if (due) {
      this.queue.push(...due);
      this.later.delete(date);
    }
  }

  /** Runs the day's events in time order, in one transaction. */
  flush(): void {
    if (this.queue.length === 0) return;
    const evs = this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.queue = [];
    const j = this.journal;
    j.sqlite.transaction(() => {
      for (const ev of evs) {
        this.t = ev.at;
        const { drafts } = ev;
        execute({ journal: j, actor: { accountId: ev.author }, clock: this.clock, guard: allowAll }, typeof drafts === 'function' ? drafts : () => drafts);
      }
    })();
  }

  /** Convenience: a local date and minutes after midnight. */
  static at(date: LocalDate, minutes: number): number {
    return localMs(date, minutes);
  }
}
