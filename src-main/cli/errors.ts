/** A usage or input error: one Russian line on stderr, exit code 2, nothing changed. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
