/**
 * R-SUMMARY (п. 7.9): the summary sheet of intermediate and final attestation — per student, per
 * subject, the period, annual, exam and final marks — and the outcome of the year the annual marks
 * give. Always current: read from the journal when printed.
 */
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import {
  classInfo, classesOfYear, classPeriods, classStudents, compareSubjects, finalTermsOf, schoolInfo, termColumns, yearAt,
  JOURNAL_GROUP_KINDS, type SubjectInfo, type TermColumn, type YearInfo,
} from './school-data';

export interface ClassSummary {
  cls: { name: string; grade: number; year: string; classTeacher: { full: string; short: string } | null };
  terms: TermColumn[];
  subjects: { name: string; short: string }[];
  /** `marks[term][subject]`: '' where there is none. */
  students: { name: string; left: string | null; marks: string[][]; outcome: string }[];
}

export function classSummary(j: Journal, classId: string): ClassSummary {
  const c = classInfo(j, classId);
  const students = classStudents(j, c.id, c.year.starts);
  const kinds = JOURNAL_GROUP_KINDS.map((k) => `'${k}'`).join(', ');
  const taught = j.stmt(`SELECT DISTINCT s.id, s.name, s.short, s.code FROM course k JOIN grp g ON g.id = k.group_id JOIN subject s ON s.id = k.subject_id
    WHERE k.year_id = @year AND g.kind IN (${kinds}) AND ((g.kind = 'class' AND g.class_id = @cls) OR (g.kind <> 'class' AND (g.class_id = @cls
      OR EXISTS (SELECT 1 FROM group_member m JOIN student st ON st.id = m.student_id WHERE m.group_id = g.id AND st.class_id = @cls))))`)
    .all({ year: c.year.id, cls: c.id }) as SubjectInfo[];
  const pm = j.stmt(`SELECT pm.student_id AS studentId, pm.term, pm.value, s.id, s.name, s.short, s.code FROM period_mark pm JOIN subject s ON s.id = pm.subject_id
    JOIN student st ON st.id = pm.student_id WHERE pm.year_id = ? AND st.class_id = ?`).all(c.year.id, c.id) as ({ studentId: string; term: string; value: string } & SubjectInfo)[];
  const subjects = [...new Map([...taught, ...pm].map((s) => [s.id, { id: s.id, name: s.name, short: s.short, code: s.code }])).values()].sort(compareSubjects);
  const terms = termColumns(classPeriods(j, c), finalTermsOf(c.grade, new Set(pm.map((r) => r.term))));
  const sIdx = new Map(subjects.map((s, i) => [s.id, i]));
  const tIdx = new Map(terms.map((t, i) => [t.term, i]));
  const stIdx = new Map(students.map((s, i) => [s.id, i]));
  const marks = students.map(() => terms.map(() => subjects.map(() => '')));
  for (const r of pm) {
    const st = stIdx.get(r.studentId);
    const t = tIdx.get(r.term);
    if (st !== undefined && t !== undefined) marks[st]![t]![sIdx.get(r.id)!] = r.value;
  }
  const annual = tIdx.get('annual');
  return {
    cls: { name: c.name, grade: c.grade, year: c.year.name, classTeacher: c.classTeacher },
    terms,
    subjects: subjects.map(({ name, short }) => ({ name, short })),
    students: students.map((s, i) => ({ name: s.name, left: s.left, marks: marks[i]!, outcome: outcome(c.grade, subjects, terms, marks[i]!, annual) })),
  };
}

/**
 * The year's outcome by the annual marks, for the pedagogical council to decide on: blank until
 * every subject with period marks has its annual mark; «задолженность: …» for a 2 or «н/а».
 */
function outcome(grade: number, subjects: SubjectInfo[], terms: TermColumn[], marks: string[][], annual: number | undefined): string {
  if (annual === undefined) return '';
  const graded = subjects.map((_, k) => terms.some((_t, t) => t !== annual && marks[t]![k] !== '') || marks[annual]![k] !== '');
  const year = marks[annual]!;
  if (!graded.some(Boolean) || graded.some((g, k) => g && year[k] === '')) return '';
  const debts = subjects.filter((_, k) => year[k] === '2' || year[k] === '1' || year[k] === 'н/а').map((s) => s.short);
  if (debts.length) return `академическая задолженность: ${debts.join(', ')}`;
  if (grade === 9 || grade === 11) return 'допущен(а) к ГИА';
  return `переведён(а) ${grade + 1 === 2 ? 'во' : 'в'} ${grade + 1} класс`;
}

export interface SchoolSummary { school: string; year: YearInfo; classes: ClassSummary[] }

/** The whole school (every class of the year), or one class. */
export function summaryData(j: Journal, q: { classId?: string; yearId?: string; today: string }): SchoolSummary {
  const school = schoolInfo(j);
  if (q.classId) {
    const c = classInfo(j, q.classId);
    return { school: school.fullName ?? school.name, year: c.year, classes: [classSummary(j, c.id)] };
  }
  const year = q.yearId ? (j.stmt('SELECT id, name, starts, ends FROM year WHERE id = ?').get(q.yearId) as YearInfo | undefined) : yearAt(j, q.today);
  if (!year) throw new JournalError('not_found', `Учебный год «${q.yearId}» не найден`);
  return { school: school.fullName ?? school.name, year, classes: classesOfYear(j, year.id).map((id) => classSummary(j, id)) };
}
