import { Injectable } from '@nestjs/common';
import { DisposalGuideCatalog, type DisposalGuide } from './disposal-guide-catalog.js';
import { ITEM_SYNONYMS } from './item-synonyms.js';
import { normaliseItemName, toJamo } from './text-similarity.js';

/** One searchable name and the category it belongs to. */
export interface ItemSearchEntry {
  /** The item shown in results (the formal name when a synonym matched). */
  item: string;
  /** Normalised name (see `normaliseItemName`) and its jamo form for typo distances. */
  normalised: string;
  jamo: string;
  guide: DisposalGuide;
}

/** Marks taxonomy items the data lists under a category precisely because they may NOT go there. */
const NOT_ACCEPTED_MARK = '배출불가';

/**
 * Every name an item can be searched by, built once from the taxonomy, the rule documents' item
 * lists, their "not accepted → goes to X" notes, the category names and the synonym table.
 */
@Injectable()
export class ItemSearchIndex {
  readonly entries: readonly ItemSearchEntry[];

  constructor(catalog: DisposalGuideCatalog) {
    const entries = new Map<string, ItemSearchEntry>();
    const add = (guide: DisposalGuide | undefined, item: string, name = item): void => {
      const normalised = normaliseItemName(name);
      if (!guide || normalised === '') return;
      const key = `${guide.key}\u0000${normalised}`;
      if (!entries.has(key))
        entries.set(key, { item: item.trim(), normalised, jamo: toJamo(normalised), guide });
    };

    for (const guide of catalog.list()) {
      const document = guide.document;
      for (const name of [guide.middleCategory, document.이름, guide.english, document.category]) {
        for (const part of namesIn(name)) add(guide, guide.middleCategory, part);
      }
      for (const target of document.대상_품목) for (const part of namesIn(target)) add(guide, part);
      for (const [group, items] of Object.entries(document.세부_품목)) {
        for (const part of namesIn(group)) add(guide, part);
        for (const item of items) {
          for (const part of namesIn(item)) add(guide, part);
          add(guide, `${group} ${item}`);
        }
      }
      // "유색의 페트병 → 플라스틱류로 배출": the item is searchable, but under the category it goes to.
      for (const [item, note] of Object.entries(document.배출불가_품목_안내 ?? {})) {
        const destination = destinationOf(note, catalog);
        for (const part of namesIn(item)) add(destination, part);
      }
    }

    for (const [, middles] of catalog.taxonomy) {
      for (const [middle, items] of middles) {
        const guide = catalog.forMiddleCategory(middle);
        for (const item of items) {
          if (item.includes(NOT_ACCEPTED_MARK)) continue;
          for (const part of namesIn(item)) add(guide, part);
        }
      }
    }

    for (const synonym of ITEM_SYNONYMS) {
      const guide = catalog.forMiddleCategory(synonym.middle);
      if (!guide) throw new Error(`synonym table names unknown category ${synonym.middle}`);
      for (const name of synonym.names) add(guide, synonym.item, name);
    }
    this.entries = [...entries.values()];
  }
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
function destinationOf(note: string, catalog: DisposalGuideCatalog): DisposalGuide | undefined {
  const match = /^(.+?)(?:으로|로) 배출$/.exec(note.trim());
  if (!match) return undefined;
  const first = normaliseItemName(match[1].split(' 또는 ')[0]).replace('봉투', '폐기물');
  return catalog.list().find((guide) => normaliseItemName(guide.middleCategory) === first);
}
