import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleMark } from './inputs';
import { checkMarkColumn, expectedColumn } from './columns';

const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({ date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'literature', grade: 6, ...p });
const mark = (value: string, p: Partial<RuleMark> = {}): RuleMark => ({ value, column: 'main', ...p });

describe('R-SEPARATE-COLUMN', () => {
  it('puts expressive reading marks in the «Выр.чт.» column (п. 7.15)', () => {
    expect(expectedColumn(lesson(), { workType: 'reading', column: 'main' })).toBe('reading');
    expect(expectedColumn(lesson({ workType: 'reading' }), { column: 'main' })).toBe('reading');
    expect(expectedColumn(lesson(), { workType: 'oral', column: 'main' })).toBe('main');
  });

  it('refuses an expressive reading mark in the main column (п. 7.15)', () => {
    const v = checkMarkColumn(lesson(), mark('5', { workType: 'reading' }));
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-SEPARATE-COLUMN', clause: 'п. 7.15' });
    expect(checkMarkColumn(lesson({ workType: 'reading' }), mark('5')).level).toBe('refuse');
  });

  it('accepts an expressive reading mark in the «Выр.чт.» column (п. 7.15)', () => {
    expect(checkMarkColumn(lesson(), mark('5', { column: 'reading', workType: 'reading' })).level).toBe('ok');
    expect(checkMarkColumn(lesson({ subjectCode: 'reading', grade: 3 }), mark('4', { column: 'reading' })).level).toBe('ok');
  });

  it('refuses another work type in the «Выр.чт.» column (п. 7.15)', () => {
    expect(checkMarkColumn(lesson(), mark('5', { column: 'reading', workType: 'essay' })).level).toBe('refuse');
  });

  it('refuses the «Выр.чт.» column outside literature pages (п. 7.15)', () => {
    expect(checkMarkColumn(lesson({ subjectCode: 'math' }), mark('5', { column: 'reading' })).level).toBe('refuse');
  });

  it('warns when a «Выр.чт.» lesson gets an untyped mark in the main column (п. 7.15)', () => {
    const v = checkMarkColumn(lesson({ topic: 'Выр.чт. А. С. Пушкин «Зимнее утро»' }), mark('5'));
    expect(v.level).toBe('warn');
  });

  it('accepts the literacy column on the Russian page in grades 10–11 (п. 7.15)', () => {
    expect(checkMarkColumn(lesson({ subjectCode: 'russian', grade: 10 }), mark('4', { column: 'literacy' })).level).toBe('ok');
    expect(checkMarkColumn(lesson({ subjectCode: 'russian', grade: 11 }), mark('4', { column: 'literacy' })).level).toBe('ok');
  });

  it('refuses the literacy column on other pages or in grade 9 (п. 7.15)', () => {
    expect(checkMarkColumn(lesson({ subjectCode: 'literature', grade: 10 }), mark('4', { column: 'literacy' })).level).toBe('refuse');
    expect(checkMarkColumn(lesson({ subjectCode: 'russian', grade: 9 }), mark('4', { column: 'literacy' })).level).toBe('refuse');
  });

  it('warns about a literature fraction in grades 10–11: literacy goes to the Russian page (п. 7.15)', () => {
    const v = checkMarkColumn(lesson({ grade: 10 }), mark('5/4', { workType: 'essay' }));
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.message).toContain('странице русского языка');
    expect(checkMarkColumn(lesson({ grade: 9 }), mark('5/4', { workType: 'essay' })).level).toBe('ok');
  });
});
