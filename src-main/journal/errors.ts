/** Errors a person sees: a Russian message, a stable code for programs. */
export type JournalErrorCode =
  | 'not_found' | 'corrupt' | 'locked' | 'not_journal' | 'too_new' | 'exists'
  | 'encrypted' | 'bad_key'
  | 'bad_op' | 'conflict' | 'missing_ref' | 'refused';

export class JournalError extends Error {
  constructor(readonly code: JournalErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'JournalError';
  }
}
