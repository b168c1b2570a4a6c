/** docs/api.md, generated from the contract (src-shared/contract/methods.ts): `npm run docs:api`. */
import { z } from 'zod';
import { METHOD_NAMES, methods, ERROR_CODES } from '../../src-shared/contract/methods';

export const PURPOSE: Record<string, string> = {
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
  // [4/7] the journal on screen
  'session.get': 'Кто вошёл: человек, роли, дети родителя, классы сотрудника; время сервера и учебный день школы.',
  'status.get': 'Строка состояния: время, неотправленные изменения и последняя синхронизация этой копии журнала.',
  'courses.list': 'Предметы для выбора страницы журнала: свои у учителя и своего класса у классного руководителя (только чтение), все — у администрации; учебные периоды.',
  'lesson.get': 'Страница урока: тема, КТП, вид работы, домашнее задание (классу и индивидуальное), вид урока, № приказа.',
  'ktp.list': 'КТП предмета и параллели (R-KTP) с датами уроков, на которых тема уже записана.',
  'class.summary': 'Все предметы класса для классного руководителя (R-CLASS-VIEW): средний балл, пропуски, итоговые отметки, последний просмотр дневника (R-ACK).',
  'attendance.week': 'Пропуски класса за неделю для разметки причин (R-ABSENCE).',
  'diary.ack': 'Отметка о просмотре дневника родителем (R-ACK).',
  // [6/7] printed documents
  'report.weekly': 'Еженедельные сведения для семей с бумажным дневником (R-WEEKLY-PAPER): PDF класса, ученик на страницу; `all` — для всех учеников.',
  'report.annual': 'Классный журнал за учебный год для прошивки (R-ANNUAL-PRINT): PDF, листы пронумерованы, контрольная сумма данных.',
  'report.summary': 'Сводная ведомость промежуточной и итоговой аттестации (R-SUMMARY): PDF класса или всей школы.',
  'breach.act': 'Акт о нарушении конфиденциальности (R-BREACH, приложение к Порядку): PDF по записи о нарушении.',
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
