/**
 * Options of the `ejournal` subcommands: parseArgs with one Russian line for a wrong option, and
 * the values every subcommand reads the same way (numbers, dates, `--now`, today).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLocalDate } from '../../src-shared/domain/values';
import { localToInstant } from '../../src-shared/rules/local-time';
import { UserError } from '../errors/user-error';

export type Values = Record<string, string | boolean | undefined>;

export function args(argv: string[], options: ParseArgsConfig['options']): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (err) {
    const m = /'(--?[^']+)'/.exec((err as Error).message);
    throw new UserError(m ? `Неизвестный или неверный параметр ${m[1]}: см. «ejournal help»` : `Неверные параметры: см. «ejournal help»`);
  }
}

export function intOption(raw: string | undefined, name: string, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new UserError(`--${name} должно быть целым числом, получено «${raw}»`);
  const v = Number(raw);
  if (v < min || v > max) throw new UserError(`--${name} должно быть от ${min} до ${max}, получено ${v}`);
  return v;
}

export function dateOption(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (!isLocalDate(raw)) throw new UserError(`--${name} — дата в виде ГГГГ-ММ-ДД, получено «${raw}»`);
  return raw;
}

/** `--now 2026-09-10T10:00` is the school's local time (its time zone); with an offset or Z it is taken as is. */
export function nowOption(raw: string | undefined, timeZone: string): number {
  if (raw === undefined) return Date.now();
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(raw);
  if (local && isLocalDate(local[1]!) && /^([01]\d|2[0-3]):[0-5]\d$/.test(local[2]!)) return Date.parse(localToInstant(local[1]!, local[2]!, timeZone));
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw new UserError(`--now — момент времени вида 2026-09-10T10:00 (время школы), получено «${raw}»`);
  return ms;
}

/** Today on this computer's calendar (the demo school's default "today"). */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
