/**
 * The lessons ahead from the methodist's timetable (R-SETUP, п. 7.12, 9.3): the plan the slots
 * give for a period (rules/timetable.ts) against the lessons already in the journal, as op drafts
 * of one command — missing lessons created, untouched lessons the timetable no longer has
 * removed, everything else kept with its reason.
 *
 * A generated lesson's id is a function of its course, date and number (`t.` + a 64-bit hash):
 * two replicas generating the same timetable name the same lessons, and a lesson made by hand
 * (an extra lesson, a demo lesson) is recognisably not the generator's to remove.
 */
import { levelOfGrade, type LessonKind } from '../../src-shared/domain/school';
import { formatDateRu } from '../../src-shared/domain/values';
import { diffLessons, planLessons, type ExistingLesson, type LessonEntries, type PlanCourse, type RuleSlot } from '../../src-shared/rules/timetable';
import { lessonEntries } from '../journal/apply';
import { JournalError } from '../journal/errors';
import { draft, type OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';
import { classesOfGroup, coursesOfYear, holidaysOfYear, levelSchemesOfYear, periodsOfYear, yearAt } from '../journal/tables/structure';

export const GENERATED_PREFIX = 't.';

/** Two FNV-1a passes with different seeds: 64 bits, in base 36. */
function hash64(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36).padStart(7, '0');
}

/** The id of the generated lesson of a course at a date and number. */
export function generatedLessonId(courseId: string, date: string, number: number): string {
  return `${GENERATED_PREFIX}${hash64(`${courseId}|${date}|${number}`)}`;
}

export interface GeneratePlan {
  drafts: OpDraft[];
  created: number;
  removed: number;
  kept: { lessonId: string; date: string; number: number; what: string; why: string }[];
}

/** A lesson as read for the diff; what it holds is asked only of a lesson the timetable no longer has. */
class Stored implements ExistingLesson {
  readonly id: string; readonly courseId: string; readonly date: string; readonly number: number;
  readonly status: string; readonly kind: LessonKind; readonly movedFrom: string | null; readonly generated: boolean;
  #entries: LessonEntries | undefined;
  constructor(private readonly j: Journal, r: [string, string, string, number, string, LessonKind, string | null]) {
    [this.id, this.courseId, this.date, this.number, this.status, this.kind, this.movedFrom] = r;
    this.generated = this.id.startsWith(GENERATED_PREFIX);
  }
  get entries(): LessonEntries {
    return (this.#entries ??= lessonEntries(this.j, this.id)!.entries);
  }
}

/**
 * What `lessons.generate` does for `from`…`to` (the year of `from`), for every course or for those
 * of one class. Reads the journal as it is: call it inside the command's transaction.
 */
export function generateLessons(j: Journal, q: { from: string; to: string; classId?: string | undefined }): GeneratePlan {
  const year = yearAt(j, q.from);
  if (!year || q.from < year.starts || q.from > year.ends) throw new JournalError('not_found', `Дата ${formatDateRu(q.from)} не попадает ни в один учебный год`);
  const to = q.to > year.ends ? year.ends : q.to;
  let courses = coursesOfYear(j, year.id);
  if (q.classId !== undefined) {
    const cls = q.classId;
    if (!j.stmt('SELECT 1 FROM class WHERE id = ? AND year_id = ?').get(cls, year.id)) throw new JournalError('not_found', 'Класс не найден в этом учебном году');
    courses = courses.filter((c) => (c.groupKind === 'class' ? c.classId === cls : classesOfGroup(j, c.groupId).includes(cls)));
  }
  const ids = new Set(courses.map((c) => c.id));
  const schemes = new Map(levelSchemesOfYear(j, year.id).map((r) => [r.level, r.scheme]));
  const periods = periodsOfYear(j, year.id);
  const whole = [{ starts: year.starts, ends: year.ends }];
  const planCourses = new Map<string, PlanCourse>();
  for (const c of courses) {
    const scheme = c.grade !== null ? schemes.get(levelOfGrade(c.grade)) : undefined;
    const own = periods.filter((p) => p.scheme === scheme);
    // A grade without a scheme, or a scheme without periods yet: the school year itself.
    planCourses.set(c.id, { grade: c.grade, periods: own.length > 0 ? own : whole });
  }
  const slots = (j.stmt(`SELECT s.id, s.course_id AS courseId, s.weekday, s.number, s.room, s.valid_from AS validFrom, s.valid_to AS validTo
    FROM slot s JOIN course c ON c.id = s.course_id WHERE c.year_id = ?`).all(year.id) as RuleSlot[]).filter((s) => ids.has(s.courseId));
  const holidays = holidaysOfYear(j, year.id).map((h) => ({ starts: h.starts, ends: h.ends, grades: h.grades ? (JSON.parse(h.grades) as number[]) : null }));
  const plan = planLessons({ slots, courses: planCourses, holidays, from: q.from, to });

  // The lessons of these courses in the period, and those moved out of it (they stand for their date).
  const existing: ExistingLesson[] = [];
  const take = (rows: unknown[][]) => {
    for (const r of rows as [string, string, string, number, string, LessonKind, string | null][]) if (ids.has(r[1])) existing.push(new Stored(j, r));
  };
  take(j.stmt('SELECT id, course_id, date, number, status, kind, moved_from FROM lesson WHERE date BETWEEN ? AND ?').raw().all(q.from, to) as unknown[][]);
  take(j.stmt('SELECT id, course_id, date, number, status, kind, moved_from FROM lesson WHERE moved_from BETWEEN ? AND ? AND date NOT BETWEEN ? AND ?').raw().all(q.from, to, q.from, to) as unknown[][]);
  const diff = diffLessons(plan, existing);
  const name = new Map(courses.map((c) => [c.id, `${c.groupName}, ${c.subjectName}`]));
  const drafts: OpDraft[] = [
    ...diff.remove.map((l) => draft('lesson.remove', { id: l.id })),
    ...diff.create.map((p) => draft('lesson.create', { id: generatedLessonId(p.courseId, p.date, p.number), courseId: p.courseId, date: p.date, number: p.number })),
  ];
  return {
    drafts, created: diff.create.length, removed: diff.remove.length,
    kept: diff.kept.map(({ lesson: l, why }) => ({ lessonId: l.id, date: l.date, number: l.number, what: `${name.get(l.courseId) ?? l.courseId}, ${formatDateRu(l.date)}, ${l.number}-й урок`, why })),
  };
}
