import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePayload, encodePayload, packPayload } from './pack';
import { payloads } from './kinds';

describe('compact payload encoding', () => {
  it('drops key names: a mark op packs to positional arrays', () => {
    expect(packPayload('mark.set', { lessonId: 'l1', marks: [{ studentId: 's1', value: '5' }] })).toEqual([3, 'l1', [[3, 's1', '5']]]);
  });

  it('keeps null apart from absent (lesson.update clears a field with null)', () => {
    const p = { id: 'l1', topic: null, homework: 'упр. 5' };
    const back = decodePayload('lesson.update', encodePayload('lesson.update', p));
    expect(back).toEqual(p);
    expect('ktpId' in back).toBe(false);
  });

  it('leaves unions (correction targets, audiences) as they are and round-trips them', () => {
    const p = payloads['correction.request'].parse({ id: 'c1', target: { kind: 'mark', lessonId: 'l', studentId: 's' }, value: '4', reason: 'ошибка' });
    expect(decodePayload('correction.request', encodePayload('correction.request', p))).toEqual(p);
  });

  it('reads payloads stored as plain JSON objects by earlier versions', () => {
    expect(decodePayload('mark.set', '{"lessonId":"l1","marks":[{"studentId":"s1","value":"5"}]}')).toEqual({ lessonId: 'l1', marks: [{ studentId: 's1', value: '5' }] });
  });

  it('round-trips any valid mark and attendance payload (property, seeded)', () => {
    const id = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const mark = fc.record({ studentId: id, value: fc.constantFrom('5', '4', '3', '2', '1', '5/4'), column: fc.option(fc.constantFrom('main', 'reading'), { nil: undefined }), workType: fc.option(fc.constantFrom('oral', 'control'), { nil: undefined }), comment: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) }, { requiredKeys: ['studentId', 'value'] });
    fc.assert(fc.property(id, fc.array(mark, { minLength: 1, maxLength: 30 }), (lessonId, marks) => {
      const p = payloads['mark.set'].parse({ lessonId, marks });
      const text = encodePayload('mark.set', p);
      expect(decodePayload('mark.set', text)).toEqual(p);
      expect(text.length).toBeLessThanOrEqual(JSON.stringify(p).length);
    }), { seed: 7, numRuns: 300 });
  });
});
