/**
 * What the people of the demo school say to each other: announcements (the distance day, a
 * parents' meeting, the holidays), a few messages between a parent, a pupil and the teacher, each
 * read a while later, and parents acknowledging the diary in the last week (R-ACK).
 */
import type { LocalDate } from '../../src-shared/domain/values';
import { addDays } from '../../src-shared/domain/values';
import { draft } from '../journal/log';
import { ru, ymd } from './calendar';
import type { SpecialDays } from './special-days';
import { Writer } from './writer';
import { MIN, type Year } from './year';

/** The director announces the distance day early in its morning (the order of the day, п. 8.1). */
export function announceDistanceDay(year: Year, special: SpecialDays, d: LocalDate): void {
  if (d !== special.distanceDay) return;
  year.w.add(Writer.at(d, 6 * 60 + 30), year.school.demo.director.accountId, [draft('announcement.post', {
    id: 'ann-004', title: 'Актированный день: дистанционное обучение',
    body: `В связи с низкой температурой воздуха (−43 °C) и сильным ветром ${ru(d)} занятия для 1–11 классов проводятся дистанционно по расписанию (приказ № ${special.distanceOrder}). Задания — в электронном дневнике.`,
    audience: { kind: 'school' },
  })]);
}

/** Announcements, messages and diary acknowledgements of day `d`. */
export function communicate(year: Year, d: LocalDate): void {
  const { w, school, cal, today, Y } = year;
  const { deputy, teacher: demoTeacher } = school.demo;
  const parent = school.demo.parent;
  const child5 = parent.children.find((c) => c.classId === school.demo.student.classId) ?? parent.children[0]!;
  const cls5 = year.classById.get(child5.classId)!;
  const m = (id: string, from: string, to: string, hm: number, body: string, readAfter: number) => {
    const at = Writer.at(d, hm);
    w.add(at, from, [draft('message.send', { id, to, body })]);
    w.add(at + readAfter * MIN, to, [draft('message.read', { id })]);
  };
  if (d === ymd(Y, 9, 10)) m('msg-001', parent.accountId!, demoTeacher.accountId, 19 * 60 + 20, 'Здравствуйте, Ирина Николаевна! Подскажите, пожалуйста, нужна ли отдельная тетрадь для словарных слов?', 45);
  if (d === ymd(Y, 9, 11)) m('msg-002', demoTeacher.accountId, parent.accountId!, 7 * 60 + 55, 'Добрый день! Да, заведите, пожалуйста, тонкую тетрадь в линейку. Словарные слова будем писать каждую неделю.', 270);
  if (d === ymd(Y, 9, 15)) {
    w.add(Writer.at(d, 16 * 60), demoTeacher.accountId, [draft('announcement.post', {
      id: 'ann-002', title: `Родительское собрание ${cls5.name}`,
      body: `Уважаемые родители! Родительское собрание ${cls5.name} состоится ${ru(ymd(Y, 9, 24))} в 18:00 в кабинете 21. Повестка: адаптация в 5 классе, электронный дневник, питание.`,
      audience: { kind: 'class', classId: cls5.id },
    })]);
  }
  if (d === ymd(Y, 10, 19)) {
    const autumn = cal.holidays.find((h) => h.id.endsWith('autumn'))!;
    w.add(Writer.at(d, 12 * 60), deputy.accountId, [draft('announcement.post', {
      id: 'ann-003', title: 'Осенние каникулы',
      body: `Осенние каникулы — с ${ru(autumn.starts)} по ${ru(autumn.ends)}. Просим родителей напомнить детям о правилах безопасности на льду рек и на дорогах.`,
      audience: { kind: 'role', role: 'parent' },
    })]);
  }
  if (d === ymd(Y, 10, 21)) m('msg-003', deputy.accountId, demoTeacher.accountId, 13 * 60 + 5, 'Ирина Николаевна, прошу до пятницы проверить, что в 7А записаны темы всех уроков за прошлую неделю. Спасибо!', 95);
  if (d === ymd(Y, 11, 12)) m('msg-004', 'acc-student', demoTeacher.accountId, 18 * 60 + 40, `Ирина Николаевна, можно мне переписать словарный диктант? Я ${school.demo.student.gender === 'm' ? 'болел' : 'болела'} и ${school.demo.student.gender === 'm' ? 'пропустил' : 'пропустила'} тему.`, 80);
  if (d === ymd(Y, 11, 13)) m('msg-005', demoTeacher.accountId, 'acc-student', 8 * 60 + 5, 'Да, приходи после шестого урока в каб. 21.', 200);
  // Parents read the diary in the last week before "now" (R-ACK), and only in the school year: the
  // families get their accounts on the eve of its first day (setup.ts), and the diary has nothing in it before.
  if (d >= cal.starts && d >= addDays(today, -6) && d <= today) {
    for (const p of school.parents) {
      if (!p.accountId || year.rng.time.next() > 0.12) continue;
      w.add(Writer.at(d, year.rng.time.int(18 * 60, 22 * 60)), p.accountId, p.children.map((c) => draft('diary.ack', { studentId: c.id })));
    }
  }
}
