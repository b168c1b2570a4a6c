/** `ejournal serve` — the central server. Being built in issue [3/7]. */
import type { Io } from '../src-main/cli/main';

export async function main(_argv: string[], io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  io.err('Сервер ещё не собран в этой версии: см. issue [3/7]');
  return 2;
}
