/**
 * Staff with their accounts (R-SETUP, R-ACCOUNTS): a staff member is the same person by login,
 * else by full name. The account gets a login and roles only: no password — a new account signs
 * in after the administrator issues it a one-time password (another module); nothing here makes
 * a verifier.
 */
import { ROLE_LABELS, type Role } from '../../../src-shared/domain/school';
import { payloads } from '../../../src-shared/ops/kinds';
import type { DataRow } from './layouts';
import { noteChange, type Planner } from './plan-kit';
import type { StaffRow } from './school-state';
import { clean, fullName, listOf, nameKey, parseYesNo } from './values';

const STAFF_ROLES = ['director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin'] as const satisfies readonly Role[];

/** How people write roles in a list: the labels, short forms and the codes. */
const ROLE_WORDS: Record<string, Role> = {
  директор: 'director', 'заместитель директора': 'deputy', 'заместитель директора по увр': 'deputy', завуч: 'deputy', заместитель: 'deputy',
  методист: 'methodist', 'методист (расписание)': 'methodist', 'классный руководитель': 'class_teacher', учитель: 'teacher', педагог: 'teacher',
  'ответственный за техподдержку': 'admin', администратор: 'admin', 'технический администратор': 'admin',
  ...Object.fromEntries(STAFF_ROLES.map((r) => [r, r])),
};

/** The roles as the layout writes them: «Учитель, Классный руководитель». */
export function showRoles(roles: readonly Role[]): string {
  return [...roles].sort((a, b) => STAFF_ROLES.indexOf(a as never) - STAFF_ROLES.indexOf(b as never)).map((r) => ROLE_LABELS[r]).join(', ');
}

const sameRoles = (a: readonly string[], b: readonly string[]) => [...new Set(a)].sort().join() === [...new Set(b)].sort().join();

export function planStaff(p: Planner, rows: DataRow[]): void {
  const s = p.s;
  const seen = new Map<string, number>();
  for (const r of rows) {
    const before = p.errors.length;
    const lastName = clean(r.get('lastName'));
    const firstName = clean(r.get('firstName'));
    const middleName = clean(r.get('middleName'));
    if (!lastName) p.error(r.row, 'lastName', 'заполните фамилию');
    if (!firstName) p.error(r.row, 'firstName', 'заполните имя');
    const login = r.get('login');
    if (login) {
      const ok = payloads['account.set'].shape.login.safeParse(login);
      if (!ok.success) p.error(r.row, 'login', `логин «${login}»: от 2 до 64 знаков — латинские буквы, цифры, точка, дефис, подчёркивание, @`);
    }
    const roles: Role[] = [];
    for (const word of r.has('roles') ? listOf(r.get('roles')) : []) {
      const role = ROLE_WORDS[word.toLowerCase().replace(/ё/g, 'е')];
      if (role) roles.push(role);
      else p.error(r.row, 'roles', `роль «${word}» неизвестна; роли: ${STAFF_ROLES.map((x) => ROLE_LABELS[x].toLowerCase()).join(', ')}`);
    }
    if (roles.length && !login) p.error(r.row, 'login', 'роли задаются вместе с логином: укажите логин');
    const left = parseYesNo(r.get('left'));
    if (!left.ok) p.error(r.row, 'left', left.message);
    if (p.errors.length > before) continue;

    // ── who it is: by login, else by name ──
    const taken = login ? s.logins.get(login) : undefined;
    if (taken && taken.personKind !== 'staff') {
      p.error(r.row, 'login', `логин «${login}» уже занят учётной записью ${taken.personKind === 'parent' ? 'родителя' : 'ученика'}`);
      continue;
    }
    let existing: StaffRow | undefined = taken ? s.staff.find((x) => x.id === taken.personId) : undefined;
    if (!existing) {
      const same = s.staff.filter((x) => nameKey(x.lastName, x.firstName, x.middleName) === nameKey(lastName, firstName, middleName));
      if (same.length > 1) {
        p.error(r.row, 'login', `работников с ФИО «${fullName({ lastName, firstName, middleName })}» несколько: укажите логин`);
        continue;
      }
      existing = same[0];
    }
    const dup = existing?.id ?? `${nameKey(lastName, firstName, middleName)}|${login}`;
    if (seen.has(dup) || (login && seen.has(`login:${login}`))) {
      p.error(r.row, login && seen.has(`login:${login}`) ? 'login' : 'lastName', `работник указан дважды: строки ${seen.get(dup) ?? seen.get(`login:${login}`)} и ${r.row}`);
      continue;
    }
    seen.set(dup, r.row);
    if (login) seen.set(`login:${login}`, r.row);
    const id = existing?.id ?? p.o.newId();
    const position = clean(r.get('position'));
    const want = {
      id, lastName, firstName, ...(middleName ? { middleName } : {}),
      ...((r.has('position') ? position : existing?.position) ? { position: r.has('position') ? position : existing!.position! } : {}),
      left: r.has('left') ? left.ok && left.value : existing?.left ?? false,
    };
    const changes: string[] = [];
    if (existing) {
      noteChange(changes, 'фамилия', existing.lastName, want.lastName);
      noteChange(changes, 'имя', existing.firstName, want.firstName);
      noteChange(changes, 'отчество', existing.middleName, want.middleName);
      noteChange(changes, 'должность', existing.position, want.position);
      noteChange(changes, 'уволен', existing.left ? 'да' : 'нет', want.left ? 'да' : 'нет');
    }
    if ((!existing || changes.length) && !p.emit(r.row, 'staff.set', want, { lastName: 'lastName', firstName: 'firstName', middleName: 'middleName', position: 'position' }, 'lastName')) continue;

    // ── the account: login and roles ──
    if (login) {
      const acc = existing ? s.staffAccounts.get(existing.id) : undefined;
      if (taken && acc && taken.id !== acc.id) {
        p.error(r.row, 'login', `у работника уже есть учётная запись «${acc.login}», а логин «${login}» занят другой`);
        continue;
      }
      const wantRoles = r.has('roles') ? roles : acc?.roles ?? [];
      if (wantRoles.length === 0) {
        p.error(r.row, 'roles', 'укажите роли учётной записи, например «учитель»');
        continue;
      }
      if (acc && acc.id === p.o.actorAccountId && acc.roles.includes('admin') && !wantRoles.includes('admin')) {
        p.error(r.row, 'roles', 'свою роль «Ответственный за техподдержку» снять нельзя: иначе настраивать журнал будет некому');
        continue;
      }
      if (!acc || acc.login !== login || !sameRoles(acc.roles, wantRoles)) {
        if (!p.emit(r.row, 'account.set', { id: acc?.id ?? p.o.newId(), login, personKind: 'staff', personId: id, roles: wantRoles }, { login: 'login', roles: 'roles' }, 'login')) continue;
        if (acc) {
          noteChange(changes, 'логин', acc.login, login);
          noteChange(changes, 'роли', showRoles(acc.roles), showRoles(wantRoles));
        } else if (existing) changes.push(`учётная запись: ${login} (${showRoles(wantRoles)}), пароль выдаётся отдельно`);
      }
    }
    p.item(r.row, !!existing, `${fullName(want)}${want.position ? `, ${want.position}` : ''}`, changes);
  }
}
