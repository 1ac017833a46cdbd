import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dataPath, NotFound } from '../../platform/src/index.js';

/** One disposal-rule document as shipped in data/disposal_rules (Korean field names kept as-is). */
export interface DisposalRuleDocument {
  key: string;
  category: string;
  이름: string;
  대상_품목: string[];
  대상_설명?: string[];
  세부_품목: Record<string, string[]>;
  배출방법_공통?: string[];
  배출방법_세부?: Record<string, string[]>;
  배출불가_품목_안내?: Record<string, string>;
  [field: string]: unknown;
}

export interface DisposalGuide {
  /** The ASCII file stem, e.g. `recyclable_clear_pet_bottles`: stable, URL-safe, never Korean. */
  key: string;
  majorCategory: string;
  middleCategory: string;
  english: string;
  document: DisposalRuleDocument;
}

interface RuleIndexEntry {
  major_category: string;
  middle_category: string;
  file: string;
  english: string;
}

/** The taxonomy's example items: major → middle → items (majors without middles use the major as middle). */
export type TaxonomyItems = Map<string, Map<string, string[]>>;

/**
 * The 18 disposal-rule documents and the classification taxonomy, read once from data/. The rule
 * index resolves (major, middle) to a file the same way the reference's scan worker did, so a scan
 * result and a guide lookup always agree on which document applies.
 */
@Injectable()
export class DisposalGuideCatalog {
  private readonly guides: DisposalGuide[];
  private readonly byKey: Map<string, DisposalGuide>;
  private readonly byMiddle: Map<string, DisposalGuide>;
  readonly taxonomy: TaxonomyItems;

  constructor() {
    const index = JSON.parse(readFileSync(dataPath('disposal_rules', 'index.json'), 'utf8')) as {
      rules: RuleIndexEntry[];
    };
    this.guides = index.rules.map((entry) => ({
      key: entry.file.replace(/\.json$/, ''),
      majorCategory: entry.major_category,
      middleCategory: entry.middle_category,
      english: entry.english,
      document: JSON.parse(
        readFileSync(dataPath('disposal_rules', entry.file), 'utf8'),
      ) as DisposalRuleDocument,
    }));
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
