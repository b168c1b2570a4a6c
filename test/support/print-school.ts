/**
 * The tiny school with a year to print: 5А of four students (one with the longest surname a
 * journal will meet), Russian with 46 lessons across two trimesters (more dates than one sheet
 * holds), marks with work types, a fraction, a «Выр.чт.» column, comments, absences with reasons,
 * individual homework, a substitution, period and annual marks, a family on the paper diary, an
 * autumn holiday, a director, and a breach record. Built only from ops, like every journal.
 */
import { addDays, weekday } from '../../src-shared/domain/values';
import { submit } from '../../src-main/commands/execute';
import { draft, type OpDraft } from '../../src-main/journal/log';
import { T, tinySchool } from './tiny-school';

export const P = {
  long: 's-long',
  longSurname: 'Константинопольская-Преображенская',
  breach: 'br-1',
  /** A week with lessons: Mon 14 – Sun 20 September 2026. */
  week: '2026-09-14',
  /** The autumn holiday week: no lessons at all. */
  holidayWeek: '2026-10-26',
  /** Russian lessons of 5А, in date order (the tiny school's three first). */
  lessons: [] as string[],
};

const HOLIDAY = { starts: '2026-10-26', ends: '2026-11-03' };

export function printSchool(file = ':memory:') {
  const school = tinySchool(file);
  const { admin } = school;
  const [s1, s2, s3] = T.students;
  // Lessons of Russian: the three of the tiny school, then every Monday, Wednesday and Friday from 18 September.
  const extra: string[] = [];
  for (let d = '2026-09-18'; extra.length < 43; d = addDays(d, 1)) {
    if ([1, 3, 5].includes(weekday(d)) && (d < HOLIDAY.starts || d > HOLIDAY.ends)) extra.push(d);
  }
  P.lessons = [...T.lessons, ...extra.map((d) => `l-${d.replaceAll('-', '')}`)];
  const topics = (id: string, i: number): OpDraft => draft('lesson.update', {
    id, status: 'held', topic: i === 0 ? 'Звуки речи. Гласные и согласные звуки' : `Тема урока № ${i + 1}: правописание корней`, homework: `§ ${i + 1}, упр. ${10 + i}`,
    ...(i === 3 ? { workType: 'dictation' } : {}),
  });
  submit(admin,
    draft('period.set', { id: 'y26-t2', yearId: T.year, scheme: 'trimesters', number: 2, name: 'II триместр', starts: '2026-12-01', ends: '2027-02-28' }),
    draft('period.set', { id: 'y26-t3', yearId: T.year, scheme: 'trimesters', number: 3, name: 'III триместр', starts: '2027-03-01', ends: '2027-05-31' }),
    draft('holiday.set', { id: 'h-autumn', yearId: T.year, name: 'Осенние каникулы', ...HOLIDAY }),
    draft('student.set', { id: P.long, lastName: P.longSurname, firstName: 'Александра-Виктория', middleName: 'Вячеславовна', classId: T.cls }),
    draft('staff.set', { id: 'st-director', lastName: 'Лаптандер', firstName: 'Галина', middleName: 'Ивановна', position: 'Директор' }),
    draft('account.set', { id: 'acc-director', login: 'director', personKind: 'staff', personId: 'st-director', roles: ['director'] }),
    draft('consent.set', { parentId: 'p-1', kind: 'diary_mode', value: 'paper', date: '2026-08-28' }),
    draft('parent.set', { id: 'p-3', lastName: 'Вануйто', firstName: 'Сергей' }),
    draft('parent.link', { parentId: 'p-3', studentId: s2 }),
    draft('consent.set', { parentId: 'p-3', kind: 'diary_mode', value: 'electronic', date: '2026-08-28' }),
    draft('slot.set', { id: 'sl-1', courseId: T.course, weekday: 1, number: 2, room: 'каб. 21', validFrom: '2026-09-01' }),
    draft('slot.set', { id: 'sl-2', courseId: T.course, weekday: 3, number: 1, room: 'каб. 21', validFrom: '2026-09-01' }),
    ...extra.map((date, i) => draft('lesson.create', { id: P.lessons[3 + i]!, courseId: T.course, date, number: 2 })),
    ...P.lessons.map((id, i) => topics(id, i)),
    draft('substitution.set', { lessonId: P.lessons[3]!, teacherId: T.substitute, reason: 'Больничный лист учителя' }),
    draft('mark.set', { lessonId: T.lessons[0], marks: [
      { studentId: s1, value: '5', workType: 'oral', comment: 'Отлично знает правило' },
      { studentId: P.long, value: '4', workType: 'lesson' },
    ] }),
    draft('mark.set', { lessonId: T.lessons[2], marks: [{ studentId: s1, value: '4', workType: 'homework' }, { studentId: s3, value: '3', column: 'reading', workType: 'reading' }] }),
    draft('mark.set', { lessonId: P.lessons[3]!, marks: [{ studentId: s1, value: '5/4', workType: 'control_dictation' }, { studentId: P.long, value: '2', workType: 'dictation', comment: 'Повторить словарные слова' }] }),
    draft('homework.individual', { lessonId: P.lessons[3]!, studentId: P.long, text: 'Работа над ошибками, упр. 41' }),
    draft('attendance.set', { lessonId: T.lessons[2], entries: [{ studentId: s2, absent: true }, { studentId: P.long, absent: true }] }),
    draft('absence.reason', { lessonId: T.lessons[2], entries: [{ studentId: s2, reason: 'illness' }] }),
    draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term: T.period1, marks: [{ studentId: s1, value: '5' }, { studentId: s2, value: '4' }, { studentId: s3, value: '3' }, { studentId: P.long, value: '4' }] }),
    draft('periodMark.set', { yearId: T.year, subjectId: T.subject, term: 'annual', marks: [{ studentId: s1, value: '5' }, { studentId: s2, value: '4' }, { studentId: s3, value: '3' }, { studentId: P.long, value: '2' }] }),
  );
  // The teacher's account leaked on 5 October: the director records it (R-BREACH), then the account did more.
  const director = { ...admin, actor: { accountId: 'acc-director' } };
  director.clock.set('2026-10-05T09:00:00.000Z');
  submit(director, draft('breach.record', { id: P.breach, accountId: T.teacherAcc, from: '2026-10-05T08:00:00Z', reportedAt: '2026-10-05T08:30:00Z', note: 'Пароль записан на листке, оставленном в учительской' }));
  const teacher = { ...school.teacher };
  teacher.clock.set('2026-10-05T10:00:00.000Z');
  submit(teacher, draft('mark.set', { lessonId: P.lessons[10]!, marks: [{ studentId: s3, value: '5' }] }), draft('lesson.update', { id: P.lessons[10]!, homework: 'Упр. 99' }));
  return school;
}
