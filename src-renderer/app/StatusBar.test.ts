import { describe, expect, it } from 'vitest';
import { backupNote } from './StatusBar';

const NOW = '2026-09-16T10:00:00.000Z';

describe('the last backup in the status bar (п. 7.8)', () => {
  it('shows when the last backup was made, and warns when it is older than two days', () => {
    expect(backupNote({ now: NOW, lastBackupAt: '2026-09-16T04:30:00.000Z' }, 'desktop', 'Asia/Yekaterinburg')).toEqual({ text: 'Резервная копия: 16.09.2026 в 09:30', old: false });
    expect(backupNote({ now: NOW, lastBackupAt: '2026-09-14T10:00:00.000Z' }, 'web', 'Asia/Yekaterinburg')).toEqual({ text: 'Резервная копия: 14.09.2026 в 15:00', old: false });
    expect(backupNote({ now: NOW, lastBackupAt: '2026-09-14T09:59:00.000Z' }, 'desktop', 'Asia/Yekaterinburg'))
      .toEqual({ text: 'Резервная копия: 14.09.2026 в 14:59 — больше двух дней назад', old: true });
  });

  it('a school computer without a backup is warned; the web says nothing it does not know', () => {
    expect(backupNote({ now: NOW, lastBackupAt: null }, 'desktop')).toEqual({ text: 'Резервной копии журнала ещё нет', old: true });
    expect(backupNote({ now: NOW, lastBackupAt: null }, 'web')).toBeNull();
  });
});
