/**
 * The diary shows homework on the day it is due (п. 9.5 «к следующему уроку»): what a lesson set
 * is due at the course's next lesson that is held — a cancelled one passes it on.
 */
import { describe, expect, it } from 'vitest';
import { submit } from '../commands/execute';
import { draft } from './log';
import { studentWeek } from './queries';
import { T, tinySchool } from '../../test/support/tiny-school';

const [l0910, l0911, l0916] = T.lessons;
const due = (j: Parameters<typeof studentWeek>[0], week: string) =>
  studentWeek(j, T.students[0], week).days.flatMap((d) => d.lessons.map((l) => [l.lessonId, l.homeworkDue, l.homeworkSetOn, l.homework]));

describe('homework in the diary on the day it is due (п. 9.5)', () => {
  it('homework set on 10 September is shown at the next lesson, 11 September, with the day it was set', () => {
    const { j, teacher } = tinySchool();
    submit(teacher, draft('lesson.update', { id: l0910, homework: 'Упр. 12' }));
    expect(due(j, '2026-09-07')).toEqual([
      [l0910, null, null, 'Упр. 12'],
      [l0911, 'Упр. 12', '2026-09-10', null],
    ]);
    // The lesson after that has nothing due: 11 September set no homework.
    expect(due(j, '2026-09-14')).toEqual([[l0916, null, '2026-09-11', null]]);
  });

  it('a cancelled lesson passes the homework on to the next lesson held', () => {
    const { j, teacher, admin } = tinySchool();
    submit(teacher, draft('lesson.update', { id: l0910, homework: 'Упр. 12' }));
    submit(admin, draft('lesson.update', { id: l0911, status: 'cancelled' }));
    expect(due(j, '2026-09-07')).toEqual([[l0910, null, null, 'Упр. 12']]);
    expect(due(j, '2026-09-14')).toEqual([[l0916, 'Упр. 12', '2026-09-10', null]]);
  });
});
