import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dataPath, NotFound } from '../../platform/src/index.js';
import { DisposalRules, type DisposalRule } from '../../scan/src/index.js';

/** A disposal guide is one disposal-rule document with its place in the rule index. */
export type DisposalGuide = DisposalRule;

/** The taxonomy's example items: major → middle → items (majors without middles use the major as middle). */
export type TaxonomyItems = Map<string, Map<string, string[]>>;

/**
 * The 18 disposal-rule documents (the scan's own, so a scan result and a guide lookup always agree on
 * which document applies) and the classification taxonomy, read once from data/.
 */
@Injectable()
export class DisposalGuideCatalog {
  private readonly guides: readonly DisposalGuide[];
  private readonly byKey: Map<string, DisposalGuide>;
  private readonly byMiddle: Map<string, DisposalGuide>;
  readonly taxonomy: TaxonomyItems;

  constructor(rules: DisposalRules) {
    this.guides = rules.list();
    this.byKey = new Map(this.guides.map((g) => [g.key, g]));
    this.byMiddle = new Map(this.guides.map((g) => [g.middleCategory, g]));
    this.taxonomy = loadTaxonomy();
  }

  list(): readonly DisposalGuide[] {
    return this.guides;
  }

  get(key: string): DisposalGuide {
    const guide = this.byKey.get(key);
    if (!guide) throw new NotFound(`No disposal guide ${key}`);
    return guide;
  }

  /** Middle category names are unique across majors, so the middle alone identifies the guide. */
  forMiddleCategory(middle: string): DisposalGuide | undefined {
    return this.byMiddle.get(middle);
  }
}

function loadTaxonomy(): TaxonomyItems {
  const file = parseYaml(readFileSync(dataPath('taxonomy', 'item_class_list.yaml'), 'utf8')) as {
    item_class_list: Record<string, Record<string, string[] | null> | string[] | null>;
  };
  const taxonomy: TaxonomyItems = new Map();
  for (const [major, content] of Object.entries(file.item_class_list)) {
    const middles = new Map<string, string[]>();
    if (Array.isArray(content)) middles.set(major, content.map(String));
    else
      for (const [middle, items] of Object.entries(content ?? {}))
        middles.set(middle, (items ?? []).map(String));
    taxonomy.set(major, middles);
  }
  return taxonomy;
}
