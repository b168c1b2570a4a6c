/** The journal file a subcommand works on: opened with its key (`--key-file` or EJOURNAL_KEY), always closed. */
import { openJournal, type Journal } from '../journal/open';
import type { JournalKey } from '../journal/cipher';
import { UserError } from '../errors/user-error';
import type { Values } from './args';
import { readJournalKey } from '../auth/secrets';

/** The journal key of a command's `--key-file` or of EJOURNAL_KEY (a plain journal without either). */
export function keyOf(values: Values): { key?: JournalKey } {
  const key = readJournalKey(values, process.env);
  return key ? { key } : {};
}

export function withJournal<T>(file: string | undefined, values: Values, fn: (j: Journal) => T): T {
  if (!file) throw new UserError('Укажите файл журнала');
  const j = openJournal(file, keyOf(values));
  try {
    return fn(j);
  } finally {
    j.close();
  }
}
