import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './throttle';

describe('LoginThrottle', () => {
  it('refuses after max failures until the oldest leaves the window, per key', () => {
    let t = 1_000_000;
    const th = new LoginThrottle({ perLogin: { max: 3, windowMs: 60_000 }, perAddress: { max: 5, windowMs: 60_000 } }, () => t);
    const keys = ['login:teacher', 'ip:10.0.0.1'];
    for (let i = 0; i < 3; i++) {
      expect(th.retryAfter(keys)).toBe(0);
      th.fail(keys);
      t += 1000;
    }
    expect(th.retryAfter(keys)).toBe(57);
    expect(th.retryAfter(['login:other', 'ip:10.0.0.1'])).toBe(0);
    t += 57_000;
    expect(th.retryAfter(keys)).toBe(0);
  });

  it('counts failures per address across logins', () => {
    let t = 0;
    const th = new LoginThrottle({ perLogin: { max: 100, windowMs: 60_000 }, perAddress: { max: 2, windowMs: 60_000 } }, () => t);
    th.fail(['login:a', 'ip:x']);
    th.fail(['login:b', 'ip:x']);
    t += 10;
    expect(th.retryAfter(['login:c', 'ip:x'])).toBe(60);
    expect(th.retryAfter(['login:c', 'ip:y'])).toBe(0);
  });

  it('forgets a login\'s failures after a success and stays bounded', () => {
    const th = new LoginThrottle({ perLogin: { max: 1, windowMs: 60_000 }, perAddress: { max: 1000, windowMs: 60_000 }, maxKeys: 10 }, () => 5);
    th.fail(['login:a']);
    expect(th.retryAfter(['login:a'])).toBeGreaterThan(0);
    th.succeed('login:a');
    expect(th.retryAfter(['login:a'])).toBe(0);
    for (let i = 0; i < 50; i++) th.fail([`login:x${i}`]);
    expect((th as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(10);
  });
});
