/** R-ATTEST, R-NA: the period-mark proposal for every student of a course, with its reasoning. */
import { proposePeriodMark } from '../../src-shared/rules/attestation';
import { isPeExemptForPeriod } from '../../src-shared/rules/pe';
import type { PeriodMarkProposal } from '../../src-shared/contract/methods';
import type { Journal } from './open';
import { JournalError } from './errors';
import { fullName, groupStudents } from './queries';
import { attendanceHistory, periodById, ruleSettings, ruleStudent, studentMarks } from './rule-inputs';

export function periodMarkProposal(j: Journal, courseId: string, periodId: string, studentFilter?: (id: string) => boolean): PeriodMarkProposal {
  const c = j.stmt(`SELECT c.id, c.group_id AS groupId, c.subject_id AS subjectId, c.year_id AS yearId, c.hours_per_week AS hoursPerWeek, cl.grade
    FROM course c JOIN grp g ON g.id = c.group_id LEFT JOIN class cl ON cl.id = g.class_id WHERE c.id = ?`).get(courseId) as
    { id: string; groupId: string; subjectId: string; yearId: string; hoursPerWeek: number; grade: number | null } | undefined;
  if (!c) throw new JournalError('not_found', 'Предмет учебного плана не найден');
  const period = periodById(j, periodId);
  if (!period) throw new JournalError('not_found', 'Учебный период не найден');
  const s = ruleSettings(j);
  const held = j.stmt(`SELECT count(*) FROM lesson WHERE course_id = ? AND status <> 'cancelled' AND kind <> 'extracurricular' AND date BETWEEN ? AND ?`).pluck().get(courseId, period.starts, period.ends) as number;
  const students = groupStudents(j, c.groupId).filter((st) => !studentFilter || studentFilter(st.id));
  return {
    courseId, periodId, subjectId: c.subjectId, yearId: c.yearId, hoursPerWeek: c.hoursPerWeek, lessonsHeld: held,
    students: students.map((st) => {
      const grade = c.grade ?? ((j.stmt('SELECT cl.grade FROM class cl WHERE cl.id = ?').pluck().get(st.classId) as number | undefined) ?? 0);
      const decision = j.stmt('SELECT attest, note FROM attestation_decision WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').get(st.id, c.subjectId, c.yearId, periodId) as { attest: number; note: string } | undefined;
      const rs = ruleStudent(j, st.id)!;
      const subjectCode = j.stmt('SELECT code FROM subject WHERE id = ?').pluck().get(c.subjectId) as string;
      const p = proposePeriodMark({
        grade, hoursPerWeek: c.hoursPerWeek,
        marks: studentMarks(j, courseId, st.id, period.starts, period.ends),
        attendance: attendanceHistory(j, courseId, st.id, period.starts, period.ends),
        deputyDecision: decision ? { attest: !!decision.attest, note: decision.note } : null,
        exemptWholePeriod: subjectCode === 'pe' && isPeExemptForPeriod(rs, period),
      }, s);
      const current = (j.stmt('SELECT value FROM period_mark WHERE student_id = ? AND subject_id = ? AND year_id = ? AND term = ?').pluck().get(st.id, c.subjectId, c.yearId, periodId) as string | undefined) ?? null;
      const ex = p.explanation;
      return {
        studentId: st.id, name: fullName(st), proposal: p.value, status: p.status, current,
        explanation: {
          marksUsed: ex.marks.map((m) => ({ value: m.value, points: m.points, weight: m.weight, date: m.date, ...(m.workType ? { workType: m.workType } : {}) })),
          count: ex.count, minimum: ex.minimum, mean: ex.mean, rounding: ex.rounding ? `${ex.rounding.mean.toFixed(2)} → ${ex.rounding.result} (порог ${ex.rounding.threshold})` : '—',
          missed: ex.attendance.missed, missedShare: ex.attendance.share, lessons: ex.attendance.lessons, text: ex.lines,
        },
        findings: p.verdict.findings.map((f) => ({ level: f.severity, code: f.code ?? 'warn', message: f.message, requirement: f.requirement, clause: f.clause })),
      };
    }),
  };
}
