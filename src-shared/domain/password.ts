/**
 * The least a password chosen for an account must be (R-ACCOUNTS, п. 10.1–10.2): the journal holds
 * children's personal data, and the technical administrator's password opens all of it. Checked
 * where a person chooses a password (`ejournal init`, `ejournal school create`); verifiers already
 * stored are never judged again.
 */

/** «Нужен пароль …» */
export const PASSWORD_RULE = 'не короче 8 символов, не только из цифр и не совпадающий с логином';

/** Why `password` is too weak for the account `login` (Russian, for the person choosing it), or null when it will do. */
export function passwordWeakness(login: string, password: string): string | null {
  const p = password.normalize('NFC');
  if ([...p].length < 8) return 'в нём меньше 8 символов';
  if (/^\d+$/.test(p)) return 'в нём только цифры';
  if (p.trim().toLowerCase() === login.trim().toLowerCase()) return 'он совпадает с логином';
  return null;
}
