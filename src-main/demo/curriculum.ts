/**
 * The curriculum (учебный план) of the demo school: a five-day week after the federal curricula
 * (ФОП НОО/ООО/СОО, универсальный профиль in 10–11), hours per week by grade, and which teacher
 * speciality teaches what.
 */
import type { SubjectCode } from '../../src-shared/domain/school';

export type Spec = 'primary' | 'rus' | 'math' | 'physinf' | 'foreign' | 'hist' | 'biochem' | 'geo' | 'pe' | 'musart' | 'tech';

export interface SubjectDef {
  id: string;
  name: string;
  short: string;
  code: SubjectCode;
  /** Hours per week in grades 1…11 (index 0 = grade 1). */
  hours: readonly number[];
  /** Who teaches it from grade 5 on (and English and PE from grade 1). */
  spec: Spec;
}

const g = (...h: number[]) => h;

export const SUBJECTS: readonly SubjectDef[] = [
  { id: 'russian', name: 'Русский язык', short: 'Рус. яз.', code: 'russian', spec: 'rus', hours: g(5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2) },
  { id: 'reading', name: 'Литературное чтение', short: 'Лит. чт.', code: 'reading', spec: 'rus', hours: g(4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0) },
  { id: 'literature', name: 'Литература', short: 'Лит-ра', code: 'literature', spec: 'rus', hours: g(0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3) },
  { id: 'foreign', name: 'Иностранный язык (английский)', short: 'Англ. яз.', code: 'foreign', spec: 'foreign', hours: g(0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3) },
  { id: 'math', name: 'Математика', short: 'Матем.', code: 'math', spec: 'math', hours: g(4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0) },
  { id: 'algebra', name: 'Алгебра', short: 'Алгебра', code: 'algebra', spec: 'math', hours: g(0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3) },
  { id: 'geometry', name: 'Геометрия', short: 'Геом.', code: 'geometry', spec: 'math', hours: g(0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2) },
  { id: 'probability', name: 'Вероятность и статистика', short: 'ВиС', code: 'math', spec: 'math', hours: g(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1) },
  { id: 'informatics', name: 'Информатика', short: 'Информ.', code: 'informatics', spec: 'physinf', hours: g(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1) },
  { id: 'history', name: 'История', short: 'История', code: 'history', spec: 'hist', hours: g(0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2) },
  { id: 'social', name: 'Обществознание', short: 'Общ.', code: 'social', spec: 'hist', hours: g(0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2) },
  { id: 'geography', name: 'География', short: 'Геогр.', code: 'geography', spec: 'geo', hours: g(0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1) },
  { id: 'biology', name: 'Биология', short: 'Биол.', code: 'biology', spec: 'biochem', hours: g(0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1) },
  { id: 'physics', name: 'Физика', short: 'Физика', code: 'physics', spec: 'physinf', hours: g(0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2) },
  { id: 'chemistry', name: 'Химия', short: 'Химия', code: 'chemistry', spec: 'biochem', hours: g(0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1) },
  { id: 'world', name: 'Окружающий мир', short: 'Окр. мир', code: 'world', spec: 'primary', hours: g(2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0) },
  { id: 'orkse', name: 'Основы религиозных культур и светской этики', short: 'ОРКСЭ', code: 'other', spec: 'hist', hours: g(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0) },
  { id: 'odnknr', name: 'Основы духовно-нравственной культуры народов России', short: 'ОДНКНР', code: 'other', spec: 'hist', hours: g(0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0) },
  { id: 'music', name: 'Музыка', short: 'Музыка', code: 'music', spec: 'musart', hours: g(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0) },
  { id: 'art', name: 'Изобразительное искусство', short: 'ИЗО', code: 'art', spec: 'musart', hours: g(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0) },
  { id: 'technology', name: 'Труд (технология)', short: 'Труд', code: 'technology', spec: 'tech', hours: g(1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0) },
  { id: 'obzr', name: 'Основы безопасности и защиты Родины', short: 'ОБЗР', code: 'obzh', spec: 'geo', hours: g(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1) },
  { id: 'pe', name: 'Физическая культура', short: 'Физ-ра', code: 'pe', spec: 'pe', hours: g(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2) },
  { id: 'project', name: 'Индивидуальный проект', short: 'Инд. проект', code: 'other', spec: 'hist', hours: g(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0) },
];

/** Not in the class curriculum: the elective for 10–11 and the club. */
export const ELECTIVE_SUBJECT = { id: 'el-math', name: 'Практикум по решению математических задач', short: 'Практикум (матем.)', code: 'math' as SubjectCode };
export const CLUB_SUBJECT = { id: 'club-kraeved', name: 'Кружок «Юный краевед: земля ненцев»', short: 'Юный краевед', code: 'other' as SubjectCode };

export const SUBJECT_BY_ID: ReadonlyMap<string, SubjectDef> = new Map(SUBJECTS.map((s) => [s.id, s]));

/** Grades 1–4: the class's own teacher teaches everything except English and PE. */
export function specOf(subjectId: string, grade: number): Spec {
  const s = SUBJECT_BY_ID.get(subjectId);
  if (!s) return 'math';
  if (grade <= 4 && s.spec !== 'foreign' && s.spec !== 'pe') return 'primary';
  return s.spec;
}

export const SPEC_POSITION: Record<Spec, string> = {
  primary: 'Учитель начальных классов',
  rus: 'Учитель русского языка и литературы',
  math: 'Учитель математики',
  physinf: 'Учитель физики и информатики',
  foreign: 'Учитель английского языка',
  hist: 'Учитель истории и обществознания',
  biochem: 'Учитель биологии и химии',
  geo: 'Учитель географии и ОБЗР',
  pe: 'Учитель физической культуры',
  musart: 'Учитель музыки и изобразительного искусства',
  tech: 'Учитель труда (технологии)',
};

/** Lessons a day (СанПиН 1.2.3685-21): grade 1 — up to 4; 2–4 — 4–5; 5–6 — 5–6; 7–11 — 5–7. */
export function dayBounds(grade: number): { min: number; max: number } {
  if (grade === 1) return { min: 4, max: 4 };
  if (grade <= 4) return { min: 4, max: 5 };
  if (grade <= 6) return { min: 5, max: 6 };
  return { min: 5, max: 7 };
}

/** Home-schooling plan for a primary pupil (п. 8.2): up to 10 hours a week with the class teacher. */
export const HOME_PLAN: readonly [string, number][] = [['russian', 3], ['reading', 2], ['math', 3], ['world', 1]];
