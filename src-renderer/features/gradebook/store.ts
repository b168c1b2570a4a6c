/**
 * The live gradebook page: cells as the teacher sees them (local echo at once), what is being saved,
 * what the rules refused or warned about (with the clause), and the undo history. No DOM: the grid
 * subscribes (`useSyncExternalStore`); tests drive it with a fake transport.
 *
 * A cell's change is one or two contract calls (mark, then absence) run in order per cell; when
 * one is refused, the cell shows what the journal really holds and the refusal next to it.
 */
import type { GradebookView, Notice, PeriodMarkProposal, Result, Transport } from '../../../src-shared/contract/methods';
import { parseCellInput, parsePeriodMark } from '../../../src-shared/domain/marks';
import { cellKey, cellText, EMPTY_CELL, indexCells, type LessonColumn, type MarkCell } from './model';

export interface CellProblem {
  level: 'refuse' | 'warn' | 'input';
  message: string;
  requirement?: string;
  clause?: string;
  notices: Notice[];
  /** The change needs the deputy's approval: offer a correction request (R-CORRECTION). */
  correctable?: { value: string | null };
}

export type CellStatus = { kind: 'saving' } | { kind: 'problem'; problem: CellProblem };

/** A cell of the gradebook: a lesson's (mark and «н») or a period's (the period mark). */
export type CellTarget = { kind: 'lesson'; studentId: string; col: LessonColumn } | { kind: 'period'; studentId: string };

interface UndoCell { target: CellTarget; before: MarkCell | string | null; after: MarkCell | string | null }

/** Warnings about the lesson, not the mark: said once per lesson. */
const LESSON_LEVEL = new Set(['R-WORKTYPE', 'R-TOPICS', 'R-HOMEWORK']);

/** Refusals a correction request can get past (R-CORRECTION, R-DATE windows, R-FINAL-LOCK). */
const CORRECTABLE = new Set(['R-CORRECTION', 'R-DATE', 'R-FINAL-LOCK']);

function problemOf(r: Extract<Result<unknown>, { ok: false }>, wanted: string | null, correctableTarget: boolean): CellProblem {
  const notices = r.error.notices ?? [];
  const reqs = [r.error.requirement, ...notices.filter((n) => n.level === 'refuse').map((n) => n.requirement)].filter(Boolean) as string[];
  const p: CellProblem = {
    level: 'refuse', message: r.error.message, notices,
    ...(r.error.requirement ? { requirement: r.error.requirement } : {}), ...(r.error.clause ? { clause: r.error.clause } : {}),
  };
  if (correctableTarget && reqs.some((q) => CORRECTABLE.has(q))) p.correctable = { value: wanted };
  return p;
}

/** The same warning comes once per mark of a batch: say it once. */
function unique(notices: Notice[]): Notice[] {
  const seen = new Set<string>();
  return notices.filter((n) => { const k = `${n.level}|${n.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

function warningsOf(notices: Notice[]): CellProblem | null {
  const w = unique(notices.filter((n) => n.level === 'warn'));
  if (w.length === 0) return null;
  return { level: 'warn', message: w.map((n) => n.message).join('; '), notices: w, ...(w[0]!.requirement ? { requirement: w[0]!.requirement } : {}), ...(w[0]!.clause ? { clause: w[0]!.clause } : {}) };
}

export class GradebookStore {
  private readonly cells: Map<string, MarkCell>;
  private readonly periods = new Map<string, string>();
  private readonly statuses = new Map<string, CellStatus>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<() => void>();
  private readonly undoStack: { id: number; cells: UndoCell[] }[] = [];
  private undoSeq = 0;
  private proposals = new Map<string, PeriodMarkProposal['students'][number]>();
  /** The last problem or warning reported, with its cell: the grid shows it next to that cell. */
  notice: { key: string; problem: CellProblem } | null = null;
  /** Warnings about a lesson as a whole (no work type, no topic): said once, kept on the column. */
  private readonly lessonNotices = new Map<string, Notice[]>();
  version = 0;

  constructor(private readonly t: Transport, readonly view: GradebookView, readonly periodId: string | null) {
    this.cells = indexCells(view);
    if (periodId) for (const p of view.periodMarks) if (p.term === periodId) this.periods.set(p.studentId, p.value);
  }

  // ── reading ──
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = (): number => this.version;
  private emit(): void {
    this.version++;
    for (const f of [...this.listeners]) f();
  }

  cell(studentId: string, colKey: string): MarkCell | undefined {
    return this.cells.get(cellKey(studentId, colKey));
  }
  periodValue(studentId: string): string | null {
    return this.periods.get(studentId) ?? null;
  }
  proposal(studentId: string): PeriodMarkProposal['students'][number] | undefined {
    return this.proposals.get(studentId);
  }
  setProposals(p: PeriodMarkProposal | null): void {
    this.proposals = new Map((p?.students ?? []).map((s) => [s.studentId, s]));
    this.emit();
  }
  status(key: string): CellStatus | undefined {
    return this.statuses.get(key);
  }
  dismissProblem(): void {
    if (this.notice === null) return;
    this.notice = null;
    this.emit();
  }
  /** Warnings about the lesson itself (R-WORKTYPE, R-TOPICS) its marks were saved with. */
  lessonWarnings(lessonId: string): Notice[] {
    return this.lessonNotices.get(lessonId) ?? [];
  }
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** Every mark of a student on this page (for the average column). */
  marksOf(studentId: string, colKeys: readonly string[]): string[] {
    const out: string[] = [];
    for (const k of colKeys) {
      const m = this.cells.get(cellKey(studentId, k))?.mark;
      if (m) out.push(m);
    }
    return out;
  }

  // ── changing ──
  private setStatus(key: string, s: CellStatus | null): void {
    if (s) this.statuses.set(key, s);
    else this.statuses.delete(key);
    if (s?.kind === 'problem') this.notice = { key, problem: s.problem };
    else if (this.notice?.key === key && this.notice.problem.level !== 'warn') this.notice = null;
  }

  /** Runs `fn` after the cell's earlier changes: a cell's calls never overtake each other. */
  private queue<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(key, next);
    void next.finally(() => { if (this.chains.get(key) === next) this.chains.delete(key); });
    return next;
  }

  /** Waits for every change in flight (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  private keyOf(t: CellTarget): string {
    return t.kind === 'period' ? cellKey(t.studentId, 'period') : cellKey(t.studentId, t.col.key);
  }

  /** What the teacher typed into a cell. Returns false when it is not a mark (the problem is shown). */
  input(target: CellTarget, text: string): boolean {
    const key = this.keyOf(target);
    if (target.kind === 'period') {
      const p = parsePeriodMark(text);
      if (!p.ok) return this.inputProblem(key, p.message);
      void this.applyPeriod(target, p.value, true);
      return true;
    }
    const parsed = parseCellInput(text);
    if (!parsed.ok) return this.inputProblem(key, parsed.message);
    const before = this.cells.get(key) ?? EMPTY_CELL;
    let after: MarkCell;
    if (parsed.value.kind === 'absent') {
      if (target.col.column !== 'main') return this.inputProblem(key, '«н» ставится в основной колонке урока: отсутствие отмечается один раз на урок (п. 9.5)');
      after = { ...before, mark: null, absent: true };
    } else {
      after = { ...before, mark: parsed.value.value, absent: false, reason: null, workType: target.col.column === 'reading' ? 'reading' : before.workType };
    }
    if (cellText(after) === cellText(before) && after.absent === before.absent) return true;
    void this.applyLesson(target, before, after, true);
    return true;
  }

  private inputProblem(key: string, message: string): false {
    this.setStatus(key, { kind: 'problem', problem: { level: 'input', message, notices: [] } });
    this.emit();
    return false;
  }

  /** Delete: the mark goes (annulled); with no mark, the «н». */
  clear(target: CellTarget): void {
    const key = this.keyOf(target);
    if (target.kind === 'period') {
      const v = this.periods.get(target.studentId);
      if (!v) return;
      this.setStatus(key, { kind: 'problem', problem: {
        level: 'refuse', requirement: 'R-FINAL-LOCK', clause: 'п. 7.14', notices: [], correctable: { value: null },
        message: 'Выставленная отметка за период не пересматривается; исправить её можно только через запрос заместителю директора (п. 7.14)',
      } });
      this.emit();
      return;
    }
    const before = this.cells.get(key) ?? EMPTY_CELL;
    if (!before.mark && !before.absent) return;
    const after: MarkCell = before.mark ? { ...before, mark: null } : { ...before, absent: false, reason: null };
    void this.applyLesson(target, before, after, true);
  }

  acceptProposal(studentId: string): void {
    const p = this.proposals.get(studentId);
    const key = cellKey(studentId, 'period');
    if (!p || p.proposal === null) {
      this.inputProblem(key, p ? `Предложить отметку нельзя: ${p.explanation.text.at(-1) ?? 'недостаточно отметок'}` : 'Предложение ещё не загружено');
      return;
    }
    this.input({ kind: 'period', studentId }, p.proposal);
  }

  private pushUndo(cells: UndoCell[]): number {
    const id = ++this.undoSeq;
    this.undoStack.push({ id, cells });
    if (this.undoStack.length > 200) this.undoStack.shift();
    return id;
  }
  private dropUndo(id: number, target: CellTarget): void {
    const e = this.undoStack.find((x) => x.id === id);
    if (!e) return;
    e.cells = e.cells.filter((c) => this.keyOf(c.target) !== this.keyOf(target));
    if (e.cells.length === 0) this.undoStack.splice(this.undoStack.indexOf(e), 1);
  }

  /** Ctrl+Z: the last change (a whole paste at once) goes back, through the same rules. */
  undo(): boolean {
    const e = this.undoStack.pop();
    if (!e) return false;
    for (const c of e.cells) {
      if (c.target.kind === 'period') {
        if (typeof c.before === 'string') void this.applyPeriod(c.target, c.before, false);
        else this.clear(c.target);
      } else {
        void this.applyLesson(c.target, (this.cells.get(this.keyOf(c.target)) ?? EMPTY_CELL), (c.before as MarkCell | null) ?? EMPTY_CELL, false);
      }
    }
    return true;
  }

  private applyLesson(target: Extract<CellTarget, { kind: 'lesson' }>, before: MarkCell, after: MarkCell, record: boolean): Promise<void> {
    const key = this.keyOf(target);
    this.cells.set(key, after);
    this.setStatus(key, { kind: 'saving' });
    const id = record ? this.pushUndo([{ target, before, after }]) : undefined;
    this.emit();
    return this.queue(key, () => this.runLesson(target, before, after, id));
  }

  /** One lesson cell's change: its mark and its absence in one call. */
  private async runLesson(target: Extract<CellTarget, { kind: 'lesson' }>, before: MarkCell, after: MarkCell, undoId?: number): Promise<void> {
    const key = this.keyOf(target);
    const { col, studentId } = target;
    const lessonId = col.lesson.id;
    const warnings: Notice[] = [];
    let confirmed = { ...before };
    const fail = (r: Extract<Result<unknown>, { ok: false }>, wanted: string | null, correctable: boolean) => {
      this.cells.set(key, confirmed);
      this.setStatus(key, { kind: 'problem', problem: problemOf(r, wanted, correctable) });
      if (undoId !== undefined) this.dropUndo(undoId, target);
      this.emit();
    };
    const column = col.column === 'main' ? {} : { column: col.column };
    const markChanged = after.mark !== before.mark;
    const absentChanged = after.absent !== before.absent;
    if (markChanged || absentChanged) {
      // The mark and the «н» of one cell are one change, in one transaction on the server («н» → «4»).
      const mark = !markChanged ? undefined : after.mark ? { value: after.mark, ...(col.column === 'reading' ? { workType: 'reading' as const } : {}) } : null;
      const r = await this.t.call('cell.set', { lessonId, studentId, ...column, ...(mark !== undefined ? { mark } : {}), ...(absentChanged ? { absent: after.absent } : {}) });
      // A refused mark can be asked for as a correction; a refused absence alone cannot.
      if (!r.ok) return fail(r, markChanged ? after.mark : null, markChanged);
      warnings.push(...r.value.warnings);
      confirmed = { ...confirmed, mark: after.mark, workType: after.workType, absent: after.absent, reason: after.absent ? confirmed.reason : null };
    }
    this.settleWarnings(key, lessonId, warnings);
    this.emit();
  }

  /**
   * Warnings about the lesson as a whole come with every mark of it: they are said once (next to
   * the first cell) and kept on the column; the cell itself is marked only for its own warnings.
   */
  private settleWarnings(key: string, lessonId: string, warnings: Notice[]): void {
    const whole = unique(warnings.filter((n) => n.level === 'warn' && LESSON_LEVEL.has(n.requirement ?? '')));
    const own = warnings.filter((n) => !whole.includes(n));
    const w = warningsOf(own);
    this.setStatus(key, w ? { kind: 'problem', problem: w } : null);
    if (whole.length > 0 && !this.lessonNotices.has(lessonId)) {
      this.lessonNotices.set(lessonId, whole);
      if (!w) this.notice = { key, problem: { ...warningsOf(whole)!, message: `${whole.map((n) => n.message).join('; ')}. Откройте урок (Ctrl+Enter), чтобы указать` } };
    }
  }

  private applyPeriod(target: Extract<CellTarget, { kind: 'period' }>, value: string, record: boolean): Promise<void> {
    const key = this.keyOf(target);
    const before = this.periods.get(target.studentId) ?? null;
    if (before === value) return Promise.resolve();
    this.periods.set(target.studentId, value);
    this.setStatus(key, { kind: 'saving' });
    const id = record ? this.pushUndo([{ target, before, after: value }]) : undefined;
    this.emit();
    return this.queue(key, async () => {
      if (!this.periodId) return;
      const r = await this.t.call('periodMark.set', { yearId: this.view.course.yearId, subjectId: this.view.course.subjectId, term: this.periodId, marks: [{ studentId: target.studentId, value }] });
      if (!r.ok) {
        if (before === null) this.periods.delete(target.studentId);
        else this.periods.set(target.studentId, before);
        this.setStatus(key, { kind: 'problem', problem: problemOf(r, value, before !== null) });
        if (id !== undefined) this.dropUndo(id, target);
      } else {
        const w = warningsOf(r.value.warnings);
        this.setStatus(key, w ? { kind: 'problem', problem: w } : null);
      }
      this.emit();
    });
  }

  /**
   * A block pasted from a spreadsheet: every cell echoes at once; plain marks of one lesson go in
   * one call (refused as a whole, they are retried one by one to find the cells the rules refuse).
   */
  paste(entries: { target: CellTarget; text: string }[]): { accepted: number; rejected: number } {
    let rejected = 0;
    const undo: UndoCell[] = [];
    const batches = new Map<string, { col: LessonColumn; items: { studentId: string; before: MarkCell; after: MarkCell }[] }>();
    const singles: (() => void)[] = [];
    for (const { target, text } of entries) {
      if (text === '') continue;
      const key = this.keyOf(target);
      if (target.kind === 'period') {
        const p = parsePeriodMark(text);
        if (!p.ok) { rejected++; this.setStatus(key, { kind: 'problem', problem: { level: 'input', message: p.message, notices: [] } }); continue; }
        undo.push({ target, before: this.periods.get(target.studentId) ?? null, after: p.value });
        singles.push(() => void this.applyPeriod(target, p.value, false));
        continue;
      }
      if (target.col.locked) { rejected++; continue; }
      const parsed = parseCellInput(text);
      if (!parsed.ok || (parsed.value.kind === 'absent' && target.col.column !== 'main')) {
        rejected++;
        this.setStatus(key, { kind: 'problem', problem: { level: 'input', message: parsed.ok ? '«н» ставится в основной колонке урока (п. 9.5)' : parsed.message, notices: [] } });
        continue;
      }
      const before = this.cells.get(key) ?? EMPTY_CELL;
      const after: MarkCell = parsed.value.kind === 'absent' ? { ...before, mark: null, absent: true } : { ...before, mark: parsed.value.value, absent: false, reason: null };
      if (cellText(after) === cellText(before) && after.absent === before.absent) continue;
      undo.push({ target, before, after });
      if (parsed.value.kind === 'mark' && !before.absent && !this.chains.has(key)) {
        const b = batches.get(target.col.key) ?? { col: target.col, items: [] };
        b.items.push({ studentId: target.studentId, before, after });
        batches.set(target.col.key, b);
      } else {
        singles.push(() => void this.applyLesson(target, before, after, false));
      }
    }
    if (undo.length > 0) this.pushUndo(undo);
    for (const s of singles) s();
    for (const b of batches.values()) void this.pasteBatch(b.col, b.items);
    this.emit();
    return { accepted: undo.length, rejected };
  }

  private async pasteBatch(col: LessonColumn, items: { studentId: string; before: MarkCell; after: MarkCell }[]): Promise<void> {
    const keys = items.map((i) => cellKey(i.studentId, col.key));
    for (const [k, i] of items.map((x, n) => [keys[n]!, x] as const)) {
      this.cells.set(k, i.after);
      this.setStatus(k, { kind: 'saving' });
    }
    this.emit();
    const column = col.column === 'main' ? {} : { column: col.column };
    const run = async () => {
      const r = await this.t.call('mark.set', { lessonId: col.lesson.id, marks: items.map((i) => ({ studentId: i.studentId, value: i.after.mark!, ...column, ...(col.column === 'reading' ? { workType: 'reading' } : {}) })) });
      if (r.ok) {
        keys.forEach((k) => this.settleWarnings(k, col.lesson.id, r.value.warnings));
        this.emit();
        return;
      }
      // Refused as a whole: one by one, so that only the refused cells say so.
      for (const i of items) await this.runLesson({ kind: 'lesson', studentId: i.studentId, col }, i.before, i.after);
    };
    // Every cell of the batch waits on the same promise, so later edits of those cells queue behind it.
    const p = run();
    for (const k of keys) this.chains.set(k, p);
    void p.finally(() => { for (const k of keys) if (this.chains.get(k) === p) this.chains.delete(k); });
    await p;
  }
}

