import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dataPath } from '#platform';

/**
 * One disposal-rule document as shipped in data/disposal_rules (Korean field names kept as-is: the
 * app shows the documents verbatim). Every document has every field below; only `source_url` is
 * optional. (A type rather than an interface, so it passes where any JSON object is expected.)
 */
export type DisposalRuleDocument = {
  key: string;
  category: string;
  이름: string;
  대상_품목: string[];
  대상_설명: string[];
  /** Item group → items, e.g. `{"PET": ["먹는샘물PET병", …]}`. */
  세부_품목: Record<string, string[]>;
  배출방법_공통: string[];
  /** Item → how to put it out. */
  배출방법_세부: Record<string, string[]>;
  /** Item → where it goes instead, e.g. `"유색의 페트병": "플라스틱류로 배출"`. */
  배출불가_품목_안내: Record<string, string>;
  아이콘_절차: unknown[];
  source_url?: string;
};

/** One rule document with the place data/disposal_rules/index.json gives it. */
export interface DisposalRule {
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

/**
 * The 18 disposal-rule documents, read once per process and shared by the scan's rule step, the
 * chat assistant, the guide routes and the item search, so every answer agrees on which document
 * applies to a category.
 */
@Injectable()
export class DisposalRules {
  private readonly rules: readonly DisposalRule[];
  private readonly byCategory: Map<string, DisposalRule>;
  private readonly byKey: Map<string, DisposalRule>;
  private readonly byMiddle: Map<string, DisposalRule>;

  constructor() {
    const index = JSON.parse(readFileSync(dataPath('disposal_rules', 'index.json'), 'utf8')) as {
      rules: RuleIndexEntry[];
    };
    this.rules = index.rules.map((entry) => ({
      key: entry.file.replace(/\.json$/, ''),
      majorCategory: entry.major_category,
      middleCategory: entry.middle_category,
      english: entry.english,
      document: readDocument(entry.file),
    }));
    this.byCategory = new Map(
      this.rules.map((rule) => [keyOf(rule.majorCategory, rule.middleCategory), rule]),
    );
    this.byKey = new Map(this.rules.map((rule) => [rule.key, rule]));
    this.byMiddle = new Map(this.rules.map((rule) => [rule.middleCategory, rule]));
  }

  list(): readonly DisposalRule[] {
    return this.rules;
  }

  /** The rule for a classification (the scan's rule step), or null when none applies (미분류). */
  forCategory(major: string, middle: string): DisposalRule | null {
    return this.byCategory.get(keyOf(major, middle)) ?? null;
  }

  /** By the ASCII key the guide routes use. */
  withKey(key: string): DisposalRule | undefined {
    return this.byKey.get(key);
  }

  /** Middle category names are unique across majors, so the middle alone identifies the rule. */
  forMiddleCategory(middle: string): DisposalRule | undefined {
    return this.byMiddle.get(middle);
  }
}

/**
 * What to do, in order: the common steps, then each item's own steps as "item: step". The scan's
 * offline answer and the chat assistant both list these, so they read the same.
 */
export function disposalSteps(document: DisposalRuleDocument): string[] {
  const detailed = Object.entries(document.배출방법_세부).flatMap(([item, how]) =>
    how.map((text) => `${item}: ${text}`),
  );
  return [...document.배출방법_공통, ...detailed].filter((step) => step.trim() !== '');
}

/** "item → where it goes instead", for items a category refuses. */
export function refusedItemNotes(document: DisposalRuleDocument): string[] {
  return Object.entries(document.배출불가_품목_안내).map(([item, where]) => `${item} → ${where}`);
}

/** Checks the shape the types above promise, once at boot, so no call site needs a cast or a guard. */
function readDocument(file: string): DisposalRuleDocument {
  const document = JSON.parse(readFileSync(dataPath('disposal_rules', file), 'utf8')) as Record<
    string,
    unknown
  >;
  const problems = [
    ...['key', 'category', '이름'].filter((field) => typeof document[field] !== 'string'),
    ...['대상_품목', '대상_설명', '배출방법_공통', '아이콘_절차'].filter(
      (field) => !isStringList(document[field], field === '아이콘_절차'),
    ),
    ...['세부_품목', '배출방법_세부'].filter((field) => !isRecordOf(document[field], (v) => isStringList(v))),
    ...['배출불가_품목_안내'].filter((field) => !isRecordOf(document[field], (v) => typeof v === 'string')),
  ];
  if (problems.length > 0)
    throw new Error(`data/disposal_rules/${file} does not have the expected shape: ${problems.join(', ')}`);
  return document as unknown as DisposalRuleDocument;
}

function isStringList(value: unknown, anyItems = false): boolean {
  return Array.isArray(value) && (anyItems || value.every((item) => typeof item === 'string'));
}

function isRecordOf(value: unknown, check: (entry: unknown) => boolean): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(check)
  );
}

const keyOf = (major: string, middle: string): string => `${major}\u0000${middle}`;
