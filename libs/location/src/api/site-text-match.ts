import type { RecyclingSiteRepository, SiteSummary } from '../recycling-site.repository.js';
import { searchKey } from './site-record.js';

const CANDIDATES = 200;

/** `search_text` is name|road address|lot address, each as searchKey() makes it. */
export const searchTextOf = (name: string, ...addresses: (string | null)[]): string =>
  [name, ...addresses].map((part) => searchKey(part ?? '').replace(/\|/g, '')).join('|');

/**
 * Active sites whose name or address contains the query, ignoring spacing and case, best first: exact
 * name, then name prefix, then name containing it, then address; shorter names first within a rank.
 */
export async function sitesMatchingText(
  sites: RecyclingSiteRepository,
  text: string,
): Promise<SiteSummary[]> {
  const key = searchKey(text).replace(/\|/g, '');
  if (!key) return [];
  const found = await sites.findActiveBySearchKey(key, CANDIDATES);
  const rank = (searchText: string): number => {
    const name = searchText.split('|')[0];
    if (name === key) return 0;
    if (name.startsWith(key)) return 1;
    if (name.includes(key)) return 2;
    return 3;
  };
  return found
    .map((site) => ({ site, rank: rank(site.searchText) }))
    .sort((a, b) => a.rank - b.rank || a.site.name.length - b.site.name.length || a.site.id - b.site.id)
    .map(({ site }) => site);
}
