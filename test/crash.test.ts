/**
 * Crash safety with real processes: a child runs commands in a loop and is killed
 * with SIGKILL at random moments. After every kill: the file passes the integrity check and the
 * replay check, every acknowledged op is present exactly once with the payload that was
 * acknowledged, and the outbox holds exactly this device's unsent ops.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../src-main/journal/open';
import { verifyJournal } from '../src-main/journal/verify';
import { decodePayload } from '../src-shared/ops/pack';
import type { OpKind } from '../src-shared/ops/kinds';
import { tempFile, tinySchool } from './support/tiny-school';

const CHILD = fileURLToPath(new URL('./crash/mark-loop.ts', import.meta.url));
const KILLS = Number(process.env.CRASH_KILLS ?? 32);
const SEED = Number(process.env.CRASH_SEED ?? 20260901);

interface Ack { seq: number; kind: string; lessonId: string; studentId: string; value: string }

function runAndKill(file: string, seed: number, delayMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready' && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        } else if (line.startsWith('ack ')) {
          const [, seq, kind, lessonId, studentId, value] = line.split(' ');
          acks.push({ seq: Number(seq), kind: kind!, lessonId: lessonId!, studentId: studentId!, value: value! });
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code}): ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('crash safety: SIGKILL during commands', () => {
  it(`survives ${KILLS} kills at random moments with nothing lost or doubled (seed ${SEED})`, async () => {
    const file = tempFile('crash.sqlite');
    tinySchool(file).j.close();
    let seed = SEED;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const acked: Ack[] = [];
    for (let k = 0; k < KILLS; k++) {
      const delay = Math.floor(rnd() * 150);
      const acks = await runAndKill(file, Math.floor(rnd() * 1e9), delay);
      acked.push(...acks);
      const j = openJournal(file);
      try {
        const report = verifyJournal(j);
        expect(report.problems, `after kill ${k + 1} (seed ${SEED}, delay ${delay} ms)`).toEqual([]);
        const rows = j.sqlite.prepare('SELECT seq, kind, payload FROM op_log WHERE device = ?').all(j.device) as { seq: number; kind: string; payload: string }[];
        const bySeq = new Map(rows.map((r) => [r.seq, r]));
        expect(bySeq.size).toBe(rows.length);
        for (const a of acked) {
          const r = bySeq.get(a.seq);
          expect(r, `acknowledged op ${a.seq} lost after kill ${k + 1} (seed ${SEED})`).toBeDefined();
          expect(r!.kind).toBe(a.kind);
          const p = decodePayload(r!.kind as OpKind, r!.payload) as { lessonId: string; marks?: { studentId: string; value: string }[]; entries?: { studentId: string; absent: boolean }[] };
          expect(p.lessonId).toBe(a.lessonId);
          if (a.kind === 'mark.set') expect(p.marks?.[0]).toMatchObject({ studentId: a.studentId, value: a.value }); // plus `base` when the cell had a value
          else expect(p.entries?.[0]).toEqual({ studentId: a.studentId, absent: a.value === 'true' });
        }
        const outbox = j.sqlite.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
        expect(outbox).toEqual(rows.map((r) => r.seq).sort((x, y) => x - y));
      } finally {
        j.close();
      }
    }
    // The kills must have landed during work, not before it started.
    expect(acked.length).toBeGreaterThan(KILLS);
  }, 600_000);
});
