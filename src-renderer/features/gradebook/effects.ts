/**
 * The interpreter of the keyboard model's effects (keyboard.ts `Effect`): each one becomes a call on
 * the store (save, clear, undo, paste, the proposed period mark), a page action (open the lesson,
 * the correction request) or a hint next to the cell. The keyboard model stays pure; this is where
 * it touches the world.
 */
import type { Cursor, Effect } from './keyboard';
import type { GridColumn } from './model';
import type { CellProblem, CellTarget, GradebookStore } from './store';
import { cellKey } from './model';

export interface CorrectionDraft { target: CellTarget; value: string | null; problem: CellProblem }

/** A hint shown next to a cell (row, column) until the next change or Esc. */
export interface Hint { r: number; c: number; text: string }

export interface EffectContext {
  store: GradebookStore;
  /** The cell at a row and a navigation column, if there is one. */
  target(r: number, c: number): CellTarget | null;
  students: readonly { id: string }[];
  navCols: readonly GridColumn[];
  /** The cursor now (an undo with nothing to undo hints there). */
  cursor(): Cursor;
  readOnlyReason: string;
  setHint(h: Hint | null): void;
  onOpenLesson(lessonId: string): void;
  onCorrection(d: CorrectionDraft): void;
}

const HINTS: Record<'readOnly' | 'locked' | 'badKey', string> = {
  readOnly: 'Страница открыта только для просмотра',
  locked: 'На внеурочном занятии отметки и «н» не ставятся (п. 7.13, 8.3)',
  badKey: 'Допустимы отметки 5, 4, 3, 2, 1, дробь вида 5/4 и «н» — отсутствие',
};

function hintText(e: Extract<Effect, { type: 'hint' }>, col: GridColumn | undefined, readOnlyReason: string): string {
  if (e.reason === 'readOnly') return `${HINTS.readOnly}: ${readOnlyReason}`;
  if (e.reason === 'locked' && col?.kind === 'lesson' && col.locked === 'cancelled') return 'Урок отменён: отметки и «н» не ставятся';
  if (e.reason === 'badKey' && col?.kind === 'period') return `«${e.key}»: за период выставляется 5, 4, 3, 2, 1, «осв» или «н/а»`;
  if (e.reason === 'badKey') return `«${e.key}» — ${HINTS.badKey}`;
  return HINTS[e.reason];
}

export function runEffects(effects: readonly Effect[], x: EffectContext): void {
  const { store } = x;
  for (const e of effects) {
    switch (e.type) {
      case 'commit': { const t = x.target(e.row, e.col); if (t) store.input(t, e.text); x.setHint(null); break; }
      case 'clear': { const t = x.target(e.row, e.col); if (t) store.clear(t); x.setHint(null); break; }
      case 'undo':
        if (!store.undo()) {
          const { row, col } = x.cursor();
          x.setHint({ r: row, c: col, text: 'Отменять нечего: изменений на этой странице ещё не было' });
        }
        break;
      case 'acceptProposal': store.acceptProposal(x.students[e.row]!.id); break;
      case 'openLesson': { const col = x.navCols[e.col]; if (col?.kind === 'lesson') x.onOpenLesson(col.lesson.id); break; }
      case 'requestCorrection': {
        const t = x.target(e.row, e.col);
        const st = t ? store.status(cellKey(t.studentId, x.navCols[e.col]!.key)) : undefined;
        if (t && st?.kind === 'problem' && st.problem.correctable) x.onCorrection({ target: t, value: st.problem.correctable.value, problem: st.problem });
        else x.setHint({ r: e.row, c: e.col, text: 'Запрос на исправление нужен, когда журнал отказал в изменении по сроку (п. 7.14): введите отметку, и если срок истёк, здесь появится кнопка запроса' });
        break;
      }
      case 'dismiss': store.dismissProblem(); x.setHint(null); break;
      case 'hint': x.setHint({ r: e.row, c: e.col, text: hintText(e, x.navCols[e.col], x.readOnlyReason) }); break;
      case 'paste': {
        const entries: { target: CellTarget; text: string }[] = [];
        e.block.forEach((line, dr) => line.forEach((text, dc) => {
          const t = x.target(e.row + dr, e.col + dc);
          if (t) entries.push({ target: t, text });
        }));
        const res = store.paste(entries);
        if (res.rejected > 0) x.setHint({ r: e.row, c: e.col, text: `Вставлено: ${res.accepted}; не вставлено: ${res.rejected} (не отметки или колонка без отметок)` });
        break;
      }
    }
  }
}
