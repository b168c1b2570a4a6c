/**
 * Mark values (R-MARKS, R-FRACTION; п. 7.14, 7.15, 9.5).
 * A current mark is 5, 4, 3, 2, 1 or a fraction «5/4» (two marks in one cell: dictation with a
 * grammar task, creative works — content / literacy). «н» in a cell is an absence, not a mark.
 * Period and annual marks are 5…1, «осв» (exempt) or «н/а» (not attested).
 */

export type Point = 1 | 2 | 3 | 4 | 5;
/** The stored form of a current mark: '5' … '1' or 'a/b'. */
export type MarkValue = string;
/** The stored form of a period/annual/final mark. */
export type PeriodMarkValue = '1' | '2' | '3' | '4' | '5' | 'осв' | 'н/а';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const POINT_RE = /^[1-5]$/;
const FRACTION_RE = /^([1-5])\s*\/\s*([1-5])$/;

/** What a teacher typed in a gradebook cell. */
export type CellInput = { kind: 'mark'; value: MarkValue } | { kind: 'absent' };

const ABSENT_SPELLINGS = new Set(['н', 'Н']);

function normalise(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** Parses a current mark: «5», «4», «3», «2», «1» or a fraction «5/4». */
export function parseMark(raw: string): Parsed<MarkValue> {
  const s = normalise(raw);
  if (s === '') return { ok: false, message: 'Пустая отметка: введите 5, 4, 3, 2, 1 или дробь, например 5/4' };
  if (POINT_RE.test(s)) return { ok: true, value: s };
  const f = FRACTION_RE.exec(s);
  if (f) return { ok: true, value: `${f[1]}/${f[2]}` };
  if (/^\d+$/.test(s)) {
    return { ok: false, message: `Отметки «${s}» не бывает: допустимы 5, 4, 3, 2, 1 (п. 7.14)` };
  }
  if (/^[1-5]\s*\/\s*$/.test(s) || /^\/\s*[1-5]$/.test(s)) {
    return { ok: false, message: `Неполная дробь «${s}»: нужны обе части, например 5/4 (п. 7.15)` };
  }
  if (/[+-]$/.test(s)) {
    return { ok: false, message: `Отметки с плюсом или минусом («${s}») не выставляются: допустимы 5, 4, 3, 2, 1 (п. 7.14)` };
  }
  return { ok: false, message: `«${s}» — не отметка: допустимы 5, 4, 3, 2, 1, дробь вида 5/4 или «н» для отсутствия (п. 7.14)` };
}

/** Parses what was typed in a gradebook cell: a mark or «н». */
export function parseCellInput(raw: string): Parsed<CellInput> {
  const s = normalise(raw);
  if (ABSENT_SPELLINGS.has(s)) return { ok: true, value: { kind: 'absent' } };
  const m = parseMark(s);
  return m.ok ? { ok: true, value: { kind: 'mark', value: m.value } } : m;
}

const PERIOD_SPELLINGS: Record<string, PeriodMarkValue> = {
  '1': '1', '2': '2', '3': '3', '4': '4', '5': '5',
  'осв': 'осв', 'осв.': 'осв', 'освобождён': 'осв', 'освобожден': 'осв',
  'н/а': 'н/а', 'на': 'н/а', 'н/a': 'н/а',
};

/** Parses a period, annual, exam or final mark (R-MARKS): 5…1, «осв», «н/а». */
export function parsePeriodMark(raw: string): Parsed<PeriodMarkValue> {
  const s = normalise(raw).toLowerCase();
  if (s === '') return { ok: false, message: 'Пустая итоговая отметка: введите 5, 4, 3, 2, 1, «осв» или «н/а»' };
  const v = PERIOD_SPELLINGS[s];
  if (v) return { ok: true, value: v };
  return { ok: false, message: `«${normalise(raw)}» — не итоговая отметка: допустимы 5, 4, 3, 2, 1, «осв» (освобождён) и «н/а» (не аттестован) (п. 7.14)` };
}

/**
 * The points a mark contributes to an average (R-FRACTION): a fraction counts as two marks,
 * one for each part, so «5/3» adds 5 and 3.
 */
export function markPoints(value: MarkValue): Point[] {
  const f = FRACTION_RE.exec(value);
  if (f) return [Number(f[1]) as Point, Number(f[2]) as Point];
  if (POINT_RE.test(value)) return [Number(value) as Point];
  throw new Error(`not a stored mark: ${value}`);
}

/** Unsatisfactory = 2 or 1; a fraction is unsatisfactory when either part is. */
export function isUnsatisfactory(value: MarkValue): boolean {
  return markPoints(value).some((p) => p <= 2);
}

export function isMarkValue(s: string): boolean {
  return POINT_RE.test(s) || (FRACTION_RE.test(s) && !/\s/.test(s));
}

export function isPeriodMarkValue(s: string): s is PeriodMarkValue {
  return ['1', '2', '3', '4', '5', 'осв', 'н/а'].includes(s);
}
