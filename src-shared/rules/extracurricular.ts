/**
 * R-EXTRA (п. 7.13, 8.3, 9.5): lessons held as extracurricular lessons (внеурочное занятие) by the
 * director's order: the topic column reads «<тема>. Внеурочное занятие, <форма>, приказ № …»
 * (or just «Внеурочное занятие», п. 7.13) on the actual date; no absences, no marks.
 */
import type { RuleLesson } from './inputs';
import { combine, ok, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

export const EXTRACURRICULAR_TOPIC = 'Внеурочное занятие';
const ORDER_RE = /№\s*\S+/u;

/** R-EXTRA (п. 8.3): «Тема. Внеурочное занятие, форма, приказ № 12»; parts left out when empty. */
export function extracurricularTopic(topic: string | undefined, form?: string, orderNo?: string): string {
  const t = (topic ?? '').trim().replace(/[.\s]+$/u, '');
  const tail = [EXTRACURRICULAR_TOPIC, form?.trim(), orderNo?.trim() ? `приказ № ${orderNo.trim().replace(/^№\s*/u, '')}` : undefined]
    .filter((s): s is string => s !== undefined && s !== '')
    .join(', ');
  return t === '' ? tail : `${t}. ${tail}`;
}

/**
 * R-EXTRA (п. 7.13, 8.3): the topic of an extracurricular lesson names it «Внеурочное занятие» and
 * gives the form and the order number (in the topic or in the lesson's fields). Warnings only.
 */
export function checkExtracurricularTopic(lesson: Pick<RuleLesson, 'kind' | 'topic' | 'form' | 'orderNo'>): Verdict {
  if (lesson.kind !== 'extracurricular') return ok();
  const topic = lesson.topic ?? '';
  const out: Verdict[] = [];
  if (!topic.toLowerCase().includes(EXTRACURRICULAR_TOPIC.toLowerCase())) {
    out.push(warn('R-EXTRA', 'п. 7.13', 'В графе «Тема урока» внеурочного занятия делается запись «Внеурочное занятие»', { topic }));
  }
  if (!lesson.orderNo?.trim() && !ORDER_RE.test(topic)) {
    out.push(warn('R-EXTRA', 'п. 8.3', 'Укажите номер приказа, по которому проводится внеурочное занятие'));
  }
  if (!lesson.form?.trim()) {
    out.push(warn('R-EXTRA', 'п. 8.3', 'Укажите форму проведения внеурочного занятия'));
  }
  return combine(...out);
}

/** R-EXTRA (п. 7.13): no marks at an extracurricular lesson. */
export function checkExtracurricularMark(lesson: Pick<RuleLesson, 'kind'>): Verdict {
  if (lesson.kind === 'extracurricular') {
    return refuse('R-EXTRA', 'п. 7.13', 'На внеурочном занятии отметки не ставятся');
  }
  return ok();
}

/** R-EXTRA (п. 7.13): no absences («н») at an extracurricular lesson. */
export function checkExtracurricularAbsence(lesson: Pick<RuleLesson, 'kind'>): Verdict {
  if (lesson.kind === 'extracurricular') {
    return refuse('R-EXTRA', 'п. 7.13', 'Отсутствующие на внеурочном занятии не отмечаются');
  }
  return ok();
}
