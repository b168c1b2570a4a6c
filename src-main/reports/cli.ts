/** `ejournal print …` and `ejournal verify-print …`. Being built in issue [6/7]. */
import type { Io } from '../cli/main';
import { CliError } from '../cli/errors';

export async function runPrint(_argv: string[], _io: Io): Promise<number> {
  throw new CliError('Печать документов ещё не собрана в этой версии: см. issue [6/7]');
}

export async function runVerifyPrint(_argv: string[], _io: Io): Promise<number> {
  throw new CliError('Проверка распечатки ещё не собрана в этой версии: см. issue [6/7]');
}
