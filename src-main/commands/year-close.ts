/**
 * R-YEAR-CLOSE, R-ARCHIVE (п. 12.1, 12.2, 7.14): the journal's side of closing a school year —
 * the checklist's input read from the replica, and the one check the guard runs before every
 * op's own rules: a change that belongs to a closed year is refused (`yearsOfOp`), re-opening
 * changes nothing else, and closing needs a complete checklist.
 */
import { FINAL_TERM_LABELS, levelOfGrade } from '../../src-shared/domain/school';
import type { Payload } from '../../src-shared/ops/kinds';
import { checkReopen, checkYearClosable, checkYearOpen, yearChecklist, type TermInput, type YearChecklist } from '../../src-shared/rules/year-close';
import type { Verdict } from '../../src-shared/rules/verdict';
import { fullName } from '../journal/queries';
import type { Journal } from '../journal/open';
import type { Notice, ParsedDraft } from './execute';
import { yearsOfOp } from './year-of-op';

/** A verdict as the guard's notices (guard.ts `noticesOf`, which imports this file). */
const noticesOfVerdict = (v: Verdict): Notice[] =>
  v.findings.map((f) => ({ level: f.severity, code: f.code ?? 'warn', message: f.message, requirement: f.requirement, clause: f.clause }));

/** Group kinds whose courses get period and annual marks (clubs and projects keep no such marks). */
const MARKED_GROUP_KINDS = "'class', 'subgroup', 'profile', 'elective'";
const collator = new Intl.Collator('ru');

export interface YearRecord { id: string; name: string; starts: string; ends: string; closed: boolean }

export function yearRecord(j: Journal, yearId: string): YearRecord | undefined {
  const r = j.stmt('SELECT id, name, starts, ends, closed FROM year WHERE id = ?').get(yearId) as (Omit<YearRecord, 'closed'> & { closed: number }) | undefined;
  return r && { ...r, closed: r.closed !== 0 };
}

/** The study periods of a grade's level in the year (its level's scheme, else the year's first scheme), then «Годовая». */
function termsOf(j: Journal, y: YearRecord, grade: number): TermInput[] {
  const scheme = (j.stmt('SELECT scheme FROM level_scheme WHERE year_id = ? AND level = ?').pluck().get(y.id, levelOfGrade(grade)) as string | undefined) ??
    (j.stmt('SELECT scheme FROM period WHERE year_id = ? ORDER BY number, scheme LIMIT 1').pluck().get(y.id) as string | undefined);
  const periods = scheme === undefined ? [] : j.stmt('SELECT id, name, ends FROM period WHERE year_id = ? AND scheme = ? ORDER BY number').all(y.id, scheme) as { id: string; name: string; ends: string }[];
  return [
    ...periods.map((p) => ({ term: p.id, label: p.name, ends: p.ends })),
    { term: 'annual', label: FINAL_TERM_LABELS.annual, ends: periods.at(-1)?.ends ?? y.ends },
  ];
}

/**
 * R-YEAR-CLOSE (п. 12.1, 7.14): the checklist of a year read from the journal — the pupils of its
 * classes (those who left during the year included), the subjects of their groups' courses, the
 * period and annual marks and the deputy's decisions. Undefined when there is no such year.
 */
export function yearChecklistOf(j: Journal, yearId: string): YearChecklist | undefined {
  const y = yearRecord(j, yearId);
  if (!y) return undefined;
  const classes = (j.stmt('SELECT id, grade, letter FROM class WHERE year_id = ? ORDER BY grade, letter, id').all(y.id) as { id: string; grade: number; letter: string }[])
    .map((c) => ({ id: c.id, name: `${c.grade}${c.letter}`, grade: c.grade, terms: termsOf(j, y, c.grade) }));
  const pupils = (j.stmt(`SELECT s.id, s.last_name AS lastName, s.first_name AS firstName, s.middle_name AS middleName, s.class_id AS classId, s.left
      FROM student s JOIN class c ON c.id = s.class_id WHERE c.year_id = ? AND (s.left IS NULL OR s.left >= ?)`).all(y.id, y.starts) as
      { id: string; lastName: string; firstName: string; middleName: string | null; classId: string; left: string | null }[])
    .map((p) => ({ id: p.id, name: fullName(p), classId: p.classId, left: p.left }))
    .sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // A class group has its class's pupils; any group also its listed members.
  const taught = (j.stmt(`SELECT st.id AS studentId, s.id AS subjectId, s.name AS subjectName FROM course k JOIN grp g ON g.id = k.group_id AND g.kind = 'class'
      JOIN student st ON st.class_id = g.class_id JOIN subject s ON s.id = k.subject_id WHERE k.year_id = @year
    UNION SELECT m.student_id, s.id, s.name FROM course k JOIN grp g ON g.id = k.group_id AND g.kind IN (${MARKED_GROUP_KINDS})
      JOIN group_member m ON m.group_id = g.id JOIN subject s ON s.id = k.subject_id WHERE k.year_id = @year`).all({ year: y.id }) as
      { studentId: string; subjectId: string; subjectName: string }[])
    .sort((a, b) => collator.compare(a.subjectName, b.subjectName) || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0));
  const marks = j.stmt('SELECT student_id AS studentId, subject_id AS subjectId, term, value FROM period_mark WHERE year_id = ?').all(y.id) as
    { studentId: string; subjectId: string; term: string; value: string }[];
  const decisions = (j.stmt('SELECT student_id AS studentId, subject_id AS subjectId, term, attest FROM attestation_decision WHERE year_id = ?').all(y.id) as
    { studentId: string; subjectId: string; term: string; attest: number }[]).map((d) => ({ ...d, attest: d.attest !== 0 }));
  return yearChecklist({ year: { id: y.id, name: y.name }, classes, pupils, taught, marks, decisions });
}

/**
 * The guard's check before every op's own rules (R-ARCHIVE, R-YEAR-CLOSE, п. 12.1): an op that
 * belongs to a closed year is refused — but for the director's re-opening, which must leave the
 * year as it was; closing a year needs its checklist complete.
 */
export function yearCloseChecks(j: Journal, d: ParsedDraft): Notice[] {
  for (const id of yearsOfOp(j, d)) {
    const y = yearRecord(j, id);
    if (!y) continue;
    if (d.kind === 'year.set') {
      const p = d.payload as Payload<'year.set'>;
      if (y.closed && !p.closed) return noticesOfVerdict(checkReopen(y, p));
      if (!y.closed && p.closed) return noticesOfVerdict(checkYearClosable(yearChecklistOf(j, y.id)!));
    }
    if (y.closed) return noticesOfVerdict(checkYearOpen(y));
  }
  return [];
}
