/**
 * The weekly timetable of the demo school, found by simulated annealing.
 *
 * Hard: no teacher in two places at once (also against fixed lessons such as the elective or
 * home-schooling lessons); every class's day is a block of lessons 1…n without gaps, n within the
 * grade's bounds. Soft: a subject at most once a day (twice costs a little, three times a lot).
 * Moves: swap two lessons of one class; move a lesson to the end of another day of the class.
 */
import type { Rng } from './prng';

export interface TtUnit { courseId: string; teacherId: string | undefined; subject: string }

export interface TtClass {
  key: string;
  min: number;
  /** Maximum lessons on each weekday (Mon…Fri). */
  max: readonly number[];
  /** One entry per weekly lesson. */
  units: readonly TtUnit[];
}

/** A teacher busy outside the class timetable (0 = Monday, number = lesson number 1…8). */
export interface TtFixed { teacherId: string; day: number; number: number }

/** Per class: five days, each the course ids of lessons 1…n. */
export type Timetable = Map<string, string[][]>;

const DAYS = 5;
const SLOTS = 8;
const W_TEACHER = 20;

export function solveTimetable(classes: readonly TtClass[], fixed: readonly TtFixed[], rng: Rng): Timetable {
  for (let attempt = 0; attempt < 6; attempt++) {
    const r = anneal(classes, fixed, rng.fork(`attempt-${attempt}`));
    if (r) return r;
  }
  throw new Error('Не удалось составить расписание без накладок учителей: проверьте нагрузку');
}

function anneal(classes: readonly TtClass[], fixed: readonly TtFixed[], rng: Rng): Timetable | undefined {
  const teacherIdx = new Map<string, number>();
  const subjIdx = new Map<string, number>();
  const unitT: number[] = [];
  const unitS: number[] = [];
  const unitCourse: string[] = [];
  const classUnits: number[][] = [];
  for (const c of classes) {
    const list: number[] = [];
    for (const u of c.units) {
      let t = -1;
      if (u.teacherId !== undefined) {
        t = teacherIdx.get(u.teacherId) ?? teacherIdx.size;
        teacherIdx.set(u.teacherId, t);
      }
      const s = subjIdx.get(u.subject) ?? subjIdx.size;
      subjIdx.set(u.subject, s);
      list.push(unitT.length);
      unitT.push(t);
      unitS.push(s);
      unitCourse.push(u.courseId);
    }
    classUnits.push(list);
  }
  for (const f of fixed) if (!teacherIdx.has(f.teacherId)) teacherIdx.set(f.teacherId, teacherIdx.size);
  const T = teacherIdx.size;
  const S = subjIdx.size;
  const C = classes.length;
  const occ = new Int16Array(T * DAYS * SLOTS);
  const subjDay = new Int16Array(C * DAYS * S);
  for (const f of fixed) occ[(teacherIdx.get(f.teacherId)! * DAYS + f.day) * SLOTS + (f.number - 1)]! += 1;

  // Conflicted teacher slots, kept as a set for conflict-directed moves.
  const conflicts: number[] = [];
  const conflictPos = new Int32Array(T * DAYS * SLOTS).fill(-1);
  let teacherCost = 0;
  const tpen = (x: number) => (x > 1 ? x - 1 : 0);
  const spen = (x: number) => (x > 1 ? (x - 1) * (x - 1) : 0);

  function occAdd(t: number, day: number, k: number, dv: number): number {
    if (t < 0) return 0;
    const i = (t * DAYS + day) * SLOTS + k;
    const before = occ[i]!;
    const after = before + dv;
    occ[i] = after;
    if (before <= 1 && after > 1) {
      conflictPos[i] = conflicts.length;
      conflicts.push(i);
    } else if (before > 1 && after <= 1) {
      const p = conflictPos[i]!;
      const last = conflicts.pop()!;
      if (last !== i) {
        conflicts[p] = last;
        conflictPos[last] = p;
      }
      conflictPos[i] = -1;
    }
    const d = tpen(after) - tpen(before);
    teacherCost += d;
    return d * W_TEACHER;
  }
  function subjAdd(c: number, day: number, s: number, dv: number): number {
    const i = (c * DAYS + day) * S + s;
    const before = subjDay[i]!;
    subjDay[i] = before + dv;
    return spen(before + dv) - spen(before);
  }

  // Initial state: day lengths as even as the bounds allow, lessons shuffled in.
  const days: number[][][] = classes.map((c, ci) => {
    const n = classUnits[ci]!.length;
    const len = new Array<number>(DAYS).fill(0);
    const order = rng.shuffle([0, 1, 2, 3, 4]);
    for (let left = n; left > 0; left--) {
      let best = -1;
      for (const d of order) if (len[d]! < (c.max[d] ?? 0) && (best < 0 || len[d]! < len[best]!)) best = d;
      if (best < 0) throw new Error(`Класс ${c.key}: ${n} уроков в неделю не помещаются в ${c.max.join('+')} уроков по дням`);
      len[best]! += 1;
    }
    const units = rng.shuffle([...classUnits[ci]!]);
    const out: number[][] = [];
    let p = 0;
    for (let d = 0; d < DAYS; d++) out.push(units.slice(p, (p += len[d]!)));
    return out;
  });
  for (let c = 0; c < C; c++) {
    for (let d = 0; d < DAYS; d++) {
      days[c]![d]!.forEach((u, k) => {
        occAdd(unitT[u]!, d, k, 1);
        subjAdd(c, d, unitS[u]!, 1);
      });
    }
  }
  // Teacher → classes they teach, for conflict-directed picks.
  const teacherClasses: number[][] = Array.from({ length: T }, () => []);
  classUnits.forEach((list, c) => {
    for (const u of list) if (unitT[u]! >= 0 && !teacherClasses[unitT[u]!]!.includes(c)) teacherClasses[unitT[u]!]!.push(c);
  });

  const totalUnits = unitT.length;
  const budget = Math.max(400_000, totalUnits * 3000);
  const t0 = 2.5;
  const t1 = 0.03;
  let temp = t0;
  const cool = Math.pow(t1 / t0, 1 / budget);

  const accept = (delta: number) => delta <= 0 || rng.next() < Math.exp(-delta / temp);

  for (let it = 0; it < budget * 3; it++) {
    if (it < budget) temp *= cool;
    else if (teacherCost === 0) break;
    else temp = t1;

    // Pick a class and a first position: a conflicted one half of the time.
    let c: number;
    let d1: number;
    let k1: number;
    if (conflicts.length > 0 && rng.next() < 0.5) {
      const slot = conflicts[Math.floor(rng.next() * conflicts.length)]!;
      const t = Math.floor(slot / (DAYS * SLOTS));
      d1 = Math.floor(slot / SLOTS) % DAYS;
      k1 = slot % SLOTS;
      const cands = teacherClasses[t]!.filter((ci) => {
        const u = days[ci]![d1]![k1];
        return u !== undefined && unitT[u] === t;
      });
      if (cands.length === 0) continue;
      c = cands[Math.floor(rng.next() * cands.length)]!;
    } else {
      c = Math.floor(rng.next() * C);
      d1 = Math.floor(rng.next() * DAYS);
      const l = days[c]![d1]!.length;
      if (l === 0) continue;
      k1 = Math.floor(rng.next() * l);
    }
    const cls = classes[c]!;
    const row1 = days[c]![d1]!;
    if (rng.next() < 0.8) {
      // Swap with another lesson of the class.
      const d2 = Math.floor(rng.next() * DAYS);
      const row2 = days[c]![d2]!;
      if (row2.length === 0) continue;
      const k2 = Math.floor(rng.next() * row2.length);
      if (d1 === d2 && k1 === k2) continue;
      const u1 = row1[k1]!;
      const u2 = row2[k2]!;
      if (unitT[u1] === unitT[u2] && unitS[u1] === unitS[u2]) continue;
      let delta = occAdd(unitT[u1]!, d1, k1, -1) + occAdd(unitT[u2]!, d2, k2, -1) + occAdd(unitT[u1]!, d2, k2, 1) + occAdd(unitT[u2]!, d1, k1, 1);
      if (d1 !== d2) delta += subjAdd(c, d1, unitS[u1]!, -1) + subjAdd(c, d2, unitS[u2]!, -1) + subjAdd(c, d2, unitS[u1]!, 1) + subjAdd(c, d1, unitS[u2]!, 1);
      if (accept(delta)) {
        row1[k1] = u2;
        row2[k2] = u1;
      } else {
        occAdd(unitT[u1]!, d2, k2, -1);
        occAdd(unitT[u2]!, d1, k1, -1);
        occAdd(unitT[u1]!, d1, k1, 1);
        occAdd(unitT[u2]!, d2, k2, 1);
        if (d1 !== d2) {
          subjAdd(c, d2, unitS[u1]!, -1);
          subjAdd(c, d1, unitS[u2]!, -1);
          subjAdd(c, d1, unitS[u1]!, 1);
          subjAdd(c, d2, unitS[u2]!, 1);
        }
      }
    } else {
      // Move the lesson at (d1, k1) to the end of another day; the last lesson of d1 fills the hole.
      const d2 = Math.floor(rng.next() * DAYS);
      const row2 = days[c]![d2]!;
      if (d2 === d1 || row1.length <= cls.min || row2.length >= (cls.max[d2] ?? 0)) continue;
      const u = row1[k1]!;
      const lastK = row1.length - 1;
      const last = row1[lastK]!;
      const k2 = row2.length;
      let delta = occAdd(unitT[u]!, d1, k1, -1) + occAdd(unitT[u]!, d2, k2, 1) + subjAdd(c, d1, unitS[u]!, -1) + subjAdd(c, d2, unitS[u]!, 1);
      if (lastK !== k1) delta += occAdd(unitT[last]!, d1, lastK, -1) + occAdd(unitT[last]!, d1, k1, 1);
      if (accept(delta)) {
        row2.push(u);
        if (lastK !== k1) row1[k1] = last;
        row1.pop();
      } else {
        if (lastK !== k1) {
          occAdd(unitT[last]!, d1, k1, -1);
          occAdd(unitT[last]!, d1, lastK, 1);
        }
        subjAdd(c, d2, unitS[u]!, -1);
        subjAdd(c, d1, unitS[u]!, 1);
        occAdd(unitT[u]!, d2, k2, -1);
        occAdd(unitT[u]!, d1, k1, 1);
      }
    }
  }
  if (teacherCost > 0) return undefined;
  const out: Timetable = new Map();
  classes.forEach((cls, c) => out.set(cls.key, days[c]!.map((row) => row.map((u) => unitCourse[u]!))));
  return out;
}
