/**
 * Accounts (R-ACCOUNTS, п. 9.6, 10.1–10.2): the administrator creates them with a one-time
 * password, resets a forgotten one the same way, and the owner chooses their own. A one-time
 * password is shown once (or printed on a slip, slips.ts) and never stored in clear: the journal
 * keeps its scrypt verifier marked as one-time (op `account.reset`), and the account may do
 * nothing but choose its own password until it does (contract/dispatch.ts).
 */
import { randomInt } from 'node:crypto';
import type { PersonKind, Role } from '../../src-shared/domain/school';
import { DEFAULT_COST, hashPassword, verifyPassword, type ScryptCost } from '../auth/password';
import { PASSWORD_RULE, passwordWeakness } from '../../src-shared/domain/password';
import { JournalError } from '../journal/errors';
import { draft, type OpDraft } from '../journal/log';
import type { Journal } from '../journal/open';

/**
 * The scrypt cost of a one-time password's verifier: 12 random signs (≈ 59 bits) need no
 * memory-hard stretching to resist guessing, and a class's sixty slips take half a second, not
 * five. The owner's own password gets the full cost when they choose it.
 */
export const ONE_TIME_COST: ScryptCost = { logN: 12, r: 8, p: 1 };

/** Letters and digits nobody mixes up on paper (no 0/O, 1/l/I, 5/S …): 30 signs. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz2346789';

/** «kx7m-q4pt-9wa3»: 12 signs ≈ 59 bits, in groups of four to read off a slip. */
export function newOneTimePassword(): string {
  const signs = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [signs.slice(0, 4), signs.slice(4, 8), signs.slice(8)].map((g) => g.join('')).join('-');
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};
const latin = (s: string) => [...s.toLowerCase()].map((ch) => TRANSLIT[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '')).join('');

/**
 * A free login from a name, transliterated as in Russian passports, with four random digits:
 * «ivanov.ii4821». A server keeps logins unique across all its schools, and this journal sees
 * only its own; the digits make a clash with another school's «ivanov.ii» unlikely, and a clash
 * left is refused whole by the server («логин занят»), never merged.
 */
export function freeLogin(j: Journal, p: { lastName: string; firstName: string; middleName: string | null }, reserved?: Set<string>): string {
  const initials = latin(p.firstName).slice(0, 1) + latin(p.middleName ?? '').slice(0, 1);
  const base = (`${latin(p.lastName) || 'user'}.${initials || 'x'}`).slice(0, 60);
  const taken = j.stmt('SELECT 1 FROM account WHERE login = ?');
  for (;;) {
    const login = `${base}${randomInt(1000, 10_000)}`;
    if (!taken.get(login) && !reserved?.has(login)) {
      reserved?.add(login);
      return login;
    }
  }
}

/** The person an account is for, as the register has them (or not). */
export function personOf(j: Journal, kind: PersonKind, id: string): { lastName: string; firstName: string; middleName: string | null } | undefined {
  const table = kind === 'staff' ? 'staff' : kind === 'parent' ? 'parent' : 'student';
  return j.stmt(`SELECT last_name AS lastName, first_name AS firstName, middle_name AS middleName FROM ${table} WHERE id = ?`).get(id) as
    { lastName: string; firstName: string; middleName: string | null } | undefined;
}

export interface NewAccount { id: string; login: string; password: string; drafts: OpDraft[] }

/**
 * A new account for a person of the register with a one-time password: `account.set` and
 * `account.reset`, to run in one command. One account per person and kind.
 */
export function newAccount(j: Journal, a: { id: string; personKind: PersonKind; personId: string; roles: Role[]; login?: string | undefined }, o: { cost?: ScryptCost; reserved?: Set<string> } = {}): NewAccount {
  const person = personOf(j, a.personKind, a.personId);
  if (!person) throw new JournalError('not_found', 'Человек, для которого создаётся учётная запись, не найден в журнале');
  const existing = j.stmt('SELECT login FROM account WHERE person_kind = ? AND person_id = ?').pluck().get(a.personKind, a.personId) as string | undefined;
  if (existing) throw new JournalError('conflict', `У этого человека уже есть учётная запись «${existing}»: выдайте ей новый разовый пароль`);
  const login = a.login ?? freeLogin(j, person, o.reserved);
  const password = newOneTimePassword();
  return {
    id: a.id, login, password,
    drafts: [
      draft('account.set', { id: a.id, login, personKind: a.personKind, personId: a.personId, roles: a.roles }),
      draft('account.reset', { id: a.id, verifier: hashPassword(password, o.cost ?? ONE_TIME_COST) }),
    ],
  };
}

/** A new one-time password for an existing account (forgotten, or never given). */
export function resetDrafts(j: Journal, accountId: string, cost: ScryptCost = ONE_TIME_COST): { login: string; password: string; drafts: OpDraft[] } {
  const login = j.stmt('SELECT login FROM account WHERE id = ?').pluck().get(accountId) as string | undefined;
  if (login === undefined) throw new JournalError('not_found', 'Учётная запись не найдена');
  const password = newOneTimePassword();
  return { login, password, drafts: [draft('account.reset', { id: accountId, verifier: hashPassword(password, cost) })] };
}

/**
 * The owner's own password (п. 10.1, 10.2): the current one must match (a session left open on
 * a shared computer is not enough), the new one must be strong and differ from it.
 */
export function ownPasswordDraft(j: Journal, accountId: string, current: string, next: string, cost: ScryptCost = DEFAULT_COST): OpDraft {
  const a = j.stmt('SELECT login, verifier FROM account WHERE id = ?').get(accountId) as { login: string; verifier: string | null } | undefined;
  if (!a) throw new JournalError('not_found', 'Учётная запись не найдена');
  if (!a.verifier || !verifyPassword(current, a.verifier)) throw new JournalError('refused', 'Текущий пароль введён неверно: пароль не изменён');
  const weak = passwordWeakness(a.login, next);
  if (weak) throw new JournalError('refused', `Новый пароль не подходит: ${weak}. Нужен пароль ${PASSWORD_RULE}`);
  if (next.normalize('NFC') === current.normalize('NFC')) throw new JournalError('refused', 'Новый пароль совпадает с прежним: придумайте другой');
  return draft('account.password', { id: accountId, verifier: hashPassword(next, cost) });
}
