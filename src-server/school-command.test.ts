/**
 * `ejournal school create` against both stores (SQLite always, PostgreSQL with DATABASE_URL): the
 * new school's first ops go into the store, a server on that data folder serves it and its
 * administrator logs in over HTTP; a taken id, a login taken on the server, a bad id and a
 * password in argv are refused with exit 2 and change nothing in the store.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COST, verifierCost } from '../src-main/auth/password';
import type { SecretSources } from '../src-main/auth/secrets';
import { UserError } from '../src-main/errors/user-error';
import { fixedClock } from '../test/support/tiny-school';
import { removeTempDirs, storeKinds, type StoreHandle } from '../test/support/stores';
import { startServer, type TestServer } from '../test/support/server';
import { runSchool } from './school-command';
import type { OpLogStore } from './store/types';

afterAll(removeTempDirs);

const PASSWORD = 'Тундра-2026';
const NAME = 'МБОУ «СОШ с. Находка»';
const clock = fixedClock('2026-08-25T04:00:00.000Z');

/** What the store holds, school by school: id, name, head and the kinds of its ops. */
async function contents(store: OpLogStore) {
  const out = [];
  for (const s of await store.schools()) {
    const ops = await store.readSince(s.schoolId, 0, 100_000);
    out.push({ id: s.schoolId, name: s.name, head: s.head, ops: ops.map((o) => o.kind) });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

for (const kind of storeKinds()) {
  describe(`ejournal school create: ${kind.name} store`, () => {
    const handles: StoreHandle[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      for (const h of handles.splice(0)) await h.cleanup();
    });

    /** Runs the command in-process as bin/ejournal.js would, on another connection to the handle's store. */
    async function school(h: StoreHandle, argv: string[], sources: SecretSources = { env: { EJOURNAL_PASSWORD: PASSWORD }, ask: null }) {
      const out: string[] = [];
      try {
        const code = await runSchool(argv, { out: (l) => out.push(l) }, { sources, clock, openStore: () => h.reopen() });
        return { code, out, err: [] as string[] };
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return { code: e.exitCode, out, err: [e.message] };
      }
    }
    const create = (h: StoreHandle, id: string, login: string, extra: string[] = []) =>
      school(h, ['create', '--data', h.dataDir, '--id', id, '--name', NAME, '--admin', login, ...extra]);

    it('adds a school whose administrator logs in over HTTP on a server started on that data folder', async () => {
      const h = await kind.open();
      handles.push(h);
      const r = await create(h, 'nahodka', 'director.n', ['--timezone', 'Asia/Yekaterinburg', '--admin-name', 'Салиндер Анна Петровна']);
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(r.out[0]).toBe(`Школа «nahodka» создана на сервере: «${NAME}», часовой пояс Asia/Yekaterinburg, операций: 4`);
      expect(await contents(h.store)).toEqual([{ id: 'nahodka', name: NAME, head: 4, ops: ['staff.set', 'account.set', 'account.password', 'school.set'] }]);
      const log = await h.store.readSince('nahodka', 0, 10);
      const field = (i: number, k: string) => (log[i]!.payload as Record<string, string>)[k]!;
      expect(new Set(log.map((o) => o.author))).toEqual(new Set([field(1, 'id')]));
      expect(verifierCost(field(2, 'verifier'))).toEqual(DEFAULT_COST);
      expect(await h.store.findLogin('director.n')).toEqual({ schoolId: 'nahodka', accountId: field(1, 'id') });
      expect(readdirSync(h.dataDir).filter((f) => f.endsWith('.sqlite') && f !== 'store.sqlite')).toEqual([]); // the temporary journal is gone

      const t = await startServer(h);
      servers.push(t);
      expect((await t.login('director.n', 'не тот пароль')).status).toBe(401);
      const login = await t.login('director.n', PASSWORD);
      expect(login.status).toBe(200);
      const me = await t.server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: login.cookie! } });
      expect(me.json()).toMatchObject({ ok: true, value: { schoolId: 'nahodka', schoolName: NAME, login: 'director.n', roles: ['admin'], person: { kind: 'staff', name: 'Салиндер Анна Петровна' } } });
      // The administrator works at once, under the regulation's policy: the school's own settings.
      const session = await t.rpc(login.cookie, 'session.get', {});
      expect(session.body).toMatchObject({ ok: true, value: { school: { name: NAME, timeZone: 'Asia/Yekaterinburg' }, roles: ['admin'] } });
    });

    it('a server already running serves a school created meanwhile', async () => {
      const h = await kind.open();
      handles.push(h);
      const t = await startServer(h);
      servers.push(t);
      expect((await t.login('director.n', PASSWORD)).status).toBe(401);
      expect((await create(h, 'nahodka', 'director.n')).code).toBe(0);
      const login = await t.login('director.n', PASSWORD);
      expect(login.status).toBe(200);
      const me = await t.server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: login.cookie! } });
      expect(me.json()).toMatchObject({ value: { schoolName: NAME, person: { name: 'Администратор director.n' } } });
    });

    it('refuses a taken id, a login taken on the server, a bad id, a weak password, a password in argv — and changes nothing', async () => {
      const h = await kind.open();
      handles.push(h);
      expect((await create(h, 'nahodka', 'director.n')).code).toBe(0);
      const before = await contents(h.store);
      const asked: string[] = [];
      const prompt: SecretSources = { env: {}, ask: async (p) => { asked.push(p); return PASSWORD; } };
      const cases: [string[], RegExp, SecretSources?][] = [
        [['--id', 'nahodka', '--admin', 'other'], /^Школа «nahodka» на этом сервере уже есть: выберите другой идентификатор$/, prompt],
        [['--id', 'tazovsky', '--admin', 'director.n'], /^Логин «director\.n» на этом сервере уже занят \(школа «nahodka»\)/, prompt],
        [['--id', 'Находка', '--admin', 'other'], /^Идентификатор школы «Находка»: строчные латинские буквы, цифры и дефис/, prompt],
        [['--id=-nahodka', '--admin', 'other'], /^Идентификатор школы «-nahodka»/, prompt],
        [['--id', 'nahodka-tazovsky-rayon-2026', '--admin', 'other'], /^Идентификатор школы «nahodka-tazovsky-rayon-2026»: .*до 24 знаков/, prompt],
        [['--id', 'tazovsky', '--admin', 'дирек тор'], /^Логин «дирек тор» не подходит/, prompt],
        [['--id', 'tazovsky', '--admin', 'other'], /^Пароль не подходит: в нём только цифры\. Нужен пароль не короче 8 символов/, { env: { EJOURNAL_PASSWORD: '20262026' }, ask: null }],
        [['--id', 'tazovsky', '--admin', 'other', '--password', PASSWORD], /^Пароль не указывается в командной строке/, prompt],
      ];
      for (const [args, message, sources] of cases) {
        const r = await school(h, ['create', '--data', h.dataDir, '--name', NAME, ...args], sources);
        expect(r, args.join(' ')).toMatchObject({ code: 2, out: [], err: [expect.stringMatching(message)] });
      }
      expect(asked).toEqual([]); // every refusal came before the password was asked
      expect(await contents(h.store)).toEqual(before);
      expect(await h.store.findLogin('other')).toBeUndefined();
      expect(existsSync(join(h.dataDir, 'schools', 'tazovsky'))).toBe(false);
      expect(readdirSync(h.dataDir).filter((f) => f.endsWith('.sqlite') && f !== 'store.sqlite')).toEqual([]);
    });
  });
}

describe('ejournal school', () => {
  it('prints its help and refuses an unknown subcommand', async () => {
    const out: string[] = [];
    expect(await runSchool(['--help'], { out: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toMatch(/ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН/);
    await expect(runSchool(['delete', '--id', 'x'], { out: () => undefined })).rejects.toThrow(/^Неизвестная команда «ejournal school delete»/);
  });
});
