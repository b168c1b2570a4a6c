/**
 * What every printed document needs to know about the school: its name, a class with its year,
 * class teacher and students, the study periods of the class's level, the subjects it is taught
 * in the curriculum's order. Read-only queries; every order is fixed by the data itself (never by
 * insertion order), so the desktop, the CLI and the server print the same pages.
 */
import { FINAL_TERMS, FINAL_TERM_LABELS, levelOfGrade, type FinalTerm, type SubjectCode } from '../../src-shared/domain/school';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { fullName, shortName } from '../journal/queries';

export const collator = new Intl.Collator('ru');

export interface SchoolInfo { name: string; fullName: string | null; address: string | null; timezone: string }

export function schoolInfo(j: Journal): SchoolInfo {
  const s = j.stmt('SELECT name, full_name AS fullName, address, timezone FROM school WHERE id = 1').get() as SchoolInfo | undefined;
  if (!s) throw new JournalError('not_found', 'В журнале не заполнены сведения о школе');
  return s;
}

export interface YearInfo { id: string; name: string; starts: string; ends: string }

export interface ClassInfo {
  id: string;
  /** «5А» */
  name: string;
  grade: number;
  letter: string;
  year: YearInfo;
  classTeacher: { full: string; short: string } | null;
  groupId: string | null;
}

export function classInfo(j: Journal, classId: string): ClassInfo {
  const c = j.stmt(`SELECT c.id, c.grade, c.letter, y.id AS yearId, y.name AS yearName, y.starts, y.ends,
      st.last_name AS lastName, st.first_name AS firstName, st.middle_name AS middleName,
      (SELECT g.id FROM grp g WHERE g.kind = 'class' AND g.class_id = c.id ORDER BY g.id LIMIT 1) AS groupId
    FROM class c JOIN year y ON y.id = c.year_id LEFT JOIN staff st ON st.id = c.class_teacher_id WHERE c.id = ?`).get(classId) as
    { id: string; grade: number; letter: string; yearId: string; yearName: string; starts: string; ends: string; lastName: string | null; firstName: string | null; middleName: string | null; groupId: string | null } | undefined;
  if (!c) throw new JournalError('not_found', `Класс «${classId}» не найден`);
  const teacher = c.lastName && c.firstName ? { lastName: c.lastName, firstName: c.firstName, middleName: c.middleName } : null;
  return {
    id: c.id, name: `${c.grade}${c.letter}`, grade: c.grade, letter: c.letter,
    year: { id: c.yearId, name: c.yearName, starts: c.starts, ends: c.ends },
    classTeacher: teacher ? { full: fullName(teacher), short: shortName(teacher) } : null,
    groupId: c.groupId,
  };
}

/** Classes of a year in the school's order (1А, 1Б, 2А … 11А). */
export function classesOfYear(j: Journal, yearId: string): string[] {
  return j.stmt('SELECT id FROM class WHERE year_id = ? ORDER BY grade, letter, id').pluck().all(yearId) as string[];
}

/** The year a date falls in, or else the latest year that has begun, or else the first. */
export function yearAt(j: Journal, date: string): YearInfo {
  const y = (j.stmt('SELECT id, name, starts, ends FROM year WHERE starts <= ? ORDER BY starts DESC LIMIT 1').get(date) ??
    j.stmt('SELECT id, name, starts, ends FROM year ORDER BY starts LIMIT 1').get()) as YearInfo | undefined;
  if (!y) throw new JournalError('not_found', 'В журнале нет учебного года');
  return y;
}

export interface StudentRow { id: string; lastName: string; firstName: string; middleName: string | null; name: string; left: string | null }

/**
 * The students of a class in alphabetical order. `from`: also those who left the class on or
 * after that date (the annual journal keeps them, marked «выбыл(а)»); otherwise only those in it now.
 */
export function classStudents(j: Journal, classId: string, from?: string): StudentRow[] {
  const rows = j.stmt(`SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName, left FROM student
    WHERE class_id = ? AND (left IS NULL OR (? IS NOT NULL AND left >= ?))`).all(classId, from ?? null, from ?? null) as Omit<StudentRow, 'name'>[];
  return rows.map((r) => ({ ...r, name: fullName(r) }))
    .sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface PeriodInfo { id: string; name: string; short: string; number: number; starts: string; ends: string }

const ROMAN = ['I', 'II', 'III', 'IV'];
const SCHEME_SHORT: Record<string, string> = { quarters: 'ч.', trimesters: 'тр.', halves: 'пол.' };

/** The study periods of the class's level in its year (четверти / триместры / полугодия). */
export function classPeriods(j: Journal, c: ClassInfo): PeriodInfo[] {
  const scheme = (j.stmt('SELECT scheme FROM level_scheme WHERE year_id = ? AND level = ?').pluck().get(c.year.id, levelOfGrade(c.grade)) as string | undefined) ??
    (j.stmt('SELECT scheme FROM period WHERE year_id = ? ORDER BY number LIMIT 1').pluck().get(c.year.id) as string | undefined);
  if (!scheme) return [];
  return (j.stmt('SELECT id, name, number, starts, ends, scheme FROM period WHERE year_id = ? AND scheme = ? ORDER BY number').all(c.year.id, scheme) as (Omit<PeriodInfo, 'short'> & { scheme: string })[])
    .map(({ scheme: s, ...p }) => ({ ...p, short: `${ROMAN[p.number - 1] ?? p.number} ${SCHEME_SHORT[s] ?? ''}`.trim() }));
}

export interface TermColumn { term: string; label: string; short: string }

export const FINAL_TERM_SHORT: Record<FinalTerm, string> = { annual: 'Год', exam: 'Экз.', final: 'Итог.' };

/** Columns of period-type marks: the periods, then «Годовая», and «Экзамен» / «Итоговая» where they are given. */
export function termColumns(periods: readonly PeriodInfo[], finals: readonly FinalTerm[]): TermColumn[] {
  return [
    ...periods.map((p) => ({ term: p.id, label: p.name, short: p.short })),
    ...FINAL_TERMS.filter((t) => finals.includes(t)).map((t) => ({ term: t, label: FINAL_TERM_LABELS[t], short: FINAL_TERM_SHORT[t] })),
  ];
}

/** Graduating grades 9 and 11 always have exam and final columns; others only when such marks exist. */
export function finalTermsOf(grade: number, present: ReadonlySet<string>): FinalTerm[] {
  return FINAL_TERMS.filter((t) => t === 'annual' || grade === 9 || grade === 11 || present.has(t));
}

export interface SubjectInfo { id: string; name: string; short: string; code: string }

/** The order of subjects in a paper journal and a curriculum (НОО and ООО/СОО alike), by subject code. */
const PRINT_ORDER: readonly SubjectCode[] = [
  // «Математика» of grades 5–6; in 7–11 a `math` subject is «Вероятность и статистика» or a practicum, after algebra and geometry.
  'russian', 'reading', 'literature', 'native', 'foreign', 'algebra', 'geometry', 'math', 'informatics', 'history', 'social',
  'geography', 'world', 'physics', 'chemistry', 'biology', 'art', 'music', 'technology', 'obzh', 'pe', 'other',
];

/** Subjects in the journal's order, then by name: the same on every replica (never by insertion order). */
export function compareSubjects(a: SubjectInfo, b: SubjectInfo): number {
  const rank = (s: SubjectInfo) => { const i = PRINT_ORDER.indexOf(s.code as SubjectCode); return i < 0 ? PRINT_ORDER.length : i; };
  return rank(a) - rank(b) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Group kinds whose pages belong in the class journal (clubs and projects keep journals of their own). */
export const JOURNAL_GROUP_KINDS = ['class', 'subgroup', 'profile', 'elective'] as const;

export function staffName(j: Journal, staffId: string | null): { full: string; short: string } | null {
  if (!staffId) return null;
  const s = j.stmt('SELECT last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM staff WHERE id = ?').get(staffId) as
    { lastName: string; firstName: string; middleName: string | null } | undefined;
  return s ? { full: fullName(s), short: shortName(s) } : null;
}

/** The director who signs the printout (an account with the director role, else a staff member titled so). */
export function director(j: Journal): { full: string; short: string } | null {
  const id = (j.stmt(`SELECT a.person_id FROM account a WHERE a.person_kind = 'staff' AND EXISTS (SELECT 1 FROM json_each(a.roles) r WHERE r.value = 'director')
      ORDER BY a.person_id LIMIT 1`).pluck().get() ??
    j.stmt("SELECT id FROM staff WHERE left = 0 AND (position LIKE 'Директор%' OR position LIKE 'директор%') ORDER BY id LIMIT 1").pluck().get()) as string | undefined;
  return staffName(j, id ?? null);
}

/** Holidays of the year for a grade: date ranges with their names. */
export function holidaysFor(j: Journal, yearId: string, grade: number): { name: string; starts: string; ends: string }[] {
  return (j.stmt('SELECT name, starts, ends, grades FROM holiday WHERE year_id = ? ORDER BY starts, id').all(yearId) as { name: string; starts: string; ends: string; grades: string | null }[])
    .filter((h) => !h.grades || (JSON.parse(h.grades) as number[]).includes(grade))
    .map(({ name, starts, ends }) => ({ name, starts, ends }));
}
