/**
 * One-time passwords for a class's families (R-ACCOUNTS, п. 9.6): an account for every parent
 * (and/or pupil) of the class who has none, a one-time password for every such account that has
 * no password yet — or, `again`, also for those whose one-time password was never used (a lost
 * slip). An account whose owner chose a password is never touched in bulk: that is a reset of one
 * account, on request. Pupils who left the school get nothing.
 */
import type { OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { isOneTimeVerifier } from '../journal/one-time';
import type { SlipsData } from '../reports/slips';
import { newAccount, resetDrafts } from './accounts';

export interface IssueRequest { classId: string; who: 'parents' | 'students' | 'families'; again: boolean; address?: string | undefined }

interface Person { kind: 'parent' | 'student'; id: string; lastName: string; firstName: string; middleName: string | null; who: string }

export function issueForClass(j: Journal, q: IssueRequest, newId: () => string): { drafts: OpDraft[]; data: SlipsData } {
  const cls = j.stmt("SELECT grade || letter AS name FROM class WHERE id = ?").get(q.classId) as { name: string } | undefined;
  if (!cls) throw new JournalError('not_found', 'Класс не найден');
  const school = (j.stmt('SELECT coalesce(full_name, name) FROM school WHERE id = 1').pluck().get() as string | undefined) ?? '';
  const pupils = j.stmt("SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM student WHERE class_id = ? AND left IS NULL ORDER BY last_name, first_name").all(q.classId) as
    { id: string; lastName: string; firstName: string; middleName: string | null }[];
  const parentsOf = j.stmt('SELECT p.id, p.last_name AS lastName, p.first_name AS firstName, p.middle_name AS middleName FROM parent_student ps JOIN parent p ON p.id = ps.parent_id WHERE ps.student_id = ? ORDER BY p.last_name, p.first_name');
  const people: Person[] = [];
  const seen = new Set<string>();
  for (const s of pupils) {
    if (q.who !== 'parents') people.push({ kind: 'student', ...s, who: `обучающийся ${cls.name}` });
    if (q.who === 'students') continue;
    for (const p of parentsOf.all(s.id) as Omit<Person, 'kind' | 'who'>[]) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      people.push({ kind: 'parent', ...p, who: `родитель (законный представитель): ${s.lastName} ${s.firstName}, ${cls.name}` });
    }
  }
  const accountOf = j.stmt('SELECT id, verifier, blocked FROM account WHERE person_kind = ? AND person_id = ?');
  const drafts: OpDraft[] = [];
  const slips: SlipsData['slips'] = [];
  const reserved = new Set<string>();
  for (const p of people) {
    const a = accountOf.get(p.kind, p.id) as { id: string; verifier: string | null; blocked: number } | undefined;
    const name = [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
    if (!a) {
      const made = newAccount(j, { id: newId(), personKind: p.kind, personId: p.id, roles: [p.kind] }, { reserved });
      drafts.push(...made.drafts);
      slips.push({ name, who: p.who, login: made.login, password: made.password });
    } else if (!a.blocked && (a.verifier === null || (q.again && isOneTimeVerifier(a.verifier)))) {
      const r = resetDrafts(j, a.id);
      drafts.push(...r.drafts);
      slips.push({ name, who: p.who, login: r.login, password: r.password });
    }
  }
  return { drafts, data: { school, className: cls.name, address: q.address ?? null, slips } };
}
