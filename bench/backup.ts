/**
 * npm run bench:backup [-- --students 1500 --today 2027-05-25 --file demo.sqlite] — a checked backup
 * of the demo school's year (п. 7.8, budget ≤ 2 s for 1500 pupils) while the journal is open, as
 * the desktop and `ejournal backup` make it (src-main/backup): the copy, its check against the
 * journal, the file renamed into place. A plain journal (SQLite's online backup API; the copy proved
 * page for page) and the same journal encrypted (VACUUM INTO; the copy read whole and compared),
 * then a restore of each (integrity_check and the checksum of the copy). Prints; not a test.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDemo } from '../src-main/demo/make';
import { openJournal } from '../src-main/journal/open';
import { stateChecksum } from '../src-main/journal/checksum';
import { newJournalKey } from '../src-main/journal/cipher';
import { encryptJournal } from '../src-main/journal/encrypt';
import { backupJournal, restoreJournal } from '../src-main/backup/journal-backup';

const { values: v } = parseArgs({ options: { students: { type: 'string' }, today: { type: 'string' }, file: { type: 'string' }, runs: { type: 'string' } } });
const students = Number(v.students ?? 1500);
const today = v.today ?? '2027-05-25';
const runs = Number(v.runs ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
const plain = v.file ?? join(dir, `demo-${students}.sqlite`);
if (!existsSync(plain)) {
  const t = performance.now();
  makeDemo(plain, { seed: 1, students, today });
  console.log(`demo ${students} pupils up to ${today}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const mb = (f: string) => `${(statSync(f).size / 1048576).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(label: string, file: string, key?: string): Promise<void> {
  const out = join(dir, `backups-${label}`);
  const j = openJournal(file, key ? { key } : {});
  const times: number[] = [];
  let last = '';
  try {
    const c = performance.now();
    stateChecksum(j.sqlite);
    console.log(`${label.padEnd(9)} the state checksum alone (a backup takes it once, twice when encrypted): ${s(performance.now() - c)}`);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const b = await backupJournal(j, out, { key, now: Date.parse('2027-05-25T12:00:00Z') + i * 1000, name: label });
      times.push(performance.now() - t);
      last = b.file;
    }
  } finally {
    j.close();
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(9)} journal ${mb(file)}: backup (copy + check + rename) best ${s(times[0]!)}, median ${s(times[Math.floor(times.length / 2)]!)} of ${runs}; copy ${mb(last)}`);
  const target = join(dir, `restored-${label}.sqlite`);
  const t = performance.now();
  restoreJournal(last, target, { key, now: Date.now() });
  console.log(`${' '.repeat(9)} restore (copy, integrity_check, checksum, rename): ${s(performance.now() - t)}`);
}

try {
  await measure('plain', plain);
  const encrypted = join(dir, 'encrypted.sqlite');
  copyFileSync(plain, encrypted);
  const key = newJournalKey();
  encryptJournal(encrypted, key);
  await measure('encrypted', encrypted, key);
} finally {
  rmSync(dir, { recursive: true, force: true }); // a --file given stays where it is
}
