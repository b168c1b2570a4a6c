import { describe, it, expect } from 'vitest';
import { checkDistanceAbsence, checkDistanceTopic, distanceTopic } from './distance';

describe('R-DISTANCE: distance-learning days', () => {
  it('writes the topic followed by «дистанционное обучение, приказ № …» (п. 8.1)', () => {
    expect(distanceTopic('Сложение дробей.', '№ 15')).toBe('Сложение дробей. Дистанционное обучение, приказ № 15');
  });

  it('accepts such a topic (п. 8.1)', () => {
    expect(checkDistanceTopic({ kind: 'distance', topic: 'Сложение дробей. Дистанционное обучение, приказ № 15' }).level).toBe('ok');
    expect(checkDistanceTopic({ kind: 'distance', topic: 'Сложение дробей; дистанционное обучение, № 15-о' }).level).toBe('ok');
  });

  it('warns about a topic without the note, or with the note and no topic (п. 8.1)', () => {
    const v = checkDistanceTopic({ kind: 'distance', topic: 'Сложение дробей' });
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-DISTANCE', clause: 'п. 8.1' });
    expect(checkDistanceTopic({ kind: 'distance', topic: 'Дистанционное обучение, приказ № 15' }).level).toBe('warn');
    expect(checkDistanceTopic({ kind: 'distance', topic: 'Сложение дробей. Дистанционное обучение' }).level).toBe('warn');
  });

  it('refuses «н» for absent students at a distance lesson (п. 8.1)', () => {
    expect(checkDistanceAbsence({ kind: 'distance' }).level).toBe('refuse');
    expect(checkDistanceAbsence({ kind: 'regular' }).level).toBe('ok');
  });
});
