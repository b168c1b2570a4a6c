import { describe, expect, it } from 'vitest';
import { numberInWords, plural, sheetsInWords } from './number-words';

describe('the sheet count in words on the certification page', () => {
  it.each([
    [1, '1 (один) лист'], [2, '2 (два) листа'], [5, '5 (пять) листов'], [11, '11 (одиннадцать) листов'], [21, '21 (двадцать один) лист'],
    [103, '103 (сто три) листа'], [112, '112 (сто двенадцать) листов'], [240, '240 (двести сорок) листов'], [1001, '1001 (одна тысяча один) лист'],
    [2345, '2345 (две тысячи триста сорок пять) листов'],
  ])('%i → «%s»', (n, words) => expect(sheetsInWords(n)).toBe(words));

  it('declines nouns after numerals, 11–14 included', () => {
    expect([1, 2, 4, 5, 11, 14, 21, 22, 25, 111].map((n) => plural(n, 'лист', 'листа', 'листов')))
      .toEqual(['лист', 'листа', 'листа', 'листов', 'листов', 'листов', 'лист', 'листа', 'листов', 'листов']);
    expect(numberInWords(0)).toBe('ноль');
  });
});
