/** Passwords and journal keys: from a file, the environment or a hidden prompt — never from argv. */
import { PassThrough } from 'node:stream';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempFile } from '../../test/support/tiny-school';
import { UserError } from '../errors/user-error';
import { askHidden, readJournalKey, readPassword, refuseSecretsInArgv, writeNewKeyFile, type SecretSources } from './secrets';

const KEY = 'Ab'.repeat(32);
const none: SecretSources = { env: {}, ask: null };
const failure = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof UserError ? `${e.exitCode}: ${e.message}` : `other: ${(e as Error).message}`;
  }
  return 'ok';
};

/** A terminal in raw mode, as far as askHidden uses it. */
function fakeTerminal() {
  const stream = new PassThrough();
  const modes: boolean[] = [];
  const input = Object.assign(stream, { setRawMode: (m: boolean) => { modes.push(m); return stream; } });
  let shown = '';
  return { input, modes, output: { write: (s: string) => { shown += s; } }, shown: () => shown };
}

describe('the password', () => {
  it('comes from --password-file (its first line), else EJOURNAL_PASSWORD, else the terminal', async () => {
    const file = tempFile('pw.txt');
    writeFileSync(file, '\uFEFFПароль школы 7\r\nвторая строка\n');
    const asked: string[] = [];
    const all: SecretSources = { env: { EJOURNAL_PASSWORD: 'из окружения' }, ask: async (p) => { asked.push(p); return 'с клавиатуры'; } };
    expect(await readPassword({ 'password-file': file }, all)).toBe('Пароль школы 7');
    expect(await readPassword({}, all)).toBe('из окружения');
    expect(await readPassword({}, { ...all, env: {} }, 'Пароль teacher: ')).toBe('с клавиатуры');
    expect(asked).toEqual(['Пароль teacher: ']);
  });

  it('without a terminal, a file or the variable: exit 2 with the three ways', async () => {
    const msg = await failure(readPassword({}, none));
    expect(msg).toMatch(/^2: Пароль не указан\. Пароль не указывается в командной строке/);
    expect(msg).toMatch(/по запросу в терминале/);
    expect(msg).toMatch(/--password-file ФАЙЛ/);
    expect(msg).toMatch(/EJOURNAL_PASSWORD/);
  });

  it('refuses an empty password, a missing file and a folder', async () => {
    const empty = tempFile('empty.txt');
    writeFileSync(empty, '\n');
    expect(await failure(readPassword({ 'password-file': empty }, none))).toMatch(/^2: Пароль пуст/);
    expect(await failure(readPassword({}, { env: { EJOURNAL_PASSWORD: '' }, ask: null }))).toMatch(/^2: Пароль пуст/);
    expect(await failure(readPassword({ 'password-file': `${empty}.missing` }, none))).toMatch(/^2: Файл пароля .* не найден/);
    expect(await failure(readPassword({ 'password-file': tempFile('x').replace(/x$/, '') }, none))).toMatch(/папка/);
  });

  it('--password VALUE and --password=VALUE are refused with the three ways; so is --key', async () => {
    expect(await failure(() => refuseSecretsInArgv(['sync', '--db', 'f', '--password', 'demo']))).toMatch(/^2: Пароль не указывается в командной строке.*Три способа/);
    expect(await failure(() => refuseSecretsInArgv(['sync', '--password=demo']))).toMatch(/^2: Пароль не указывается/);
    expect(await failure(() => refuseSecretsInArgv(['check', 'f', '--key', KEY]))).toMatch(/^2: Ключ журнала не указывается в командной строке/);
    expect(await failure(() => refuseSecretsInArgv(['sync', '--password-file', 'pw.txt', '--key-file', 'k']))).toBe('ok');
    expect(await failure(() => refuseSecretsInArgv(['call', 'f', '--', '--password']))).toBe('ok'); // after «--» it is data
  });

  it('is typed without echo: Backspace erases, Enter ends, Ctrl-C cancels', async () => {
    const t = fakeTerminal();
    const typed = askHidden(t.input, t.output, 'Пароль: ');
    t.input.write('се\u007fкр');
    t.input.write('ет\u001b[D\u001bOP\r');
    expect(await typed).toBe('скрет');
    expect(t.shown()).toBe('Пароль: \n'); // nothing of what was typed
    expect(t.modes).toEqual([true, false]);

    const c = fakeTerminal();
    const cancelled = askHidden(c.input, c.output, 'Пароль: ');
    c.input.write('аб\u0003');
    expect(await failure(cancelled)).toBe('130: Отменено');
    expect(c.modes).toEqual([true, false]);
  });
});

describe('the journal key', () => {
  it('comes from --key-file, else EJOURNAL_KEY, as 64 hex digits; none means a plain journal', () => {
    const file = tempFile('journal.key');
    writeFileSync(file, `  ${KEY}\n`);
    expect(readJournalKey({ 'key-file': file }, { EJOURNAL_KEY: 'ff'.repeat(32) })).toBe(KEY.toLowerCase());
    expect(readJournalKey({}, { EJOURNAL_KEY: 'ff'.repeat(32) })).toBe('ff'.repeat(32));
    expect(readJournalKey({}, {})).toBeUndefined();
  });

  it('refuses what is not 64 hex digits', async () => {
    const file = tempFile('journal.key');
    writeFileSync(file, 'пароль, а не ключ');
    expect(await failure(() => readJournalKey({ 'key-file': file }, {}))).toMatch(/^2: Ключ журнала в файле .* — не 64 шестнадцатеричные цифры/);
    expect(await failure(() => readJournalKey({}, { EJOURNAL_KEY: 'ab'.repeat(31) }))).toMatch(/^2: Ключ журнала в EJOURNAL_KEY — не 64/);
    expect(await failure(() => readJournalKey({ 'key-file': `${file}.missing` }, {}))).toMatch(/^2: Файл ключа .* не найден/);
  });

  it('a new key file is the owner\'s only and is never overwritten', async () => {
    const old = process.umask(0o022);
    try {
      const file = tempFile('new.key');
      const key = writeNewKeyFile(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toBe(`${key}\n`);
      expect(readJournalKey({ 'key-file': file }, {})).toBe(key);
      expect(await failure(() => writeNewKeyFile(file))).toMatch(/уже существует/);
      expect(readFileSync(file, 'utf8')).toBe(`${key}\n`);
    } finally {
      process.umask(old);
    }
  });
});
