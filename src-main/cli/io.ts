/** Where a subcommand writes: the process's stdout/stderr, or lines collected by a test. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}
