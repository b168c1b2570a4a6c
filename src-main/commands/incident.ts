/**
 * An internal failure (a bug, a broken disk — not a rule's refusal) as the person at the screen
 * sees it: a generic Russian sentence and a short incident number; the original error goes only
 * to the log under the same number. Its text may name tables, paths or other people's data and
 * is never sent to a client.
 */
import { randomBytes } from 'node:crypto';

/** Eight hex digits: short enough to read out on the phone, random enough to find in a log. */
export function newIncidentId(): string {
  return randomBytes(4).toString('hex');
}

/** «Внутренняя ошибка сервера: действие не выполнено, ничего не изменено. Сообщите … номер инцидента 3f9a1c2b». */
export function internalErrorMessage(where: 'сервера' | 'программы', incident: string): string {
  return `Внутренняя ошибка ${where}: действие не выполнено, ничего не изменено. Сообщите ответственному за техподдержку номер инцидента ${incident}`;
}
