import { describe, it, expect } from 'vitest';
import { checkHomeSchooling } from './home-schooling';

describe('R-HOME: home schooling', () => {
  it('refuses a home-schooled student’s mark at a class lesson (п. 8.2)', () => {
    const v = checkHomeSchooling({ kind: 'regular' }, { homeSchooling: true });
    expect(v.level).toBe('refuse');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-HOME', clause: 'п. 8.2' });
    expect(v.findings[0]?.message).toContain('Обучение на дому');
  });

  it('accepts a home-schooled student’s mark at a home-schooling lesson (п. 8.2)', () => {
    expect(checkHomeSchooling({ kind: 'home' }, { homeSchooling: true }).level).toBe('ok');
  });

  it('refuses another student at a home-schooling lesson (п. 8.2)', () => {
    expect(checkHomeSchooling({ kind: 'home' }, { homeSchooling: false }).level).toBe('refuse');
  });

  it('accepts an ordinary student at a class lesson', () => {
    expect(checkHomeSchooling({ kind: 'regular' }, { homeSchooling: false }).level).toBe('ok');
  });

  it('says «Пропуски» for absences', () => {
    expect(checkHomeSchooling({ kind: 'regular' }, { homeSchooling: true }, 'absence').findings[0]?.message).toMatch(/^Пропуски/);
  });
});
