import { describe, it, expect } from 'vitest';
import { checkHomeworkTiming, homeworkDeadline } from './homework';

const at = (local: string) => `${local}:00+12:00`;
const studentsLastLessonEndsAt = at('2024-10-10T14:30');

describe('R-HOMEWORK: within 1 hour after the students’ last lesson', () => {
  it('the deadline is one hour after the last lesson ends (п. 9.5)', () => {
    expect(homeworkDeadline(studentsLastLessonEndsAt)).toBe('2024-10-10T03:30:00.000Z');
  });

  it('accepts homework during the lesson and up to the hour (п. 9.5)', () => {
    expect(checkHomeworkTiming({ studentsLastLessonEndsAt, enteredAt: at('2024-10-10T09:10') }).level).toBe('ok');
    expect(checkHomeworkTiming({ studentsLastLessonEndsAt, enteredAt: at('2024-10-10T15:30') }).level).toBe('ok');
  });

  it('flags homework entered one minute after the hour (п. 9.5)', () => {
    const v = checkHomeworkTiming({ studentsLastLessonEndsAt, enteredAt: at('2024-10-10T15:31') });
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-HOMEWORK', clause: 'п. 9.5', details: { late: true, lateMinutes: 1 } });
    expect(v.findings[0]?.message).toContain('10.10.2024 15:30');
  });

  it('flags homework entered the next day', () => {
    expect(checkHomeworkTiming({ studentsLastLessonEndsAt, enteredAt: at('2024-10-11T08:00') }).level).toBe('warn');
  });
});
