import { describe, expect, it } from 'vitest';
import { addressKey, HashGate, LoginThrottle, type Reserve } from './throttle';

const ok = (r: Reserve) => {
  if (!r.ok) throw new Error(`refused by ${r.by} for ${r.retryAfter} s`);
  return r.reservation;
};

describe('LoginThrottle', () => {
  it('counts a reservation as a failure at once, so parallel attempts cannot pass the pair limit (R-ACCOUNTS)', () => {
    const th = new LoginThrottle({}, () => 1_000_000);
    const held = Array.from({ length: 5 }, () => ok(th.reserve('teacher', '10.0.0.1')));
    const sixth = th.reserve('teacher', '10.0.0.1');
    expect(sixth).toMatchObject({ ok: false, by: 'pair', retryAfter: 900 });
    // A right password releases its reservation: the slot is free again.
    th.succeed(held[0]!);
    expect(th.reserve('teacher', '10.0.0.1').ok).toBe(true);
  });

  it('locks the login+address pair for 15 min after 5 failures, not the owner at another address', () => {
    let t = 0;
    const th = new LoginThrottle({}, () => t);
    for (let i = 0; i < 5; i++) {
      th.fail(ok(th.reserve('teacher', '203.0.113.7')));
      t += 1000;
    }
    expect(th.retryAfter('teacher', '203.0.113.7')).toBe(900 - 5);
    expect(th.retryAfter('teacher', '198.51.100.2')).toBe(0);
    expect(th.reserve('teacher', '198.51.100.2').ok).toBe(true);
    t += 900_000;
    expect(th.retryAfter('teacher', '203.0.113.7')).toBe(0);
  });

  it('backs a login off exponentially after 10 failures from many addresses, capped at 15 min', () => {
    let t = 0;
    const th = new LoginThrottle({}, () => t);
    for (let i = 0; i < 10; i++) th.fail(ok(th.reserve('director', `192.0.2.${i}`)));
    const waits: number[] = [];
    for (let i = 10; i < 24; i++) {
      const r = th.reserve('director', `192.0.2.${i}`);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.by).toBe('login');
      waits.push(r.retryAfter);
      t += r.retryAfter * 1000;
      th.fail(ok(th.reserve('director', `192.0.2.${i}`)));
    }
    expect(waits.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 64]);
    expect(Math.max(...waits)).toBe(900);
    expect(waits.at(-1)).toBe(900);
    // An hour with no failure and the login is forgotten.
    t += 15 * 60_000 + 3_600_000;
    expect(th.retryAfter('director', '192.0.2.200')).toBe(0);
  });

  it('lets a school behind one NAT fail 99 times across its logins, and stops it at 100', () => {
    const th = new LoginThrottle({}, () => 0);
    for (let i = 0; i < 99; i++) th.fail(ok(th.reserve(`pupil${i}`, '100.64.0.1')));
    expect(th.reserve('teacher', '100.64.0.1').ok).toBe(true);
    expect(th.reserve('deputy', '100.64.0.1')).toMatchObject({ ok: false, by: 'address', retryAfter: 900 });
  });

  it('counts an IPv6 host by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    const th = new LoginThrottle({}, () => 0);
    for (let i = 0; i < 5; i++) th.fail(ok(th.reserve('teacher', `2001:db8:1:2::${i + 1}`)));
    expect(th.reserve('teacher', '2001:db8:1:2::99')).toMatchObject({ ok: false, by: 'pair' });
  });

  it('treats a login the same in any case, so case does not multiply the attempts', () => {
    const th = new LoginThrottle({}, () => 0);
    for (const login of ['teacher', 'Teacher', 'TEACHER', 'teacheR', 'tEacher']) th.fail(ok(th.reserve(login, '10.0.0.1')));
    expect(th.reserve('TeAcHeR', '10.0.0.1').ok).toBe(false);
  });

  it('stays within maxKeys per table', () => {
    let t = 0;
    const th = new LoginThrottle({ maxKeys: 10 }, () => t++);
    for (let i = 0; i < 500; i++) th.fail(ok(th.reserve(`x${i}`, `10.0.${i >> 8}.${i & 255}`)));
    expect(th.size).toEqual({ pairs: 10, addresses: 10, logins: 10 });
  });
});

describe('HashGate', () => {
  it('lets `limit` in, queues `queue` more, and refuses the rest at once', async () => {
    const gate = new HashGate(2, 1);
    const a = gate.enter();
    const b = gate.enter();
    const c = gate.enter();
    expect(gate.enter()).toBeUndefined();
    expect(gate.inFlight).toBe(2);
    let cIn = false;
    void c!.then(() => { cIn = true; });
    (await a!)();
    await Promise.resolve();
    await Promise.resolve();
    expect(cIn).toBe(true);
    expect(gate.inFlight).toBe(2);
    (await b!)();
    (await c!)();
    expect(gate.inFlight).toBe(0);
  });
});
