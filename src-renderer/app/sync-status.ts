/**
 * The desktop's sync status in words (pure; the status bar and its tests use it): «Синхронизировано
 * 5 мин назад», «Не отправлено: 12», «Часы компьютера отстают на 7 мин».
 */
import { instantRu, plural } from './format';

/** Beyond this the clock is worth a word: time windows of the Положение are judged by the server's time. */
export const SKEW_WARN_MS = 2 * 60_000;

/** «5 мин» / «2 ч 10 мин» / «3 дн.» */
export function durationRu(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 60) return `${Math.max(1, min)} мин`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} ч ${min % 60} мин` : `${h} ч`;
  return `${Math.floor(h / 24)} дн.`;
}

/** «только что», «5 мин назад», «3 ч назад», else the date and time. */
export function agoRu(iso: string, nowMs: number, timeZone?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const ms = nowMs - t;
  if (ms < 60_000) return 'только что';
  if (ms < 24 * 3_600_000) return `${durationRu(ms)} назад`;
  return instantRu(iso, timeZone);
}

/** The server's clock minus this computer's: positive — the computer is behind. */
export function skewNote(skewMs: number | null): string | null {
  if (skewMs === null || Math.abs(skewMs) < SKEW_WARN_MS) return null;
  return `Часы компьютера ${skewMs > 0 ? 'отстают' : 'спешат'} на ${durationRu(skewMs)}`;
}

export const SKEW_ADVICE = 'Сроки выставления отметок сервер считает по своему времени: поправьте дату, время и часовой пояс в настройках компьютера';

export function lastSyncText(s: { enrolled: boolean; running: boolean; lastAt: string | null }, nowMs: number, timeZone?: string): string {
  if (!s.enrolled) return 'Компьютер не подключён к школе';
  if (s.running) return 'Синхронизация…';
  return s.lastAt ? `Синхронизировано ${agoRu(s.lastAt, nowMs, timeZone)}` : 'Синхронизации с сервером ещё не было';
}

export function pendingText(n: number): string {
  return n === 0 ? 'Всё отправлено' : `Не отправлено: ${n}`;
}

export const pendingTitle = (n: number) => `${n} ${plural(n, 'изменение', 'изменения', 'изменений')} этого компьютера ещё не приняты сервером`;

const KINDS: Record<string, string> = {
  'mark.set': 'Отметки', 'mark.annul': 'Удаление отметок', 'attendance.set': 'Отсутствие на уроке', 'absence.reason': 'Причины пропусков',
  'lesson.update': 'Тема и задание урока', 'lesson.create': 'Новый урок', 'lesson.move': 'Перенос урока', 'homework.individual': 'Индивидуальное задание',
  'periodMark.set': 'Итоговые отметки', 'periodMark.annul': 'Удаление итоговых отметок', 'attestation.decision': 'Решение об аттестации',
  'correction.request': 'Запрос на исправление', 'correction.decide': 'Решение по запросу на исправление',
  'message.send': 'Сообщение', 'announcement.post': 'Объявление', 'diary.ack': 'Просмотр дневника',
};
export const changeKindRu = (kind: string) => KINDS[kind] ?? 'Изменение';
