/**
 * The pupils' register on screen and as ops (п. 9.4, 9.6; R-CONSENT): a pupil's form and the full
 * `student.set` it makes (a set replaces the record, so every field is sent, an empty one left
 * out), leaving and moving as the same op, and the words for medical groups and consents.
 */
import type { ClassRoster } from '../../../src-shared/contract/admin';
import type { In } from '../../../src-shared/contract/methods';
import type { MedicalGroup } from '../../../src-shared/domain/school';
import { dmy } from '../../app/format';

export type Pupil = ClassRoster['students'][number];
export type Parent = Pupil['parents'][number];

export const MEDICAL_LABELS: Record<MedicalGroup, string> = { main: 'основная', preparatory: 'подготовительная', special: 'специальная' };

export interface PupilForm {
  lastName: string; firstName: string; middleName: string; birthDate: string;
  medicalGroup: MedicalGroup; peExemptUntil: string; individualPlan: boolean; homeSchooling: boolean;
}

export function pupilForm(p: Pupil | null): PupilForm {
  return {
    lastName: p?.lastName ?? '', firstName: p?.firstName ?? '', middleName: p?.middleName ?? '', birthDate: p?.birthDate ?? '',
    medicalGroup: p?.medicalGroup ?? 'main', peExemptUntil: p?.peExemptUntil ?? '', individualPlan: p?.individualPlan ?? false, homeSchooling: p?.homeSchooling ?? false,
  };
}

/** Why the form cannot be sent, or null; the server judges everything else. */
export function pupilFormProblem(f: PupilForm): string | null {
  if (!f.lastName.trim() || !f.firstName.trim()) return 'Укажите фамилию и имя';
  return null;
}

/** The whole record as `student.set`: the form's fields, the class, and the date of leaving kept. */
export function studentSet(id: string, f: PupilForm, classId: string, left: string | null): In<'student.set'> {
  const opt = (v: string) => v.trim() || undefined;
  const p: In<'student.set'> = {
    id, lastName: f.lastName.trim(), firstName: f.firstName.trim(), classId,
    individualPlan: f.individualPlan, homeSchooling: f.homeSchooling, medicalGroup: f.medicalGroup,
  };
  const middleName = opt(f.middleName);
  const birthDate = opt(f.birthDate);
  const peExemptUntil = opt(f.peExemptUntil);
  if (middleName) p.middleName = middleName;
  if (birthDate) p.birthDate = birthDate;
  if (peExemptUntil) p.peExemptUntil = peExemptUntil;
  if (left) p.left = left;
  return p;
}

/** The pupil as they are, in another class or with a date of leaving. */
export function studentSetOf(p: Pupil, classId: string, left: string | null = p.left): In<'student.set'> {
  return studentSet(p.id, pupilForm(p), classId, left);
}

/** «выбыла 31.10.2026» — by the first name's ending, the register's own way. */
export function leftLabel(p: { firstName: string; middleName: string | null; left: string | null }): string | null {
  if (!p.left) return null;
  const female = p.middleName ? /на$/.test(p.middleName) : /[ая]$/.test(p.firstName);
  return `${female ? 'выбыла' : 'выбыл'} ${dmy(p.left)}`;
}

export const CONSENT_VALUES = {
  diary_mode: [{ value: 'electronic', label: 'электронный дневник' }, { value: 'paper', label: 'бумажный дневник' }],
  personal_data: [{ value: 'given', label: 'согласие дано' }, { value: 'refused', label: 'отказ' }],
} as const;
export type ConsentKind = keyof typeof CONSENT_VALUES;
export type ConsentValue = (typeof CONSENT_VALUES)[ConsentKind][number]['value'];

/** «электронный дневник с 01.09.2026», or «не указано». */
export function consentLabel(kind: ConsentKind, c: { value: string; date: string } | null): string {
  if (!c) return 'не указано';
  const label = CONSENT_VALUES[kind].find((v) => v.value === c.value)?.label ?? c.value;
  return `${label} с ${dmy(c.date)}`;
}
