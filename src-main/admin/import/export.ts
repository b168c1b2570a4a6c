/**
 * Export of the school's lists in the import layouts (R-IMPORT): what the journal holds for the
 * current year, written so that importing the file back changes nothing.
 */
import type { GroupKind, MedicalGroup, Role } from '../../../src-shared/domain/school';
import type { Journal } from '../../journal/open';
import { fileNameOf, layoutOf, writeTable, type Format, type OutCell, type What } from './layouts';
import { byClass, className, Planner } from './plan-kit';
import { GROUP_KIND_WORDS } from './plan-classes';
import { showRoles } from './plan-staff';
import { DIARY, MEDICAL } from './plan-students';
import { readSchool, type SchoolState } from './school-state';
import { fullName, showHours, yesNo } from './values';

const collator = new Intl.Collator('ru');
const byName = (a: { lastName: string; firstName: string; middleName?: string | null }, b: typeof a) => collator.compare(fullName(a), fullName(b));

function studentRows(s: SchoolState): OutCell[][] {
  const classOf = new Map(s.classes.map((c) => [c.id, c]));
  const parentOf = new Map(s.parents.map((x) => [x.id, x]));
  const extra = s.groups.filter((g) => g.kind !== 'class');
  const pupils = s.students.filter((x) => x.classId && classOf.has(x.classId) && !x.left)
    .sort((a, b) => byClass(className(classOf.get(a.classId!)!), className(classOf.get(b.classId!)!)) || byName(a, b));
  return pupils.map((x) => {
    const links = (s.links.get(x.id) ?? []).map((l) => ({ ...l, p: parentOf.get(l.parentId)! })).filter((l) => l.p).sort((a, b) => byName(a.p, b.p)).slice(0, 2);
    const parents = links.flatMap((l) => [l.p.lastName, l.p.firstName, l.p.middleName ?? '', l.p.phone ?? '', l.p.email ?? '', l.relation ?? '']);
    while (parents.length < 12) parents.push('');
    // One form for the row only when every parent of it chose the same; the date only when it is one date.
    const modes = links.map((l) => s.diaryMode.get(l.parentId));
    const one = modes.length > 0 && modes.every((m) => m && m.value === modes[0]!.value) ? modes[0] : undefined;
    const oneDate = one && modes.every((m) => m!.date === one.date) ? one.date : undefined;
    return [
      x.lastName, x.firstName, x.middleName ?? '', x.birthDate ? { date: x.birthDate } : '', className(classOf.get(x.classId!)!),
      extra.filter((g) => s.members.get(g.id)?.has(x.id)).map((g) => g.name).join(', '),
      MEDICAL[x.medicalGroup as MedicalGroup] ?? '', x.peExemptUntil ? { date: x.peExemptUntil } : '', yesNo(x.individualPlan), yesNo(x.homeSchooling),
      ...parents,
      one ? DIARY[one.value as 'paper'] ?? '' : '', oneDate ? { date: oneDate } : '',
    ];
  });
}

function staffRows(s: SchoolState): OutCell[][] {
  return [...s.staff].sort(byName).map((x) => {
    const acc = s.staffAccounts.get(x.id);
    return [x.lastName, x.firstName, x.middleName ?? '', x.position ?? '', acc?.login ?? '', acc ? showRoles(acc.roles.filter((r): r is Role => r !== 'parent' && r !== 'student')) : '', yesNo(x.left)];
  });
}

function classRows(s: SchoolState, p: Planner): OutCell[][] {
  const classes = [...s.classes].sort((a, b) => byClass(className(a), className(b)))
    .map((c): OutCell[] => [className(c), GROUP_KIND_WORDS.class, '', p.staffLabel(c.classTeacherId)]);
  const groups = s.groups.filter((g) => g.kind !== 'class').sort((a, b) => collator.compare(a.name, b.name)).map((g): OutCell[] => {
    const c = g.classId ? s.classes.find((x) => x.id === g.classId) : undefined;
    return [g.name, GROUP_KIND_WORDS[g.kind as GroupKind] ?? g.kind, c ? className(c) : '', ''];
  });
  return [...classes, ...groups];
}

function curriculumRows(s: SchoolState, p: Planner): OutCell[][] {
  const groupOf = new Map(s.groups.map((g) => [g.id, g]));
  const subjectOf = new Map(s.subjects.map((x) => [x.id, x]));
  return s.courses.filter((c) => groupOf.has(c.groupId) && subjectOf.has(c.subjectId))
    .map((c) => ({ c, g: groupOf.get(c.groupId)!, sub: subjectOf.get(c.subjectId)! }))
    .sort((a, b) => collator.compare(a.g.name, b.g.name) || collator.compare(a.sub.name, b.sub.name))
    .map(({ c, g, sub }) => [g.name, sub.name, sub.short, Number.isInteger(c.hoursPerWeek) ? c.hoursPerWeek : showHours(c.hoursPerWeek), p.staffLabel(c.teacherId)]);
}

export interface Exported { fileName: string; bytes: Uint8Array; rows: number }

export function exportList(j: Journal, what: What, format: Format, nowMs: number): Exported {
  const s = readSchool(j, nowMs);
  const p = new Planner(what, s, layoutOf(what), { nowMs, newId: () => '' });
  const rows = what === 'students' ? studentRows(s) : what === 'staff' ? staffRows(s) : what === 'classes' ? classRows(s, p) : curriculumRows(s, p);
  return { fileName: fileNameOf(what, format, s.year && what !== 'staff' ? ` ${s.year.name.replace(/\//g, '-')}` : ''), bytes: writeTable(what, format, rows), rows: rows.length };
}
