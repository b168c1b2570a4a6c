/**
 * Cell text → values of the journal, as a person types them in a Russian spreadsheet: dates
 * (ДД.ММ.ГГГГ, ГГГГ-ММ-ДД, an Excel serial number), да/нет, class names with Latin look-alikes
 * («5A», «5 а», «5-А» → «5А»), and the keys people are matched by.
 */
import { isLocalDate } from '../../../src-shared/domain/values';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

/** Day 0 of Excel's 1900 date system (its phantom 29.02.1900 is why it is the 30th). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date cell: empty → null; «01.09.2015», «1.9.2015», «2015-09-01», or an Excel serial number. */
export function parseDate(raw: string): Parsed<string | null> {
  const s = raw.trim();
  if (s === '') return ok(null);
  let iso: string | undefined;
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  const isoLike = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (ru) iso = `${ru[3]}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}`;
  else if (isoLike) iso = s;
  else if (/^\d{1,6}(\.0+)?$/.test(s)) {
    const serial = Number(s);
    if (serial < 1 || serial > 2_958_465) return bad(`«${s}» — не дата: укажите дату в виде ДД.ММ.ГГГГ`);
    return ok(new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10));
  }
  if (!iso) return bad(`«${s}» — не дата: укажите дату в виде ДД.ММ.ГГГГ, например 01.09.2015`);
  if (!isLocalDate(iso)) return bad(`даты «${s}» не бывает: проверьте день и месяц`);
  return ok(iso);
}

/** dd.mm.yyyy, as the layouts show a date in CSV. */
export function showDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** да/нет; an empty cell is «нет». */
export function parseYesNo(raw: string): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (['', 'нет', 'н', '0', 'false', '-', '—'].includes(s)) return ok(false);
  if (['да', 'д', '1', 'true', '+', 'v', '✓'].includes(s)) return ok(true);
  return bad(`«${raw.trim()}»: укажите «да» или «нет»`);
}

export const yesNo = (v: boolean) => (v ? 'да' : 'нет');

/** Latin letters that look like Cyrillic ones on a class sign: 5A → 5А, 10B → 10В. */
const LOOKALIKES: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У' };

/** «5A», «5a», «5 а», «5-А», «5 «А»» → { grade: 5, letter: 'А' }; null when it is not a class name. */
export function parseClassName(raw: string): { grade: number; letter: string } | null {
  const s = raw.trim().toUpperCase().replace(/[\s\-«»"'“”]/g, '').replace(/[A-Z]/g, (ch) => LOOKALIKES[ch] ?? ch);
  const m = /^(\d{1,2})([А-ЯЁ]{1,2})$/.exec(s);
  if (!m) return null;
  const grade = Number(m[1]);
  return grade >= 1 && grade <= 11 ? { grade, letter: m[2]! } : null;
}

/** Spaces collapsed: what a name or a title is stored as. */
export const clean = (s: string) => s.trim().replace(/\s+/g, ' ');

/** How names are compared: case, ё/е and spacing do not matter. */
export const nameKey = (...parts: (string | null | undefined)[]) => parts.map((p) => clean(p ?? '').toLowerCase().replace(/ё/g, 'е')).join('|');

/** A phone compared by its digits, 8XXXXXXXXXX = 7XXXXXXXXXX (the same Russian number). */
export function phoneKey(raw: string | null | undefined): string {
  const d = (raw ?? '').replace(/\D/g, '');
  return d.length === 11 && d.startsWith('8') ? `7${d.slice(1)}` : d;
}

export const emailKey = (raw: string | null | undefined) => (raw ?? '').trim().toLowerCase();

/** «Иванов Иван Иванович». */
export function fullName(p: { lastName: string; firstName: string; middleName?: string | null | undefined }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** A list in one cell: «Английский 1, Робототехника» (commas or semicolons). */
export const listOf = (raw: string) => raw.split(/[,;]/).map(clean).filter(Boolean);

/**
 * A list of names in one cell where a name may itself hold a comma («Практикум (10А, 11А)»): the
 * longest known name at each place wins; what is not a known name runs to the next separator.
 */
export function namesIn(raw: string, known: readonly string[]): { found: string[]; unknown: string[] } {
  const key = (x: string) => x.toLowerCase().replace(/ё/g, 'е');
  const text = clean(raw);
  const low = key(text); // the same length as `text`: lower case and ё → е keep every index
  const names = known.map((n) => ({ n, k: key(clean(n)) })).filter((x) => x.k).sort((a, b) => b.k.length - a.k.length);
  const found: string[] = [];
  const unknown: string[] = [];
  let i = 0;
  while (i < low.length) {
    while (i < low.length && /[\s,;]/.test(low[i]!)) i++;
    if (i >= low.length) break;
    const hit = names.find((x) => low.startsWith(x.k, i) && /^\s*([,;]|$)/.test(low.slice(i + x.k.length)));
    if (hit) {
      found.push(hit.n);
      i += hit.k.length;
      continue;
    }
    const next = low.slice(i).search(/[,;]/);
    const end = next < 0 ? low.length : i + next;
    unknown.push(text.slice(i, end).trim());
    i = end;
  }
  return { found, unknown };
}

/** Hours per week: «5», «0,5», «1.5». */
export function parseHours(raw: string): Parsed<number> {
  const s = raw.trim().replace(',', '.');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) return bad(`«${raw.trim()}» — не число часов: укажите, например, 5 или 0,5`);
  if (n < 0.5 || n > 12 || Math.round(n * 2) !== n * 2) return bad(`${raw.trim()} ч в неделю: от 0,5 до 12, с шагом 0,5`);
  return ok(n);
}

export const showHours = (n: number) => String(n).replace('.', ',');
