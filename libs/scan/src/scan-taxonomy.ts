import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { dataPath } from '../../platform/src/index.js';
import type { Classification } from './scan-result.types.js';

export const RECYCLABLE = '재활용폐기물';
export const UNCLASSIFIED = '미분류';
/** Has a rule document although the taxonomy YAML omits it (domain-spec §13.12). */
const HAZARDOUS = '생활계유해폐기물';

export interface MiddleCategory {
  major: string;
  middle: string;
  items: string[];
}

/**
 * The item taxonomy (data/taxonomy): majors, the 12 recyclable middles (other majors use the major
 * as their middle), example items, and the situation tags. The classifier must answer inside it.
 */
@Injectable()
export class ScanTaxonomy {
  readonly yamlText = readFileSync(dataPath('taxonomy', 'item_class_list.yaml'), 'utf8');
  readonly situationTagsText = readFileSync(dataPath('taxonomy', 'situation_tags.yaml'), 'utf8');
  readonly middles: MiddleCategory[];
  readonly situationTags: string[];

  constructor() {
    const tree = (parse(this.yamlText) as { item_class_list: Record<string, unknown> }).item_class_list;
    this.middles = Object.entries(tree).flatMap(([major, node]) =>
      Array.isArray(node)
        ? [{ major, middle: major, items: unique(node) }]
        : Object.entries(node as Record<string, unknown[]>).map(([middle, items]) => ({
            major,
            middle,
            items: unique(items ?? []),
          })),
    );
    if (!this.middles.some((m) => m.major === HAZARDOUS))
      this.middles.push({ major: HAZARDOUS, middle: HAZARDOUS, items: [] });
    this.middles.push({ major: UNCLASSIFIED, middle: UNCLASSIFIED, items: [] });
    this.situationTags = unique(
      (parse(this.situationTagsText) as { situation_tags: unknown[] }).situation_tags,
    );
  }

  get majors(): string[] {
    return [...new Set(this.middles.map((m) => m.major))];
  }

  get recyclableMiddles(): MiddleCategory[] {
    return this.middles.filter((m) => m.major === RECYCLABLE);
  }

  /** The pair as stored when it lies inside the taxonomy, else null (the classifier strayed). */
  accepts(major: string, middle: string): boolean {
    return this.middles.some((m) => m.major === major && m.middle === middle);
  }

  knownTags(tags: readonly string[]): string[] {
    const known = new Set(this.situationTags);
    return unique(tags.filter((tag) => known.has(tag)));
  }

  unclassified(): Classification {
    return { major_category: UNCLASSIFIED, middle_category: UNCLASSIFIED, minor_category: UNCLASSIFIED };
  }
}

function unique(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== ''))];
}
