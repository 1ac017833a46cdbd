import { describe, expect, it } from 'vitest';
import { DisposalRules, WasteMatcher, WasteTaxonomy } from '#waste';
import { SearchItems } from './search-items.js';

const rules = new DisposalRules();
const taxonomy = new WasteTaxonomy();
const search = new SearchItems(new WasteMatcher(rules, taxonomy));
const middlesFor = (query: string): string[] => search.execute(query).results.map((r) => r.middle_category);

describe('item search (acceptance 5)', () => {
  it.each([
    ['페트병', '무색페트병'],
    ['투명 페트병', '무색페트병'],
    ['투명페트병', '무색페트병'],
    ['건전지', '전지'],
    ['형광등', '조명제품'],
    ['스티로폼', '발포합성수지'],
    ['pizza box', '종이'],
    ['battery', '전지'],
    ['Pizza  Box', '종이'],
    ['milk carton', '종이팩'],
    ['light bulb', '조명제품'],
    ['can', '금속류'],
    ['styrofoam', '발포합성수지'],
    ['pet bottle', '무색페트병'],
  ])('puts %s first in %s, with its guide', (query, middle) => {
    const [best] = search.execute(query).results;
    expect(best).toMatchObject({
      middle_category: middle,
      guide_key: rules.forMiddleCategory(middle)!.key,
    });
  });

  it('tolerates small typos and missing spaces', () => {
    expect(middlesFor('패트병')[0]).toBe('무색페트병');
    expect(middlesFor('스치로폼')[0]).toBe('발포합성수지');
    expect(middlesFor('형광둥')[0]).toBe('조명제품');
    expect(middlesFor('batery')[0]).toBe('전지');
    expect(middlesFor('리튬 이온 전지')[0]).toBe('전지');
  });

  it('ranks exact over prefix over contains over fuzzy, one result per category', () => {
    const results = search.execute('페트병').results;
    expect(results[0].score).toBe(1);
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
    expect(new Set(results.map((r) => r.guide_key)).size).toBe(results.length);
    const [prefix] = search.execute('알루미').results;
    expect(prefix).toMatchObject({ middle_category: '금속류' });
    expect(prefix.score).toBeGreaterThan(0.8);
    expect(prefix.score).toBeLessThan(1);
  });

  it('sends items a rule refuses to the category that takes them', () => {
    expect(middlesFor('유색 페트병')[0]).toBe('플라스틱류');
    expect(middlesFor('영수증')[0]).toBe('일반종량제폐기물');
    expect(middlesFor('거울')[0]).toBe('불연성종량제폐기물');
  });

  it('answers nothing rather than noise for an unrelated word', () => {
    expect(search.execute('우주정거장').results).toEqual([]);
  });
  // The figures (every data item plain, spaced and typo'd; the held-out names) are the matcher's:
  // libs/waste/src/waste-matcher.spec.ts.
});
