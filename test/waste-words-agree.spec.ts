import { describe, expect, it } from 'vitest';
import { ChatDisposalRules } from '../libs/chat/src/worker/chat-disposal-rules.js';
import { SearchItems } from '../libs/info/src/api/search-items.js';
import { LocalAiProvider } from '../libs/platform/src/index.js';
import {
  DisposalRules,
  OfflineWasteClassifier,
  WasteClassifier,
  WasteMatcher,
  WasteTaxonomy,
} from '../libs/waste/src/index.js';
import { generalisationCases, heldOutCases } from '../libs/waste/src/test-support/item-search-cases.js';

/**
 * Issue 10.2: the same words get the same category on every path. For each item the item-search
 * figures use (every taxonomy and rule item, plain, spaced and typo'd, and the held-out names), the
 * scan's offline classifier and the chat assistant's rule step name the item search's first category.
 */
describe('item search, scan offline classifier and chat rule step agree', () => {
  const rules = new DisposalRules();
  const taxonomy = new WasteTaxonomy();
  const matcher = new WasteMatcher(rules, taxonomy);
  const search = new SearchItems(matcher);
  const chatRules = new ChatDisposalRules(rules, matcher);
  const provider = new LocalAiProvider();
  new OfflineWasteClassifier(provider, matcher).onModuleInit();
  const classifier = new WasteClassifier(provider, taxonomy);
  const policy = { signal: new AbortController().signal };

  it('on every item of the item-search figures', async () => {
    const cases = [...generalisationCases(rules, taxonomy), ...heldOutCases(rules)];
    expect(cases.length).toBeGreaterThan(900);
    const disagreements: string[] = [];
    for (const { query } of cases) {
      const searched = search.execute(query).results[0]?.middle_category ?? '미분류';
      const scanned = (await classifier.classify({ text: query }, policy)).classification.middle_category;
      const chatted = chatRules.match(query)?.middle_category ?? '미분류';
      if (scanned !== searched || chatted !== searched)
        disagreements.push(`${query}: search ${searched}, scan ${scanned}, chat ${chatted}`);
    }
    expect(disagreements).toEqual([]);
    // ~2 700 matcher calls: seconds on a quiet machine, more on a loaded one.
  }, 120_000);
});
