/**
 * The schools this server hosts: one replica per school, opened from the store's registry, and
 * the way a school gets onto the server — importing a journal file (a school that started on a
 * desktop, or the demo school): its whole log goes into the store, then the replica is built
 * from the store like any other. The data folder and `schools/` are 0700 (personal data).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Op } from '../../src-shared/ops/envelope';
import { openJournal } from '../../src-main/journal/open';
import { readLog } from '../../src-main/journal/log';
import type { Clock } from '../../src-main/commands/execute';
import { SCHOOL_ID, StoreError, loginTaken, type OpLogStore } from '../store/types';
import { SchoolReplica, type ReplicaDamage } from './replica';
import { privateDir } from './private-files';

export interface SchoolsOptions {
  store: OpLogStore;
  dataDir: string;
  clock: Clock;
  log: Logger;
  snapshotEvery?: number;
  readCacheMs?: number;
}

const IMPORT_CHUNK = 5000;

/** A school whose replica is out of service (being rebuilt): health reports it. */
export interface DamagedSchool extends ReplicaDamage { schoolId: string }

export class Schools {
  private readonly open = new Map<string, Promise<SchoolReplica>>();
  /** The replicas opened so far (health looks at them without waiting). */
  private readonly opened = new Map<string, SchoolReplica>();
  private dirsReady = false;

  constructor(private readonly o: SchoolsOptions) {}

  /** Schools whose replica is damaged and being rebuilt, with since when and why. */
  damaged(): DamagedSchool[] {
    const out: DamagedSchool[] = [];
    for (const r of this.opened.values()) if (r.damaged) out.push({ schoolId: r.schoolId, ...r.damaged });
    return out;
  }

  /** Opens every registered school's replica (rebuilding or catching up as needed). */
  async openAll(): Promise<SchoolReplica[]> {
    const list = await this.o.store.schools();
    return Promise.all(list.map((s) => this.get(s.schoolId)));
  }

  /** The school's replica, opened on first use; undefined when the school is not registered. */
  async find(schoolId: string): Promise<SchoolReplica | undefined> {
    if (!SCHOOL_ID.test(schoolId)) return undefined;
    if (!this.open.has(schoolId) && !(await this.o.store.school(schoolId))) return undefined;
    return this.get(schoolId);
  }

  get(schoolId: string): Promise<SchoolReplica> {
    let p = this.open.get(schoolId);
    if (!p) {
      if (!this.dirsReady) {
        privateDir(this.o.dataDir);
        privateDir(join(this.o.dataDir, 'schools'));
        this.dirsReady = true;
      }
      p = SchoolReplica.open({
        schoolId, dir: join(this.o.dataDir, 'schools', schoolId), store: this.o.store, clock: this.o.clock,
        log: this.o.log, ...(this.o.snapshotEvery !== undefined ? { snapshotEvery: this.o.snapshotEvery } : {}),
        ...(this.o.readCacheMs !== undefined ? { readCacheMs: this.o.readCacheMs } : {}),
      });
      this.open.set(schoolId, p);
      p.then((r) => { if (this.open.get(schoolId) === p) this.opened.set(schoolId, r); }, () => this.open.delete(schoolId));
    }
    return p;
  }

  /**
   * Registers a new school from a journal file: every op of its log, in the file's order, is
   * appended to the store; then the server's replica is built from the store. Logins must be free
   * on this server (checked before anything is written).
   */
  async importJournal(i: { schoolId: string; name?: string; file: string }): Promise<SchoolReplica> {
    if (!SCHOOL_ID.test(i.schoolId)) throw new StoreError('unknown_school', `Идентификатор школы «${i.schoolId}»: строчные латинские буквы, цифры и дефис, до 24 символов`);
    const j = openJournal(i.file, { readonly: true });
    try {
      const logins = j.sqlite.prepare('SELECT login, id FROM account').all() as { login: string; id: string }[];
      for (const l of logins) {
        const owner = await this.o.store.findLogin(l.login);
        if (owner && owner.schoolId !== i.schoolId) throw loginTaken(l.login);
      }
      const name = i.name ?? ((j.sqlite.prepare('SELECT name FROM school WHERE id = 1').pluck().get() as string | undefined) ?? i.schoolId);
      await this.o.store.createSchool({ schoolId: i.schoolId, name, createdAt: new Date(this.o.clock.now()).toISOString() });
      let head = 0;
      let chunk: Op[] = [];
      const flush = async () => {
        if (!chunk.length) return;
        const acks = await this.o.store.append(i.schoolId, chunk, { expectHead: head, receivedAt: new Date(this.o.clock.now()).toISOString() });
        head = acks[acks.length - 1]!.serverSeq;
        chunk = [];
      };
      for (const o of readLog(j)) {
        chunk.push({ device: o.device, seq: o.seq, author: o.author, kind: o.kind, version: o.version, payload: o.payload, hlc: o.hlc });
        if (chunk.length >= IMPORT_CHUNK) await flush();
      }
      await flush();
      this.o.log.info({ schoolId: i.schoolId, ops: head }, 'school imported');
    } finally {
      j.close();
    }
    return this.get(i.schoolId);
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    this.opened.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
