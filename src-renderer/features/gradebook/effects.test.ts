import { describe, expect, it } from 'vitest';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { buildColumns, type GridColumn } from './model';
import { runEffects, type CorrectionDraft, type EffectContext, type Hint } from './effects';
import { GradebookStore } from './store';

const view: GradebookView = {
  course: { id: 'k', groupId: 'g', groupName: '5А', subjectId: 'ru', subjectName: 'Русский язык', subjectCode: 'russian', teacherId: 't', teacherName: 'Иванова М. П.', hoursPerWeek: 5, yearId: 'y', grade: 5 },
  period: { id: 'p1', name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' },
  students: [{ id: 's1', lastName: 'Вануйто', firstName: 'Анна', middleName: null, homeSchooling: false, medicalGroup: 'main', peExemptUntil: null }],
  lessons: [{ id: 'l1', date: '2026-09-10', number: 2, kind: 'regular', status: 'cancelled', topic: null, homework: null, workType: null, movedFrom: null, substituteId: null }],
  marks: [],
  absences: [],
  periodMarks: [],
};

function context(navCols: GridColumn[] = buildColumns(view)) {
  const hints: (Hint | null)[] = [];
  const opened: string[] = [];
  const corrections: CorrectionDraft[] = [];
  const store = new GradebookStore({ call: () => new Promise<never>(() => {}) }, view, 'p1');
  const x: EffectContext = {
    store, students: view.students, navCols, cursor: () => ({ row: 0, col: 1 }), readOnlyReason: 'чужой предмет',
    target: (r, c) => { const col = navCols[c]; return !view.students[r] || !col ? null : col.kind === 'period' ? { kind: 'period', studentId: 's1' } : { kind: 'lesson', studentId: 's1', col }; },
    setHint: (h) => hints.push(h), onOpenLesson: (id) => opened.push(id), onCorrection: (d) => corrections.push(d),
  };
  return { x, hints, opened, corrections };
}

describe('the keyboard model\'s effects', () => {
  it('explain a refused key in the words of the column: a cancelled lesson, the period, a read-only page', () => {
    const { x, hints } = context();
    runEffects([
      { type: 'hint', row: 0, col: 0, reason: 'locked' },
      { type: 'hint', row: 0, col: 1, reason: 'badKey', key: 'q' },
      { type: 'hint', row: 0, col: 0, reason: 'readOnly' },
    ], x);
    expect(hints.map((h) => h?.text)).toEqual([
      'Урок отменён: отметки и «н» не ставятся',
      '«q»: за период выставляется 5, 4, 3, 2, 1, «осв» или «н/а»',
      'Страница открыта только для просмотра: чужой предмет',
    ]);
  });

  it('an undo with nothing to undo hints at the cursor; Ctrl+Enter opens the lesson', () => {
    const { x, hints, opened } = context();
    runEffects([{ type: 'undo' }, { type: 'openLesson', col: 0 }, { type: 'openLesson', col: 1 }], x);
    expect(hints).toEqual([{ r: 0, c: 1, text: 'Отменять нечего: изменений на этой странице ещё не было' }]);
    expect(opened).toEqual(['l1']);
  });

  it('a correction request without a late refusal explains when it is needed', () => {
    const { x, hints, corrections } = context();
    runEffects([{ type: 'requestCorrection', row: 0, col: 0 }], x);
    expect(corrections).toEqual([]);
    expect(hints[0]?.text).toMatch(/^Запрос на исправление нужен, когда журнал отказал в изменении по сроку \(п\. 7\.14\)/);
  });
});
