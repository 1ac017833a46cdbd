import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '#platform';
import { normaliseItemName, WasteMatcher } from '#waste';
import type { ItemSearchResponseDto } from '../dto/item-search.dto.js';

const MAX_RESULTS = 10;

/**
 * `GET /info/search`: an everyday item name → the categories it belongs to and their guide, best
 * first, one result per category, through the same matcher the scan and the chat assistant use.
 */
@Injectable()
export class SearchItems {
  constructor(private readonly matcher: WasteMatcher) {}

  execute(query: string): ItemSearchResponseDto {
    if (normaliseItemName(query) === '') {
      throw new ValidationFailed([{ field: 'q', message: 'q must contain letters or digits' }]);
    }
    return {
      query,
      results: this.matcher.match(query, MAX_RESULTS).map(({ rule, item, score }) => ({
        major_category: rule.majorCategory,
        middle_category: rule.middleCategory,
        item,
        guide_key: rule.key,
        score,
      })),
    };
  }
}
