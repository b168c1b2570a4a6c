/** Finding things by what a person types: class names with Latin look-alikes, students, subjects. */
import type { Journal } from '../journal/open';
import { fullName } from '../journal/queries';
import { UserError } from '../errors/user-error';

/** Latin letters that look like Cyrillic ones on a class sign: 5A → 5А, 10B → 10В. */
const LOOKALIKES: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У' };
/** Letters by keyboard position, for a class typed on the wrong layout: 5F → 5А. */
const LAYOUT: Record<string, string> = { F: 'А', D: 'В', ',': 'Б', U: 'Г', L: 'Д', T: 'Е', P: 'З', B: 'И', R: 'К' };

export function normaliseClassName(raw: string): string {
  const s = raw.trim().toUpperCase().replace(/\s+/g, '').replace(/[-«»"']/g, '');
  return s.replace(/[A-Z]/g, (ch) => LOOKALIKES[ch] ?? ch);
}

export interface ClassRow { id: string; name: string; grade: number; letter: string; yearId: string }

export function listClasses(j: Journal): ClassRow[] {
  return j.stmt(`SELECT id, grade || letter AS name, grade, letter, year_id AS yearId FROM class ORDER BY grade, letter`).all() as ClassRow[];
}

export function resolveClass(j: Journal, raw: string): ClassRow {
  const classes = listClasses(j);
  const wanted = normaliseClassName(raw);
  const hit = classes.filter((c) => c.name.toUpperCase() === wanted);
  if (hit.length === 1) return hit[0]!;
  const viaLayout = raw.trim().toUpperCase().replace(/[A-Z,]/g, (ch) => LAYOUT[ch] ?? ch);
  const guess = classes.find((c) => c.name.toUpperCase() === viaLayout);
  const near = guess ?? classes.find((c) => c.name.startsWith(wanted.replace(/\D/g, '')));
  throw new UserError(`Класс «${raw}» не найден.${near ? ` Возможно, вы имели в виду «${near.name}»?` : ''} Классы: ${classes.map((c) => c.name).join(', ') || 'нет'}`);
}

type StudentRow = { id: string; lastName: string; firstName: string; middleName: string | null; classId: string | null };

export function resolveStudent(j: Journal, raw: string, classId?: string): { id: string; name: string; classId: string | null } {
  const byId = j.stmt('SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName, class_id AS classId FROM student WHERE id = ?').get(raw) as StudentRow | undefined;
  if (byId) return { id: byId.id, name: fullName(byId), classId: byId.classId };
  const words = raw.trim().toLowerCase().replace(/ё/g, 'е').split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UserError('Укажите ученика: фамилию и имя или идентификатор');
  const all = j.stmt('SELECT id, last_name AS lastName, first_name AS firstName, middle_name AS middleName, class_id AS classId FROM student').all() as StudentRow[];
  const hits = all.filter((s) => {
    if (classId && s.classId !== classId) return false;
    const name = fullName(s).toLowerCase().replace(/ё/g, 'е').split(' ');
    return words.every((w, i) => name[i]?.startsWith(w));
  });
  if (hits.length === 1) return { id: hits[0]!.id, name: fullName(hits[0]!), classId: hits[0]!.classId };
  if (hits.length === 0) throw new UserError(`Ученик «${raw}» не найден`);
  throw new UserError(`Под «${raw}» подходят ${hits.length} учеников (${hits.slice(0, 5).map(fullName).join('; ')}${hits.length > 5 ? '; …' : ''}): уточните имя или укажите --class`);
}

export function resolveSubject(j: Journal, raw: string): { id: string; name: string } {
  const all = j.stmt('SELECT id, name, short, code FROM subject').all() as { id: string; name: string; short: string; code: string }[];
  const w = raw.trim().toLowerCase().replace(/ё/g, 'е');
  const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е');
  const exact = all.filter((s) => s.id === raw || norm(s.name) === w || norm(s.short) === w || s.code === w);
  const hits = exact.length ? exact : all.filter((s) => norm(s.name).startsWith(w));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new UserError(`Предмет «${raw}» не найден. Предметы: ${all.map((s) => s.name).join(', ')}`);
  throw new UserError(`Под «${raw}» подходят предметы: ${hits.map((s) => s.name).join(', ')} — уточните`);
}
