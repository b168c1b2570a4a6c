/**
 * `ejournal init`: a real school's journal from nothing — a real file that `ejournal check` passes,
 * holding exactly the first ops, where the administrator logs in on the desktop with the password.
 * Every refusal (an existing file, a weak password, a password in argv, a bad login, a name with a
 * control character) is one Russian line and exit 2, and leaves no file behind.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_COST, verifierCost } from '../auth/password';
import type { SecretSources } from '../auth/secrets';
import { DesktopSession } from '../desktop/session';
import { lookAt } from '../journal/cipher';
import { readLog } from '../journal/log';
import { openJournal } from '../journal/open';
import { UserError } from '../errors/user-error';
import { fixedClock, tempFile } from '../../test/support/tiny-school';
import { removeOnExit, removeTempDirs } from '../../test/support/stores';
import { runInit } from './init';
import { main } from './main';

afterAll(removeTempDirs);

const PASSWORD = 'Тундра-2026';
const SCHOOL = 'МБОУ «СОШ с. Находка»';
const clock = fixedClock('2026-08-25T04:00:00.000Z');
const fromEnv = (password = PASSWORD): SecretSources => ({ env: { EJOURNAL_PASSWORD: password }, ask: null });

/** Runs init in-process as `main` would: the exit code and the lines written. */
async function init(argv: string[], secrets: SecretSources = fromEnv()): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runInit(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, secrets, clock);
    return { code, out, err };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { code: e.exitCode, out, err: [e.message] };
  }
}

const newFile = () => removeOnExit(tempFile('school.sqlite'));
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Nothing made beside the file that was asked for: no journal, no temporary leftovers. */
const emptyDir = (file: string) => expect(readdirSync(dirname(file))).toEqual([]);

describe('ejournal init', () => {
  it('makes a journal with the school and its administrator: check passes, the admin logs in on the desktop', async () => {
    const db = newFile();
    const r = await init(['--db', db, '--school', SCHOOL, '--admin', 'director.n', '--admin-name', 'Салиндер Анна Петровна', '--timezone', 'Asia/Yekaterinburg']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out[0]).toBe(`Создан журнал школы «${SCHOOL}»: ${db}`);
    expect(r.out.join('\n')).toMatch(/Салиндер Анна Петровна, логин director\.n \(роль admin\)/);
    expect(r.out.join('\n')).toMatch(/Дальше:/);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(lookAt(db)).toBe('plain');
    expect(readdirSync(dirname(db))).toEqual(['school.sqlite']); // no temporary file left beside it

    const j = openJournal(db);
    try {
      const ops = [...readLog(j)];
      const field = (i: number, k: string) => (ops[i]!.payload as Record<string, string>)[k]!;
      const staffId = field(0, 'id');
      const accountId = field(1, 'id');
      expect(ops.map((o) => [o.kind, o.author, o.device])).toEqual(Array.from({ length: 4 }, (_, i) => [['staff.set', 'account.set', 'account.password', 'school.set'][i], accountId, j.device]));
      expect(ops.map((o) => o.payload)).toEqual([
        { id: staffId, lastName: 'Салиндер', firstName: 'Анна', middleName: 'Петровна', position: 'Ответственный за техподдержку', left: false },
        { id: accountId, login: 'director.n', personKind: 'staff', personId: staffId, roles: ['admin'] },
        { id: accountId, verifier: expect.stringMatching(/^scrypt\$/) },
        { name: SCHOOL, timezone: 'Asia/Yekaterinburg' },
      ]);
      // The production cost: the verifier guards the whole school's data.
      expect(verifierCost(field(2, 'verifier'))).toEqual(DEFAULT_COST);
      expect(readFileSync(db).includes(Buffer.from(PASSWORD))).toBe(false);

      const session = new DesktopSession({ journal: j, clock });
      expect(await session.login('director.n', 'не тот пароль')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(await session.login('director.n', PASSWORD)).toEqual({ ok: true, value: null });
      const me = await session.call('session.get', {});
      expect(me).toMatchObject({ ok: true, value: { account: { id: accountId, login: 'director.n' }, roles: ['admin'], school: { name: SCHOOL, timeZone: 'Asia/Yekaterinburg' } } });
      await session.drain();
    } finally {
      j.close();
    }

    const lines: string[] = [];
    expect(await main(['check', db], { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`) })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^Журнал в порядке: 4 операций воспроизведены/)]);
  });

  it('encrypts the new journal with --key-file; check opens it only with the key', async () => {
    const db = newFile();
    const keyFile = removeOnExit(tempFile('school.key'));
    writeFileSync(keyFile, `${'5e'.repeat(32)}\n`);
    const r = await init(['--db', db, '--school', SCHOOL, '--admin', 'admin', '--key-file', keyFile]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.join('\n')).toMatch(/часовой пояс школы: Europe\/Moscow \(по умолчанию/);
    expect(lookAt(db)).toBe('encrypted');
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(readFileSync(db).includes(Buffer.from('Находка'))).toBe(false);
    const io = { out: () => undefined, err: () => undefined };
    expect(await main(['check', db], io)).toBe(2);
    expect(await main(['check', db, '--key-file', keyFile], io)).toBe(0);
  });

  it('refuses an existing file and leaves it as it was', async () => {
    const db = newFile();
    expect((await init(['--db', db, '--school', SCHOOL, '--admin', 'admin'])).code).toBe(0);
    const before = hash(db);
    const asked: string[] = [];
    const r = await init(['--db', db, '--school', 'Другая школа', '--admin', 'other'], { env: {}, ask: async (p) => { asked.push(p); return PASSWORD; } });
    expect(r).toMatchObject({ code: 2, out: [], err: [expect.stringMatching(/^Файл «.*school\.sqlite» уже существует: новый журнал не записывается поверх другого файла/)] });
    expect(asked).toEqual([]); // refused before the password is asked
    expect(hash(db)).toBe(before);
    expect(readdirSync(dirname(db))).toEqual(['school.sqlite']);
    // Not even an empty file or another kind of file is replaced.
    const other = newFile();
    writeFileSync(other, 'не журнал');
    expect((await init(['--db', other, '--school', SCHOOL, '--admin', 'admin'])).code).toBe(2);
    expect(readFileSync(other, 'utf8')).toBe('не журнал');
  });

  it('refuses a weak password and says the rule (≥ 8 characters, not all digits, not the login)', async () => {
    for (const [password, why] of [['Тундра1', 'в нём меньше 8 символов'], ['12345678901', 'в нём только цифры'], ['Director.N', 'он совпадает с логином']] as const) {
      const db = newFile();
      const r = await init(['--db', db, '--school', SCHOOL, '--admin', 'director.n'], fromEnv(password));
      expect(r.code).toBe(2);
      expect(r.err).toEqual([`Пароль не подходит: ${why}. Нужен пароль не короче 8 символов, не только из цифр и не совпадающий с логином`]);
      emptyDir(db);
    }
  });

  it('refuses a password in argv, before anything else', async () => {
    const db = newFile();
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) };
    expect(await main(['init', '--db', db, '--school', SCHOOL, '--admin', 'admin', '--password', PASSWORD], io)).toBe(2);
    expect(await main(['init', '--db', db, '--school', SCHOOL, '--admin', 'admin', `--password=${PASSWORD}`], io)).toBe(2);
    expect(lines).toEqual(Array(2).fill(expect.stringMatching(/^ERR Пароль не указывается в командной строке/)));
    emptyDir(db);
    // Nor is it taken from nowhere: no file, no variable, no terminal.
    expect((await init(['--db', db, '--school', SCHOOL, '--admin', 'admin'], { env: {}, ask: null })).err).toEqual([expect.stringMatching(/^Пароль не указан\. .*--password-file ФАЙЛ.*EJOURNAL_PASSWORD/)]);
    emptyDir(db);
  });

  it('refuses a bad login, a school name with a control character, an unknown time zone — before asking the password', async () => {
    const cases: [string[], RegExp][] = [
      [['--admin', 'дирек тор'], /^Логин «дирек тор» не подходит: от 2 до 64 знаков — латинские буквы, цифры/],
      [['--admin', 'a'], /^Логин «a» не подходит/],
      [['--admin', 'admin', '--school', 'МБОУ\u202E СОШ'], /^Название школы: недопустимый управляющий символ U\+202E/],
      [['--admin', 'admin', '--school', '   '], /^Название школы: не может быть пустым/],
      [['--admin', 'admin', '--timezone', 'Asia/Tazovsky'], /^Часовой пояс «Asia\/Tazovsky» неизвестен/],
      [['--admin', 'admin', '--admin-name', 'Анна'], /^ФИО администратора «Анна»: укажите «Фамилия Имя» или «Фамилия Имя Отчество»/],
    ];
    for (const [extra, message] of cases) {
      const db = newFile();
      const asked: string[] = [];
      const argv = ['--db', db, ...(extra.includes('--school') ? [] : ['--school', SCHOOL]), ...extra];
      const r = await init(argv, { env: {}, ask: async (p) => { asked.push(p); return PASSWORD; } });
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toEqual([expect.stringMatching(message)]);
      expect(asked).toEqual([]);
      emptyDir(db);
    }
  });

  it('asks a typed password twice and refuses when the two differ', async () => {
    const db = newFile();
    const answers = [PASSWORD, 'Тундра-2027'];
    const asked: string[] = [];
    const r = await init(['--db', db, '--school', SCHOOL, '--admin', 'admin'], { env: {}, ask: async (p) => { asked.push(p); return answers.shift()!; } });
    expect(r).toMatchObject({ code: 2, err: ['Пароли не совпадают: ничего не создано'] });
    expect(asked).toEqual(['Новый пароль для admin: ', 'Повторите пароль: ']);
    emptyDir(db);
    const same = [PASSWORD, PASSWORD];
    expect((await init(['--db', db, '--school', SCHOOL, '--admin', 'admin'], { env: {}, ask: async () => same.shift()! })).code).toBe(0);
  });
});
