/**
 * The curriculum and teacher load of the current year (R-SETUP): a row is a course — a class or
 * group, a subject, hours per week, a teacher — the same course by its group and subject. A
 * subject the school does not have yet is added (by name; its code guessed from the name).
 */
import type { SubjectCode } from '../../../src-shared/domain/school';
import type { DataRow } from './layouts';
import { className, noteChange, type Planner } from './plan-kit';
import type { ClassRow, GroupRow } from './school-state';
import { clean, nameKey, parseClassName, parseHours, showHours } from './values';

/** The subject codes the rules know (PE, reading …), by the usual Russian names. */
const CODES: [RegExp, SubjectCode][] = [
  [/^русск/, 'russian'], [/^литературн.*чтени/, 'reading'], [/^литерат/, 'literature'], [/^родн/, 'native'],
  [/язык/, 'foreign'], [/^алгебр/, 'algebra'], [/^геометр/, 'geometry'], [/^математ/, 'math'], [/^информат/, 'informatics'],
  [/^истори/, 'history'], [/^обществозн/, 'social'], [/^географ/, 'geography'], [/^биолог/, 'biology'], [/^хими/, 'chemistry'],
  [/^физическ|^физкульт/, 'pe'], [/^физик/, 'physics'], [/^технолог|^труд/, 'technology'], [/^музык/, 'music'],
  [/^изобраз|^изо$/, 'art'], [/^основы безопасн|^обж|^обзр/, 'obzh'], [/^окружающ/, 'world'],
];

function codeOf(name: string): SubjectCode {
  const s = name.toLowerCase().replace(/ё/g, 'е');
  return CODES.find(([re]) => re.test(s))?.[1] ?? 'other';
}

/** A subject's short name when the file gives none: the name itself, cut to the op's 24 characters. */
const shortOf = (name: string) => (name.length <= 24 ? name : `${name.slice(0, 23)}.`);

export function planCurriculum(p: Planner, rows: DataRow[]): void {
  const s = p.s;
  const y = s.year!;
  const seen = new Map<string, number>();
  const newSubjects = new Map<string, { id: string; row: number }>();
  const groupByName = new Map(s.groups.map((g) => [nameKey(g.name), g]));
  const subjectByName = new Map(s.subjects.map((x) => [nameKey(x.name), x]));
  const changedSubjects = new Set<string>();
  const classGroups = new Map<string, GroupRow>();
  for (const r of rows) {
    const before = p.errors.length;
    const groupRaw = clean(r.get('group'));
    let grp: GroupRow | undefined = groupByName.get(nameKey(groupRaw));
    let classWithoutGroup: ClassRow | undefined;
    if (!grp && groupRaw) {
      const cn = parseClassName(groupRaw);
      const cls = cn && s.classes.find((c) => c.grade === cn.grade && c.letter.toUpperCase() === cn.letter);
      grp = cls ? s.groups.find((g) => g.kind === 'class' && g.classId === cls.id) ?? classGroups.get(cls.id) : undefined;
      if (cls && !grp) classWithoutGroup = cls;
    }
    if (!groupRaw) p.error(r.row, 'group', 'укажите класс или группу');
    else if (!grp && !classWithoutGroup) p.error(r.row, 'group', `класса или группы «${groupRaw}» нет в текущем учебном году; есть: ${s.groups.map((g) => g.name).slice(0, 30).join(', ') || 'ничего'}`);
    const subjectName = clean(r.get('subject'));
    if (!subjectName) p.error(r.row, 'subject', 'укажите предмет');
    const hours = parseHours(r.get('hours'));
    if (!hours.ok) p.error(r.row, 'hours', hours.message);
    const teacher = r.get('teacher') ? p.findStaff(r.row, 'teacher', r.get('teacher')) : undefined;
    if (p.errors.length > before || !hours.ok) continue;
    const changes: string[] = [];
    if (classWithoutGroup) {
      // The whole class's courses hang on its «class» group: a class that has none gets it now.
      const label = className(classWithoutGroup);
      const made = { id: p.o.newId(), yearId: y.id, name: label, kind: 'class' as const, classId: classWithoutGroup.id };
      if (!p.emit(r.row, 'group.set', made, {}, 'group')) continue;
      grp = made;
      classGroups.set(classWithoutGroup.id, grp);
      changes.push(`заводится группа «${label}» для учебного плана всего класса`);
    }
    if (!grp) continue;

    // ── the subject ──
    const existingSubject = subjectByName.get(nameKey(subjectName));
    const short = clean(r.get('short'));
    let subjectId = existingSubject?.id ?? newSubjects.get(nameKey(subjectName))?.id;
    if (!subjectId) {
      subjectId = p.o.newId();
      newSubjects.set(nameKey(subjectName), { id: subjectId, row: r.row });
      if (!p.emit(r.row, 'subject.set', { id: subjectId, name: subjectName, short: short || shortOf(subjectName), code: codeOf(subjectName) }, { name: 'subject', short: 'short' }, 'subject')) continue;
    } else if (existingSubject && short && short !== existingSubject.short && !changedSubjects.has(existingSubject.id)) {
      changedSubjects.add(existingSubject.id);
      if (!p.emit(r.row, 'subject.set', { id: existingSubject.id, name: existingSubject.name, short, code: existingSubject.code as SubjectCode }, { short: 'short' }, 'short')) continue;
      noteChange(changes, `сокращение предмета «${existingSubject.name}»`, existingSubject.short, short);
    }

    // ── the course ──
    const key = `${grp.id}|${subjectId}`;
    if (seen.has(key)) {
      p.error(r.row, 'subject', `«${grp.name} — ${subjectName}» указано дважды: строки ${seen.get(key)} и ${r.row}`);
      continue;
    }
    seen.set(key, r.row);
    const existing = s.courses.find((c) => c.groupId === grp.id && c.subjectId === subjectId);
    const teacherId = r.has('teacher') ? teacher?.id : existing?.teacherId ?? undefined;
    if (existing) {
      noteChange(changes, 'часов в неделю', showHours(existing.hoursPerWeek), showHours(hours.value));
      noteChange(changes, 'учитель', p.staffLabel(existing.teacherId), p.staffLabel(teacherId));
    }
    const courseChanged = !existing || existing.hoursPerWeek !== hours.value || (existing.teacherId ?? undefined) !== teacherId;
    if (courseChanged && !p.emit(r.row, 'course.set', { id: existing?.id ?? p.o.newId(), yearId: y.id, groupId: grp.id, subjectId, ...(teacherId ? { teacherId } : {}), hoursPerWeek: hours.value }, { hoursPerWeek: 'hours', teacherId: 'teacher' }, 'subject')) continue;
    p.item(r.row, !!existing, `${grp.name} — ${existingSubject?.name ?? subjectName}, ${showHours(hours.value)} ч в неделю`, changes);
  }
}
