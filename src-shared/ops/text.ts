/**
 * Which characters free text may hold — the one rule for every place text enters the journal:
 * op payloads (`kinds.ts`), contract inputs, the server's login body.
 *
 * Invisible characters that change how text is shown are refused, not cleaned: a topic with
 * U+202E (right-to-left override) prints reversed in the paper journal (R-ANNUAL-PRINT), NUL and
 * ESC break terminals, logs and exports. A person typing never enters them, so the refusal names
 * the field and the code point and the author removes it.
 *
 * - every field: C0 controls (U+0000–U+001F) except TAB, LF, CR; DEL and C1 controls
 *   (U+007F–U+009F); bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069);
 *   a lone UTF-16 surrogate (not a character at all; stored, it turns into U+FFFD);
 * - single-line fields (names, topics, titles, reasons …) also TAB, LF, CR, U+2028, U+2029 and
 *   U+FEFF (an invisible mark left by some editors in the middle of a name).
 */
import { z } from 'zod';

export type TextShape = 'line' | 'multiline';

const NAMES: Record<number, string> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'BS', 0x09: 'табуляция', 0x0a: 'перевод строки', 0x0d: 'возврат каретки', 0x1b: 'ESC', 0x7f: 'DEL',
  0x061c: 'знак арабской письменности', 0x200e: 'знак направления письма', 0x200f: 'знак направления письма',
  0x2028: 'разделитель строк', 0x2029: 'разделитель абзацев', 0xfeff: 'невидимый пробел нулевой ширины',
};

function isBidiControl(c: number): boolean {
  return c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** Is UTF-16 code unit `c` (a whole code point, or a lone surrogate) refused in text of this shape? */
function refused(c: number, shape: TextShape): boolean {
  if (c < 0x20) return shape === 'line' || !(c === 0x09 || c === 0x0a || c === 0x0d);
  if (c >= 0x7f && c <= 0x9f) return true;
  if (isBidiControl(c)) return true;
  if (c >= 0xd800 && c <= 0xdfff) return true; // only reached for a lone surrogate, see below
  return shape === 'line' && (c === 0x2028 || c === 0x2029 || c === 0xfeff);
}

/** `U+202E` — how a refused character is named to the user. */
export function codePointLabel(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

export interface RefusedChar {
  /** The code unit (for a lone surrogate, the surrogate itself). */
  code: number;
  /** 1-based position in characters, as the user counts them. */
  position: number;
}

/** The first character text of this shape may not hold, or null when it is clean. */
export function findRefusedChar(s: string, shape: TextShape): RefusedChar | null {
  let position = 0;
  for (let i = 0; i < s.length; i++) {
    position++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; } // a whole astral character (emoji …): allowed
      return { code: c, position };
    }
    if (refused(c, shape)) return { code: c, position };
  }
  return null;
}

/** «Тема урока: недопустимый управляющий символ U+202E (позиция 3)», or null when the text is clean. */
export function refusedCharMessage(label: string, s: string, shape: TextShape): string | null {
  const bad = findRefusedChar(s, shape);
  if (!bad) return null;
  const where = `(позиция ${bad.position})`;
  if (bad.code >= 0xd800 && bad.code <= 0xdfff) return `${label}: повреждённый символ ${codePointLabel(bad.code)} — половина суррогатной пары ${where}`;
  const name = NAMES[bad.code];
  const what = `${codePointLabel(bad.code)}${name ? ` (${name})` : ''}`;
  if (shape === 'line' && (bad.code === 0x09 || bad.code === 0x0a || bad.code === 0x0d || bad.code === 0x2028 || bad.code === 0x2029)) {
    return `${label}: недопустимый символ ${what} ${where} — это поле пишется в одну строку`;
  }
  if (bad.code === 0xfeff) return `${label}: недопустимый символ ${what} ${where}`;
  return `${label}: недопустимый управляющий символ ${what} ${where}`;
}

/** The rule as a zod refinement, for a string schema built elsewhere (the server's login body). */
export function refuseChars(label: string, shape: TextShape) {
  return (v: string, ctx: z.RefinementCtx): void => {
    const message = refusedCharMessage(label, v, shape);
    if (message) ctx.addIssue({ code: 'custom', message });
  };
}

export interface TextOptions {
  /** At least this many characters after trimming (1: the field may not be empty). */
  min?: number;
}

function text(shape: TextShape, label: string, max: number, opts: TextOptions = {}) {
  let s = z.string({ error: `${label}: ожидается строка` }).trim().max(max, `${label}: не длиннее ${max} символов`);
  if (opts.min) s = s.min(opts.min, opts.min === 1 ? `${label}: не может быть пустым` : `${label}: не короче ${opts.min} символов`);
  return s.superRefine(refuseChars(label, shape));
}

/** A one-line field (a name, a topic, a title, a short reason): trimmed, at most `max` characters, clean. */
export function lineText(label: string, max: number, opts?: TextOptions) {
  return text('line', label, max, opts);
}

/** A field of several lines (homework, a message, an announcement's body): TAB, LF and CR are allowed. */
export function multilineText(label: string, max: number, opts?: TextOptions) {
  return text('multiline', label, max, opts);
}
