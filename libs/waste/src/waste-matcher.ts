import { Injectable } from '@nestjs/common';
import { DisposalRules, type DisposalRule } from './disposal-rules.js';
import { EVERYDAY_WORDS } from './everyday-words.js';
import { editDistance, normaliseItemName, toJamo, typoBudget } from './text-similarity.js';
import { WasteTaxonomy } from './waste-taxonomy.js';

/** One category the words point at, with the item name that matched best. */
export interface CategoryMatch {
  rule: DisposalRule;
  /** The item to show (the formal name when an everyday word matched). */
  item: string;
  /** 1 for an exact name; then prefix (0.8–0.99), contains (0.6–0.79) and typo (0.4–0.59) bands. */
  score: number;
}

/** One searchable name and the category it belongs to. */
interface NamedItem {
  item: string;
  /** Normalised name (see `normaliseItemName`) and its jamo form for typo distances. */
  normalised: string;
  jamo: string;
  rule: DisposalRule;
}

/** Match strength bands: any exact match outranks any prefix match, and so on down to fuzzy. */
const EXACT = 1;
const PREFIX = 0.8;
const CONTAINS = 0.6;
const FUZZY = 0.4;
const BAND_WIDTH = 0.19;

/** Marks taxonomy items the data lists under a category precisely because they may NOT go there. */
const NOT_ACCEPTED_MARK = '배출불가';

/**
 * The one way words become waste categories: the item search, the scan's offline classifier and the
 * chat assistant's rule lookup all ask it, so the same words get the same category everywhere. It
 * knows every name an item can be called by (the taxonomy, the rule documents' item lists, their
 * "not accepted → goes to X" notes, the category names and the everyday words) and tolerates
 * missing spaces, case and one-key typos. A longer text ("투명 페트병 어떻게 버려?") matches the
 * longest name it contains.
 */
@Injectable()
export class WasteMatcher {
  private readonly names: readonly NamedItem[];

  constructor(rules: DisposalRules, taxonomy: WasteTaxonomy) {
    this.names = indexNames(rules, taxonomy);
  }

  /**
   * Categories the text points at, best first, one per category (its best-matching item), so the
   * top results are distinct answers rather than near-duplicates of one. Empty for text without
   * letters or digits, or that names no item.
   */
  match(text: string, limit = Number.POSITIVE_INFINITY): CategoryMatch[] {
    const query = normaliseItemName(text);
    if (query === '') return [];
    const jamo = toJamo(query);
    const bestPerCategory = new Map<string, Scored>();
    for (const name of this.names) {
      const score = scoreMatch(query, jamo, name);
      if (score === 0) continue;
      const current = bestPerCategory.get(name.rule.key);
      if (!current || isBetter({ name, score }, current)) bestPerCategory.set(name.rule.key, { name, score });
    }
    return [...bestPerCategory.values()]
      .sort((a, b) => (isBetter(a, b) ? -1 : isBetter(b, a) ? 1 : 0))
      .slice(0, limit)
      .map(({ name, score }) => ({
        rule: name.rule,
        item: name.item,
        score: Math.round(score * 1000) / 1000,
      }));
  }

  /** The one category the text most likely means, or null when it names no item. */
  best(text: string): CategoryMatch | null {
    return this.match(text, 1)[0] ?? null;
  }
}

interface Scored {
  name: NamedItem;
  score: number;
}

function isBetter(a: Scored, b: Scored): boolean {
  if (a.score !== b.score) return a.score > b.score;
  return a.name.normalised.length < b.name.normalised.length;
}

/**
 * 0 when the name does not match. Within a band the score rises with how much of the name the
 * query covers (prefix, contains) or falls with the edit distance (fuzzy), so "shorter distance
 * first" holds inside the fuzzy band.
 */
function scoreMatch(query: string, queryJamo: string, entry: NamedItem): number {
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

/**
 * Every name an item can be searched by, built once from the taxonomy, the rule documents' item
 * lists, their "not accepted → goes to X" notes, the category names and the everyday words.
 */
function indexNames(rules: DisposalRules, taxonomy: WasteTaxonomy): NamedItem[] {
  const names = new Map<string, NamedItem>();
  const add = (rule: DisposalRule | undefined, item: string, name = item): void => {
    const normalised = normaliseItemName(name);
    if (!rule || normalised === '') return;
    const key = `${rule.key}\u0000${normalised}`;
    if (!names.has(key)) names.set(key, { item: item.trim(), normalised, jamo: toJamo(normalised), rule });
  };

  for (const rule of rules.list()) {
    const { document } = rule;
    for (const name of [rule.middleCategory, document.이름, rule.english, document.category]) {
      for (const part of namesIn(name)) add(rule, rule.middleCategory, part);
    }
    for (const target of document.대상_품목) for (const part of namesIn(target)) add(rule, part);
    for (const [group, items] of Object.entries(document.세부_품목)) {
      for (const part of namesIn(group)) add(rule, part);
      for (const item of items) {
        for (const part of namesIn(item)) add(rule, part);
        add(rule, `${group} ${item}`);
      }
    }
    // "유색의 페트병 → 플라스틱류로 배출": the item is searchable, but under the category it goes to.
    for (const [item, note] of Object.entries(document.배출불가_품목_안내)) {
      const destination = destinationOf(note, rules);
      for (const part of namesIn(item)) add(destination, part);
    }
  }

  for (const { middle, items } of taxonomy.middles) {
    const rule = rules.forMiddleCategory(middle);
    for (const item of items) {
      if (item.includes(NOT_ACCEPTED_MARK)) continue;
      for (const part of namesIn(item)) add(rule, part);
    }
  }

  for (const words of EVERYDAY_WORDS) {
    const rule = rules.forMiddleCategory(words.middle);
    if (!rule) throw new Error(`the everyday words name unknown category ${words.middle}`);
    for (const name of words.names) add(rule, words.item, name);
  }
  return [...names.values()];
}

/**
 * The names a data phrase stands for: the phrase itself, its head without a parenthetical, short
 * parenthetical aliases ("무색페트병(물병)"), and the members of a list ("1차전지 : 수은전지, 망간전지 등").
 */
export function namesIn(phrase: string): string[] {
  const names = new Set<string>([phrase.trim()]);
  const withoutParentheses = phrase.replace(/\([^)]*\)/g, ' ').trim();
  names.add(withoutParentheses);
  for (const [, inside] of phrase.matchAll(/\(([^)]*)\)/g)) {
    for (const member of inside.split(',')) if (isShortName(member)) names.add(member.trim());
  }
  const [label, list] = withoutParentheses.includes(':')
    ? withoutParentheses.split(':', 2)
    : [undefined, undefined];
  if (label !== undefined && list !== undefined) {
    names.add(label.trim());
    for (const member of list.split(',')) names.add(member.replace(/\s*등$/, '').trim());
  } else if (withoutParentheses.includes(',')) {
    for (const member of withoutParentheses.split(',')) names.add(member.replace(/\s*등$/, '').trim());
  }
  return [...names].filter((name) => name !== '' && name !== NOT_ACCEPTED_MARK);
}

function isShortName(text: string): boolean {
  const trimmed = text.replace(/\s*등$/, '').trim();
  return trimmed !== '' && trimmed.length <= 8 && !/\s/.test(trimmed);
}

/**
 * The category a "not accepted here" note sends the item to: "일반종량제폐기물로 배출",
 * "일반종량제폐기물 또는 대형폐기물로 배출" (the first is the usual case). Notes like "별도 배출" or
 * "플라스틱류로 배출하지 않고 별도 배출" name no destination and yield none.
 */
function destinationOf(note: string, rules: DisposalRules): DisposalRule | undefined {
  const match = /^(.+?)(?:으로|로) 배출$/.exec(note.trim());
  if (!match) return undefined;
  const first = normaliseItemName(match[1].split(' 또는 ')[0]).replace('봉투', '폐기물');
  return rules.list().find((rule) => normaliseItemName(rule.middleCategory) === first);
}
