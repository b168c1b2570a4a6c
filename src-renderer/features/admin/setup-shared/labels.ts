/** Russian names of the set-up vocabulary (src-shared/domain/school.ts keeps the codes). */
import type { GroupKind, Level, PeriodScheme, SubjectCode } from '../../../../src-shared/domain/school';

export const LEVEL_LABELS: Record<Level, string> = {
  NOO: 'НОО — начальное общее (1–4 классы)',
  OOO: 'ООО — основное общее (5–9 классы)',
  SOO: 'СОО — среднее общее (10–11 классы)',
};
export const LEVEL_SHORT: Record<Level, string> = { NOO: 'НОО', OOO: 'ООО', SOO: 'СОО' };

export const SCHEME_LABELS: Record<PeriodScheme, string> = { quarters: 'четверти', trimesters: 'триместры', halves: 'полугодия' };
/** How many periods a scheme has (the op allows numbers 1–4). */
export const SCHEME_SIZE: Record<PeriodScheme, number> = { quarters: 4, trimesters: 3, halves: 2 };

export const GROUP_KIND_LABELS: Record<GroupKind, string> = {
  class: 'весь класс',
  subgroup: 'подгруппа',
  profile: 'профильная группа',
  elective: 'элективный курс',
  club: 'кружок',
  project: 'проектная группа',
};

export const SUBJECT_CODE_LABELS: Record<SubjectCode, string> = {
  russian: 'русский язык', literature: 'литература', foreign: 'иностранный язык', math: 'математика', algebra: 'алгебра',
  geometry: 'геометрия', informatics: 'информатика', history: 'история', social: 'обществознание', geography: 'география',
  biology: 'биология', chemistry: 'химия', physics: 'физика', pe: 'физическая культура', technology: 'труд (технология)',
  music: 'музыка', art: 'изобразительное искусство', obzh: 'ОБЗР', world: 'окружающий мир', reading: 'литературное чтение',
  native: 'родной язык и литература', other: 'другой предмет',
};

const ROMAN = ['I', 'II', 'III', 'IV'];
const SCHEME_WORD: Record<PeriodScheme, string> = { quarters: 'четверть', trimesters: 'триместр', halves: 'полугодие' };
/** «II четверть» */
export const periodName = (scheme: PeriodScheme, n: number) => `${ROMAN[n - 1] ?? n} ${SCHEME_WORD[scheme]}`;

/** «Иванова А. П.» */
export const staffShort = (s: { lastName: string; firstName: string; middleName: string | null }) =>
  `${s.lastName} ${s.firstName.slice(0, 1)}.${s.middleName ? ` ${s.middleName.slice(0, 1)}.` : ''}`;
