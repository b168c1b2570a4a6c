import { describe, it, expect } from 'vitest';
import { checkExtracurricularAbsence, checkExtracurricularMark, checkExtracurricularTopic, extracurricularTopic } from './extracurricular';

describe('R-EXTRA: extracurricular lessons', () => {
  it('builds the topic: topic, «Внеурочное занятие», form, order number (п. 8.3)', () => {
    expect(extracurricularTopic('Решение задач на движение.', 'консультация', '№ 12')).toBe('Решение задач на движение. Внеурочное занятие, консультация, приказ № 12');
    expect(extracurricularTopic(undefined)).toBe('Внеурочное занятие');
  });

  it('refuses marks at an extracurricular lesson (п. 7.13)', () => {
    const v = checkExtracurricularMark({ kind: 'extracurricular' });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-EXTRA', clause: 'п. 7.13' });
    expect(checkExtracurricularMark({ kind: 'regular' }).level).toBe('ok');
  });

  it('refuses absences at an extracurricular lesson (п. 7.13)', () => {
    expect(checkExtracurricularAbsence({ kind: 'extracurricular' }).level).toBe('refuse');
    expect(checkExtracurricularAbsence({ kind: 'regular' }).level).toBe('ok');
  });

  it('accepts a complete topic (п. 7.13, 8.3)', () => {
    expect(checkExtracurricularTopic({ kind: 'extracurricular', topic: 'Решение задач. Внеурочное занятие, консультация, приказ № 12', form: 'консультация' }).level).toBe('ok');
    expect(checkExtracurricularTopic({ kind: 'extracurricular', topic: 'Внеурочное занятие', form: 'экскурсия', orderNo: '12' }).level).toBe('ok');
  });

  it('warns about a topic without «Внеурочное занятие», order number or form (п. 7.13, 8.3)', () => {
    const v = checkExtracurricularTopic({ kind: 'extracurricular', topic: 'Решение задач' });
    expect(v.level).toBe('warn');
    expect(v.findings.map((f) => f.clause)).toEqual(['п. 7.13', 'п. 8.3', 'п. 8.3']);
  });

  it('says nothing about a regular lesson’s topic', () => {
    expect(checkExtracurricularTopic({ kind: 'regular', topic: 'Решение задач' }).level).toBe('ok');
  });
});
