import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../../platform/src/index.js';
import type { ItemSearchResultDto, ItemSearchResponseDto } from './dto/item-search.dto.js';
import { ItemSearchIndex, type ItemSearchEntry } from './item-search-index.js';
import { editDistance, normaliseItemName, toJamo, typoBudget } from './text-similarity.js';

const MAX_RESULTS = 10;

/** Match strength bands: any exact match outranks any prefix match, and so on down to fuzzy. */
const EXACT = 1;
const PREFIX = 0.8;
const CONTAINS = 0.6;
const FUZZY = 0.4;
const BAND_WIDTH = 0.19;

interface ScoredEntry {
  entry: ItemSearchEntry;
  score: number;
}

/**
 * `GET /info/search`: an everyday item name → the categories it belongs to and their guide, best
 * first, one result per category (the category's best-matching item), so the top results are
 * distinct answers rather than near-duplicates of one.
 */
@Injectable()
export class SearchItems {
  constructor(private readonly index: ItemSearchIndex) {}

  execute(query: string): ItemSearchResponseDto {
    const normalised = normaliseItemName(query);
    if (normalised === '') {
      throw new ValidationFailed([{ field: 'q', message: 'q must contain letters or digits' }]);
    }
    const jamo = toJamo(normalised);
    const bestPerCategory = new Map<string, ScoredEntry>();
    for (const entry of this.index.entries) {
      const score = scoreMatch(normalised, jamo, entry);
      if (score === 0) continue;
      const current = bestPerCategory.get(entry.guide.key);
      if (!current || isBetter({ entry, score }, current))
        bestPerCategory.set(entry.guide.key, { entry, score });
    }
    const results: ItemSearchResultDto[] = [...bestPerCategory.values()]
      .sort((a, b) => (isBetter(a, b) ? -1 : isBetter(b, a) ? 1 : 0))
      .slice(0, MAX_RESULTS)
      .map(({ entry, score }) => ({
        major_category: entry.guide.majorCategory,
        middle_category: entry.guide.middleCategory,
        item: entry.item,
        guide_key: entry.guide.key,
        score: Math.round(score * 1000) / 1000,
      }));
    return { query, results };
  }
}

function isBetter(a: ScoredEntry, b: ScoredEntry): boolean {
  if (a.score !== b.score) return a.score > b.score;
  return a.entry.normalised.length < b.entry.normalised.length;
}

/**
 * 0 when the entry does not match. Within a band the score rises with how much of the name the
 * query covers (prefix, contains) or falls with the edit distance (fuzzy), so "shorter distance
 * first" holds inside the fuzzy band.
 */
export function scoreMatch(query: string, queryJamo: string, entry: ItemSearchEntry): number {
  const name = entry.normalised;
  if (name === query) return EXACT;
  if (name.startsWith(query)) return PREFIX + BAND_WIDTH * (query.length / name.length);
  if (name.includes(query)) return CONTAINS + BAND_WIDTH * (query.length / name.length);
  // A longer query naming the item plus a detail ("투명페트병뚜껑" contains "페트병").
  if (name.length >= 2 && query.includes(name))
    return CONTAINS + (BAND_WIDTH * name.length) / query.length / 2;
  const budget = typoBudget(Math.min(queryJamo.length, entry.jamo.length));
  if (budget === 0) return 0;
  const whole = editDistance(queryJamo, entry.jamo, budget);
  // Typing ahead with a typo: compare against the name's beginning of the query's length.
  const head =
    entry.jamo.length > queryJamo.length
      ? editDistance(queryJamo, entry.jamo.slice(0, queryJamo.length), budget) + 1
      : budget + 1;
  const distance = Math.min(whole, head);
  if (distance > budget) return 0;
  return FUZZY + BAND_WIDTH * (1 - distance / (budget + 1)) * (1 - distance / Math.max(queryJamo.length, 1));
}
