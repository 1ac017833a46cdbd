import { readFileSync } from 'node:fs';
import { dataPath } from '#platform';
import type { DisposalRules } from '../disposal-rules.js';
import { normaliseItemName } from '../text-similarity.js';
import type { WasteTaxonomy } from '../waste-taxonomy.js';

/** A query and the middle category it must find. */
export interface ItemSearchCase {
  query: string;
  middle: string;
}

/**
 * Queries derived from the data, independent of how the matcher's index is built: each taxonomy
 * item (except those the taxonomy marks "배출불가" under a category that refuses them) and each rule
 * document's 대상_품목 entry and 세부_품목 item, as written, with a space inserted, and with a
 * one-key typo.
 */
export function generalisationCases(rules: DisposalRules, taxonomy: WasteTaxonomy): ItemSearchCase[] {
  const cases: ItemSearchCase[] = [];
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
  for (const { middle, items } of taxonomy.middles) {
    for (const item of items) if (!item.includes('배출불가')) addVariants(item, middle);
  }
  for (const rule of rules.list()) {
    for (const entry of rule.document.대상_품목) addVariants(entry, rule.middleCategory);
    for (const items of Object.values(rule.document.세부_품목)) {
      for (const item of items) addVariants(item, rule.middleCategory);
    }
  }
  return cases;
}

/**
 * Names the matcher never saw: data/characters describes each character's items in its own words
 * ("알류미늄캔", "이색병", "과자상자"), and the index is built without that file.
 */
export function heldOutCases(rules: DisposalRules): ItemSearchCase[] {
  const file = JSON.parse(readFileSync(dataPath('characters', 'characters.derived.json'), 'utf8')) as {
    characters: { match_label: string; type_label: string }[];
  };
  return file.characters
    .filter((c) => rules.forMiddleCategory(c.match_label))
    .flatMap((c) =>
      c.type_label
        .split(/[,()]/)
        .map((name) => name.trim())
        .filter((name) => name.length > 0)
        .map((query) => ({ query, middle: c.match_label })),
    );
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
