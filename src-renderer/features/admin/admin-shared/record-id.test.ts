import { describe, expect, it } from 'vitest';
import { newRecordId } from './record-id';

describe('newRecordId', () => {
  it('joins the prefix and the first eight signs of a UUID with a dash', () => {
    expect(newRecordId('e', () => '1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe('e-1b4e28ba');
  });

  it('makes ids within the op id alphabet, different each time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newRecordId('breach')));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^breach-[0-9a-f]{8}$/);
  });

  it('refuses a prefix the op id alphabet does not allow', () => {
    expect(() => newRecordId('ученик')).toThrow(/префикс/);
  });
});
