/**
 * Closing the school year and the archive (п. 12.1–12.2): the checklist, the closing itself, a
 * closed year read-only everywhere.
 *
 * `year.close` and `year.reopen` are the op `year.set` with `closed` changed, by the director
 * (R-YEAR-CLOSE); the year's name and dates stay as they are. `year.reopen` asks for a reason,
 * but `year.set` v1 has no field for it: the reason is checked and not stored — the log keeps who
 * re-opened the year and when (docs/policy.md).
 */
import { z } from 'zod';
import { payloads } from '../ops/kinds';
import { multilineText } from '../ops/text';
import { ChangeResult } from './common';

const str = z.string();
const int = z.number().int();
const id = payloads['class.set'].shape.yearId;

/** R-YEAR-CLOSE (п. 12.1, 7.14): what is done and what is missing, per class → subject → pupil. */
export const YearChecklistView = z.object({
  yearId: str, yearName: str, closed: z.boolean(),
  /** Marks (pupil × subject × term) needed, and of them those done. */
  required: int, done: int, complete: z.boolean(),
  classes: z.array(z.object({
    classId: str, className: str, grade: int, pupils: int,
    /** Grade 1: no marks are given (п. 9.5). */
    unmarked: z.boolean(),
    subjects: z.array(z.object({
      subjectId: str, subjectName: str, pupils: int, done: int,
      missing: z.array(z.object({
        studentId: str, name: str,
        gaps: z.array(z.object({ term: str, label: str, kind: z.enum(['no_mark', 'na_without_decision', 'na_against_decision']) })),
      })),
    })),
  })),
});
export type YearChecklistView = z.infer<typeof YearChecklistView>;

export const YearStatus = z.object({ year: z.object({ id: str, name: str, closed: z.boolean() }).nullable() });
export type YearStatus = z.infer<typeof YearStatus>;

export const yearMethods = {
  'year.checklist': { input: z.object({ yearId: id }).strict(), output: YearChecklistView },
  'year.status': {
    input: z.object({ yearId: id.optional(), courseId: id.optional() }).strict().refine((i) => (i.yearId === undefined) !== (i.courseId === undefined), 'укажите учебный год или предмет учебного плана'),
    output: YearStatus,
  },
  'year.close': { input: z.object({ yearId: id, confirm: z.literal(true, 'подтвердите закрытие учебного года') }).strict(), output: ChangeResult },
  'year.reopen': { input: z.object({ yearId: id, reason: multilineText('Причина открытия учебного года', 1000, { min: 1 }) }).strict(), output: ChangeResult },
} as const;
