/** The classes of the current school year and the year itself, for the methodist's pickers (`setup.get`). */
import { useMemo } from 'react';
import type { Failure } from '../../app/data';
import { useQuery } from '../../app/data';

export interface SchoolClasses {
  status: 'loading' | 'error' | 'ready';
  error: Failure | undefined;
  year: { id: string; starts: string; ends: string } | null;
  classes: { id: string; name: string }[];
}

export function useSchoolClasses(): SchoolClasses {
  const q = useQuery('setup.get', {});
  return useMemo(() => {
    const v = q.value;
    const year = v?.years.find((y) => y.id === v.yearId) ?? null;
    return {
      status: q.status, error: q.error, year,
      classes: v ? v.classes.filter((c) => c.yearId === v.yearId).map((c) => ({ id: c.id, name: c.name })) : [],
    };
  }, [q.status, q.error, q.value]);
}
