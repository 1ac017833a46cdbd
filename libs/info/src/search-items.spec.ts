import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../platform/src/index.js';
import { DisposalRules } from '../../scan/src/index.js';
import { DisposalGuideCatalog } from './disposal-guide-catalog.js';
import { ItemSearchIndex, namesIn } from './item-search-index.js';
import { SearchItems } from './search-items.js';
import { editDistance, normaliseItemName } from './text-similarity.js';

const catalog = new DisposalGuideCatalog(new DisposalRules());
const search = new SearchItems(new ItemSearchIndex(catalog));
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
      guide_key: catalog.forMiddleCategory(middle)!.key,
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

  it('generalises: every taxonomy and rule item, plain, spaced and typo’d, finds its category in the top 3', () => {
    const cases = generalisationCases();
    const misses: string[] = [];
    for (const { query, middle } of cases) {
      if (!middlesFor(query).slice(0, 3).includes(middle))
        misses.push(`${query} → ${middle} (got ${middlesFor(query).slice(0, 3).join(', ')})`);
    }
    const hitRate = 1 - misses.length / cases.length;
    console.log(
      `item search generalisation: ${cases.length - misses.length}/${cases.length} = ${(hitRate * 100).toFixed(1)} %`,
    );
    if (misses.length > 0) console.log(`misses:\n  ${misses.join('\n  ')}`);
    expect(cases.length).toBeGreaterThan(400);
    expect(hitRate).toBeGreaterThanOrEqual(0.95);
  });

  it('generalises to names the index never saw: the character catalogue’s own item wording', () => {
    // data/characters describes each character's items in its own words ("알류미늄캔", "이색병",
    // "과자상자"): a held-out set, since the search index is built without it.
    const file = JSON.parse(readFileSync(dataPath('characters', 'characters.derived.json'), 'utf8')) as {
      characters: { match_label: string; type_label: string }[];
    };
    const cases = file.characters
      .filter((c) => catalog.forMiddleCategory(c.match_label))
      .flatMap((c) =>
        c.type_label
          .split(/[,()]/)
          .map((name) => name.trim())
          .filter((name) => name.length > 0)
          .map((query) => ({ query, middle: c.match_label })),
      );
    const misses = cases.filter(({ query, middle }) => !middlesFor(query).slice(0, 3).includes(middle));
    const hitRate = 1 - misses.length / cases.length;
    console.log(
      `item search held-out: ${cases.length - misses.length}/${cases.length} = ${(hitRate * 100).toFixed(1)} %`,
    );
    if (misses.length > 0) console.log(`misses: ${misses.map((m) => `${m.query} → ${m.middle}`).join('; ')}`);
    expect(cases.length).toBeGreaterThan(40);
    expect(hitRate).toBeGreaterThanOrEqual(0.9);
  });
});

describe('editDistance', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('battery', 'btatery')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops early past the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

/**
 * Queries derived from the data, independent of how the index is built: each taxonomy item (except
 * those the taxonomy marks "배출불가" under a category that refuses them) and each rule document's
 * 대상_품목 entry and 세부_품목 item, as written, with a space inserted, and with a one-key typo.
 */
function generalisationCases(): { query: string; middle: string }[] {
  const cases: { query: string; middle: string }[] = [];
  const addVariants = (name: string, middle: string): void => {
    cases.push({ query: name, middle });
    const compact = name.replace(/\s+/g, '');
    if ([...compact].length >= 2) {
      const chars = [...compact];
      const middleIndex = Math.floor(chars.length / 2);
      cases.push({
        query: `${chars.slice(0, middleIndex).join('')} ${chars.slice(middleIndex).join('')}`,
        middle,
      });
    }
    const typo = oneKeyTypo(compact);
    if (typo) cases.push({ query: typo, middle });
  };
  for (const [, middles] of catalog.taxonomy) {
    for (const [middle, items] of middles) {
      for (const item of items) if (!item.includes('배출불가')) addVariants(item, middle);
    }
  }
  for (const guide of catalog.list()) {
    for (const entry of guide.document.대상_품목) addVariants(entry, guide.middleCategory);
    for (const items of Object.values(guide.document.세부_품목)) {
      for (const item of items) addVariants(item, guide.middleCategory);
    }
  }
  return cases;
}

/**
 * One realistic typo: in Hangul, the vowel of the middle syllable swapped for its neighbour
 * (ㅔ↔ㅐ and the like, one jamo); in Latin text, two middle letters transposed. Names too short
 * for a typo to stay recognisable (under three syllables / four letters) get none.
 */
function oneKeyTypo(name: string): string | undefined {
  const chars = [...name];
  const hangul = chars.map((c, i) => ({ c, i })).filter(({ c }) => /[가-힣]/.test(c));
  if (hangul.length >= 3) {
    const { c, i } = hangul[Math.floor(hangul.length / 2)];
    const [lead, vowel, tail = ''] = [...c.normalize('NFD')];
    const swapped = String.fromCharCode(vowel.charCodeAt(0) === 0x1175 ? 0x1174 : vowel.charCodeAt(0) + 1);
    chars[i] = `${lead}${swapped}${tail}`.normalize('NFC');
    return chars.join('');
  }
  const letters = normaliseItemName(name);
  if (/^[a-z0-9]{4,}$/.test(letters)) {
    const m = Math.floor(letters.length / 2);
    return letters.slice(0, m - 1) + letters[m] + letters[m - 1] + letters.slice(m + 1);
  }
  return undefined;
}

describe('namesIn', () => {
  it('splits labelled lists and keeps short parenthetical aliases', () => {
    expect(namesIn('1차전지 : 수은전지, 리튬1차전지, 망간전지 등')).toEqual(
      expect.arrayContaining(['1차전지', '수은전지', '리튬1차전지', '망간전지']),
    );
    expect(namesIn('무색페트병(물병)')).toEqual(expect.arrayContaining(['무색페트병', '물병']));
  });
});
