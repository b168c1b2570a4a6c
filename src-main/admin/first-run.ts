/**
 * A real school's journal from nothing (R-SETUP, R-ACCOUNTS, п. 9.6): its first ops — the technical
 * administrator (a staff record, an account with the role `admin`, its password verifier at the
 * production scrypt cost) and the school record — made by `execute` like every other change.
 * `ejournal init` makes a new journal file of them for a school that works alone; `ejournal school
 * create` makes the same file in a temporary place and imports it into a server's store
 * (src-server/school-command.ts): one path for both.
 *
 * Nobody can be authorized in an empty journal, so while it has no account the guard lets in
 * exactly the administrator's own staff record and account; what follows them (the password, the
 * school) is judged by the regulation's guard as that administrator.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { payloads } from '../../src-shared/ops/kinds';
import { DEFAULT_COST, hashPassword } from '../auth/password';
import { PASSWORD_RULE, passwordWeakness } from '../../src-shared/domain/password';
import { PASSWORD_ENV, readPassword, type SecretSources } from '../auth/secrets';
import { CommandRefused, execute, systemClock, type Clock, type Guard } from '../commands/execute';
import { regulationGuard } from '../commands/guard';
import type { JournalKey } from '../journal/cipher';
import { fsyncPath } from '../journal/fsync-dir';
import { draft, newId, readLog, type OpDraft } from '../journal/log';
import { openJournal, type Journal } from '../journal/open';
import { UserError } from '../errors/user-error';

/** The zone a school gets when none is given: the `school.set` op's own default. */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';
/** The regulation's name for the technical administrator (п. 9.6). */
const ADMIN_POSITION = 'Ответственный за техподдержку';

export interface AdminName { lastName: string; firstName: string; middleName?: string }

/** What a new school starts with, checked: the ops carry exactly these values. */
export interface FirstRun {
  school: string;
  timeZone: string;
  login: string;
  adminName: AdminName;
}

export interface FirstRunResult {
  staffId: string;
  accountId: string;
  /** How many ops the journal holds now. */
  ops: number;
}

/**
 * Checks what the person typed before a password is asked or a file is made, by the schemas of
 * the ops that will carry it: the school's name (`school.set`: no control characters), the login
 * (`account.set`), the administrator's name (`staff.set`), and a time zone this computer knows.
 */
export function firstRunInput(raw: { school: string; login: string; timeZone?: string | undefined; adminName?: string | undefined }): FirstRun {
  const school = payloads['school.set'].shape.name.safeParse(raw.school);
  if (!school.success) throw new UserError(school.error.issues[0]!.message);
  const login = payloads['account.set'].shape.login.safeParse(raw.login);
  if (!login.success) throw new UserError(`Логин «${raw.login}» не подходит: от 2 до 64 знаков — латинские буквы, цифры, точка, дефис, подчёркивание, @`);
  return { school: school.data, login: login.data, timeZone: timeZoneOf(raw.timeZone ?? DEFAULT_TIME_ZONE), adminName: adminNameOf(raw.adminName, login.data) };
}

/**
 * The administrator's new password, as secrets.ts reads every password (a file, the environment,
 * the terminal — never argv); typed at the terminal it is asked twice. A password the rule refuses
 * is a UserError that states the rule.
 */
export async function readNewPassword(values: Record<string, string | boolean | undefined>, sources: SecretSources, login: string): Promise<string> {
  const typed = values['password-file'] === undefined && sources.env[PASSWORD_ENV] === undefined && sources.ask !== null;
  const password = await readPassword(values, sources, `Новый пароль для ${login}: `);
  const why = passwordWeakness(login, password);
  if (why) throw new UserError(`Пароль не подходит: ${why}. Нужен пароль ${PASSWORD_RULE}`);
  if (typed && (await sources.ask!('Повторите пароль: ')) !== password) throw new UserError('Пароли не совпадают: ничего не создано');
  return password;
}

function timeZoneOf(raw: string): string {
  try {
    // Intl knows the IANA zones (Asia/Yekaterinburg) and returns the canonical spelling.
    return new Intl.DateTimeFormat('en-US', { timeZone: raw.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new UserError(`Часовой пояс «${raw}» неизвестен: укажите его как Asia/Yekaterinburg, Europe/Moscow, Asia/Krasnoyarsk`);
  }
}

/** «Фамилия Имя [Отчество]»; without one the record is «Администратор <login>», to be corrected by the administrator. */
function adminNameOf(raw: string | undefined, login: string): AdminName {
  if (raw === undefined) return { lastName: 'Администратор', firstName: login };
  const parts = raw.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) throw new UserError(`ФИО администратора «${raw}»: укажите «Фамилия Имя» или «Фамилия Имя Отчество»`);
  const shape = payloads['staff.set'].shape;
  const [lastName, firstName, middleName] = [shape.lastName.safeParse(parts[0]), shape.firstName.safeParse(parts[1]), shape.middleName.safeParse(parts[2])];
  for (const r of [lastName, firstName, middleName]) if (!r.success) throw new UserError(r.error.issues[0]!.message);
  return { lastName: lastName.data!, firstName: firstName.data!, ...(middleName.data ? { middleName: middleName.data } : {}) };
}

/** While the journal has no account: only the administrator's own staff record and account; then the regulation. */
function firstRunGuard(staffId: string, accountId: string): Guard {
  return {
    check(ctx, op) {
      if (ctx.journal.stmt('SELECT 1 FROM account LIMIT 1').get() !== undefined) return regulationGuard.check(ctx, op);
      const p = op.payload as Record<string, unknown>;
      if (op.kind === 'staff.set' && p.id === staffId) return [];
      if (op.kind === 'account.set' && p.id === accountId && p.personKind === 'staff' && p.personId === staffId && JSON.stringify(p.roles) === '["admin"]') return [];
      return [{ level: 'refuse', code: 'forbidden', message: 'В новом журнале первой заводится учётная запись ответственного за техподдержку', requirement: 'R-ACCOUNTS', clause: 'п. 9.6' }];
    },
  };
}

/**
 * The first ops of a school, in the order they are written: the administrator's staff record, their
 * account with the role `admin` and its password verifier, then the school. `writeFirstRun` runs
 * them as one command; the demo school (src-main/demo/setup.ts) begins with the same ops.
 */
export function firstRunDrafts(f: FirstRun, ids: { staffId: string; accountId: string }, verifier: string): OpDraft[] {
  const { staffId, accountId } = ids;
  return [
    draft('staff.set', { id: staffId, ...f.adminName, position: ADMIN_POSITION }),
    draft('account.set', { id: accountId, login: f.login, personKind: 'staff', personId: staffId, roles: ['admin'] }),
    draft('account.password', { id: accountId, verifier }),
    draft('school.set', { name: f.school, timezone: f.timeZone }),
  ];
}

/** Writes the first ops into an empty journal as one command: all of them or none. */
export function writeFirstRun(j: Journal, f: FirstRun, password: string, clock: Clock = systemClock): FirstRunResult {
  if (!readLog(j).next().done) throw new Error('first run: the journal already has ops');
  const staffId = newId(j);
  const accountId = newId(j);
  const verifier = hashPassword(password, DEFAULT_COST);
  try {
    const r = execute({ journal: j, actor: { accountId }, clock, guard: firstRunGuard(staffId, accountId) }, () => firstRunDrafts(f, { staffId, accountId }, verifier));
    return { staffId, accountId, ops: r.ops.length };
  } catch (err) {
    if (err instanceof CommandRefused) throw new UserError(err.message);
    throw err;
  }
}

const alreadyThere = (file: string) => new UserError(`Файл «${file}» уже существует: новый журнал не записывается поверх другого файла — укажите другое имя`);

/**
 * A new journal file holding the first run (encrypted when a key is given; 0600 as every new
 * journal): made whole under a temporary name beside `file`, then put in place only if nothing is
 * there — an existing file is never replaced, even one that appears meanwhile.
 */
export function makeFirstRunJournal(file: string, f: FirstRun, password: string, o: { key?: JournalKey | undefined; clock?: Clock } = {}): FirstRunResult {
  const target = resolve(file);
  if (existsSync(target)) throw alreadyThere(file);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 }); // personal data: the owner's only
  const tmp = `${target}.first-run-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const j = openJournal(tmp, { create: true, ...(o.key ? { key: o.key } : {}) });
    let r: FirstRunResult;
    try {
      r = writeFirstRun(j, f, password, o.clock);
      j.sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the whole journal in the one file that is put in place
    } finally {
      j.close();
    }
    placeNew(tmp, target, file);
    return r;
  } finally {
    for (const x of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(x, { force: true });
  }
}

/** A hard link fails where a file exists (a rename would replace it); the temporary name is removed by the caller. */
function placeNew(tmp: string, target: string, shown: string): void {
  try {
    linkSync(tmp, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere(shown);
    // A file system without hard links (FAT on a USB stick): check, then rename.
    if (existsSync(target)) throw alreadyThere(shown);
    renameSync(tmp, target);
  }
  fsyncPath(dirname(target));
}
