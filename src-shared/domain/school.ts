/**
 * The school's vocabulary: roles, levels, periods, lesson kinds, work types.
 * Russian terms live in the labels; docs/glossary.md maps them to the English names used in code.
 */

/** R-ROLES (п. 7.1, 9). One person may hold several roles. */
export const ROLES = ['director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin', 'parent', 'student'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  director: 'Директор',
  deputy: 'Заместитель директора по УВР',
  methodist: 'Методист (расписание)',
  class_teacher: 'Классный руководитель',
  teacher: 'Учитель',
  admin: 'Ответственный за техподдержку',
  parent: 'Родитель (законный представитель)',
  student: 'Обучающийся',
};

/** Levels of general education: НОО 1–4, ООО 5–9, СОО 10–11. */
export const LEVELS = ['NOO', 'OOO', 'SOO'] as const;
export type Level = (typeof LEVELS)[number];
export function levelOfGrade(grade: number): Level {
  if (grade <= 4) return 'NOO';
  if (grade <= 9) return 'OOO';
  return 'SOO';
}

/** Study periods: четверти / триместры / полугодия, chosen per level (R-SETUP). */
export const PERIOD_SCHEMES = ['quarters', 'trimesters', 'halves'] as const;
export type PeriodScheme = (typeof PERIOD_SCHEMES)[number];

/** Terms a period-type mark can belong to, besides a study period id. */
export const FINAL_TERMS = ['annual', 'exam', 'final'] as const;
export type FinalTerm = (typeof FINAL_TERMS)[number];
export const FINAL_TERM_LABELS: Record<FinalTerm, string> = { annual: 'Годовая', exam: 'Экзамен', final: 'Итоговая' };

export const GROUP_KINDS = ['class', 'subgroup', 'profile', 'elective', 'club', 'project'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** R-EXTRA, R-DISTANCE, R-HOME: what a lesson is. */
export const LESSON_KINDS = ['regular', 'extracurricular', 'distance', 'home'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];
export const LESSON_KIND_LABELS: Record<LessonKind, string> = {
  regular: 'Урок',
  extracurricular: 'Внеурочное занятие',
  distance: 'Дистанционное обучение',
  home: 'Обучение на дому',
};

export const LESSON_STATUSES = ['planned', 'held', 'cancelled', 'moved'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

/** Timetable kinds (R-SETUP): main, extracurricular, additional education. */
export const TIMETABLE_KINDS = ['main', 'extracurricular', 'additional'] as const;
export type TimetableKind = (typeof TIMETABLE_KINDS)[number];

/**
 * R-WORKTYPE (п. 9.5): work types spelled out in full. `thematic` marks thematic control
 * (п. 7.14: every student gets a mark in that column); `written` ones follow the written-work
 * entry windows (R-DATE).
 */
export const WORK_TYPES = {
  lesson: { label: 'Работа на уроке', thematic: false, written: false },
  oral: { label: 'Устный ответ', thematic: false, written: false },
  homework: { label: 'Домашняя работа', thematic: false, written: true },
  independent: { label: 'Самостоятельная работа', thematic: false, written: true },
  test: { label: 'Проверочная работа', thematic: false, written: true },
  control: { label: 'Контрольная работа', thematic: true, written: true },
  monitoring: { label: 'Контрольная работа (внутренний мониторинг)', thematic: true, written: true },
  dictation: { label: 'Диктант', thematic: true, written: true },
  control_dictation: { label: 'Контрольный диктант с грамматическим заданием', thematic: true, written: true },
  essay: { label: 'Сочинение', thematic: true, written: true },
  presentation: { label: 'Изложение', thematic: true, written: true },
  creative: { label: 'Творческая работа', thematic: false, written: true },
  credit: { label: 'Зачёт', thematic: true, written: false },
  practical: { label: 'Практическая работа', thematic: true, written: true },
  laboratory: { label: 'Лабораторная работа', thematic: true, written: true },
  reading: { label: 'Выразительное чтение (наизусть)', thematic: false, written: false },
  project: { label: 'Проект', thematic: false, written: false },
  online: { label: 'Работа в онлайн-режиме', thematic: false, written: false },
  self_study: { label: 'Самостоятельное освоение', thematic: false, written: true },
} as const satisfies Record<string, { label: string; thematic: boolean; written: boolean }>;
export type WorkType = keyof typeof WORK_TYPES;
export const WORK_TYPE_CODES = Object.keys(WORK_TYPES) as WorkType[];

/**
 * R-SEPARATE-COLUMN (п. 7.15): marks that go to a column of their own next to the lesson's main
 * column. `reading` = «Выр.чт.» (expressive reading by heart); `literacy` = грамотность on the
 * Russian page in grades 10–11.
 */
export const MARK_COLUMNS = ['main', 'reading', 'literacy'] as const;
export type MarkColumn = (typeof MARK_COLUMNS)[number];
export const MARK_COLUMN_LABELS: Record<MarkColumn, string> = { main: '', reading: 'Выр.чт.', literacy: 'Грамотность' };

/** R-ABSENCE (п. 9.4): reasons the class teacher relabels absences with. */
export const ABSENCE_REASONS = ['illness', 'valid', 'unexcused'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];
export const ABSENCE_REASON_LABELS: Record<AbsenceReason, string> = {
  illness: 'по болезни',
  valid: 'по уважительной причине',
  unexcused: 'без уважительной причины',
};

/** Subject codes that the regulation treats specially (п. 7.15, 7.14 PE). Others are `other`. */
export const SUBJECT_CODES = [
  'russian', 'literature', 'foreign', 'math', 'algebra', 'geometry', 'informatics', 'history', 'social', 'geography',
  'biology', 'chemistry', 'physics', 'pe', 'technology', 'music', 'art', 'obzh', 'world', 'reading', 'native', 'other',
] as const;
export type SubjectCode = (typeof SUBJECT_CODES)[number];

/** Medical groups for PE (п. 7.14). */
export const MEDICAL_GROUPS = ['main', 'preparatory', 'special'] as const;
export type MedicalGroup = (typeof MEDICAL_GROUPS)[number];

/** R-CONSENT (п. 5.11, 9.2). */
export const CONSENT_KINDS = ['personal_data', 'diary_mode'] as const;

export const PERSON_KINDS = ['staff', 'parent', 'student'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
