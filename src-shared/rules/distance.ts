/**
 * R-DISTANCE (п. 8.1): lessons on distance-learning days (активированные дни, карантин). After
 * the topic the journal reads «дистанционное обучение, приказ № …»; absent students are not
 * marked «н»; marks for online work and for self-study are allowed (no rule restricts them).
 */
import type { RuleLesson } from './inputs';
import { ok, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

const SUFFIX_RE = /(.*\S)[\s.,;:–—-]+дистанционное обучение,?\s*(?:приказ\s*)?№\s*\S.*$/iu;

/** R-DISTANCE (п. 8.1): «Тема. Дистанционное обучение, приказ № 15». */
export function distanceTopic(topic: string, orderNo: string): string {
  const t = topic.trim().replace(/[.\s]+$/u, '');
  return `${t}. Дистанционное обучение, приказ № ${orderNo.trim().replace(/^№\s*/u, '')}`;
}

/** R-DISTANCE (п. 8.1): the topic is followed by «дистанционное обучение, приказ № …». Warning only. */
export function checkDistanceTopic(lesson: Pick<RuleLesson, 'kind' | 'topic'>): Verdict {
  if (lesson.kind !== 'distance') return ok();
  const topic = (lesson.topic ?? '').trim();
  if (!SUFFIX_RE.test(topic)) {
    return warn('R-DISTANCE', 'п. 8.1', 'После темы урока запишите «дистанционное обучение, приказ № …»', { topic });
  }
  return ok();
}

/** R-DISTANCE (п. 8.1): absent students are not marked «н» at a distance lesson. */
export function checkDistanceAbsence(lesson: Pick<RuleLesson, 'kind'>): Verdict {
  if (lesson.kind === 'distance') {
    return refuse('R-DISTANCE', 'п. 8.1', 'При дистанционном обучении отсутствующим «н» не ставится');
  }
  return ok();
}
