import { describe, expect, it } from 'vitest';
import { Mutex } from './mutex';

describe('Mutex', () => {
  it('runs holders one at a time in arrival order, and a failure releases it', async () => {
    const m = new Mutex();
    const seen: string[] = [];
    const slow = (name: string, ms: number) => m.run(async () => {
      seen.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      seen.push(`${name}-`);
      return name;
    });
    const failing = m.run(async () => { seen.push('x'); throw new Error('boom'); });
    const all = Promise.all([slow('a', 20), slow('b', 1)]);
    await expect(failing).rejects.toThrow('boom');
    expect(await all).toEqual(['a', 'b']);
    expect(seen).toEqual(['x', 'a+', 'a-', 'b+', 'b-']);
    expect(m.pending).toBe(0);
  });
});
