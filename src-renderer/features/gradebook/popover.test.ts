import { describe, expect, it } from 'vitest';
import type { GradebookView } from '../../../src-shared/contract/methods';
import { buildColumns, cellKey, parseCellKey } from './model';
import { popoverPosition, popToShow } from './popover';
import { GradebookStore } from './store';
import { HEAD_H, NAME_W, ROW_H } from './grid-sizes';

const view: GradebookView = {
  course: { id: 'k', groupId: 'g', groupName: '5А', subjectId: 'ru', subjectName: 'Русский язык', subjectCode: 'russian', teacherId: 't', teacherName: 'Иванова М. П.', hoursPerWeek: 5, yearId: 'y', grade: 5 },
  period: { id: 'p1', name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' },
  students: [
    { id: 's1', lastName: 'Вануйто', firstName: 'Анна', middleName: null, homeSchooling: false, medicalGroup: 'main', peExemptUntil: null },
    { id: 's2', lastName: 'Петров', firstName: 'Пётр', middleName: null, homeSchooling: false, medicalGroup: 'main', peExemptUntil: null },
  ],
  lessons: [{ id: 'l1', date: '2026-09-10', number: 2, kind: 'regular', status: 'held', topic: null, homework: null, workType: null, movedFrom: null, substituteId: null }],
  marks: [],
  absences: [],
  periodMarks: [],
};
const cols = buildColumns(view);
const never = { call: () => new Promise<never>(() => {}) };

describe('the cell key', () => {
  it('parses back into the student and the column', () => {
    expect(parseCellKey(cellKey('s2', 'l1:reading'))).toEqual({ studentId: 's2', colKey: 'l1:reading' });
    expect(parseCellKey(cellKey('s1', 'period'))).toEqual({ studentId: 's1', colKey: 'period' });
  });
});

describe('the popover next to a cell', () => {
  it('shows a hint first, else the problem of the cell it came from (the store\'s last notice)', () => {
    const store = new GradebookStore(never, view, 'p1');
    expect(popToShow(null, store, view.students, cols, { row: 0, col: 0 })).toBeNull();
    expect(popToShow({ r: 1, c: 0, text: 'подсказка' }, store, view.students, cols, { row: 0, col: 0 })).toEqual({ r: 1, c: 0, problem: null, text: 'подсказка' });
    store.input({ kind: 'lesson', studentId: 's2', col: cols[0] as never }, '7');
    expect(popToShow(null, store, view.students, cols, { row: 0, col: 0 })).toMatchObject({ r: 1, c: 0, problem: { level: 'input' } });
  });

  it('goes beside the grid when the page leaves room, else beside the cell, and stays below the header', () => {
    const viewport = { top: 0, left: 0, w: 800, h: 600 };
    const at = (wrapWidth: number, gridWidth: number) => popoverPosition({ r: 1, c: 0, problem: null, text: 'x' }, { navCols: cols, starts: [0], sizes: [42], viewport, wrapWidth: () => wrapWidth, gridWidth: () => gridWidth });
    expect(at(1300, 800)).toEqual({ left: 806, top: HEAD_H + ROW_H });
    expect(at(800, 800)).toEqual({ left: NAME_W + 42 + 6, top: HEAD_H + ROW_H });
    expect(popoverPosition({ r: -1, c: 0, problem: null }, { navCols: cols, starts: [0], sizes: [42], viewport, wrapWidth: () => 800, gridWidth: () => 800 })).toBeNull();
  });
});
