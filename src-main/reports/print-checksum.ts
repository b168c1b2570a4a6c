/**
 * The checksum printed on the journal's last sheet (R-ANNUAL-PRINT): SHA-256 of the printed data
 * (annual-data.ts holds exactly what is printed), shown as 20 hex digits in groups of four. The
 * contents sheet also shows an 8-digit checksum per section, so a mismatch can be traced to a
 * subject. `ejournal verify-print` recomputes both from the journal.
 */
import { createHash } from 'node:crypto';
import type { AnnualJournalData } from './annual-data';

export interface PrintChecksum { total: string; sections: { title: string; sum: string }[] }

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').toUpperCase();

export function courseTitle(c: { subject: string; group: string | null }): string {
  return c.group ? `${c.subject} (${c.group})` : c.subject;
}

export function annualChecksum(d: AnnualJournalData): PrintChecksum {
  const sum = (v: unknown) => sha(v).slice(0, 8);
  const sections = [
    { title: 'Титульный лист', sum: sum([d.school, d.cls, d.director, d.deputy, d.periods, d.termColumns, d.students]) },
    { title: 'Расписание уроков', sum: sum(d.timetable) },
    ...d.courses.map((c) => ({ title: courseTitle(c), sum: sum(c) })),
    { title: 'Сводная ведомость', sum: sum(d.summary) },
    { title: 'Сведения о пропущенных уроках', sum: sum(d.attendance) },
  ];
  return { total: formatChecksum(sha(d).slice(0, 20)), sections };
}

/** «A1B2-C3D4-E5F6-0718-293A» */
export function formatChecksum(hex: string): string {
  return hex.toUpperCase().match(/.{1,4}/g)!.join('-');
}

/** What a person typed back from the paper: case, spaces and dashes do not matter. */
export function normaliseChecksum(typed: string): string | null {
  const hex = typed.replace(/[\s-]/g, '').toUpperCase();
  return /^[0-9A-F]{20}$/.test(hex) ? formatChecksum(hex) : null;
}
