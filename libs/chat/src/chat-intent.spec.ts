import { describe, expect, it } from 'vitest';
import { DisposalRules, WasteMatcher, WasteTaxonomy } from '../../waste/src/index.js';
import { ChatDisposalRules } from './chat-disposal-rules.js';
import { detectIntent } from './chat-intent.js';

describe('chat intent and rule lookup', () => {
  const documents = new DisposalRules();
  const rules = new ChatDisposalRules(documents, new WasteMatcher(documents, new WasteTaxonomy()));
  const intentOf = (question: string, mentionsCharacter = false) =>
    detectIntent(question, { mentionsItem: rules.match(question) !== null, mentionsCharacter });

  it('finds the rule document from everyday item words, longest match first', () => {
    expect(rules.match('투명 페트병 어떻게 버려?')?.middle_category).toBe('무색페트병');
    expect(rules.match('소주병은요')?.middle_category).toBe('유리병');
    expect(rules.match('다 쓴 건전지')?.middle_category).toBe('전지');
    expect(rules.match('스티로폼 박스')?.middle_category).toBe('발포합성수지');
    expect(rules.match('오늘 날씨 좋다')).toBeNull();
  });

  it('classifies places before characters before disposal, else general', () => {
    expect(intentOf('근처에 건전지 수거함 있어?')).toBe('location');
    expect(intentOf('페트병 캐릭터는 누구야?')).toBe('character');
    expect(intentOf('페티는 뭐 좋아해?', true)).toBe('character');
    expect(intentOf('우유팩 헹궈야 돼?')).toBe('waste');
    expect(intentOf('이거 분리배출 어떻게 해?')).toBe('waste');
    expect(intentOf('안녕 이코!')).toBe('general');
  });
});
