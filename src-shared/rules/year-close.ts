/**
 * R-YEAR-CLOSE, R-ARCHIVE (п. 12.1, 12.2, 7.14): closing the school year.
 *
 * Before the director closes a year the deputy checks it is complete: every pupil of every class
 * of the year has, for every subject of their groups, a mark for every study period of the class's
 * scheme and the annual mark — «осв» counts, «н/а» counts only with the deputy's decision not to
 * attest (п. 7.14: «Возможность аттестации таких обучающихся решается … заместителем директора»).
 * A pupil who left the school before a term ended needs no mark for it; grade 1 has no marks.
 *
 * A closed year is the archive of п. 12.1: every change that belongs to it is refused.
 */
import type { LocalDate } from '../domain/values';
import { UNMARKED_GRADES } from './marks';
import { ok, refuse, type Verdict } from './verdict';

/** A term a pupil of the class needs a mark for: a study period of the class's scheme, or `annual`. */
export interface TermInput { term: string; label: string; ends: LocalDate }

export interface YearCloseInput {
  year: { id: string; name: string };
  /** The classes of the year in the school's order, each with its terms (its periods, then «Годовая»). */
  classes: readonly { id: string; name: string; grade: number; terms: readonly TermInput[] }[];
  /** Pupils of the year's classes, those who left included. */
  pupils: readonly { id: string; name: string; classId: string; left: LocalDate | null }[];
  /** What each pupil is taught: a subject of a course of the year whose group has the pupil (in the curriculum's order). */
  taught: readonly { studentId: string; subjectId: string; subjectName: string }[];
  /** Period-type marks of the year. */
  marks: readonly { studentId: string; subjectId: string; term: string; value: string }[];
  /** The deputy's attestation decisions (R-NA) of the year. */
  decisions: readonly { studentId: string; subjectId: string; term: string; attest: boolean }[];
}

/**
 * Why a cell is not done: no mark; «н/а» with no decision of the deputy; «н/а» although the deputy
 * decided to attest (the teacher must give a mark).
 */
export type GapKind = 'no_mark' | 'na_without_decision' | 'na_against_decision';

export interface TermGap { term: string; label: string; kind: GapKind }
export interface PupilGaps { studentId: string; name: string; gaps: TermGap[] }
export interface SubjectChecklist {
  subjectId: string; subjectName: string;
  /** Pupils taught the subject in the class. */
  pupils: number;
  /** Of them, pupils with every term done. */
  done: number;
  missing: PupilGaps[];
}
export interface ClassChecklist {
  classId: string; className: string; grade: number; pupils: number;
  /** Grade 1: no marks are given (п. 9.5), nothing to check. */
  unmarked: boolean;
  subjects: SubjectChecklist[];
}
export interface YearChecklist {
  yearId: string; yearName: string;
  /** Cells (pupil × subject × term) that need a mark, and of them those done. */
  required: number; done: number;
  complete: boolean;
  classes: ClassChecklist[];
}

const key = (...parts: string[]) => parts.join('\u0000');

const GAP_TEXT: Record<GapKind, string> = {
  no_mark: 'нет отметки',
  na_without_decision: '«н/а» без решения заместителя директора',
  na_against_decision: '«н/а», хотя заместитель директора решил аттестовать',
};

/** A pupil needs a mark for a term unless they left the school on or before its last day. */
export function needsMark(left: LocalDate | null, term: TermInput): boolean {
  return left === null || left > term.ends;
}

/** R-YEAR-CLOSE (п. 12.1, 7.14): what is done and what is missing, per class, subject and pupil. */
export function yearChecklist(input: YearCloseInput): YearChecklist {
  const marks = new Map(input.marks.map((m) => [key(m.studentId, m.subjectId, m.term), m.value]));
  const decisions = new Map(input.decisions.map((d) => [key(d.studentId, d.subjectId, d.term), d.attest]));
  const taught = new Map<string, { subjectId: string; subjectName: string }[]>();
  for (const t of input.taught) {
    const list = taught.get(t.studentId) ?? [];
    if (!list.some((x) => x.subjectId === t.subjectId)) list.push({ subjectId: t.subjectId, subjectName: t.subjectName });
    taught.set(t.studentId, list);
  }
  // The subjects' order: as the curriculum gives them (the first time each appears).
  const order = new Map<string, number>();
  for (const t of input.taught) if (!order.has(t.subjectId)) order.set(t.subjectId, order.size);

  let required = 0;
  let done = 0;
  const classes = input.classes.map((c): ClassChecklist => {
    const pupils = input.pupils.filter((p) => p.classId === c.id);
    const unmarked = UNMARKED_GRADES.includes(c.grade);
    const subjects = new Map<string, SubjectChecklist>();
    if (!unmarked) {
      for (const p of pupils) {
        for (const s of taught.get(p.id) ?? []) {
          const row = subjects.get(s.subjectId) ?? { subjectId: s.subjectId, subjectName: s.subjectName, pupils: 0, done: 0, missing: [] };
          subjects.set(s.subjectId, row);
          row.pupils += 1;
          const gaps: TermGap[] = [];
          for (const t of c.terms) {
            if (!needsMark(p.left, t)) continue;
            required += 1;
            const k = key(p.id, s.subjectId, t.term);
            const value = marks.get(k);
            const decision = decisions.get(k);
            if (value === undefined) gaps.push({ term: t.term, label: t.label, kind: 'no_mark' });
            else if (value === 'н/а' && decision === undefined) gaps.push({ term: t.term, label: t.label, kind: 'na_without_decision' });
            else if (value === 'н/а' && decision === true) gaps.push({ term: t.term, label: t.label, kind: 'na_against_decision' });
            else done += 1;
          }
          if (gaps.length === 0) row.done += 1;
          else row.missing.push({ studentId: p.id, name: p.name, gaps });
        }
      }
    }
    return {
      classId: c.id, className: c.name, grade: c.grade, pupils: pupils.length, unmarked,
      subjects: [...subjects.values()].sort((a, b) => order.get(a.subjectId)! - order.get(b.subjectId)!),
    };
  });
  return { yearId: input.year.id, yearName: input.year.name, required, done, complete: required === done, classes };
}

/** One line per pupil and subject with gaps, in Russian: «5А, Русский язык: Петров Пётр — нет отметки: I триместр, Годовая». */
export function gapLines(c: YearChecklist): string[] {
  const out: string[] = [];
  for (const cls of c.classes) {
    for (const s of cls.subjects) {
      for (const p of s.missing) {
        const byKind = new Map<GapKind, string[]>();
        for (const g of p.gaps) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g.label]);
        out.push(`${cls.className}, ${s.subjectName}: ${p.name} — ${[...byKind].map(([k, labels]) => `${GAP_TEXT[k]}: ${labels.join(', ')}`).join('; ')}`);
      }
    }
  }
  return out;
}

/** How many gaps a refusal names (the rest are counted). */
export const GAPS_NAMED = 20;

/**
 * R-YEAR-CLOSE (п. 12.1, 7.14): a year is closed only when its checklist is complete; the
 * refusal names the first gaps.
 */
export function checkYearClosable(c: YearChecklist): Verdict {
  if (c.complete) return ok();
  const lines = gapLines(c);
  const more = lines.length > GAPS_NAMED ? `; и ещё ${lines.length - GAPS_NAMED}` : '';
  return refuse('R-YEAR-CLOSE', 'п. 12.1',
    `Учебный год ${c.yearName} нельзя закрыть: не выставлено ${c.required - c.done} из ${c.required} отметок за периоды и год (п. 7.14). ${lines.slice(0, GAPS_NAMED).join('; ')}${more}`);
}

/** R-ARCHIVE (п. 12.1): a closed year is kept read-only — every change that belongs to it is refused. */
export function checkYearOpen(year: { name: string; closed: boolean }): Verdict {
  if (!year.closed) return ok();
  return refuse('R-ARCHIVE', 'п. 12.1',
    `Учебный год ${year.name} закрыт: его журнал хранится в архиве только для чтения, изменения не принимаются (п. 12.1). Открыть год вновь может директор`);
}

/**
 * R-YEAR-CLOSE (п. 12.1): re-opening a closed year changes nothing else — the name and the dates
 * stay; an edit of a closed year waits until it is open.
 */
export function checkReopen(current: { name: string; starts: LocalDate; ends: LocalDate }, next: { name: string; starts: LocalDate; ends: LocalDate }): Verdict {
  if (current.name === next.name && current.starts === next.starts && current.ends === next.ends) return ok();
  return refuse('R-ARCHIVE', 'п. 12.1',
    `Учебный год ${current.name} закрыт: откройте его вновь, не меняя названия и дат, а затем вносите изменения (п. 12.1)`);
}
