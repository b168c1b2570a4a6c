/**
 * Child process for the sync kill suite: one `SyncClient` round on a journal file over real HTTP,
 * with markers on stdout for the parent, which kills it with SIGKILL in the middle:
 *   inflight <push|pull> <n>     the n-th request of that kind is on its way
 *   ack <seq> <serverSeq>        the server acknowledged this device's op (accepted or duplicate)
 *   snapshot <offset> <total>    snapshot bytes written so far
 *   range <bytes=…>              the snapshot download resumes
 *   done <json>                  the round's report, with the journal's sync checksum
 *   usage: client.ts URL TOKEN DB DEVICE [--no-snapshot] [--pull-limit N] [--chunk-bytes N]
 */
import { gunzipSync } from 'node:zlib';
import { openJournal } from '../../src-main/journal/open';
import { syncChecksum } from '../../src-main/journal/checksum';
import { syncOnce, type SyncFetch } from '../../src-main/sync/client';
import { httpFetch } from '../../src-main/sync/transport';
import { httpDownload, type SnapshotDownload } from '../../src-main/sync/bootstrap';
import type { PushAnswer } from '../../src-shared/sync/protocol';
import { fixedClock } from '../support/tiny-school';

const [url, token, db, device, ...rest] = process.argv.slice(2);
const opt = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const say = (line: string) => process.stdout.write(`${line}\n`);

const counts = { push: 0, pull: 0 };
const fetch: SyncFetch = async (u, init) => {
  const kind = u.includes('/sync/push') ? 'push' : 'pull';
  say(`inflight ${kind} ${++counts[kind]}`);
  const r = await httpFetch(u, init);
  if (kind === 'push' && r.status === 200 && r.wireBytes) {
    const raw = Buffer.from(await r.wireBytes());
    const text = (r.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    const answer = JSON.parse(text) as { ok: boolean; value?: PushAnswer };
    for (const a of answer.value?.acks ?? []) if (a.status === 'accepted' || a.status === 'duplicate') say(`ack ${a.seq} ${a.serverSeq}`);
  }
  return r;
};
const download: SnapshotDownload = async (u, headers) => {
  if (headers.range) say(`range ${headers.range}`);
  return httpDownload(u, headers);
};

const j = openJournal(db!, { create: true, device: device! });
const noSnapshot = rest.includes('--no-snapshot');
const report = await syncOnce({
  journal: j, server: url!, token: token!, fetch, clock: fixedClock('2026-09-10T04:30:00.000Z'),
  ...(opt('--pull-limit') ? { pullLimit: Number(opt('--pull-limit')) } : {}),
  ...(opt('--chunk-bytes') ? { chunkBytes: Number(opt('--chunk-bytes')) } : {}),
  ...(noSnapshot ? {} : { snapshot: { download, onProgress: (p) => say(`snapshot ${p.offset} ${p.total}`) } }),
});
say(`done ${JSON.stringify({ ...report, checksum: syncChecksum(j.sqlite) })}`);
j.close();
