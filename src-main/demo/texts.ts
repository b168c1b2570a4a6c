/** Homework, mark comments and the few letters of the demo, in the words a teacher would use. */
import type { SubjectCode } from '../../src-shared/domain/school';
import type { PlannedLesson } from './ktp';
import type { Rng } from './prng';

/** R-HOMEWORK: the class homework of a lesson, or undefined (grade 1 gets none, PE rarely). */
export function homeworkFor(code: SubjectCode, grade: number, index: number, total: number, plan: PlannedLesson, rng: Rng): string | undefined {
  if (grade === 1) return undefined;
  const para = Math.max(1, Math.floor((index / Math.max(1, total)) * 40) + 1);
  const ex = para * 7 + rng.int(0, 6);
  const page = para * 4 + rng.int(0, 3) + 3;
  if (plan.reading) return rng.pick(['Выучить стихотворение наизусть', 'Подготовить выразительное чтение отрывка наизусть']);
  const wt = plan.workType;
  if (wt === 'control' || wt === 'control_dictation' || wt === 'monitoring') return rng.chance(0.5) ? 'Повторить правила раздела' : undefined;
  switch (code) {
    case 'russian':
      return rng.pick([`§ ${para}, упр. ${ex}`, `§ ${para}, выучить правило, упр. ${ex}`, `Упр. ${ex}, словарные слова на с. ${page}`]);
    case 'literature':
      return rng.pick([`Прочитать с. ${page}–${page + 12}`, `Ответить на вопросы 1–4 на с. ${page}`, `Подготовить пересказ эпизода`, `Письменно ответить на вопрос ${rng.int(2, 6)} на с. ${page}`]);
    case 'reading':
      return rng.pick([`Учебник с. ${page}–${page + 3}, выразительное чтение`, `С. ${page}, ответить на вопросы`, `Пересказ текста на с. ${page}`]);
    case 'math': case 'algebra': case 'geometry':
      return rng.pick([`П. ${para}, № ${ex}, ${ex + 3}, ${ex + 5}`, `№ ${ex}, ${ex + 2}`, `П. ${para}, выучить определения, № ${ex}`]);
    case 'foreign':
      return rng.pick([`Учебник с. ${page}, упр. ${rng.int(2, 8)}`, `Выучить новые слова на с. ${page}`, `Рабочая тетрадь с. ${Math.floor(page / 2)}, упр. ${rng.int(1, 5)}`]);
    case 'pe':
      return rng.chance(0.1) ? 'Комплекс утренней гимнастики' : undefined;
    case 'music': case 'art':
      return rng.chance(0.3) ? rng.pick(['Подготовить материалы к следующему уроку', 'Завершить рисунок', 'Подобрать песню о родном крае']) : undefined;
    case 'technology':
      return rng.chance(0.4) ? 'Подготовить материалы для практической работы' : undefined;
    case 'world':
      return rng.pick([`Учебник с. ${page}–${page + 3}, ответить на вопросы`, `Рабочая тетрадь с. ${Math.floor(page / 2)}`]);
    case 'informatics':
      return rng.pick([`§ ${para}, вопросы 1–3`, `§ ${para}, задание ${rng.int(1, 6)}`]);
    case 'other':
      return rng.chance(0.5) ? rng.pick(['Подготовить сообщение', 'Повторить записи в тетради']) : undefined;
    default:
      return rng.pick([`§ ${para}, вопросы ${rng.int(1, 3)}–${rng.int(4, 6)}`, `§ ${para}, выписать термины`, `§ ${para}, заполнить таблицу`]);
  }
}

const COMMENTS: Record<string, readonly string[]> = {
  '5': ['Отличный ответ у доски', 'Полный развёрнутый ответ', 'Работа выполнена без ошибок'],
  '4': ['Есть неточности в ответе', 'Незначительные ошибки в вычислениях', 'Хорошо, но нужно повторить правило'],
  '3': ['Ответ неполный', 'Не выучено определение', 'Много исправлений'],
  '2': ['Не выполнено домашнее задание', 'Не знает правило', 'Работа не выполнена'],
};

export function markComment(value: string, rng: Rng): string {
  return rng.pick(COMMENTS[value[0]!] ?? COMMENTS['4']!);
}

export function individualHomework(code: SubjectCode, rng: Rng): string {
  switch (code) {
    case 'russian': return rng.pick(['Работа над ошибками, карточка № ' + rng.int(1, 20), 'Выписать 10 слов на изученную орфограмму']);
    case 'math': case 'algebra': case 'geometry': return rng.pick(['Работа над ошибками, карточка № ' + rng.int(1, 20), 'Решить задачи из карточки для повторения']);
    case 'foreign': return 'Повторить слова раздела, карточка с заданием';
    default: return rng.pick(['Работа над ошибками', 'Подготовить ответ по теме урока', 'Индивидуальное задание: карточка № ' + rng.int(1, 12)]);
  }
}
