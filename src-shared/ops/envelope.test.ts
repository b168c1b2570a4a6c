import { describe, expect, it } from 'vitest';
import type { OpError} from './envelope';
import { hlcInstant, nextHlc, parseOp } from './envelope';

const good = { device: 'dev1', seq: 1, author: 'acc', kind: 'mark.set', version: 1, payload: { lessonId: 'l', marks: [{ studentId: 's', value: '5' }] }, hlc: '2026-09-10T10:00:00.000Z-0000' };

describe('op envelope', () => {
  it('parses a valid op', () => {
    expect(parseOp(good).kind).toBe('mark.set');
  });
  it('refuses an unknown kind, a newer version, a broken envelope and a bad payload', () => {
    const code = (raw: unknown) => { try { parseOp(raw); return 'ok'; } catch (e) { return (e as OpError).code; } };
    expect(code({ ...good, kind: 'mark.explode' })).toBe('unknown_kind');
    expect(code({ ...good, version: 99 })).toBe('unsupported_version');
    expect(code({ ...good, seq: 0 })).toBe('bad_envelope');
    expect(code({ ...good, hlc: 'yesterday' })).toBe('bad_envelope');
    expect(code({ ...good, payload: { lessonId: 'l', marks: [{ studentId: 's', value: '7' }] } })).toBe('bad_payload');
  });
  it('keeps the hybrid clock monotonic when the wall clock goes back', () => {
    const a = nextHlc(null, Date.parse('2026-09-10T10:00:00Z'));
    const b = nextHlc(a, Date.parse('2025-01-01T00:00:00Z'));
    const c = nextHlc(b, Date.parse('2026-09-10T10:00:00Z'));
    expect(b > a && c > b).toBe(true);
    expect(hlcInstant(b)).toBe('2026-09-10T10:00:00.000Z');
    expect(nextHlc(c, Date.parse('2026-09-10T10:00:01Z'))).toBe('2026-09-10T10:00:01.000Z-0000');
  });
});
