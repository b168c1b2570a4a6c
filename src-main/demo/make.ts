/** The demo school as a journal file (`ejournal demo`, `ejournal start`, `ejournal serve --demo`, benches, tests). */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openJournal } from '../journal/open';
import type { JournalKey } from '../journal/cipher';
import { packLog } from '../journal/log';
import { UserError } from '../errors/user-error';
import { generateDemo } from './generate';

/** Builds a demo journal in a temporary file and renames it into place: no half-made file is ever left. */
export function makeDemo(out: string, { key, ...o }: { seed: number; students: number; today: string; key?: JournalKey }, progress?: (done: number, total: number) => void) {
  const target = resolve(out);
  if (existsSync(target)) throw new UserError(`Файл «${out}» уже существует: укажите другой или удалите его`);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 }); // personal data: the owner's only
  const tmp = `${target}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  try {
    const j = openJournal(tmp, { create: true, device: 'demo', durability: 'off', ...(key ? { key } : {}) });
    let summary;
    try {
      summary = generateDemo(j, { ...o, ...(progress ? { onProgress: progress } : {}) });
      packLog(j); // what the next open would do: old payloads compressed in blocks (op-rows.ts)
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      j.sqlite.exec('VACUUM'); // written once in bulk: repack the B-trees (~10 % smaller)
    } finally {
      j.close();
    }
    renameSync(tmp, target);
    return summary;
  } catch (err) {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
    throw err;
  }
}
