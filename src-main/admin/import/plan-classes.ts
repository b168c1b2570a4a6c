/**
 * Classes and groups of the current year (R-SETUP). A class is the same class by its number and
 * letter; a new class comes with its «class» group (the one the curriculum's courses of the
 * whole class hang on). A group is the same group by its name. Class rows are planned
 * first, so a group may name a class that the same file adds.
 */
import type { GroupKind } from '../../../src-shared/domain/school';
import type { DataRow } from './layouts';
import { className, noteChange, type Planner } from './plan-kit';
import type { ClassRow } from './school-state';
import { clean, nameKey, parseClassName } from './values';

export const GROUP_KIND_WORDS: Record<GroupKind, string> = {
  class: 'класс', subgroup: 'подгруппа', profile: 'профильная группа', elective: 'элективный курс', club: 'кружок', project: 'проект',
};

function kindOf(raw: string): GroupKind | undefined {
  const s = raw.trim().toLowerCase().replace(/ё/g, 'е');
  if (s === '') return undefined;
  if (s.startsWith('класс')) return 'class';
  if (s.startsWith('подгр') || s === 'группа') return 'subgroup';
  if (s.startsWith('проф')) return 'profile';
  if (s.startsWith('элект') || s.startsWith('факульт')) return 'elective';
  if (s.startsWith('круж') || s.startsWith('секци')) return 'club';
  if (s.startsWith('проект')) return 'project';
  return undefined;
}

export function planClasses(p: Planner, rows: DataRow[]): void {
  const s = p.s;
  const y = s.year!;
  const seen = new Map<string, number>();
  const added: ClassRow[] = [];
  const kinds = new Map<DataRow, GroupKind>();
  for (const r of rows) {
    const k = kindOf(r.get('kind'));
    if (!k) p.error(r.row, 'kind', `${r.get('kind') ? `«${r.get('kind')}» — неизвестный вид` : 'укажите вид'}: ${Object.values(GROUP_KIND_WORDS).join(', ')}`);
    else kinds.set(r, k);
  }
  const classRows = rows.filter((r) => kinds.get(r) === 'class');
  const groupRows = rows.filter((r) => kinds.has(r) && kinds.get(r) !== 'class');

  for (const r of classRows) {
    const name = parseClassName(r.get('name'));
    if (!name) {
      p.error(r.row, 'name', `«${r.get('name')}» — не название класса: номер от 1 до 11 и буква, например 5А`);
      continue;
    }
    const label = className(name);
    if (seen.has(`c:${label}`)) {
      p.error(r.row, 'name', `класс ${label} указан дважды: строки ${seen.get(`c:${label}`)} и ${r.row}`);
      continue;
    }
    seen.set(`c:${label}`, r.row);
    const teacher = r.get('classTeacher') ? p.findStaff(r.row, 'classTeacher', r.get('classTeacher')) : undefined;
    if (r.get('classTeacher') && !teacher) continue;
    const existing = s.classes.find((c) => c.grade === name.grade && c.letter.toUpperCase() === name.letter);
    const id = existing?.id ?? p.o.newId();
    const teacherId = r.has('classTeacher') ? teacher?.id : existing?.classTeacherId ?? undefined;
    const changes: string[] = [];
    if (existing) noteChange(changes, 'классный руководитель', p.staffLabel(existing.classTeacherId), p.staffLabel(teacherId));
    if (!existing || changes.length) {
      if (!p.emit(r.row, 'class.set', { id, yearId: y.id, grade: name.grade, letter: existing?.letter ?? name.letter, ...(teacherId ? { classTeacherId: teacherId } : {}) }, { letter: 'name', classTeacherId: 'classTeacher' }, 'name')) continue;
    }
    if (!existing) added.push({ id, yearId: y.id, grade: name.grade, letter: name.letter, classTeacherId: teacherId ?? null });
    // A new class comes with its «class» group (an existing one without it gets it from the curriculum's import).
    if (!existing && !p.emit(r.row, 'group.set', { id: p.o.newId(), yearId: y.id, name: label, kind: 'class', classId: id }, {}, 'name')) continue;
    p.item(r.row, !!existing, `класс ${label}`, changes);
  }

  for (const r of groupRows) {
    const kind = kinds.get(r)!;
    const name = clean(r.get('name'));
    if (!name) {
      p.error(r.row, 'name', 'укажите название группы');
      continue;
    }
    const key = `g:${nameKey(name)}`;
    if (seen.has(key)) {
      p.error(r.row, 'name', `группа «${name}» указана дважды: строки ${seen.get(key)} и ${r.row}`);
      continue;
    }
    seen.set(key, r.row);
    const cls = r.get('class') ? p.findClass(r.row, 'class', r.get('class'), added) : undefined;
    if (r.get('class') && !cls) continue;
    const existing = s.groups.find((g) => g.kind !== 'class' && nameKey(g.name) === nameKey(name));
    const classId = r.has('class') ? cls?.id : existing?.classId ?? undefined;
    const changes: string[] = [];
    if (existing) {
      noteChange(changes, 'название', existing.name, name);
      noteChange(changes, 'вид', GROUP_KIND_WORDS[existing.kind as GroupKind] ?? existing.kind, GROUP_KIND_WORDS[kind]);
      const shown = (id: string | null | undefined) => {
        const c = id ? [...s.classes, ...added].find((x) => x.id === id) : undefined;
        return c ? className(c) : null;
      };
      noteChange(changes, 'класс', shown(existing.classId), shown(classId));
    }
    if ((!existing || changes.length) && !p.emit(r.row, 'group.set', { id: existing?.id ?? p.o.newId(), yearId: y.id, name, kind, ...(classId ? { classId } : {}) }, { name: 'name', kind: 'kind' }, 'name')) continue;
    p.item(r.row, !!existing, `${GROUP_KIND_WORDS[kind]} «${name}»`, changes);
  }
}
