import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findRefusedChar, lineText, multilineText, refusedCharMessage } from './text';
import { payloads } from './kinds';
import { describeIssues, parseOp, type OpError } from './envelope';

const REFUSED_EVERYWHERE = [0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const REFUSED_IN_A_LINE = [0x09, 0x0a, 0x0d, 0x2028, 0x2029, 0xfeff];

const issues = (kind: keyof typeof payloads, p: unknown): string => {
  const r = payloads[kind].safeParse(p);
  return r.success ? 'ok' : describeIssues(r.error);
};

describe('free text: which characters may enter the journal', () => {
  it('refuses a right-to-left override in a lesson topic, naming the field and the code point', () => {
    expect(issues('lesson.update', { id: 'l1', topic: 'Правописание \u202Eьтсонжолс' })).toContain('Тема урока: недопустимый управляющий символ U+202E (позиция 14)');
  });

  it('refuses NUL, BEL and ESC in homework, but keeps its line breaks and tabs', () => {
    for (const [c, hex] of [['\u0000', 'U+0000'], ['\u0007', 'U+0007'], ['\u001b', 'U+001B']] as const) {
      expect(issues('lesson.update', { id: 'l1', homework: `упр. 5${c}` })).toContain(`Домашнее задание: недопустимый управляющий символ ${hex}`);
    }
    const r = payloads['lesson.update'].parse({ id: 'l1', homework: 'упр. 5\r\n\tупр. 6\u2028' });
    expect(r.homework).toBe('упр. 5\r\n\tупр. 6');
  });

  it('refuses a line break in a one-line field: a name, a topic, an announcement title', () => {
    expect(issues('student.set', { id: 's1', lastName: 'Иванов\nПетров', firstName: 'Пётр', classId: null })).toContain('Фамилия: недопустимый символ U+000A (перевод строки) (позиция 7) — это поле пишется в одну строку');
    expect(issues('lesson.create', { id: 'l1', courseId: 'c1', date: '2026-09-10', number: 1, topic: 'a\tb' })).toContain('Тема урока: недопустимый символ U+0009');
    expect(issues('announcement.post', { id: 'a1', title: 'Собрание\u2029', body: 'x', audience: { kind: 'school' } })).toBe('ok'); // trimmed away at the end
    expect(issues('announcement.post', { id: 'a1', title: 'Со\u2029брание', body: 'x', audience: { kind: 'school' } })).toContain('Заголовок объявления: недопустимый символ U+2029');
    expect(issues('announcement.post', { id: 'a1', title: 'Собрание', body: 'Приходите\nв 18:00', audience: { kind: 'school' } })).toBe('ok');
  });

  it('refuses a byte-order mark inside a name, not in a message body', () => {
    expect(issues('staff.set', { id: 's1', lastName: 'Ива\uFEFFнова', firstName: 'Анна' })).toContain('Фамилия: недопустимый символ U+FEFF');
    expect(issues('message.send', { id: 'm1', to: 'a1', body: 'Добрый\uFEFF день' })).toBe('ok');
  });

  it('refuses a lone surrogate and keeps emoji and Cyrillic', () => {
    expect(issues('message.send', { id: 'm1', to: 'a1', body: 'спасибо \uD83D' })).toContain('Текст сообщения: повреждённый символ U+D83D');
    expect(issues('message.send', { id: 'm1', to: 'a1', body: 'спасибо 😀 Ёё' })).toBe('ok');
  });

  it('checks every free-text field of the op kinds, comments and reasons inside batches too', () => {
    expect(issues('mark.set', { lessonId: 'l1', marks: [{ studentId: 's1', value: '5', comment: 'ок\u0085' }] })).toContain('marks.0.comment: Комментарий к отметке: недопустимый управляющий символ U+0085');
    expect(issues('correction.request', { id: 'c1', target: { kind: 'mark', lessonId: 'l1', studentId: 's1' }, value: '4', reason: 'ошибка\u2066' })).toContain('Причина исправления: недопустимый управляющий символ U+2066');
    expect(issues('school.set', { name: 'МБОУ\u200F СОШ' })).toContain('Название школы: недопустимый управляющий символ U+200F');
    expect(issues('account.block', { id: 'a1', blocked: true, reason: 'x\u007f' })).toContain('Причина блокировки: недопустимый управляющий символ U+007F (DEL)');
  });

  it('a sync push through parseOp is refused the same way (bad_payload, Russian message)', () => {
    const op = { device: 'd1', seq: 1, author: 'acc', kind: 'lesson.update', version: 1, hlc: '2026-09-10T10:00:00.000Z-0000', payload: { id: 'l1', topic: 'x\u202E' } };
    try {
      parseOp(op);
      expect.unreachable();
    } catch (e) {
      expect((e as OpError).code).toBe('bad_payload');
      expect((e as OpError).message).toContain('Тема урока: недопустимый управляющий символ U+202E');
    }
  });

  it('a log that accepted such text before the rule still replays it (logged strictness)', () => {
    const op = { device: 'd1', seq: 1, author: 'acc', kind: 'lesson.update', version: 1, hlc: '2026-09-10T10:00:00.000Z-0000', payload: { id: 'l1', topic: 'x\u202Ey' } };
    expect(parseOp(op, 'logged').payload).toEqual({ id: 'l1', topic: 'x\u202Ey' });
  });

  it('the lists of refused characters are exact: every other BMP character passes (property, seeded)', () => {
    for (const c of REFUSED_EVERYWHERE) {
      expect(findRefusedChar(`a${String.fromCharCode(c)}`, 'multiline')).toEqual({ code: c, position: 2 });
      expect(findRefusedChar(String.fromCharCode(c), 'line')?.code).toBe(c);
    }
    for (const c of REFUSED_IN_A_LINE) {
      expect(findRefusedChar(`a${String.fromCharCode(c)}b`, 'line')?.code).toBe(c);
    }
    const refusedLine = new Set([...REFUSED_EVERYWHERE, ...REFUSED_IN_A_LINE]);
    const controls = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (c) => {
      if (c >= 0xd800 && c <= 0xdfff) return; // surrogates: only as pairs, above
      const s = String.fromCharCode(c);
      expect(findRefusedChar(s, 'line') !== null).toBe(refusedLine.has(c) || controls(c));
      expect(findRefusedChar(s, 'multiline') !== null).toBe(REFUSED_EVERYWHERE.includes(c) || (controls(c) && ![0x09, 0x0a, 0x0d].includes(c)));
    }), { seed: 11, numRuns: 20_000 });
  });

  it('builds schemas with a length limit and an emptiness check that name the field', () => {
    expect(lineText('Кабинет', 3).safeParse('12345').error?.issues[0]?.message).toBe('Кабинет: не длиннее 3 символов');
    expect(multilineText('Текст', 10, { min: 1 }).safeParse('   ').error?.issues[0]?.message).toBe('Текст: не может быть пустым');
    expect(refusedCharMessage('Имя', 'Анна', 'line')).toBeNull();
  });
});
