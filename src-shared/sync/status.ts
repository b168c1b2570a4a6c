/**
 * The desktop's sync status as the main process sends it to the window (one definition for
 * both wings: src-main/desktop/sync.ts builds it, src-renderer shows it).
 */
/** One own change the server refused for good (without its payload: the window needs the reason). */
export interface RejectedChange {
  seq: number;
  kind: string;
  code: string;
  message: string;
  requirement?: string;
  clause?: string;
  /** When this computer learnt of the refusal (ISO). */
  at: string;
  /** When the change was made (the op's HLC wall time, ISO), if readable. */
  madeAt: string | null;
}

/**
 * One own mark the server accepted over a value this computer had not shown its author (their
 * own mark entered on another computer minutes earlier): the write stands, the author is told.
 */
export interface OverwrittenChange {
  seq: number;
  /** «Петров Пётр», «Русский язык, 10.09.2026, урок 2» (ids if the journal no longer has them). */
  student: string;
  lesson: string;
  column: string;
  /** What the author saw (null: an empty cell), what the write replaced, and when that was entered (ISO). */
  seen: string | null;
  replaced: string;
  replacedAt: string;
  at: string;
}

/** What the window shows about sync (the main process's `DesktopSync.status()`). */
export interface SyncStatus {
  enrolled: boolean;
  /** The school's server and this computer's name there (null before enrolment). */
  server: string | null;
  computerName: string | null;
  running: boolean;
  /** The last successful exchange with the server (ISO), if ever. */
  lastAt: string | null;
  /** Own changes not yet acknowledged by the server. */
  pending: number;
  lastError: string | null;
  /** Server time minus this computer's time (ms), from the last answer's Date header; null if unknown. */
  skewMs: number | null;
  /** Failed runs in a row (the backoff), and the delay of the next planned run. */
  failures: number;
  nextInMs: number | null;
  /** The server refused this computer's token (revoked): the computer has to be enrolled again. */
  tokenRefused: boolean;
  /** The logged-in account's own changes the server refused (empty when nobody is logged in). */
  rejected: RejectedChange[];
  /** All refused changes of this computer (every account). */
  rejectedTotal: number;
  /** The logged-in account's own marks that replaced a value it had not seen here. */
  overwritten: OverwrittenChange[];
}
