import { describe, it, expect } from 'vitest';
import type { RuleLesson } from './inputs';
import { checkForeignLanguageEntry, checkLessonTopic, checkSafetyInstruction, checkSpeechDevelopmentPrefix, checkTopicPresent, isLatinOnly, topicPrefixes } from './topics';

const lesson = (p: Partial<RuleLesson> = {}): RuleLesson => ({ date: '2024-10-10', number: 2, kind: 'regular', subjectCode: 'math', grade: 7, topic: 'Сложение дробей', ...p });

describe('R-TOPICS: subject prefixes of п. 7.15', () => {
  it('offers «Вн.чт.», «Выр.чт.», «Р.р.» for literature (п. 7.15)', () => {
    expect(topicPrefixes('literature').map((p) => p.prefix)).toEqual(['Вн.чт.', 'Выр.чт.', 'Р.р.']);
  });

  it('offers «Р.р.» for Russian (п. 7.15)', () => {
    expect(topicPrefixes('russian').map((p) => p.prefix)).toEqual(['Р.р.']);
  });

  it('offers «Инструктаж по ТБ» for chemistry, physics, PE and technology (п. 7.15)', () => {
    for (const s of ['chemistry', 'physics', 'pe', 'technology'] as const) expect(topicPrefixes(s).map((p) => p.prefix)).toEqual(['Инструктаж по ТБ']);
  });

  it('offers nothing for mathematics', () => {
    expect(topicPrefixes('math')).toEqual([]);
  });
});

describe('R-TOPICS: checks', () => {
  it('warns about a lesson without a topic (п. 9.5)', () => {
    expect(checkTopicPresent(lesson({ topic: '  ' })).level).toBe('warn');
    expect(checkTopicPresent(lesson()).level).toBe('ok');
  });

  it('warns about an essay topic without «Р.р.» (п. 7.15)', () => {
    expect(checkSpeechDevelopmentPrefix(lesson({ subjectCode: 'literature', workType: 'essay', topic: 'Сочинение по творчеству поэтов «серебряного века»' })).level).toBe('warn');
    expect(checkSpeechDevelopmentPrefix(lesson({ subjectCode: 'literature', workType: 'essay', topic: 'Р.р. Сочинение по творчеству поэтов «серебряного века»' })).level).toBe('ok');
    expect(checkSpeechDevelopmentPrefix(lesson({ subjectCode: 'russian', workType: 'presentation', topic: 'Р.р. Изложение с элементами сочинения' })).level).toBe('ok');
  });

  it('warns about a chemistry laboratory work without the safety instruction (п. 7.15)', () => {
    const v = checkSafetyInstruction(lesson({ subjectCode: 'chemistry', workType: 'laboratory', topic: 'Лабораторная работа № 2. Получение кислорода' }));
    expect(v.level).toBe('warn');
    expect(v.findings[0]).toMatchObject({ requirement: 'R-TOPICS', clause: 'п. 7.15' });
  });

  it('accepts the safety instruction in the topic or in the homework column (п. 7.15)', () => {
    expect(checkSafetyInstruction(lesson({ subjectCode: 'physics', workType: 'laboratory', topic: 'Инструктаж по ТБ. Лабораторная работа № 1' })).level).toBe('ok');
    expect(checkSafetyInstruction(lesson({ subjectCode: 'technology', workType: 'practical', homework: 'Инструктаж по технике безопасности; § 4' })).level).toBe('ok');
    expect(checkSafetyInstruction(lesson({ subjectCode: 'biology', workType: 'laboratory', topic: 'Строение клетки' })).level).toBe('ok');
    expect(checkSafetyInstruction(lesson({ subjectCode: 'pe', workType: 'lesson', topic: 'Бег 60 м' })).level).toBe('ok');
  });

  it('warns about a Latin-only foreign-language topic: entries are in Russian (п. 7.15)', () => {
    const v = checkForeignLanguageEntry(lesson({ subjectCode: 'foreign', topic: 'The definite article' }));
    expect(v.level).toBe('warn');
    expect(v.findings.some((f) => f.message.includes('на русском языке'))).toBe(true);
    expect(isLatinOnly('Present Simple')).toBe(true);
    expect(isLatinOnly('Повторение Present Simple')).toBe(false);
  });

  it('warns about a foreign-language topic without the lesson’s main task (п. 7.15)', () => {
    const v = checkForeignLanguageEntry(lesson({ subjectCode: 'foreign', topic: 'Моя семья' }));
    expect(v.level).toBe('warn');
    expect(v.findings[0]?.message).toContain('основных задач');
  });

  it('accepts a foreign-language topic with the main task (п. 7.15)', () => {
    expect(checkForeignLanguageEntry(lesson({ subjectCode: 'foreign', topic: 'Моя семья. Ознакомление с определённым артиклем' })).level).toBe('ok');
    expect(checkForeignLanguageEntry(lesson({ subjectCode: 'foreign', topic: 'Закрепление лексики по теме «Погода»' })).level).toBe('ok');
  });

  it('warns about a Latin-only foreign-language homework (п. 7.15)', () => {
    expect(checkForeignLanguageEntry(lesson({ subjectCode: 'foreign', topic: 'Повторение лексики', homework: 'Ex. 5 p. 23' })).level).toBe('warn');
  });

  it('runs every topic check, including the extracurricular and distance ones', () => {
    expect(checkLessonTopic(lesson()).level).toBe('ok');
    expect(checkLessonTopic(lesson({ kind: 'distance' })).findings[0]?.requirement).toBe('R-DISTANCE');
    expect(checkLessonTopic(lesson({ kind: 'extracurricular' })).findings.map((f) => f.requirement)).toContain('R-EXTRA');
  });
});
