import { describe, expect, it } from 'vitest';
import { agoRu, changeKindRu, durationRu, lastSyncText, pendingText, skewNote } from './sync-status';

const NOW = Date.parse('2026-09-16T10:00:00.000Z');

describe('the desktop sync status in words', () => {
  it('says how long ago the last sync was', () => {
    expect(agoRu('2026-09-16T09:59:30.000Z', NOW)).toBe('только что');
    expect(agoRu('2026-09-16T09:55:00.000Z', NOW)).toBe('5 мин назад');
    expect(agoRu('2026-09-16T07:50:00.000Z', NOW)).toBe('2 ч 10 мин назад');
    expect(agoRu('2026-09-14T10:00:00.000Z', NOW, 'Asia/Yekaterinburg')).toBe('14.09.2026 в 15:00');
    expect(lastSyncText({ enrolled: true, running: false, lastAt: '2026-09-16T09:55:00.000Z' }, NOW)).toBe('Синхронизировано 5 мин назад');
    expect(lastSyncText({ enrolled: true, running: false, lastAt: null }, NOW)).toBe('Синхронизации с сервером ещё не было');
    expect(lastSyncText({ enrolled: true, running: true, lastAt: null }, NOW)).toBe('Синхронизация…');
    expect(lastSyncText({ enrolled: false, running: false, lastAt: null }, NOW)).toBe('Компьютер не подключён к школе');
  });

  it('warns about the computer\'s clock only when it is off by 2 minutes or more, in the right direction', () => {
    expect(skewNote(null)).toBeNull();
    expect(skewNote(119_000)).toBeNull();
    expect(skewNote(-119_000)).toBeNull();
    expect(skewNote(7 * 60_000)).toBe('Часы компьютера отстают на 7 мин');
    expect(skewNote(-3 * 3_600_000)).toMatch(/^Часы компьютера спешат на 3 ч/);
    expect(durationRu(3 * 86_400_000)).toBe('3 дн.');
  });

  it('counts unsent changes and names refused ones', () => {
    expect(pendingText(0)).toBe('Всё отправлено');
    expect(pendingText(12)).toBe('Не отправлено: 12');
    expect(changeKindRu('mark.set')).toBe('Отметки');
    expect(changeKindRu('some.future.kind')).toBe('Изменение');
  });
});
