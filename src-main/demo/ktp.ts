/**
 * Calendar-thematic plans (КТП, R-KTP): one per subject and parallel, as many hours as the
 * curriculum gives over 34 weeks. Topics come from the units in topics.ts; where a unit has fewer
 * topics than hours, practice lessons in the subject's manner fill it («Решение задач по теме …»,
 * «Закрепление по теме …»), before the unit's closing control work. The work type of a lesson is
 * read off its topic (контрольный диктант, лабораторная работа, Р.р. Сочинение, Выр.чт. …).
 */
import type { SubjectCode, WorkType } from '../../src-shared/domain/school';
import { unitsFor, type Unit } from './topics';

export interface KtpEntry {
  number: number;
  topic: string;
  hours: number;
}

/** One lesson of the plan, expanded from the КТП (an entry of 2 hours gives 2 lessons). */
export interface PlannedLesson {
  entry: KtpEntry;
  workType: WorkType | undefined;
  /** «Выр.чт.»: expressive reading marks go to the reading column (п. 7.15). */
  reading: boolean;
}

const SAFETY_SUBJECTS: readonly SubjectCode[] = ['chemistry', 'physics', 'technology', 'pe'];

/** The work type a КТП topic names (R-WORKTYPE). Undefined: an ordinary lesson. */
export function workTypeOfTopic(topic: string): WorkType | undefined {
  const t = topic.replace(/^Инструктаж по ТБ\.\s*/u, '');
  if (/^Контрольный диктант/u.test(t)) return 'control_dictation';
  if (/внутренний мониторинг/u.test(t)) return 'monitoring';
  if (/^(Итоговая )?[Кк]онтрольная работа/u.test(t) || /^Промежуточная аттестация/u.test(t)) return 'control';
  if (/^Лабораторная работа/u.test(t)) return 'laboratory';
  if (/^Практическая работа/u.test(t)) return 'practical';
  if (/^Р\.р\. Сочинение/u.test(t)) return 'essay';
  if (/^Р\.р\. (Сжатое )?[Ии]зложение/u.test(t)) return 'presentation';
  if (/^Зачёт/u.test(t)) return 'credit';
  if (/^Проверочная работа/u.test(t)) return 'test';
  if (/^Самостоятельная работа/u.test(t)) return 'independent';
  if (/^(Словарный )?[Дд]иктант/u.test(t)) return 'dictation';
  if (/^Защита проекта/u.test(t)) return 'project';
  return undefined;
}

function fillers(code: SubjectCode, unit: string): string[] {
  switch (code) {
    case 'russian':
      return ['Закрепление по теме «{prev}»', `Упражнения по теме «${unit}»`, `Словарный диктант. Повторение по теме «${unit}»`, `Обобщение по теме «${unit}»`];
    case 'literature':
      return [`${unit}: анализ эпизода`, `${unit}: система образов`, `${unit}: художественные особенности`, `${unit}: обобщение`];
    case 'reading':
      return [`${unit}: чтение и анализ произведений`, `${unit}: работа с текстом`, `Обобщение по разделу «${unit}»`];
    case 'math': case 'algebra': case 'geometry':
      return ['Решение задач по теме «{prev}»', `Закрепление по теме «${unit}»`, `Самостоятельная работа по теме «${unit}»`, `Решение задач по теме «${unit}»`];
    case 'foreign':
      return [`${unit}. Развитие навыков чтения`, `${unit}. Тренировка лексических навыков`, `${unit}. Развитие навыков аудирования`, `${unit}. Совершенствование навыков диалогической речи`, `${unit}. Обучение письменной речи`];
    case 'physics': case 'chemistry':
      return [`Решение задач по теме «${unit}»`, `Обобщение по теме «${unit}»`];
    case 'pe':
      return [`${unit}: совершенствование техники`, `${unit}: развитие физических качеств`, `${unit}: учебная игра`];
    case 'music': case 'art': case 'technology':
      return [`${unit}: практическое занятие`, `${unit}: творческая работа`];
    case 'informatics':
      return [`Практикум по теме «${unit}»`, `Решение задач по теме «${unit}»`];
    case 'other':
      return ['{prev}: практическое занятие', '{prev}: беседа и обсуждение', `Обобщение по теме «${unit}»`];
    default:
      return [`Повторение по теме «${unit}»`, `Обобщение по теме «${unit}»`, `Практикум по теме «${unit}»`];
  }
}

const isClosing = (t: string) => workTypeOfTopic(t) === 'control' || workTypeOfTopic(t) === 'control_dictation' || workTypeOfTopic(t) === 'credit';

/** The КТП of a subject for a grade: `total` hours, in order. `{prev}` in a filler is the topic before it. */
export function buildKtp(subjectId: string, code: SubjectCode, grade: number, total: number): KtpEntry[] {
  const units: Unit[] = unitsFor(subjectId, code, grade);
  const raw = units.map((u) => u[1].length);
  const sumRaw = raw.reduce((a, b) => a + b, 0);
  // Hours per unit: proportional to its topics, at least one each, exactly `total` in all.
  const quota = raw.map((r) => Math.max(1, Math.floor((r * total) / sumRaw)));
  let diff = total - quota.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0 && i < 10_000; i++) {
    const k = i % quota.length;
    if (diff > 0) { quota[k]! += 1; diff--; } else if (quota[k]! > 1) { quota[k]! -= 1; diff++; }
  }
  const topics: string[] = [];
  units.forEach(([name, list], i) => {
    const q = quota[i]!;
    let chosen: string[];
    if (list.length >= q) {
      // Keep the first topics and the closing one.
      const last = list[list.length - 1]!;
      chosen = isClosing(last) && q > 1 ? [...list.slice(0, q - 1), last] : list.slice(0, q);
    } else {
      const fill = fillers(code, name);
      const extra: string[] = [];
      // Practice lessons cycle; a filler that is a graded work (диктант, самостоятельная) comes once per unit.
      for (let k = 0; extra.length < q - list.length; k++) {
        const f = fill[k % fill.length]!;
        if (k < fill.length || workTypeOfTopic(f) === undefined) extra.push(f);
      }
      // Practice lessons spread through the unit (never between a «Подготовка к …» and its work), closing work last.
      const last = list[list.length - 1];
      const closing = last !== undefined && isClosing(last);
      const core = closing ? list.slice(0, -1) : [...list];
      const after: string[][] = core.map(() => []);
      extra.forEach((f, j) => {
        let pos = Math.min(core.length - 1, Math.floor(((j + 1) * core.length) / (extra.length + 1)));
        while (pos < core.length - 1 && /Подготовка/u.test(core[pos]!)) pos++;
        if (pos >= 0) after[pos]!.push(f.replace('{prev}', core[pos]!.replace(/^Р\.р\.\s*/u, '').replace(/[.\s]+$/u, '')));
      });
      chosen = core.length === 0 ? extra.map((f) => f.replace('{prev}', name)) : core.flatMap((t, k) => [t, ...after[k]!]);
      if (closing) chosen.push(last);
    }
    topics.push(...chosen);
  });
  const safety = SAFETY_SUBJECTS.includes(code);
  const out: KtpEntry[] = [];
  for (const raw0 of topics) {
    let topic = raw0;
    const wt = workTypeOfTopic(topic);
    if (safety && (wt === 'laboratory' || wt === 'practical') && !topic.startsWith('Инструктаж по ТБ')) topic = `Инструктаж по ТБ. ${topic}`;
    const prev = out[out.length - 1];
    // Two lessons in a row on the same practice topic make one КТП entry of 2 hours.
    if (prev && prev.topic === topic && prev.hours < 2) prev.hours += 1;
    else out.push({ number: out.length + 1, topic, hours: 1 });
  }
  return out;
}

/** The lessons the КТП gives, one per hour, with the work type and the reading column. */
export function expandKtp(entries: readonly KtpEntry[]): PlannedLesson[] {
  const out: PlannedLesson[] = [];
  for (const e of entries) {
    const workType = workTypeOfTopic(e.topic);
    const reading = e.topic.startsWith('Выр.чт.');
    for (let h = 0; h < e.hours; h++) out.push({ entry: e, workType, reading });
  }
  return out;
}
