/**
 * An error the person at the keyboard can fix — a wrong option, a missing file, a file that is
 * already there: one Russian line, exit code 2 unless said otherwise, nothing created or changed.
 * It lives below both command lines (`ejournal …` in src-main/cli, `ejournal serve` in src-server)
 * because code they share throws it too (makeDemo).
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
