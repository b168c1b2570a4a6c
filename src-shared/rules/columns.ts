/**
 * R-SEPARATE-COLUMN (п. 7.15): marks with a column of their own next to the lesson's main one.
 * - «Выр.чт.»: expressive reading (by heart) marks, literature pages.
 * - «Грамотность»: in grades 10–11 the literacy mark for a creative work goes on the Russian page.
 */
import { markPoints } from '../domain/marks';
import type { MarkColumn, SubjectCode } from '../domain/school';
import type { RuleLesson, RuleMark } from './inputs';
import { combine, refuse, warn } from './verdict';
import type { Verdict } from './verdict';

export const READING_TOPIC_PREFIX = 'Выр.чт.';
/** Subjects whose pages have the «Выр.чт.» column: literature and literary reading (primary). */
export const READING_COLUMN_SUBJECTS: readonly SubjectCode[] = ['literature', 'reading'];
/** Grades whose Russian page has the literacy column (п. 7.15). */
export const LITERACY_COLUMN_GRADES: readonly number[] = [10, 11];

function topicIsExpressiveReading(topic: string | undefined): boolean {
  return (topic ?? '').trimStart().startsWith(READING_TOPIC_PREFIX);
}

/**
 * R-SEPARATE-COLUMN (п. 7.15): the column a mark belongs in — `reading` for expressive reading
 * (the mark's or the lesson's work type is `reading`), otherwise the column the teacher chose.
 */
export function expectedColumn(lesson: Pick<RuleLesson, 'workType'>, mark: Pick<RuleMark, 'workType' | 'column'>): MarkColumn {
  const wt = mark.workType ?? lesson.workType;
  return wt === 'reading' ? 'reading' : mark.column;
}

/**
 * R-SEPARATE-COLUMN (п. 7.15): expressive reading marks only in the «Выр.чт.» column, and that
 * column only for them and only on literature / literary reading pages; the literacy column
 * only on the Russian page in grades 10–11; a literature fraction in grades 10–11 is flagged
 * (its literacy half goes to the Russian page).
 */
export function checkMarkColumn(lesson: Pick<RuleLesson, 'subjectCode' | 'grade' | 'workType' | 'topic'>, mark: RuleMark): Verdict {
  const wt = mark.workType ?? lesson.workType;
  const out: Verdict[] = [];
  if (mark.column === 'reading') {
    if (!READING_COLUMN_SUBJECTS.includes(lesson.subjectCode)) {
      out.push(refuse('R-SEPARATE-COLUMN', 'п. 7.15', 'Колонка «Выр.чт.» есть только на страницах литературы и литературного чтения', { subject: lesson.subjectCode }));
    } else if (mark.workType !== undefined && mark.workType !== 'reading') {
      out.push(refuse('R-SEPARATE-COLUMN', 'п. 7.15', 'В колонку «Выр.чт.» выставляются только отметки за выразительное чтение (наизусть)', { workType: mark.workType }));
    }
  } else if (wt === 'reading') {
    out.push(refuse('R-SEPARATE-COLUMN', 'п. 7.15', 'Отметки за выразительное чтение (наизусть) выставляются в отдельную колонку «Выр.чт.»', { column: mark.column }));
  } else if (mark.column === 'main' && mark.workType === undefined && topicIsExpressiveReading(lesson.topic)) {
    out.push(warn('R-SEPARATE-COLUMN', 'п. 7.15', 'Урок выразительного чтения: отметку за чтение наизусть выставьте в колонку «Выр.чт.»', { topic: lesson.topic ?? null }));
  }
  if (mark.column === 'literacy' && !(lesson.subjectCode === 'russian' && LITERACY_COLUMN_GRADES.includes(lesson.grade))) {
    out.push(refuse('R-SEPARATE-COLUMN', 'п. 7.15', 'Отметка за грамотность выставляется отдельно только на странице русского языка в 10–11 классах', { subject: lesson.subjectCode, grade: lesson.grade }));
  }
  if (lesson.subjectCode === 'literature' && LITERACY_COLUMN_GRADES.includes(lesson.grade) && mark.column === 'main' && markPoints(mark.value).length > 1) {
    out.push(warn('R-SEPARATE-COLUMN', 'п. 7.15', 'В 10–11 классах отметка за грамотность выставляется на странице русского языка; на странице литературы — отметка за содержание', { value: mark.value }));
  }
  return combine(...out);
}
