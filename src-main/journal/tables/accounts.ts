/**
 * Reads of `account`: who an account is, its roles and verifier, its person's name. The policy
 * asks some of them for every op and every query, so those are prepared once per journal.
 */
import { and, eq, sql } from 'drizzle-orm';
import * as t from '../schema';
import type { Journal } from '../handle';
import { perJournal, typedSql } from './prepared';

export type AccountRow = typeof t.account.$inferSelect;

const rolesQ = perJournal((db) => db.select({ roles: t.account.roles }).from(t.account).where(eq(t.account.id, sql.placeholder('id'))).prepare());
/** The account's roles as stored (a JSON array), or undefined when there is no such account. */
export function accountRoles(j: Journal, accountId: string): string | undefined {
  return rolesQ(j).get({ id: accountId })?.roles;
}

const actorQ = perJournal((db) => db.select({ id: t.account.id, personKind: t.account.personKind, personId: t.account.personId, roles: t.account.roles, blocked: t.account.blocked })
  .from(t.account).where(eq(t.account.id, sql.placeholder('id'))).prepare());
/** What the policy's actor is made of. */
export function accountActor(j: Journal, accountId: string): Pick<AccountRow, 'id' | 'personKind' | 'personId' | 'roles' | 'blocked'> | undefined {
  return actorQ(j).get({ id: accountId });
}

const byLoginQ = perJournal((db) => db.select({ id: t.account.id, verifier: t.account.verifier, blocked: t.account.blocked })
  .from(t.account).where(eq(t.account.login, sql.placeholder('login'))).prepare());
export function accountByLogin(j: Journal, login: string): Pick<AccountRow, 'id' | 'verifier' | 'blocked'> | undefined {
  return byLoginQ(j).get({ login });
}

const verifierQ = perJournal((db) => db.select({ verifier: t.account.verifier }).from(t.account).where(eq(t.account.id, sql.placeholder('id'))).prepare());
/** The account's verifier: undefined when there is no such account, null when it has no password. */
export function accountVerifier(j: Journal, accountId: string): string | null | undefined {
  return verifierQ(j).get({ id: accountId })?.verifier;
}

const sessionQ = typedSql<Pick<AccountRow, 'id' | 'login' | 'personId' | 'roles' | 'verifier'> & { kind: string }, [accountId: string]>(sql`
  SELECT ${t.account.id} AS "id", ${t.account.login} AS "login", ${t.account.personKind} AS "kind", ${t.account.personId} AS "personId", ${t.account.roles} AS "roles", ${t.account.verifier} AS "verifier"
  FROM ${t.account} WHERE ${t.account.id} = ?`);
/** The account as the session shows it (`kind`: the person kind). Raw rows: the session is read on every page. */
export function sessionAccount(j: Journal, accountId: string): { id: string; login: string; kind: string; personId: string; roles: string; verifier: string | null } | undefined {
  return sessionQ.get(j, accountId);
}

/** A staff account's person and roles (undefined for other accounts). */
const staffQ = perJournal((db) => db.select({ staffId: t.account.personId, roles: t.account.roles }).from(t.account)
  .where(and(eq(t.account.id, sql.placeholder('id')), eq(t.account.personKind, 'staff'))).prepare());
export function staffAccount(j: Journal, accountId: string): { staffId: string; roles: string } | undefined {
  return staffQ(j).get({ id: accountId });
}

const nameQ = perJournal((db) => db.select({
  name: sql<string | null>`coalesce(${t.staff.lastName} || ' ' || ${t.staff.firstName}, ${t.parent.lastName} || ' ' || ${t.parent.firstName}, ${t.student.lastName} || ' ' || ${t.student.firstName})`,
}).from(t.account)
  .leftJoin(t.staff, and(eq(t.account.personKind, 'staff'), eq(t.staff.id, t.account.personId)))
  .leftJoin(t.parent, and(eq(t.account.personKind, 'parent'), eq(t.parent.id, t.account.personId)))
  .leftJoin(t.student, and(eq(t.account.personKind, 'student'), eq(t.student.id, t.account.personId)))
  .where(eq(t.account.id, sql.placeholder('id'))).prepare());
/** «Фамилия Имя» of the account's person, or null (no such account, or its person is gone). */
export function accountPersonName(j: Journal, accountId: string): string | null {
  return nameQ(j).get({ id: accountId })?.name ?? null;
}
