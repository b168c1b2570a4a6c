import { describe, expect, it } from 'vitest';
import { compareValues, matchesFilter } from './row-order';

describe('the order of an administration table', () => {
  it('sorts Russian names alphabetically and classes by their number (5А before 10А)', () => {
    expect(['Юдина', 'Ёлкин', 'Абрамов', 'Егоров'].sort(compareValues)).toEqual(['Абрамов', 'Егоров', 'Ёлкин', 'Юдина']);
    expect(['10А', '5Б', '5А', '11А'].sort(compareValues)).toEqual(['5А', '5Б', '10А', '11А']);
  });

  it('puts empty cells last and compares numbers by size', () => {
    expect([null, '2026-09-01', '', '2025-01-31'].sort(compareValues)).toEqual(['2025-01-31', '2026-09-01', null, '']);
    expect([10, 9, 100].sort(compareValues)).toEqual([9, 10, 100]);
  });
});

describe('the filter box', () => {
  it('finds every word of the query in any case, «ё» as «е»', () => {
    expect(matchesFilter('Семёнов Пётр Ильич 5А', 'петр семенов')).toBe(true);
    expect(matchesFilter('Семёнов Пётр Ильич 5А', '5а  СЕМЁН')).toBe(true);
    expect(matchesFilter('Семёнов Пётр Ильич 5А', 'семенов 6А')).toBe(false);
  });

  it('an empty query finds everything', () => {
    expect(matchesFilter('что угодно', '   ')).toBe(true);
  });
});
