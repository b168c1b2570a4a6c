/** «152 (сто пятьдесят два) листа» — the count of sheets as the certification page writes it. */

const UNITS = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const TEENS = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
const THOUSAND_UNITS = ['', 'одна', 'две', ...UNITS.slice(3)];

function below1000(n: number, units: readonly string[]): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  return [HUNDREDS[h]!, t === 1 ? TEENS[u]! : TENS[t]!, t === 1 ? '' : units[u]!].filter(Boolean);
}

/** Russian plural form for a count: 1 лист, 2 листа, 5 листов (11–14: листов). */
export function plural(n: number, one: string, few: string, many: string): string {
  const m100 = n % 100;
  const m10 = n % 10;
  if (m100 >= 11 && m100 <= 14) return many;
  if (m10 === 1) return one;
  if (m10 >= 2 && m10 <= 4) return few;
  return many;
}

/** A whole number 0…999 999 in words, masculine (as «лист»). */
export function numberInWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) throw new Error(`numberInWords: ${n}`);
  if (n === 0) return 'ноль';
  const thousands = Math.floor(n / 1000);
  const words = thousands ? [...below1000(thousands, THOUSAND_UNITS), plural(thousands, 'тысяча', 'тысячи', 'тысяч')] : [];
  return [...words, ...below1000(n % 1000, UNITS)].join(' ');
}

export function sheetsInWords(n: number): string {
  return `${n} (${numberInWords(n)}) ${plural(n, 'лист', 'листа', 'листов')}`;
}
