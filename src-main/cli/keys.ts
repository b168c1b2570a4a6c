/** `ejournal new-key --out KEY` and `ejournal encrypt --db FILE --key-file KEY`: encryption at rest (docs/desktop.md). */
import { encryptJournal } from '../journal/encrypt';
import { UserError } from '../errors/user-error';
import { args } from './args';
import type { Io } from './io';
import { keyOf } from './journal-file';
import { KEY_ENV, KEY_OPTIONS, writeNewKeyFile } from '../auth/secrets';

export function runNewKey(argv: string[], io: Io): number {
  const a = args(argv, { out: { type: 'string' } });
  if (a.positionals.length || !a.values.out) throw new UserError('Укажите файл: ejournal new-key --out КЛЮЧ');
  writeNewKeyFile(a.values.out as string);
  io.out(`Ключ журнала записан в «${a.values.out as string}» (читать может только владелец). Сохраните копию отдельно от журнала: без ключа зашифрованный журнал не открыть`);
  return 0;
}

export function runEncrypt(argv: string[], io: Io): number {
  const a = args(argv, { db: { type: 'string' }, ...KEY_OPTIONS });
  if (a.positionals.length) throw new UserError(`Лишний аргумент «${a.positionals[0]}»: журнал указывается через --db`);
  if (!a.values.db) throw new UserError('Укажите журнал: ejournal encrypt --db FILE --key-file КЛЮЧ');
  const { key } = keyOf(a.values);
  if (!key) throw new UserError(`Укажите ключ: --key-file КЛЮЧ (новый: ejournal new-key --out КЛЮЧ) или переменная окружения ${KEY_ENV}`);
  const r = encryptJournal(a.values.db as string, key);
  io.out(`Журнал «${a.values.db as string}» зашифрован; состояние не изменилось (контрольная сумма ${r.checksum.slice(0, 16)}). Без ключа его не открыть: храните копию ключа отдельно от журнала`);
  return 0;
}
