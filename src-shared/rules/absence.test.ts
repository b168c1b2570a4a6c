import { describe, it, expect } from 'vitest';
import type { RuleLesson, RuleStudent, StudentLessonRecord } from './inputs';
import { absencesAwaitingReason, checkAbsenceEntry, checkAbsenceReason, checkAttendanceTime, isValidAbsenceReason } from './absence';
import { hasCode } from './verdict';

const at = (local: string) => `${local}:00+12:00`;
const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({
  date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'math', grade: 7, startsAt: at('2024-10-10T09:00'), endsAt: at('2024-10-10T09:45'), ...p,
});
const student = (p: Partial<RuleStudent> = {}): RuleStudent => ({ id: 's', medicalGroup: 'main', homeSchooling: false, ...p });

describe('R-ABSENCE: reasons', () => {
  it('illness and other valid reasons are valid; unexcused and unlabelled are not', () => {
    expect(isValidAbsenceReason('illness')).toBe(true);
    expect(isValidAbsenceReason('valid')).toBe(true);
    expect(isValidAbsenceReason('unexcused')).toBe(false);
    expect(isValidAbsenceReason(null)).toBe(false);
  });

  it('accepts a reason from the student’s class teacher (п. 9.4)', () => {
    expect(checkAbsenceReason({ isClassTeacherOfStudent: true, absent: true, reason: 'illness' }).level).toBe('ok');
    expect(checkAbsenceReason({ isClassTeacherOfStudent: true, absent: true, reason: null }).level).toBe('ok');
  });

  it('refuses a reason from anyone else (п. 9.4)', () => {
    const v = checkAbsenceReason({ isClassTeacherOfStudent: false, absent: true, reason: 'valid' });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-ABSENCE', clause: 'п. 9.4' });
  });

  it('refuses a reason where the student is not marked «н» (п. 9.4)', () => {
    expect(checkAbsenceReason({ isClassTeacherOfStudent: true, absent: false, reason: 'illness' }).level).toBe('refuse');
  });

  it('lists unlabelled absences more than 7 days old; 7 days is not yet overdue (п. 9.4 «еженедельно»)', () => {
    const records: StudentLessonRecord[] = [
      { date: '2024-10-01', number: 1, absent: true, reason: null },
      { date: '2024-10-02', number: 1, absent: true, reason: 'illness' },
      { date: '2024-10-02', number: 2, absent: true },
      { date: '2024-10-03', number: 1, absent: true, reason: null },
      { date: '2024-10-09', number: 1, absent: true, reason: null },
      { date: '2024-10-01', number: 2, absent: false },
    ];
    expect(absencesAwaitingReason(records, '2024-10-10').map((r) => r.date)).toEqual(['2024-10-01', '2024-10-02']);
  });
});

describe('R-ABSENCE: «н» by fact at the start of the lesson', () => {
  it('accepts «н» during the lesson (п. 9.5)', () => {
    expect(checkAttendanceTime(lesson(), at('2024-10-10T09:05')).level).toBe('ok');
  });

  it('refuses «н» before the lesson has begun (п. 9.5)', () => {
    expect(hasCode(checkAttendanceTime(lesson(), at('2024-10-10T08:55')), 'future_lesson')).toBe(true);
    expect(hasCode(checkAttendanceTime(lesson({ startsAt: undefined }), at('2024-10-09T12:00')), 'future_lesson')).toBe(true);
  });

  it('warns about «н» after the lesson ended the same day (п. 9.5)', () => {
    expect(checkAttendanceTime(lesson(), at('2024-10-10T16:00')).level).toBe('warn');
  });

  it('needs a correction request for attendance after the study day (п. 9.5, 9.2)', () => {
    expect(hasCode(checkAttendanceTime(lesson(), at('2024-10-11T00:00')), 'needs_correction_request')).toBe(true);
  });
});

describe('R-ABSENCE with R-EXTRA, R-DISTANCE, R-PE, R-HOME: may «н» be set', () => {
  const now = at('2024-10-10T09:05');

  it('accepts «н» for an ordinary student at a regular lesson', () => {
    expect(checkAbsenceEntry({ lesson: lesson(), student: student(), absent: true, now }).level).toBe('ok');
  });

  it('refuses «н» at an extracurricular lesson (п. 7.13)', () => {
    expect(checkAbsenceEntry({ lesson: lesson({ kind: 'extracurricular' }), student: student(), absent: true, now }).findings[0]?.requirement).toBe('R-EXTRA');
  });

  it('refuses «н» at a distance lesson (п. 8.1)', () => {
    expect(checkAbsenceEntry({ lesson: lesson({ kind: 'distance' }), student: student(), absent: true, now }).findings[0]?.requirement).toBe('R-DISTANCE');
  });

  it('refuses «н» at PE for an exempt student (п. 7.14)', () => {
    const v = checkAbsenceEntry({ lesson: lesson({ subjectCode: 'pe' }), student: student({ peExemptUntil: '2024-10-31' }), absent: true, now });
    expect(v.findings[0]?.requirement).toBe('R-PE');
  });

  it('clearing «н» checks only the time', () => {
    expect(checkAbsenceEntry({ lesson: lesson({ kind: 'distance' }), student: student(), absent: false, now }).level).toBe('ok');
  });

  it('an approved correction allows «н» after the study day', () => {
    const later = at('2024-10-14T10:00');
    expect(checkAbsenceEntry({ lesson: lesson(), student: student(), absent: true, now: later }).level).toBe('refuse');
    expect(checkAbsenceEntry({ lesson: lesson(), student: student(), absent: true, now: later, correctionApproved: true }).level).toBe('ok');
  });
});
