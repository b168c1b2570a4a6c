/**
 * What every layout's planner shares: the errors, items and drafts it collects, each draft
 * checked by its op's own schema (and, in a preview, by the guard) so that a row the apply would
 * refuse is an error at its row and column before anything is written; and finding a class or a
 * staff member by what a person typed.
 */
import { payloads, type OpKind, type PayloadInput } from '../../../src-shared/ops/kinds';
import type { Notice, ParsedDraft } from '../../commands/execute';
import type { OpDraft } from '../../journal/log';
import type { Layout, What } from './layouts';
import type { RowError } from './refusal';
import type { ClassRow, SchoolState, StaffRow } from './school-state';
import { fullName, nameKey, parseClassName } from './values';

export interface PlanItem {
  row: number;
  action: 'add' | 'change' | 'same';
  /** The row in words: «Иванов Иван Иванович, 5А». */
  what: string;
  /** What a `change` changes, in words. */
  changes?: string[];
}

export interface PlanOptions {
  /** The request's «now» (the school's today: consent dates, the current year). */
  nowMs: number;
  /** Ids for new records; a preview passes placeholders (nothing is written). */
  newId: () => string;
  /** The guard's verdict on a draft (a preview's look ahead; the apply runs the real guard). */
  judge?: ((d: ParsedDraft) => Notice[]) | undefined;
  /** The importing account: it may not take the administrator's role from itself. */
  actorAccountId?: string | undefined;
}

export class Planner {
  readonly errors: RowError[] = [];
  readonly items: PlanItem[] = [];
  readonly drafts: OpDraft[] = [];

  constructor(readonly what: What, readonly s: SchoolState, readonly layout: Layout, readonly o: PlanOptions) {}

  header(key: string | null): string | null {
    return key === null ? null : this.layout.columns.find((c) => c.key === key)?.header ?? key;
  }

  error(row: number | null, key: string | null, message: string): void {
    this.errors.push({ row, column: this.header(key), message });
  }

  /**
   * A draft, if its op's schema takes it (else an error at the column its field comes from)
   * and the guard does not refuse it. `fields` maps the payload's fields to the layout's keys.
   */
  emit<K extends OpKind>(row: number | null, kind: K, payload: PayloadInput<K>, fields: Record<string, string> = {}, fallback: string | null = null): boolean {
    const r = payloads[kind].safeParse(payload);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const field = String(issue.path[0] ?? '');
        this.error(row, fields[field] ?? fallback, issue.message);
      }
      return false;
    }
    const refusals = (this.o.judge?.({ kind, payload: r.data }) ?? []).filter((n) => n.level === 'refuse');
    if (refusals.length) {
      for (const n of refusals) this.error(row, fallback, n.clause && !n.message.includes(n.clause) ? `${n.message} (${n.clause})` : n.message);
      return false;
    }
    this.drafts.push({ kind, payload } as OpDraft);
    return true;
  }

  item(row: number, existed: boolean, what: string, changes: string[]): void {
    this.items.push({ row, action: !existed ? 'add' : changes.length ? 'change' : 'same', what, ...(existed && changes.length ? { changes } : {}) });
  }

  private classesShown(): string {
    return this.s.classes.map(className).sort(byClass).join(', ') || 'нет ни одного';
  }

  /** A class of the current year by its name (Latin look-alikes and spacing forgiven); else an error. */
  findClass(row: number, key: string, raw: string, extra: ClassRow[] = []): ClassRow | undefined {
    const name = parseClassName(raw);
    const all = [...this.s.classes, ...extra];
    const hit = name && all.find((c) => c.grade === name.grade && c.letter.toUpperCase() === name.letter);
    if (hit) return hit;
    this.error(row, key, name
      ? `класса «${raw}» нет в ${this.s.year ? `${this.s.year.name} ` : ''}учебном году; классы: ${this.classesShown()}`
      : `«${raw}» — не название класса: укажите номер и букву, например 5А; классы: ${this.classesShown()}`);
    return undefined;
  }

  /** A staff member by login or by full name (unique); else an error. */
  findStaff(row: number, key: string, raw: string): StaffRow | undefined {
    const login = raw.trim();
    const byLogin = this.s.logins.get(login);
    if (byLogin?.personKind === 'staff') {
      const hit = this.s.staff.find((x) => x.id === byLogin.personId);
      if (hit) return hit;
    }
    // «Фамилия Имя Отчество», or «Фамилия Имя» for anyone of that name.
    const words = raw.trim().split(/\s+/);
    const k = nameKey(...words);
    const hits = this.s.staff.filter((x) => (words.length === 2 ? nameKey(x.lastName, x.firstName) : nameKey(x.lastName, x.firstName, x.middleName)) === k);
    const current = hits.filter((x) => !x.left);
    if (current.length === 1) return current[0];
    if (current.length === 0 && hits.length === 1) return hits[0];
    this.error(row, key, hits.length
      ? `работников «${raw}» несколько: укажите логин вместо ФИО`
      : `работник «${raw}» не найден: укажите ФИО, как в списке работников (Фамилия Имя Отчество), или логин`);
    return undefined;
  }

  /** How a staff member is written in a file: the full name, or the login where the name is not unique. */
  staffLabel(id: string | null | undefined): string {
    if (!id) return '';
    const x = this.s.staff.find((st) => st.id === id);
    if (!x) return '';
    const k = nameKey(x.lastName, x.firstName, x.middleName);
    const twins = this.s.staff.filter((st) => nameKey(st.lastName, st.firstName, st.middleName) === k && !st.left);
    const login = this.s.staffAccounts.get(id)?.login;
    return twins.length > 1 && login ? login : fullName(x);
  }
}

export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;
export const byClass = (a: string, b: string) => (parseInt(a, 10) - parseInt(b, 10)) || a.localeCompare(b, 'ru');

/** «телефон: +7 912 … → +7 913 …» when the values differ. */
export function noteChange(changes: string[], label: string, before: unknown, after: unknown, show: (v: never) => string = String): void {
  const norm = (v: unknown) => (v === undefined || v === null || v === '' ? null : v);
  const a = norm(before);
  const b = norm(after);
  if (a === b) return;
  const text = (v: unknown) => (v === null ? '—' : show(v as never));
  changes.push(`${label}: ${text(a)} → ${text(b)}`);
}
