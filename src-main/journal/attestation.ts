/** R-ATTEST, R-NA: the period-mark proposal for every student of a course, with its reasoning. */
import { proposePeriodMark } from '../../src-shared/rules/attestation';
import { isPeExemptForPeriod } from '../../src-shared/rules/pe';
import type { PeriodMarkProposal } from '../../src-shared/contract/methods';
import type { Journal } from './open';
import { JournalError } from './errors';
import { fullName, groupStudents } from './queries';
import { attendanceHistory, periodById, ruleSettings, ruleStudent, studentMarks } from './rule-inputs';
import { heldLessonCount } from './tables/lessons';
import { attestationDecision, periodMarkValue } from './tables/marks';
import { classGrade, courseWithClassGrade, subjectById } from './tables/structure';

export function periodMarkProposal(j: Journal, courseId: string, periodId: string, studentFilter?: (id: string) => boolean): PeriodMarkProposal {
  const c = courseWithClassGrade(j, courseId);
  if (!c) throw new JournalError('not_found', 'Предмет учебного плана не найден');
  const period = periodById(j, periodId);
  if (!period) throw new JournalError('not_found', 'Учебный период не найден');
  const s = ruleSettings(j);
  const held = heldLessonCount(j, courseId, period.starts, period.ends, true);
  const students = groupStudents(j, c.groupId).filter((st) => !studentFilter || studentFilter(st.id));
  return {
    courseId, periodId, subjectId: c.subjectId, yearId: c.yearId, hoursPerWeek: c.hoursPerWeek, lessonsHeld: held,
    students: students.map((st) => {
      const grade = c.grade ?? classGrade(j, st.classId) ?? 0;
      const decision = attestationDecision(j, st.id, c.subjectId, c.yearId, periodId);
      const rs = ruleStudent(j, st.id)!;
      const subjectCode = subjectById(j, c.subjectId)?.code;
      const p = proposePeriodMark({
        grade, hoursPerWeek: c.hoursPerWeek,
        marks: studentMarks(j, courseId, st.id, period.starts, period.ends),
        attendance: attendanceHistory(j, courseId, st.id, period.starts, period.ends),
        deputyDecision: decision ? { attest: decision.attest, note: decision.note } : null,
        exemptWholePeriod: subjectCode === 'pe' && isPeExemptForPeriod(rs, period),
      }, s);
      const current = periodMarkValue(j, st.id, c.subjectId, c.yearId, periodId) ?? null;
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
