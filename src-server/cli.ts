/**
 * `ejournal serve` — the central server. Without DATABASE_URL everything lives in SQLite files
 * under --data (nothing to install); with DATABASE_URL=postgres://… the op log is in PostgreSQL.
 * `--demo` creates the demo school on first start; `--now` stops the server's clock (demos and
 * end-to-end tests only — printed loudly). Prints the address it listens on, then runs until
 * SIGINT/SIGTERM. A real school comes onto the server by `ejournal school create` (`school` below).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDemo } from '../src-main/demo/make';
import { UserError } from '../src-main/errors/user-error';
import { isLocalDate } from '../src-shared/domain/values';
import { localToInstant } from '../src-shared/rules/local-time';
import { ruleSettings } from '../src-main/journal/rule-inputs';
import { TIME_ZONE } from '../src-main/demo/calendar';
import { systemClock, type Clock } from '../src-main/commands/execute';
import { createServer, VERSION, type EjournalServer } from './app';
import { createLogger } from './log';
import { describeStore, openStore } from './store/open';

/** Where `serve` writes: the process's stdout/stderr, or lines collected by a test. */
interface Io {
  out(line: string): void;
  err(line: string): void;
}

const processIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

export const DEMO_SCHOOL = 'demo';

const HELP = `ejournal serve — центральный сервер электронного журнала

  ejournal serve [--port 8080] [--host 127.0.0.1] [--data DIR] [--demo] [--today ГГГГ-ММ-ДД]
                 [--now 2026-09-10T10:00] [--ui DIR] [--updates DIR] [--log-level info|warn|error|silent] [--trust-proxy]

  --data DIR     каталог сервера (по умолчанию data/server): реплики школ и, без DATABASE_URL,
                 хранилище журнала операций SQLite (ничего устанавливать не нужно)
  --demo         при первом запуске создать демонстрационную школу (пароль всех учётных записей: demo)
  --today ДАТА   «сегодня» демонстрационной школы (по умолчанию — дата --now или настоящая дата)
  --now МОМЕНТ   остановить часы сервера (только для демонстраций и тестов); время школы или ISO с зоной
  --ui DIR       собранный веб-интерфейс (по умолчанию dist/renderer, если есть)
  --updates DIR  обновления настольной программы, раздаются по /updates/ (по умолчанию <data>/updates)
  --trust-proxy  за обратным прокси (nginx с TLS): адрес клиента из X-Forwarded-For, cookie с флагом Secure

  DATABASE_URL=postgres://…  хранить журнал операций в PostgreSQL (DATABASE_SCHEMA — схема, по умолчанию public)

  Настоящая школа на сервере: ejournal school create --data DIR --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН
  (подробно: «ejournal school --help»); веб-страницы первого запуска нет.`;

function realToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface FixedNow { raw: string; local: { date: string; time: string } | null; ms: number }

/** `--now 2026-09-10T10:00` is school time (zone resolved once schools are known); with Z/offset, as is. */
function parseNow(raw: string): FixedNow {
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(raw);
  if (local && isLocalDate(local[1]!) && /^([01]\d|2[0-3]):[0-5]\d$/.test(local[2]!)) {
    return { raw, local: { date: local[1]!, time: local[2]! }, ms: Date.parse(localToInstant(local[1]!, local[2]!, TIME_ZONE)) };
  }
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw new UserError(`--now — момент времени вида 2026-09-10T10:00 (время школы), получено «${raw}»`);
  return { raw, local: null, ms };
}

function portOption(raw: string | undefined): number {
  if (raw === undefined) return 8080;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new UserError(`--port — число от 0 до 65535, получено «${raw}»`);
  return Number(raw);
}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, demo: { type: 'boolean' }, today: { type: 'string' },
        now: { type: 'string' }, ui: { type: 'string' }, updates: { type: 'string' }, 'log-level': { type: 'string' }, 'trust-proxy': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    const m = /'(--?[^']+)'/.exec((err as Error).message);
    throw new UserError(m ? `Неизвестный или неверный параметр ${m[1]}: см. «ejournal serve --help»` : 'Неверные параметры: см. «ejournal serve --help»');
  }
}

/** The demo school on first start: generated into a temp file, imported into the store, file removed. */
async function ensureDemo(server: EjournalServer, dataDir: string, today: string, io: Io): Promise<{ login: string; note: string }[] | null> {
  const accountsFile = join(dataDir, 'demo-accounts.json');
  if (await server.store.school(DEMO_SCHOOL)) {
    return existsSync(accountsFile) ? (JSON.parse(readFileSync(accountsFile, 'utf8')) as { login: string; note: string }[]) : null;
  }
  io.out(`Создаю демонстрационную школу («сегодня» ${today}) …`);
  const tmp = join(dataDir, `demo-build-${process.pid}.sqlite`);
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  try {
    const summary = makeDemo(tmp, { seed: 1, students: 135, today });
    await server.schools.importJournal({ schoolId: DEMO_SCHOOL, file: tmp });
    const accounts = summary.accounts.map((a) => ({ login: a.login, note: a.note }));
    writeFileSync(accountsFile, JSON.stringify(accounts, null, 1));
    return accounts;
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

async function run(argv: string[], io: Io, signal: Promise<string>): Promise<number> {
  const v = options(argv);
  if (v.help) {
    io.out(HELP);
    return 0;
  }
  const port = portOption(v.port);
  const host = v.host ?? '127.0.0.1';
  const dataDir = resolve(v.data ?? 'data/server');
  const level = v['log-level'] ?? process.env.LOG_LEVEL ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level)) throw new UserError(`--log-level: info, warn, error или silent, получено «${level}»`);
  if (v.today !== undefined && !isLocalDate(v.today)) throw new UserError(`--today — дата в виде ГГГГ-ММ-ДД, получено «${v.today}»`);
  if (v.today !== undefined && !v.demo) throw new UserError('--today имеет смысл только вместе с --demo');
  const fixed = v.now !== undefined ? parseNow(v.now) : null;
  const uiDir = v.ui !== undefined ? resolve(v.ui) : resolve('dist/renderer');
  if (v.ui !== undefined && !existsSync(join(uiDir, 'index.html'))) throw new UserError(`В каталоге «${v.ui}» нет собранного интерфейса (index.html)`);
  mkdirSync(dataDir, { recursive: true });

  let nowMs = fixed?.ms ?? 0;
  const clock: Clock = fixed ? { now: () => nowMs } : systemClock;
  const storeConfig = { dataDir, databaseUrl: process.env.DATABASE_URL, pgSchema: process.env.DATABASE_SCHEMA || undefined };
  let store;
  try {
    store = await openStore(storeConfig);
  } catch (err) {
    throw new UserError(`Не удалось открыть хранилище ${describeStore(storeConfig)}: ${(err as Error).message}`);
  }
  const log = createLogger({ level });
  let server: EjournalServer;
  try {
    const readCacheMs = process.env.EJOURNAL_READ_CACHE_MS ? Number(process.env.EJOURNAL_READ_CACHE_MS) : undefined;
    server = await createServer({ store, dataDir, clock, logger: log, uiDir: existsSync(join(uiDir, 'index.html')) ? uiDir : null, updatesDir: resolve(v.updates ?? join(dataDir, 'updates')), backupsDir: join(dataDir, 'backups'), trustProxy: !!v['trust-proxy'], ...(readCacheMs !== undefined && readCacheMs >= 0 ? { readCacheMs } : {}) });
  } catch (err) {
    await store.close();
    throw err;
  }
  try {
    io.out(`ejournal ${VERSION} — сервер электронного журнала`);
    io.out(`Хранилище журнала операций: ${describeStore(storeConfig)}; реплики школ: ${join(dataDir, 'schools')}`);
    io.out(storeConfig.databaseUrl ? 'Резервные копии PostgreSQL — pg_dump по расписанию (docs/backup.md)' : `Резервные копии хранилища: ${join(dataDir, 'backups')} (ежедневно)`);
    const today = v.today ?? (fixed?.local?.date ?? (fixed ? new Date(fixed.ms).toISOString().slice(0, 10) : realToday()));
    const demoAccounts = v.demo ? await ensureDemo(server, dataDir, today, io) : null;
    const replicas = await server.schools.openAll();
    if (fixed?.local && replicas[0]) {
      // School time: the zone of the (first) school on this server.
      const tz = ruleSettings(replicas[0].view).timeZone;
      nowMs = Date.parse(localToInstant(fixed.local.date, fixed.local.time, tz));
    }
    if (fixed) {
      io.out('');
      io.out(`!!! ВНИМАНИЕ: часы сервера остановлены на ${fixed.raw} (${new Date(nowMs).toISOString()}) — только для демонстрации и тестов !!!`);
      io.out('');
    }
    for (const r of replicas) io.out(`Школа «${r.schoolId}»: ${r.serverSeq} операций`);
    if (replicas.length === 0) io.out(`Школ на сервере пока нет: настоящая школа — ejournal school create --data ${v.data ?? 'data/server'} --id ШКОЛА --name "НАЗВАНИЕ" --admin ЛОГИН; демонстрационная — запуск с --demo`);
    const url = await server.listen(port, host);
    io.out(`Сервер запущен: ${url}`);
    if (demoAccounts) {
      io.out('Демонстрационные учётные записи (пароль: demo):');
      for (const a of demoAccounts) io.out(`  ${a.login.padEnd(10)} ${a.note}`);
    } else if (v.demo) {
      io.out('Демонстрационные учётные записи (пароль: demo): admin, director, deputy, methodist, teacher, parent, student');
    }
    io.out('Остановить: Ctrl+C');
    const why = await signal;
    log.info({ signal: why }, 'shutting down');
    return 0;
  } finally {
    await server.close();
    log.flush();
  }
}

function onSignal(): Promise<string> {
  return new Promise((done) => {
    const stop = (s: string) => () => done(s);
    process.once('SIGINT', stop('SIGINT'));
    process.once('SIGTERM', stop('SIGTERM'));
  });
}

/**
 * `ejournal school …` (school-command.ts): the server's other command, in this entry because it
 * writes the server's store; bin/ejournal.js sends it here.
 */
export async function school(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await (await import('./school-command')).runSchool(argv, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.err(err.message);
      return err.exitCode;
    }
    io.err(`Школа не создана: ${(err as Error).message}`);
    return 2;
  }
}

export async function main(argv: string[], io: Io = processIo, signal: Promise<string> = onSignal()): Promise<number> {
  try {
    return await run(argv, io, signal);
  } catch (err) {
    if (err instanceof UserError) {
      io.err(err.message);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      io.err('Порт уже занят другой программой: укажите другой --port');
      return 2;
    }
    io.err(`Сервер не запущен: ${(err as Error).message}`);
    return 2;
  }
}
