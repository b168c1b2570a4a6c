/**
 * R-TOPICS (п. 9.5, 7.15): the lesson topic (per the КТП; each lesson of a double lesson with
 * its own date and topic) and the subject rules of п. 7.15: the prefixes «Вн.чт.», «Выр.чт.»,
 * «Р.р.»; the safety instruction at laboratory and practical works in chemistry, physics, PE and
 * technology; a foreign-language topic names one of the lesson's main tasks; all entries in
 * Russian. These are warnings: the wording is the teacher's.
 */
import type { SubjectCode } from '../domain/school';
import type { RuleLesson } from './inputs';
import { checkDistanceTopic } from './distance';
import { checkExtracurricularTopic } from './extracurricular';
import { combine, ok, warn } from './verdict';
import type { Verdict } from './verdict';

export interface TopicPrefix {
  prefix: string;
  /** What the prefix marks. */
  label: string;
}

export const PREFIX_OUT_OF_CLASS_READING: TopicPrefix = { prefix: 'Вн.чт.', label: 'внеклассное (самостоятельное) чтение' };
export const PREFIX_EXPRESSIVE_READING: TopicPrefix = { prefix: 'Выр.чт.', label: 'выразительное чтение' };
export const PREFIX_SPEECH: TopicPrefix = { prefix: 'Р.р.', label: 'развитие речи (сочинение, изложение)' };
export const PREFIX_SAFETY: TopicPrefix = { prefix: 'Инструктаж по ТБ', label: 'инструктаж по технике безопасности' };

/** Subjects where the safety instruction is recorded at laboratory and practical works (п. 7.15). */
export const SAFETY_SUBJECTS: readonly SubjectCode[] = ['chemistry', 'physics', 'pe', 'technology'];

/** R-TOPICS (п. 7.15): the topic prefixes offered for a subject, in the order of the regulation. */
export function topicPrefixes(subjectCode: SubjectCode): TopicPrefix[] {
  switch (subjectCode) {
    case 'literature':
    case 'reading':
      return [PREFIX_OUT_OF_CLASS_READING, PREFIX_EXPRESSIVE_READING, PREFIX_SPEECH];
    case 'russian':
      return [PREFIX_SPEECH];
    default:
      return SAFETY_SUBJECTS.includes(subjectCode) ? [PREFIX_SAFETY] : [];
  }
}

/** R-TOPICS (п. 9.5): every lesson (each one of a double lesson too) has its own topic. */
export function checkTopicPresent(lesson: Pick<RuleLesson, 'topic'>): Verdict {
  if (!lesson.topic?.trim()) return warn('R-TOPICS', 'п. 9.5', 'Запишите тему урока по календарно-тематическому планированию');
  return ok();
}

/** R-TOPICS (п. 7.15): a Russian or literature essay / presentation topic starts with «Р.р.». */
export function checkSpeechDevelopmentPrefix(lesson: Pick<RuleLesson, 'subjectCode' | 'workType' | 'topic'>): Verdict {
  const speech = lesson.workType === 'essay' || lesson.workType === 'presentation';
  if ((lesson.subjectCode === 'russian' || lesson.subjectCode === 'literature') && speech
    && lesson.topic?.trim() && !lesson.topic.trim().startsWith(PREFIX_SPEECH.prefix)) {
    return warn('R-TOPICS', 'п. 7.15', 'Уроки развития речи записываются с пометкой «Р.р.», например: «Р.р. Сочинение по творчеству поэтов серебряного века»', { topic: lesson.topic });
  }
  return ok();
}

const SAFETY_RE = /инструктаж\s+по\s+(?:тб|т\.\s?б\.|технике\s+безопасности|охране\s+труда)/iu;

/**
 * R-TOPICS (п. 7.15): at a laboratory or practical work in chemistry, physics, PE or technology
 * the safety instruction is noted in the topic or in the homework column.
 */
export function checkSafetyInstruction(lesson: Pick<RuleLesson, 'subjectCode' | 'workType' | 'topic' | 'homework'>): Verdict {
  if (!SAFETY_SUBJECTS.includes(lesson.subjectCode)) return ok();
  if (lesson.workType !== 'laboratory' && lesson.workType !== 'practical') return ok();
  if (SAFETY_RE.test(lesson.topic ?? '') || SAFETY_RE.test(lesson.homework ?? '')) return ok();
  return warn('R-TOPICS', 'п. 7.15', 'При лабораторной или практической работе отметьте «Инструктаж по ТБ» в графе «Тема урока» или «Домашнее задание»');
}

/**
 * Words that name a lesson's main task (п. 7.15 example: «Ознакомление с определённым артиклем»).
 * Stems, matched case-insensitively anywhere in the topic.
 */
export const MAIN_TASK_STEMS: readonly string[] = [
  'ознакомлен', 'введени', 'закреплени', 'развити', 'формировани', 'совершенствовани', 'обучени', 'тренировк',
  'повторени', 'отработк', 'активизаци', 'контрол', 'проверк', 'систематизаци', 'обобщени', 'изучени', 'практик', 'применени',
];

const CYRILLIC = /[А-Яа-яЁё]/u;
const LATIN = /[A-Za-z]/u;

/** R-TOPICS (п. 7.15 «все записи ведутся на русском языке»): the text has Latin letters and no Cyrillic ones. */
export function isLatinOnly(text: string): boolean {
  return LATIN.test(text) && !CYRILLIC.test(text);
}

/**
 * R-TOPICS (п. 7.15 «Иностранный язык»): all entries in Russian (a Latin-only topic or homework
 * is flagged), and the topic names one of the lesson's main tasks.
 */
export function checkForeignLanguageEntry(lesson: Pick<RuleLesson, 'subjectCode' | 'topic' | 'homework'>): Verdict {
  if (lesson.subjectCode !== 'foreign') return ok();
  const topic = lesson.topic?.trim() ?? '';
  const out: Verdict[] = [];
  if (isLatinOnly(topic)) out.push(warn('R-TOPICS', 'п. 7.15', 'По иностранному языку все записи ведутся на русском языке: тема урока записана только латиницей', { topic }));
  if (isLatinOnly(lesson.homework ?? '')) out.push(warn('R-TOPICS', 'п. 7.15', 'По иностранному языку все записи ведутся на русском языке: домашнее задание записано только латиницей'));
  const lower = topic.toLowerCase().replaceAll('ё', 'е');
  if (topic !== '' && !MAIN_TASK_STEMS.some((s) => lower.includes(s))) {
    out.push(warn('R-TOPICS', 'п. 7.15', 'В теме урока иностранного языка укажите одну из основных задач урока, например: «Ознакомление с определённым артиклем»', { topic }));
  }
  return combine(...out);
}

/** R-TOPICS with R-EXTRA and R-DISTANCE: every topic check for one lesson. */
export function checkLessonTopic(lesson: Pick<RuleLesson, 'subjectCode' | 'workType' | 'topic' | 'homework' | 'kind' | 'form' | 'orderNo'>): Verdict {
  return combine(
    checkTopicPresent(lesson),
    checkSpeechDevelopmentPrefix(lesson),
    checkSafetyInstruction(lesson),
    checkForeignLanguageEntry(lesson),
    checkExtracurricularTopic(lesson),
    checkDistanceTopic(lesson),
  );
}
