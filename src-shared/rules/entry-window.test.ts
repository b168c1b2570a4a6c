import { describe, it, expect } from 'vitest';
import type { RuleLesson } from './inputs';
import { checkMarkEntryTime, hasLessonBegun, markEntryWindow } from './entry-window';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { hasCode } from './verdict';

// The default time zone is Asia/Anadyr (UTC+12); instants below are written in local time.
const at = (local: string) => `${local}:00+12:00`;
const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({
  date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'math', grade: 7, startsAt: at('2024-10-10T09:00'), endsAt: at('2024-10-10T09:45'), ...p,
});

describe('R-DATE: current marks — during the lesson or the same study day', () => {
  it('accepts a current mark at 23:59 of the lesson’s date (п. 9.5)', () => {
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'oral', now: at('2024-10-10T23:59') }).level).toBe('ok');
  });

  it('refuses a current mark one minute after its study day, asking for a correction request (п. 7.14, 9.5)', () => {
    const v = checkMarkEntryTime({ lesson: lesson(), workType: 'oral', now: at('2024-10-11T00:00') });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-DATE', code: 'needs_correction_request' });
    expect(v.findings[0]?.message).toContain('задним числом');
  });

  it('accepts a mark during the lesson (п. 9.5)', () => {
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'oral', now: at('2024-10-10T09:20') }).level).toBe('ok');
  });

  it('refuses a mark for a lesson that has not begun (п. 7.14)', () => {
    const early = checkMarkEntryTime({ lesson: lesson(), workType: 'oral', now: at('2024-10-10T08:59') });
    expect(hasCode(early, 'future_lesson')).toBe(true);
    const dayBefore = checkMarkEntryTime({ lesson: lesson({ startsAt: undefined }), workType: 'oral', now: at('2024-10-09T23:59') });
    expect(hasCode(dayBefore, 'future_lesson')).toBe(true);
  });

  it('without a bell time the lesson counts as begun from 00:00 of its date', () => {
    expect(hasLessonBegun(lesson({ startsAt: undefined }), at('2024-10-10T00:00'), 'Asia/Anadyr')).toBe(true);
  });

  it('refuses marks for a cancelled lesson', () => {
    expect(checkMarkEntryTime({ lesson: lesson({ status: 'cancelled' }), workType: 'oral', now: at('2024-10-10T10:00') }).level).toBe('refuse');
  });

  it('treats a mark without a work type as a current mark', () => {
    expect(markEntryWindow(lesson(), undefined, { date: '2024-10-14' }).kind).toBe('study_day');
  });

  it('decides the study day in the school’s time zone', () => {
    const now = '2024-10-10T20:30:00Z'; // 08:30 on 11 October in Anadyr, 23:30 on 10 October in Moscow
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'oral', now }).level).toBe('refuse');
    const moscow: RuleSettings = { ...DEFAULT_RULE_SETTINGS, timeZone: 'Europe/Moscow' };
    expect(checkMarkEntryTime({ lesson: lesson({ startsAt: undefined }), workType: 'oral', now }, moscow).level).toBe('ok');
  });
});

describe('R-DATE: written works — by the next lesson of the course', () => {
  const next = { date: '2024-10-14', startsAt: at('2024-10-14T09:00') };

  it('accepts a control work mark one minute before the next lesson starts (п. 9.5)', () => {
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'control', now: at('2024-10-14T08:59'), nextLesson: next }).level).toBe('ok');
  });

  it('refuses a control work mark when the next lesson has started (п. 9.5)', () => {
    for (const t of ['2024-10-14T09:00', '2024-10-14T09:01']) {
      const v = checkMarkEntryTime({ lesson: lesson(), workType: 'control', now: at(t), nextLesson: next });
      expect(hasCode(v, 'needs_correction_request')).toBe(true);
    }
  });

  it('a next lesson on the same date (double lesson) does not shorten the study day', () => {
    const same = { date: '2024-10-10', startsAt: at('2024-10-10T10:00') };
    expect(markEntryWindow(lesson(), 'independent', same).kind).toBe('study_day');
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'independent', now: at('2024-10-10T22:00'), nextLesson: same }).level).toBe('ok');
  });

  it('with only the next lesson’s date the window closes at the end of that date', () => {
    const w = markEntryWindow(lesson(), 'test', { date: '2024-10-14' });
    expect(w.closes).toEqual({ kind: 'end_of_day', date: '2024-10-14' });
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'test', now: at('2024-10-14T23:59'), nextLesson: { date: '2024-10-14' } }).level).toBe('ok');
    expect(checkMarkEntryTime({ lesson: lesson(), workType: 'test', now: at('2024-10-15T00:00'), nextLesson: { date: '2024-10-14' } }).level).toBe('refuse');
  });

  it('with no next lesson known a written work has the study day', () => {
    expect(markEntryWindow(lesson(), 'control', null).kind).toBe('study_day');
  });

  it('an oral answer keeps the study day even when the next lesson is known', () => {
    expect(markEntryWindow(lesson(), 'oral', next).kind).toBe('study_day');
  });
});

describe('R-DATE: longer windows (п. 9.5)', () => {
  it('gives creative works in Russian and literature, grades 5–9, seven days: 17 Oct 23:59 ok, 18 Oct 00:00 refused', () => {
    const l = lesson({ subjectCode: 'literature', grade: 6 });
    expect(markEntryWindow(l, 'essay', null).kind).toBe('creative');
    expect(checkMarkEntryTime({ lesson: l, workType: 'essay', now: at('2024-10-17T23:59') }).level).toBe('ok');
    expect(checkMarkEntryTime({ lesson: l, workType: 'essay', now: at('2024-10-18T00:00') }).level).toBe('refuse');
    expect(markEntryWindow(lesson({ subjectCode: 'russian', grade: 9 }), 'presentation', null).kind).toBe('creative');
  });

  it('does not give seven days to a creative work in grade 4 or in another subject', () => {
    expect(markEntryWindow(lesson({ subjectCode: 'literature', grade: 4 }), 'creative', null).kind).toBe('study_day');
    expect(markEntryWindow(lesson({ subjectCode: 'history', grade: 7 }), 'creative', { date: '2024-10-14' }).kind).toBe('next_lesson');
  });

  it('gives essays in grades 10–11 ten days: 20 Oct 23:59 ok, 21 Oct 00:00 refused', () => {
    const l = lesson({ subjectCode: 'literature', grade: 10 });
    expect(markEntryWindow(l, 'essay', null).kind).toBe('essay');
    expect(checkMarkEntryTime({ lesson: l, workType: 'essay', now: at('2024-10-20T23:59') }).level).toBe('ok');
    expect(checkMarkEntryTime({ lesson: l, workType: 'essay', now: at('2024-10-21T00:00') }).level).toBe('refuse');
  });

  it('gives internal-monitoring control works three days: 13 Oct 23:59 ok, 14 Oct 00:00 refused', () => {
    const l = lesson({ grade: 8 });
    expect(checkMarkEntryTime({ lesson: l, workType: 'monitoring', now: at('2024-10-13T23:59') }).level).toBe('ok');
    expect(checkMarkEntryTime({ lesson: l, workType: 'monitoring', now: at('2024-10-14T00:00') }).level).toBe('refuse');
  });

  it('describes the window in Russian', () => {
    expect(markEntryWindow(lesson(), 'monitoring', null).description).toContain('13.10.2024');
  });
});
