/**
 * Child process for the sync kill suite: a real server (SQLite store and replicas in DIR) on a free
 * loopback port, the tiny school imported on first start. Prints `listening <url>`.
 *   usage: server.ts DIR [--throttle CHUNK:DELAY_MS] [--hold-append before|after]
 * --throttle: the snapshot download is sent in CHUNK-byte pieces DELAY_MS apart (a cut lands inside it).
 * --hold-append: every store append prints `append <n>` and waits 400 ms before (or after) it
 *   commits, so that the parent's SIGKILL lands inside a push — before the ops are in the store,
 *   or after they are but before the replica committed and the client got its answer.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openSqliteStore } from '../../src-server/store/sqlite';
import { createServer } from '../../src-server/app';
import { createLogger } from '../../src-server/log';
import { fixedClock } from '../support/tiny-school';
import { schoolFile, TEST_COST } from '../support/server';

const [dir, ...rest] = process.argv.slice(2);
const opt = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const throttle = opt('--throttle')?.split(':').map(Number);
const hold = opt('--hold-append');

const store = openSqliteStore(join(dir!, 'store.sqlite'));
if (hold) {
  const append = store.append.bind(store);
  store.append = async (schoolId, ops, o) => {
    process.stdout.write(`append ${ops.length}\n`);
    if (hold === 'before') await new Promise((r) => setTimeout(r, 400));
    const acks = await append(schoolId, ops, o);
    if (hold === 'after') {
      process.stdout.write(`appended ${ops.length}\n`);
      await new Promise((r) => setTimeout(r, 400));
    }
    return acks;
  };
}
const server = await createServer({
  store, dataDir: dir!, clock: fixedClock('2026-09-10T04:30:00.000Z'), passwordCost: TEST_COST, logger: createLogger({ level: 'silent' }),
  ...(throttle ? { snapshots: { throttle: { chunk: throttle[0]!, delayMs: throttle[1]! } } } : {}),
});
if (!(await store.school('tiny'))) {
  const file = schoolFile();
  await server.schools.importJournal({ schoolId: 'tiny', file });
  rmSync(dirname(file), { recursive: true, force: true });
}
const url = await server.listen(0, '127.0.0.1');
process.stdout.write(`listening ${url}\n`);
