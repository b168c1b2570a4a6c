/**
 * The demo school's lists as a school uploads them (R-IMPORT, docs/import.md): sheets in the import
 * layouts — the header row `buildTemplate` writes, a row per person, class, group or course, cells
 * as the export writes them — planned by the import's own planner inside the administrator's
 * command, like `applyImport` does with a file.
 *
 * The one difference is the ids: the rest of the demo (timetable, КТП, the year) refers to the
 * records by the ids the school model gave them, so each sheet carries those ids in the order its
 * rows ask for new ones, and the plan is checked to have given every id to its own record.
 */
import type { Role } from '../../src-shared/domain/school';
import { layoutOf, type What } from '../admin/import/layouts';
import { planImport, rowErrorText } from '../admin/import/plan';
import { GROUP_KIND_WORDS } from '../admin/import/plan-classes';
import { showRoles } from '../admin/import/plan-staff';
import { DIARY, MEDICAL } from '../admin/import/plan-students';
import type { Sheet } from '../admin/import/read';
import { nameKey, showDate, showHours, yesNo } from '../admin/import/values';
import type { OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';
import { CLUB_SUBJECT, ELECTIVE_SUBJECT, SUBJECTS } from './curriculum';
import type { FullName } from './names';
import type { Parent, School, Student } from './school';

export interface DemoList {
  what: What;
  sheet: Sheet;
  /** The ids of the records the rows add, in the order the planner asks for new ids. */
  ids: string[];
  /** What the record of each id is (its name, class, group and subject …), to check the plan by. */
  labels: Map<string, string>;
}

type Row = Record<string, string>;

/** Header row and data rows in the layout's column order. */
function sheetOf(what: What, rows: Row[]): Sheet {
  const columns = layoutOf(what).columns;
  return { format: 'csv', rows: [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => r[c.key] ?? ''))], problems: [], merges: [] };
}

const personLabel = (n: { lastName: string; firstName: string }) => `${n.lastName} ${n.firstName}`;
const nameLabel = (n: FullName) => personLabel({ lastName: n.last, firstName: n.first });
const fio = (n: FullName) => `${n.last} ${n.first} ${n.middle}`;

/** The label of the record a draft sets, as `DemoList.labels` has it; undefined for drafts that set no record. */
function labelOf(d: OpDraft): [string, string] | undefined {
  const p = d.payload as Record<string, unknown> & { id: string };
  switch (d.kind) {
    case 'staff.set': case 'student.set': case 'parent.set': return [p.id, personLabel(p as never)];
    case 'class.set': return [p.id, `${p.grade as number}${p.letter as string}`];
    case 'group.set': return [p.id, p.name as string];
    case 'course.set': return [p.id, `${p.groupId as string}|${p.subjectId as string}`];
    case 'account.set': return [p.id, p.login as string];
    default: return undefined;
  }
}

/**
 * The list's plan in the command of `actorAccountId` at `nowMs`, from the journal as it is then.
 * A row the planner refuses is the demo's bug: it throws with the rows and columns, as the import would.
 */
export function planList(j: Journal, list: DemoList, nowMs: number, actorAccountId: string): OpDraft[] {
  let next = 0;
  const title = layoutOf(list.what).title;
  const plan = planImport(j, list.sheet, list.what, {
    nowMs, actorAccountId,
    newId: () => {
      const id = list.ids[next++];
      if (id === undefined) throw new Error(`демонстрационная школа: список «${title}» добавляет больше записей, чем в нём строк`);
      return id;
    },
  });
  if (plan.errors.length) throw new Error(`демонстрационная школа: список «${title}» не загружается: ${plan.errors.slice(0, 10).map(rowErrorText).join('; ')}`);
  if (next !== list.ids.length) throw new Error(`демонстрационная школа: список «${title}» добавил ${next} записей из ${list.ids.length}`);
  for (const d of plan.drafts) {
    const got = labelOf(d);
    if (got && list.labels.get(got[0]) !== got[1]) throw new Error(`демонстрационная школа: список «${title}»: запись ${got[0]} — «${got[1]}», ожидалось «${list.labels.get(got[0]) ?? '—'}»`);
  }
  return plan.drafts;
}

/** How a list names a staff member: the full name, or the login where two have the same name (as the export does). */
function staffLabels(school: School): (id: string) => string {
  const count = new Map<string, number>();
  for (const s of school.staff) count.set(nameKey(fio(s.name)), (count.get(nameKey(fio(s.name))) ?? 0) + 1);
  const byId = new Map(school.staff.map((s) => [s.id, s]));
  return (id) => {
    const s = byId.get(id);
    if (!s) return '';
    return count.get(nameKey(fio(s.name)))! > 1 ? s.login : fio(s.name);
  };
}

/** «Работники»: everyone with their login and roles; the administrator is there already (`ejournal init`). */
export function staffList(school: School): DemoList {
  const ids: string[] = [];
  const labels = new Map<string, string>();
  const rows = school.staff.map((s): Row => {
    labels.set(s.id, nameLabel(s.name));
    labels.set(s.accountId, s.login);
    if (s !== school.demo.admin) ids.push(s.id, s.accountId);
    return {
      lastName: s.name.last, firstName: s.name.first, middleName: s.name.middle, position: s.position,
      login: s.login, roles: showRoles(s.roles.filter((r): r is Role => r !== 'parent' && r !== 'student')), left: yesNo(false),
    };
  });
  return { what: 'staff', sheet: sheetOf('staff', rows), ids, labels };
}

/** «Классы и группы»: the classes with their class teachers, then the groups beyond the class. */
export function classesList(school: School): DemoList {
  const ids: string[] = [];
  const labels = new Map<string, string>();
  const staffLabel = staffLabels(school);
  const className = new Map(school.classes.map((c) => [c.id, c.name]));
  const classes = school.classes.map((c): Row => {
    ids.push(c.id, c.groupId);
    labels.set(c.id, c.name).set(c.groupId, c.name);
    return { name: c.name, kind: GROUP_KIND_WORDS.class, class: '', classTeacher: staffLabel(c.teacherId) };
  });
  const groups = school.groups.filter((g) => g.kind !== 'class').map((g): Row => {
    ids.push(g.id);
    labels.set(g.id, g.name);
    return { name: g.name, kind: GROUP_KIND_WORDS[g.kind], class: g.classId ? className.get(g.classId)! : '', classTeacher: '' };
  });
  return { what: 'classes', sheet: sheetOf('classes', [...classes, ...groups]), ids, labels };
}

/**
 * «Ученики и родители»: class by class, each pupil with their groups and up to two parents. With
 * `diary`, the same list after the parents' meetings: the diary form each family chose and when.
 */
export function studentsList(school: School, { diary }: { diary: boolean }): DemoList {
  const ids: string[] = [];
  const labels = new Map<string, string>();
  const parentsOf = new Map<string, Parent[]>();
  for (const p of school.parents) for (const c of p.children) parentsOf.set(c.id, [...(parentsOf.get(c.id) ?? []), p]);
  const groupsOf = new Map<string, string[]>();
  for (const g of school.groups) if (g.kind !== 'class') for (const s of g.members ?? []) groupsOf.set(s.id, [...(groupsOf.get(s.id) ?? []), g.name]);
  const listed = new Set<string>();
  const row = (s: Student, cls: string): Row => {
    const parents = parentsOf.get(s.id) ?? [];
    if (parents.length > 2) throw new Error(`демонстрационная школа: у ученика ${s.id} больше двух родителей, а в списке для них два места`);
    labels.set(s.id, nameLabel(s.name));
    if (!diary) ids.push(s.id);
    const cells: Row = {
      lastName: s.name.last, firstName: s.name.first, middleName: s.name.middle, birthDate: showDate(s.birthDate), class: cls,
      groups: (groupsOf.get(s.id) ?? []).join(', '), medicalGroup: MEDICAL[s.medicalGroup], peExemptUntil: s.peExemptUntil ? showDate(s.peExemptUntil) : '',
      individualPlan: yesNo(s.homeSchooling), homeSchooling: yesNo(s.homeSchooling),
    };
    parents.forEach((p, i) => {
      const n = i + 1;
      Object.assign(cells, {
        [`p${n}LastName`]: p.name.last, [`p${n}FirstName`]: p.name.first, [`p${n}MiddleName`]: p.name.middle,
        [`p${n}Phone`]: p.phone, [`p${n}Email`]: p.email ?? '', [`p${n}Relation`]: p.relation,
      });
      labels.set(p.id, nameLabel(p.name));
      // A parent of several pupils is added at their first row and recognised at the others.
      if (!diary && !listed.has(p.id)) ids.push(p.id);
      listed.add(p.id);
    });
    // A family chooses together: its parents share the form and the date (school.ts).
    const family = parents[0];
    if (diary && family) Object.assign(cells, { diaryMode: DIARY[family.paper ? 'paper' : 'electronic'], diaryDate: showDate(family.consentDate) });
    return cells;
  };
  const rows = school.classes.flatMap((c) => c.students.map((s) => row(s, c.name)));
  return { what: 'students', sheet: sheetOf('students', rows), ids, labels };
}

const SUBJECT_OF = new Map([...SUBJECTS, ELECTIVE_SUBJECT, CLUB_SUBJECT].map((s) => [s.id, s]));

/** «Учебный план и нагрузка»: a row per course — the class or group, the subject, hours, the teacher. */
export function curriculumList(school: School): DemoList {
  const ids: string[] = [];
  const labels = new Map<string, string>();
  const staffLabel = staffLabels(school);
  const rows = school.courses.map((k): Row => {
    const sub = SUBJECT_OF.get(k.subjectId)!;
    ids.push(k.id);
    labels.set(k.id, `${k.group.id}|${k.subjectId}`);
    return { group: k.group.name, subject: sub.name, short: sub.short, hours: showHours(k.hours), teacher: staffLabel(k.teacherId) };
  });
  return { what: 'curriculum', sheet: sheetOf('curriculum', rows), ids, labels };
}
