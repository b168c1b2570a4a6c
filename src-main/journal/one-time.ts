/**
 * How the journal stores the verifier of a one-time password (op \`account.reset\`, R-ACCOUNTS):
 * marked, so that the account can be made to choose its own password at the first sign-in
 * (contract/dispatch.ts). The mark is not part of the password check (auth/password.ts).
 */
export const ONE_TIME = 'once$';
export const isOneTimeVerifier = (verifier: string | null | undefined): boolean => !!verifier?.startsWith(ONE_TIME);
