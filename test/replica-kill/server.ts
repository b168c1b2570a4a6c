/**
 * Child process for the replica kill suite: a real server (SQLite store and replicas in DIR) on a
 * free loopback port, the tiny school imported on first start; its log (one JSON line each, written
 * synchronously) on stdout. Prints `listening <url>`, then `checksum <state checksum of the replica>`.
 * SIGTERM closes it cleanly (the replica's clean-close mark is written).
 *   usage: server.ts DIR [--hold-rebuild]
 * --hold-rebuild: every read of the store's log prints `store-read <after>` and waits 400 ms, so
 *   that the parent's SIGKILL lands inside a replica rebuild (its temp file half made).
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { openSqliteStore } from '../../src-server/store/sqlite';
import { createServer } from '../../src-server/app';
import { createLogger } from '../../src-server/log';
import { stateChecksum } from '../../src-main/journal/checksum';
import { fixedClock } from '../support/tiny-school';
import { schoolFile, TEST_COST } from '../support/server';

const [dir, ...rest] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

const store = openSqliteStore(join(dir!, 'store.sqlite'));
if (rest.includes('--hold-rebuild')) {
  const readSince = store.readSince.bind(store);
  store.readSince = async (schoolId, after, limit) => {
    say(`store-read ${after}`);
    await new Promise((r) => setTimeout(r, 400));
    return readSince(schoolId, after, limit);
  };
}
const server = await createServer({
  store, dataDir: dir!, clock: fixedClock('2026-09-10T04:30:00.000Z'), passwordCost: TEST_COST,
  logger: createLogger({ level: 'info', destination: pino.destination({ dest: 1, sync: true }) }),
});
if (!(await store.school('tiny'))) {
  const file = schoolFile();
  await server.schools.importJournal({ schoolId: 'tiny', file });
  rmSync(dirname(file), { recursive: true, force: true });
}
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
const url = await server.listen(0, '127.0.0.1');
say(`listening ${url}`);
say(`checksum ${stateChecksum((await server.schools.get('tiny')).view.sqlite)}`);
