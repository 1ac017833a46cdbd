import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { dataPath } from '#platform';

/** The one major with middle categories; only its items can earn a character. */
export const RECYCLABLE = '재활용폐기물';
/** Major, middle and minor of an item nobody could place (a classifier's honest "don't know"). */
export const UNCLASSIFIED = '미분류';
/** Has a rule document although the taxonomy YAML omits it. */
const HAZARDOUS = '생활계유해폐기물';

/** One middle category with the taxonomy's example items (majors without middles use the major as middle). */
export interface MiddleCategory {
  major: string;
  middle: string;
  items: string[];
}

/** The three levels as stored in a scan result (API.md field names). */
export interface Classification {
  major_category: string;
  middle_category: string;
  /** Always a string in a stored result: the app prints it in a sentence (falls back to the middle). */
  minor_category: string;
}

/**
 * The item taxonomy (data/taxonomy), parsed once for every domain: majors, the 12 recyclable middles
 * (other majors use the major as their middle), example items, and the situation tags. A classifier
 * must answer inside it, the scan categories route lists it, and the item search indexes its items.
 */
@Injectable()
export class WasteTaxonomy {
  /** The files as written: real models read them verbatim in the classification prompt. */
  readonly yamlText = readFileSync(dataPath('taxonomy', 'item_class_list.yaml'), 'utf8');
  readonly situationTagsText = readFileSync(dataPath('taxonomy', 'situation_tags.yaml'), 'utf8');
  readonly middles: readonly MiddleCategory[];
  readonly situationTags: readonly string[];

  constructor() {
    const tree = (parse(this.yamlText) as { item_class_list: Record<string, unknown> }).item_class_list;
    const middles = Object.entries(tree).flatMap(([major, node]) =>
      Array.isArray(node)
        ? [{ major, middle: major, items: unique(node) }]
        : Object.entries((node ?? {}) as Record<string, unknown[] | null>).map(([middle, items]) => ({
            major,
            middle,
            items: unique(items ?? []),
          })),
    );
    if (!middles.some((m) => m.major === HAZARDOUS))
      middles.push({ major: HAZARDOUS, middle: HAZARDOUS, items: [] });
    middles.push({ major: UNCLASSIFIED, middle: UNCLASSIFIED, items: [] });
    this.middles = middles;
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

  /** Whether the pair lies inside the taxonomy (a model that strays is asked again). */
  accepts(major: string, middle: string): boolean {
    return this.middles.some((m) => m.major === major && m.middle === middle);
  }

  /** Only the tags the taxonomy defines: a model's invented tags must not reach the answer step. */
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
