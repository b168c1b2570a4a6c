/** docs/api.md, generated from the contract (src-shared/contract/methods.ts): `npm run docs:api`. */
import { z } from 'zod';
import { METHOD_NAMES, methods, ERROR_CODES } from '../../src-shared/contract/methods';

const PURPOSE: Record<string, string> = {
  'gradebook.get': 'Страница журнала: ученики × уроки предмета (класс или группа) за период — отметки, «н», итоговые отметки.',
  'diary.week': 'Дневник обучающегося за неделю: расписание, темы, домашние задания, отметки, пропуски, итоговые отметки.',
  'cell.history': 'История клетки журнала (R-AUDIT): каждое значение, кто, когда, с какого устройства.',
  'periodMark.proposal': 'Предложение итоговой отметки за период по каждому ученику с объяснением (R-ATTEST, R-NA).',
  'correction.inbox': 'Запросы на исправление: все — заместителю директора; свои — учителю (R-CORRECTION).',
  'marks.set': 'Выставить отметки на уроке (одна или несколько клеток).',
  'marks.annul': 'Удалить (аннулировать) отметки.',
  'attendance.set': 'Отметить «н» (или снять отметку об отсутствии).',
  'absence.reasons': 'Причины пропусков — классный руководитель (R-ABSENCE).',
  'lesson.update': 'Тема, КТП, домашнее задание, вид урока, вид работы, № приказа, форма.',
  'homework.individual': 'Индивидуальное домашнее задание ученику.',
  'periodMark.set': 'Выставить итоговые отметки (период, год, экзамен, итоговая).',
  'correction.request': 'Запрос на исправление отметки вне срока или уже выставленной.',
  'correction.decide': 'Согласовать или отклонить запрос (заместитель директора; для 9/11 классов — распоряжение директора).',
};

export function apiDoc(): string {
  const lines = [
    '# API (contract)',
    '',
    'Generated from `src-shared/contract/methods.ts` by `npm run docs:api` — do not edit by hand (a test checks it is current).',
    '',
    'Every method is called the same way on every transport — Electron IPC (`window.ejournal.call`), HTTP',
    '(`POST /api/v1/rpc/:method`), and `ejournal call FILE --as LOGIN METHOD \'JSON\' [--now ISO]` — and answers',
    '`{ "ok": true, "value": … }` or `{ "ok": false, "error": { "code", "message", "requirement"?, "clause"?, "notices"? } }`.',
    `Error codes: ${ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '| method | what |',
    '|---|---|',
    ...METHOD_NAMES.map((m) => `| [\`${m}\`](#${m.replace(/\./g, '')}) | ${PURPOSE[m] ?? ''} |`),
    '',
  ];
  for (const m of METHOD_NAMES) {
    const spec = methods[m];
    lines.push(`## ${m}`, '', PURPOSE[m] ?? '', '', 'Input:', '', '```json', JSON.stringify(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }), null, 1), '```', '',
      'Output (`value`):', '', '```json', JSON.stringify(z.toJSONSchema(spec.output, { unrepresentable: 'any' }), null, 1), '```', '');
  }
  return lines.join('\n');
}
