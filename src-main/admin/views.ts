/**
 * What the administration screens read (src-shared/contract/admin.ts): the school as set up, the
 * accounts, one class's register. Typed queries on the drizzle schema (renaming a column in
 * schema.ts fails the typecheck here); none of them is on a hot path.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AccountList, ClassRoster, SetupView } from '../../src-shared/contract/admin';
import { CONSENT_KINDS, type GroupKind, type Level, type MedicalGroup, type PeriodScheme, type PersonKind, type Role, type SubjectCode } from '../../src-shared/domain/school';
import { isOneTimeVerifier } from '../journal/one-time';
import { JournalError } from '../journal/errors';
import type { Journal } from '../journal/open';
import * as t from '../journal/schema';
import { schoolToday } from '../journal/views';

const collator = new Intl.Collator('ru');
const fio = (p: { lastName: string; firstName: string; middleName: string | null }) => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
const roles = (json: string) => JSON.parse(json) as Role[];
const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/** The school as set up, for the administrator's screens and everyone's pickers (`setup.get`). */
export function setupView(j: Journal, nowMs: number): SetupView {
  const db = j.db;
  const school = db.select().from(t.school).get();
  const years = db.select().from(t.year).orderBy(asc(t.year.starts)).all();
  const today = schoolToday(j, nowMs);
  const current = years.find((y) => y.starts <= today && today <= y.ends) ?? years.filter((y) => y.starts <= today).at(-1) ?? years[0];
  const accounts = db.select({ id: t.account.id, personId: t.account.personId, login: t.account.login, roles: t.account.roles })
    .from(t.account).where(eq(t.account.personKind, 'staff')).all();
  const accountOf = new Map(accounts.map((a) => [a.personId, a]));
  const counts = new Map(db.select({ classId: t.student.classId, n: sql<number>`count(*)` }).from(t.student)
    .where(sql`${t.student.left} IS NULL`).groupBy(t.student.classId).all().map((r) => [r.classId, r.n]));
  const members = new Map<string, string[]>();
  for (const m of db.select().from(t.groupMember).all()) (members.get(m.groupId) ?? members.set(m.groupId, []).get(m.groupId)!).push(m.studentId);
  return {
    school: { name: school?.name ?? '', fullName: school?.fullName ?? null, address: school?.address ?? null, timezone: school?.timezone ?? 'Europe/Moscow' },
    years,
    yearId: current?.id ?? null,
    levelSchemes: db.select().from(t.levelScheme).all().map((l) => ({ ...l, level: l.level as Level, scheme: l.scheme as PeriodScheme })),
    periods: db.select().from(t.period).orderBy(asc(t.period.yearId), asc(t.period.scheme), asc(t.period.number)).all().map((p) => ({ ...p, scheme: p.scheme as PeriodScheme })),
    holidays: db.select().from(t.holiday).orderBy(asc(t.holiday.starts)).all().map((h) => ({ ...h, grades: h.grades ? (JSON.parse(h.grades) as number[]) : null })),
    bells: db.select().from(t.bell).orderBy(asc(t.bell.yearId), asc(t.bell.number)).all(),
    subjects: db.select().from(t.subject).all().map((s) => ({ ...s, code: s.code as SubjectCode })).sort((a, b) => collator.compare(a.name, b.name)),
    staff: db.select().from(t.staff).all().sort((a, b) => collator.compare(fio(a), fio(b))).map((s) => {
      const a = accountOf.get(s.id);
      return { ...s, accountId: a?.id ?? null, login: a?.login ?? null, roles: a ? roles(a.roles) : [] };
    }),
    classes: db.select().from(t.schoolClass).orderBy(asc(t.schoolClass.grade), asc(t.schoolClass.letter)).all()
      .map((c) => ({ ...c, name: className(c), students: counts.get(c.id) ?? 0 })),
    groups: db.select().from(t.group).all().sort((a, b) => collator.compare(a.name, b.name))
      .map((g) => ({ ...g, kind: g.kind as GroupKind, memberIds: members.get(g.id) ?? [] })),
    courses: db.select().from(t.course).all(),
  };
}

/** Every account with its person and standing (`accounts.list`, п. 9.1, 9.6). */
export function accountList(j: Journal): AccountList {
  const db = j.db;
  const names = new Map<string, { name: string; detail: string | null }>();
  for (const s of db.select().from(t.staff).all()) names.set(`staff:${s.id}`, { name: fio(s), detail: s.position });
  const classes = new Map(db.select().from(t.schoolClass).all().map((c) => [c.id, className(c)]));
  const students = new Map(db.select().from(t.student).all().map((s) => [s.id, s]));
  for (const s of students.values()) names.set(`student:${s.id}`, { name: fio(s), detail: `обучающийся${s.classId ? ` ${classes.get(s.classId) ?? ''}` : ''}${s.left ? ', выбыл' : ''}` });
  const childrenOf = new Map<string, string[]>();
  for (const l of db.select().from(t.parentStudent).all()) {
    const s = students.get(l.studentId);
    if (s) (childrenOf.get(l.parentId) ?? childrenOf.set(l.parentId, []).get(l.parentId)!).push(`${s.lastName} ${s.firstName}${s.classId ? `, ${classes.get(s.classId) ?? ''}` : ''}`);
  }
  for (const p of db.select().from(t.parent).all()) {
    const kids = childrenOf.get(p.id);
    names.set(`parent:${p.id}`, { name: fio(p), detail: kids?.length ? `родитель: ${kids.join('; ')}` : 'родитель' });
  }
  const breaches = db.select().from(t.breach).orderBy(asc(t.breach.reportedAt)).all();
  const breached = new Set(breaches.map((b) => b.accountId));
  const accounts = db.select().from(t.account).all().map((a) => {
    const person = names.get(`${a.personKind}:${a.personId}`);
    return {
      id: a.id, login: a.login, personKind: a.personKind as PersonKind, personId: a.personId,
      name: person?.name ?? a.login, detail: person?.detail ?? null, roles: roles(a.roles), blocked: a.blocked, blockReason: a.blockReason,
      password: a.verifier === null ? 'none' as const : isOneTimeVerifier(a.verifier) ? 'one_time' as const : 'own' as const,
      breach: breached.has(a.id),
    };
  }).sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.login, b.login));
  return { accounts, breaches: breaches.map((b) => ({ id: b.id, accountId: b.accountId, from: b.fromAt, reportedAt: b.reportedAt, note: b.note, recordedAt: b.recordedAt })) };
}

/** One class's register: pupils (who left too — their history stays), groups, families, consents (`class.roster`). */
export function classRoster(j: Journal, classId: string, readOnly: boolean, keep?: (studentId: string) => boolean): ClassRoster {
  const db = j.db;
  const c = db.select().from(t.schoolClass).where(eq(t.schoolClass.id, classId)).get();
  if (!c) throw new JournalError('not_found', 'Класс не найден');
  const teacher = c.classTeacherId ? db.select().from(t.staff).where(eq(t.staff.id, c.classTeacherId)).get() : undefined;
  const pupils = db.select().from(t.student).where(eq(t.student.classId, classId)).all()
    .filter((s) => !keep || keep(s.id))
    .sort((a, b) => Number(a.left !== null) - Number(b.left !== null) || collator.compare(fio(a), fio(b)));
  const accountOf = (kind: PersonKind, personId: string) => db.select({ id: t.account.id, login: t.account.login }).from(t.account)
    .where(and(eq(t.account.personKind, kind), eq(t.account.personId, personId))).get();
  const groupsOf = (studentId: string) => db.select({ id: t.group.id, name: t.group.name }).from(t.groupMember)
    .innerJoin(t.group, eq(t.group.id, t.groupMember.groupId)).where(and(eq(t.groupMember.studentId, studentId), eq(t.group.yearId, c.yearId))).all();
  const parentsOf = (studentId: string) => db.select({ p: t.parent, relation: t.parentStudent.relation }).from(t.parentStudent)
    .innerJoin(t.parent, eq(t.parent.id, t.parentStudent.parentId)).where(eq(t.parentStudent.studentId, studentId)).all();
  const consentsOf = (parentId: string) => {
    const rows = db.select().from(t.consent).where(eq(t.consent.parentId, parentId)).all();
    return Object.fromEntries(CONSENT_KINDS.map((k) => {
      const r = rows.find((x) => x.kind === k);
      return [k, r ? { value: r.value, date: r.date } : null];
    })) as ClassRoster['students'][number]['parents'][number]['consents'];
  };
  return {
    class: { id: c.id, name: className(c), grade: c.grade, yearId: c.yearId, classTeacherName: teacher ? fio(teacher) : null },
    students: pupils.map((s) => {
      const a = accountOf('student', s.id);
      return {
        id: s.id, lastName: s.lastName, firstName: s.firstName, middleName: s.middleName, birthDate: s.birthDate,
        individualPlan: s.individualPlan, homeSchooling: s.homeSchooling, medicalGroup: s.medicalGroup as MedicalGroup, peExemptUntil: s.peExemptUntil, left: s.left,
        groups: groupsOf(s.id).sort((x, y) => collator.compare(x.name, y.name)),
        accountId: a?.id ?? null, login: a?.login ?? null,
        parents: parentsOf(s.id).map(({ p, relation }) => {
          const pa = accountOf('parent', p.id);
          return { id: p.id, lastName: p.lastName, firstName: p.firstName, middleName: p.middleName, phone: p.phone, email: p.email, relation, accountId: pa?.id ?? null, login: pa?.login ?? null, consents: consentsOf(p.id) };
        }),
      };
    }),
    readOnly,
  };
}
