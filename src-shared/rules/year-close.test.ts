import { describe, expect, it } from 'vitest';
import { checkReopen, checkYearClosable, checkYearOpen, gapLines, yearChecklist, GAPS_NAMED, type YearCloseInput } from './year-close';

const TERMS = [
  { term: 't1', label: 'I триместр', ends: '2026-11-30' },
  { term: 't2', label: 'II триместр', ends: '2027-02-28' },
  { term: 't3', label: 'III триместр', ends: '2027-05-31' },
  { term: 'annual', label: 'Годовая', ends: '2027-05-31' },
];

/** 5А: two pupils taught Russian; every term marked for both unless a test removes a mark. */
function school(over: Partial<YearCloseInput> = {}): YearCloseInput {
  const pupils = [{ id: 's1', name: 'Петров Пётр', classId: 'c5a', left: null }, { id: 's2', name: 'Вануйто Анна', classId: 'c5a', left: null }];
  return {
    year: { id: 'y26', name: '2026/2027' },
    classes: [{ id: 'c5a', name: '5А', grade: 5, terms: TERMS }],
    pupils,
    taught: pupils.map((p) => ({ studentId: p.id, subjectId: 'ru', subjectName: 'Русский язык' })),
    marks: pupils.flatMap((p) => TERMS.map((t) => ({ studentId: p.id, subjectId: 'ru', term: t.term, value: '4' }))),
    decisions: [],
    ...over,
  };
}
const without = (input: YearCloseInput, studentId: string, term: string) => input.marks.filter((m) => !(m.studentId === studentId && m.term === term));
const withValue = (input: YearCloseInput, studentId: string, term: string, value: string) =>
  input.marks.map((m) => (m.studentId === studentId && m.term === term ? { ...m, value } : m));

describe('R-YEAR-CLOSE (п. 12.1, 7.14): the checklist before closing the year', () => {
  it('is complete when every pupil has every period mark and the annual one (п. 12.1)', () => {
    const c = yearChecklist(school());
    expect(c).toMatchObject({ required: 8, done: 8, complete: true });
    expect(c.classes[0]!.subjects[0]).toMatchObject({ subjectName: 'Русский язык', pupils: 2, done: 2, missing: [] });
    expect(checkYearClosable(c).level).toBe('ok');
  });

  it('names a missing annual mark per class, subject and pupil, in Russian (п. 12.1, 7.14)', () => {
    const input = school();
    const c = yearChecklist({ ...input, marks: without(input, 's2', 'annual') });
    expect(c).toMatchObject({ required: 8, done: 7, complete: false });
    expect(c.classes[0]!.subjects[0]!.missing).toEqual([{ studentId: 's2', name: 'Вануйто Анна', gaps: [{ term: 'annual', label: 'Годовая', kind: 'no_mark' }] }]);
    expect(gapLines(c)).toEqual(['5А, Русский язык: Вануйто Анна — нет отметки: Годовая']);
  });

  it('counts «н/а» with the deputy\'s decision not to attest as done (п. 7.14)', () => {
    const input = school();
    const c = yearChecklist({ ...input, marks: withValue(input, 's1', 't2', 'н/а'), decisions: [{ studentId: 's1', subjectId: 'ru', term: 't2', attest: false }] });
    expect(c.complete).toBe(true);
  });

  it('does not count «н/а» without the deputy\'s decision, nor against a decision to attest (п. 7.14)', () => {
    const input = school();
    const marks = withValue({ ...input, marks: withValue(input, 's1', 't2', 'н/а') }, 's2', 't3', 'н/а');
    const c = yearChecklist({ ...input, marks, decisions: [{ studentId: 's2', subjectId: 'ru', term: 't3', attest: true }] });
    expect(c).toMatchObject({ done: 6, complete: false });
    expect(gapLines(c)).toEqual([
      '5А, Русский язык: Петров Пётр — «н/а» без решения заместителя директора: II триместр',
      '5А, Русский язык: Вануйто Анна — «н/а», хотя заместитель директора решил аттестовать: III триместр',
    ]);
  });

  it('counts «осв» as done (R-PE, п. 7.14)', () => {
    const input = school();
    expect(yearChecklist({ ...input, marks: withValue(input, 's1', 't1', 'осв') }).complete).toBe(true);
  });

  it('needs no mark from a pupil who left before the period; one who left after it still needs it (п. 7.14)', () => {
    const input = school();
    // s2 left on 15 January: I триместр (ended 30 November) is needed; II, III and the year are not.
    const pupils = input.pupils.map((p) => (p.id === 's2' ? { ...p, left: '2027-01-15' } : p));
    const marks = input.marks.filter((m) => m.studentId !== 's2' || m.term === 't1');
    const c = yearChecklist({ ...input, pupils, marks });
    expect(c).toMatchObject({ required: 5, done: 5, complete: true });
    expect(yearChecklist({ ...input, pupils, marks: marks.filter((m) => !(m.studentId === 's2' && m.term === 't1')) }).complete).toBe(false);
  });

  it('treats the period\'s last day as within it: a pupil who left on it needs no mark, one who left a day later does (п. 7.14)', () => {
    const input = school();
    const left = (d: string) => input.pupils.map((p) => (p.id === 's2' ? { ...p, left: d } : p));
    const marks = input.marks.filter((m) => m.studentId !== 's2');
    expect(yearChecklist({ ...input, pupils: left('2026-11-30'), marks: [...marks, { studentId: 's2', subjectId: 'ru', term: 't1', value: '3' }] }).complete).toBe(true);
    expect(yearChecklist({ ...input, pupils: left('2026-11-30'), marks }).complete).toBe(true);
    expect(yearChecklist({ ...input, pupils: left('2026-12-01'), marks }).complete).toBe(false);
  });

  it('asks nothing of grade 1, where no marks are given (п. 9.5)', () => {
    const c = yearChecklist({ ...school({ marks: [] }), classes: [{ id: 'c5a', name: '1А', grade: 1, terms: TERMS }] });
    expect(c).toMatchObject({ required: 0, complete: true });
    expect(c.classes[0]).toMatchObject({ unmarked: true, pupils: 2, subjects: [] });
  });

  it('counts a subject taught in two groups of the pupil once (period marks are per subject)', () => {
    const input = school();
    expect(yearChecklist({ ...input, taught: [...input.taught, { studentId: 's1', subjectId: 'ru', subjectName: 'Русский язык' }] }).required).toBe(8);
  });

  it('refuses closing with the gaps named, the first 20 and a count of the rest (п. 12.1)', () => {
    const pupils = Array.from({ length: 25 }, (_, i) => ({ id: `s${i}`, name: `Ученик ${String(i).padStart(2, '0')}`, classId: 'c5a', left: null }));
    const c = yearChecklist(school({ pupils, taught: pupils.map((p) => ({ studentId: p.id, subjectId: 'ru', subjectName: 'Русский язык' })), marks: [] }));
    const v = checkYearClosable(c);
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-YEAR-CLOSE', clause: 'п. 12.1' });
    const msg = v.findings[0]!.message;
    expect(msg).toMatch(/^Учебный год 2026\/2027 нельзя закрыть: не выставлено 100 из 100 отметок за периоды и год \(п\. 7\.14\)\. 5А, Русский язык: Ученик 00 — нет отметки: I триместр, II триместр, III триместр, Годовая/);
    expect(msg).toContain(`Ученик ${GAPS_NAMED - 1}`);
    expect(msg).not.toContain(`Ученик ${GAPS_NAMED}`);
    expect(msg).toMatch(/; и ещё 5$/);
  });
});

describe('R-ARCHIVE (п. 12.1): a closed year is read-only', () => {
  it('refuses a change of a closed year, naming it and the clause (п. 12.1)', () => {
    const v = checkYearOpen({ name: '2026/2027', closed: true });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-ARCHIVE', clause: 'п. 12.1' });
    expect(v.findings[0]!.message).toMatch(/^Учебный год 2026\/2027 закрыт/);
    expect(checkYearOpen({ name: '2027/2028', closed: false }).level).toBe('ok');
  });

  it('re-opens a year only as it was: a new name or date is refused until it is open (п. 12.1)', () => {
    const y = { name: '2026/2027', starts: '2026-09-01', ends: '2027-05-31' };
    expect(checkReopen(y, { ...y }).level).toBe('ok');
    expect(checkReopen(y, { ...y, ends: '2027-06-30' })).toMatchObject({ level: 'refuse', findings: [{ requirement: 'R-ARCHIVE', clause: 'п. 12.1' }] });
  });
});
