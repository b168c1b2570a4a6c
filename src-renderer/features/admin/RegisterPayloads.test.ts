import { describe, expect, it } from 'vitest';
import { consentLabel, leftLabel, pupilForm, pupilFormProblem, studentSet, studentSetOf, type Pupil } from './RegisterPayloads';

const pupil: Pupil = {
  id: 's-1', lastName: 'Ненянг', firstName: 'Злата', middleName: 'Олеговна', birthDate: '2015-03-02',
  individualPlan: false, homeSchooling: true, medicalGroup: 'preparatory', peExemptUntil: null, left: null,
  groups: [], accountId: null, login: null, parents: [],
};

describe('a pupil of the register as student.set', () => {
  it('sends every field of the record, the empty ones left out', () => {
    const f = { ...pupilForm(null), lastName: '  Иванов ', firstName: 'Пётр', birthDate: '2015-05-01' };
    expect(studentSet('s-new', f, '5a', null)).toEqual({
      id: 's-new', lastName: 'Иванов', firstName: 'Пётр', birthDate: '2015-05-01', classId: '5a',
      individualPlan: false, homeSchooling: false, medicalGroup: 'main',
    });
  });

  it('keeps the pupil as they are when moving to another class', () => {
    expect(studentSetOf(pupil, '6b')).toEqual({
      id: 's-1', lastName: 'Ненянг', firstName: 'Злата', middleName: 'Олеговна', birthDate: '2015-03-02', classId: '6b',
      individualPlan: false, homeSchooling: true, medicalGroup: 'preparatory',
    });
  });

  it('records leaving as the same record with its date (the pupil stays in the list)', () => {
    expect(studentSetOf(pupil, '5a', '2026-10-31')).toMatchObject({ id: 's-1', classId: '5a', left: '2026-10-31', homeSchooling: true });
  });

  it('asks for the surname and the first name before sending', () => {
    expect(pupilFormProblem(pupilForm(null))).toBe('Укажите фамилию и имя');
    expect(pupilFormProblem(pupilForm(pupil))).toBeNull();
  });
});

describe('the register\'s words', () => {
  it('says «выбыла» or «выбыл» with the date', () => {
    expect(leftLabel({ ...pupil, left: '2026-10-31' })).toBe('выбыла 31.10.2026');
    expect(leftLabel({ firstName: 'Пётр', middleName: 'Ильич', left: '2026-10-31' })).toBe('выбыл 31.10.2026');
    expect(leftLabel(pupil)).toBeNull();
  });

  it('names a consent with its date, or says it is missing', () => {
    expect(consentLabel('diary_mode', { value: 'paper', date: '2026-09-01' })).toBe('бумажный дневник с 01.09.2026');
    expect(consentLabel('personal_data', null)).toBe('не указано');
  });
});
