import { describe, expect, it } from 'vitest';
import { DisposalRules, WasteMatcher, WasteTaxonomy } from '#waste';
import { ChatDisposalRules } from './chat-disposal-rules.js';
import { planToolCalls } from './offline-tool-plan.js';

const ALL_TOOLS = new Set([
  'vision',
  'waste_rag',
  'character',
  'location',
  'collection_point',
  'bulk_waste',
  'weather',
  'web_search',
  'image_generation',
  'general',
]);

describe('the offline assistant: rule lookup and keyword intents → tool calls', () => {
  const documents = new DisposalRules();
  const rules = new ChatDisposalRules(documents, new WasteMatcher(documents, new WasteTaxonomy()));
  const plan = (question: string, options: { offered?: Set<string>; hasImage?: boolean } = {}) =>
    planToolCalls({
      question,
      hasImage: options.hasImage ?? false,
      mentionsItem: rules.match(question) !== null,
      mentionsCharacter: question.includes('페티'),
      offered: options.offered ?? ALL_TOOLS,
    }).map((call) => [call.name, call.arguments] as const);

  it('finds the rule document from everyday item words, longest match first', () => {
    expect(rules.match('투명 페트병 어떻게 버려?')?.middle_category).toBe('무색페트병');
    expect(rules.match('소주병은요')?.middle_category).toBe('유리병');
    expect(rules.match('다 쓴 건전지')?.middle_category).toBe('전지');
    expect(rules.match('스티로폼 박스')?.middle_category).toBe('발포합성수지');
    expect(rules.match('오늘 날씨 좋다')).toBeNull();
  });

  it('maps places with an item to collection points of that kind, other places to sites', () => {
    expect(plan('근처에 폐건전지 버릴 곳 있어?')).toEqual([
      ['collection_point', { kind: 'battery' }],
      ['waste_rag', { item: '근처에 폐건전지 버릴 곳 있어?' }],
    ]);
    expect(plan('헌옷 수거함 어디 있어?').map(([name, args]) => [name, args.kind])).toEqual([
      ['collection_point', 'clothing'],
      ['waste_rag', undefined],
    ]);
    expect(plan('주변에 재활용품 팔 수 있는 곳')).toEqual([
      ['location', { kind: 'buyback' }],
      ['waste_rag', { item: '주변에 재활용품 팔 수 있는 곳' }],
    ]);
  });

  it('asks weather and the rule together for a rainy-day question, in one round', () => {
    expect(plan('내일 비 오는데 종이 박스 내놔도 돼?')).toEqual([
      ['weather', {}],
      ['waste_rag', { item: '내일 비 오는데 종이 박스 내놔도 돼?' }],
    ]);
    expect(plan('비닐봉지 어떻게 버려?').map(([name]) => name)).toEqual(['waste_rag']);
  });

  it('sends bulky items, characters, news, search and drawings to their tools', () => {
    expect(plan('소파 버리는 수수료 얼마야?').map(([name]) => name)).toEqual(['bulk_waste']);
    expect(plan('페티는 뭐 좋아해?').map(([name]) => name)).toEqual(['character']);
    expect(plan('요즘 환경 뉴스 알려줘').map(([name]) => name)).toEqual(['general']);
    expect(plan('재활용 마크 인터넷 검색해줘').map(([name]) => name)).toEqual(['web_search', 'waste_rag']);
    expect(plan('분리배출하는 이코 그림 그려줘').map(([name]) => name)).toEqual([
      'image_generation',
      'waste_rag',
    ]);
    expect(plan('이거 뭐야?', { hasImage: true })).toEqual([['vision', {}]]);
    expect(plan('안녕 이코!')).toEqual([]);
  });

  it('plans only tools offered in this turn (outside services without a key are not)', () => {
    const offline = new Set([
      'vision',
      'waste_rag',
      'character',
      'location',
      'collection_point',
      'general',
      'bulk_waste',
    ]);
    expect(plan('내일 비 오는데 종이 박스 내놔도 돼?', { offered: offline }).map(([name]) => name)).toEqual([
      'waste_rag',
    ]);
  });
});
