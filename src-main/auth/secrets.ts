/**
 * Secrets on the command line — a sign-in password and the journal's key — never come from argv
 * (visible to every user in the process list and kept in the shell's history). A password comes
 * from one of three places, the same for every command: `--password-file FILE`, the environment
 * variable EJOURNAL_PASSWORD, or a prompt on the terminal without echo. The journal key (64 hex
 * digits) comes from `--key-file FILE` or EJOURNAL_KEY. It lives below both command lines
 * (`ejournal …` in src-main/cli, `ejournal school` in src-server/cli.ts) because both
 * read a password.
 */
import { closeSync, existsSync, fchmodSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { isJournalKey, newJournalKey, type JournalKey } from '../journal/cipher';
import { UserError } from '../errors/user-error';

export const PASSWORD_ENV = 'EJOURNAL_PASSWORD';
export const KEY_ENV = 'EJOURNAL_KEY';

export const PASSWORD_WAYS = `Пароль не указывается в командной строке (его видно в списке процессов и в истории команд). Три способа: ввести его по запросу в терминале (не отображается), --password-file ФАЙЛ (пароль — первая строка файла) или переменная окружения ${PASSWORD_ENV}`;
export const KEY_WAYS = `Ключ журнала не указывается в командной строке. Укажите файл ключа --key-file ФАЙЛ (64 шестнадцатеричные цифры; новый ключ: ejournal new-key --out ФАЙЛ) или переменную окружения ${KEY_ENV}`;

/** Options to spread into a command's parseArgs table. */
export const PASSWORD_OPTIONS = { 'password-file': { type: 'string' } } as const;
export const KEY_OPTIONS = { 'key-file': { type: 'string' } } as const;

/** Where secrets may come from: the environment and, when stdin is a terminal, a prompt. */
export interface SecretSources {
  env: Record<string, string | undefined>;
  /** Asks on the terminal without echo; null when there is no terminal (a pipe, a service, CI). */
  ask: ((prompt: string) => Promise<string>) | null;
}

export function processSecrets(): SecretSources {
  return { env: process.env, ask: process.stdin.isTTY ? (p) => askHidden(process.stdin, process.stderr, p) : null };
}

/** `--password VALUE`, `--password=VALUE`, `--key …`: refused before anything else runs. */
export function refuseSecretsInArgv(argv: readonly string[]): void {
  for (const a of argv) {
    if (a === '--') return;
    if (a === '--password' || a.startsWith('--password=')) throw new UserError(PASSWORD_WAYS);
    if (a === '--key' || a.startsWith('--key=')) throw new UserError(KEY_WAYS);
  }
}

type Values = Record<string, string | boolean | undefined>;

/** The password from --password-file, else EJOURNAL_PASSWORD, else the terminal; without any of them, exit 2 with the three ways. */
export async function readPassword(values: Values, sources: SecretSources, prompt = 'Пароль: '): Promise<string> {
  const file = values['password-file'];
  let password: string;
  if (typeof file === 'string') password = firstLine(readSecretFile(file, 'пароля'));
  else if (sources.env[PASSWORD_ENV] !== undefined) password = sources.env[PASSWORD_ENV]!;
  else if (sources.ask) password = await sources.ask(prompt);
  else throw new UserError(`Пароль не указан. ${PASSWORD_WAYS}`);
  if (password === '') throw new UserError(`Пароль пуст. ${PASSWORD_WAYS}`);
  return password;
}

/** The journal key from --key-file, else EJOURNAL_KEY; undefined when neither is given (a plain journal). */
export function readJournalKey(values: Values, env: Record<string, string | undefined>): JournalKey | undefined {
  const file = values['key-file'];
  if (typeof file === 'string') return parseKey(readSecretFile(file, 'ключа'), `в файле «${file}»`);
  const raw = env[KEY_ENV];
  if (raw !== undefined && raw !== '') return parseKey(raw, `в ${KEY_ENV}`);
  return undefined;
}

/** `ejournal new-key --out FILE`: a new random key, readable by its owner only; never overwrites. */
export function writeNewKeyFile(file: string): JournalKey {
  if (existsSync(file)) throw new UserError(`Файл «${file}» уже существует: ключ не перезаписывается (журнал без своего ключа не открыть)`);
  const key = newJournalKey();
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    throw new UserError(`Не удаётся создать файл «${file}»: ${(err as Error).message}`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${key}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
}

function parseKey(raw: string, where: string): JournalKey {
  const key = raw.trim().toLowerCase();
  if (!isJournalKey(key)) throw new UserError(`Ключ журнала ${where} — не 64 шестнадцатеричные цифры`);
  return key;
}

function readSecretFile(file: string, what: string): string {
  if (!existsSync(file)) throw new UserError(`Файл ${what} «${file}» не найден`);
  if (statSync(file).isDirectory()) throw new UserError(`«${file}» — папка, а нужен файл ${what}`);
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new UserError(`Не удаётся прочитать файл ${what} «${file}»: ${(err as Error).message}`);
  }
}

function firstLine(s: string): string {
  const nl = /\r?\n/.exec(s);
  return nl ? s.slice(0, nl.index) : s;
}

/** The terminal side of askHidden: what process.stdin offers when it is a TTY. */
export interface HiddenInput {
  setRawMode(raw: boolean): unknown;
  setEncoding(enc: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', fn: (chunk: string) => void): unknown;
  off(event: 'data', fn: (chunk: string) => void): unknown;
}

/** Reads one line from a raw-mode terminal without echoing it: Enter ends, Backspace erases, Ctrl-C cancels. */
export function askHidden(input: HiddenInput, output: { write(s: string): unknown }, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    let escape: 'no' | 'start' | 'sequence' = 'no'; // an arrow or function key: ESC [ … final byte, not part of the password
    const finish = (err?: UserError) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(typed.join(''));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (escape === 'start') { escape = ch === '[' || ch === 'O' ? 'sequence' : 'no'; continue; }
        if (escape === 'sequence') { if (ch >= '@' && ch <= '~') escape = 'no'; continue; }
        if (ch === '\u001b') { escape = 'start'; continue; }
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UserError('Отменено', 130)); // Ctrl-C
        if (ch === '\u0004') return finish(typed.length ? undefined : new UserError(`Пароль не введён. ${PASSWORD_WAYS}`)); // Ctrl-D
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed.push(ch);
      }
    };
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}
