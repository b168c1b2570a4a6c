/**
 * Pupils with their parents (R-SETUP, R-CONSENT, R-IMPORT). A pupil is the same pupil when the
 * full name and the birth date match (or the name alone, when it is unique in the school and the
 * file gives no date); a parent when the name and the phone or e-mail match, else the same name
 * among the parents already linked to that pupil. A column the file does not have leaves its
 * field as it is; nothing is removed (no pupil leaves, no parent is unlinked).
 */
import type { MedicalGroup } from '../../../src-shared/domain/school';
import type { DataRow } from './layouts';
import { className, noteChange, type Planner } from './plan-kit';
import type { ParentRow, StudentRow } from './school-state';
import { clean, emailKey, fullName, nameKey, namesIn, parseDate, parseYesNo, phoneKey, showDate, type Parsed } from './values';

export const MEDICAL: Record<MedicalGroup, string> = { main: 'основная', preparatory: 'подготовительная', special: 'специальная' };
export const DIARY: Record<'electronic' | 'paper', string> = { electronic: 'электронный', paper: 'бумажный' };

function parseMedical(raw: string): Parsed<MedicalGroup> {
  const s = raw.trim().toLowerCase();
  if (s === '' || s.startsWith('основ')) return { ok: true, value: 'main' };
  if (s.startsWith('подгот')) return { ok: true, value: 'preparatory' };
  if (s.startsWith('спец')) return { ok: true, value: 'special' };
  return { ok: false, message: `«${raw.trim()}»: медицинская группа — основная, подготовительная или специальная` };
}

function parseDiary(raw: string): Parsed<'electronic' | 'paper' | null> {
  const s = raw.trim().toLowerCase();
  if (s === '') return { ok: true, value: null };
  if (s.startsWith('эл')) return { ok: true, value: 'electronic' };
  if (s.startsWith('бум')) return { ok: true, value: 'paper' };
  return { ok: false, message: `«${raw.trim()}»: форма дневника — электронный или бумажный` };
}

const STUDENT_FIELDS = { lastName: 'lastName', firstName: 'firstName', middleName: 'middleName', birthDate: 'birthDate', peExemptUntil: 'peExemptUntil' };
const parentFields = (n: number) => ({ lastName: `p${n}LastName`, firstName: `p${n}FirstName`, middleName: `p${n}MiddleName`, phone: `p${n}Phone`, email: `p${n}Email`, relation: `p${n}Relation` });

interface ParentIn { lastName: string; firstName: string; middleName: string; phone: string; email: string; relation: string }

export function planStudents(p: Planner, rows: DataRow[]): void {
  const s = p.s;
  const byName = new Map<string, StudentRow[]>();
  for (const st of s.students) {
    const k = nameKey(st.lastName, st.firstName, st.middleName);
    byName.set(k, [...(byName.get(k) ?? []), st]);
  }
  const parentById = new Map(s.parents.map((x) => [x.id, x]));
  const parentsByName = new Map<string, ParentRow[]>();
  for (const x of s.parents) {
    const k = nameKey(x.lastName, x.firstName, x.middleName);
    parentsByName.set(k, [...(parentsByName.get(k) ?? []), x]);
  }
  const classById = new Map(s.classes.map((c) => [c.id, c]));
  const extraGroups = s.groups.filter((g) => g.kind !== 'class');
  const groupByName = new Map(extraGroups.map((g) => [nameKey(g.name), g]));
  const seen = new Map<string, number>();
  /** Parents of this file: their values as first given, and where. */
  const fileParents = new Map<string, { row: number; n: number; want: ParentIn }>();
  /** name|phone and name|e-mail of this file's parents → their ids. */
  const fileContacts = new Map<string, string>();
  const consents = new Map<string, { row: number; value: string }>();
  const membership = new Map<string, { add: string[]; remove: string[] }>();

  for (const r of rows) {
    const before = p.errors.length;
    const lastName = clean(r.get('lastName'));
    const firstName = clean(r.get('firstName'));
    const middleName = clean(r.get('middleName'));
    if (!lastName) p.error(r.row, 'lastName', 'заполните фамилию ученика');
    if (!firstName) p.error(r.row, 'firstName', 'заполните имя ученика');
    const cls = r.get('class') ? p.findClass(r.row, 'class', r.get('class')) : (p.error(r.row, 'class', 'укажите класс, например 5А'), undefined);
    const date = (key: string) => {
      const d = parseDate(r.get(key));
      if (!d.ok) p.error(r.row, key, d.message);
      return d.ok ? d.value : null;
    };
    const birth = date('birthDate');
    const pe = date('peExemptUntil');
    const diaryDate = date('diaryDate');
    const yes = (key: string) => {
      const v = parseYesNo(r.get(key));
      if (!v.ok) p.error(r.row, key, v.message);
      return v.ok && v.value;
    };
    const individualPlan = yes('individualPlan');
    const homeSchooling = yes('homeSchooling');
    const medical = parseMedical(r.get('medicalGroup'));
    if (!medical.ok) p.error(r.row, 'medicalGroup', medical.message);
    const diary = parseDiary(r.get('diaryMode'));
    if (!diary.ok) p.error(r.row, 'diaryMode', diary.message);
    const cell = namesIn(r.get('groups'), extraGroups.map((g) => g.name));
    const groupIds = cell.found.map((g) => groupByName.get(nameKey(g))!.id);
    for (const g of cell.unknown) p.error(r.row, 'groups', `группы «${g}» нет в текущем учебном году; группы: ${extraGroups.map((x) => `«${x.name}»`).join(', ') || 'нет ни одной'}`);
    const parents: ParentIn[] = [];
    for (const n of [1, 2]) {
      const f = parentFields(n);
      const v = Object.fromEntries(Object.entries(f).map(([k, key]) => [k, clean(r.get(key))])) as unknown as ParentIn;
      if (!Object.values(v).some(Boolean)) continue;
      if (!v.lastName) p.error(r.row, f.lastName, `заполните фамилию родителя ${n}`);
      if (!v.firstName) p.error(r.row, f.firstName, `заполните имя родителя ${n}`);
      if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)) p.error(r.row, f.email, `«${v.email}» — не адрес электронной почты`);
      parents.push(v);
    }
    if (diary.ok && diary.value && parents.length === 0) p.error(r.row, 'diaryMode', 'форму дневника выбирает родитель: заполните родителя 1');
    if (p.errors.length > before || !cls || !medical.ok || !diary.ok) continue;

    // ── the pupil ──
    const key = nameKey(lastName, firstName, middleName);
    const same = byName.get(key) ?? [];
    let existing: StudentRow | undefined;
    if (birth) {
      existing = same.find((x) => x.birthDate === birth);
      const undated = same.filter((x) => !x.birthDate);
      if (!existing && undated.length === 1) existing = undated[0];
    } else if (same.length === 1) {
      existing = same[0];
    } else if (same.length > 1) {
      p.error(r.row, 'birthDate', `в школе ${same.length} ученика с ФИО «${fullName({ lastName, firstName, middleName })}»: укажите дату рождения`);
      continue;
    }
    const dup = existing?.id ?? `${key}|${birth ?? ''}`;
    const first = seen.get(dup);
    if (first !== undefined) {
      p.error(r.row, 'lastName', `ученик ${fullName({ lastName, firstName, middleName })} указан дважды: строки ${first} и ${r.row}`);
      continue;
    }
    seen.set(dup, r.row);
    const id = existing?.id ?? p.o.newId();
    const want = {
      id, lastName, firstName, ...(middleName ? { middleName } : {}),
      ...((birth ?? existing?.birthDate) ? { birthDate: birth ?? existing!.birthDate! } : {}),
      classId: cls.id,
      individualPlan: r.has('individualPlan') ? individualPlan : existing?.individualPlan ?? false,
      homeSchooling: r.has('homeSchooling') ? homeSchooling : existing?.homeSchooling ?? false,
      medicalGroup: r.has('medicalGroup') ? medical.value : (existing?.medicalGroup as MedicalGroup | undefined) ?? 'main',
      ...((r.has('peExemptUntil') ? pe : existing?.peExemptUntil) ? { peExemptUntil: (r.has('peExemptUntil') ? pe : existing!.peExemptUntil)! } : {}),
      ...(existing?.left ? { left: existing.left } : {}),
    };
    const changes: string[] = [];
    if (existing) {
      noteChange(changes, 'фамилия', existing.lastName, want.lastName);
      noteChange(changes, 'имя', existing.firstName, want.firstName);
      noteChange(changes, 'отчество', existing.middleName, want.middleName);
      noteChange(changes, 'дата рождения', existing.birthDate, want.birthDate, showDate);
      noteChange(changes, 'класс', existing.classId ? className(classById.get(existing.classId) ?? { grade: 0, letter: '?' }) : null, className(cls));
      noteChange(changes, 'индивидуальный план', existing.individualPlan ? 'да' : 'нет', want.individualPlan ? 'да' : 'нет');
      noteChange(changes, 'обучение на дому', existing.homeSchooling ? 'да' : 'нет', want.homeSchooling ? 'да' : 'нет');
      noteChange(changes, 'медицинская группа', MEDICAL[existing.medicalGroup as MedicalGroup] ?? existing.medicalGroup, MEDICAL[want.medicalGroup]);
      noteChange(changes, 'освобождение от физкультуры до', existing.peExemptUntil, want.peExemptUntil, showDate);
    }
    if ((!existing || changes.length) && !p.emit(r.row, 'student.set', want, STUDENT_FIELDS, 'lastName')) continue;

    // ── the parents ──
    const linked = existing ? s.links.get(existing.id) ?? [] : [];
    const rowParents: string[] = [];
    parents.forEach((v, i) => {
      const n = i + 1;
      const f = parentFields(n);
      const pk = nameKey(v.lastName, v.firstName, v.middleName);
      const phone = phoneKey(v.phone);
      const email = emailKey(v.email);
      const contacts = [phone && `${pk}|t:${phone}`, email && `${pk}|e:${email}`].filter(Boolean) as string[];
      let pid = contacts.map((c) => fileContacts.get(c)).find(Boolean);
      pid ??= (parentsByName.get(pk) ?? []).find((x) => (phone && phoneKey(x.phone) === phone) || (email && emailKey(x.email) === email))?.id;
      pid ??= linked.map((l) => parentById.get(l.parentId)).find((x) => x && nameKey(x.lastName, x.firstName, x.middleName) === pk)?.id;
      const old = pid ? parentById.get(pid) : undefined;
      pid ??= p.o.newId();
      for (const c of contacts) fileContacts.set(c, pid);
      const name = fullName(v);
      const payload = {
        id: pid, lastName: v.lastName, firstName: v.firstName, ...(v.middleName ? { middleName: v.middleName } : {}),
        ...((r.has(f.phone) ? v.phone : old?.phone) ? { phone: r.has(f.phone) ? v.phone : old!.phone! } : {}),
        ...((r.has(f.email) ? v.email : old?.email) ? { email: r.has(f.email) ? v.email : old!.email! } : {}),
      };
      const earlier = fileParents.get(pid);
      if (earlier) {
        // The first row with a parent gives their details; a later row may repeat them or leave them empty.
        const differs = (['lastName', 'firstName', 'middleName', 'phone', 'email'] as const).find((k) => v[k] && earlier.want[k] !== v[k]);
        if (differs) p.error(r.row, f[differs], `родитель ${name} уже указан в строке ${earlier.row} с другим значением «${earlier.want[differs] || '—'}»: укажите одинаково`);
      } else {
        fileParents.set(pid, { row: r.row, n, want: v });
        const pc: string[] = [];
        if (old) {
          noteChange(pc, 'фамилия', old.lastName, payload.lastName);
          noteChange(pc, 'имя', old.firstName, payload.firstName);
          noteChange(pc, 'отчество', old.middleName, payload.middleName);
          noteChange(pc, 'телефон', old.phone, payload.phone);
          noteChange(pc, 'e-mail', old.email, payload.email);
        }
        if (!old || pc.length) {
          if (!p.emit(r.row, 'parent.set', payload, f, f.lastName)) return;
          if (existing) changes.push(old ? `родитель ${n} (${name}): ${pc.join(', ')}` : `родитель ${n}: новый — ${name}`);
        }
      }
      const link = linked.find((l) => l.parentId === pid);
      const relation = r.has(f.relation) ? v.relation : link?.relation ?? '';
      if (!link || (link.relation ?? '') !== relation) {
        if (!p.emit(r.row, 'parent.link', { parentId: pid, studentId: id, ...(relation ? { relation } : {}) }, { relation: f.relation }, f.lastName)) return;
        if (existing && old) changes.push(link ? `родитель ${n} (${name}): степень родства ${link.relation || '—'} → ${relation || '—'}` : `родитель ${n} (${name}) связан с учеником`);
      }
      rowParents.push(pid);
    });

    // ── the diary form (R-CONSENT): each parent of the row chose it ──
    if (diary.value) {
      for (const pid of rowParents) {
        const earlier = consents.get(pid);
        if (earlier) {
          if (earlier.value !== diary.value) p.error(r.row, 'diaryMode', `для родителя ${fullName(parentById.get(pid) ?? fileParents.get(pid)!.want)} в строке ${earlier.row} указана другая форма дневника`);
          continue;
        }
        consents.set(pid, { row: r.row, value: diary.value });
        const cur = s.diaryMode.get(pid);
        if (cur && cur.value === diary.value && (!diaryDate || cur.date === diaryDate)) continue;
        if (!p.emit(r.row, 'consent.set', { parentId: pid, kind: 'diary_mode', value: diary.value, date: diaryDate ?? s.today }, { date: 'diaryDate' }, 'diaryMode')) break;
        if (existing && parentById.has(pid)) changes.push(`форма дневника (${fullName(parentById.get(pid)!)}): ${cur ? DIARY[cur.value as 'paper'] ?? cur.value : '—'} → ${DIARY[diary.value]}`);
      }
    }

    // ── groups: exactly those of the cell, when the file has the column ──
    if (r.has('groups')) {
      const wanted = new Set(groupIds);
      const plus: string[] = [];
      const minus: string[] = [];
      for (const g of extraGroups) {
        const isIn = existing ? s.members.get(g.id)?.has(existing.id) ?? false : false;
        if (wanted.has(g.id) === isIn) continue;
        const m = membership.get(g.id) ?? { add: [], remove: [] };
        membership.set(g.id, m);
        (isIn ? m.remove : m.add).push(id);
        (isIn ? minus : plus).push(g.name);
      }
      if (existing && (plus.length || minus.length)) changes.push(`группы: ${[...plus.map((g) => `+ ${g}`), ...minus.map((g) => `− ${g}`)].join(', ')}`);
    }
    p.item(r.row, !!existing, `${fullName(want)}, ${className(cls)}`, changes);
  }
  // Membership in one op per group (a class of 30 joining a club is one op, not 30).
  for (const [groupId, m] of membership) p.emit(null, 'group.members', { groupId, add: m.add, remove: m.remove }, {}, null);
}
