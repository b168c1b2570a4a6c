import { describe, expect, it } from 'vitest';
import { Mutex } from './mutex';

describe('Mutex', () => {
  it('runs holders one at a time in arrival order, and a failure releases it', async () => {
    const m = new Mutex();
    const seen: string[] = [];
    // «a» holds the mutex until the test lets it go: «b» must wait however long that takes.
    let aStarted!: () => void;
    const started = new Promise<void>((r) => { aStarted = r; });
    let releaseA!: () => void;
    const released = new Promise<void>((r) => { releaseA = r; });
    const failing = m.run(async () => { seen.push('x'); throw new Error('boom'); });
    const a = m.run(async () => { seen.push('a+'); aStarted(); await released; seen.push('a-'); return 'a'; });
    const b = m.run(async () => { seen.push('b+'); seen.push('b-'); return 'b'; });
    const all = Promise.all([a, b]);
    await expect(failing).rejects.toThrow('boom');
    await started;
    expect(seen).toEqual(['x', 'a+']);
    releaseA();
    expect(await all).toEqual(['a', 'b']);
    expect(seen).toEqual(['x', 'a+', 'a-', 'b+', 'b-']);
    expect(m.pending).toBe(0);
  });
});
