/** `ejournal demo --out FILE …` and `ejournal start`: the demo school as a journal file. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { stats } from '../journal/queries';
import { makeDemo } from '../demo/make';
import { UserError } from '../errors/user-error';
import { args, dateOption, intOption, localToday } from './args';
import type { Io } from './io';
import { keyOf, withJournal } from './journal-file';
import { KEY_OPTIONS } from '../auth/secrets';

function printAccounts(io: Io, accounts: { login: string; roles: string[]; note: string }[]): void {
  io.out('Демонстрационные учётные записи (пароль: demo):');
  for (const a of accounts) io.out(`  ${a.login.padEnd(10)} ${a.note}`);
}

export function runDemo(argv: string[], io: Io): number {
  const a = args(argv, { out: { type: 'string' }, seed: { type: 'string' }, students: { type: 'string' }, today: { type: 'string' }, ...KEY_OPTIONS });
  if (a.positionals.length) throw new UserError(`Лишний аргумент «${a.positionals[0]}»: файл указывается через --out`);
  if (!a.values.out) throw new UserError('Укажите файл: ejournal demo --out FILE');
  const o = {
    seed: intOption(a.values.seed as string | undefined, 'seed', 1, 0, 2 ** 31 - 1),
    students: intOption(a.values.students as string | undefined, 'students', 135, 20, 5000),
    today: dateOption(a.values.today as string | undefined, 'today') ?? localToday(),
    ...keyOf(a.values),
  };
  const t0 = performance.now();
  const s = makeDemo(a.values.out as string, o, (done, total) => process.stderr.isTTY && process.stderr.write(`\r${Math.round((done / total) * 100)} %`));
  if (process.stderr.isTTY) process.stderr.write('\r');
  io.out(`Создан журнал «${a.values.out as string}»: ${s.students} учеников, ${s.classes} классов, ${s.lessons} уроков, ${s.marks} отметок, ${s.ops} операций за ${((performance.now() - t0) / 1000).toFixed(1)} с`);
  printAccounts(io, s.accounts);
  return 0;
}

/** `ejournal start`: makes data/demo.sqlite on first use, then prints its counts. */
export function runStart(io: Io): number {
  const file = resolve('data/demo.sqlite');
  if (!existsSync(file)) {
    io.out('Создаю демонстрационную школу в data/demo.sqlite …');
    const s = makeDemo(file, { seed: 1, students: 135, today: localToday() });
    printAccounts(io, s.accounts);
  }
  const s = withJournal(file, {}, stats);
  io.out(`Журнал демонстрационной школы: ${file}`);
  io.out(`Учеников ${s.students}, классов ${s.classes}, уроков ${s.lessons}, отметок ${s.marks}, пропусков ${s.absences}, операций ${s.ops}.`);
  io.out('Посмотреть историю клетки: npx ejournal history data/demo.sqlite --student "…" --date ГГГГ-ММ-ДД --subject "Русский язык"');
  return 0;
}
