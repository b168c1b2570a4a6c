/**
 * The school as an import sees it: the current year and its classes, groups and courses; every
 * pupil, parent, link, staff member, staff account and subject — read once (drizzle), so matching
 * 1 500 rows is a lookup per row, not a query.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Role } from '../../../src-shared/domain/school';
import type { Journal } from '../../journal/open';
import { account, consent, course, group, groupMember, parent, parentStudent, schoolClass, staff, student, subject, year } from '../../journal/schema';
import { schoolToday } from '../../journal/views';

export type StudentRow = typeof student.$inferSelect;
export type ParentRow = typeof parent.$inferSelect;
export type StaffRow = typeof staff.$inferSelect;
export type ClassRow = typeof schoolClass.$inferSelect;
export type GroupRow = typeof group.$inferSelect;
export type SubjectRow = typeof subject.$inferSelect;
export type CourseRow = typeof course.$inferSelect;
export interface StaffAccount { id: string; login: string; personId: string; roles: Role[] }

export interface SchoolState {
  today: string;
  year: { id: string; name: string } | null;
  classes: ClassRow[];
  groups: GroupRow[];
  /** groupId → its members (groups of the year). */
  members: Map<string, Set<string>>;
  students: StudentRow[];
  parents: ParentRow[];
  /** studentId → links. */
  links: Map<string, { parentId: string; relation: string | null }[]>;
  /** parentId → the diary form chosen (R-CONSENT). */
  diaryMode: Map<string, { value: string; date: string }>;
  staff: StaffRow[];
  /** Accounts of staff members, by staff id (the first one, by login). */
  staffAccounts: Map<string, StaffAccount>;
  /** Every login in use → the account's person (any kind). */
  logins: Map<string, { id: string; personKind: string; personId: string }>;
  subjects: SubjectRow[];
  courses: CourseRow[];
}

/** The school year holding today, else the latest one begun before it, else the first (as views.ts). */
function currentYear(j: Journal, today: string): { id: string; name: string } | null {
  const years = j.db.select({ id: year.id, name: year.name, starts: year.starts, ends: year.ends }).from(year).all();
  const rank = (y: { starts: string; ends: string }) => (y.starts <= today && today <= y.ends ? 2 : y.starts <= today ? 1 : 0);
  years.sort((a, b) => rank(b) - rank(a) || b.starts.localeCompare(a.starts));
  const y = years[0];
  return y ? { id: y.id, name: y.name } : null;
}

export function readSchool(j: Journal, nowMs: number): SchoolState {
  const today = schoolToday(j, nowMs);
  const y = currentYear(j, today);
  const db = j.db;
  const classes = y ? db.select().from(schoolClass).where(eq(schoolClass.yearId, y.id)).all() : [];
  const groups = y ? db.select().from(group).where(eq(group.yearId, y.id)).all() : [];
  const members = new Map<string, Set<string>>(groups.map((g) => [g.id, new Set<string>()]));
  if (groups.length) {
    for (const m of db.select().from(groupMember).where(inArray(groupMember.groupId, groups.map((g) => g.id))).all()) members.get(m.groupId)!.add(m.studentId);
  }
  const links = new Map<string, { parentId: string; relation: string | null }[]>();
  for (const l of db.select().from(parentStudent).all()) {
    const list = links.get(l.studentId) ?? [];
    list.push({ parentId: l.parentId, relation: l.relation });
    links.set(l.studentId, list);
  }
  const diaryMode = new Map(db.select().from(consent).where(eq(consent.kind, 'diary_mode')).all().map((c) => [c.parentId, { value: c.value, date: c.date }]));
  const staffAccounts = new Map<string, StaffAccount>();
  const logins = new Map<string, { id: string; personKind: string; personId: string }>();
  for (const a of db.select({ id: account.id, login: account.login, personKind: account.personKind, personId: account.personId, roles: account.roles }).from(account).orderBy(account.login).all()) {
    logins.set(a.login, a);
    if (a.personKind === 'staff' && !staffAccounts.has(a.personId)) staffAccounts.set(a.personId, { id: a.id, login: a.login, personId: a.personId, roles: JSON.parse(a.roles) as Role[] });
  }
  return {
    today, year: y, classes, groups, members, links, diaryMode, staffAccounts, logins,
    students: db.select().from(student).all(),
    parents: db.select().from(parent).all(),
    staff: db.select().from(staff).all(),
    subjects: db.select().from(subject).all(),
    courses: y ? db.select().from(course).where(eq(course.yearId, y.id)).all() : [],
  };
}
